"""Process-wide logging: a rotating file plus stderr, every line tagged with console and user.

Credentials never reach a log: a redaction filter on every handler masks URL passwords,
``password=`` style pairs (conninfo strings, query strings, dict reprs) and HTTP
``Authorization`` headers, in the message and in exception text alike (the redaction itself
is :func:`gvcommand.core.redact.redact`, which the store and video layers use too).

Plain Python (no Qt) so the admin CLI, the AVL service and the desktop app share it.
"""

from __future__ import annotations

import logging
import logging.handlers
import pathlib
import re
import sys
import threading
from typing import IO, Final

import platformdirs

from .core.redact import redact

__all__ = [
    "DEFAULT_BACKUP_COUNT",
    "DEFAULT_MAX_BYTES",
    "LOG_FORMAT",
    "RedactingFilter",
    "configure_logging",
    "get_log_user",
    "redact",
    "set_log_user",
]

LOG_FORMAT: Final = (
    "%(asctime)s %(levelname)s [console=%(gv_console)s user=%(gv_user)s] %(name)s: %(message)s"
)
LOG_FILE_NAME: Final = "gvcommand.log"
DEFAULT_MAX_BYTES: Final = 5 * 1024 * 1024
DEFAULT_BACKUP_COUNT: Final = 5

# Marks the handlers this module installed, so a second configure_logging() replaces them
# (even after a module reload) instead of stacking duplicates.
_OWNER_ATTR: Final = "_gvcommand_logsetup"

_lock = threading.Lock()
_console = "-"
_user: str | None = None


# --- redaction (what is masked: gvcommand.core.redact) ----------------------------------


class RedactingFilter(logging.Filter):
    """Masks credentials in a record's message, exception text and stack before formatting.

    The record is rewritten in place (message pre-rendered, ``args`` cleared, ``exc_text``
    filled in), so every handler that sees it afterwards gets the redacted version too.
    """

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format call: let the handler report it as usual
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _RedactingFormatter(logging.Formatter):
    """Second line of defence: redacts the final line, whatever put a secret in it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# --- console / user context ------------------------------------------------------------


def _clean(value: str | None) -> str:
    """One token per field, so a name cannot break the line format."""
    if value is None:
        return "-"
    value = re.sub(r"\s+", "_", value.strip())
    return value or "-"


def set_log_user(name: str | None) -> None:
    """Set the user shown on every following log line (``-`` for none). Thread-safe."""
    global _user
    with _lock:
        _user = None if name is None else _clean(name)


def get_log_user() -> str | None:
    with _lock:
        return _user


def _set_console(console: str) -> None:
    global _console
    with _lock:
        _console = _clean(console)


class _ContextFilter(logging.Filter):
    """Adds ``gv_console`` and ``gv_user`` to each record (read at emit time)."""

    def filter(self, record: logging.LogRecord) -> bool:
        with _lock:
            record.gv_console = _console
            record.gv_user = _user or "-"
        return True


# --- handlers ----------------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time (like logging.lastResort)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:  # set by StreamHandler internals; ignored
        pass


def default_log_dir() -> pathlib.Path:
    return pathlib.Path(platformdirs.user_log_dir("gvcommand", appauthor=False))


def _remove_own_handlers(root: logging.Logger) -> None:
    for handler in list(root.handlers):
        if getattr(handler, _OWNER_ATTR, False):
            root.removeHandler(handler)
            handler.close()


def configure_logging(
    console: str,
    *,
    level: str = "INFO",
    log_dir: pathlib.Path | None = None,
    stderr: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backup_count: int = DEFAULT_BACKUP_COUNT,
) -> pathlib.Path:
    """Configure the root logger for this process and return the log file's path.

    *console* names this workstation (``C1``…) on every line. Calling it again replaces the
    handlers it installed before (no duplicate lines); handlers installed by others (pytest's
    caplog, for instance) are left alone.
    """
    numeric_level = logging.getLevelName(level.upper())
    if not isinstance(numeric_level, int):
        raise ValueError(f"unknown log level: {level!r}")

    directory = log_dir if log_dir is not None else default_log_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_file = directory / LOG_FILE_NAME

    _set_console(console)
    formatter = _RedactingFormatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    ]
    if stderr:
        handlers.append(_StderrHandler())

    root = logging.getLogger()
    _remove_own_handlers(root)
    for handler in handlers:
        setattr(handler, _OWNER_ATTR, True)
        handler.addFilter(_ContextFilter())
        handler.addFilter(RedactingFilter())
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(numeric_level)
    return log_file
