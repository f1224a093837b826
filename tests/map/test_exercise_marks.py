"""Drills (diễn tập) on the map: a drill incident and a drill unit each carry a dashed violet
ring around their own symbol (checked in the pixels of a grab), the unit's label says DT,
both hover texts start with the mark, and drills stay out of the density picture."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from gvcommand.core.model import Force, IncidentType, UnitStatus
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.map.canvas import MapCanvas

from .conftest import grid_edition, incident, near, pixel, unit, ward_centre

Grab = Callable[[MapCanvas, str], QImage]


def ring_pixels(image: QImage, x: int, y: int, radius: float,
                colour: str = style.EXERCISE_COLOUR) -> int:
    """How many pixels within a pixel or two of a circle of ``radius`` around (x, y) are the
    drill violet."""
    found = set()
    for step in range(720):
        a = math.radians(step / 2)
        for r in (radius - 1, radius, radius + 1):
            px, py = round(x + r * math.cos(a)), round(y - r * math.sin(a))
            if near(pixel(image, px, py), colour, 60):
                found.add((px, py))
    return len(found)


def test_a_drill_incident_and_a_drill_unit_are_ringed(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    real_inc, drill_inc = ward_centre(1, 0), ward_centre(1, 1)
    real_unit, drill_unit = ward_centre(2, 0), ward_centre(2, 1)
    canvas.set_incidents([
        incident(1, *real_inc, type_=IncidentType.FIGHT),
        dataclasses.replace(incident(2, *drill_inc, type_=IncidentType.FIGHT), exercise=True)])
    canvas.set_units([unit("363-01"),
                      dataclasses.replace(unit("DT-01", Force.PHUONG, UnitStatus.EN_ROUTE),
                                          exercise=True)],
                     {"363-01": real_unit, "DT-01": drill_unit})
    canvas.set_view(ward_centre(1, 1)[0], ward_centre(1, 1)[1] + 0.006, 2800)
    image = grab(canvas, "drills")

    inc_r = (style.PRIORITY_SIZES[2] + style.EXERCISE_RING_PAD_PX) / 2
    unit_r = (style.UNIT_SIZE + style.EXERCISE_RING_PAD_PX) / 2
    for where, r, drill in ((drill_inc, inc_r, True), (real_inc, inc_r, False),
                            (drill_unit, unit_r, True), (real_unit, unit_r, False)):
        p = canvas.lonlat_to_widget(*where)
        # the symbol itself keeps its colour (type, status): the ring is around it
        ringed = ring_pixels(image, p.x(), p.y(), r)
        if drill:
            assert ringed > 20, (where, ringed)  # 8 dashes of ~2 px by ~5 px
        else:
            assert ringed == 0, (where, ringed)
    p = canvas.lonlat_to_widget(*drill_inc)
    assert near(pixel(image, p.x(), p.y()), style.INCIDENT_COLOURS[IncidentType.FIGHT])
    q = canvas.lonlat_to_widget(*drill_unit)
    assert near(pixel(image, q.x(), q.y()), style.UNIT_STATUS_COLOURS[UnitStatus.EN_ROUTE])

    assert canvas.units.labels.labels_in(canvas.view_rect()) == ["363-01", "DT-01 · DT"]
    unit_hit = canvas.feature_at(QPointF(*project_point(*drill_unit)))
    assert unit_hit is not None and unit_hit[2].startswith("[DIỄN TẬP] DT-01")
    inc_hit = canvas.feature_at(QPointF(*project_point(*drill_inc)))
    assert inc_hit is not None and inc_hit[2].startswith("[DIỄN TẬP] #2")
    real_hit = canvas.feature_at(QPointF(*project_point(*real_unit)))
    assert real_hit is not None and "DIỄN TẬP" not in real_hit[2]


def test_drills_stay_out_of_the_density_picture(canvas: MapCanvas, grab: Grab) -> None:
    lon, lat = ward_centre(1, 1)
    drills = [dataclasses.replace(incident(n, lon + (n % 6) * 0.00003,
                                           lat + (n // 6) * 0.00003), exercise=True)
              for n in range(60)]
    canvas.set_incidents(drills)
    canvas.set_view(lon, lat, 6000)
    image = grab(canvas, "drill_density")
    assert canvas.incidents.mode == "density"
    p = canvas.lonlat_to_widget(lon + 0.0001, lat + 0.0001)
    assert near(pixel(image, p.x(), p.y()), style.BACKGROUND, 6)  # no glow for a drill
    canvas.set_view(lon, lat, 1500)
    grab(canvas, "drill_points")
    assert canvas.incidents.mode == "points"
    assert len(canvas.incidents.rings) == 60  # as points, every drill is there and ringed


def test_on_the_light_map_the_ring_is_a_deeper_violet(canvas: MapCanvas, grab: Grab) -> None:
    where = ward_centre(1, 1)
    canvas.set_theme("light")
    canvas.set_incidents([dataclasses.replace(incident(1, *where), exercise=True)])
    canvas.set_view(*where, 2000)
    image = grab(canvas, "drill_light")
    p = canvas.lonlat_to_widget(*where)
    r = (style.PRIORITY_SIZES[2] + style.EXERCISE_RING_PAD_PX) / 2
    assert ring_pixels(image, p.x(), p.y(), r, style.LIGHT.exercise) > 20
    assert style.LIGHT.exercise != style.DARK.exercise == style.EXERCISE_COLOUR
