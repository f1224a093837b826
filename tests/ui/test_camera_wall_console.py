"""The camera wall inside the console: live views written to the real event store with the
officer and the console (start, switch, console closed), the nearest cameras of a selected
incident in rank order, and a new priority-1 incident pulling up its cameras by itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyproj
import pytest
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.model import Actor, IncidentSource, IncidentType
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow
from gvcommand.video import rtsp_server as rtsp

from .._needs import started
from .._screenshots import screenshot_path
from .conftest import ADMIN, OFFICER, OFFSCREEN_NOISE

WindowFactory = Callable[..., MainWindow]
LON, LAT = 106.6650, 10.8380  # the incidents' place
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def server() -> Iterator[rtsp.RtspServer]:
    """A missing system package skips here and fails in CI; a server that is installed but
    does not start is an error."""
    srv = started(rtsp.RtspServer(cameras=8))
    yield srv
    srv.stop()


def at(bearing: float, metres: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(LON, LAT, bearing, metres)
    return lon, lat


def add_cameras(store: EventStore, srv: rtsp.RtspServer) -> None:
    """Around the incident's place: one looking at it from 120 m, three near it (50, 100,
    200 m) looking away, one beyond 300 m. Expected rank: SEES, N50, N100, N200."""
    layout = [("SEES", 0.0, 120.0, 180.0), ("N50", 90.0, 50.0, 90.0),
              ("N100", 180.0, 100.0, 180.0), ("N200", 270.0, 200.0, 270.0),
              ("FAR", 45.0, 400.0, 45.0)]
    for k, (code, bearing, dist, looks) in enumerate(layout, start=1):
        lon, lat = at(bearing, dist)
        store.execute(c.AddCamera(code, f"Camera {code}", lon, lat, azimuth_deg=looks,
                                  fov_deg=60.0, range_m=150.0,
                                  main_url=srv.url(f"cam{k:03d}"),
                                  sub_url=srv.url(f"cam{k:03d}/sub")), ADMIN)


def views(store: EventStore, code: str) -> list[tuple[str, str, str, dict[str, object]]]:
    return [(e.kind, e.actor, e.console, e.payload)
            for e in store.events_of(ev.subject("camera_view", code))]


def test_live_views_are_on_the_record_with_the_officer_and_the_console(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        server: rtsp.RtspServer) -> None:
    add_cameras(store, server)
    window = make_window()
    wall = window.camera_wall_dock.wall
    assert wall is not None and wall.active
    wall.assign(0, "N50")
    qtbot.waitUntil(lambda: len(views(store, "N50")) == 1, timeout=5000)
    kind, actor, console, payload = views(store, "N50")[0]
    assert (kind, actor, console) == (ev.CAMERA_VIEW_STARTED, OFFICER.name, OFFICER.console)
    assert payload["stream"] == "sub"
    wall.assign(0, "N100")  # the tile switches camera: a stop and a start
    qtbot.waitUntil(lambda: len(views(store, "N100")) == 1, timeout=5000)
    stop = views(store, "N50")[1]
    assert stop[0] == ev.CAMERA_VIEW_STOPPED and stop[3]["reason"] == "switched"
    assert stop[3]["view_id"] == payload["view_id"]
    window.close()  # closing the console stops every view, on the record
    last = views(store, "N100")[-1]
    assert last[:3] == (ev.CAMERA_VIEW_STOPPED, OFFICER.name, OFFICER.console)
    assert last[3]["reason"] == "console closed"


def test_nearest_cameras_of_a_selected_incident_and_a_new_priority_1(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        server: rtsp.RtspServer) -> None:
    add_cameras(store, server)
    store.execute(c.CreateIncident("p2", IncidentType.THEFT, 2, LON, LAT,
                                   IncidentSource.PHONE), OFFICER)
    window = make_window()
    wall = window.camera_wall_dock.wall
    assert wall is not None
    wall.set_layout("3x3")
    wall.touch()  # the officer is using the wall
    window.incidents_dock.select("p2")  # as a click in the queue does
    assert wall.layout_key == "3x3"  # priority 2: offered, not imposed
    assert wall.nearest_action.isEnabled()
    wall.nearest_action.trigger()
    assert wall.layout_key == "2x2"
    assert [wall.camera_at(i) for i in range(4)] == ["SEES", "N50", "N100", "N200"]
    wall.restore_previous()
    assert wall.layout_key == "3x3"

    # a priority-1 incident recorded at another console arrives through the feed
    wall.last_touch = float("-inf")  # nobody has touched the wall for a while
    store.execute(c.CreateIncident("p1", IncidentType.ROBBERY, 1, *at(0.0, 10.0),
                                   IncidentSource.PHONE), Actor("tuan", OFFICER.role, "C2"))
    qtbot.waitUntil(lambda: wall.layout_key == "2x2", timeout=10_000)
    assert [wall.camera_at(i) for i in range(4)] == ["SEES", "N50", "N100", "N200"]
    assert wall.banner.isVisible()
    wall.grab().save(screenshot_path("gv_wall_p1.png"))


def test_screenshot_of_the_console_with_its_wall(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        server: rtsp.RtspServer) -> None:
    add_cameras(store, server)
    window = make_window()
    wall = window.camera_wall_dock.wall
    assert wall is not None
    for i, code in enumerate(("SEES", "N50", "N100", "N200")):
        wall.assign(i, code)
    qtbot.waitUntil(lambda: all(
        wall.player_at(i) is not None and wall.player_at(i).state.name == "LIVE"
        for i in range(4)), timeout=20_000)
    qtbot.wait(300)
    window.grab().save(screenshot_path("gv_console_wall.png"))


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, r"This plugin does not support raise\(\)")
def test_the_wall_goes_to_a_screen_of_its_own_and_back(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    window = make_window()
    dock = window.camera_wall_dock
    dock.screen_action.trigger()
    assert dock.isFloating() and dock.screen_action.isChecked()
    screen = dock.screen()
    assert screen is not None
    assert dock.geometry().width() >= screen.availableGeometry().width() - 20
    wall = dock.wall
    assert wall is not None and wall.camera_list.isVisible()  # wide: the list is shown
    dock.screen_action.trigger()
    assert not dock.isFloating()


def test_a_wall_behind_another_tab_pauses_its_tiles(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        server: rtsp.RtspServer) -> None:
    add_cameras(store, server)
    window = make_window()
    wall = window.camera_wall_dock.wall
    assert wall is not None
    wall.assign(0, "N50")
    player = wall.player_at(0)
    assert player is not None
    qtbot.waitUntil(lambda: player.state.name == "LIVE", timeout=20_000)
    window.tabifyDockWidget(window.layers_dock, window.camera_wall_dock)
    window.layers_dock.raise_()  # the wall's tab is not the current one
    qtbot.waitUntil(lambda: not wall.active, timeout=2000)
    assert player.state.name == "PAUSED"
    window.camera_wall_dock.raise_()
    qtbot.waitUntil(lambda: player.state.name == "LIVE", timeout=20_000)
    stops = [e[3]["reason"] for e in views(store, "N50") if e[0] == ev.CAMERA_VIEW_STOPPED]
    assert stops == ["hidden"]
