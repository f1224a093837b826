"""Database URLs, the schema check at start-up, and the append-only guard on the log."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from gvcommand.core import commands as c
from gvcommand.core.events import GENESIS_HASH
from gvcommand.core.model import Force, Role
from gvcommand.store import open_store
from gvcommand.store import schema as s
from gvcommand.store.auth import login, set_password
from gvcommand.store.db import (
    SchemaMissing,
    SchemaTooNew,
    StoreUnavailable,
    current_revision,
    head_revision,
)
from gvcommand.store.event_store import EventStore
from gvcommand.store.url import ENV_VAR, UrlError, default_sqlite_path, parse, redact, resolve

from .conftest import ADMIN, PgServer, seed

SCHEMA_TABLES = {
    "events",
    "chain_head",
    "snapshots",
    "wards",
    "units",
    "incidents",
    "cameras",
    "users",
    "credentials",
    "alembic_version",
}

# --- url.parse -------------------------------------------------------------------------------


def test_sqlite_absolute_path_is_kept_and_its_directory_made(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "gv.sqlite"
    url = parse(f"sqlite:///{target}")
    assert url.mode == "sqlite" and url.is_sqlite
    assert url.sqlalchemy_url == f"sqlite:///{target}"
    assert make_url(url.sqlalchemy_url).database == str(target)
    assert target.parent.is_dir()
    assert url.mode_label == "SQLite (embedded)"


def test_sqlite_relative_and_home_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rel = parse("sqlite:///data/gv.sqlite")
    assert make_url(rel.sqlalchemy_url).database == "data/gv.sqlite"
    assert (tmp_path / "data").is_dir()

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = parse("sqlite:///~/gv/x.sqlite")
    assert make_url(home.sqlalchemy_url).database == str(tmp_path / "home" / "gv" / "x.sqlite")
    assert (tmp_path / "home" / "gv").is_dir()


@pytest.mark.parametrize(
    "scheme", ["postgresql", "postgres", "postgresql+psycopg", "PostgreSQL", "POSTGRES"]
)
def test_postgresql_schemes_all_map_to_psycopg(scheme: str) -> None:
    url = parse(f"{scheme}://gv:s3cret@db.example:6543/gvcommand?sslmode=require")
    assert url.mode == "postgresql" and not url.is_sqlite
    assert url.mode_label == "PostgreSQL (shared)"
    sa = make_url(url.sqlalchemy_url)
    assert sa.drivername == "postgresql+psycopg"
    assert (sa.username, sa.password, sa.host, sa.port, sa.database) == (
        "gv",
        "s3cret",
        "db.example",
        6543,
        "gvcommand",
    )
    assert sa.query == {"sslmode": "require"}
    assert "s3cret" not in url.display
    assert "db.example:6543" in url.display


def test_libpq_multi_host_url_becomes_host_query_parameters() -> None:
    url = parse("postgresql+psycopg://u@h1:5432,h2:5433/db?target_session_attrs=read-write")
    assert url.mode == "postgresql"
    assert url.sqlalchemy_url == (
        "postgresql+psycopg://u@/db?host=h1:5432&host=h2:5433&target_session_attrs=read-write"
    )
    sa = make_url(url.sqlalchemy_url)
    assert sa.host is None
    assert sa.username == "u" and sa.database == "db"
    assert sa.query["host"] == ("h1:5432", "h2:5433")
    assert sa.query["target_session_attrs"] == "read-write"
    # the display keeps the form the operator wrote
    assert (
        url.display == "postgresql+psycopg://u@h1:5432,h2:5433/db?target_session_attrs=read-write"
    )


def test_multi_host_url_keeps_the_password_out_of_the_display() -> None:
    url = parse("postgres://gv:pa%24%24word@h1,h2:5433/gvcommand")
    sa = make_url(url.sqlalchemy_url)
    assert sa.password == "pa$$word"
    assert sa.query["host"] == ("h1", "h2:5433")
    assert "pa%24%24word" not in url.display and "pa$$word" not in url.display


@pytest.mark.parametrize(
    "raw", ["foo://x", "mysql://u:hunter22@h/db", "mssql+pyodbc://h/db", "file:///tmp/x.sqlite"]
)
def test_unknown_scheme_is_refused_with_its_name(raw: str) -> None:
    scheme = raw.split("://")[0]
    with pytest.raises(UrlError) as err:
        parse(raw)
    message = str(err.value)
    assert f"unknown database URL scheme '{scheme}'" in message
    assert "sqlite:///" in message and "postgresql+psycopg://" in message  # what would work
    assert "hunter22" not in message


def test_a_bare_path_is_not_a_url() -> None:
    with pytest.raises(UrlError, match="not a database URL"):
        parse("/var/lib/gvcommand.sqlite")


def test_sqlite_path_whose_directory_cannot_be_made_is_a_url_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    with pytest.raises(UrlError, match="cannot make the directory"):
        parse(f"sqlite:///{tmp_path}/a-file/gv.sqlite")


@pytest.mark.parametrize("raw", ["sqlite://", "sqlite:///:memory:", "SQLITE:///:memory:"])
def test_in_memory_sqlite_is_refused(raw: str) -> None:
    with pytest.raises(UrlError, match="in-memory"):
        parse(raw)


# --- url.redact ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql+psycopg://gv:s3cret@h:5432/db", "postgresql+psycopg://gv:***@h:5432/db"),
        ("postgres://gv:s3cret@h1:5432,h2:5433/db", "postgres://gv:***@h1:5432,h2:5433/db"),
        (
            "cannot reach postgresql://a:one@h/x nor postgresql://b:two@k/y",
            "cannot reach postgresql://a:***@h/x nor postgresql://b:***@k/y",
        ),
        ("host=h port=5432 password=s3cret dbname=x", "host=h port=5432 password=*** dbname=x"),
        ("db?sslmode=require&PASSWORD=s3cret&x=1", "db?sslmode=require&PASSWORD=***&x=1"),
        ("pwd=s3cret passwd=s3cret", "pwd=*** passwd=***"),
        ("postgresql://gv@h/db", "postgresql://gv@h/db"),
        ("sqlite:////var/lib/gv.sqlite", "sqlite:////var/lib/gv.sqlite"),
    ],
)
def test_redact_masks_passwords(raw: str, expected: str) -> None:
    assert redact(raw) == expected
    assert "s3cret" not in redact(raw)


# --- url.resolve -----------------------------------------------------------------------------


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the platform data directory (and HOME) into tmp_path, with no $GVCOMMAND_DB."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return tmp_path / "xdg-data"


def test_resolve_defaults_to_the_platform_data_dir(data_home: Path) -> None:
    url = resolve(None)
    expected = data_home / "gvcommand" / "gvcommand.sqlite"
    assert default_sqlite_path() == expected
    assert url.mode == "sqlite"
    assert url.sqlalchemy_url == f"sqlite:///{expected}"
    assert expected.parent.is_dir()
    assert resolve("  ") == url  # a blank --db is no URL


def test_resolve_uses_the_environment_when_no_url_is_given(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, " postgresql://gv:s3cret@db.example/gvcommand ")
    url = resolve(None)
    assert url.mode == "postgresql"
    assert make_url(url.sqlalchemy_url).host == "db.example"
    assert not (data_home / "gvcommand").exists()  # the default was not even created

    explicit = data_home.parent / "explicit.sqlite"
    assert resolve(f"sqlite:///{explicit}").sqlalchemy_url == f"sqlite:///{explicit}"

    monkeypatch.setenv(ENV_VAR, "foo://x")
    with pytest.raises(UrlError, match="foo"):
        resolve(None)


# --- schema at start-up ------------------------------------------------------------------------


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with nothing in it (not copied from the migrated template)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"{server.base}_empty_{os.getpid()}_{request.node.name}"[:63]
    name = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)
    with server.admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.sqlalchemy_url(name)
    yield url
    server.drop(url)


def test_empty_database_without_upgrade_is_missing_its_schema(empty_url: str) -> None:
    with pytest.raises(SchemaMissing) as err:
        open_store(empty_url, upgrade=False)
    message = str(err.value)
    assert "`gvcommand-admin init`" in message
    assert make_url(empty_url).database in message  # names the database

    engine = create_engine(make_url(empty_url))
    try:
        assert inspect(engine).get_table_names() == []  # nothing was created
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_once(empty_url: str) -> None:
    st = open_store(empty_url, upgrade=True)
    try:
        assert current_revision(st.engine) == head_revision()
        assert set(inspect(st.engine).get_table_names()) >= SCHEMA_TABLES
        assert st.head() == (0, GENESIS_HASH, 0)
        st.execute(c.AddWard("P1", "Phường 1"), ADMIN)
    finally:
        st.engine.dispose()

    for upgrade in (False, True):  # opening again neither fails nor resets anything
        again = open_store(empty_url, upgrade=upgrade)
        try:
            assert again.head()[0] == 1
            with again.engine.connect() as conn:
                assert conn.execute(select(s.chain_head.c.id)).scalars().all() == [1]
            assert again.verify().ok
        finally:
            again.engine.dispose()


@pytest.mark.parametrize("upgrade", [False, True])
def test_a_schema_from_a_newer_program_is_refused(
    store: EventStore, db_url: str, upgrade: bool
) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9f3e_from_the_future'"))
    store.engine.dispose()

    with pytest.raises(SchemaTooNew) as err:
        open_store(db_url, upgrade=upgrade)
    assert "9f3e_from_the_future" in str(err.value)
    assert head_revision() in str(err.value)
    with store.engine.connect() as conn:  # and left alone
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == (
            "9f3e_from_the_future"
        )


def test_unreachable_postgresql_is_unavailable_without_leaking_the_password() -> None:
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        open_store("postgresql+psycopg://someone:s3cretpw@127.0.0.1:1/x", upgrade=False)
    elapsed = time.monotonic() - t0
    assert elapsed < 8
    message = str(err.value)
    assert "127.0.0.1" in message
    assert "s3cretpw" not in message and "s3cretpw" not in repr(err.value)
    assert "GVCOMMAND_DB" in message  # says where the URL comes from
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.postgres
def test_missing_postgresql_database_is_unavailable_and_named(pg_server: PgServer) -> None:
    url = pg_server.sqlalchemy_url(f"{pg_server.base}_does_not_exist")
    with pytest.raises(StoreUnavailable) as err:
        open_store(url, upgrade=True)
    assert f'database "{pg_server.base}_does_not_exist" does not exist' in str(err.value)


@pytest.mark.postgres
def test_multi_host_url_skips_a_dead_first_host(pg_server: PgServer) -> None:
    url = make_url(pg_server.fresh())
    host, port = url.host or "127.0.0.1", url.port or 5432
    auth = url.username or "postgres"
    if url.password:
        auth += f":{url.password}"
    multi = (
        f"postgresql+psycopg://{auth}@127.0.0.1:1,{host}:{port}/{url.database}"
        "?target_session_attrs=read-write"
    )
    st = open_store(multi, upgrade=False)
    try:
        assert "127.0.0.1:1" in st.url.display
        st.execute_many([c.AddWard("P1", "Phường 1"), c.AddUnit("U1", Force.TO_363, "P1")], ADMIN)
        assert st.head()[0] == 2
        with st.engine.connect() as conn:
            assert conn.execute(text("SELECT inet_server_port()")).scalar_one() == port
            assert conn.execute(text("SELECT current_database()")).scalar_one() == url.database
        assert st.verify().ok
    finally:
        st.engine.dispose()
        pg_server.drop(url.render_as_string(hide_password=False))


# --- the log is append-only -------------------------------------------------------------------


def _event_rows(store: EventStore) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(s.events).order_by(s.events.c.seq))]


def test_the_database_refuses_to_change_or_remove_events(store: EventStore, backend: str) -> None:
    seed(store)
    rows = _event_rows(store)
    assert len(rows) >= 3
    statements = [
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "UPDATE events SET actor = 'someone else'",
        "DELETE FROM events WHERE seq = 2",
        "DELETE FROM events",
    ]
    if backend == "postgresql":
        statements.append("TRUNCATE events")
    for sql in statements:
        with pytest.raises(DBAPIError) as err, store.engine.begin() as conn:
            conn.execute(text(sql))
        assert "append-only" in str(err.value.orig), sql
    assert _event_rows(store) == rows
    assert store.verify().ok
    # appending still works
    store.execute(c.AddWard("P9", "Phường 9"), ADMIN)
    assert len(_event_rows(store)) == len(rows) + 1


@pytest.mark.postgres
def test_app_role_may_append_but_never_change_events(pg_server: PgServer) -> None:
    url = make_url(pg_server.fresh())
    role = f"gv_test_app_{os.getpid()}"
    with pg_server.admin_conn() as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f'CREATE ROLE "{role}" LOGIN IN ROLE {s.APP_ROLE}')
    as_role = url.set(username=role, password=None).render_as_string(hide_password=False)
    st: EventStore | None = None
    try:
        # the console's everyday work goes through
        st = open_store(as_role, upgrade=False)
        seed(st)
        st.execute(c.CreateUser("alice", Role.OPERATOR), ADMIN)
        set_password(st, "alice", "correct horse", ADMIN)
        assert login(st, "alice", "correct horse", "console-A").user.name == "alice"
        head = st.head()
        assert st.verify().ok
        rows = _event_rows(st)

        libpq = pg_server.libpq(str(url.database)).replace(
            f"user={url.username or 'postgres'}", f"user={role}"
        )
        with psycopg.connect(libpq, autocommit=True) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (role,)
            for sql in (
                "UPDATE events SET payload = '{}' WHERE seq = 2",
                "DELETE FROM events WHERE seq = 2",
                "TRUNCATE events",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege) as err:
                    conn.execute(sql)
                assert "permission denied for table events" in str(err.value), sql
            # nor can it switch the guard off
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SET session_replication_role = replica")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DROP TRIGGER events_append_only ON events")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")

        # a superuser has the privileges, and is stopped by the trigger instead
        with psycopg.connect(pg_server.libpq(str(url.database)), autocommit=True) as conn:
            for sql in (
                "UPDATE events SET payload = '{}' WHERE seq = 2",
                "DELETE FROM events WHERE seq = 2",
                "TRUNCATE events",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege) as err:
                    conn.execute(sql)
                assert "the event log is append-only" in str(err.value), sql
                assert sql.split()[0] in str(err.value)

        assert _event_rows(st) == rows
        assert st.head() == head
    finally:
        if st is not None:
            st.engine.dispose()
        pg_server.drop(url.render_as_string(hide_password=False))
        with pg_server.admin_conn() as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
