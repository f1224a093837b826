"""The roads layer as an officer sees it: road pixels in the road colours at the projected
position of known streets, main roads wider than alleys, street names only when zoomed in,
service roads only close up, above the ward fill and below incidents, and gone when hidden."""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

from gvcommand.core.model import IncidentType
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.map.canvas import MapCanvas
from gvcommand.map.layers.roads import LABEL_MAX_M_PER_PX

from .conftest import grid_edition, incident, near, pixel, ward_code

Grab = Callable[[MapCanvas, str], QImage]
DARK = style.ROAD_PALETTES["dark"]
LAT = 10.8387
# an east-west main road, a north-south alley crossing it, and a service road
QUANG_TRUNG = shapely.LineString([(106.670, LAT), (106.690, LAT)])
HEM = shapely.LineString([(106.6750, 10.8360), (106.6750, 10.8420)])
SERVICE = shapely.LineString([(106.6850, 10.8360), (106.6850, 10.8380)])
ROWS = [("Quang Trung", "primary", QUANG_TRUNG), ("Hẻm 120 Quang Trung", "residential", HEM),
        (None, "service", SERVICE)]


def colours_across(image: QImage, canvas: MapCanvas, lon: float, lat: float,
                   vertical: bool = True) -> list[QColor]:
    """The pixels across a line at (lon, lat): 3 above and below (or left and right)."""
    p = canvas.lonlat_to_widget(lon, lat)
    steps = range(-3, 4)
    return [pixel(image, p.x(), p.y() + d) if vertical else pixel(image, p.x() + d, p.y())
            for d in steps]


def drawn_in(image: QImage, canvas: MapCanvas, lon: float, lat: float, colour: str) -> bool:
    """The road at (lon, lat) has ``colour`` in the middle of its width (antialiasing makes
    the pixels of a line at a fraction of a pixel a little darker)."""
    return any(near(c, colour, 30) for c in colours_across(image, canvas, lon, lat)[2:5])


def test_roads_in_their_colours_main_roads_wider(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_roads(ROWS)
    canvas.set_view(106.680, LAT, 2400)  # 3 m a pixel
    image = grab(canvas, "roads_colours")
    across_main = colours_across(image, canvas, 106.6820, LAT)
    assert drawn_in(image, canvas, 106.6820, LAT, DARK["major"])
    across_hem = colours_across(image, canvas, 106.6750, 10.8400, vertical=False)
    assert any(near(c, DARK["minor"], 40) for c in across_hem)
    # 3 px against 1 px (antialiasing adds a faint pixel or two)
    main_px = sum(not near(c, style.BACKGROUND, 30) for c in across_main)
    hem_px = sum(not near(c, style.BACKGROUND, 30) for c in across_hem)
    assert main_px >= 3 and hem_px <= 2
    # away from any road: the map background
    assert near(pixel(image, *_xy(canvas, 106.680, 10.8420)), style.BACKGROUND, 6)


def _xy(canvas: MapCanvas, lon: float, lat: float) -> tuple[int, int]:
    p = canvas.lonlat_to_widget(lon, lat)
    return p.x(), p.y()


def test_street_names_only_when_zoomed_in(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_roads(ROWS)
    canvas.set_view(106.680, LAT, 1200)  # 1.5 m a pixel
    assert canvas.view.metres_per_pixel() < LABEL_MAX_M_PER_PX
    near_image = grab(canvas, "roads_names_near")
    assert "Quang Trung" in canvas.roads.names.drawn
    assert "Hẻm 120 Quang Trung" in canvas.roads.names.drawn
    # the name is written at the middle of the road, just above it, in the label colour
    x, y = _xy(canvas, 106.680, LAT)
    box = [pixel(near_image, x + dx, y + dy) for dx in range(-40, 41) for dy in range(-18, 0)]
    assert sum(near(c, DARK["label"], 60) for c in box) > 15
    canvas.set_view(106.680, LAT, 8000)  # 10 m a pixel: the whole district
    far_image = grab(canvas, "roads_names_far")
    assert canvas.roads.names.drawn == []
    x, y = _xy(canvas, 106.680, LAT)
    box = [pixel(far_image, x + dx, y + dy) for dx in range(-40, 41) for dy in range(-18, 0)]
    assert sum(near(c, DARK["label"], 60) for c in box) == 0


def test_service_roads_only_close_up(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_roads(ROWS)
    canvas.set_view(106.680, LAT, 2400)
    image = grab(canvas, "roads_service_near")
    assert any(not near(c, style.BACKGROUND, 10)
               for c in colours_across(image, canvas, 106.6850, 10.8370, vertical=False))
    canvas.set_view(106.680, LAT, 9000)
    image = grab(canvas, "roads_service_far")
    assert all(near(c, style.BACKGROUND, 10)
               for c in colours_across(image, canvas, 106.6850, 10.8368, vertical=False))


def test_hiding_the_layer_removes_the_roads(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_roads(ROWS)
    canvas.set_view(106.680, LAT, 1200)
    canvas.set_layer_visible("roads", False)
    image = grab(canvas, "roads_hidden")
    assert all(near(c, style.BACKGROUND, 6) for c in colours_across(image, canvas, 106.6820, LAT))
    assert canvas.roads.names.drawn == []
    assert canvas.feature_at(QPointF(*project_point(106.6820, LAT))) is None
    canvas.set_layer_visible("roads", True)
    image = grab(canvas, "roads_shown_again")
    assert drawn_in(image, canvas, 106.6820, LAT, DARK["major"])


def test_above_the_ward_fill_below_incidents(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition(), fit=False)
    canvas.set_ward_values({ward_code(i, j): float(i + j) for i in range(4) for j in range(4)})
    canvas.set_roads(ROWS)
    canvas.set_incidents([incident(1, 106.6800, LAT, type_=IncidentType.ROBBERY, priority=3)])
    canvas.set_view(106.680, LAT, 2400)
    image = grab(canvas, "roads_stacking")
    assert drawn_in(image, canvas, 106.6820, LAT, DARK["major"])
    x, y = _xy(canvas, 106.6800, LAT)
    assert near(pixel(image, x, y), style.INCIDENT_COLOURS[IncidentType.ROBBERY], 40)
    assert canvas.layer_order().index("roads") == canvas.layer_order().index("wards") + 1


def test_hover_names_the_street(canvas: MapCanvas) -> None:
    canvas.set_roads(ROWS)
    canvas.set_view(106.680, LAT, 1200)
    x, y = project_point(106.6820, LAT)
    assert canvas.feature_at(QPointF(x, y + 3)) == ("road", "Quang Trung",
                                                    "Quang Trung (primary)")
    assert canvas.feature_at(QPointF(x, y + 60)) is None


def test_light_palette(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_roads(ROWS)
    canvas.roads.set_palette("light")
    canvas.set_view(106.680, LAT, 2400)
    image = grab(canvas, "roads_light")
    assert drawn_in(image, canvas, 106.6820, LAT, style.ROAD_PALETTES["light"]["major"])
    assert style.road_tier("primary_link") == "major" and style.road_tier("footway") == "service"
    assert style.road_tier("Đường hẻm") == "minor"
