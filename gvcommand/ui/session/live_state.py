"""The console's in-memory copy of the current state, kept up to date from the change feed.

Built once from ``store.state_at()`` (snapshot + events), then every event the feed brings is
applied in sequence order; events the state already holds (the feed replays a backlog for the
event log) are skipped by their sequence number. Views listen to ``changed`` and refresh only
the kinds of entity that changed, as Anki's change flags and napari's evented models do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import SQLAlchemyError

from ...core.events import StoredEvent, split_subject
from ...core.model import Camera, Incident, Unit
from ...core.state import State, apply
from ...store.db import StoreError
from ...store.event_store import EventStore

log = logging.getLogger(__name__)


class LiveState(QObject):
    changed = Signal(object)  # frozenset of entity kinds: {"unit", "incident", …}

    def __init__(self, store: EventStore, parent: QObject | None = None, *,
                 state: State | None = None) -> None:
        """``state``: the current state as read already (the session reads it on its pool
        while the window is built); without one it is read here."""
        super().__init__(parent)
        self._store = store
        if state is None:
            state = read_state(store)
        self.state = state
        self.state.take_dirty()
        self.positions: dict[str, tuple[float, float]] = {}  # call sign → (lon, lat)

    @property
    def last_seq(self) -> int:
        return self.state.last_seq

    def apply_own(self, events: Iterable[StoredEvent]) -> frozenset[str]:
        """A command of this console committed these events (with the others' just before
        them, read on the writer thread): applied now, and a gap left is not read here, on
        the main thread: the change feed brings everything in order."""
        return self.apply_events(events, read_gaps=False)

    def apply_events(self, events: Iterable[StoredEvent], *,
                     read_gaps: bool = True) -> frozenset[str]:
        """Apply the events not yet applied, in order; emit and return the changed kinds.

        A gap (an event after the next expected one) means events were missed: they are
        read from the store first, so the state never skips a decision. The console's own
        commands bring their events here as soon as they are committed, ahead of the feed:
        the others' events before them are the gap, and the feed's copies are skipped. If
        the gap cannot be read (the database just went away), nothing after it is applied:
        the feed brings it all in order once it is back.
        """
        for event in sorted(events, key=lambda e: e.seq):
            if event.seq <= self.state.last_seq:
                continue
            if event.seq > self.state.last_seq + 1:
                if not read_gaps:
                    break
                log.debug("events %d–%d not yet applied; reading them from the store",
                          self.state.last_seq + 1, event.seq - 1)
                try:
                    missed = list(self._store.iter_events(self.state.last_seq, event.seq - 1))
                except (StoreError, SQLAlchemyError) as exc:
                    log.warning("cannot read events %d–%d: %s; the feed will bring them",
                                self.state.last_seq + 1, event.seq - 1, exc)
                    break
                for e in missed:
                    apply(self.state, e)
                if self.state.last_seq != event.seq - 1:
                    log.warning("events %d–%d are not in the store yet; the feed will bring "
                                "them", self.state.last_seq + 1, event.seq - 1)
                    break
            apply(self.state, event)
        kinds = frozenset(split_subject(subject)[0] for subject in self.state.take_dirty())
        if kinds:
            self.changed.emit(kinds)
        return kinds

    def set_positions(self, positions: dict[str, tuple[float, float]]) -> None:
        """Last known (lon, lat) per call sign (the AVL feed's job; not in the event log)."""
        self.positions = dict(positions)
        self.changed.emit(frozenset({"position"}))

    # --- what the views read ---------------------------------------------------------------
    def incidents(self) -> list[Incident]:
        return sorted(self.state.incidents.values(), key=lambda i: i.number)

    def units(self) -> list[Unit]:
        return sorted(self.state.units.values(), key=lambda u: u.call_sign)

    def cameras(self) -> list[Camera]:
        """The cameras in service (retired ones stay in the log, off the map and the wall)."""
        return sorted((c for c in self.state.cameras.values() if c.active),
                      key=lambda c: c.code)

    def complex_points(self) -> tuple[list[tuple[str, str, float, float, str]], dict[str, str]]:
        """Complex points as the map's point rows, and their status codes → labels."""
        points = sorted(getattr(self.state, "complex_points", {}).values(),
                        key=lambda p: p.code)
        rows = [(p.code, p.name, p.lon, p.lat, str(p.status)) for p in points]
        labels = {str(p.status): getattr(p.status, "label", str(p.status)) for p in points}
        return rows, labels


def read_state(store: EventStore) -> State:
    """The current state as a console keeps it (snapshot + replay); an empty one if the
    database cannot be read now (the feed then brings everything from the start)."""
    try:
        return _live(store.state_at())
    except StoreError as exc:
        log.warning("cannot read the current state: %s", exc)
        return State(keep_terminal=False)


def _live(state: State) -> State:
    """The state as a console keeps it: closed and cancelled incidents leave memory."""
    if state.keep_terminal:
        state.keep_terminal = False
        state.incidents = {k: i for k, i in state.incidents.items() if not i.status.terminal}
    return state
