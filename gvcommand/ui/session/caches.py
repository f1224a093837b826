"""What several parts of a console draw on and the database holds beside the log: the
newest road network (the map, the recommendations' road graph, the gazetteer), the places
(the gazetteer) and the boundary editions (the map's wards, the intake's ward, the
gazetteer). Each is read once, on the read pool, and again only when the log says it
changed (an import): not three times by three widgets.

The first reads are started when the session is made and waited for before the window
shows (``wait``), so the first paint has its wards and streets; later ones arrive when
they arrive, with a signal.
"""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import Future
from dataclasses import dataclass

import shapely
from PySide6.QtCore import QObject, Signal
from shapely.geometry.base import BaseGeometry

from ...core.centre_time import CENTRE_TZ
from ...geo.editions import BoundaryEdition, WardBoundary
from ...store.boundaries import load_editions
from ...store.event_store import EventStore
from ...store.places import load_places
from ...store.roads import load_roads
from .tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Road:
    name: str
    road_class: str
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str
    lon: float
    lat: float


# the log's kinds of entity each cache follows
FOLLOWS = {"roads": "road_network", "places": "place_set", "editions": "edition"}


def read_roads(store: EventStore) -> list[Road]:
    stored = load_roads(store)
    if stored is None:
        return []
    return [Road(s.name, s.road_class, shapely.from_wkb(s.wkb)) for s in stored[1]]


def read_places(store: EventStore) -> list[Place]:
    return [Place(p.name, p.kind, p.lon, p.lat) for p in load_places(store)]


def read_editions(store: EventStore) -> list[BoundaryEdition]:
    editions = []
    for record, polygons in load_editions(store):
        valid_to = dt.date.fromisoformat(record.valid_to) if record.valid_to else None
        editions.append(BoundaryEdition(
            record.name, dt.date.fromisoformat(record.valid_from), valid_to,
            tuple(WardBoundary(p.code, p.name, shapely.from_wkb(p.wkb)) for p in polygons)))
    return editions


class SharedCaches(QObject):
    """Roads, places and boundary editions, each loaded once (see the module's docstring)."""

    changed = Signal(str)  # "roads" | "places" | "editions": loaded anew

    def __init__(self, store: EventStore, tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store, self._tasks = store, tasks
        self.roads: list[Road] = []
        self.places: list[Place] = []
        self.editions: list[BoundaryEdition] = []
        self.loads = {"roads": 0, "places": 0, "editions": 0}  # reads done (tests count)
        self._first: dict[str, Future[object]] = {}
        self._generation = {"roads": 0, "places": 0, "editions": 0}

    def start(self) -> None:
        """The first reads, in parallel on the pool."""
        for name in FOLLOWS:
            self._first[name] = self.reload(name)

    def wait(self, timeout: float = 60.0) -> None:
        """Until the first reads have arrived (or failed), their results applied: the
        window's first paint draws them. Runs the main thread's queue meanwhile."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(int(timeout * 1000))
        while any(self.loads[n] == 0 and not self._failed(n) for n in self._first):
            if deadline.hasExpired():
                log.warning("shared data not read within %.0f s", timeout)
                return
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _failed(self, name: str) -> bool:
        future = self._first.get(name)
        return future is not None and future.done() and future.exception() is not None

    def follow(self, kinds: frozenset[str]) -> None:
        """The log changed these kinds of entity: read again what follows them."""
        for name, kind in FOLLOWS.items():
            if kind in kinds:
                self.reload(name)

    def reload(self, name: str) -> Future[object]:
        readers = {"roads": read_roads, "places": read_places, "editions": read_editions}
        self._generation[name] += 1
        generation = self._generation[name]
        reader = readers[name]
        return self._tasks.read(  # type: ignore[return-value]
            lambda: reader(self._store),
            lambda value: self._arrived(name, generation, value),
            lambda exc: log.warning("cannot read the %s: %s", name, exc),
            owner=self, what=f"reading the {name}")

    def _arrived(self, name: str, generation: int, value: object) -> None:
        if generation != self._generation[name]:
            return  # a newer read is on its way
        setattr(self, name, value)
        self.loads[name] += 1
        self.changed.emit(name)

    def edition_for(self, day: dt.date | None = None) -> BoundaryEdition | None:
        """The boundary edition in force on ``day`` (today in Vietnam by default)."""
        day = day if day is not None else dt.datetime.now(CENTRE_TZ).date()
        for edition in self.editions:
            if edition.valid_from <= day and (edition.valid_to is None
                                              or day <= edition.valid_to):
                return edition
        return None
