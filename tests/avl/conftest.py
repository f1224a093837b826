"""Fixtures for the AVL service's tests (gvcommand.avl: HTTP and MQTT ingest, simulator, the
demo's processes): the store tests' databases, SQLite and a real PostgreSQL server, each test
its own. The fixtures and helpers are those of tests/store/conftest.py; only the PostgreSQL
server is this package's own, with a template named apart from the store tests' (two
session fixtures sharing one template would drop it under each other)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ..store.conftest import (
    ADMIN,
    OPERATOR,
    PG_ENV,
    SUPERVISOR,
    PgServer,
    backend,
    db_url,
    seed,
    store,
)

__all__ = ["ADMIN", "OPERATOR", "SUPERVISOR", "backend", "db_url", "pg_server", "seed", "store"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: run the tests through scripts/test.sh")
        pytest.skip(f"no PostgreSQL for tests: set {PG_ENV} (scripts/test.sh does)")
    server = PgServer(url)
    server.base += "_avl"
    server.template = f"{server.base}_tpl"
    server.prepare_template()
    yield server
    server.drop_all()
