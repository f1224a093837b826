"""The console session (``ConsoleSession``): the interface's one door to the database,
the change feed, the positions and the worker threads. Nothing else in ``gvcommand.ui``
imports the store or SQLAlchemy (an import-linter contract in pyproject.toml)."""

from ...store.db import StoreError as DatabaseError
from ...store.event_store import EventStore as Database
from ...store.url import DatabaseUrl
from .caches import Place, Road, SharedCaches
from .commands import (
    DEFAULT_STALE_S,
    RETRY_MS,
    SETTINGS_STALE,
    WAITING_MARK,
    WRITER_NAME,
    ConsoleCommands,
    Waiting,
)
from .console import BACKLOG_EVENTS, ConsoleSession, IncidentHistory
from .live_state import LiveState
from .tasks import TaskRunner

__all__ = [
    "BACKLOG_EVENTS",
    "DEFAULT_STALE_S",
    "RETRY_MS",
    "SETTINGS_STALE",
    "WAITING_MARK",
    "WRITER_NAME",
    "ConsoleCommands",
    "ConsoleSession",
    "Database",
    "DatabaseError",
    "DatabaseUrl",
    "IncidentHistory",
    "LiveState",
    "Place",
    "Road",
    "SharedCaches",
    "TaskRunner",
    "Waiting",
]
