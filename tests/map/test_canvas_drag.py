"""Dispatch from the map: a unit symbol dragged onto an incident asks for a dispatch; a
short press still selects the unit; a drag elsewhere still pans; right click asks for a
menu on a unit or an incident."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.map.canvas import MapCanvas

from .._screenshots import screenshot_path
from .conftest import grid_edition, incident, unit, ward_centre
from .test_canvas import viewport_pos


def mouse(canvas: MapCanvas, kind: QEvent.Type, at: QPoint,
          button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    """A mouse event as the window system delivers it (the button held while moving)."""
    vp = canvas.view.viewport()
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    ev = QMouseEvent(kind, QPointF(at), QPointF(vp.mapToGlobal(at)),
                     Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else button,
                     held, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, ev)


def drag(canvas: MapCanvas, a: QPoint, b: QPoint, *, steps: int = 5,
         release: bool = True) -> None:
    mouse(canvas, QEvent.Type.MouseButtonPress, a)
    for k in range(1, steps + 1):
        mouse(canvas, QEvent.Type.MouseMove, a + (b - a) * (k / steps))
    if release:
        mouse(canvas, QEvent.Type.MouseButtonRelease, b)


def setup(canvas: MapCanvas) -> tuple[QPoint, QPoint]:
    canvas.set_wards(grid_edition())
    canvas.set_units([unit("363-07")], {"363-07": ward_centre(1, 1)})
    canvas.set_incidents([incident(1, *ward_centre(2, 2))])
    lon = (ward_centre(1, 1)[0] + ward_centre(2, 2)[0]) / 2
    lat = (ward_centre(1, 1)[1] + ward_centre(2, 2)[1]) / 2
    canvas.set_view(lon, lat, 2900)  # incidents as points, not the density image
    return viewport_pos(canvas, *ward_centre(1, 1)), viewport_pos(canvas, *ward_centre(2, 2))


def test_dragging_a_unit_onto_an_incident_requests_a_dispatch(
        qtbot: QtBot, canvas: MapCanvas) -> None:
    here, there = setup(canvas)
    before = canvas.view_rect()
    drag(canvas, here, there, release=False)
    assert canvas.dragging and canvas.drag_target == "i1"
    canvas.grab().save(screenshot_path("gv_map_drag_in_progress.png"))
    with qtbot.waitSignal(canvas.dispatch_requested, timeout=1000) as blocker:
        mouse(canvas, QEvent.Type.MouseButtonRelease, there)
    assert blocker.args == ["363-07", "i1"]
    assert canvas.view_rect() == before  # the map did not pan under the drag
    assert not canvas.dragging


def test_dropping_on_nothing_or_escape_dispatches_nothing(
        qtbot: QtBot, canvas: MapCanvas) -> None:
    here, there = setup(canvas)
    asked: list[tuple[str, str]] = []
    canvas.dispatch_requested.connect(lambda u, i: asked.append((u, i)))
    drag(canvas, here, there + QPoint(0, 80))  # an empty spot
    drag(canvas, here, there, release=False)
    qtbot.keyClick(canvas.view, Qt.Key.Key_Escape)
    assert not canvas.dragging
    mouse(canvas, QEvent.Type.MouseButtonRelease, there)
    assert asked == []


def test_a_press_without_moving_still_selects_and_empty_map_still_pans(
        qtbot: QtBot, canvas: MapCanvas) -> None:
    here, _there = setup(canvas)
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton, pos=here)
    assert blocker.args == ["unit", "363-07"]
    before = canvas.view_rect()
    empty = viewport_pos(canvas, ward_centre(1, 1)[0], ward_centre(2, 2)[1])
    drag(canvas, empty, empty + QPoint(120, 0), steps=8)
    assert canvas.view_rect().center().x() < before.center().x()  # panned west-to-east


def test_right_click_on_a_unit_or_incident_asks_for_a_menu(
        qtbot: QtBot, canvas: MapCanvas) -> None:
    here, there = setup(canvas)
    got: list[tuple[str, str]] = []
    canvas.context_requested.connect(lambda k, i, _p: got.append((k, i)))
    vp = canvas.view.viewport()
    for at in (here, there, viewport_pos(canvas, ward_centre(1, 1)[0], ward_centre(2, 2)[1])):
        QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                     vp.mapToGlobal(at)))
    assert got == [("unit", "363-07"), ("incident", "i1")]
