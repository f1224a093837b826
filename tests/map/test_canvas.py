"""The map as an officer sees it: pixels at known places in a grab, clicks, hover, the
coordinate read-out, the time window, layers switched off, density at low zoom."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.model import Force, IncidentType, UnitStatus
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.map.canvas import MapCanvas
from gvcommand.map.layers.incidents import DENSITY_MAX_POINTS
from gvcommand.ui.i18n import install_translator

from .conftest import (
    HOUR_US,
    NOW_US,
    camera,
    grid_edition,
    incident,
    near,
    pixel,
    unit,
    ward_centre,
    ward_code,
)

Grab = Callable[[MapCanvas, str], QImage]


def viewport_pos(canvas: MapCanvas, lon: float, lat: float) -> QPoint:
    """Where (lon, lat) is, in the graphics view's viewport (for mouse events)."""
    x, y = project_point(lon, lat)
    return canvas.view.mapFromScene(canvas.view_box.mapViewToScene(QPointF(x, y)))


def blend(top: QColor, bottom: str) -> QColor:
    a = top.alphaF()
    b = QColor(bottom)
    return QColor(round(top.red() * a + b.red() * (1 - a)),
                  round(top.green() * a + b.green() * (1 - a)),
                  round(top.blue() * a + b.blue() * (1 - a)))


def test_choropleth_fills_each_ward_with_its_colour(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    values = {ward_code(i, j): float(i * 4 + j) for i in range(4) for j in range(4)}
    canvas.set_ward_values(values, "Số vụ")
    image = grab(canvas, "choropleth")
    # a quarter of a ward away from its centre: clear of the ward's name label
    for (i, j), t in (((0, 0), 0.0), ((3, 3), 1.0), ((1, 3), 7 / 15)):
        lon, lat = ward_centre(i, j)
        p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
        expected = blend(style.choropleth_colour(t), style.BACKGROUND)
        assert near(pixel(image, p.x(), p.y()), expected, 12), (i, j)
    assert canvas.view.legend == ("Số vụ", 0.0, 15.0)


def test_without_values_a_ward_is_the_map_background(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    image = grab(canvas, "wards_plain")
    lon, lat = ward_centre(2, 1)
    p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
    assert near(pixel(image, p.x(), p.y()), style.BACKGROUND, 6)
    # and the shared border between two wards is drawn in the outline colour
    border = canvas.lonlat_to_widget(ward_centre(2, 1)[0] + 0.006, lat - 0.003)
    colours = [pixel(image, border.x() + dx, border.y()) for dx in (-1, 0, 1)]
    assert any(near(c, style.WARD_OUTLINE, 90) for c in colours)


def test_unit_drawn_at_its_position_in_its_status_colour(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    here, there = ward_centre(1, 1), ward_centre(2, 2)
    canvas.set_units([unit("363-01"), unit("HS-02", Force.HINH_SU, UnitStatus.ON_SCENE),
                      unit("KHONG-VI-TRI")],
                     {"363-01": here, "HS-02": there})
    image = grab(canvas, "units")
    p = canvas.lonlat_to_widget(*here)
    assert near(pixel(image, p.x(), p.y()), style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE])
    q = canvas.lonlat_to_widget(*there)
    assert near(pixel(image, q.x(), q.y()), style.UNIT_STATUS_COLOURS[UnitStatus.ON_SCENE])
    assert len(canvas.units.scatter.data) == 2  # no position, not drawn
    assert canvas.units.labels.labels_in(canvas.view_rect()) == ["363-01", "HS-02"]


def test_clicking_a_unit_selects_it(qtbot: QtBot, canvas: MapCanvas) -> None:
    canvas.set_wards(grid_edition())
    canvas.set_units([unit("363-07")], {"363-07": ward_centre(1, 2)})
    canvas.set_incidents([incident(1, *ward_centre(0, 0))])
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(canvas, *ward_centre(1, 2)) + QPoint(2, 1))
    assert blocker.args == ["unit", "363-07"]


def test_a_unit_on_top_of_an_incident_wins_the_click(qtbot: QtBot, canvas: MapCanvas) -> None:
    where = ward_centre(2, 1)
    canvas.set_wards(grid_edition())
    canvas.set_view(*where, 1000)  # zoomed in: incidents as points
    canvas.set_incidents([incident(5, *where)])
    canvas.set_units([unit("PH-01", Force.PHUONG)], {"PH-01": where})
    assert canvas.feature_at(QPointF(*project_point(*where)))[:2] == ("unit", "PH-01")
    canvas.set_layer_visible("units", False)
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(canvas, *where))
    assert blocker.args == ["incident", "i5"]


def test_clicking_a_ward_selects_the_ward(qtbot: QtBot, canvas: MapCanvas) -> None:
    canvas.set_wards(grid_edition())
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(canvas, ward_centre(3, 0)[0] - 0.003,
                                          ward_centre(3, 0)[1] - 0.003))
    assert blocker.args == ["ward", "P13"]


def test_time_window_changes_what_is_drawn(canvas: MapCanvas, grab: Grab) -> None:
    lon, lat = ward_centre(1, 1)
    canvas.set_view(lon, lat, 800)
    recent = incident(1, lon, lat, created_us=NOW_US - HOUR_US // 2,
                      type_=IncidentType.TRAFFIC_ACCIDENT, priority=3)
    old = incident(2, lon + 0.001, lat, created_us=NOW_US - 20 * HOUR_US,
                   type_=IncidentType.ROBBERY, priority=3)
    canvas.set_incidents([recent, old])
    p, q = canvas.lonlat_to_widget(lon, lat), canvas.lonlat_to_widget(lon + 0.001, lat)

    canvas.set_time_preset("1h", NOW_US)
    image = grab(canvas, "window_1h")
    assert len(canvas.incidents.scatter.data) == 1
    assert near(pixel(image, p.x(), p.y()), style.INCIDENT_COLOURS[IncidentType.TRAFFIC_ACCIDENT])
    assert near(pixel(image, q.x(), q.y()), style.BACKGROUND, 6)

    canvas.set_time_preset("24h", NOW_US)
    image = grab(canvas, "window_24h")
    assert len(canvas.incidents.scatter.data) == 2
    assert near(pixel(image, q.x(), q.y()), style.INCIDENT_COLOURS[IncidentType.ROBBERY])

    canvas.set_time_window(NOW_US - 30 * HOUR_US, NOW_US - 10 * HOUR_US)  # custom [t0, t1]
    assert list(canvas.incidents.scatter.data["data"]) == ["i2"]


def test_hiding_a_layer_removes_its_pixels(canvas: MapCanvas, grab: Grab) -> None:
    where = ward_centre(0, 2)
    canvas.set_wards(grid_edition())
    canvas.set_units([unit("363-02")], {"363-02": where})
    p = canvas.lonlat_to_widget(*where)
    colour = style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE]
    assert near(pixel(grab(canvas, "layer_on"), p.x(), p.y()), colour)
    canvas.set_layer_visible("units", False)
    assert not near(pixel(grab(canvas, "layer_off"), p.x(), p.y()), colour, 100)
    canvas.set_layer_visible("units", True)
    canvas.set_layer_opacity("units", 0.0)
    assert not near(pixel(grab(canvas, "layer_transparent"), p.x(), p.y()), colour, 100)
    assert canvas.feature_at(QPointF(*project_point(*where))) is None or (
        canvas.feature_at(QPointF(*project_point(*where)))[0] == "ward")


def test_zoom_switches_incidents_between_density_and_points(
    canvas: MapCanvas, grab: Grab
) -> None:
    lon, lat = ward_centre(1, 1)
    # a hot spot of 60 incidents within ~20 m, and a few scattered
    incidents = [incident(n, lon + (n % 6) * 0.00003, lat + (n // 6) * 0.00003)
                 for n in range(60)]
    canvas.set_incidents(incidents)
    canvas.set_view(lon, lat, 6000)
    image = grab(canvas, "density")
    assert canvas.incidents.mode == "density"
    assert canvas.incidents.density.isVisible() and not canvas.incidents.scatter.isVisible()
    p = canvas.lonlat_to_widget(lon + 0.0001, lat + 0.0001)
    hot = pixel(image, p.x(), p.y())
    assert hot.red() > 150 and hot.red() > hot.blue() + 60  # the hot spot glows

    canvas.set_view(lon, lat, 1500)
    grab(canvas, "points")
    assert canvas.incidents.mode == "points"
    assert canvas.incidents.scatter.isVisible() and not canvas.incidents.density.isVisible()


def test_too_many_points_in_view_show_density_even_zoomed_in(canvas: MapCanvas) -> None:
    lon, lat = ward_centre(1, 1)
    n = DENSITY_MAX_POINTS + 1
    canvas.set_incidents([incident(i, lon + (i % 100) * 0.000005, lat + (i // 100) * 0.000005)
                          for i in range(n)])
    canvas.set_view(lon, lat, 1000)
    assert canvas.incidents.count_in(canvas.view_rect()) == n
    assert canvas.incidents.mode == "density"
    canvas.set_time_window(0, 1)  # nothing in the window
    assert canvas.incidents.mode == "points"


def test_read_out_shows_vn2000_of_a_known_point(qtbot: QtBot, canvas: MapCanvas) -> None:
    # reference (ARCHITECTURE.md): WGS84 (106.665, 10.838) → EPSG:9210 E 599850.583,
    # N 1198688.945; zoomed in so that one pixel is well under a metre
    canvas.set_view(106.665, 10.838, 200)
    assert canvas.view.metres_per_pixel() < 0.5
    received: list[tuple[float, ...]] = []
    canvas.cursor_moved.connect(lambda *a: received.append(a))
    qtbot.mouseMove(canvas.view.viewport(), viewport_pos(canvas, 106.665, 10.838))
    qtbot.waitUntil(lambda: "E " in canvas.readout.text(), timeout=2000)
    text = canvas.readout.text()
    e = float(re.search(r"E ([\d.]+) m", text).group(1))
    n = float(re.search(r"N ([\d.]+) m", text).group(1))
    assert e == pytest.approx(599850.583, abs=1.0)
    assert n == pytest.approx(1198688.945, abs=1.0)
    lat_text, lon_text = re.search(r"WGS 84: ([\d.]+)°, ([\d.]+)°", text).groups()
    assert (float(lon_text), float(lat_text)) == pytest.approx((106.665, 10.838), abs=1e-5)
    lon, lat, e2, n2 = received[-1]
    assert (lon, lat) == pytest.approx((106.665, 10.838), abs=1e-5)
    assert (e2, n2) == pytest.approx((599850.583, 1198688.945), abs=1.0)


def test_hover_describes_the_feature_under_the_pointer(qtbot: QtBot, canvas: MapCanvas) -> None:
    where = ward_centre(2, 2)
    canvas.set_wards(grid_edition())
    canvas.set_units([unit("HS-09", Force.HINH_SU, UnitStatus.EN_ROUTE)], {"HS-09": where})
    with qtbot.waitSignal(canvas.hovered, timeout=2000) as blocker:
        qtbot.mouseMove(canvas.view.viewport(), viewport_pos(canvas, *where))
    assert blocker.args == ["HS-09 — Tổ hình sự đặc nhiệm — Đang di chuyển"]
    assert canvas.view.toolTip() == blocker.args[0]


def test_measuring_a_distance(qtbot: QtBot, canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    a, b = ward_centre(0, 0), ward_centre(0, 3)  # 3 × 0.012° of longitude apart
    canvas.set_measuring(True)
    with qtbot.waitSignal(canvas.distance_measured, timeout=1000) as blocker:
        for lonlat in (a, b):
            qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                             pos=viewport_pos(canvas, *lonlat))
    grab(canvas, "measure")
    # 0.036° of longitude at 10.83° N ≈ 3,937 m; a pixel is ~11 m here
    assert blocker.args[0] == pytest.approx(3937, abs=25)
    assert canvas._measure_label.isVisible()
    assert canvas._measure_label.textItem.toPlainText().endswith(" m")


def test_keyboard_pans_and_zooms(qtbot: QtBot, canvas: MapCanvas) -> None:
    canvas.set_wards(grid_edition())
    canvas.view.setFocus()
    before = canvas.view_rect()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Right)
    after = canvas.view_rect()
    assert after.center().x() > before.center().x() + 0.15 * before.width()
    assert after.center().y() == pytest.approx(before.center().y(), abs=1)
    qtbot.keyClick(canvas.view, Qt.Key.Key_Up)
    assert canvas.view_rect().center().y() > after.center().y()
    width = canvas.view_rect().width()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Plus)
    assert canvas.view_rect().width() == pytest.approx(width / 1.25, rel=0.02)
    qtbot.keyClick(canvas.view, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas.view, Qt.Key.Key_Minus)
    assert canvas.view_rect().width() == pytest.approx(width * 1.25, rel=0.02)


def test_zoom_to_ward(canvas: MapCanvas) -> None:
    canvas.set_wards(grid_edition())
    canvas.zoom_to_ward("P11")
    rect = canvas.view_rect()
    centre = QPointF(*project_point(*ward_centre(2, 2)))
    assert abs(rect.center().x() - centre.x()) < 30 and abs(rect.center().y() - centre.y()) < 30
    assert 1300 < min(rect.width(), rect.height()) < 2200
    with pytest.raises(KeyError):
        canvas.zoom_to_ward("P99")


def test_cameras_icon_and_cone_pointing_east(canvas: MapCanvas, grab: Grab) -> None:
    where = ward_centre(1, 1)
    canvas.set_view(*where, 800)
    canvas.set_cameras([camera("CAM-01", *where, azimuth=90.0)])
    image = grab(canvas, "camera")
    p = canvas.lonlat_to_widget(*where)
    assert near(pixel(image, p.x() - 2, p.y()), style.CAMERA_OWNER_COLOURS[camera(
        "x", 0, 0).owner], 60)
    # 100 m east of the camera is inside its 150 m cone; 100 m west is not
    mpp = canvas.view.metres_per_pixel()
    east = pixel(image, p.x() + round(100 / mpp), p.y())
    west = pixel(image, p.x() - round(100 / mpp), p.y())
    assert near(west, style.BACKGROUND, 6)
    assert east.blue() > QColor(style.BACKGROUND).blue() + 15
    assert canvas.feature_at(QPointF(*project_point(*where)))[:2] == ("camera", "CAM-01")


def test_complex_points_are_drawn_and_clickable(qtbot: QtBot, canvas: MapCanvas,
                                                grab: Grab) -> None:
    where = ward_centre(3, 1)
    canvas.set_wards(grid_edition())
    canvas.set_complex_points([("DPT-3", "Chợ Hạnh Thông Tây", *where, "active")])
    image = grab(canvas, "complex_points")
    p = canvas.lonlat_to_widget(*where)
    assert near(pixel(image, p.x(), p.y() - 1), style.POINT_STATUS_COLOURS["active"], 60)
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(canvas, *where))
    assert blocker.args == ["complex_point", "DPT-3"]


def test_layer_order(canvas: MapCanvas) -> None:
    assert canvas.layer_order() == ["wards", "roads", "incidents", "cameras", "complex_points",
                                    "trails", "track", "units"]
    canvas.move_layer("incidents", +10)
    assert canvas.layer_order()[-1] == "incidents"
    assert canvas.incidents.scatter.zValue() > canvas.units.scatter.zValue()
    canvas.move_layer("incidents", -1)
    assert canvas.layer_order()[-2:] == ["incidents", "units"]
    with pytest.raises(ValueError):
        canvas.set_layer_order(["wards"])


def test_scale_bar_lengths() -> None:
    from gvcommand.map._view import format_length, nice_length
    assert nice_length(1400) == 1000
    assert nice_length(260) == 200
    assert nice_length(99) == 50
    assert format_length(1000) == "1 km"
    assert format_length(500) == "500 m"


def test_points_follow_the_view_when_panning(qtbot: QtBot, canvas: MapCanvas) -> None:
    """The scatter holds only the incidents around the view; panning elsewhere brings the
    incidents there, and they are clickable."""
    a, b = ward_centre(0, 0), ward_centre(3, 3)  # ~5 km apart
    canvas.set_incidents([incident(1, *a), incident(2, *b)])
    canvas.set_view(*a, 800)
    assert list(canvas.incidents.scatter.data["data"]) == ["i1"]
    canvas.set_view(*b, 800)
    assert list(canvas.incidents.scatter.data["data"]) == ["i2"]
    with qtbot.waitSignal(canvas.feature_selected, timeout=1000) as blocker:
        qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(canvas, *b))
    assert blocker.args == ["incident", "i2"]
    assert sorted(canvas.incidents.shown_ids()) == ["i1", "i2"]


def test_camera_cones_only_when_zoomed_in(canvas: MapCanvas, grab: Grab) -> None:
    where = ward_centre(1, 1)
    canvas.set_cameras([camera("CAM-02", *where, azimuth=0.0)])
    canvas.set_view(*where, 800)
    assert not canvas.cameras.cones.lod_hidden
    assert not canvas.cameras.cones.path.isEmpty()
    assert not canvas.cameras.as_dots
    canvas.set_view(*where, 8000)
    image = grab(canvas, "cones_zoomed_out")
    assert canvas.cameras.cones.lod_hidden
    assert canvas.cameras.as_dots  # thousands of icons would hide everything else
    canvas.set_view(*where, 800)
    assert not canvas.cameras.as_dots
    canvas.set_view(*where, 8000)
    # the icon is still drawn
    p = canvas.lonlat_to_widget(*where)
    assert not near(pixel(image, p.x() - 2, p.y()), style.BACKGROUND, 30)


def test_density_image_is_premultiplied(canvas: MapCanvas) -> None:
    lon, lat = ward_centre(1, 1)
    canvas.set_incidents([incident(n, lon, lat) for n in range(10)])
    canvas.set_view(lon, lat, 6000)
    canvas.grab()
    assert canvas.incidents.density.qimage.format() == QImage.Format.Format_ARGB32_Premultiplied


def test_measure_button_and_key(qtbot: QtBot, qapp: QApplication) -> None:
    translator = install_translator(qapp, "vi")
    try:
        canvas = MapCanvas()
        qtbot.addWidget(canvas)
        canvas.show()
        assert canvas.measure_button.text() == "Đo khoảng cách"
        assert canvas.readout.text() == "Di chuột trên bản đồ để xem toạ độ"
    finally:
        qapp.removeTranslator(translator)
    canvas.measure_button.click()
    assert canvas.measuring
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Escape)
    assert not canvas.measuring and not canvas.measure_button.isChecked()
    qtbot.keyClick(canvas.view, Qt.Key.Key_M)
    assert canvas.measuring and canvas.measure_button.isChecked()


def test_time_window_uses_when_it_happened(canvas: MapCanvas) -> None:
    lon, lat = ward_centre(1, 1)
    canvas.set_view(lon, lat, 800)
    late_report = incident(7, lon, lat, created_us=NOW_US)
    late_report.occurred_us = NOW_US - 3 * HOUR_US  # reported three hours after
    canvas.set_incidents([late_report])
    canvas.set_time_preset("1h", NOW_US)
    assert canvas.incidents.shown_ids() == []
    canvas.set_time_preset("6h", NOW_US)
    assert canvas.incidents.shown_ids() == ["i7"]


def test_a_new_incident_is_drawn_in_the_next_frame(canvas: MapCanvas, grab: Grab) -> None:
    lon, lat = ward_centre(2, 2)
    canvas.set_view(lon, lat, 800)
    first = incident(1, lon, lat, type_=IncidentType.TRAFFIC_ACCIDENT, priority=3)
    canvas.set_incidents([first])
    grab(canvas, "live_before")
    later = incident(2, lon + 0.001, lat, type_=IncidentType.ROBBERY, priority=3)
    canvas.set_incidents([first, later])  # what the live state hands the map on a change
    image = grab(canvas, "live_after")
    q = canvas.lonlat_to_widget(lon + 0.001, lat)
    assert near(pixel(image, q.x(), q.y()), style.INCIDENT_COLOURS[IncidentType.ROBBERY])
    assert canvas.feature_at(QPointF(*project_point(lon + 0.001, lat)))[:2] == ("incident", "i2")


def test_overlapping_cones_are_filled_once(canvas: MapCanvas, grab: Grab) -> None:
    """Cones are filled as their union: where two overlap, the map is no darker."""
    where = ward_centre(1, 2)
    canvas.set_view(*where, 800)
    canvas.set_cameras([camera("CAM-A", *where, azimuth=90.0),
                        camera("CAM-B", *where, azimuth=110.0)])
    image = grab(canvas, "cones_overlap")
    p = canvas.lonlat_to_widget(*where)
    mpp = canvas.view.metres_per_pixel()
    # 100 m out: at 100° both cones (60° wide) cover it, at 70° only CAM-A, at 130° only CAM-B
    def at(bearing: float) -> QColor:
        rad = math.radians(bearing)
        return pixel(image, p.x() + round(100 / mpp * math.sin(rad)),
                     p.y() - round(100 / mpp * math.cos(rad)))
    both, only_a, only_b = at(100.0), at(70.0), at(130.0)
    assert both.blue() > QColor(style.BACKGROUND).blue() + 15
    assert near(both, only_a, 3) and near(both, only_b, 3)
