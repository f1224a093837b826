"""Store fixtures: the same tests run against SQLite and a real PostgreSQL server.

PostgreSQL comes from $GVCOMMAND_TEST_PG_URL (scripts/test.sh creates a fresh database, or a
throwaway server where none runs). Each test gets its own database, copied from a migrated
template (about 60 ms), so tests see a real schema with its triggers and grants.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, Force, Role
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore

PG_ENV = "GVCOMMAND_TEST_PG_URL"

ADMIN = Actor("admin1", Role.ADMIN, "console-A")
SUPERVISOR = Actor("sup1", Role.SUPERVISOR, "console-A")
OPERATOR = Actor("op1", Role.OPERATOR, "console-A")
OPERATOR_B = Actor("op2", Role.OPERATOR, "console-B")
AUDITOR = Actor("aud1", Role.AUDITOR, "console-A")


class PgServer:
    """Makes fresh databases on the test server from a migrated template."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.base = self.url.database or "gvcommand_test"
        self.template = f"{self.base}_tpl"
        self._n = itertools.count()
        self.created: list[str] = []

    def admin_conn(self) -> psycopg.Connection:
        return psycopg.connect(self.libpq("postgres"), autocommit=True)

    def libpq(self, database: str) -> str:
        u = self.url
        parts = [f"host={u.host or '127.0.0.1'}", f"port={u.port or 5432}",
                 f"user={u.username or 'postgres'}", f"dbname={database}"]
        if u.password:
            parts.append(f"password={u.password}")
        return " ".join(parts)

    def sqlalchemy_url(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def prepare_template(self) -> None:
        with self.admin_conn() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
            conn.execute(f'CREATE DATABASE "{self.template}"')
        store = open_store(self.sqlalchemy_url(self.template), upgrade=True)
        store.engine.dispose()

    def fresh(self) -> str:
        name = f"{self.base}_{os.getpid()}_{next(self._n)}"
        with self.admin_conn() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.sqlalchemy_url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin_conn() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        with self.admin_conn() as conn:
            for name in [*self.created, self.template]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: run the tests through scripts/test.sh")
        pytest.skip(f"no PostgreSQL for tests: set {PG_ENV} (scripts/test.sh does)")
    server = PgServer(url)
    server.prepare_template()
    yield server
    server.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/gvcommand.sqlite"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.fresh()
    yield url
    server.drop(url)


@pytest.fixture
def store(db_url: str) -> Iterator[EventStore]:
    st = open_store(db_url, upgrade=True)
    yield st
    st.engine.dispose()


def seed(store: EventStore, *, wards: int = 2, units: int = 4) -> None:
    """A few wards and units, as an administrator would set them up."""
    cmds: list[c.Command] = [c.AddWard(f"P{i}", f"Phường {i}") for i in range(1, wards + 1)]
    forces = list(Force)
    cmds += [
        c.AddUnit(f"U{i}", forces[i % len(forces)], f"P{1 + i % wards}")
        for i in range(1, units + 1)
    ]
    store.execute_many(cmds, ADMIN)
