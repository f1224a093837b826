"""The demo's patrol positions as the console starts them: gvcommand-avl takes a port from
the kernel itself and says which, the simulator is told that port, fixes arrive through it,
and both processes end with the demo."""

from __future__ import annotations

import os
import time

import psutil
import pytest
import shapely
from shapely.geometry import LineString

from gvcommand.avl.demo_processes import DemoAvl
from gvcommand.store.devices import register_device
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import track
from gvcommand.store.roads import RoadSegment, import_roads

from .conftest import ADMIN, SUPERVISOR, seed

pytestmark = [pytest.mark.slow,
              pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def test_the_service_listens_where_it_says_and_the_simulator_sends_there(
        store: EventStore) -> None:
    seed(store, units=2)
    street = LineString([(106.655, 10.830), (106.667, 10.830)])
    import_roads(store, name="grid", source_sha256="0" * 64, actor=ADMIN,
                 segments=[RoadSegment("Quang Trung", "primary", 1300.0,
                                       shapely.to_wkb(street))])
    register_device(store, "sim-U1", "U1", None, SUPERVISOR)
    patrols = DemoAvl(store.url.sqlalchemy_url, interval_s=0.5)
    patrols.start()
    try:
        assert patrols.ready.wait(60), "the service did not say where it listens"
        serve, simulator = patrols.processes
        assert patrols.running() and patrols.port > 0
        listening = {c.laddr.port for c in psutil.Process(serve.pid).net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN}
        assert listening == {patrols.port}  # the port it was told is the one it holds
        assert f"http://127.0.0.1:{patrols.port}/" in psutil.Process(simulator.pid).cmdline()
        deadline = time.monotonic() + 30
        fixes: list[object] = []
        while not fixes and time.monotonic() < deadline:
            time.sleep(0.2)
            with store.engine.connect() as conn:
                fixes = list(track(conn, ["U1"], 0, 2**62))
        assert fixes, "no fix from the simulated phone reached the database"
    finally:
        patrols.stop()
    assert not patrols.processes and not patrols.ready.is_set()
    for p in (serve, simulator):
        assert p.returncode is not None and not os.path.exists(f"/proc/{p.pid}")
