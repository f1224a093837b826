"""The change feed: every console learns of every new event, in order, once.

PostgreSQL wakes the feed with LISTEN/NOTIFY; SQLite with ``PRAGMA data_version``, which
changes whenever another connection commits. Either way the feed then reads "events after
the last one I delivered", so a wake-up that is lost (a dropped connection, a notification
sent while the feed was away) costs nothing: the next read catches up, and nothing is
delivered twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from ..core.events import StoredEvent
from . import schema as s
from .event_store import EventStore

log = logging.getLogger(__name__)

EventsCallback = Callable[[list[StoredEvent]], None]
StateCallback = Callable[[bool, str], None]

SQLITE_POLL_S = 0.02
SAFETY_POLL_S = 1.0  # read even without a wake-up, in case one is lost
MAX_BACKOFF_S = 10.0


class ChangeFeed:
    """A thread that delivers events after ``after_seq`` to ``on_events`` as they commit.

    ``on_events`` and ``on_state`` run on the feed's thread: a Qt console posts them on to
    the main thread with a queued signal.
    """

    def __init__(
        self,
        store: EventStore,
        after_seq: int,
        on_events: EventsCallback,
        on_state: StateCallback | None = None,
        *,
        name: str = "gvcommand-feed",
    ) -> None:
        self.store = store
        self.last_seq = after_seq
        self._on_events = on_events
        self._on_state = on_state or (lambda ok, msg: None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.connected = False
        self.backend_pid: int | None = None  # PostgreSQL listener's server process
        self.reconnects = 0
        self.waits: list[float] = []  # each wait before a reconnection, in seconds
        self._connected_this_try = False

    def start(self) -> ChangeFeed:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("change feed did not stop within %.1f s", timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # --- the loop ---------------------------------------------------------------------------
    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            self._connected_this_try = False
            try:
                if self.store.is_postgres:
                    self._run_postgres()
                else:
                    self._run_sqlite()
                return
            except Exception as exc:  # any failure: tell, wait, reconnect, catch up
                if self._connected_this_try:
                    # it worked until now: a new loss starts the back-off again (a console
                    # that lost its database three times must not wait 10 s the fourth)
                    backoff = 0.5
                self._set_state(False, f"lost the database: {_first_line(exc)}; reconnecting")
                log.warning("change feed: %s; retrying in %.1f s", _first_line(exc), backoff)
                self.reconnects += 1
                self.waits.append(backoff)
                if self._stop.wait(backoff):
                    return
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    def _set_state(self, ok: bool, message: str) -> None:
        if ok:
            self._connected_this_try = True
        if ok != self.connected or not ok:
            self.connected = ok
            self._on_state(ok, message)

    def _catch_up(self) -> None:
        while not self._stop.is_set():
            batch = self.store.events_after(self.last_seq)
            if not batch:
                return
            # advance before the callback: a callback that raises must not cause a redelivery
            self.last_seq = batch[-1].seq
            try:
                self._on_events(batch)
            except Exception:
                log.exception("change feed subscriber failed on events %d–%d",
                              batch[0].seq, batch[-1].seq)

    def _run_sqlite(self) -> None:
        engine: Engine = self.store.engine
        with engine.connect() as conn:
            dbapi: Any = conn.connection.driver_connection
            self._catch_up()
            self._set_state(True, "connected")
            version = None
            last_read = time.monotonic()
            while not self._stop.wait(SQLITE_POLL_S):
                now_version = dbapi.execute("PRAGMA data_version").fetchone()[0]
                if now_version != version or time.monotonic() - last_read > SAFETY_POLL_S:
                    version = now_version
                    last_read = time.monotonic()
                    self._catch_up()

    def _run_postgres(self) -> None:
        raw = self.store.engine.raw_connection()
        pg: Any = raw.driver_connection
        raw.detach()  # ours alone: it stays in LISTEN mode and never returns to the pool
        try:
            pg.rollback()
            pg.autocommit = True
            pg.execute("SET application_name = 'gvcommand-feed'")
            pg.execute(f"LISTEN {s.NOTIFY_CHANNEL}")
            self.backend_pid = pg.info.backend_pid
            self._catch_up()  # after LISTEN: nothing committed from here on can be missed
            self._set_state(True, "connected")
            while not self._stop.is_set():
                woke = False
                for _ in pg.notifies(timeout=SAFETY_POLL_S, stop_after=1):
                    woke = True
                if self._stop.is_set():
                    return
                if not woke:
                    pg.execute("SELECT 1")  # notices a dead connection even when idle
                self._catch_up()
        finally:
            try:
                pg.close()  # the driver's own close: no pool reset on a dead connection
            except Exception:
                log.debug("closing the listener connection failed", exc_info=True)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
