"""Database URLs: which mode, the embedded default, libpq multi-host URLs, redaction."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import platformdirs

from ..core.redact import redact

ENV_VAR = "GVCOMMAND_DB"
APP_NAME = "gvcommand"


class UrlError(ValueError):
    """The database URL cannot be used; the message says why and what would work."""


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A database URL understood by SQLAlchemy, with what the program needs to know of it."""

    sqlalchemy_url: str
    mode: str  # "sqlite" (embedded) or "postgresql" (shared centre)
    display: str  # for messages and logs: never the password

    @property
    def is_sqlite(self) -> bool:
        return self.mode == "sqlite"

    @property
    def mode_label(self) -> str:
        return "SQLite (embedded)" if self.is_sqlite else "PostgreSQL (shared)"


def default_sqlite_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "gvcommand.sqlite"


def resolve(url: str | None = None) -> DatabaseUrl:
    """The URL from ``--db``, else ``$GVCOMMAND_DB``, else the embedded SQLite default."""
    url = (url or os.environ.get(ENV_VAR) or "").strip()
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return DatabaseUrl(f"sqlite:///{path}", "sqlite", f"sqlite:///{path}")
    return parse(url)


def parse(url: str) -> DatabaseUrl:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise UrlError(
            f"'{redact(url)}' is not a database URL; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE"
        )
    scheme = scheme.lower()
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest
        if path in ("", ":memory:"):
            raise UrlError(
                "an in-memory SQLite database cannot be shared with the change feed; "
                "give a file: sqlite:///PATH"
            )
        try:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UrlError(
                f"cannot make the directory of the SQLite database {url}: {exc.strerror}"
            ) from None
        return DatabaseUrl(f"sqlite:///{Path(path).expanduser()}", "sqlite", url)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return DatabaseUrl(_postgres(rest), "postgresql", redact(url))
    raise UrlError(
        f"unknown database URL scheme '{scheme}' in '{redact(url)}': use sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST:PORT/DATABASE"
    )


def _postgres(rest: str) -> str:
    """Turn a libpq-style URL (hosts separated by commas) into SQLAlchemy's form, where
    several hosts are given as repeated ``host=`` query parameters."""
    parts = urlsplit("//" + rest)
    netloc = parts.netloc
    userinfo, _, hosts = netloc.rpartition("@")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if "," in hosts:
        host_params = [("host", h) for h in hosts.split(",") if h]
        if not host_params:
            raise UrlError("the PostgreSQL URL names no host")
        netloc = f"{userinfo}@" if userinfo else ""
        query = host_params + query
    tail = f"?{urlencode(query, safe=':/,', quote_via=quote)}" if query else ""
    return f"postgresql+psycopg://{netloc}{parts.path}{tail}"
