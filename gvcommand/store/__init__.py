"""Persistence: SQLAlchemy schema, Alembic migrations, the event store, change feed, users."""

from __future__ import annotations

from .db import ensure_schema, make_engine
from .event_store import EventStore
from .url import resolve


def open_store(url: str | None = None, *, upgrade: bool) -> EventStore:
    """Connect to the database named by ``url`` / $GVCOMMAND_DB / the embedded default,
    check its schema (creating or upgrading it when ``upgrade``) and return the store.

    Raises UrlError, StoreUnavailable, SchemaMissing, SchemaOutdated or SchemaTooNew, each
    with a message that names the database (without its password) and what to do.
    """
    db_url = resolve(url)
    engine = make_engine(db_url)
    try:
        ensure_schema(engine, db_url, upgrade=upgrade)
    except Exception:
        engine.dispose()
        raise
    return EventStore(engine, db_url)
