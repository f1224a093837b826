"""The camera wall's widgets and wiring: layouts, drags from the list and the map, focus on the
main stream and back, hidden tiles paused, saved walls, budget fallbacks on the tiles, the
nearest cameras and the priority-1 fill, and the live views on the record.

The player here records what the wall asks of it (the real libVLC player and RTSP server are
in test_camera_wall_live.py); everything else is real: widgets, drops, settings, the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gvcommand.core.model import (
    Camera,
    CameraOwner,
    Incident,
    IncidentSource,
    IncidentType,
    StreamKind,
)
from gvcommand.ui.camera_wall import dialogs as cw
from gvcommand.ui.camera_wall.budget import DecodeBudget, Mode
from gvcommand.ui.camera_wall.layout import LAYOUTS, SavedWall, arranged
from gvcommand.ui.camera_wall.tile import CameraTile
from gvcommand.ui.camera_wall.wall import CameraWall

from .._screenshots import screenshot_path

LON0, LAT0 = 106.665, 10.838


class State:
    """The StreamState names the wall reads (``.name``)."""

    def __init__(self, name: str) -> None:
        self.name = name


class RecordingPlayer(QObject):
    frame_ready = Signal()
    state_changed = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = State("STOPPED")
        self.detail = ""
        self.last_frame_us = 0
        self.calls: list[tuple[str, str]] = []
        self.frame: QImage | None = None
        self.box: tuple[int, int] | None = None

    def set_display_size(self, width: int, height: int) -> None:
        self.box = (width, height)

    def _set(self, name: str, detail: str = "") -> None:
        self.state, self.detail = State(name), detail
        self.state_changed.emit(self.state, detail)

    def play(self, url: str, *, redacted: str = "") -> None:
        self.calls.append(("play", url))
        self._set("CONNECTING")

    def stop(self) -> None:
        self.calls.append(("stop", ""))
        self._set("STOPPED")

    def pause(self) -> None:
        self.calls.append(("pause", ""))
        self._set("PAUSED")

    def resume(self) -> None:
        self.calls.append(("resume", ""))
        self._set("LIVE")

    def image(self) -> QImage | None:
        return self.frame

    def deliver(self, colour: str = "#3070c0", at_us: int = 1_780_000_000_000_000) -> None:
        """A frame as libVLC would hand one over."""
        self.frame = QImage(640, 360, QImage.Format.Format_RGB32)
        self.frame.fill(QColor(colour))
        self.last_frame_us = at_us
        if self.state.name != "LIVE":
            self._set("LIVE")
        self.frame_ready.emit()


def cam(code: str, k: int = 0, owner: CameraOwner = CameraOwner.POLICE,
        ward: str = "P01") -> Camera:
    return Camera(code, f"Camera {code}", LON0 + 0.001 * k, LAT0, owner=owner, ward=ward,
                  main_url=f"rtsp://127.0.0.1:8554/{code}/main",
                  sub_url=f"rtsp://127.0.0.1:8554/{code}/sub")


CAMERAS = {c.code: c for c in [
    cam("C01", 0), cam("C02", 1), cam("C03", 2, CameraOwner.WARD, "P02"),
    cam("C04", 3, CameraOwner.PRIVATE, "P02"), *(cam(f"C{n:02d}", n) for n in range(5, 18))]}
WARDS = {"P01": "Phường 1", "P02": "Gò Vấp 2"}


def url_of(camera: Camera, stream: StreamKind) -> tuple[str, str]:
    return (f"rtsp://admin:secret@127.0.0.1:8554/{camera.code}/{stream.value}",
            f"rtsp://admin:***@127.0.0.1:8554/{camera.code}/{stream.value}")


@pytest.fixture
def recorded() -> list[object]:
    return []


@pytest.fixture
def make_wall(qtbot: QtBot, settings: QSettings, recorded: list[object]
              ) -> Iterator[Callable[..., CameraWall]]:
    walls: list[CameraWall] = []

    def make(*, budget: DecodeBudget | None = None, show: bool = True,
             nearest: Callable[[Incident], list[str]] | None = None) -> CameraWall:
        wall = CameraWall(lambda: CAMERAS, lambda: WARDS, RecordingPlayer, url_of,
                          submit=recorded.append, nearest=nearest, settings=settings,
                          budget=budget)
        qtbot.addWidget(wall)
        walls.append(wall)
        wall.resize(1280, 760)
        if show:
            wall.show()
            qtbot.waitExposed(wall)
        return wall

    yield make
    for wall in walls:
        wall.shutdown()


def player(wall: CameraWall, slot: int) -> RecordingPlayer:
    p = wall.player_at(slot)
    assert isinstance(p, RecordingPlayer)
    return p


def drop(tile: QWidget, mime: QMimeData) -> None:
    """A drop as Qt delivers it at the end of a drag: enter, then drop, on the tile."""
    at = QPointF(tile.width() / 2, tile.height() / 2)
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, enter)
    assert enter.isAccepted()
    ev = QDropEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, ev)


# --- layouts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key,tiles", [("1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16),
                                       ("1+5", 6), ("1+7", 8)])
def test_layouts_show_their_tiles_in_their_places(make_wall: Callable[..., CameraWall],
                                                  key: str, tiles: int) -> None:
    wall = make_wall()
    wall.set_layout(key)
    QApplication.processEvents()
    shown = [t for t in wall.tiles if t.isVisible()]
    assert len(shown) == tiles == LAYOUTS[key].tiles
    grid = wall.grid_host.rect()
    n = LAYOUTS[key].grid
    cell_w = grid.width() / n
    first = wall.tiles[0].geometry()
    if key in ("1+5", "1+7"):
        # the large tile covers (n-1)×(n-1) cells, the others one each
        assert first.width() == pytest.approx(cell_w * (n - 1), abs=8)
        assert wall.tiles[1].geometry().width() == pytest.approx(cell_w, abs=6)
        assert wall.tiles[1].geometry().left() > first.right()  # down the right side
        assert wall.tiles[n].geometry().top() > first.bottom()  # along the bottom
    else:
        for t in shown:
            assert t.width() == pytest.approx(cell_w, abs=6)
        # reading order: left to right, then top to bottom
        tops = [t.geometry().top() for t in shown]
        assert tops == sorted(tops)
    # no two tiles overlap
    for a in shown:
        for b in shown:
            if a is not b:
                assert not a.geometry().intersects(b.geometry())


def test_a_grid_takes_the_shape_of_its_area() -> None:
    # a wide wall keeps 2×2, 3×3, 4×4
    for key, n in (("2x2", 2), ("3x3", 3), ("4x4", 4)):
        _cells, rows, cols = arranged(LAYOUTS[key], 1600, 900)
        assert (rows, cols) == (n, n)
    # a tall narrow dock beside the map: four in a column (each 280×157, not 140×79)
    cells, rows, cols = arranged(LAYOUTS["2x2"], 280, 640)
    assert (rows, cols) == (4, 1) and [c.row for c in cells] == [0, 1, 2, 3]
    # a long low strip: four in a row
    assert arranged(LAYOUTS["2x2"], 1600, 240)[1:] == (1, 4)
    # focus layouts keep their shape
    assert arranged(LAYOUTS["1+7"], 280, 900)[0] == LAYOUTS["1+7"].cells


def test_number_keys_switch_layouts(qtbot: QtBot, make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall()
    wall.setFocus()
    qtbot.keyClick(wall, Qt.Key.Key_4)
    assert wall.layout_key == "4x4"
    qtbot.keyClick(wall, Qt.Key.Key_6)
    assert wall.layout_key == "1+7"
    wall.layout_actions["3x3"].trigger()
    assert wall.layout_key == "3x3" and wall.layout_actions["3x3"].isChecked()
    # arrows move the selected tile; Enter focuses it, Delete empties it
    wall.setFocus()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Right):
        qtbot.keyClick(wall, key)
    assert wall.selected_slot == 5  # row 1, column 2 (the edge stops it)
    wall.assign(5, "C05")
    qtbot.keyClick(wall, Qt.Key.Key_Return)
    assert wall.focused_slot == 5 and wall.mode_at(5) is Mode.MAIN
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    qtbot.keyClick(wall, Qt.Key.Key_Delete)
    assert wall.camera_at(5) is None
    wall.set_layout("1+7")
    wall.selected_slot = 0
    qtbot.keyClick(wall, Qt.Key.Key_Right)  # from the large tile to the right column
    assert wall.selected_slot == 1
    qtbot.keyClick(wall, Qt.Key.Key_Down)
    assert wall.selected_slot == 2


# --- drags ------------------------------------------------------------------------------------

def test_a_camera_dragged_from_the_list_plays_on_the_tile_it_is_dropped_on(
        make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    wall = make_wall()
    wall.camera_list.search.setText("go vap")  # no diacritics typed: finds "Gò Vấp 2"
    assert wall.camera_list.visible_codes() == ["C03", "C04"]
    index = wall.camera_list.proxy.index(1, 0)
    mime = wall.camera_list.proxy.mimeData([index])  # what the list view's drag carries
    drop(wall.tiles[2], mime)
    assert wall.camera_at(2) == "C04"
    assert player(wall, 2).calls == [("play", "rtsp://admin:secret@127.0.0.1:8554/C04/sub")]
    assert [type(c).__name__ for c in recorded] == ["StartLiveView"]
    assert recorded[0].camera == "C04" and recorded[0].stream is StreamKind.SUB


def test_owner_filter(make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall()
    box = wall.camera_list.owner
    box.setCurrentIndex(box.findData(CameraOwner.PRIVATE.value))
    assert wall.camera_list.visible_codes() == ["C04"]


def test_a_camera_dragged_from_the_map_lands_on_a_tile(
        qtbot: QtBot, make_wall: Callable[..., CameraWall]) -> None:
    from gvcommand.map.canvas import MapCanvas

    from ..map.test_canvas import viewport_pos
    from ..map.test_canvas_drag import mouse

    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, 600)
    canvas.show()
    canvas.set_cameras([CAMERAS["C02"]])
    canvas.set_view(CAMERAS["C02"].lon, CAMERAS["C02"].lat, 400)
    dragged: list[QMimeData] = []
    canvas.start_drag = dragged.append  # type: ignore[method-assign]  # Qt's drag loop
    at = viewport_pos(canvas, CAMERAS["C02"].lon, CAMERAS["C02"].lat)
    from PySide6.QtCore import QEvent
    mouse(canvas, QEvent.Type.MouseButtonPress, at)
    mouse(canvas, QEvent.Type.MouseMove, at + QPoint(30, 10))
    assert len(dragged) == 1
    before = canvas.view_rect()
    wall = make_wall()
    drop(wall.tiles[1], dragged[0])
    assert wall.camera_at(1) == "C02"
    assert canvas.view_rect() == before  # the map did not pan under the drag
    # a press without moving still selects the camera
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        mouse(canvas, QEvent.Type.MouseButtonPress, at)
        mouse(canvas, QEvent.Type.MouseButtonRelease, at)
    assert blocker.args == ["camera", "C02"]
    canvas.close()


# --- focus ------------------------------------------------------------------------------------

def test_double_click_focuses_on_the_main_stream_and_back_to_the_grid_on_sub(
        qtbot: QtBot, make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    wall = make_wall()
    for i, code in enumerate(("C01", "C02", "C03", "C04")):
        wall.assign(i, code)
    recorded.clear()
    tile = wall.tiles[1]
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert wall.focused_slot == 1
    assert [t.isVisible() for t in wall.tiles[:4]] == [False, True, False, False]
    QApplication.processEvents()
    assert tile.width() == wall.grid_host.width()  # the whole wall
    # the player was told the tile's size before it started (libVLC scales to it)
    assert player(wall, 1).box == (tile.width(), tile.height())
    assert wall.url_at(1) == "rtsp://admin:secret@127.0.0.1:8554/C02/main"
    assert wall.mode_at(1) is Mode.MAIN
    for i in (0, 2, 3):  # hidden tiles pause decoding
        assert player(wall, i).state.name == "PAUSED"
    # on the record: the hidden tiles stopped, the focused one switched to its main stream
    stops = {(c.camera, c.reason) for c in recorded if type(c).__name__ == "StopLiveView"}
    assert stops == {("C01", "hidden"), ("C03", "hidden"), ("C04", "hidden"),
                     ("C02", "switched")}
    starts = [(c.camera, c.stream) for c in recorded if type(c).__name__ == "StartLiveView"]
    assert starts == [("C02", StreamKind.MAIN)]
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    assert wall.focused_slot is None
    assert all(t.isVisible() for t in wall.tiles[:4])
    assert wall.url_at(1) == "rtsp://admin:secret@127.0.0.1:8554/C02/sub"
    # the tile the officer looked at starts first; the others resume at its first frame
    assert player(wall, 0).state.name == "PAUSED"
    player(wall, 1).deliver()
    qtbot.waitUntil(lambda: all(player(wall, i).calls[-1] == ("resume", "")
                                for i in (0, 2, 3)), timeout=2000)
    qtbot.mouseDClick(wall.tiles[3], Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(wall.tiles[3], Qt.MouseButton.LeftButton)  # again: back to the grid
    assert wall.focused_slot is None and wall.url_at(3).endswith("/C04/sub")


# --- visibility -------------------------------------------------------------------------------

def test_hidden_tiles_pause_and_resume_when_shown(
        qtbot: QtBot, make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    wall = make_wall()
    wall.set_layout("4x4")
    wall.assign(0, "C01")
    wall.assign(9, "C09")
    assert player(wall, 9).calls == [("play", "rtsp://admin:secret@127.0.0.1:8554/C09/sub")]
    player(wall, 0).deliver()
    wall.set_layout("2x2")  # tile 10 is not in the layout
    assert player(wall, 9).state.name == "PAUSED"
    assert player(wall, 0).state.name == "LIVE"
    wall.set_layout("4x4")
    assert player(wall, 9).calls[-1] == ("resume", "")
    wall.hide()  # the dock hidden or a background tab
    wall.show()  # …for an instant (a dock re-laid out): nothing stops
    assert player(wall, 0).state.name == "LIVE"
    wall.hide()
    qtbot.waitUntil(lambda: player(wall, 0).state.name == "PAUSED", timeout=2000)
    assert player(wall, 9).state.name == "PAUSED"
    wall.show()
    assert player(wall, 0).calls[-1] == ("resume", "")
    wall.showMinimized()
    qtbot.waitUntil(lambda: player(wall, 0).state.name == "PAUSED", timeout=2000)
    wall.showNormal()
    qtbot.waitUntil(lambda: player(wall, 0).state.name == "LIVE", timeout=2000)
    reasons = [c.reason for c in recorded if type(c).__name__ == "StopLiveView"]
    assert reasons.count("hidden") >= 3


# --- saved walls ------------------------------------------------------------------------------

def test_saved_walls_round_trip_through_the_settings(
        qtbot: QtBot, make_wall: Callable[..., CameraWall], settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    wall = make_wall()
    wall.set_layout("1+5")
    for i, code in enumerate(("C05", None, "C07", "C03")):
        wall.assign(i, code)
    monkeypatch.setattr(cw.QInputDialog, "getText",
                        lambda *a, **k: ("Chợ Gò Vấp — ca đêm", True))
    wall.save_action.trigger()
    wall.set_layout("4x4")
    wall.assign(0, "C11")
    names = [wall.walls_box.itemText(i) for i in range(wall.walls_box.count())]
    assert "Chợ Gò Vấp — ca đêm" in names
    # another console start reads it back from the same settings
    settings.sync()
    again = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    stored = SavedWall.from_json("x", '{"layout": "2x2", "cameras": ["C01"]}')
    assert stored.layout == "2x2"
    saved = CameraWall(lambda: CAMERAS, lambda: WARDS, RecordingPlayer, url_of,
                       settings=again).saved_walls()
    wall_ = saved["Chợ Gò Vấp — ca đêm"]
    assert wall_.layout == "1+5" and wall_.cameras[:4] == ("C05", None, "C07", "C03")
    wall.walls_box.setCurrentIndex(wall.walls_box.findData("Chợ Gò Vấp — ca đêm"))
    wall.walls_box.activated.emit(wall.walls_box.currentIndex())
    assert wall.layout_key == "1+5"
    assert [wall.camera_at(i) for i in range(4)] == ["C05", None, "C07", "C03"]
    monkeypatch.setattr(cw.QMessageBox, "question",
                        lambda *a, **k: cw.QMessageBox.StandardButton.Yes)
    wall.delete_action.trigger()
    assert "Chợ Gò Vấp — ca đêm" not in wall.saved_walls()


def test_the_wall_comes_back_after_a_restart(
        make_wall: Callable[..., CameraWall], settings: QSettings) -> None:
    wall = make_wall()
    wall.set_layout("3x3")
    wall.assign(4, "C06")
    wall.shutdown()
    again = make_wall()
    assert again.layout_key == "3x3" and again.camera_at(4) == "C06"


# --- the decode budget ------------------------------------------------------------------------

def test_budget_fallbacks_are_written_on_the_tiles(
        qtbot: QtBot, make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall(budget=DecodeBudget.of_sub_streams(7))
    wall.set_layout("1+7")
    for i in range(8):
        wall.assign(i, f"C{i + 1:02d}")
    # 1 main (9) + 7 sub > 7: the large tile drops to its sub-stream (8 > 7 still), then the
    # last tiles to snapshots
    assert wall.mode_at(0) is Mode.SUB_BUDGET
    assert wall.url_at(0).endswith("/C01/sub")
    modes = [wall.mode_at(i) for i in range(8)]
    assert modes[1:] == [Mode.SUB] * 5 + [Mode.SNAPSHOT] * 2
    assert "sub-stream (decode budget)" in wall.tiles[0].look.note or \
        "luồng phụ" in wall.tiles[0].look.note
    snap = modes.index(Mode.SNAPSHOT)
    assert "5" in (wall.tiles[snap].look.note or "")
    # a snapshot: played until the first frame, then stopped, the frame kept
    wall._on_tick()
    p = player(wall, snap)
    assert p.calls[-1][0] == "play"
    p.deliver("#c03030")
    assert p.state.name == "STOPPED"
    assert wall.tiles[snap].image is not None
    wall.grab().save(screenshot_path("gv_wall_budget.png"))
    wall.set_budget(DecodeBudget.of_sub_streams(0.5))
    paused = [i for i in range(8) if wall.mode_at(i) is Mode.PAUSED]
    assert paused and all("budget" in wall.tiles[i].look.badge
                          or "giới hạn" in wall.tiles[i].look.badge for i in paused)
    wall.grab().save(screenshot_path("gv_wall_budget_paused.png"))


# --- nearest cameras and priority 1 -----------------------------------------------------------

def incident(priority: int, number: int = 7) -> Incident:
    return Incident(f"i{number}", number, IncidentType.ROBBERY, priority, LON0, LAT0,
                    IncidentSource.PHONE)


def test_nearest_cameras_fill_a_2x2_in_rank_order_and_the_wall_comes_back(
        make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    ranked = ["C09", "C03", "C12", "C01", "C05"]
    wall = make_wall(nearest=lambda inc: ranked)
    wall.set_layout("3x3")
    wall.assign(0, "C15")
    wall.set_incident(incident(2))
    assert wall.nearest_action.isEnabled()
    recorded.clear()
    wall.nearest_action.trigger()
    assert wall.layout_key == "2x2"
    assert [wall.camera_at(i) for i in range(4)] == ranked[:4]
    purposes = {c.purpose for c in recorded if type(c).__name__ == "StartLiveView"}
    assert purposes == {"vụ #7"}
    assert wall.banner.isVisible()
    wall.banner_button.click()  # back to the previous wall
    assert wall.layout_key == "3x3" and wall.camera_at(0) == "C15"


def test_a_priority_1_incident_fills_an_idle_wall_but_not_one_in_use(
        make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall(nearest=lambda inc: ["C02", "C04", "C06", "C08"])
    wall.set_layout("3x3")
    assert not wall.incident_alert(incident(2, 3))  # priority 2: nothing by itself
    assert wall.layout_key == "3x3"
    assert wall.incident_alert(incident(1, 4))  # idle wall
    assert [wall.camera_at(i) for i in range(4)] == ["C02", "C04", "C06", "C08"]
    wall.restore_previous()
    drop(wall.tiles[0], wall.camera_list.mime_for("C10"))  # the officer is using it
    assert not wall.incident_alert(incident(1, 5))
    assert wall.layout_key == "3x3" and wall.camera_at(0) == "C10"
    assert wall.banner.isVisible() and "#5" in wall.banner_label.text()
    wall.banner_button.click()  # the officer takes the offer
    assert wall.layout_key == "2x2" and wall.camera_at(0) == "C02"
    drill = incident(1, 6)
    drill.exercise = True
    wall.last_touch = float("-inf")
    assert wall.incident_alert(drill)
    assert wall.banner_label.text().startswith("[DIỄN TẬP]")


# --- the record -------------------------------------------------------------------------------

def test_switching_a_tiles_camera_is_a_stop_and_a_start_and_shutdown_stops_all(
        make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    wall = make_wall()
    wall.assign(0, "C01")
    wall.assign(1, "C02")
    wall.assign(0, "C03")
    wall.assign(1, None)
    wall.shutdown()
    got = [(type(c).__name__, c.camera, getattr(c, "reason", None)) for c in recorded]
    assert got == [("StartLiveView", "C01", None), ("StartLiveView", "C02", None),
                   ("StopLiveView", "C01", "switched"), ("StartLiveView", "C03", None),
                   ("StopLiveView", "C02", "closed"), ("StopLiveView", "C03", "console closed")]
    starts = {c.view_id: c.camera for c in recorded if type(c).__name__ == "StartLiveView"}
    for c in recorded:
        if type(c).__name__ == "StopLiveView":
            assert starts[c.view_id] == c.camera  # each stop pairs with its start


def test_tile_states_are_readable(qtbot: QtBot, make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall()
    for i, code in enumerate(("C01", "C02", "C03", "C04")):
        wall.assign(i, code)
    p0, p1, p2, p3 = (player(wall, i) for i in range(4))
    p0.deliver("#2f7f4f")
    p1.deliver("#2f4f7f")
    p1._set("STALLED", "")
    p2._set("FAILED", "authentication failed")
    p3._set("RECONNECTING", "camera unreachable; attempt 2, next try in 4 s")
    wall._on_tick()
    image = wall.grab().toImage()
    image.save(screenshot_path("gv_wall_states.png"))
    assert "LIVE" in wall.tiles[0].look.badge or "TRỰC TIẾP" in wall.tiles[0].look.badge
    stalled = wall.tiles[1].look
    assert stalled.border is not None and stalled.dim
    assert cw_clock(wall.tiles[1].still_at_us) in stalled.badge  # when it reached the tile
    failed = wall.tiles[2].look
    assert "password" in failed.message or "mật khẩu" in failed.message
    # the stalled tile's frame is dimmed: darker than the live one's
    t0, t1 = wall.tiles[0].geometry().center(), wall.tiles[1].geometry().center()
    c0 = QColor(image.pixel(wall.grid_host.mapTo(wall, t0 + QPoint(0, 40))))
    c1 = QColor(image.pixel(wall.grid_host.mapTo(wall, t1 + QPoint(0, 40))))
    assert c1.lightness() < c0.lightness() + 10


def cw_clock(us: int) -> str:
    from gvcommand.ui.camera_wall.look import clock

    return clock(us)


def test_an_empty_tile_invites_a_drop(make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall()
    tile: CameraTile = wall.tiles[0]
    assert wall.camera_at(0) is None and tile.look is None


def test_a_tile_dragged_onto_another_swaps_their_cameras(
        qtbot: QtBot, make_wall: Callable[..., CameraWall], recorded: list[object]) -> None:
    wall = make_wall()
    wall.assign(0, "C01")
    wall.assign(3, "C04")
    carried: list[QMimeData] = []
    wall.tiles[0].start_drag = carried.append  # type: ignore[method-assign]  # Qt's loop
    qtbot.mousePress(wall.tiles[0], Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    # a move with the button held, as the window system sends it (pytest-qt's holds none)
    QApplication.sendEvent(wall.tiles[0], QMouseEvent(
        QEvent.Type.MouseMove, QPointF(90, 80), QPointF(90, 80), Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert len(carried) == 1
    drop(wall.tiles[3], carried[0])
    assert (wall.camera_at(0), wall.camera_at(3)) == ("C04", "C01")
    assert wall.url_at(0).endswith("/C04/sub") and wall.url_at(3).endswith("/C01/sub")
    # the same drag dropped on another wall (or from the map) is a plain camera drop
    other = make_wall()
    drop(other.tiles[1], carried[0])
    assert other.camera_at(1) == "C01"


def test_the_budget_is_set_per_workstation_from_the_toolbar(
        make_wall: Callable[..., CameraWall], settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    wall = make_wall()
    assert wall.budget.sub_streams == pytest.approx(16)  # the default for 2 cores
    monkeypatch.setattr(cw.QInputDialog, "getDouble", lambda *a, **k: (2.0, True))
    wall.budget_button.click()
    assert wall.budget.sub_streams == pytest.approx(2)
    assert "2" in wall.budget_button.text()
    for i in range(4):
        wall.assign(i, f"C{i + 1:02d}")
    assert [wall.mode_at(i) for i in range(4)] == [Mode.SUB, Mode.SNAPSHOT, Mode.SNAPSHOT,
                                                   Mode.SNAPSHOT]
    again = make_wall()  # this workstation's next start keeps it
    assert again.budget.sub_streams == pytest.approx(2)


def test_a_camera_chosen_in_the_list_goes_to_the_selected_tile_and_n_shows_nearest(
        qtbot: QtBot, make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall(nearest=lambda inc: ["C05", "C06"])
    wall.set_layout("3x3")
    qtbot.mouseClick(wall.tiles[4], Qt.MouseButton.LeftButton)
    assert wall.selected_slot == 4
    wall.camera_list.search.setText("C07")
    index = wall.camera_list.view.model().index(0, 0)
    wall.camera_list.view.activated.emit(index)  # double-click or Enter on the row
    assert wall.camera_at(4) == "C07"
    wall.setFocus()
    qtbot.keyClick(wall, Qt.Key.Key_N)  # no incident selected: nothing
    assert wall.layout_key == "3x3"
    wall.set_incident(incident(2, 9))
    qtbot.keyClick(wall, Qt.Key.Key_N)
    assert wall.layout_key == "2x2"
    assert [wall.camera_at(i) for i in range(4)] == ["C05", "C06", None, None]


def test_saving_under_a_name_in_use_asks_first(
        make_wall: Callable[..., CameraWall], monkeypatch: pytest.MonkeyPatch) -> None:
    wall = make_wall()
    wall.assign(0, "C01")
    wall.save_wall("Ca đêm")
    wall.assign(0, "C02")
    monkeypatch.setattr(cw.QInputDialog, "getText", lambda *a, **k: ("Ca đêm", True))
    answers = [cw.QMessageBox.StandardButton.No, cw.QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(cw.QMessageBox, "question", lambda *a, **k: answers.pop(0))
    wall.save_action.trigger()  # "replace?" — no
    assert wall.saved_walls()["Ca đêm"].cameras[0] == "C01"
    wall.save_action.trigger()  # yes
    assert wall.saved_walls()["Ca đêm"].cameras[0] == "C02"


def test_failure_reasons_in_the_officers_words() -> None:
    from gvcommand.ui.camera_wall.look import reason_text, split_detail

    assert reason_text("unsupported codec (hevc)") == "định dạng video không hỗ trợ (hevc)"
    # a sentence in the relay's words is not the officer's: it stays in the tooltip
    assert reason_text("unsupported codec (no video stream FFmpeg can read)") == (
        "định dạng video không hỗ trợ")
    why, retry = split_detail("camera unreachable; ffmpeg exited with code 1: Connection "
                              "refused; attempt 3, next try in 4 s")
    assert why == "không kết nối được camera (mạng hoặc nguồn điện)"
    assert retry == "lần 3, thử lại sau 4 giây"
    assert split_detail("last frame at 06:00:01; attempt 1, trying now") == (
        "", "lần 1, đang thử lại")
