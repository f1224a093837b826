"""The simulator drives units with a sim- phone through the real service: patrols stay on
the streets, a dispatched unit closes in on its incident, a unit on scene stays put, and
units without a simulated phone are never spoken for."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pyproj
import pytest
import shapely
from shapely.geometry import LineString

from gvcommand.avl.ingest import Ingest, Settings
from gvcommand.avl.simulate import Simulator, network_from_store
from gvcommand.core import commands as c
from gvcommand.core.model import IncidentSource, IncidentType
from gvcommand.store.devices import register_device
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import track
from gvcommand.store.roads import RoadSegment, import_roads

from .conftest import ADMIN, OPERATOR, SUPERVISOR, seed
from .test_service import Service

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
_TO_M = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
# a grid of four streets, 1.1–1.3 km long, crossing
STREETS = {
    "Quang Trung": [(106.655, 10.830), (106.667, 10.830)],
    "Nguyễn Oanh": [(106.655, 10.836), (106.667, 10.836)],
    "Lê Đức Thọ": [(106.658, 10.827), (106.658, 10.839)],
    "Phan Văn Trị": [(106.664, 10.827), (106.664, 10.839)],
}


class Clock:
    def __init__(self) -> None:
        self.t = float(int(time.time()) - 600)  # the service refuses fixes from the future

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def service(store: EventStore) -> Iterator[Service]:
    seed(store, units=4)
    segments = [RoadSegment(name, "primary", 1000.0, shapely.to_wkb(LineString(coords)))
                for name, coords in STREETS.items()]
    import_roads(store, name="grid", source_sha256="0" * 64, segments=segments, actor=ADMIN)
    for unit in ("U1", "U2", "U3"):
        register_device(store, f"sim-{unit}", unit, None, SUPERVISOR)
    register_device(store, "real-phone", "U4", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(batch_wait_s=0.005))
    ingest.start()
    svc = Service(ingest)
    yield svc
    svc.close()


def distance_to_streets(lon: float, lat: float) -> float:
    x, y = _TO_M.transform(lon, lat)
    here = shapely.Point(x, y)
    return min(LineString([_TO_M.transform(*p) for p in coords]).distance(here)
               for coords in STREETS.values())


def test_simulated_shift(service: Service, store: EventStore) -> None:
    store.execute(c.CreateIncident("inc-1", IncidentType.FIGHT, 1, 106.6610, 10.8330,
                                   IncidentSource.PHONE, "P1", "Quang Trung", "đánh nhau"),
                  OPERATOR)
    store.execute(c.DispatchUnit("inc-1", "U2"), OPERATOR)
    clock = Clock()
    sim = Simulator(store.engine, network_from_store(store.engine),
                    f"http://127.0.0.1:{service.port}/", interval_s=5, clock=clock)
    for _ in range(120):  # two minutes of the shift, a step a second
        clock.t += 1
        for fields in sim.step(1.0):
            assert sim.send(fields)
    assert service.ingest.flush(10)
    with store.engine.connect() as conn:
        fixes = track(conn, None, 0, 2**62)
    by_unit: dict[str, list[tuple[float, float]]] = {}
    for f in fixes:
        by_unit.setdefault(f.unit, []).append((f.lon, f.lat))
    assert set(by_unit) == {"U1", "U2", "U3"}  # never the real phone's unit
    assert sim.sent == len(fixes) and sim.failed == 0
    for unit in ("U1", "U3"):  # patrols: on the streets, and moving
        assert len(by_unit[unit]) >= 20
        assert max(distance_to_streets(lon, lat) for lon, lat in by_unit[unit]) < 1.0
        assert by_unit[unit][0] != by_unit[unit][-1]
    # the dispatched unit closes in on the incident (40 km/h: two minutes is enough)
    ix, iy = _TO_M.transform(106.6610, 10.8330)
    gaps = [math.dist(_TO_M.transform(lon, lat), (ix, iy)) for lon, lat in by_unit["U2"]]
    assert gaps[-1] < 5.0 and gaps == sorted(gaps, reverse=True)
