"""The legend explains the map in the map's own colours and symbols, in Vietnamese."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor

from gvcommand.core.model import CameraOwner, Force, IncidentType, UnitStatus
from gvcommand.map import style
from gvcommand.ui.main_window import MainWindow

from .._screenshots import screenshot_path

WindowFactory = Callable[..., MainWindow]


def _centre_colour(label: object) -> QColor:
    image = label.pixmap().toImage()  # type: ignore[attr-defined]
    return QColor(image.pixel(image.width() // 2, image.height() // 2))


def _near(a: QColor, b: str) -> bool:
    e = QColor(b)
    return abs(a.red() - e.red()) + abs(a.green() - e.green()) + abs(a.blue() - e.blue()) < 30


def test_legend_rows_in_map_colours(make_window: WindowFactory) -> None:
    window = make_window(start=False)
    legend = window.layers_dock.legend
    assert legend.title() == "Chú giải"
    for kind in IncidentType:
        icon, text = legend.rows[f"incident:{kind.value}"]
        assert text.text() == kind.label
        assert _near(_centre_colour(icon), style.INCIDENT_COLOURS[kind])
    for status in UnitStatus:
        icon, text = legend.rows[f"status:{status.value}"]
        assert text.text() == status.label
        assert _near(_centre_colour(icon), style.UNIT_STATUS_COLOURS[status])
    icon, text = legend.rows["status:stale"]
    assert _near(_centre_colour(icon), style.UNIT_STALE)
    assert text.text() == "Mất tín hiệu vị trí (màu xám)"
    assert {k for k in legend.rows if k.startswith("force:")} == {f"force:{f.value}"
                                                                   for f in Force}
    assert {k for k in legend.rows if k.startswith("camera:")} == {f"camera:{o.value}"
                                                                    for o in CameraOwner}
    # different forces, different symbols: their icons differ
    images = [legend.rows[f"force:{f.value}"][0].pixmap().toImage() for f in Force]
    assert all(a != b for i, a in enumerate(images) for b in images[i + 1:])


def test_legend_explains_the_drill_ring(make_window: WindowFactory) -> None:
    legend = make_window(start=False).layers_dock.legend
    for key, fill in (("exercise:incident", style.INCIDENT_COLOURS[IncidentType.FIGHT]),
                      ("exercise:unit", style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE])):
        icon, _text = legend.rows[key]
        assert _near(_centre_colour(icon), fill)  # the map's own symbol inside the ring
        image = icon.pixmap().toImage()
        edge = [QColor(image.pixel(x, y)) for x in range(image.width())
                for y in range(image.height())
                if min(x, y, image.width() - 1 - x, image.height() - 1 - y) <= 1]
        assert sum(_near(c, style.EXERCISE_COLOUR) for c in edge) >= 4  # the violet dashes
    assert legend.rows["exercise:incident"][1].text() == "Vụ việc diễn tập (không phải vụ thật)"
    assert legend.rows["exercise:unit"][1].text() == "Tổ diễn tập (nhãn “· DT”), không đi vụ thật"
    legend.grab().save(screenshot_path("gv_legend_drills.png"))
