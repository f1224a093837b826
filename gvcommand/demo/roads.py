"""The demo's street network: the named main roads of :func:`gvcommand.demo.district.build_layout`
and the alleys (hẻm) that branch off them, as a road network stored through the same path
as a real one (:func:`gvcommand.store.roads.import_roads`). DEMO data, deterministic from
the seed: nothing here is a real street map.

Alleys are numbered as Ho Chi Minh City numbers them: "Hẻm 120 Quang Trung" leaves Quang
Trung beside house number 120 (even numbers on one side, odd on the other), and its own
branches are "Hẻm 120/5 Quang Trung".
"""

from __future__ import annotations

import hashlib
import math
import random

import shapely  # type: ignore[import-untyped]
from shapely.geometry import LineString, Point  # type: ignore[import-untyped]
from shapely.ops import substring  # type: ignore[import-untyped]

from ..core.model import Actor, Role
from ..geo import crs
from ..geo.roads import geodesic_length_m
from ..store.event_store import CommandResult, EventStore
from ..store.roads import RoadSegment, import_roads

NETWORK = "Đường phố Gò Vấp (demo)"
ADMIN = Actor("demo:quan-tri", Role.ADMIN, "demo-seed")
_METRIC = crs.VN2000_TM3_HCMC
# the demo's main roads by size, as the real ones are classed in OpenStreetMap
ROAD_CLASSES = {
    "Quang Trung": "primary", "Nguyễn Oanh": "primary", "Phạm Văn Đồng": "primary",
    "Nguyễn Kiệm": "primary", "Phan Văn Trị": "secondary", "Lê Đức Thọ": "secondary",
    "Thống Nhất": "secondary", "Phan Huy Ích": "secondary", "Nguyễn Văn Lượng": "tertiary",
    "Lê Văn Thọ": "tertiary", "Dương Quảng Hàm": "tertiary", "Nguyễn Văn Nghi": "tertiary",
}  # fmt: skip
ALLEY_CLASS = "residential"
BRANCH_CLASS = "service"


def _parts(geom: shapely.Geometry) -> list[LineString]:
    return [p for p in shapely.get_parts(geom) if isinstance(p, LineString) and p.length > 1]


def _alley(rng: random.Random, start: Point, heading: float, length: float) -> LineString:
    """A lane of a few straight pieces that wander a little, as hẻm do."""
    points = [(start.x, start.y)]
    x, y = start.x, start.y
    pieces = rng.randint(1, 3)
    for _ in range(pieces):
        heading += rng.uniform(-12, 12)
        step = length / pieces
        x += step * math.cos(math.radians(heading))
        y += step * math.sin(math.radians(heading))
        points.append((x, y))
    return LineString(points)


def _cut(line: LineString, start: Point, obstacles: shapely.Geometry,
         inside: shapely.Geometry) -> LineString | None:
    """``line`` up to where it first meets a main road (other than at its start) or leaves
    the district; None when too little is left."""
    line = line.intersection(inside)
    parts = [p for p in _parts(line) if p.distance(start) < 1]
    if not parts:
        return None
    line = parts[0]
    hits = [line.project(p) for p in shapely.get_parts(line.intersection(obstacles))
            if line.project(p) > 2]
    if hits:
        line = substring(line, 0, min(hits))
    return line if line.length >= 40 else None


def demo_roads(roads_m: dict[str, shapely.Geometry], outline_m: shapely.Geometry,
               seed: int) -> list[tuple[str | None, str, shapely.Geometry]]:
    """(name, class, geometry in metres) of every street: main roads, alleys, branches."""
    rng = random.Random(f"{seed}:roads")
    out: list[tuple[str | None, str, shapely.Geometry]] = [
        (name, ROAD_CLASSES.get(name, "tertiary"), geom) for name, geom in roads_m.items()
    ]
    mains = shapely.union_all(list(roads_m.values()))
    inside = outline_m.buffer(-15)
    for name, geom in roads_m.items():
        for line in _parts(geom):
            along = rng.uniform(30, 120)
            while along < line.length - 30:
                here = line.interpolate(along)
                ahead = line.interpolate(min(line.length, along + 5))
                bearing = math.degrees(math.atan2(ahead.y - here.y, ahead.x - here.x))
                for side in (90, -90):
                    if rng.random() > 0.55:
                        continue
                    house = 2 * int(along / 12) + (2 if side > 0 else 1)
                    start = Point(here.x + 8 * math.cos(math.radians(bearing + side)),
                                  here.y + 8 * math.sin(math.radians(bearing + side)))
                    alley = _cut(_alley(rng, start, bearing + side + rng.uniform(-8, 8),
                                        rng.uniform(120, 450)), start, mains, inside)
                    if alley is None:
                        continue
                    # joined to the road it leaves
                    alley = LineString([(here.x, here.y), *alley.coords])
                    out.append((f"Hẻm {house} {name}", ALLEY_CLASS, alley))
                    out += _branches(rng, alley, house, name, mains, inside)
                along += rng.uniform(90, 220)
    return out


def _branches(rng: random.Random, alley: LineString, house: int, road: str,
              mains: shapely.Geometry, inside: shapely.Geometry
              ) -> list[tuple[str | None, str, shapely.Geometry]]:
    found: list[tuple[str | None, str, shapely.Geometry]] = []
    number = 1
    along = rng.uniform(40, 90)
    while along < alley.length - 20 and number < 30:
        if rng.random() < 0.45:
            here = alley.interpolate(along)
            ahead = alley.interpolate(min(alley.length, along + 3))
            heading = math.degrees(math.atan2(ahead.y - here.y, ahead.x - here.x))
            heading += rng.choice((90, -90))
            branch = _cut(_alley(rng, here, heading, rng.uniform(40, 140)), here, mains,
                          inside)
            if branch is not None:
                found.append((f"Hẻm {house}/{number} {road}", BRANCH_CLASS, branch))
            number += rng.randint(1, 4)
        along += rng.uniform(30, 80)
    return found


def road_segments(roads_m: dict[str, shapely.Geometry], outline_m: shapely.Geometry,
                  seed: int) -> list[RoadSegment]:
    """The demo network as the store keeps it: WGS 84, geodesic lengths."""
    out: list[RoadSegment] = []
    for name, road_class, geom in demo_roads(roads_m, outline_m, seed):
        wgs = crs.transform_geometry(geom, _METRIC, crs.WGS84)
        out.append(RoadSegment(name, road_class, geodesic_length_m(wgs), shapely.to_wkb(wgs)))
    return out


def import_demo_roads(store: EventStore, roads_m: dict[str, shapely.Geometry],
                      outline_m: shapely.Geometry, seed: int) -> CommandResult:
    segments = road_segments(roads_m, outline_m, seed)
    source = hashlib.sha256(f"gvcommand demo roads seed {seed}".encode()).hexdigest()
    return import_roads(store, name=NETWORK, source_sha256=source, segments=segments,
                        actor=ADMIN)
