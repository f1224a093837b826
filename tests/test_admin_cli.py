"""`gvcommand-admin`, driven as an operator would: the real click CLI, on a real database.

Most tests use click's CliRunner (in process); one runs the installed entry point as a
subprocess. The main flows run against SQLite and, when $GVCOMMAND_TEST_PG_URL is set,
against a fresh (empty) PostgreSQL database.
"""

from __future__ import annotations

import getpass
import itertools
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.engine import URL, make_url

from gvcommand.admin import cli
from gvcommand.core import events as ev
from gvcommand.store import auth, open_store
from gvcommand.store import schema as s
from gvcommand.store.auth import AccountLocked, WrongPassword, login
from gvcommand.store.db import head_revision
from gvcommand.store.event_store import EventStore

PG_ENV = "GVCOMMAND_TEST_PG_URL"
CONSOLE = "test-desk-7"
CLI_ACTOR = f"cli:{getpass.getuser()}"
PASSWORD = "correct horse"
EXIT_BROKEN_CHAIN = 3

_db_numbers = itertools.count()


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No $GVCOMMAND_DB, a known console name, platform dirs (logs) inside tmp_path; and the
    root logger as it was before the CLI configured it."""
    monkeypatch.delenv("GVCOMMAND_DB", raising=False)
    monkeypatch.delenv("GVCOMMAND_LOG_LEVEL", raising=False)
    monkeypatch.setenv("GVCOMMAND_CONSOLE", CONSOLE)
    # cheap argon2id parameters in process (the subprocess test keeps the real ones)
    monkeypatch.setattr(
        auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path / "xdg"
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _pg_base() -> URL:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: run the tests through scripts/test.sh")
        pytest.skip(f"no PostgreSQL for tests: set {PG_ENV} (scripts/test.sh does)")
    return make_url(url)


def _libpq(url: URL, database: str | None = None) -> str:
    parts = [
        f"host={url.host or '127.0.0.1'}",
        f"port={url.port or 5432}",
        f"user={url.username or 'postgres'}",
        f"dbname={database or url.database}",
    ]
    if url.password:
        parts.append(f"password={url.password}")
    return " ".join(parts)


@contextmanager
def _empty_pg_database() -> Iterator[str]:
    base = _pg_base()
    name = f"{base.database or 'gvcommand_test'}_cli_{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(_libpq(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(base, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: `init` is up to the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/x.sqlite"
        return
    with _empty_pg_database() as url:
        yield url


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/x.sqlite"


# --- helpers ---------------------------------------------------------------------------------


def admin(db: str | None, *args: str, input: str | None = None) -> Result:
    argv = (["--db", db] if db is not None else []) + list(args)
    return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


@contextmanager
def opened(db: str) -> Iterator[EventStore]:
    st = open_store(db, upgrade=False)
    try:
        yield st
    finally:
        st.engine.dispose()


def events(db: str) -> list[ev.StoredEvent]:
    with opened(db) as st:
        return list(st.iter_events())


def assert_written_by_the_cli(db: str, console: str = CONSOLE) -> None:
    found = events(db)
    assert found, "no events"
    assert {(e.actor, e.console) for e in found} == {(CLI_ACTOR, console)}


def set_up(db: str) -> None:
    """init, alice, a ward: events 1 user.created, 2 user.password_set, 3 ward.added."""
    ok(admin(db, "init"))
    ok(admin(db, "create-user", "alice", "--role", "operator", "--password-stdin", input=PASSWORD))
    ok(admin(db, "add-ward", "P1", "Phường 1"))
    assert [e.kind for e in events(db)] == [ev.USER_CREATED, ev.USER_PASSWORD_SET, ev.WARD_ADDED]


def tamper(db: str, sql: str) -> None:
    """Change the log behind the program's back, as someone with the database file or a
    superuser account could."""
    url = make_url(db)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(url.database))
        try:
            conn.execute("DROP TRIGGER IF EXISTS events_no_update")
            conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()
        return
    with psycopg.connect(_libpq(url), autocommit=True) as pg:
        pg.execute("SET session_replication_role = replica")  # triggers off (superuser only)
        pg.execute(sql)


# --- the main flow -------------------------------------------------------------------------


def test_init_create_user_list_and_verify(db: str) -> None:
    result = ok(admin(db, "init"))
    assert f"schema {head_revision()} ready" in result.stdout

    result = ok(
        admin(
            db,
            "create-user",
            "alice",
            "--role",
            "operator",
            "--display-name",
            "Nguyễn Thị Lan",
            "--password-stdin",
            input=PASSWORD + "\n",
        )
    )
    assert "user alice (operator) created" in result.stdout
    assert PASSWORD not in result.output

    listing = ok(admin(db, "list-users")).stdout.splitlines()
    assert len(listing) == 1
    assert listing[0].split()[:2] == ["alice", "operator"]
    assert "Nguyễn Thị Lan" in listing[0]
    assert "[" not in listing[0]  # no flags: active, has a password, not locked

    users = json.loads(ok(admin(db, "list-users", "--json")).stdout)
    assert users == [
        {
            "name": "alice",
            "role": "operator",
            "display_name": "Nguyễn Thị Lan",
            "active": True,
            "has_password": True,
            "locked": False,
        }
    ]

    result = ok(admin(db, "verify-log"))
    with opened(db) as st:
        seq, digest, _ = st.head()
    assert seq == 2
    assert f"{seq} events verified" in result.stdout
    assert f"head {seq}:{digest}" in result.stdout

    assert_written_by_the_cli(db)
    assert [e.kind for e in events(db)] == [ev.USER_CREATED, ev.USER_PASSWORD_SET]
    # the password that was typed (without its newline) is the one that works
    with opened(db) as st:
        assert login(st, "alice", PASSWORD, "console-1").user.name == "alice"


def test_wards_and_units(db: str) -> None:
    ok(admin(db, "init"))
    ok(admin(db, "add-ward", "P1", "Phường 1"))
    ok(admin(db, "add-ward", "P5", "Đông Hưng Thuận"))

    result = ok(admin(db, "add-unit", "363-01", "--force", "363", "--ward", "phuong 1"))
    assert "363-01" in result.stdout and "Tổ công tác 363" in result.stdout
    ok(admin(db, "add-unit", "HS-02", "--force", "hinh-su", "--ward", "DONG HUNG THUAN"))
    ok(admin(db, "add-unit", "P-03", "--force", "phuong", "--ward", "p5"))
    ok(admin(db, "add-unit", "DQ-04", "--force", "dan-quan"))  # no home ward

    with opened(db) as st, st.engine.connect() as conn:
        units = {
            r.call_sign: (r.force, r.home_ward)
            for r in conn.execute(select(s.units.c.call_sign, s.units.c.force, s.units.c.home_ward))
        }
    assert units == {
        "363-01": ("363", "P1"),
        "HS-02": ("hinh-su", "P5"),
        "P-03": ("phuong", "P5"),
        "DQ-04": ("dan-quan", None),
    }
    assert_written_by_the_cli(db)


def test_add_unit_with_an_unknown_ward_lists_the_known_ones(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    ok(admin(sqlite_db, "add-ward", "P1", "Phường 1"))
    ok(admin(sqlite_db, "add-ward", "P3", "Phường 3"))
    with opened(sqlite_db) as st:
        head = st.head()

    result = admin(sqlite_db, "add-unit", "363-02", "--force", "363", "--ward", "Phường 9")

    assert result.exit_code != 0
    assert "no ward named 'Phường 9'" in result.stderr
    assert "Phường 1 (P1)" in result.stderr and "Phường 3 (P3)" in result.stderr
    assert result.stdout == ""
    with opened(sqlite_db) as st:
        assert st.head() == head
        with st.engine.connect() as conn:
            assert conn.execute(select(s.units)).all() == []


def test_add_unit_with_no_wards_says_how_to_add_one(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    result = admin(sqlite_db, "add-unit", "363-02", "--force", "363", "--ward", "P1")
    assert result.exit_code != 0
    assert "add-ward" in result.stderr


# --- verify-log ------------------------------------------------------------------------------


def test_verify_log_names_an_altered_event(db: str) -> None:
    set_up(db)
    ok(admin(db, "verify-log"))

    tamper(db, """UPDATE events SET payload = '{"by":"someone else"}' WHERE seq = 2""")

    result = admin(db, "verify-log")
    assert result.exit_code == EXIT_BROKEN_CHAIN
    assert "THE LOG IS BROKEN at event 2" in result.stderr
    assert "event 2 was altered" in result.stderr
    assert "the log holds" not in result.stdout


def test_verify_log_names_an_event_removed_from_the_middle(db: str) -> None:
    set_up(db)
    tamper(db, "DELETE FROM events WHERE seq = 2")

    result = admin(db, "verify-log")
    assert result.exit_code == EXIT_BROKEN_CHAIN
    assert "THE LOG IS BROKEN at event 2" in result.stderr
    assert "event 2 is missing" in result.stderr


def test_verify_log_against_a_recorded_head(sqlite_db: str) -> None:
    set_up(sqlite_db)
    with opened(sqlite_db) as st:
        seq, digest, _ = st.head()
    ok(admin(sqlite_db, "verify-log", "--head", f"{seq}:{digest}"))

    wrong = "f" * 64 if digest != "f" * 64 else "e" * 64
    result = admin(sqlite_db, "verify-log", "--head", f"{seq}:{wrong}")
    assert result.exit_code == EXIT_BROKEN_CHAIN
    assert f"at event {seq}" in result.stderr
    assert "recorded head" in result.stderr

    result = admin(sqlite_db, "verify-log", "--head", "3:not-a-hash")
    assert result.exit_code == 2  # a usage error
    assert "SEQ:HASH" in result.output


def test_verify_log_with_a_recorded_head_sees_events_cut_from_the_end(sqlite_db: str) -> None:
    """Removing the last event and rewinding chain_head leaves a consistent chain; only a
    head written down earlier shows that something is gone."""
    set_up(sqlite_db)
    with opened(sqlite_db) as st:
        seq, digest, _ = st.head()
        before = {e.seq: e for e in st.iter_events()}
    tamper(sqlite_db, f"DELETE FROM events WHERE seq = {seq}")
    prev = before[seq - 1]
    conn = sqlite3.connect(str(make_url(sqlite_db).database))
    with conn:
        conn.execute(
            "UPDATE chain_head SET seq = ?, hash = ?, ts_us = ?", (prev.seq, prev.hash, prev.ts_us)
        )
    conn.close()

    ok(admin(sqlite_db, "verify-log"))  # consistent in itself
    result = admin(sqlite_db, "verify-log", "--head", f"{seq}:{digest}")
    assert result.exit_code == EXIT_BROKEN_CHAIN
    assert f"records event {seq}" in result.stderr
    assert "removed from the end" in result.stderr


# --- passwords -------------------------------------------------------------------------------


def test_set_password_replaces_it_and_unlocks(db: str) -> None:
    set_up(db)
    with opened(db) as st:
        for _ in range(4):
            with pytest.raises(WrongPassword):
                login(st, "alice", "not the password", "console-1")
        with pytest.raises(AccountLocked):
            login(st, "alice", "not the password", "console-1")
    users = json.loads(ok(admin(db, "list-users", "--json")).stdout)
    assert users[0]["locked"] is True
    assert "locked" in ok(admin(db, "list-users")).stdout
    with opened(db) as st:
        before = st.head()[0]

    result = ok(admin(db, "set-password", "alice", "--password-stdin", input="a new secret\n"))
    assert "password of alice set" in result.stdout

    assert json.loads(ok(admin(db, "list-users", "--json")).stdout)[0]["locked"] is False
    with opened(db) as st:
        new = list(st.iter_events(before))
        assert [(e.kind, e.actor, e.console, e.payload) for e in new] == [
            (ev.USER_PASSWORD_SET, CLI_ACTOR, CONSOLE, {"by": CLI_ACTOR})
        ]
        assert login(st, "alice", "a new secret", "console-1").user.name == "alice"
        with pytest.raises(WrongPassword):
            login(st, "alice", PASSWORD, "console-1")


def test_password_prompt_asks_twice(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    result = ok(
        admin(sqlite_db, "create-user", "dana", "--role", "supervisor", input=f"{PASSWORD}\n" * 2)
    )
    assert "password for dana" in result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    with opened(sqlite_db) as st:
        assert login(st, "dana", PASSWORD, "console-1").user.name == "dana"

    mismatch = admin(sqlite_db, "set-password", "dana", input=f"{PASSWORD}\nsomething else\n")
    assert mismatch.exit_code != 0  # asked again, then no more input: aborted
    assert "do not match" in mismatch.output
    with opened(sqlite_db) as st:
        assert login(st, "dana", PASSWORD, "console-1").user.name == "dana"


def test_set_password_of_a_missing_user_fails(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    result = admin(sqlite_db, "set-password", "ghost", "--password-stdin", input=PASSWORD)
    assert result.exit_code != 0
    assert "ghost does not exist" in result.stderr
    assert events(sqlite_db) == []


@pytest.mark.parametrize("weak", ["short77", "", "\n"])
def test_weak_or_missing_password_creates_no_user(db: str, weak: str) -> None:
    ok(admin(db, "init"))
    result = admin(db, "create-user", "bob", "--role", "operator", "--password-stdin", input=weak)
    assert result.exit_code != 0
    assert ("8 characters" in result.stderr) if weak.strip() else ("no password" in result.stderr)
    assert json.loads(ok(admin(db, "list-users", "--json")).stdout) == []
    assert events(db) == []


def test_weak_password_does_not_replace_a_good_one(sqlite_db: str) -> None:
    set_up(sqlite_db)
    head = events(sqlite_db)[-1]
    result = admin(sqlite_db, "set-password", "alice", "--password-stdin", input="1234567\n")
    assert result.exit_code != 0
    assert "8 characters" in result.stderr
    assert events(sqlite_db)[-1] == head
    with opened(sqlite_db) as st:
        assert login(st, "alice", PASSWORD, "console-1").user.name == "alice"


def test_unknown_role_is_a_usage_error(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    result = admin(
        sqlite_db, "create-user", "bob", "--role", "chief", "--password-stdin", input=PASSWORD
    )
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert "operator" in result.output  # lists the valid roles
    assert events(sqlite_db) == []


def test_invalid_user_name_is_refused(sqlite_db: str) -> None:
    ok(admin(sqlite_db, "init"))
    result = admin(
        sqlite_db,
        "create-user",
        "Bob Smith",
        "--role",
        "operator",
        "--password-stdin",
        input=PASSWORD,
    )
    assert result.exit_code != 0
    assert "not valid" in result.stderr
    assert events(sqlite_db) == []


def test_init_twice_and_snapshots(sqlite_db: str) -> None:
    set_up(sqlite_db)
    result = ok(admin(sqlite_db, "init"))  # already at the head: nothing to do, nothing lost
    assert f"schema {head_revision()} ready" in result.stdout
    assert len(events(sqlite_db)) == 3

    assert "1 snapshot(s) written" in ok(admin(sqlite_db, "snapshot", "--every", "2")).stdout
    assert "0 snapshot(s) written" in ok(admin(sqlite_db, "snapshot", "--every", "2")).stdout
    with opened(sqlite_db) as st, st.engine.connect() as conn:
        assert conn.execute(select(s.snapshots.c.seq)).scalars().all() == [2]
    ok(admin(sqlite_db, "verify-log"))


# --- database URLs and errors --------------------------------------------------------------


def test_commands_on_an_uninitialised_database_say_to_run_init(sqlite_db: str) -> None:
    result = admin(sqlite_db, "list-users")
    assert result.exit_code != 0
    assert "gvcommand-admin init" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_url_scheme(cli_env: Path) -> None:
    result = admin("foo://x", "init")
    assert result.exit_code != 0
    assert "unknown database URL scheme 'foo'" in result.stderr


def test_unreachable_postgresql_names_the_host_not_the_password(cli_env: Path) -> None:
    result = admin("postgresql+psycopg://u:topsecret@127.0.0.1:1/x", "init")
    assert result.exit_code != 0
    assert "127.0.0.1" in result.stderr
    assert "topsecret" not in result.output
    assert "Traceback" not in result.output
    for log in cli_env.rglob("*"):
        if log.is_file():
            assert "topsecret" not in log.read_text(errors="replace"), log


def test_gvcommand_db_is_used_when_there_is_no_db_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env = tmp_path / "env" / "from-env.sqlite"
    monkeypatch.setenv("GVCOMMAND_DB", f"sqlite:///{from_env}")

    ok(admin(None, "init"))
    ok(admin(None, "create-user", "alice", "--role", "auditor", "--password-stdin", input=PASSWORD))
    assert from_env.is_file()
    assert [u["name"] for u in json.loads(ok(admin(None, "list-users", "--json")).stdout)] == [
        "alice"
    ]
    assert_written_by_the_cli(f"sqlite:///{from_env}")

    # --db wins over the environment
    explicit = tmp_path / "explicit.sqlite"
    ok(admin(f"sqlite:///{explicit}", "init"))
    assert explicit.is_file()
    assert json.loads(ok(admin(f"sqlite:///{explicit}", "list-users", "--json")).stdout) == []


def test_the_installed_entry_point_works(tmp_path: Path, cli_env: Path) -> None:
    exe = Path(sys.executable).parent / "gvcommand-admin"
    assert exe.is_file(), "the gvcommand-admin entry point is not installed"
    env = dict(os.environ)
    env.pop("GVCOMMAND_CONSOLE")  # the console is then this machine's name
    url = f"sqlite:///{tmp_path}/sub.sqlite"

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), "--db", url, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    assert run("init").returncode == 0
    created = run("create-user", "alice", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert created.returncode == 0, created.stderr
    verified = run("verify-log")
    assert verified.returncode == 0, verified.stderr
    assert "2 events verified" in verified.stdout
    with opened(url) as st, st.engine.connect() as conn:
        hashed = conn.execute(select(s.credentials.c.password_hash)).scalar_one()
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    weak = run("create-user", "bob", "--role", "admin", "--password-stdin", stdin="weak\n")
    assert weak.returncode != 0 and "8 characters" in weak.stderr
    assert_written_by_the_cli(url, console=socket.gethostname())
