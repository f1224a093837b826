"""The migrations build exactly the schema that schema.py declares (Alembic's autogenerate
comparison finds nothing to do), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gvcommand.store import schema
from gvcommand.store.event_store import EventStore


def test_migrations_build_the_declared_schema(store: EventStore) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, schema.metadata)
    assert diff == []
