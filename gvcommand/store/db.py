"""Engines for both modes, and the schema check or migration at start-up."""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from ..core.redact import redact
from .url import DatabaseUrl

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic costs ~0.2 s to import, a fifth of a console's start: it is imported only when the
# schema is not already the newest one (see ensure_schema).

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
_MIGRATION_LOCK = 0x6776636D  # "gvcm": advisory lock key for schema upgrades


class StoreError(Exception):
    """A database problem, told in words an operator can act on."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (or the connection was lost)."""


class SchemaMissing(StoreError):
    pass


class SchemaOutdated(StoreError):
    pass


class SchemaTooNew(StoreError):
    pass


def make_engine(url: DatabaseUrl, *, pool_size: int = 5, **kwargs: Any) -> Engine:
    if url.is_sqlite:
        engine = create_engine(url.sqlalchemy_url, **kwargs)
        _sqlite_setup(engine)
        return engine
    return create_engine(
        url.sqlalchemy_url,
        pool_size=pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "gvcommand"},
        **kwargs,
    )


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes.

    pysqlite's own transaction handling is switched off so that we say how a transaction
    begins: a deferred BEGIN that later writes fails with "database is locked" when two
    consoles write at once; BEGIN IMMEDIATE waits for the lock up front instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # first: switching a new file to WAL takes a lock another console may hold
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _enable_wal(cur)
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("gv_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _enable_wal(cur: Any) -> None:
    """Switch to WAL. SQLite does not call the busy handler for this switch, so when two
    consoles open a new database at the same moment one of them must wait and retry."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
            continue
        if str(mode).lower() == "wal":
            return
        raise StoreError(f"SQLite refused WAL mode (journal mode stays {mode!r})")


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write (SQLite: BEGIN IMMEDIATE)."""
    with engine.connect() as conn:
        conn = conn.execution_options(gv_write=True)
        with conn.begin():
            yield conn


def _alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("gvcommand.store") / "migrations"))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*[\"']([^\"'\n]+)[\"']\s*$", re.M)
_DOWN_REVISION = re.compile(
    r"^down_revision\s*(?::[^=\n]*)?=\s*(?:None|[\"']([^\"'\n]+)[\"'])\s*$", re.M)


@functools.cache
def scripts_head() -> str | None:
    """The newest revision of the migration scripts, read from their text without Alembic.

    ``None`` unless the scripts are one plain line of revisions (each names its revision and
    the one before it as literals, one head): then Alembic itself decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (files("gvcommand.store") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        if down[0]:
            parents.add(down[0])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _unavailable(url: DatabaseUrl, exc: Exception) -> StoreUnavailable:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if exc else ""
    return StoreUnavailable(
        f"cannot reach the database {url.display}: {redact_reason(reason)}. Check that the "
        "server runs and the URL (--db or GVCOMMAND_DB) is right."
    )


def check_connection(engine: Engine, url: DatabaseUrl) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        raise _unavailable(url, exc) from None


def _schema_is_current(engine: Engine, url: DatabaseUrl) -> str | None:
    """The head revision when the database is known to be at it, else ``None`` (the full
    check with Alembic then decides: create, upgrade, or refuse).

    One query and no Alembic: the common case at every start. A connection that fails is
    reported here, so an unreachable server is not tried twice.
    """
    head = scripts_head()
    if head is None:
        return None
    try:
        conn = engine.connect()
    except (OperationalError, DBAPIError) as exc:
        raise _unavailable(url, exc) from None
    with conn:
        try:
            stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:  # no version table: an empty database, for the full check
            return None
    return head if stored == [head] else None


def redact_reason(reason: str) -> str:
    return redact(reason)


def ensure_schema(engine: Engine, url: DatabaseUrl, *, upgrade: bool) -> str:
    """Check the schema is the one this program knows; create or upgrade it when allowed.

    Returns the revision in force. Raises SchemaTooNew for a database written by a newer
    program, SchemaMissing / SchemaOutdated when ``upgrade`` is false.
    """
    if (current_head := _schema_is_current(engine, url)) is not None:
        return current_head
    from alembic import command as alembic_command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    check_connection(engine, url)
    script = ScriptDirectory.from_config(_alembic_config())
    head = head_revision()
    current = current_revision(engine)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNew(
            f"the database {url.display} has schema version {current}, newer than this "
            f"program knows (up to {head}); install the newer gvcommand that wrote it"
        )
    if current == head:
        return head
    if not upgrade:
        if current is None:
            raise SchemaMissing(
                f"the database {url.display} has no gvcommand schema; run "
                "`gvcommand-admin init` first"
            )
        raise SchemaOutdated(
            f"the database {url.display} has schema version {current}; this program needs "
            f"{head}: run `gvcommand-admin init` to upgrade it"
        )
    # two consoles starting at once on a new database: one migrates, the other waits for it
    # (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock) and then finds the work done
    with write_tx(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        if current != head:
            log.info("migrating %s from %s to %s", url.display, current or "empty", head)
            alembic_command.upgrade(_alembic_config(conn), "head")
    return head
