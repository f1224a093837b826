"""Units as their fixes make them: a stale unit is grey whatever its status, the fix's
accuracy is a faint circle and its heading a short line, the hover says speed, battery and
how old the fix is (or when the unit was last seen)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QPointF
from PySide6.QtGui import QImage

from gvcommand.core.model import UnitStatus
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.map.canvas import MapCanvas
from gvcommand.map.motion import UnitFix

from .conftest import grid_edition, near, pixel, unit, ward_centre

Grab = Callable[[MapCanvas, str], QImage]


def test_stale_units_are_grey_and_fresh_ones_keep_their_status(canvas: MapCanvas,
                                                               grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    here, there = ward_centre(1, 1), ward_centre(2, 2)
    now_us = time.time_ns() // 1000
    fixes = {"363-01": UnitFix(*here, now_us - 5_000_000, 30.0, 90.0, 12.0, 80.0),
             "HS-02": UnitFix(*there, now_us - 600_000_000, 0.0, None, 8.0, 40.0)}
    canvas.set_units([unit("363-01"), unit("HS-02", status=UnitStatus.ON_SCENE)],
                     {"363-01": here, "HS-02": there}, stale=frozenset({"HS-02"}),
                     fixes=fixes)
    image = grab(canvas, "unit_fixes")
    p, q = canvas.lonlat_to_widget(*here), canvas.lonlat_to_widget(*there)
    assert near(pixel(image, p.x(), p.y()), style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE])
    assert near(pixel(image, q.x(), q.y()), style.UNIT_STALE)
    # the fresh unit: an accuracy circle and a heading line; the stale one: neither
    x, y = project_point(*here)
    circle = canvas.units.accuracy.path().boundingRect()
    assert abs(circle.center().x() - x) < 0.01 and abs(circle.width() - 24.0) < 0.01
    heading = canvas.units.headings.path().boundingRect()
    assert heading.left() >= x - 0.01 and heading.width() > 0 and heading.height() < 0.01
    # the hover
    kind, ident, text = canvas.units.hit(QPointF(x, y)) or ("", "", "")
    assert (kind, ident) == ("unit", "363-01")
    # (figures only: the words are the translator's, tests/ui checks them in Vietnamese)
    assert "30 km/h" in text and " 80%" in text and "±12 m" in text and " 90°" in text
    x2, y2 = project_point(*there)
    stale_text = canvas.units.hit(QPointF(x2, y2))[2]  # type: ignore[index]
    seen = QDateTime.fromMSecsSinceEpoch((now_us - 600_000_000) // 1000).toString("HH:mm")
    assert stale_text.endswith(f" {seen}") and "°" not in stale_text
