"""Schema migrations: concurrent first start, and a full down/up round trip."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from alembic import command as alembic_command
from sqlalchemy import inspect

from gvcommand.store import open_store
from gvcommand.store.db import _alembic_config, current_revision, head_revision, write_tx


@pytest.fixture
def empty_url(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/empty.sqlite"
    server = request.getfixturevalue("pg_server")
    name = f"{server.base}_empty_{id(tmp_path) % 100000}"
    with server.admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    return str(server.sqlalchemy_url(name))


def test_consoles_starting_together_on_a_new_database(empty_url: str) -> None:
    errors: list[BaseException] = []
    stores: list[Any] = []
    barrier = threading.Barrier(3)

    def start() -> None:
        barrier.wait()
        try:
            stores.append(open_store(empty_url, upgrade=True))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert current_revision(stores[0].engine) == head_revision()
    assert stores[0].head()[0] == 0  # exactly one chain head row, at the genesis
    for st in stores:
        st.engine.dispose()


def test_downgrade_to_nothing_and_up_again(empty_url: str) -> None:
    store = open_store(empty_url, upgrade=True)
    with write_tx(store.engine) as conn:
        alembic_command.downgrade(_alembic_config(conn), "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    store.engine.dispose()
    store = open_store(empty_url, upgrade=True)
    assert "events" in inspect(store.engine).get_table_names()
    assert store.verify().ok
    store.engine.dispose()
