"""Seeding a database with the demo (``seed_demo``): the generated history, then the
streets, the named places and the boundary editions at the real time; idempotent, and an
interrupted run is completed by the next."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import shapely  # type: ignore[import-untyped]
from sqlalchemy import select

from ..core import commands as c
from ..core.model import Actor, Role
from ..geo import crs
from ..geo.editions import VIETNAM_TZ, BoundaryEdition
from ..store import schema
from ..store.boundaries import WardPolygon, import_edition
from ..store.db import StoreError
from ..store.event_store import GENERATED_CONSOLE, CommandResult, EventStore
from ..store.places import load_place_sets
from ..store.roads import load_networks
from . import places as demo_places
from . import roads as demo_roads
from .district import EDITION_6, build_layout
from .history import DAY_US, SETUP_LEAD_US, build_history

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``, called between batches (on the caller's thread)."""

CONSOLE = "demo-seed"
SUPERVISOR = Actor("demo:chi-huy", Role.SUPERVISOR, CONSOLE)  # what is recorded at the real time
# the generated history: the demo's actors, on the console that says the times are supplied
HISTORY_SUPERVISOR = Actor("demo:chi-huy", Role.SUPERVISOR, GENERATED_CONSOLE)
OPERATOR = Actor("demo:truc-ban", Role.OPERATOR, GENERATED_CONSOLE)
BATCH = 1000  # commands per transaction


@dataclass(frozen=True)
class DemoSummary:
    already_seeded: bool = False
    editions: int = 0
    wards: int = 0
    units: int = 0
    cameras: int = 0
    complex_points: int = 0
    incidents: int = 0
    open_incidents: int = 0
    road_segments: int = 0
    road_km: float = 0.0
    places: int = 0
    events: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.already_seeded:
            return ["the demo data is already there: nothing added"]
        return [
            f"demo boundary editions: {self.editions}", f"wards: {self.wards}",
            f"units: {self.units}", f"cameras: {self.cameras}",
            f"complex points: {self.complex_points}",
            f"incidents: {self.incidents} ({self.open_incidents} still open)",
            f"roads: {self.road_segments} segments, {self.road_km:.1f} km",
            f"named places: {self.places}",
            f"events: {self.events} in {self.seconds:.1f} s",
        ]


def _existing(store: EventStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for kind, (table, key) in schema.PROJECTIONS.items():
            out[kind] = set(conn.execute(select(table.c[key])).scalars())
    return out


def _generated_span(store: EventStore) -> tuple[int, int] | None:
    """The times of the first and the last event of generated history in the log, if any."""
    ev_ = schema.events
    with store.engine.connect() as conn:
        first = conn.execute(select(ev_.c.ts_us).where(ev_.c.console == GENERATED_CONSOLE)
                             .order_by(ev_.c.seq).limit(1)).scalar()
        last = conn.execute(select(ev_.c.ts_us).where(ev_.c.console == GENERATED_CONSOLE)
                            .order_by(ev_.c.seq.desc()).limit(1)).scalar()
    return None if first is None or last is None else (int(first), int(last))


def _batches(timed: Sequence[tuple[int, c.Command]], size: int = BATCH
             ) -> Iterator[list[tuple[int, c.Command]]]:
    """Timed commands in batches of about ``size``, cut only between two different times:
    after an interruption, the commands written are exactly those up to the log's last
    generated time."""
    batch: list[tuple[int, c.Command]] = []
    for item in timed:
        if len(batch) >= size and item[0] > batch[-1][0]:
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def seed_demo(store: EventStore, *, days: int = 365, seed: int = 7, now_us: int | None = None,
              progress: Progress | None = None) -> DemoSummary:
    """Fill ``store`` with demo data (see ``gvcommand.demo``'s docstring); idempotent.

    The district and ``days`` of incidents are generated history: recorded in time order at
    the moments they would have happened (``EventStore.import_history``), ending at
    ``now_us`` (default: the store's clock). The streets and the boundary editions follow at
    the real time. A run interrupted in the history is completed from where it stopped, as
    of the "now" it started with (read back from the log), if ``days`` and ``seed`` are the
    same."""
    started = time.perf_counter()
    existing = _existing(store)
    has_roads = demo_roads.NETWORK in {n.name for n in load_networks(store)}
    has_places = demo_places.PLACE_SET in {p.name for p in load_place_sets(store)}
    if EDITION_6 in existing["edition"]:
        if has_roads and has_places:
            return DemoSummary(already_seeded=True)
        if has_roads:  # seeded before the demo had named places: add them, and only them
            layout = build_layout(seed)
            current = layout.editions.edition_for(dt.datetime.now(VIETNAM_TZ)) \
                or layout.editions.editions[-1]
            result = demo_places.import_demo_places(store, layout, current, seed)
            return DemoSummary(places=result.events[0].payload["place_count"],
                               events=len(result.events),
                               seconds=time.perf_counter() - started)
        # seeded before the demo had streets: add them, and only them
        layout = build_layout(seed)
        result = demo_roads.import_demo_roads(store, layout.roads, layout.outline_m, seed)
        payload = result.events[0].payload
        return DemoSummary(road_segments=payload["segment_count"],
                           road_km=payload["length_km"], events=len(result.events),
                           seconds=time.perf_counter() - started)
    written_upto = -1  # generated times already in the log (an interrupted run)
    if store.head()[0] > 0:
        span = _generated_span(store)
        if span is None:
            raise StoreError(
                f"{store.url.display} already has events, and demo history can only be "
                "generated at the start of a log: use a database of its own")
        now_us = span[0] + days * DAY_US + SETUP_LEAD_US
        written_upto = span[1]
    elif now_us is None:
        now_us = store.clock_us()
    now = dt.datetime.fromtimestamp(now_us / 1e6, VIETNAM_TZ)
    layout = build_layout(seed)
    current = layout.editions.edition_for(now) or layout.editions.editions[-1]
    report = progress or (lambda phase, done, total: None)
    events = 0

    history = build_history(layout, current, seed, days, now_us)
    # the same run: its last step recorded is one of this history's (to the µs), and the
    # incidents recorded are those this history has by then
    if written_upto >= 0 and (
            now_us > store.clock_us()
            or written_upto not in {t for t, _ in [*history.setup, *history.incidents]}
            or existing["incident"] != {cmd.id for t, cmd in history.incidents
                                        if t <= written_upto
                                        and isinstance(cmd, c.CreateIncident)}):
        raise StoreError(
            f"{store.url.display} holds an interrupted demo seeding made with other settings "
            "(days, seed): delete it and start again")
    setup = [(t, cmd) for t, cmd in history.setup if t > written_upto]
    if setup:
        events += len(store.import_history(setup, HISTORY_SUPERVISOR).events)
    report("district", 1, 1)
    todo = [(t, cmd) for t, cmd in history.incidents if t > written_upto]
    total = sum(isinstance(cmd, c.CreateIncident) for _, cmd in history.incidents)
    created = len(existing["incident"])
    for batch in _batches(todo):
        events += len(store.import_history(batch, OPERATOR).events)
        created += sum(isinstance(cmd, c.CreateIncident) for _, cmd in batch)
        report("incidents", created, total)
    road_segments, road_km = 0, 0.0
    if not has_roads:  # before the editions, which mark a complete seeding
        result = demo_roads.import_demo_roads(store, layout.roads, layout.outline_m, seed)
        events += len(result.events)
        road_segments = result.events[0].payload["segment_count"]
        road_km = result.events[0].payload["length_km"]
        report("roads", 1, 1)
    places = 0
    if not has_places:
        result = demo_places.import_demo_places(store, layout, current, seed)
        events += len(result.events)
        places = result.events[0].payload["place_count"]
        report("places", 1, 1)
    made = 0
    for n, edition in enumerate(layout.editions, start=1):
        if edition.name not in existing["edition"]:
            made += 1
            events += len(_import_edition(store, edition, seed).events)
        report("boundary editions", n, len(layout.editions))

    def count(kind: type[c.Command], timed: list[tuple[int, c.Command]]) -> int:
        return sum(isinstance(cmd, kind) for _, cmd in timed)

    return DemoSummary(
        editions=made, wards=count(c.AddWard, setup), units=count(c.AddUnit, setup),
        cameras=count(c.AddCamera, setup), complex_points=count(c.AddComplexPoint, setup),
        incidents=count(c.CreateIncident, todo), open_incidents=len(history.open_ids),
        road_segments=road_segments, road_km=road_km, places=places, events=events,
        seconds=time.perf_counter() - started,
    )


def _import_edition(store: EventStore, edition: BoundaryEdition, seed: int) -> CommandResult:
    wkbs = [shapely.to_wkb(w.geometry) for w in edition.wards]
    digest = hashlib.sha256(f"gvcommand demo seed {seed}".encode())
    for wkb in wkbs:
        digest.update(wkb)
    return import_edition(
        store, name=edition.name, valid_from=edition.valid_from.isoformat(),
        valid_to=edition.valid_to.isoformat() if edition.valid_to else None,
        source_sha256=digest.hexdigest(), actor=SUPERVISOR,
        wards=[WardPolygon(w.code, w.name, crs.geodesic_area_km2(w.geometry), wkb)
               for w, wkb in zip(edition.wards, wkbs, strict=True)],
    )
