"""The main window around the map: the wards in force today, live incidents, units and
cameras, the layers panel, the docks and their saved layout."""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import CameraOwner, Force, IncidentSource, IncidentType
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.store.boundaries import WardPolygon, import_edition
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow

from .._screenshots import screenshot_path
from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]
LON0, LAT0, STEP = 106.645, 10.825, 0.01


def box_wards(prefix: str, names: str) -> list[WardPolygon]:
    """Four wards in a 2 × 2 grid of shapely boxes."""
    out = []
    for k in range(4):
        i, j = divmod(k, 2)
        geom = shapely.box(LON0 + j * STEP, LAT0 + i * STEP,
                           LON0 + (j + 1) * STEP, LAT0 + (i + 1) * STEP)
        out.append(WardPolygon(f"{prefix}{k + 1}", f"{names} {k + 1}", 1.2,
                               shapely.to_wkb(geom)))
    return out


def store_editions(store: EventStore) -> None:
    import_edition(store, name="cũ", valid_from="2020-01-01", valid_to="2025-06-30",
                   source_sha256="a" * 64, wards=box_wards("OLD", "Phường cũ"), actor=ADMIN)
    import_edition(store, name="hiện hành", valid_from="2025-07-01", valid_to=None,
                   source_sha256="b" * 64, wards=box_wards("NEW", "Phường"), actor=ADMIN)


def test_map_is_in_the_centre_and_shows_todays_wards(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store_editions(store)
    window = make_window(start=False)
    assert window.centralWidget().isAncestorOf(window.map)
    assert window.map.isVisible() and window.map.width() > 500
    assert window.edition is not None and window.edition.name == "hiện hành"
    assert window.map.wards.labels.texts == [
        "Phường 1", "Phường 2", "Phường 3", "Phường 4"]
    image = window.grab().toImage()
    image.save(screenshot_path("gv_map_main_window.png"))
    # the shared border of wards 1 and 2 is drawn where it lies
    border = window.map.lonlat_to_widget(LON0 + STEP, LAT0 + STEP / 2)
    at = window.map.mapTo(window, border)
    colours = [QColor(image.pixel(at.x() + dx, at.y())) for dx in (-1, 0, 1)]
    assert any(abs(c.blue() - QColor(style.WARD_OUTLINE).blue()) < 50
               and c.lightness() > 90 for c in colours), [c.name() for c in colours]
    # inside a ward: the dark map background
    inside = window.mapFromGlobal(window.map.mapToGlobal(
        window.map.lonlat_to_widget(LON0 + STEP * 0.3, LAT0 + STEP * 0.3)))
    assert QColor(image.pixel(inside.x(), inside.y())).lightness() < 40


def test_a_new_edition_replaces_the_wards(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window()
    assert window.edition is None
    store_editions(store)
    qtbot.waitUntil(lambda: window.edition is not None, timeout=3000)
    assert window.edition.name == "hiện hành"
    assert len(window.map.wards.labels.texts) == 4


def test_incidents_units_and_cameras_come_live(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddCamera("CAM-1", "Ngã tư Quang Trung", 106.66, 10.835,
                                    CameraOwner.POLICE, "p1", 90.0, 60.0, 120.0)], ADMIN)
    window = make_window()
    assert list(window.map.cameras.scatter.data["data"]) == ["CAM-1"]
    assert window.map.incidents.shown_ids() == []
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, 106.662, 10.836,
                                   IncidentSource.PHONE, "p1", "Quang Trung", "đánh nhau"),
                  OFFICER)
    qtbot.waitUntil(lambda: window.map.incidents.shown_ids() == ["i-1"], timeout=3000)
    window.map.set_view(106.662, 10.836, 1000)  # zoomed in: drawn as a point
    assert list(window.map.incidents.scatter.data["data"]) == ["i-1"]
    # a unit shows once a position is known (the AVL feed is a later piece)
    window.live.set_positions({"363-01": (106.661, 10.834)})
    assert list(window.map.units.scatter.data["data"]) == ["363-01"]
    x, y = project_point(106.661, 10.834)
    assert window.map.feature_at(QPointF(x, y))[:2] == ("unit", "363-01")


def test_clicking_the_map_selects(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store.execute(c.AddUnit("HS-05", Force.HINH_SU), ADMIN)
    window = make_window(start=False)
    window.live.set_positions({"HS-05": (106.665, 10.838)})
    window.map.set_view(106.665, 10.838, 1500)
    x, y = project_point(106.665, 10.838)
    pos = window.map.view.mapFromScene(window.map.view_box.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(window.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.selected == ("unit", "HS-05"), timeout=1000)


def test_layers_panel_controls_the_map(make_window: WindowFactory) -> None:
    window = make_window(start=False)
    dock = window.layers_dock
    assert dock.windowTitle() == "Lớp bản đồ"
    assert dock.checkboxes["units"].text() == "Lực lượng tuần tra"
    assert dock.row_order() == ["units", "track", "trails", "complex_points", "cameras",
                                "incidents", "roads", "wards"]
    assert dock.checkboxes["trails"].text() == "Vệt di chuyển (10 phút gần nhất)"
    dock.checkboxes["cameras"].setChecked(False)
    assert not window.map.layer("cameras").visible
    assert not window.map.cameras.scatter.isVisible()
    dock.sliders["wards"].setValue(40)
    assert window.map.layer("wards").opacity == 0.4
    assert window.map.wards.item.opacity() == 0.4
    dock.down_buttons["units"].click()
    assert window.map.layer_order()[-2:] == ["units", "track"]
    assert dock.row_order()[:2] == ["track", "units"]
    assert not dock.up_buttons["track"].isEnabled()
    assert dock.time_combo.currentText() == "Tất cả vụ đang mở"
    dock.time_combo.setCurrentIndex(1)  # last hour
    assert window.map.incidents.window is not None
    t0, t1 = window.map.incidents.window
    assert t1 - t0 == 3_600_000_000


def test_docks_event_log_and_placeholders(make_window: WindowFactory) -> None:
    window = make_window(start=False)
    assert window.event_log_dock.windowTitle() == "Nhật ký sự kiện"
    assert window.event_log_dock.isAncestorOf(window.event_view)
    titles = {d.objectName(): d.windowTitle() for d in window.findChildren(QDockWidget)}
    assert titles == {"event_log_dock": "Nhật ký sự kiện", "layers_dock": "Lớp bản đồ",
                      "camera_wall_dock": "Màn hình camera", "incidents_dock": "Vụ việc",
                      "units_dock": "Lực lượng", "track_dock": "Phát lại hành trình"}
    # the camera wall lives in its dock (tests/ui/test_camera_wall_console.py)
    assert window.camera_wall_dock.widget() is window.camera_wall_dock.wall


def test_dock_layout_is_restored(qtbot: QtBot, make_window: WindowFactory) -> None:
    first = make_window(start=False)
    first.camera_wall_dock.hide()
    first.removeDockWidget(first.layers_dock)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.layers_dock)
    first.layers_dock.show()
    first.close()
    second = make_window(start=False)
    assert second.camera_wall_dock.isHidden()
    assert second.dockWidgetArea(second.layers_dock) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_complex_points_come_live(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window()
    store.execute(c.AddComplexPoint("DPT-1", "Cổng chợ Hạnh Thông Tây", 106.664, 10.837,
                                    None, "cướp giật"), ADMIN)
    qtbot.waitUntil(lambda: "DPT-1" in window.map.complex_points.points, timeout=3000)
    x, y = project_point(106.664, 10.837)
    window.map.set_view(106.664, 10.837, 1000)
    kind, ident, text = window.map.feature_at(QPointF(x, y))
    assert (kind, ident) == ("complex_point", "DPT-1")
    assert text == "Cổng chợ Hạnh Thông Tây (Đang theo dõi)"


def test_first_map_paint_is_announced_once(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(start=False)
    seen: list[int] = []
    window.first_map_paint.connect(lambda: seen.append(1))
    window.map.view.viewport().repaint()
    qtbot.waitUntil(lambda: seen == [1])
    window.map.view.viewport().repaint()
    qtbot.wait(50)
    assert seen == [1]
