"""The composition root's non-GUI steps: opening the database, demo login, arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from gvcommand import app
from gvcommand.core import events as ev
from gvcommand.core.commands import CreateUser
from gvcommand.core.model import Actor, Role
from gvcommand.store.event_store import EventStore
from gvcommand.store.url import UrlError


def test_demo_is_refused_on_postgresql() -> None:
    with pytest.raises(UrlError, match="--demo works only on an embedded SQLite") as info:
        app.open_database("postgresql+psycopg://nobody:secret@127.0.0.1:1/x", demo=True)
    assert "secret" not in str(info.value)


def test_demo_uses_its_own_database_by_default(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.delenv("GVCOMMAND_DB", raising=False)
    monkeypatch.setattr(app, "default_sqlite_path", lambda: tmp_path / "gvcommand.sqlite")
    store = app.open_database(None, demo=True)
    try:
        assert store.url.sqlalchemy_url.endswith("/demo.sqlite")
    finally:
        store.engine.dispose()


def test_demo_refuses_a_database_with_real_users(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/real.sqlite"
    store = app.open_database(url, demo=False)
    store.execute(CreateUser("lan", Role.OPERATOR), Actor("cli:root", Role.ADMIN, "C1"))
    store.engine.dispose()
    with pytest.raises(UrlError, match=r"real users \(lan\)"):
        app.open_database(url, demo=True)


def test_sqlite_is_created_and_upgraded(tmp_path: Path) -> None:
    store = app.open_database(f"sqlite:///{tmp_path}/new.sqlite", demo=False)
    try:
        assert store.head()[0] == 0
    finally:
        store.engine.dispose()


def test_demo_login_creates_the_user_once_and_records_each_login(store: EventStore) -> None:
    first = app.demo_login(store, "C9")
    second = app.demo_login(store, "C9")
    assert first == second
    assert (first.name, first.role, first.console) == ("demo", Role.SUPERVISOR, "C9")
    kinds = [(e.kind, e.actor, e.payload) for e in store.events_of("user:demo")]
    created = [k for k in kinds if k[0] == ev.USER_CREATED]
    logins = [k for k in kinds if k[0] == ev.USER_LOGIN_SUCCEEDED]
    assert len(created) == 1 and created[0][1] == "system:demo"
    assert created[0][2]["display_name"] == "Cán bộ trực (demo)"
    assert logins == [(ev.USER_LOGIN_SUCCEEDED, "demo", {"method": "demo"})] * 2


def test_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GVCOMMAND_CONSOLE", "C7")
    args = app.parse_args(["--db", "sqlite:///x.sqlite", "--demo", "--quit-after", "2.5"])
    assert (args.db, args.demo, args.console, args.lang, args.quit_after) == (
        "sqlite:///x.sqlite", True, "C7", None, 2.5)  # None: the remembered language, else vi
    monkeypatch.delenv("GVCOMMAND_CONSOLE")
    assert app.parse_args([]).console  # the host name
