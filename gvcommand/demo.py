"""Generated demo data: a synthetic Gò Vấp with wards, units, cameras, complex points and a
year of incidents, deterministic from a seed.

Everything here is DEMO data. Street and place names sound real, but the district outline,
the ward boundaries, the roads (stored as a road network, see ``demo_roads``) and every
incident are synthetic (no file is read): nothing may be mistaken for police records. All of
it enters through commands, like any officer's work, so the log, the projections and a replay
agree.

The district and the incidents are generated history: a simulated centre (``_Centre``) works
through the calls of ``days`` days in time order, all incidents interleaved, and each command
is recorded at the moment it would have happened (``EventStore.import_history``), so the
shift report's response times, the units' time by status and a replay at any moment are
believable. Those events carry the console ``generated-history`` (no live console may use
it) and the demo's actors (``demo:…``): the log says which times were supplied. The streets
and the boundary editions are recorded after them, at the real time.

The ward history follows the real one: 16 wards until 2024-12-31, 12 from 2025-01-01
(Phường 4, 7, 9 and 13 merged into neighbours), 6 from 2025-07-01. The editions are
imported last: their presence marks a complete seeding (a second run adds nothing), and an
interrupted run is completed by running again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import math
import os
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely  # type: ignore[import-untyped]
from shapely.geometry import LineString, MultiPoint, Point, Polygon  # type: ignore[import-untyped]
from sqlalchemy import select

from . import demo_places, demo_roads
from .analysis import routing
from .core import commands as c
from .core.model import (
    Actor,
    CameraOwner,
    CameraVendor,
    ComplexPointStatus,
    Force,
    IncidentSource,
    IncidentType,
    Role,
    UnitStatus,
)
from .geo import crs
from .geo.editions import VIETNAM_TZ, BoundaryEdition, EditionSet, WardBoundary
from .store import schema
from .store.boundaries import WardPolygon, import_edition
from .store.db import StoreError
from .store.event_store import GENERATED_CONSOLE, CommandResult, EventStore
from .store.places import load_place_sets
from .store.roads import load_networks

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``, called between batches (on the caller's thread)."""

EDITION_16 = "Gò Vấp 16 phường (demo)"
EDITION_12 = "Gò Vấp 12 phường (demo)"
EDITION_6 = "Gò Vấp 6 phường (demo)"
CONSOLE = "demo-seed"
SUPERVISOR = Actor("demo:chi-huy", Role.SUPERVISOR, CONSOLE)  # what is recorded at the real time
# the generated history: the demo's actors, on the console that says the times are supplied
HISTORY_SUPERVISOR = Actor("demo:chi-huy", Role.SUPERVISOR, GENERATED_CONSOLE)
OPERATOR = Actor("demo:truc-ban", Role.OPERATOR, GENERATED_CONSOLE)
BATCH = 1000  # commands per transaction
DAY_US = 86_400_000_000
SETUP_LEAD_US = 3_600_000_000  # the district is recorded an hour before the first day
_ID_NAMESPACE = uuid.UUID("5b0d7c7e-3c1a-4f4e-9a57-6f1d2a9e0c11")
_METRIC = crs.VN2000_TM3_HCMC
_CENTRE = (106.668, 10.836)
OLD_NUMBERS = (1, *range(3, 18))  # Phường 1, 3, 4, …, 17: there is no Phường 2
MERGED_2025 = (4, 7, 9, 13)
NEW_WARDS = ("An Hội Đông", "An Nhơn", "Gò Vấp", "Hạnh Thông", "Thông Tây Hội", "An Hội Tây")
HOTSPOT_SHARE = 0.6
HOTSPOT_SIGMA_M = 300.0
INCIDENTS_PER_DAY = 25.0

# name, direction (degrees, counter-clockwise from east), offset from the centre (m)
_ROADS = (
    ("Quang Trung", 150, 0), ("Nguyễn Oanh", 88, -350), ("Phan Văn Trị", 55, 700),
    ("Lê Đức Thọ", 95, -1600), ("Nguyễn Văn Lượng", 80, -900), ("Phạm Văn Đồng", 100, 1700),
    ("Nguyễn Kiệm", 115, 1100), ("Lê Văn Thọ", 8, 900), ("Thống Nhất", 172, -600),
    ("Dương Quảng Hàm", 20, -1500), ("Phan Huy Ích", 160, 1500), ("Nguyễn Văn Nghi", 35, -100),
)
_HOTSPOTS = (
    ("Chợ Hạnh Thông Tây", 1.6), ("Chợ Gò Vấp", 1.4), ("Ngã sáu Nguyễn Văn Nghi", 1.2),
    ("Công viên Làng hoa", 1.0), ("Khu vực siêu thị Phan Văn Trị", 1.0),
    ("Chợ An Nhơn", 0.9), ("Khu ký túc xá Nguyễn Văn Lượng", 0.8), ("Bến xe buýt Thống Nhất", 0.7),
)

T = IncidentType
_TYPE_WEIGHTS = {T.THEFT: 32, T.SNATCH_THEFT: 16, T.PUBLIC_DISORDER: 13, T.TRAFFIC_ACCIDENT: 12,
                 T.FIGHT: 9, T.GATHERING_RACING: 8, T.OTHER: 8, T.ROBBERY: 2}
_WEEKEND_TYPES = {T.PUBLIC_DISORDER, T.FIGHT, T.GATHERING_RACING}
_WEEKDAY_FACTOR = (0.92, 0.92, 0.95, 0.97, 1.05, 1.15, 1.10)  # Monday … Sunday
_EVENING = (3, 2, 1.5, 1, 1, 1.5, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 8, 10, 10, 9, 7, 4)
_HOURS: dict[IncidentType, tuple[float, ...]] = {
    T.THEFT: (3, 3, 3, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 7, 6, 5, 4),
    T.SNATCH_THEFT: _EVENING,
    T.ROBBERY: (4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5),
    T.PUBLIC_DISORDER: (5, 4, 2, 1, .5, .5, .5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 2, 2, 3, 5, 7, 9,
                        10, 10, 8),
    T.FIGHT: (4, 3, 2, 1, .5, .5, .5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 2, 2, 3, 5, 7, 9, 10, 9, 7),
    T.GATHERING_RACING: (10, 10, 8, 6, 2, .3, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .2, .3,
                         .5, 1, 2, 5, 9),
    T.TRAFFIC_ACCIDENT: (1, 1, .5, .5, 1, 2, 4, 8, 7, 4, 3, 3, 3, 3, 3, 4, 6, 8, 8, 6, 4, 3, 2,
                         1.5),
    T.OTHER: (1, .5, .5, .5, .5, 1, 2, 3, 4, 5, 5, 5, 4, 4, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1),
}
# (priority, probability of one step more urgent)
_PRIORITY = {T.ROBBERY: (1, 0), T.SNATCH_THEFT: (2, .2), T.FIGHT: (2, .15),
             T.GATHERING_RACING: (2, 0), T.TRAFFIC_ACCIDENT: (2, .25), T.PUBLIC_DISORDER: (3, .1),
             T.THEFT: (4, .7), T.OTHER: (4, .3)}
S = IncidentSource
_SOURCES = {
    T.THEFT: {S.REPORT: 45, S.PHONE: 45, S.CAMERA: 5, S.PATROL: 5},
    T.SNATCH_THEFT: {S.PHONE: 75, S.CAMERA: 15, S.PATROL: 10},
    T.PUBLIC_DISORDER: {S.PHONE: 65, S.CAMERA: 15, S.PATROL: 20},
    T.GATHERING_RACING: {S.CAMERA: 35, S.PATROL: 35, S.PHONE: 30},
    T.FIGHT: {S.PHONE: 70, S.CAMERA: 15, S.PATROL: 15},
    T.TRAFFIC_ACCIDENT: {S.PHONE: 60, S.CAMERA: 30, S.PATROL: 10},
    T.ROBBERY: {S.PHONE: 90, S.REPORT: 10},
    T.OTHER: {S.PHONE: 60, S.REPORT: 40},
}
F = Force
_FORCES = {
    T.ROBBERY: {F.TO_363: 50, F.HINH_SU: 50}, T.SNATCH_THEFT: {F.TO_363: 60, F.HINH_SU: 30,
                                                               F.PHUONG: 10},
    T.THEFT: {F.PHUONG: 60, F.HINH_SU: 25, F.TO_363: 15},
    T.PUBLIC_DISORDER: {F.PHUONG: 50, F.DAN_QUAN: 30, F.TO_363: 20},
    T.GATHERING_RACING: {F.TO_363: 60, F.DAN_QUAN: 40}, T.FIGHT: {F.TO_363: 50, F.PHUONG: 50},
    T.TRAFFIC_ACCIDENT: {F.PHUONG: 60, F.TO_363: 40}, T.OTHER: {F.PHUONG: 70, F.DAN_QUAN: 30},
}
_SUMMARIES = {
    T.THEFT: ("Mất trộm xe máy dựng trước nhà", "Trộm điện thoại tại quán cà phê",
              "Đột nhập nhà dân lấy tài sản", "Trộm cắp tại cửa hàng tiện lợi"),
    T.SNATCH_THEFT: ("Cướp giật điện thoại người đi đường", "Cướp giật túi xách, đối tượng "
                     "đi xe máy", "Giật dây chuyền người đi bộ"),
    T.ROBBERY: ("Cướp tài sản có dùng hung khí", "Khống chế cướp xe máy"),
    T.PUBLIC_DISORDER: ("Nhậu say gây ồn ào, la hét", "Gây rối trật tự tại quán karaoke",
                        "Hát karaoke gây ồn sau 22 giờ"),
    T.GATHERING_RACING: ("Nhóm thanh thiếu niên tụ tập, nẹt pô", "Đua xe trái phép trên tuyến "
                         "đường", "Tụ tập đông người, nghi chuẩn bị đua xe"),
    T.FIGHT: ("Xô xát giữa hai nhóm thanh niên", "Đánh nhau sau khi nhậu", "Mâu thuẫn, đánh "
              "nhau trong hẻm"),
    T.TRAFFIC_ACCIDENT: ("Va chạm giữa xe máy và ô tô", "Tai nạn xe máy, một người bị thương",
                         "Va chạm giao thông gây ùn tắc"),
    T.OTHER: ("Phát hiện người có biểu hiện nghi vấn", "Tin báo cháy nhỏ, đã dập tắt",
              "Tìm người thân đi lạc", "Tin báo tranh chấp dân sự"),
}
_DISPOSITIONS = {
    T.THEFT: "Lập biên bản, chuyển Đội Cảnh sát điều tra", T.SNATCH_THEFT: "Truy xét, "
    "chuyển Đội Cảnh sát hình sự", T.ROBBERY: "Chuyển Đội Cảnh sát hình sự thụ lý",
    T.PUBLIC_DISORDER: "Nhắc nhở, lập biên bản vi phạm hành chính",
    T.GATHERING_RACING: "Giải tán, tạm giữ phương tiện", T.FIGHT: "Hòa giải tại chỗ, lập biên bản",
    T.TRAFFIC_ACCIDENT: "Bàn giao Cảnh sát giao thông", T.OTHER: "Đã xác minh, xử lý xong",
}
# The centre's timings (minutes). Happened → received, by how the centre learns of it (a
# report at the station comes hours later); received → dispatched by priority;
# dispatched → en route (low, high, mode); en route → on scene comes from the distance;
# on scene (low, high, mode) by type; cleared → closed (the report written).
_TOLD_AFTER_MIN = {S.PATROL: (0.5, 2.0), S.CAMERA: (1.0, 5.0), S.PHONE: (1.5, 15.0),
                   S.REPORT: (30.0, 240.0)}
_DISPATCH_MIN = {1: (1.0, 2.0), 2: (1.0, 3.0), 3: (1.5, 4.0), 4: (2.5, 5.0)}
_EN_ROUTE_MIN = (1 / 3, 3.0, 0.75)
_ON_SCENE_MIN = {T.THEFT: (15, 50, 25), T.SNATCH_THEFT: (15, 45, 20), T.ROBBERY: (25, 60, 35),
                 T.PUBLIC_DISORDER: (10, 35, 15), T.GATHERING_RACING: (10, 30, 12),
                 T.FIGHT: (15, 45, 20), T.TRAFFIC_ACCIDENT: (20, 60, 30),
                 T.OTHER: (10, 40, 15)}
_CLOSE_AFTER_MIN = (2.0, 15.0)
BACK_ON_PATROL_MIN = 45.0  # a unit free this long patrols its own area again
PATROL_SIGMA_M = 500.0
MIN_OPEN = 4  # the live board at "now" has at least this many open incidents
_FRESH_AGES_MIN = (0.7, 9.5, 3.5, 13.5)  # received this long before "now", if need be
DRILL_UNIT = "363-DT"
# a drill every week (Wednesday morning), and one under way at "now" so that the live map
# and board show what a drill looks like
_DRILL_WEEKDAY, _DRILL_HOUR = 2, 9
_DRILL_NOW_AGO_MIN = 25.0
_DRILL_KINDS = (IncidentType.SNATCH_THEFT, IncidentType.ROBBERY, IncidentType.FIGHT,
                IncidentType.TRAFFIC_ACCIDENT)
_CANCEL_REASONS = ("Báo tin sai sự thật", "Trùng tin báo đã tiếp nhận", "Người báo tự giải quyết")


@dataclass(frozen=True)
class Hotspot:
    name: str
    lon: float
    lat: float
    weight: float
    x: float  # EPSG:9210 metres
    y: float


@dataclass
class DemoLayout:
    """The synthetic district: everything except the incidents (which depend on "now")."""

    seed: int
    outline: Polygon  # WGS84
    editions: EditionSet
    roads: dict[str, shapely.Geometry]  # metres (EPSG:9210)
    hotspots: list[Hotspot]
    outline_m: Polygon = field(repr=False)


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


# --- the district -------------------------------------------------------------------------


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"gvcommand-demo:{seed}:{part}")


def _to_lonlat(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = crs.to_wgs84(_METRIC, np.asarray(x, float), np.asarray(y, float))
    return np.round(lon, 7), np.round(lat, 7)


def _outline(rng: random.Random) -> Polygon:
    """A blob of about 20 km² centred where Gò Vấp is, in metres."""
    cx, cy = crs.from_wgs84(_METRIC, *_CENTRE)
    harmonics = [(k, a, rng.uniform(0, 2 * math.pi)) for k, a in ((2, .05), (3, .06), (5, .03))]
    points = []
    for i in range(128):
        t = 2 * math.pi * i / 128
        r = 1 + sum(a * math.cos(k * t + phase) for k, a, phase in harmonics)
        points.append((cx + 2650 * r * math.cos(t), cy + 2350 * r * math.sin(t)))
    return Polygon(points)


def _seed_points(rng: random.Random, outline: Polygon, n: int, min_gap: float) -> list[Point]:
    inner = outline.buffer(-300)
    x0, y0, x1, y1 = inner.bounds
    found: list[Point] = []
    while len(found) < n:
        p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if inner.contains(p) and all(p.distance(q) >= min_gap for q in found):
            found.append(p)
    return found


def _voronoi(seeds: list[Point], outline: Polygon) -> list[Polygon]:
    """Each seed's cell clipped to the outline, as a planar partition: neighbouring cells
    share their border vertices exactly (noded linework, polygonised), so merges are clean."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(500))
    lines = shapely.unary_union([*(g.boundary for g in cells.geoms), outline.boundary])
    faces = [f for f in shapely.polygonize(list(shapely.get_parts(lines))).geoms
             if outline.contains(f.representative_point())]
    owner = [min(range(len(seeds)), key=lambda i: seeds[i].distance(f.representative_point()))
             for f in faces]
    return [shapely.unary_union([f for f, o in zip(faces, owner, strict=True) if o == i])
            for i in range(len(seeds))]


def _slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "-".join(plain.split())


def _shared(a: shapely.Geometry, b: shapely.Geometry) -> float:
    return float(a.boundary.intersection(b.boundary).length)


def _merge_16_to_12(wards: dict[int, Polygon]) -> dict[int, Polygon]:
    merged = dict(wards)
    for gone in MERGED_2025:
        into = max((n for n in merged if n not in MERGED_2025),
                   key=lambda n: _shared(wards[gone], merged[n]))
        merged[into] = shapely.unary_union([merged[into], wards[gone]])
        del merged[gone]
    return merged


def _pairs(wards: dict[int, Polygon]) -> list[tuple[int, int]]:
    """The 12 wards as 6 pairs of neighbours, the pair areas as even as possible."""
    codes = sorted(wards)
    touching = {a: [b for b in codes if b != a and _shared(wards[a], wards[b]) > 1e-6]
                for a in codes}
    best: tuple[float, list[tuple[int, int]]] | None = None

    def search(left: list[int], chosen: list[tuple[int, int]]) -> None:
        nonlocal best
        if not left:
            areas = [wards[a].area + wards[b].area for a, b in chosen]
            spread = max(areas) - min(areas)
            if best is None or spread < best[0]:
                best = (spread, list(chosen))
            return
        first = left[0]
        for other in touching[first]:
            if other in left:
                search([x for x in left if x not in (first, other)], [*chosen, (first, other)])

    search(codes, [])
    if best is None:  # has not happened for the seeds tried; a clear error if it ever does
        raise RuntimeError("the 12 demo wards cannot be paired into neighbours; "
                           "try another seed")
    return best[1]


def build_layout(seed: int = 7) -> DemoLayout:
    """The synthetic district for ``seed``: outline, three editions, roads and hotspots."""
    rng = _rng(seed, "district")
    outline_m = _outline(rng)
    seeds = _seed_points(rng, outline_m, 16, 700)
    for _ in range(4):  # Lloyd relaxation: wards of similar size
        seeds = [cell.centroid for cell in _voronoi(seeds, outline_m)]
    cells = _voronoi(seeds, outline_m)
    # numbered in rows of about 1.2 km, from the north-west
    order = sorted(range(16), key=lambda i: (round(-seeds[i].y / 1200), seeds[i].x))
    to_wgs = [crs.transform_geometry(cells[i], _METRIC, crs.WGS84) for i in order]
    old = dict(zip(OLD_NUMBERS, to_wgs, strict=True))
    twelve = _merge_16_to_12(old)
    groups = [shapely.unary_union([twelve[a], twelve[b]]) for a, b in _pairs(twelve)]
    middle = shapely.unary_union(groups).centroid
    # named clockwise from the north
    groups.sort(key=lambda g: math.degrees(
        math.atan2(g.centroid.x - middle.x, g.centroid.y - middle.y)) % 360)
    editions = EditionSet([
        BoundaryEdition(EDITION_16, dt.date(2015, 1, 1), dt.date(2024, 12, 31), tuple(
            WardBoundary(f"P{n}", f"Phường {n}", g) for n, g in old.items())),
        BoundaryEdition(EDITION_12, dt.date(2025, 1, 1), dt.date(2025, 6, 30), tuple(
            WardBoundary(f"P{n}", f"Phường {n}", g) for n, g in twelve.items())),
        BoundaryEdition(EDITION_6, dt.date(2025, 7, 1), None, tuple(
            WardBoundary(_slug(name), name, g) for name, g in zip(NEW_WARDS, groups, strict=True))),
    ])
    roads = {}
    cx, cy = crs.from_wgs84(_METRIC, *_CENTRE)
    for name, angle, offset in _ROADS:
        a = math.radians(angle + rng.uniform(-6, 6))
        ox, oy = cx - offset * math.sin(a), cy + offset * math.cos(a)
        line = LineString([(ox - 8000 * math.cos(a), oy - 8000 * math.sin(a)),
                           (ox + 8000 * math.cos(a), oy + 8000 * math.sin(a))])
        clipped = line.intersection(outline_m)
        if not clipped.is_empty:
            roads[name] = clipped
    spots: list[Point] = []
    for p, _names in sorted(_crossings(roads, outline_m), key=lambda cr: rng.random()):
        if outline_m.buffer(-500).contains(p) and all(p.distance(q) > 1000 for q in spots):
            spots.append(p)
    while len(spots) < len(_HOTSPOTS):  # markets away from the big crossings, if need be
        q = _seed_points(rng, outline_m, 1, 0)[0]
        if all(q.distance(s) > 800 for s in spots):
            spots.append(q)
    lon, lat = _to_lonlat([p.x for p in spots], [p.y for p in spots])
    hotspots = [Hotspot(name, float(lon[i]), float(lat[i]), weight, spots[i].x, spots[i].y)
                for i, (name, weight) in enumerate(_HOTSPOTS)]
    outline = shapely.unary_union([w.geometry for w in editions.editions[0].wards])
    return DemoLayout(seed, outline, editions, roads, hotspots, outline_m)


def _crossings(roads: dict[str, shapely.Geometry],
               outline_m: Polygon) -> list[tuple[Point, tuple[str, str]]]:
    inner = outline_m.buffer(-80)
    found = []
    for (na, a), (nb, b) in itertools.combinations(roads.items(), 2):
        for p in shapely.get_parts(a.intersection(b)):
            if isinstance(p, Point) and inner.contains(p):
                found.append((p, (na, nb)))
    return found


# --- seeding ------------------------------------------------------------------------------


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


SIM_PREFIX = "sim-"  # gvcommand.avl.simulate drives only these devices


def seed_demo(store: EventStore, *, days: int = 365, seed: int = 7, now_us: int | None = None,
              progress: Progress | None = None) -> DemoSummary:
    """Fill ``store`` with demo data (see the module's docstring); idempotent.

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

    history = _history(layout, current, seed, days, now_us)
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
            events += len(_import(store, edition, seed).events)
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


def _import(store: EventStore, edition: BoundaryEdition, seed: int) -> CommandResult:
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


# --- what is in the district ------------------------------------------------------------------


def _units(current: BoundaryEdition) -> list[c.AddUnit]:
    codes = [w.code for w in current.wards]
    units = [c.AddUnit(f"363-{i:02d}", Force.TO_363, codes[(i - 1) % len(codes)])
             for i in range(1, 7)]
    units += [c.AddUnit(f"HS-{i:02d}", Force.HINH_SU) for i in range(1, 4)]
    units += [c.AddUnit(f"CAP-{code}", Force.PHUONG, code) for code in codes]
    units += [c.AddUnit(f"DQ-{i:02d}", Force.DAN_QUAN, codes[(i - 1) % len(codes)])
              for i in range(1, 7)]
    # the unit the centre trains with: on drills only (diễn tập), never sent to a real call
    units += [c.AddUnit(DRILL_UNIT, Force.TO_363, codes[0], exercise=True)]
    return units


class _Places:
    """Addresses, bearings and wards of points in the synthetic district (metres in)."""

    def __init__(self, layout: DemoLayout, current: BoundaryEdition) -> None:
        self.layout, self.current = layout, current
        self.names = list(layout.roads)
        self.lines = [layout.roads[n] for n in self.names]
        shapely.prepare(layout.outline_m)

    def inside(self, x: float, y: float) -> bool:
        return bool(shapely.contains_xy(self.layout.outline_m, x, y))

    def addresses(self, rng: random.Random, x: Sequence[float], y: Sequence[float]) -> list[str]:
        points = shapely.points(np.asarray(x, float), np.asarray(y, float))
        dist = np.stack([shapely.distance(points, line) for line in self.lines])
        nearest = dist.argmin(axis=0)
        out = []
        for i, p in enumerate(points):
            road = int(nearest[i])
            house = 2 + 2 * int(self.lines[road].project(p) / 12) + rng.randint(0, 1)
            name = self.names[road]
            out.append(f"{house} {name}" if dist[road, i] < 40
                       else f"{house}/{rng.randint(1, 60)} {name}")
        return out

    def on_road(self, rng: random.Random) -> tuple[float, float, float]:
        """A point beside a road, and the road's bearing there (degrees from north)."""
        while True:
            line = rng.choice(self.lines)
            p = line.interpolate(rng.uniform(0, line.length))
            q = line.interpolate(min(line.length, line.project(p) + 5))
            bearing = math.degrees(math.atan2(q.x - p.x, q.y - p.y)) % 360
            side = rng.choice((-12, 12))
            x = p.x + side * math.cos(math.radians(bearing))
            y = p.y - side * math.sin(math.radians(bearing))
            if self.inside(x, y):
                return x, y, bearing

    def near(self, rng: random.Random, x0: float, y0: float, sigma: float) -> tuple[float, float]:
        while True:
            x, y = rng.gauss(x0, sigma), rng.gauss(y0, sigma)
            if self.inside(x, y):
                return x, y

    def anywhere(self, rng: random.Random) -> tuple[float, float]:
        x0, y0, x1, y1 = self.layout.outline_m.bounds
        while True:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if self.inside(x, y):
                return x, y

    def lonlat_wards(self, x: Sequence[float], y: Sequence[float]
                     ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        lon, lat = _to_lonlat(x, y)
        return lon, lat, [self.current.wards[i].code for i in self.current.ward_indices(lon, lat)]


DEMO_RTSP_PORT_ENV = "GVCOMMAND_DEMO_RTSP_PORT"
DEFAULT_DEMO_RTSP_PORT = 8554
"""The demo's cameras are generic ones streaming from the demo's loopback RTSP server
(gvcommand.video.rtsp_server): camera N at /camNNN (main) and /camNNN/sub, on the port this
variable says when the demo is seeded."""


def demo_rtsp_port() -> int:
    text = os.environ.get(DEMO_RTSP_PORT_ENV, "").strip()
    if not text:
        return DEFAULT_DEMO_RTSP_PORT
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise StoreError(f"${DEMO_RTSP_PORT_ENV}={text!r} is not a TCP port (1–65535)")
    return int(text)


def _cameras(layout: DemoLayout, current: BoundaryEdition, total: int = 120) -> list[c.AddCamera]:
    port = demo_rtsp_port()
    rng = _rng(layout.seed, "cameras")
    places = _Places(layout, current)
    # (x, y, bearing, kind, label): police at the main crossings, then ward and private ones
    spots: list[tuple[float, float, float, CameraOwner, str]] = []
    for p, (a, b) in sorted(_crossings(layout.roads, layout.outline_m),
                            key=lambda cr: (round(cr[0].y), round(cr[0].x))):
        for road in (a, b):
            label = f"Ngã tư {a} – {b} (hướng {road})"
            line = layout.roads[road]
            q = line.interpolate(line.project(p) + 5)
            bearing = math.degrees(math.atan2(q.x - p.x, q.y - p.y)) % 360
            spots.append((p.x + 6, p.y + 6, (bearing + rng.choice((0, 180))) % 360,
                          CameraOwner.POLICE, label))
    spots = spots[: total // 3]
    wards = {w.code: w.name for w in current.wards}
    while len(spots) < total:
        owner = CameraOwner.WARD if len(spots) < total * 0.7 else CameraOwner.PRIVATE
        if rng.random() < 0.5:
            spot = rng.choices(layout.hotspots, [h.weight for h in layout.hotspots])[0]
            x, y = places.near(rng, spot.x, spot.y, 300)
            bearing = rng.uniform(0, 360)
        else:
            x, y, bearing = places.on_road(rng)
        spots.append((x, y, bearing, owner, ""))
    xs, ys = [s[0] for s in spots], [s[1] for s in spots]
    lon, lat, codes = places.lonlat_wards(xs, ys)
    addresses = places.addresses(rng, xs, ys)
    prefix = {CameraOwner.POLICE: "CS", CameraOwner.WARD: "PH", CameraOwner.PRIVATE: "TN"}
    counters = dict.fromkeys(prefix, 0)
    cameras = []
    for i, (_x, _y, bearing, owner, label) in enumerate(spots):
        counters[owner] += 1
        if owner is CameraOwner.WARD:
            label = f"Camera {wards[codes[i]]} – {addresses[i]}"
        elif owner is CameraOwner.PRIVATE:
            label = f"{rng.choice(('Camera nhà dân', 'Camera cửa hàng'))} – {addresses[i]}"
        stream = f"rtsp://127.0.0.1:{port}/cam{i + 1:03d}"
        cameras.append(c.AddCamera(
            f"{prefix[owner]}-{counters[owner]:03d}", label, float(lon[i]), float(lat[i]), owner,
            codes[i], round(bearing, 1), float(rng.randrange(60, 111, 5)),
            float(rng.randrange(40, 151, 10)), vendor=CameraVendor.GENERIC,
            main_url=stream, sub_url=f"{stream}/sub", address=addresses[i],
        ))
    return cameras


_POINT_KINDS = (
    ("Cổng {spot}", "Cướp giật điện thoại, túi xách của khách đi chợ buổi tối"),
    ("Hẻm {address}", "Trộm cắp xe máy, đột nhập nhà dân"),
    ("Khu quán nhậu gần {spot}", "Gây rối, đánh nhau sau khi nhậu"),
    ("Đoạn đường {road}", "Thanh thiếu niên tụ tập, đua xe, nẹt pô ban đêm"),
    ("Bãi giữ xe khu vực {spot}", "Trộm cắp xe máy, phụ tùng"),
)
_SETTLED = "Đã lắp thêm camera, tăng cường tuần tra; 3 tháng liền không phát sinh vụ việc"


def _complex_points(layout: DemoLayout, current: BoundaryEdition) -> list[list[c.Command]]:
    rng = _rng(layout.seed, "complex-points")
    places = _Places(layout, current)
    picks: list[tuple[float, float, str, str]] = []
    for spot in layout.hotspots:
        for template, note in rng.sample(_POINT_KINDS, 3):
            while True:
                d, a = rng.uniform(80, 350), rng.uniform(0, 2 * math.pi)
                x, y = spot.x + d * math.cos(a), spot.y + d * math.sin(a)
                if places.inside(x, y):
                    break
            picks.append((x, y, template.replace("{spot}", spot.name), note))
    x, y = places.anywhere(rng)
    picks.append((x, y, "Khu đất trống {road}", "Tụ tập sử dụng bóng cười, đua xe ban đêm"))
    xs, ys = [p[0] for p in picks], [p[1] for p in picks]
    lon, lat, codes = places.lonlat_wards(xs, ys)
    addresses = places.addresses(rng, xs, ys)
    settled = set(rng.sample(range(len(picks)), 5))
    out: list[list[c.Command]] = []
    for i, (_x, _y, template, note) in enumerate(picks):
        road = addresses[i].split(" ", 1)[1]
        name = template.format(address=addresses[i], road=road)
        code = f"DPT-{i + 1:02d}"
        group: list[c.Command] = [
            c.AddComplexPoint(code, name, float(lon[i]), float(lat[i]), codes[i], note)]
        if i in settled:
            group.append(c.SetComplexPointStatus(code, ComplexPointStatus.RESOLVED, _SETTLED))
        out.append(group)
    return out


# --- incidents ----------------------------------------------------------------------------------


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _times(rng: random.Random, days: int, now: dt.datetime
           ) -> list[tuple[dt.datetime, IncidentType]]:
    start = now - dt.timedelta(days=days)
    types = list(_TYPE_WEIGHTS)
    found = []
    day = start.date()
    while day <= now.date():
        weekend = day.weekday() >= 4  # Friday to Sunday nights
        weights = [_TYPE_WEIGHTS[t] * (1.4 if weekend and t in _WEEKEND_TYPES else 1.0)
                   for t in types]
        for _ in range(_poisson(rng, INCIDENTS_PER_DAY * _WEEKDAY_FACTOR[day.weekday()])):
            kind = rng.choices(types, weights)[0]
            hour = rng.choices(range(24), _HOURS[kind])[0]
            when = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                               rng.randrange(60), tzinfo=VIETNAM_TZ)
            if start <= when < now:
                found.append((when, kind))
        day += dt.timedelta(days=1)
    found.sort(key=lambda item: item[0])
    return found


@dataclass(frozen=True)
class _Call:
    """An incident as it reaches the centre: what, where, when it happened and was told."""

    id: str
    kind: IncidentType
    occurred_us: int
    received_us: int
    x: float  # EPSG:9210 metres
    y: float
    ward_now: str  # the ward in force today, whose patrol (CAP) answers
    create: c.CreateIncident
    cancelled: bool


@dataclass
class _History:
    """The generated history, in time order: the district first, then the incidents."""

    setup: list[tuple[int, c.Command]]
    incidents: list[tuple[int, c.Command]]
    open_ids: set[str]  # incidents still open at "now"


def _us(minutes: float) -> int:
    return int(minutes * 60_000_000)


def _calls(rng: random.Random, places: _Places, layout: DemoLayout,
           happened: list[tuple[dt.datetime, IncidentType]], now_us: int, ids: Iterator[str],
           delay: Callable[[IncidentSource], float] | None = None) -> list[_Call]:
    """The calls for incidents that happened at ``happened``, received before ``now_us``."""
    weights = [h.weight for h in layout.hotspots]
    xs, ys = [], []
    for _ in happened:
        if rng.random() < HOTSPOT_SHARE:
            spot = rng.choices(layout.hotspots, weights)[0]
            x, y = places.near(rng, spot.x, spot.y, HOTSPOT_SIGMA_M)
        else:
            x, y = places.anywhere(rng)
        xs.append(x)
        ys.append(y)
    lon, lat, today_wards = places.lonlat_wards(xs, ys)
    addresses = places.addresses(rng, xs, ys)
    wards: list[str | None] = [None] * len(happened)
    for edition in layout.editions:
        mine = [i for i, (when, _) in enumerate(happened) if edition.covers(when)]
        if mine:
            found = edition.ward_indices(lon[mine], lat[mine])
            for i, k in zip(mine, found, strict=True):
                wards[i] = edition.wards[k].code if k >= 0 else None
    calls = []
    for i, (when, kind) in enumerate(happened):
        first, bump = _PRIORITY[kind]
        inc_id = next(ids)
        source = rng.choices(list(_SOURCES[kind]), list(_SOURCES[kind].values()))[0]
        occurred_us = int(when.timestamp()) * 1_000_000
        told = delay(source) if delay else rng.uniform(*_TOLD_AFTER_MIN[source])
        create = c.CreateIncident(
            inc_id, kind, max(1, first - (rng.random() < bump)), float(lon[i]), float(lat[i]),
            source, wards[i], addresses[i], rng.choice(_SUMMARIES[kind]),
            occurred_us=occurred_us,
        )
        cancelled = rng.random() < 0.04
        received_us = occurred_us + _us(told)
        if received_us < now_us:
            calls.append(_Call(inc_id, kind, occurred_us, received_us, xs[i], ys[i],
                               today_wards[i], create, cancelled))
    return calls


def _history(layout: DemoLayout, current: BoundaryEdition, seed: int, days: int,
             now_us: int) -> _History:
    """Everything the demo records, each command at its time (deterministic from the seed
    and ``now_us``): the district an hour before the first day, then the centre's work."""
    setup_us = now_us - days * DAY_US - SETUP_LEAD_US
    wards = {w.code: w.name for e in layout.editions for w in e.wards}
    units = _units(current)
    setup: list[c.Command] = [c.AddWard(code, name) for code, name in sorted(wards.items())]
    setup += units
    # a simulated phone per unit: gvcommand-avl simulate drives the units that have one
    setup += [c.RegisterDevice(f"{SIM_PREFIX}{u.call_sign}", u.call_sign) for u in units]
    setup += _cameras(layout, current)
    setup += [cmd for group in _complex_points(layout, current) for cmd in group]

    rng = _rng(seed, "incidents")
    places = _Places(layout, current)
    now = dt.datetime.fromtimestamp(now_us / 1e6, VIETNAM_TZ)
    ids = (str(uuid.uuid5(_ID_NAMESPACE, f"{seed}:{i}")) for i in itertools.count())
    calls = _calls(rng, places, layout, _times(rng, days, now), now_us, ids)
    calls = sorted([*calls, *_drills(seed, places, layout, days, now)],
                   key=lambda call: call.received_us)
    homes = _homes(current, units)
    timed, open_ids = _Centre(_rng(seed, "centre"), units, homes).run(calls, now_us)
    if len(open_ids) < MIN_OPEN:
        # a quiet hour before "now": a few calls just in, so that the live board has work
        fresh_rng = _rng(seed, "fresh-calls")
        ages = _FRESH_AGES_MIN[: MIN_OPEN - len(open_ids)]
        types = list(_TYPE_WEIGHTS)
        happened = []
        for age in ages:  # of different types: four accidents at once would look staged
            kind = fresh_rng.choices(types, [_TYPE_WEIGHTS[t] * _HOURS[t][now.hour]
                                             for t in types])[0]
            types.remove(kind)
            happened.append((now - dt.timedelta(minutes=age + 3), kind))
        fresh_ids = (str(uuid.uuid5(_ID_NAMESPACE, f"{seed}:fresh:{i}"))
                     for i in itertools.count())
        extra = _calls(fresh_rng, places, layout, happened, now_us, fresh_ids,
                       delay=lambda _source: 3.0)
        extra = [replace(call, cancelled=False) for call in extra]
        timed, open_ids = _Centre(_rng(seed, "centre"), units, homes).run(
            sorted([*calls, *extra], key=lambda call: call.received_us), now_us)
    return _History([(setup_us, cmd) for cmd in setup], timed, open_ids)


def _drills(seed: int, places: _Places, layout: DemoLayout, days: int, now: dt.datetime
            ) -> list[_Call]:
    """The centre's drills (diễn tập): weekly, and one under way now; answered by the drill
    unit alone, told as drills in their summaries, left out of the statistics."""
    rng = _rng(seed, "drills")
    start = (now - dt.timedelta(days=days)).date()
    happened = []
    day = start
    while day < now.date():
        if day.weekday() == _DRILL_WEEKDAY:
            happened.append((dt.datetime(day.year, day.month, day.day, _DRILL_HOUR,
                                         rng.randrange(60), tzinfo=VIETNAM_TZ),
                             rng.choice(_DRILL_KINDS)))
        day += dt.timedelta(days=1)
    happened.append((now - dt.timedelta(minutes=_DRILL_NOW_AGO_MIN), rng.choice(_DRILL_KINDS)))
    ids = (str(uuid.uuid5(_ID_NAMESPACE, f"{seed}:drill:{i}")) for i in itertools.count())
    calls = _calls(rng, places, layout, happened, int(now.timestamp() * 1e6), ids,
                   delay=lambda _source: 0.5)
    return [replace(call, cancelled=False, create=replace(
        call.create, exercise=True, caller_name=None, callback_number=None,
        summary=f"Diễn tập: {call.create.summary}")) for call in calls]


def _homes(current: BoundaryEdition, units: list[c.AddUnit]) -> dict[str, tuple[float, float]]:
    """Where each unit patrols from (metres): its ward's middle, or the district's."""
    middles = {}
    for ward in current.wards:
        p = ward.geometry.representative_point()
        x, y = crs.from_wgs84(_METRIC, p.x, p.y)
        middles[ward.code] = (float(x), float(y))
    cx, cy = crs.from_wgs84(_METRIC, *_CENTRE)
    return {u.call_sign: middles.get(u.home_ward or "", (float(cx), float(cy))) for u in units}


class _Centre:
    """The dispatch centre at work over the generated span, as a discrete-event simulation:
    a heap of timed steps (a call comes in, an officer dispatches, a unit moves on, an
    incident is cleared and closed), all incidents interleaved. A unit is busy from its
    dispatch to the clearing of its incident; a call waits while no unit is free."""

    def __init__(self, rng: random.Random, units: list[c.AddUnit],
                 homes: dict[str, tuple[float, float]]) -> None:
        self.rng = rng
        self.force = {u.call_sign: u.force for u in units}
        self.drill_units = {u.call_sign for u in units if u.exercise}
        self.homes = homes
        self.free_at = dict.fromkeys(self.force, 0)  # when each unit is next free
        self.left = {u: (*homes[u], 0) for u in self.force}  # (x, y, when) it last cleared
        self._heap: list[tuple[int, int, str, Any]] = []
        self._order = itertools.count()

    def _at(self, t_us: int, step: str, what: Any) -> None:
        heapq.heappush(self._heap, (t_us, next(self._order), step, what))

    def run(self, calls: Sequence[_Call], until_us: int
            ) -> tuple[list[tuple[int, c.Command]], set[str]]:
        """The commands before ``until_us`` in time order, and the incidents still open."""
        for call in calls:
            self._at(call.received_us, "call", call)
        out: list[tuple[int, c.Command]] = []
        still_open: set[str] = set()
        while self._heap and self._heap[0][0] < until_us:
            t, _, step, what = heapq.heappop(self._heap)
            if step == "command":
                out.append((t, what))
                if isinstance(what, c.CloseIncident | c.CancelIncident):
                    still_open.discard(what.incident_id)
            elif step == "call":
                out.append((t, what.create))
                still_open.add(what.id)
                if what.cancelled:
                    self._at(t + _us(self.rng.uniform(1, 8)), "command",
                             c.CancelIncident(what.id, self.rng.choice(_CANCEL_REASONS)))
                else:
                    low, high = _DISPATCH_MIN[what.create.priority]
                    self._at(t + _us(self.rng.uniform(low, high)), "dispatch", what)
            else:
                out += self._dispatch(t, what)
        return out, still_open

    def _where(self, unit: str, t_us: int) -> tuple[float, float]:
        x, y, since = self.left[unit]
        if t_us - since < _us(BACK_ON_PATROL_MIN):
            return x, y
        hx, hy = self.homes[unit]  # patrolling its area again
        return hx + self.rng.gauss(0, PATROL_SIGMA_M), hy + self.rng.gauss(0, PATROL_SIGMA_M)

    def _crew(self, call: _Call, t_us: int) -> list[tuple[str, float]]:
        """The units sent (with their distance, m): the ward's own patrol or the nearest
        free unit of the force the incident calls for; any free unit if that force has
        none; for a robbery, a fight or racing sometimes a second one."""
        # a drill is answered by the drill units, a real call never by them
        free = [u for u, at in self.free_at.items()
                if at < t_us and (u in self.drill_units) == call.create.exercise]
        if not free:
            return []
        dist: dict[str, float] = {}

        def distance(unit: str) -> float:  # only for the units compared: a gauss draw each
            if unit not in dist:
                x, y = self._where(unit, t_us)
                dist[unit] = math.hypot(x - call.x, y - call.y)
            return dist[unit]

        forces = _FORCES[call.kind]
        force = self.rng.choices(list(forces), list(forces.values()))[0]
        own = f"CAP-{call.ward_now}"
        if force is Force.PHUONG and own in free:
            first = own
        else:
            first = min([u for u in free if self.force[u] is force] or free, key=distance)
        crew = [first]
        others = [u for u in free if u != first]
        if (call.kind in (T.ROBBERY, T.FIGHT, T.GATHERING_RACING) and others
                and self.rng.random() < 0.25):
            crew.append(min(others, key=distance))
        return [(u, distance(u)) for u in crew]

    def _dispatch(self, t_us: int, call: _Call) -> list[tuple[int, c.Command]]:
        crew = self._crew(call, t_us)
        if not crew:  # every unit is out: the call waits for the first one back
            back = min(at for u, at in self.free_at.items()
                       if (u in self.drill_units) == call.create.exercise)
            self._at(max(t_us + _us(0.5), back + 1), "dispatch", call)
            return []
        on_scene = []
        for unit, metres in crew:
            en_route = t_us + _us(self.rng.triangular(*_EN_ROUTE_MIN))
            # the product's own estimate (straight line × detour at city speed), give or
            # take the traffic, and a minute to park and find the place
            travel_s = (metres * routing.DETOUR_FACTOR / (routing.STRAIGHT_KMH / 3.6)
                        * self.rng.uniform(0.8, 1.3) + 45)
            arrive = en_route + int(travel_s * 1e6)
            self._at(en_route, "command", c.SetUnitStatus(unit, UnitStatus.EN_ROUTE))
            self._at(arrive, "command", c.SetUnitStatus(unit, UnitStatus.ON_SCENE))
            on_scene.append(arrive)
        cleared = max(on_scene) + _us(self.rng.triangular(*_ON_SCENE_MIN[call.kind]))
        self._at(cleared, "command", c.ClearIncident(call.id))
        self._at(cleared + _us(self.rng.uniform(*_CLOSE_AFTER_MIN)), "command",
                 c.CloseIncident(call.id, _DISPOSITIONS[call.kind]))
        for unit, _ in crew:
            self.free_at[unit] = cleared
            self.left[unit] = (call.x, call.y, cleared)
        return [(t_us, c.DispatchUnit(call.id, unit)) for unit, _ in crew]
