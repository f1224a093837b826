"""Carries patrol positions from the position feed's thread to the Qt main thread."""

from __future__ import annotations

import functools
import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from ...map.motion import Motion, UnitFix
from ...store.event_store import EventStore
from ...store.position_feed import PositionFeed
from ...store.positions import StoredFix

log = logging.getLogger(__name__)


class PositionsBridge(QObject):
    """Owns a :class:`PositionFeed` (≤ 10 polls a second) and re-emits what it finds; the
    signal is queued to the main thread, no Qt object is touched from the feed thread."""

    moved = Signal(list)  # list[StoredFix]: the units that moved, each with its newest fix
    availability_changed = Signal(bool, str)

    def __init__(self, store: EventStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._feed: PositionFeed | None = None

    def start(self) -> None:
        if self._feed is not None:
            return
        self._feed = PositionFeed(self._store.engine, self._on_moved,
                                  on_state=self._on_state)
        self._feed.start()
        self.destroyed.connect(functools.partial(_stop_orphaned_feed, self._feed))

    def stop(self) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.stop()

    def _on_moved(self, fixes: list[StoredFix]) -> None:  # feed thread
        self.moved.emit(list(fixes))

    def _on_state(self, ok: bool, message: str) -> None:  # feed thread
        self.availability_changed.emit(ok, message)


def _stop_orphaned_feed(feed: PositionFeed, *_args: object) -> None:
    feed.stop()


class UnitPositions(QObject):
    """Live unit positions for the map: fixes from the feed glide into place (a 10 Hz timer
    runs only while a symbol is on its way), staleness is re-checked every second.

    ``updated`` carries (positions, stale, fixes): (lon, lat) per call sign as drawn now,
    the call signs whose fix is older than twice their reporting interval, and the newest
    fix per call sign (speed, heading, accuracy, battery, time) for hover text."""

    updated = Signal(dict, frozenset, dict)
    trails_changed = Signal(dict)  # call sign → [(lon, lat)], the last minutes, oldest first
    TICK_MS = 100

    def __init__(self, store: EventStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.motion = Motion()
        self.bridge = PositionsBridge(store, self)
        self.bridge.moved.connect(self.take)
        self._timer = QTimer(self)
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._stale: frozenset[str] = frozenset()
        self._trails_dirty = False

    def start(self) -> None:
        self.bridge.start()

    def stop(self) -> None:
        self._timer.stop()
        self.bridge.stop()

    def take(self, fixes: list[StoredFix]) -> None:
        now = time.monotonic()
        for f in fixes:
            self.motion.update(f.unit, UnitFix(f.lon, f.lat, f.device_time_us, f.speed_kmh,
                                               f.heading, f.accuracy_m, f.battery_pct), now)
        self._publish()
        self._trails_dirty = True  # redrawn with the next clock tick: at most once a second
        if self.motion.gliding(now) and not self._timer.isActive():
            self._timer.start()

    def check_stale(self, now_us: int | None = None) -> None:
        """Re-check which units are stale (the window's clock calls it every second)."""
        now_us = time.time_ns() // 1000 if now_us is None else now_us
        stale = frozenset(k for k in self.motion.positions(time.monotonic())
                          if self.motion.stale(k, now_us))
        if stale != self._stale:
            self._stale = stale
            self._publish()
        if self._trails_dirty or int(now_us // 1_000_000) % 15 == 0:  # old points leave too
            self._trails_dirty = False
            self.trails_changed.emit(self.motion.trails(now_us))

    def _tick(self) -> None:
        self._publish()
        if not self.motion.gliding(time.monotonic()):
            self._timer.stop()

    def _publish(self) -> None:
        positions = self.motion.positions(time.monotonic())
        fixes = {k: self.motion.fix(k) for k in positions}
        self.updated.emit(positions, self._stale, fixes)
