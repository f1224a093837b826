"""The synthetic district: an outline about where Gò Vấp is, 16 wards merged into 12 and
then 6 (three boundary editions, as the real history went), the main roads and the hotspots
(markets, crossings) where incidents cluster; and :class:`Sites`, the addresses, bearings
and wards of points in it. DEMO data, deterministic from the seed: no file is read."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely  # type: ignore[import-untyped]
from shapely.geometry import LineString, MultiPoint, Point, Polygon  # type: ignore[import-untyped]

from ..geo import crs
from ..geo.editions import BoundaryEdition, EditionSet, WardBoundary

EDITION_16 = "Gò Vấp 16 phường (demo)"
EDITION_12 = "Gò Vấp 12 phường (demo)"
EDITION_6 = "Gò Vấp 6 phường (demo)"
METRIC = crs.VN2000_TM3_HCMC  # the demo is laid out in metres (EPSG:9210)
DISTRICT_MIDDLE = (106.668, 10.836)  # WGS84: where Gò Vấp is
OLD_NUMBERS = (1, *range(3, 18))  # Phường 1, 3, 4, …, 17: there is no Phường 2
MERGED_2025 = (4, 7, 9, 13)
NEW_WARDS = ("An Hội Đông", "An Nhơn", "Gò Vấp", "Hạnh Thông", "Thông Tây Hội", "An Hội Tây")

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


def rng_for(seed: int, part: str) -> random.Random:
    """The random source of one part of the demo: a part drawn more or less often leaves
    the others as they were."""
    return random.Random(f"gvcommand-demo:{seed}:{part}")


def _to_lonlat(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = crs.to_wgs84(METRIC, np.asarray(x, float), np.asarray(y, float))
    return np.round(lon, 7), np.round(lat, 7)


def _outline(rng: random.Random) -> Polygon:
    """A blob of about 20 km² centred where Gò Vấp is, in metres."""
    cx, cy = crs.from_wgs84(METRIC, *DISTRICT_MIDDLE)
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
    rng = rng_for(seed, "district")
    outline_m = _outline(rng)
    seeds = _seed_points(rng, outline_m, 16, 700)
    for _ in range(4):  # Lloyd relaxation: wards of similar size
        seeds = [cell.centroid for cell in _voronoi(seeds, outline_m)]
    cells = _voronoi(seeds, outline_m)
    # numbered in rows of about 1.2 km, from the north-west
    order = sorted(range(16), key=lambda i: (round(-seeds[i].y / 1200), seeds[i].x))
    to_wgs = [crs.transform_geometry(cells[i], METRIC, crs.WGS84) for i in order]
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
    cx, cy = crs.from_wgs84(METRIC, *DISTRICT_MIDDLE)
    for name, angle, offset in _ROADS:
        a = math.radians(angle + rng.uniform(-6, 6))
        ox, oy = cx - offset * math.sin(a), cy + offset * math.cos(a)
        line = LineString([(ox - 8000 * math.cos(a), oy - 8000 * math.sin(a)),
                           (ox + 8000 * math.cos(a), oy + 8000 * math.sin(a))])
        clipped = line.intersection(outline_m)
        if not clipped.is_empty:
            roads[name] = clipped
    spots: list[Point] = []
    for p, _names in sorted(crossings(roads, outline_m), key=lambda cr: rng.random()):
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


def crossings(roads: dict[str, shapely.Geometry],
              outline_m: Polygon) -> list[tuple[Point, tuple[str, str]]]:
    """Where two main roads cross inside the district (metres), and their names."""
    inner = outline_m.buffer(-80)
    found = []
    for (na, a), (nb, b) in itertools.combinations(roads.items(), 2):
        for p in shapely.get_parts(a.intersection(b)):
            if isinstance(p, Point) and inner.contains(p):
                found.append((p, (na, nb)))
    return found


class Sites:
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
