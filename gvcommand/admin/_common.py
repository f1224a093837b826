"""What every gvcommand-admin command shares: the context that opens the database, the actor
the commands act as, and the one way an error the operator can fix is reported (a line on
stderr and an exit code)."""

from __future__ import annotations

import getpass
import os
import socket
import sys
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy import select

from ..core.errors import DomainError
from ..core.model import Actor, Role
from ..store import open_store, schema
from ..store.auth import AuthError
from ..store.db import StoreError
from ..store.event_store import EventStore
from ..store.url import UrlError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_REFUSED = 1
EXIT_BROKEN_CHAIN = 3


def console() -> str:
    return os.environ.get("GVCOMMAND_CONSOLE") or socket.gethostname()


def actor() -> Actor:
    try:
        who = getpass.getuser()
    except Exception:
        who = str(os.getuid())
    return Actor(f"cli:{who}", Role.ADMIN, console())


def clear_errors(func: F) -> F:
    """Turn the errors an operator can fix into one line on stderr and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UrlError, StoreError, DomainError, AuthError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_REFUSED)

    return wrapper  # type: ignore[return-value]


def refuse(message: object) -> NoReturn:
    """``error: …`` on stderr, exit 1 (what clear_errors does for the errors it knows)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_REFUSED)


class AdminContext:
    """``ctx.obj`` of every command: the database named by --db, opened when first needed."""

    def __init__(self, db: str | None) -> None:
        self.db = db
        self._store: EventStore | None = None

    def store(self, *, upgrade: bool = False) -> EventStore:
        if self._store is None:
            self._store = open_store(self.db, upgrade=upgrade)
        return self._store


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form ("Phường 1" ~ "phuong 1")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def find_ward(store: EventStore, name: str) -> str:
    """The code of the ward named ``name`` (by code or name, diacritics optional)."""
    with store.engine.connect() as conn:
        wards = conn.execute(select(schema.wards.c.code, schema.wards.c.name)).all()
    for code, ward_name in wards:
        if fold(name) in (fold(code), fold(ward_name)):
            return str(code)
    known = ", ".join(f"{n} ({c})" for c, n in wards) or "none yet: use add-ward"
    raise DomainError(f"no ward named '{name}'; known wards: {known}")
