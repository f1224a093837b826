"""Generated demo data (gvcommand.demo): the district, its ward history, and a month of
incidents recorded as generated history (each step at the time it would have happened), seeded
through commands into SQLite and PostgreSQL; and `gvcommand-admin seed-demo`.

One seeding per backend serves the read-only checks (module-scoped fixture); "now" is fixed at
2025-07-10 21:30 so that the 30 days cross the change from 12 to 6 wards.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from gvcommand.admin import cli
from gvcommand.analysis import shift_report
from gvcommand.analysis.gazetteer import POI, Gazetteer
from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.model import (
    Actor,
    CameraOwner,
    ComplexPointStatus,
    Force,
    Incident,
    IncidentStatus,
    IncidentType,
    PlaceSet,
    RoadNetwork,
    Role,
    UnitStatus,
)
from gvcommand.core.state import UNIT_KIND_STATUS, replay
from gvcommand.demo import places as demo_places
from gvcommand.demo import roads as demo_roads
from gvcommand.demo import seed as demo_seed
from gvcommand.demo.district import EDITION_6, EDITION_12, EDITION_16, DemoLayout, build_layout
from gvcommand.demo.history import DAY_US, MIN_OPEN, SETUP_LEAD_US, build_history
from gvcommand.demo.roster import DRILL_UNIT
from gvcommand.demo.seed import DemoSummary, seed_demo
from gvcommand.geo import crs
from gvcommand.geo.editions import VIETNAM_TZ, BoundaryEdition, EditionSet, WardBoundary
from gvcommand.store import open_store
from gvcommand.store.boundaries import load_editions, verify_polygons
from gvcommand.store.db import StoreError
from gvcommand.store.event_store import GENERATED_CONSOLE, EventStore
from gvcommand.store.places import load_place_sets, load_places, verify_places
from gvcommand.store.roads import load_networks, load_roads, verify_roads

PG_ENV = "GVCOMMAND_TEST_PG_URL"
NOW = dt.datetime(2025, 7, 10, 21, 30, tzinfo=VIETNAM_TZ)
NOW_US = int(NOW.timestamp()) * 1_000_000
DAYS = 30
_numbers = itertools.count()


# --- databases ---------------------------------------------------------------------------------


def _libpq(url: str, database: str) -> str:
    u = make_url(url)
    parts = [f"host={u.host or '127.0.0.1'}", f"port={u.port or 5432}",
             f"user={u.username or 'postgres'}", f"dbname={database}"]
    return " ".join([*parts, f"password={u.password}"] if u.password else parts)


def _new_database(kind: str, tmp: Path) -> Iterator[str]:
    """An empty database of ``kind``; PostgreSQL ones are dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/demo-{next(_numbers)}.sqlite"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: run the tests through scripts/test.sh")
        pytest.skip(f"no PostgreSQL for tests: set {PG_ENV} (scripts/test.sh does)")
    name = f"{make_url(base).database or 'gvcommand_test'}_demo_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(_libpq(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(base, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[EventStore, DemoSummary]]:
    for url in _new_database(request.param, tmp_path_factory.mktemp("demo")):
        store = open_store(url, upgrade=True)
        summary = seed_demo(store, days=DAYS, now_us=NOW_US)
        yield store, summary
        store.engine.dispose()


@pytest.fixture(scope="module")
def layout() -> DemoLayout:
    return build_layout(7)


def _editions(store: EventStore) -> EditionSet:
    return EditionSet(
        BoundaryEdition(e.name, dt.date.fromisoformat(e.valid_from),
                        dt.date.fromisoformat(e.valid_to) if e.valid_to else None,
                        tuple(WardBoundary(w.code, w.name, shapely.from_wkb(w.wkb)) for w in wards))
        for e, wards in load_editions(store)
    )


def _occurred(inc: Incident) -> dt.datetime:
    return dt.datetime.fromtimestamp(inc.occurred_us / 1e6, VIETNAM_TZ)


def _incidents(store: EventStore) -> list[Incident]:
    return list(store.projections().incidents.values())


# --- the district ------------------------------------------------------------------------------


def test_three_editions_of_one_district(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, summary = seeded
    editions = _editions(store)
    assert [(e.name, len(e.wards), str(e.valid_from), str(e.valid_to)) for e in editions] == [
        (EDITION_16, 16, "2015-01-01", "2024-12-31"),
        (EDITION_12, 12, "2025-01-01", "2025-06-30"),
        (EDITION_6, 6, "2025-07-01", "None"),
    ]
    assert summary.editions == 3
    names16 = {w.name for w in editions.editions[0].wards}
    assert names16 == {f"Phường {n}" for n in (1, *range(3, 18))}  # no Phường 2
    assert {w.code for w in editions.editions[1].wards} == (
        {w.code for w in editions.editions[0].wards} - {"P4", "P7", "P9", "P13"})
    assert {w.name for w in editions.editions[2].wards} == {
        "An Nhơn", "An Hội Đông", "An Hội Tây", "Gò Vấp", "Hạnh Thông", "Thông Tây Hội"}
    areas = [e.area_km2() for e in editions]
    assert 17 < areas[0] < 23  # about Gò Vấp's 19.7 km²
    for area in areas[1:]:
        assert area == pytest.approx(areas[0], rel=1e-3)
    outlines = [shapely.unary_union([w.geometry for w in e.wards]) for e in editions]
    for edition, outline in zip(editions, outlines, strict=True):
        assert outline.geom_type == "Polygon"  # contiguous, one piece
        assert len(outline.interiors) == 0  # no gaps between wards
        assert outline.symmetric_difference(outlines[0]).area < 1e-4 * outline.area
        geoms = edition.projected_geometries()  # metres
        for a, b in itertools.combinations(geoms, 2):
            assert a.intersection(b).area < 1.0  # m²: wards meet, never overlap
        for ward in edition.wards:
            assert ward.geometry.geom_type == "Polygon"
    lon0, lat0, lon1, lat1 = outlines[0].bounds
    assert 106.63 < lon0 < lon1 < 106.71 and 10.80 < lat0 < lat1 < 10.87
    assert verify_polygons(store) == []


def test_every_edition_ward_is_a_ward(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, _ = seeded
    state = store.projections()
    codes = {w.code for e in _editions(store) for w in e.wards}
    assert set(state.wards) == codes
    assert len(codes) == 16 + 6  # the 12 wards of 2025 keep the codes of the 16


def test_layout_is_deterministic(layout: DemoLayout) -> None:
    again = build_layout(7)
    for a, b in zip(layout.editions, again.editions, strict=True):
        assert [shapely.to_wkb(w.geometry) for w in a.wards] == [
            shapely.to_wkb(w.geometry) for w in b.wards]
    assert again.hotspots == layout.hotspots
    other = build_layout(8)
    assert other.hotspots != layout.hotspots


# --- incidents ---------------------------------------------------------------------------------


def test_incidents_are_in_the_ward_of_their_day(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    store, summary = seeded
    editions = _editions(store)
    incidents = _incidents(store)
    assert len(incidents) == summary.incidents
    assert 25 * DAYS * 0.8 < len(incidents) < 25 * DAYS * 1.2
    used = collections.Counter()
    for inc in incidents:
        when = _occurred(inc)
        assert NOW - dt.timedelta(days=DAYS) <= when < NOW
        assert inc.occurred_us < inc.created_us  # happened, then reported
        ward = editions.ward_at(inc.lon, inc.lat, when)
        assert ward is not None
        assert inc.ward == ward.code, (inc.number, when, inc.ward, ward.code)
        used[editions.edition_for(when).name] += 1  # type: ignore[union-attr]
    assert set(used) == {EDITION_12, EDITION_6}  # the 30 days cross 2025-07-01


def test_the_old_wards_before_2025(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/old.sqlite", upgrade=True)
    now = dt.datetime(2025, 1, 3, 12, tzinfo=VIETNAM_TZ)
    seed_demo(store, days=6, now_us=int(now.timestamp()) * 1_000_000)
    editions = _editions(store)
    used = set()
    for inc in _incidents(store):
        ward = editions.ward_at(inc.lon, inc.lat, _occurred(inc))
        assert ward is not None and inc.ward == ward.code
        used.add(editions.edition_for(_occurred(inc)).name)  # type: ignore[union-attr]
    assert used == {EDITION_16, EDITION_12}
    # units serve the wards in force "now": the 12 of 2025
    assert {u.home_ward for u in store.projections().units.values()
            if u.force is Force.PHUONG} == {w.code for w in editions.editions[1].wards}
    store.engine.dispose()


def test_type_mix_and_hours(seeded: tuple[EventStore, DemoSummary]) -> None:
    incidents = _incidents(seeded[0])
    by_type = collections.Counter(inc.type for inc in incidents)
    assert by_type.most_common(1)[0][0] is IncidentType.THEFT
    share = {t: n / len(incidents) for t, n in by_type.items()}
    assert 0.24 < share[IncidentType.THEFT] < 0.40
    assert share[IncidentType.SNATCH_THEFT] > share[IncidentType.ROBBERY]
    assert share.get(IncidentType.ROBBERY, 0) < 0.05
    assert set(by_type) >= set(IncidentType) - {IncidentType.ROBBERY}
    racing = [_occurred(i).hour for i in incidents if i.type is IncidentType.GATHERING_RACING]
    night = sum(h >= 22 or h <= 3 for h in racing)
    assert night / len(racing) > 0.7  # tụ tập / đua xe: at night
    hours = [_occurred(i).hour for i in incidents]
    evening = sum(18 <= h <= 23 for h in hours) / len(hours)
    early = sum(3 <= h <= 6 for h in hours) / len(hours)
    assert evening > 0.35 and early < 0.12  # 6 (4) of 24 hours would be 0.25 (0.17)
    by_priority = collections.defaultdict(list)
    for inc in incidents:
        by_priority[inc.type].append(inc.priority)
    assert set(by_priority[IncidentType.ROBBERY]) <= {1}
    assert min(by_priority[IncidentType.THEFT]) >= 3
    sources = collections.Counter(i.source.value for i in incidents)
    assert sources["camera"] > 0.05 * len(incidents)


def test_incidents_cluster_around_hotspots(
    seeded: tuple[EventStore, DemoSummary], layout: DemoLayout,
) -> None:
    incidents = _incidents(seeded[0])
    x, y = crs.from_wgs84(crs.VN2000_TM3_HCMC, np.array([i.lon for i in incidents]),
                          np.array([i.lat for i in incidents]))
    nearest = np.min([np.hypot(x - h.x, y - h.y) for h in layout.hotspots], axis=0)
    assert 0.5 <= float(np.mean(nearest < 500)) <= 0.7
    assert len(layout.hotspots) == 8
    outline = layout.outline
    assert all(outline.intersects(shapely.Point(i.lon, i.lat)) for i in incidents)


def test_lifecycles_end_with_units_available(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, summary = seeded
    state = store.projections()
    statuses = collections.Counter(i.status for i in state.incidents.values())
    assert statuses[IncidentStatus.CLOSED] > 0.9 * len(state.incidents)
    assert 0 < statuses[IncidentStatus.CANCELLED] < 0.1 * len(state.incidents)
    still_open = [i for i in state.incidents.values() if not i.status.terminal]
    assert 4 <= len(still_open) == summary.open_incidents <= 8
    assert {i.status for i in still_open} >= {IncidentStatus.NEW, IncidentStatus.ON_SCENE}
    assert all(NOW - _occurred(i) < dt.timedelta(hours=12) for i in still_open)
    busy = {u.call_sign: u.incident_id for u in state.units.values()
            if u.status is not UnitStatus.AVAILABLE}
    assert set(busy.values()) <= {i.id for i in still_open}
    assert len(busy) < len(state.units) / 2
    closed = next(i for i in state.incidents.values() if i.status is IncidentStatus.CLOSED)
    kinds = [e.kind for e in store.events_of(f"incident:{closed.id}")]
    assert kinds[0] == "incident.created" and "incident.unit_assigned" in kinds


# --- the history: when things happened ----------------------------------------------------------

MINUTE_US = 60_000_000


def _generated(store: EventStore) -> tuple[list[ev.StoredEvent], list[ev.StoredEvent]]:
    events = list(store.iter_events())
    n = sum(e.console == GENERATED_CONSOLE for e in events)
    return events[:n], events[n:]


def _incident_times(store: EventStore) -> dict[str, dict[str, int]]:
    """Per incident: when it was received and first reached each status."""
    out: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for e in _generated(store)[0]:
        ident = ev.split_subject(e.subject)[1]
        if e.kind == ev.INCIDENT_CREATED:
            out[ident]["received"] = e.ts_us
        elif e.kind == ev.INCIDENT_STATUS_CHANGED:
            out[ident].setdefault(e.payload["to"], e.ts_us)
    return out


def test_the_history_is_recorded_in_time_order(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    """The district an hour before the first day, then every step at its moment; then the
    streets, the named places and the boundary editions at the real time (after 2025: "now"
    here is fixed)."""
    store, summary = seeded
    generated, later = _generated(store)
    assert all(e.console != GENERATED_CONSOLE for e in later)  # one span, at the start
    times = [e.ts_us for e in generated + later]
    assert times == sorted(times)
    assert generated[0].ts_us == NOW_US - DAYS * DAY_US - SETUP_LEAD_US
    assert generated[0].kind == ev.WARD_ADDED and generated[-1].ts_us < NOW_US
    assert {e.actor for e in generated} == {"demo:chi-huy", "demo:truc-ban"}
    assert {e.kind for e in later} == {ev.ROAD_NETWORK_IMPORTED, ev.PLACES_IMPORTED,
                                       ev.BOUNDARY_EDITION_IMPORTED}
    assert all(e.ts_us > NOW_US + 100 * DAY_US for e in later)
    days = {dt.datetime.fromtimestamp(e.ts_us / 1e6, VIETNAM_TZ).date() for e in generated}
    assert len(days) >= DAYS
    assert summary.events == len(generated) + len(later)


def test_every_incident_moves_forward_in_time(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    store, _ = seeded
    incidents = {i.id: i for i in _incidents(store)}
    order = ["received", "dispatched", "en-route", "on-scene", "cleared", "closed"]
    timed = _incident_times(store)
    assert set(timed) == set(incidents)
    for inc_id, times in timed.items():
        reached = [times[k] for k in order if k in times]
        assert reached == sorted(reached), (incidents[inc_id].number, times)
        assert list(times) == [k for k in order if k in times] or "cancelled" in times
        assert incidents[inc_id].occurred_us < times["received"]
        if "dispatched" in times:  # 1–5 min by priority, longer only if every unit was out
            assert times["dispatched"] - times["received"] >= MINUTE_US
        if "closed" in times:
            assert times["closed"] - times["on-scene"] >= 10 * MINUTE_US  # on scene ≥ 10 min
            assert times["closed"] - times["on-scene"] <= 75 * MINUTE_US
    closed = [t for t in timed.values() if "closed" in t]
    assert len(closed) > 0.9 * len(timed)


def test_no_unit_is_on_two_incidents_at_once(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    """Each unit: dispatched only when free, then en route (20 s – 3 min later), on scene (at
    least the minute to park later), free again when its incident is cleared."""
    store, _ = seeded
    on: dict[str, tuple[str, int]] = {}  # unit → (incident, since)
    status: dict[str, UnitStatus] = {}
    trips = 0
    for e in _generated(store)[0]:
        if e.kind not in ev.UNIT_STATUS_KINDS:
            continue
        unit, to = ev.split_subject(e.subject)[1], UNIT_KIND_STATUS[e.kind]
        if to is UnitStatus.DISPATCHED:
            assert unit not in on, (unit, on.get(unit))
            on[unit] = (e.payload["incident_id"], e.ts_us)
            trips += 1
        elif to in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE):
            incident, since = on[unit]
            assert e.payload["incident_id"] == incident
            gap = e.ts_us - since
            if to is UnitStatus.EN_ROUTE:
                assert 20_000_000 <= gap <= 3 * MINUTE_US
            else:
                assert status[unit] is UnitStatus.EN_ROUTE and gap >= 45_000_000
            on[unit] = (incident, e.ts_us)
        else:
            assert to is UnitStatus.AVAILABLE
            on.pop(unit)
        status[unit] = to
    dispatched = sum("dispatched" in times for times in _incident_times(store).values())
    assert trips > dispatched  # some incidents take two units


def test_a_shift_report_of_a_demo_day_has_real_response_times(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    store, _ = seeded
    for night in (False, True):
        start, end = shift_report.shift_bounds(NOW - dt.timedelta(days=2), night=night)
        report = shift_report.build(store, int(start.timestamp() * 1e6),
                                    int(end.timestamp() * 1e6))
        assert report.received >= 5
        stats = report.intervals
        for key, low_s, high_s in (("received_dispatched", 60, 300),
                                   ("dispatched_en_route", 20, 180),
                                   ("en_route_on_scene", 60, 20 * 60),
                                   ("received_on_scene", 3 * 60, 25 * 60)):
            assert stats[key].count >= 0.8 * report.received, key
            assert stats[key].median_s is not None and stats[key].p90_s is not None
            assert low_s <= stats[key].median_s <= stats[key].p90_s <= 2 * high_s, (
                key, stats[key])
        shares = []
        for times in report.unit_time_s.values():
            assert sum(times.values()) == pytest.approx(12 * 3600)
            shares.append(times.get(UnitStatus.AVAILABLE, 0) / (12 * 3600))
        assert len(shares) == 21
        assert 0.5 < sum(shares) / len(shares) < 0.99  # busy some of the time, not all of it


def test_drills_are_answered_by_the_drill_unit_and_one_is_under_way(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    """Weekly drills and one under way now, all marked as drills and answered by the drill
    unit alone; it never answers a real call; the shift report leaves them out."""
    store, _ = seeded
    state = store.projections()
    drill_unit = state.unit(DRILL_UNIT)
    assert drill_unit is not None and drill_unit.exercise
    assert [u.call_sign for u in state.units.values() if u.exercise] == [DRILL_UNIT]
    drills = {i.id for i in state.incidents.values() if i.exercise}
    assert DAYS // 7 <= len(drills) <= DAYS // 7 + 2
    assert all(state.incidents[i].summary.startswith("Diễn tập: ") for i in drills)
    sent = [(e.payload["incident_id"], ev.split_subject(e.subject)[1])
            for e in store.iter_events() if e.kind == ev.UNIT_DISPATCHED]
    assert {unit for inc, unit in sent if inc in drills} == {DRILL_UNIT}
    assert all(unit != DRILL_UNIT for inc, unit in sent if inc not in drills)
    [now_drill] = [i for i in drills if not state.incidents[i].status.terminal]
    assert NOW_US - state.incidents[now_drill].created_us < 30 * MINUTE_US
    start, end = NOW_US - 7 * 86_400_000_000, NOW_US
    real = shift_report.build(store, start, end)
    both = shift_report.build(store, start, end, include_exercise=True)
    assert both.received == real.received + sum(
        start <= state.incidents[i].created_us < end for i in drills)


def test_the_open_incidents_are_in_their_stage_recently(
    seeded: tuple[EventStore, DemoSummary],
) -> None:
    """What the board shows right after the demo starts: work of the last hour, not hours
    overdue."""
    store, _ = seeded
    state = store.projections()
    still_open = [i for i in state.incidents.values() if not i.status.terminal]
    assert len(still_open) >= MIN_OPEN
    for inc in still_open:
        assert 0 < NOW_US - inc.status_since_us < 60 * MINUTE_US, inc.number
        assert 0 < NOW_US - inc.created_us < 2 * 60 * MINUTE_US, inc.number
    assert len({i.status for i in still_open}) >= 2
    busy = [u for u in state.units.values() if u.status is not UnitStatus.AVAILABLE]
    for unit in busy:
        assert 0 < NOW_US - unit.status_since_us < 60 * MINUTE_US, unit.call_sign
        assert unit.status is not UnitStatus.DISPATCHED or (
            NOW_US - unit.status_since_us <= 3 * MINUTE_US)  # the board's overdue limit


def test_a_quiet_hour_still_leaves_work_on_the_board(layout: DemoLayout) -> None:
    """At 04:30 the simulated centre has next to nothing in hand: a few calls of different
    types, received minutes before "now", are added so that the live board has work."""
    now = dt.datetime(2025, 7, 10, 4, 30, tzinfo=VIETNAM_TZ)
    now_us = int(now.timestamp()) * 1_000_000
    current = layout.editions.edition_for(now)
    assert current is not None
    history = build_history(layout, current, 7, 3, now_us)
    assert len(history.open_ids) == MIN_OPEN
    created = {cmd.id: (t, cmd.type) for t, cmd in history.incidents
               if isinstance(cmd, c.CreateIncident)}
    fresh = [created[i] for i in history.open_ids if now_us - created[i][0] < 15 * MINUTE_US]
    assert len(fresh) >= 2 and len({kind for _, kind in fresh}) == len(fresh)
    times = [t for t, _ in history.incidents]
    assert times == sorted(times) and times[-1] < now_us
    assert history.setup[0][0] == now_us - 3 * DAY_US - SETUP_LEAD_US
    again = build_history(layout, current, 7, 3, now_us)  # deterministic
    assert again.incidents == history.incidents


def test_a_used_log_is_refused(tmp_path: Path) -> None:
    """Generated history goes only at the start of a log: it cannot go back in time."""
    store = open_store(f"sqlite:///{tmp_path}/used.sqlite", upgrade=True)
    store.execute(c.AddWard("P1", "Phường 1"), Actor("admin1", Role.ADMIN, "desk"))
    with pytest.raises(StoreError, match="already has events"):
        seed_demo(store, days=2, now_us=NOW_US)
    assert store.head()[0] == 1
    store.engine.dispose()


def test_units_cameras_and_complex_points(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, summary = seeded
    state = store.projections()
    forces = collections.Counter(u.force for u in state.units.values())
    assert set(forces) == set(Force)
    assert forces[Force.PHUONG] == 6  # one patrol per ward in force (2025-07-10: six)
    assert {u.home_ward for u in state.units.values() if u.force is Force.PHUONG} == {
        "an-nhon", "an-hoi-dong", "an-hoi-tay", "go-vap", "hanh-thong", "thong-tay-hoi"}
    assert summary.units == len(state.units)
    cameras = list(state.cameras.values())
    assert 100 <= len(cameras) == summary.cameras <= 140
    assert set(c.owner for c in cameras) == set(CameraOwner)
    for cam in cameras:
        assert cam.fov_deg is not None and 60 <= cam.fov_deg <= 110
        assert cam.range_m is not None and 40 <= cam.range_m <= 150
        assert cam.azimuth_deg is not None and 0 <= cam.azimuth_deg < 360
        assert cam.ward in state.wards
    points = list(state.complex_points.values())
    assert 20 <= len(points) == summary.complex_points <= 30
    resolved = [p for p in points if p.status is ComplexPointStatus.RESOLVED]
    assert 1 <= len(resolved) <= len(points) // 3
    assert all(p.ward in state.wards and p.note for p in points)
    # every unit carries a simulated phone, the only devices the simulator drives
    assert {d.device_id: d.unit for d in state.devices.values() if d.active} == {
        f"sim-{u}": u for u in state.units}


# --- the log -----------------------------------------------------------------------------------


def test_plausible_streets(seeded: tuple[EventStore, DemoSummary],
                           layout: DemoLayout) -> None:
    """The synthetic roads are stored as a road network: the named main roads, alleys
    numbered off them (Hẻm 120 Quang Trung, Hẻm 120/5 Quang Trung), all in the district."""
    store, summary = seeded
    loaded = load_roads(store)
    assert loaded is not None
    network, segments = loaded
    assert network.name == demo_roads.NETWORK
    assert (summary.road_segments, summary.road_km) == (network.segment_count,
                                                        network.length_km)
    assert verify_roads(store) == []
    by_name = {s.name: s for s in segments}
    assert set(layout.roads) <= set(by_name)  # every main road of the layout
    assert by_name["Quang Trung"].road_class == "primary"
    classes = collections.Counter(s.road_class for s in segments)
    assert classes["residential"] > 150 and classes["service"] > 150  # alleys and branches
    assert 150 < network.length_km < 400  # the real district has about 300 km of ways
    alleys = [s.name for s in segments if s.road_class == "residential"]
    assert all(n is not None and n.startswith("Hẻm ") for n in alleys)
    road = alleys[0].split(" ", 2)[2]
    assert road in layout.roads
    outline = layout.outline.buffer(1e-4)
    geoms = [shapely.from_wkb(s.wkb) for s in segments]
    assert all(g.geom_type in ("LineString", "MultiLineString") for g in geoms)
    assert all(outline.contains(g) for g in geoms)
    # alleys start on the road they are named after (within a few metres)
    main = {name: crs.transform_geometry(g, crs.WGS84, crs.VN2000_TM3_HCMC)
            for name, g in ((s.name, shapely.from_wkb(s.wkb)) for s in segments)
            if name in layout.roads}
    first = next(s for s in segments if s.road_class == "residential")
    start = crs.transform_geometry(shapely.Point(shapely.from_wkb(first.wkb).coords[0]),
                                   crs.WGS84, crs.VN2000_TM3_HCMC)
    assert main[first.name.split(" ", 2)[2]].distance(start) < 1.0
    # the same seed makes the same streets
    again = demo_roads.road_segments(layout.roads, layout.outline_m, layout.seed)
    assert again == segments


def test_an_old_demo_database_gets_its_streets(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path}/old.sqlite", upgrade=True)
    with monkeypatch.context() as m:  # seeded as before the demo had streets
        m.setattr(demo_seed, "load_networks", lambda _store: [
            RoadNetwork(demo_roads.NETWORK, "0" * 64, 1, 1.0, "0" * 64)])
        seed_demo(store, days=2, now_us=NOW_US)
    assert load_networks(store) == []
    head = store.head()[0]
    added = seed_demo(store, days=2, now_us=NOW_US)
    assert not added.already_seeded and added.road_segments > 500
    assert (added.incidents, added.units, added.editions) == (0, 0, 0)
    assert store.head()[0] == head + 1
    assert [n.name for n in load_networks(store)] == [demo_roads.NETWORK]
    assert seed_demo(store, days=2, now_us=NOW_US).already_seeded
    store.engine.dispose()


def test_named_places_for_the_gazetteer(seeded: tuple[EventStore, DemoSummary],
                                        layout: DemoLayout) -> None:
    store, summary = seeded
    places = load_places(store)
    assert summary.places == len(places) >= 40 and verify_places(store) == []
    # every hotspot (markets, parks…), and each ward of the edition in force has its
    # People's Committee and police station inside it
    names = {p.name: p for p in places}
    assert {h.name for h in layout.hotspots} <= set(names)
    current = layout.editions.editions[-1]
    for ward in current.wards:
        for prefix, kind in (("UBND phường", "townhall"), ("Công an phường", "police")):
            place = names[f"{prefix} {ward.name}"]
            assert place.kind == kind
            assert ward.geometry.contains(shapely.Point(place.lon, place.lat))
    assert all(layout.outline.buffer(0.001).contains(shapely.Point(p.lon, p.lat))
               for p in places)
    g = Gazetteer()
    g.add_places((p.name, p.kind, p.lon, p.lat) for p in places)
    [market] = [p for p in g.search("cho go vap") if p.kind == POI]
    assert (market.name, market.detail) == ("Chợ Gò Vấp", "marketplace")


def test_an_old_demo_database_gets_its_places(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path}/old.sqlite", upgrade=True)
    with monkeypatch.context() as m:  # seeded as before the demo had named places
        m.setattr(demo_seed, "load_place_sets", lambda _store: [
            PlaceSet(demo_places.PLACE_SET, "0" * 64, 1, "0" * 64)])
        seed_demo(store, days=2, now_us=NOW_US)
    assert load_place_sets(store) == []
    head = store.head()[0]
    added = seed_demo(store, days=2, now_us=NOW_US)
    assert not added.already_seeded and added.places >= 40
    assert store.head()[0] == head + 1
    assert [p.name for p in load_place_sets(store)] == [demo_places.PLACE_SET]
    assert seed_demo(store, days=2, now_us=NOW_US).already_seeded
    store.engine.dispose()


def test_projections_equal_a_replay(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, summary = seeded
    assert store.verify().ok
    assert replay(store.iter_events()).comparable() == store.projections().comparable()
    assert store.head()[0] == summary.events


def test_a_second_run_adds_nothing(seeded: tuple[EventStore, DemoSummary]) -> None:
    store, _ = seeded
    head = store.head()
    again = seed_demo(store, days=DAYS, now_us=NOW_US)
    assert again.already_seeded
    assert again.events == 0
    assert store.head() == head


def test_an_interrupted_run_is_completed_by_the_next(tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def stop_in_incidents(phase: str, done: int, total: int) -> None:
        if phase == "incidents":
            raise Stop

    now_us = NOW_US
    broken = open_store(f"sqlite:///{tmp_path}/broken.sqlite", upgrade=True)
    with pytest.raises(Stop):
        seed_demo(broken, days=12, now_us=now_us, progress=stop_in_incidents)
    assert broken.projections().editions == {}  # the editions mark a complete seeding
    first = len(broken.projections().incidents)
    assert first > 0
    for other in ({"days": 11}, {"days": 12, "seed": 8}):  # not the run that was interrupted
        with pytest.raises(StoreError, match="interrupted demo seeding"):
            seed_demo(broken, **other)  # type: ignore[arg-type]
    resumed = seed_demo(broken, days=12)  # as of the "now" it began with, from the log
    assert not resumed.already_seeded and resumed.incidents > 0
    assert resumed.incidents + first == len(broken.projections().incidents)
    clean = open_store(f"sqlite:///{tmp_path}/clean.sqlite", upgrade=True)
    seed_demo(clean, days=12, now_us=now_us)

    def content(store: EventStore) -> set[tuple[object, ...]]:
        return {(i.id, i.type, i.lon, i.lat, i.occurred_us, i.ward, i.status)
                for i in store.projections().incidents.values()}

    assert content(broken) == content(clean)
    # the same history, event for event: the same times, and so the same chain
    assert [(e.ts_us, e.hash) for e in _generated(broken)[0]] == [
        (e.ts_us, e.hash) for e in _generated(clean)[0]]
    units = [{**u, "status_since_us": 0} for u in broken.projections().comparable()["units"]]
    assert units == [{**u, "status_since_us": 0}
                     for u in clean.projections().comparable()["units"]]
    for store in (broken, clean):
        assert store.verify().ok
        store.engine.dispose()


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Platform dirs (logs) inside tmp_path, and the root logger as it was before the CLI
    configured it."""
    monkeypatch.delenv("GVCOMMAND_DB", raising=False)
    monkeypatch.setenv("GVCOMMAND_CONSOLE", "test-desk")
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_cli_seed_demo(kind: str, tmp_path: Path, cli_env: None) -> None:
    runner = CliRunner()
    for url in _new_database(kind, tmp_path):
        assert runner.invoke(cli, ["--db", url, "init"]).exit_code == 0
        result = runner.invoke(cli, ["--db", url, "seed-demo", "--days", "10"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert "wards: 22" in lines and "units: 22" in lines
        assert any(line.startswith("roads: ") and line.endswith(" km") for line in lines)
        assert any(line.startswith("incidents: ") and "still open" in line for line in lines)
        assert any(line.startswith("cameras: ") for line in lines)
        store = open_store(url, upgrade=False)
        assert len(store.projections().incidents) == int(
            next(x for x in lines if x.startswith("incidents: ")).split()[1])
        store.engine.dispose()
        again = runner.invoke(cli, ["--db", url, "seed-demo", "--days", "10"])
        assert again.exit_code == 0 and "already" in again.stdout
        # a database with real users is a real centre's: its log would keep demo data forever
        runner.invoke(cli, ["--db", url, "create-user", "lan", "--role", "operator",
                            "--password-stdin"], input="correct horse\n")
        refused = runner.invoke(cli, ["--db", url, "seed-demo", "--days", "1", "--seed", "8"])
        assert refused.exit_code == 1
        assert "has users (lan)" in refused.stderr
