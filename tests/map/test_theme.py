"""The map in the light theme, as an officer in a daylight room sees it: a light ground, dark
outlines and dark label text, and the same pixels as before when switched back to dark."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QColor, QImage

from gvcommand.core.model import Force, IncidentType, UnitStatus
from gvcommand.map import style
from gvcommand.map._projection import project_point
from gvcommand.map.canvas import MapCanvas
from gvcommand.map.layers.incidents import _density_lut
from gvcommand.map.layers.tracks import TrackPoint

from .conftest import grid_edition, incident, near, pixel, unit, ward_centre, ward_code

Grab = Callable[[MapCanvas, str], QImage]


def luminance(colour: QColor | str) -> float:
    """WCAG relative luminance."""
    c = QColor(colour)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(top: QColor, bottom: str) -> QColor:
    a = top.alphaF()
    b = QColor(bottom)
    return QColor(round(top.red() * a + b.red() * (1 - a)),
                  round(top.green() * a + b.green() * (1 - a)),
                  round(top.blue() * a + b.blue() * (1 - a)))


def lightness_range(image: QImage, rect: QRect) -> tuple[int, int]:
    values = [QColor(image.pixel(x, y)).lightness()
              for x in range(rect.left(), rect.right() + 1)
              for y in range(rect.top(), rect.bottom() + 1)]
    return min(values), max(values)


def label_box(canvas: MapCanvas, i: int, j: int) -> QRect:
    """Around the ward's name, which is centred on the middle of the ward."""
    p = canvas.lonlat_to_widget(*ward_centre(i, j))
    return QRect(p.x() - 25, p.y() - 5, 50, 10)


def ground_and_border(canvas: MapCanvas, image: QImage) -> tuple[QColor, list[QColor]]:
    lon, lat = ward_centre(2, 1)
    p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
    border = canvas.lonlat_to_widget(ward_centre(2, 1)[0] + 0.006, lat - 0.003)
    return pixel(image, p.x(), p.y()), [pixel(image, border.x() + dx, border.y())
                                        for dx in (-1, 0, 1)]


@pytest.mark.parametrize("palette", [style.DARK, style.LIGHT], ids=lambda p: p.name)
def test_palette_contrast_is_readable(palette: style.MapPalette) -> None:
    # WCAG: 7:1 for text (AAA), 3:1 for lines and symbols' outlines (graphics)
    halo = blend(QColor(palette.label_halo), palette.background)
    assert contrast(palette.label_text, halo) >= 7
    assert contrast(palette.ward_label, palette.label_halo) >= 4.5
    assert contrast(palette.overlay_text, palette.overlay_back) >= 7
    assert contrast(palette.ward_outline, palette.background) >= 3
    assert contrast(palette.measure, palette.overlay_back) >= 3
    assert contrast(palette.track, palette.background) >= 3
    assert contrast(palette.roads["label"], palette.roads["halo"]) >= 7
    if palette.name == "dark":
        return  # off-duty units are dim there on purpose
    # every incident and unit colour stands out from the light ground, or its outline does
    for colour in [*style.INCIDENT_COLOURS.values(), *style.UNIT_STATUS_COLOURS.values()]:
        assert max(contrast(colour, palette.background),
                   contrast(palette.symbol_outline, palette.background)) >= 3, colour


def test_dark_palette_is_the_map_as_it_was() -> None:
    d = style.DARK
    assert (d.background, d.ward_outline, d.ward_label, d.label_text, d.label_halo,
            d.overlay_text, d.overlay_back, d.measure, d.trail, d.track) == (
        style.BACKGROUND, style.WARD_OUTLINE, style.WARD_LABEL, style.LABEL_TEXT,
        style.LABEL_HALO, style.OVERLAY_TEXT, style.OVERLAY_BACK, style.MEASURE, style.TRAIL,
        style.TRACK)
    assert d.roads == style.ROAD_PALETTES["dark"]
    lut = _density_lut()
    assert lut[255].tolist() == [255, 230, 150, 205] and lut[0, 3] == 0


def test_light_ramps_go_from_pale_to_deep() -> None:
    low, high = style.choropleth_colour(0.0, style.LIGHT), style.choropleth_colour(1.0,
                                                                                   style.LIGHT)
    assert low.lightness() > high.lightness() + 60
    lut = _density_lut(style.LIGHT)
    assert QColor(*lut[20, :3]).lightness() > QColor(*lut[255, :3]).lightness() + 60


def test_light_theme_ground_outlines_and_labels(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    dark = grab(canvas, "theme_dark")
    canvas.set_theme("light")
    assert canvas.theme == "light"
    image = grab(canvas, "theme_light")
    ground, border = ground_and_border(canvas, image)
    assert near(ground, style.LIGHT.background, 6)
    assert any(near(c, style.LIGHT.ward_outline, 90) for c in border)
    assert min(c.lightness() for c in border) < ground.lightness() - 80  # dark on light
    # outside every ward too: the whole ground is light
    assert near(pixel(image, 3, 3), style.LIGHT.background, 6)
    # the ward's name: dark text on a pale box, where it was light on a dark box
    lo, hi = lightness_range(image, label_box(canvas, 1, 2))
    assert lo < 100 and hi > 200
    dlo, dhi = lightness_range(dark, label_box(canvas, 1, 2))
    assert dhi > 150 and dlo < 40


def test_switching_back_restores_the_dark_pixels(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    canvas.set_units([unit("363-01")], {"363-01": ward_centre(0, 0)})
    canvas.set_incidents([incident(1, *ward_centre(3, 3), type_=IncidentType.ROBBERY)])
    before = grab(canvas, "theme_before")
    canvas.set_theme("light")
    grab(canvas, "theme_light_between")
    canvas.set_theme("dark")
    after = grab(canvas, "theme_after")
    assert canvas.theme == "dark"
    assert after == before


def test_labels_of_units_are_dark_on_light(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    lon, lat = ward_centre(0, 0)
    canvas.set_view(lon, lat, 800.0)
    canvas.set_units([unit("363-01", Force.TO_363, UnitStatus.AVAILABLE)],
                     {"363-01": (lon, lat)})
    canvas.set_theme("light")
    image = grab(canvas, "theme_light_unit")
    p = canvas.lonlat_to_widget(lon, lat)
    # the symbol keeps its status colour, ringed in the dark outline
    assert near(pixel(image, p.x(), p.y()), style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE])
    ring = [pixel(image, p.x() + dx, p.y()) for dx in range(4, 10)]
    assert any(c.lightness() < 90 for c in ring)
    # the call sign, right of the symbol: dark text on a pale box
    lo, hi = lightness_range(image, QRect(p.x() + 14, p.y() - 5, 40, 10))
    assert lo < 100 and hi > 200


def test_light_choropleth_and_overlays(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    values = {ward_code(i, j): float(i * 4 + j) for i in range(4) for j in range(4)}
    canvas.set_ward_values(values, "Số vụ")
    canvas.set_theme("light")
    image = grab(canvas, "theme_light_choropleth")
    for (i, j), t in (((0, 0), 0.0), ((3, 3), 1.0)):
        lon, lat = ward_centre(i, j)
        p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
        expected = blend(style.choropleth_colour(t, style.LIGHT), style.LIGHT.background)
        assert near(pixel(image, p.x(), p.y()), expected, 12), (i, j)
    # the scale bar's panel, bottom left of the view: pale, with dark text and line
    view = canvas.view.viewport()
    origin = view.mapTo(canvas, view.rect().bottomLeft())
    panel = QRect(origin.x() + 8, origin.y() - 43, 60, 30)
    lo, hi = lightness_range(image, panel)
    assert hi > 200 and lo < 100


def test_setting_the_same_theme_again_rebuilds_nothing(canvas: MapCanvas) -> None:
    canvas.set_wards(grid_edition())
    canvas.set_theme("light")
    atlas = canvas.wards.labels._atlas
    canvas.set_theme("light")
    assert canvas.wards.labels._atlas is atlas
    with pytest.raises(KeyError):
        canvas.set_theme("purple")


def test_measuring_line_and_track_in_the_light_theme(canvas: MapCanvas, grab: Grab) -> None:
    canvas.set_wards(grid_edition())
    canvas.set_theme("light")
    # a measured line along the middle of the southern row of wards, a track above it
    a, b = ward_centre(0, 0), ward_centre(0, 3)
    canvas.set_measuring(True)
    for lonlat in (a, b):
        canvas._add_measure_point(QPointF(*project_point(*lonlat)))
    lat = ward_centre(2, 0)[1]
    canvas.track.set_track("363-01", [TrackPoint(k, a[0] + 0.01 * k, lat) for k in range(4)])
    image = grab(canvas, "theme_light_measure")
    violet = QColor(style.LIGHT.measure)
    m = canvas.lonlat_to_widget(a[0] + 0.006, a[1])
    on_line = [pixel(image, x, m.y() + dy) for x in range(m.x(), m.x() + 12)
               for dy in (-1, 0, 1)]
    assert any(near(c, violet, 60) for c in on_line)  # dashed: some pixels are the ground
    t = canvas.lonlat_to_widget(a[0] + 0.015, lat)
    assert near(pixel(image, t.x(), t.y()), style.LIGHT.track, 60)
    # the distance's label: the measuring colour on a pale box
    label = canvas._measure_label
    assert label.fill.color().lightness() > 200
    assert label.textItem.defaultTextColor() == violet
