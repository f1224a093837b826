"""The demo's named places (points of interest) for the intake's gazetteer: its markets,
parks and bus station (the hotspots of :func:`gvcommand.demo.district.build_layout`), each ward's
People's Committee and police station, and schools, pagodas, a hospital and fuel stations
along the main roads. Stored through the same path as an imported OSM file
(:func:`gvcommand.store.places.import_places`). DEMO data, deterministic from the seed: the
names are made up from the demo's own street and ward names.
"""

from __future__ import annotations

import hashlib
import random

import shapely  # type: ignore[import-untyped]

from ..core.model import Actor, Role
from ..geo import crs
from ..geo.editions import BoundaryEdition
from ..store.event_store import CommandResult, EventStore
from ..store.places import StoredPlace, import_places
from .district import DemoLayout

PLACE_SET = "Địa điểm Gò Vấp (demo)"
ADMIN = Actor("demo:quan-tri", Role.ADMIN, "demo-seed")
_METRIC = crs.VN2000_TM3_HCMC
# kinds as OpenStreetMap tags them, so the interface names them as it names OSM's
_HOTSPOT_KINDS = (("Chợ", "marketplace"), ("Công viên", "park"), ("Bến xe buýt", "bus_station"),
                  ("Khu vực siêu thị", "supermarket"), ("Khu ký túc xá", "dormitory"))
# (name pattern, kind, how many along the main roads); {road} is a main road's name
_ALONG_ROADS = (
    ("Trường THCS {road}", "school", 4),
    ("Trường Tiểu học {road}", "school", 4),
    ("Trường Mầm non {road}", "kindergarten", 3),
    ("Chùa {road}", "place_of_worship", 3),
    ("Cây xăng {road}", "fuel", 4),
    ("Bệnh viện đa khoa {road}", "hospital", 1),
    ("Siêu thị {road}", "supermarket", 2),
    ("Bưu điện {road}", "post_office", 2),
)


def demo_places(layout: DemoLayout, current: BoundaryEdition, seed: int) -> list[StoredPlace]:
    rng = random.Random(f"{seed}:places")
    places: list[StoredPlace] = []
    for spot in layout.hotspots:
        kind = next((k for prefix, k in _HOTSPOT_KINDS if spot.name.startswith(prefix)),
                    "place")
        places.append(StoredPlace(spot.name, kind, round(spot.lon, 7), round(spot.lat, 7)))
    for ward in current.wards:
        inside = ward.geometry.representative_point()
        for k, (prefix, kind) in enumerate((("UBND phường", "townhall"),
                                            ("Công an phường", "police"))):
            # a little apart, both inside the ward
            at = shapely.Point(inside.x + 0.0012 * k, inside.y + 0.0008 * k)
            if not ward.geometry.contains(at):
                at = inside
            places.append(StoredPlace(f"{prefix} {ward.name}", kind, round(at.x, 7),
                                      round(at.y, 7)))
    roads = sorted(layout.roads.items())
    taken: set[str] = set()
    for pattern, kind, count in _ALONG_ROADS:
        for road, line in rng.sample(roads, min(count, len(roads))):
            name = pattern.format(road=road)
            if name in taken:
                continue
            taken.add(name)
            # beside the road (25 m off it), somewhere along it
            at = line.interpolate(rng.uniform(0.1, 0.9), normalized=True)
            side = rng.choice((-25.0, 25.0))
            lon, lat = crs.to_wgs84(_METRIC, at.x + side, at.y + side)
            places.append(StoredPlace(name, kind, round(float(lon), 7), round(float(lat), 7)))
    return places


def import_demo_places(store: EventStore, layout: DemoLayout, current: BoundaryEdition,
                       seed: int) -> CommandResult:
    source = hashlib.sha256(f"gvcommand demo places seed {seed}".encode()).hexdigest()
    return import_places(store, name=PLACE_SET, source_sha256=source, actor=ADMIN,
                         places=demo_places(layout, current, seed))
