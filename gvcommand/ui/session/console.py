"""The console session: the interface's one door to the database and the threads.

One per console (per logged-in officer), made by the shell (or a test) before any window.
It owns the live state and the unit positions, the single command path, the task runner
(read pool + single writer, results handed back on the main thread) and the caches
several views share (road network, places, boundary editions). Widgets take the session
and subscribe to its signals themselves; no widget imports the store or SQLAlchemy (an
import-linter contract says so), and none starts a thread of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Signal

from ...core import events as ev
from ...core.commands import ViewTrack
from ...core.events import ChainReport, StoredEvent
from ...core.model import Actor
from ...core.state import State
from ...map.layers.tracks import TrackPoint
from ...store.event_store import EventStore
from ...store.positions import track
from ...store.url import DatabaseUrl
from .caches import SharedCaches
from .commands import ConsoleCommands
from .feed_bridge import FeedBridge
from .live_state import LiveState, read_state
from .positions import UnitPositions
from .sending import Sender
from .tasks import TaskRunner

log = logging.getLogger(__name__)

BACKLOG_EVENTS = 500  # how much history a console's event log shows when it starts
UNIT_STEPS = (ev.UNIT_EN_ROUTE, ev.UNIT_ON_SCENE)  # a unit's own events about an incident


@dataclass(frozen=True, slots=True)
class IncidentHistory:
    """An incident's events, and the en-route/on-scene events of each unit sent to it."""

    events: list[StoredEvent]
    unit_steps: dict[str, list[StoredEvent]]


class ConsoleSession(QObject):
    changed = Signal(object)  # frozenset of entity kinds (the live state's)
    events_arrived = Signal(list)  # list[StoredEvent] from the feed, for the event log
    connection_changed = Signal(bool, str)  # the feed's: connected?, its message

    def __init__(self, store: EventStore, actor: Actor, *, settings: QSettings | None = None,
                 backlog: int = BACKLOG_EVENTS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store, self.actor = store, actor
        self.settings = settings if settings is not None else QSettings("gvcommand",
                                                                        "gvcommand")
        self.tasks = TaskRunner(store, self)
        self.caches = SharedCaches(store, self.tasks, self)
        # the state and the shared data are read in parallel on the pool
        state_read = self.tasks.read(lambda: read_state(store), what="reading the state")
        self.caches.start()
        self.live = LiveState(store, self, state=state_read.result())
        self.live.changed.connect(self.changed)
        self.live.changed.connect(self.caches.follow)
        self.sender = Sender(store, actor)
        self.commands = ConsoleCommands(self.tasks, self.sender, lambda: self.live.state,
                                        self, settings=self.settings,
                                        apply=self.live.apply_own)
        self.positions = UnitPositions(store, parent=self)
        self.positions.updated.connect(self._on_positions)  # first: the others read it
        self.feed = FeedBridge(store, self._start_seq(backlog), parent=self)
        self.feed.events_arrived.connect(self._on_events)
        self.feed.connection_changed.connect(self._on_connection)
        self._started = self._stopped = False

    # --- what the views read -------------------------------------------------------------
    @property
    def state(self) -> State:
        return self.live.state

    @property
    def url(self) -> DatabaseUrl:
        return self.store.url

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until the shared data's first reads are in (the first paint draws them)."""
        self.caches.wait(timeout)

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Follow the log and the positions (idempotent; after the window's first paint)."""
        if self._started or self._stopped:
            return
        self._started = True
        self.feed.start()
        self.positions.start()

    @property
    def following(self) -> bool:
        return self.feed.running

    def stop(self) -> None:
        """Stop following, finish what was given (records are written), stop the threads;
        safe twice."""
        if self._stopped:
            return
        self._stopped = True
        self.feed.stop()
        self.positions.stop()
        self.commands.stop()
        self.tasks.stop()

    # --- reads for the views (on the pool; answers on the main thread) ---------------------
    def incident_history(self, incident_id: str, done: Callable[[IncidentHistory], None],
                         owner: QObject) -> None:
        store = self.store

        def read() -> IncidentHistory:
            events = store.events_of(ev.subject("incident", incident_id))
            first: dict[str, int] = {}
            for e in events:
                if e.kind == ev.INCIDENT_UNIT_ASSIGNED:
                    first.setdefault(str(e.payload["unit"]), e.seq)
            steps = {cs: [e for e in store.events_of(ev.subject("unit", cs), after_seq=seq,
                                                     kinds=list(UNIT_STEPS))
                          if e.payload.get("incident_id") == incident_id]
                     for cs, seq in first.items()}
            return IncidentHistory(events, steps)

        self.tasks.read(read, done, lambda exc: log.warning(
            "history of an incident not read: %s", exc), owner=owner, what="incident history")

    def read_period(self, since_us: int, until_us: int, limit: int,
                    done: Callable[[tuple[list[StoredEvent], bool]], None],
                    failed: Callable[[BaseException], None], owner: QObject) -> None:
        """The log's events in [since, until] (at most ``limit``; truncated?)."""
        store = self.store

        def read() -> tuple[list[StoredEvent], bool]:
            first, last = store.seq_at(since_us - 1), store.seq_at(until_us)
            found: list[StoredEvent] = []
            for e in store.iter_events(first, last):
                if len(found) >= limit:
                    return found, True
                found.append(e)
            return found, False

        self.tasks.read(read, done, failed, owner=owner, what="reading the log")

    def verify(self, done: Callable[[tuple[ChainReport, float]], None],
               failed: Callable[[BaseException], None], owner: QObject) -> None:
        """Recompute the hash chain (the report, seconds taken)."""
        store = self.store

        def check() -> tuple[ChainReport, float]:
            t0 = time.perf_counter()
            return store.verify(), time.perf_counter() - t0

        self.tasks.read(check, done, failed, owner=owner, what="verifying the chain")

    def load_track(self, call_sign: str, t0_us: int, t1_us: int,
                   done: Callable[[list[TrackPoint]], None],
                   failed: Callable[[BaseException], None], owner: QObject) -> None:
        """A unit's recorded track. The look is written to the log first (by the writer,
        in its turn), and without that record there is no track: where officers went is
        personal data."""
        store, actor = self.store, self.actor

        def record() -> None:
            store.execute(ViewTrack(call_sign, t0_us, t1_us), actor)

        def read() -> list[TrackPoint]:
            with store.engine.connect() as conn:
                return [TrackPoint(f.device_time_us, f.lon, f.lat)
                        for f in track(conn, [call_sign], t0_us, t1_us)]

        self.tasks.write(record, lambda _none: self.tasks.read(
            read, done, failed, owner=owner, what="reading a track"), failed, owner=owner,
            what="recording a track view")

    # --- the feed ----------------------------------------------------------------------------
    def _start_seq(self, backlog: int) -> int:
        """Where the feed starts: the state's own last event, less the backlog the event
        log shows (the state skips what it has by sequence)."""
        return max(0, self.live.state.last_seq - backlog)

    def _on_events(self, events: list[StoredEvent]) -> None:
        self.events_arrived.emit(events)
        self.live.apply_events(events)

    def _on_positions(self, positions: dict[str, tuple[float, float]], *_rest: object) -> None:
        self.live.positions = positions

    def _on_connection(self, connected: bool, message: str) -> None:
        self.connection_changed.emit(connected, message)
        if connected:
            self.commands.retry_now()  # the database is back: what waits goes now
