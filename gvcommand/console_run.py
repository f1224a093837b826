"""One run of a console, from the system's side: it ends the same way however it is ended,
and the record does not keep a crashed run's camera views open for ever.

- ``TerminationWatcher``: SIGTERM, SIGINT and SIGHUP (logout, shutdown, ``kill``, Ctrl+C in
  a terminal) are turned into a Qt signal on the main thread (``signal.set_wakeup_fd`` and a
  socket notifier: Python runs its handlers only between bytecodes, and the Qt event loop
  runs none of those while it sleeps), so the console takes the path of closing the window.
- ``ConsoleRun``: while the console runs it holds a lock file named after it (so that two
  runs of one console name on one workstation know of each other) and writes, every
  ``HEARTBEAT_S``, the time it was last seen. At the next start, views its previous run
  started and never stopped (it crashed, or was killed) are closed on the record as
  "ended by a restart", with that time.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import tempfile
import time
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLockFile, QObject, QSocketNotifier, QTimer, Signal

from .core.commands import StopLiveView
from .core.model import Actor
from .store.db import StoreError
from .store.event_store import EventStore

log = logging.getLogger(__name__)

HEARTBEAT_S = 30  # how stale "last seen" may be: a crashed run's views ended within this
RESTART_REASON = "ended by a restart"
TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                    if hasattr(signal, name))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir("gvcommand", appauthor=False))


class TerminationWatcher(QObject):
    """Emits ``requested(name)`` on the main thread when the process is asked to end."""

    requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {sig: signal.signal(sig, self._on_signal) for sig in TERMINATING}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read,
                                         self)
        self._notifier.activated.connect(self._on_wakeup)

    def _on_signal(self, signum: int, _frame: object) -> None:
        """Nothing to do here: set_wakeup_fd has written the signal's number to the socket,
        which wakes the event loop. (Being a handler keeps the default, ending the process
        on the spot, from happening.)"""

    def _on_wakeup(self) -> None:
        try:
            data = self._reader.recv(64)  # one byte per signal: its number
        except OSError:
            return
        for signum in data:
            if signum in TERMINATING:
                self.requested.emit(signal.Signals(signum).name)

    def close(self) -> None:
        """Give the signals back to their previous handlers."""
        self._notifier.setEnabled(False)
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


class ConsoleRun:
    """The lock and the heartbeat of one console name on this workstation."""

    def __init__(self, console: str, folder: Path | None = None) -> None:
        self.console = console
        self.folder = folder if folder is not None else state_dir()
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", console) or "_"
        self.seen_path = self.folder / f"console-{safe}.seen"
        self._lock = QLockFile(str(self.folder / f"console-{safe}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone
        self._timer: QTimer | None = None

    def acquire(self) -> bool:
        """True if no other run of this console name lives on this workstation."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return bool(self._lock.tryLock(0))

    def last_seen_us(self) -> int | None:
        try:
            return int(self.seen_path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None

    def beat(self) -> None:
        try:  # a temporary file of its own, then an atomic rename: never half a time
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{self.seen_path.name}.",
                                       suffix=".tmp")
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(str(time.time_ns() // 1000))
            os.replace(tmp, self.seen_path)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.seen_path, exc)

    def start_heartbeat(self, parent: QObject | None = None) -> None:
        self.beat()
        self._timer = QTimer(parent)
        self._timer.setInterval(HEARTBEAT_S * 1000)
        self._timer.timeout.connect(self.beat)
        self._timer.start()

    def stop(self) -> None:
        """A clean end: the heartbeat stops, the lock is let go."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.beat()
        if self._lock.isLocked():
            self._lock.unlock()


def close_orphaned_views(store: EventStore, actor: Actor, last_seen_us: int | None) -> int:
    """Close on the record the views ``actor.console`` started and never stopped: its last
    run ended without stopping them (crashed, killed, power lost). Only for a run that holds
    the console's lock, so no live run's views are closed. Returns how many."""
    try:
        views = store.open_views(actor.console)
        if not views:
            return 0
        store.execute_many([StopLiveView(e.subject.split(":", 1)[1], e.payload["view_id"],
                                         RESTART_REASON, last_seen_us=last_seen_us)
                            for e in views], actor)
    except StoreError as exc:
        log.warning("could not close the camera views the last run left open: %s", exc)
        return 0
    seen = (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last_seen_us / 1e6))
            if last_seen_us is not None else "unknown")
    log.warning("closed %d camera view(s) the console's last run left open (last seen %s)",
                len(views), seen)
    return len(views)
