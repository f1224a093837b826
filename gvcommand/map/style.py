"""Map colours and symbols: readable on a dark screen at 3 a.m. (no pure white, saturated
but not neon), status colours distinguishable by people with red-green colour blindness
through shape as well as hue.

The map has two palettes (``PALETTES``), following the window's theme: dark (the module
constants below, as the map always was) and light, for daylight rooms. Incident, unit and
camera colours are the same in both (the legend and the officers' habits stay); only what
they sit on changes, and the outline around symbols, dark in both, keeps the pale ones
(theft yellow, available green) apart from a light ground.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainterPath, QPolygonF

from gvcommand.core.model import CameraOwner, Force, IncidentType, UnitStatus

BACKGROUND = "#12161b"
WARD_OUTLINE = "#7f9bb8"
WARD_LABEL = "#aab6c3"
LABEL_TEXT = "#d5dbe2"
LABEL_HALO = "#0c0f12"
OVERLAY_TEXT = "#c8d0d8"
OVERLAY_BACK = "#1b1f24"
MEASURE = "#f2c14e"

# Roads: neutral warm greys on the dark map, so that the coloured symbols (incidents, units)
# stay the brightest things on it; main roads wider and lighter than alleys. The light set is
# for a light map background (daylight rooms, printouts, a light base map).
# tiers: major (motorway, trunk, primary), medium (secondary, tertiary), minor (residential,
# unclassified…), service (service roads, tracks, footways: drawn only when zoomed in)
ROAD_TIERS = ("service", "minor", "medium", "major")  # drawn in this order, major on top
ROAD_WIDTHS_PX = {"major": 3.0, "medium": 2.0, "minor": 1.0, "service": 1.0}
ROAD_PALETTES: dict[str, dict[str, str]] = {
    "dark": {
        "major": "#a39a8c", "medium": "#857e74", "minor": "#5a5d62", "service": "#43464b",
        "label": "#c9c2b6", "halo": "#0c0f12",
    },
    "light": {
        "major": "#c98b2e", "medium": "#a59c8f", "minor": "#bfc3c9", "service": "#d5d8dd",
        "label": "#2f343a", "halo": "#f4f5f7",
    },
}  # fmt: skip

INCIDENT_COLOURS: dict[IncidentType, str] = {
    IncidentType.ROBBERY: "#e5484d",
    IncidentType.SNATCH_THEFT: "#f76b15",
    IncidentType.THEFT: "#ffc53d",
    IncidentType.PUBLIC_DISORDER: "#ab4aba",
    IncidentType.GATHERING_RACING: "#d6409f",
    IncidentType.FIGHT: "#e54666",
    IncidentType.TRAFFIC_ACCIDENT: "#0090ff",
    IncidentType.OTHER: "#8b96a3",
}
INCIDENT_TYPES = list(IncidentType)

# priority 1 is the most urgent: the largest, most angular symbol
PRIORITY_SYMBOLS = {1: "star", 2: "t1", 3: "o", 4: "o"}
PRIORITY_SIZES = {1: 16.0, 2: 12.0, 3: 9.0, 4: 7.0}

UNIT_STATUS_COLOURS: dict[UnitStatus, str] = {
    UnitStatus.AVAILABLE: "#3dd68c",
    UnitStatus.DISPATCHED: "#ffb224",
    UnitStatus.EN_ROUTE: "#f76b15",
    UnitStatus.ON_SCENE: "#e5484d",
    UnitStatus.OUT_OF_SERVICE: "#6e7781",
    UnitStatus.OFF_DUTY: "#4b535c",
}
FORCE_SYMBOLS: dict[Force, str] = {
    Force.TO_363: "s",
    Force.HINH_SU: "d",
    Force.PHUONG: "o",
    Force.DAN_QUAN: "h",
}
UNIT_SIZE = 14.0
UNIT_STALE = "#7d858e"  # a unit whose last fix is too old: grey, whatever its status
TRAIL = "#9fb3c8"  # the last minutes behind each unit
TRACK = "#f2c14e"  # a recorded track being played back
ACCURACY_FILL = QColor(159, 179, 200, 36)

CAMERA_OWNER_COLOURS: dict[CameraOwner, str] = {
    CameraOwner.POLICE: "#52a9ff",
    CameraOwner.WARD: "#70b8c8",
    CameraOwner.PRIVATE: "#9aa4ae",
}
CONE_FILL = QColor(82, 169, 255, 40)
CONE_LINE = QColor(82, 169, 255, 110)
CAMERA_SIZE = 18.0

# Drills (diễn tập): a dashed violet ring around the incident's or unit's own symbol, so that
# what it is stays readable and that it is a drill cannot be missed; violet is a colour no
# real status uses (the incident queue marks drills in the same violet)
EXERCISE_COLOUR = "#b57edc"
EXERCISE_RING_PAD_PX = 9.0  # the ring's diameter beyond the symbol's size
EXERCISE_RING_WIDTH_PX = 2.0


def exercise_ring(dashes: int = 8, fill: float = 0.55) -> QPainterPath:
    """A dashed ring, centred on (0, 0), one unit across: ``dashes`` arcs covering ``fill``
    of the circle (drawn with a pen and no brush)."""
    path = QPainterPath()
    rect = QRectF(-0.5, -0.5, 1.0, 1.0)
    span = 360.0 / dashes
    for k in range(dashes):
        start = k * span
        path.arcMoveTo(rect, start)
        path.arcTo(rect, start, span * fill)
    return path


POINT_STATUS_COLOURS = {
    "active": "#e5484d",
    "watch": "#ffb224",
    "resolved": "#3dd68c",
}
POINT_DEFAULT_COLOUR = "#c084fc"
POINT_SIZE = 13.0


def camera_symbol() -> QPainterPath:
    """A small camera body with a lens, centred on (0, 0), about one unit across (the
    ScatterPlotItem scales symbols to their pixel size)."""
    path = QPainterPath()
    path.addRect(-0.5, -0.3, 0.7, 0.6)
    path.addPolygon(QPolygonF([QPointF(0.2, -0.1), QPointF(0.5, -0.3),
                               QPointF(0.5, 0.3), QPointF(0.2, 0.1)]))
    path.closeSubpath()
    return path


def road_tier(road_class: str) -> str:
    """The drawing tier of a road class (OSM highway values; anything unknown is minor)."""
    base = road_class.strip().lower().removesuffix("_link")
    if base in ("motorway", "trunk", "primary"):
        return "major"
    if base in ("secondary", "tertiary"):
        return "medium"
    if base in ("service", "track", "footway", "path", "pedestrian", "steps", "cycleway",
                "bridleway", "construction", "proposed", "corridor", "busway"):
        return "service"
    return "minor"


RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class MapPalette:
    """Everything on the map whose colour depends on what is under it. Colours are strings
    (``#rrggbb``) or, where translucent, QColors (copy before changing them)."""

    name: str
    background: str
    ward_outline: str
    ward_label: str
    label_text: str
    label_halo: str  # the box behind labels, at ``label_halo_alpha``
    label_halo_alpha: int
    symbol_outline: str  # the ring around incident, unit, camera and point symbols
    heading: str
    overlay_text: str  # scale bar, north arrow, legend
    overlay_back: str
    measure: str
    trail: str
    track: str
    accuracy_fill: QColor
    cone_fill: QColor
    cone_line: QColor
    roads: Mapping[str, str]
    choropleth: tuple[tuple[float, RGB], ...]  # ramp stops, low to high
    choropleth_alpha: int
    density: tuple[tuple[float, RGB], ...]  # incident density stops, empty cells clear
    exercise: str = EXERCISE_COLOUR  # the drill ring (diễn tập)


DARK = MapPalette(
    name="dark", background=BACKGROUND, ward_outline=WARD_OUTLINE, ward_label=WARD_LABEL,
    label_text=LABEL_TEXT, label_halo=LABEL_HALO, label_halo_alpha=170,
    symbol_outline=LABEL_HALO, heading=LABEL_TEXT, overlay_text=OVERLAY_TEXT,
    overlay_back=OVERLAY_BACK, measure=MEASURE, trail=TRAIL, track=TRACK,
    accuracy_fill=ACCURACY_FILL, cone_fill=CONE_FILL, cone_line=CONE_LINE,
    roads=ROAD_PALETTES["dark"],
    # dark teal to amber: low values sink into the night ground, high ones glow
    choropleth=((0.0, (24, 72, 96)), (0.5, (150, 120, 40)), (1.0, (214, 80, 40))),
    choropleth_alpha=170,
    # dark red → orange → pale yellow: the hottest spot is the brightest thing
    density=((0.0, (120, 20, 30)), (0.3, (200, 60, 40)), (0.7, (250, 160, 40)),
             (1.0, (255, 230, 150))),
)

# Daylight: an off-white ground like the window's (no pure white: glare on a big screen),
# dark slate lines and text, and the ramps turned round (pale for little, deep for much), so
# that what matters is the darkest and most saturated thing, as on a printed map. Tracks and
# the measuring line are violet: the dark map's amber would vanish into the warm ramps here.
LIGHT = MapPalette(
    name="light", background="#eef0f2", ward_outline="#4f6b8a", ward_label="#3b4652",
    label_text="#1f2429", label_halo="#f7f8f9", label_halo_alpha=200,
    symbol_outline="#1f2429", heading="#1f2429", overlay_text="#1f2429",
    overlay_back="#f7f8f9", measure="#6236c9", trail="#4d6a8a", track="#6236c9",
    accuracy_fill=QColor(47, 106, 168, 34), cone_fill=QColor(31, 111, 191, 42),
    cone_line=QColor(31, 111, 191, 150), roads=ROAD_PALETTES["light"],
    choropleth=((0.0, (255, 230, 150)), (0.5, (244, 140, 60)), (1.0, (190, 30, 45))),
    choropleth_alpha=170,
    density=((0.0, (250, 200, 120)), (0.3, (240, 120, 50)), (0.7, (200, 40, 40)),
             (1.0, (120, 0, 30))),
    exercise="#7b3fc4",  # the dark map's pale violet fades into a light ground
)
PALETTES: dict[str, MapPalette] = {"dark": DARK, "light": LIGHT}


def choropleth_colour(t: float, palette: MapPalette = DARK) -> QColor:
    """The choropleth ramp at ``t`` in [0, 1], translucent so outlines and points stay
    readable on top (dark: dark teal to amber; light: pale yellow to deep red)."""
    t = min(1.0, max(0.0, t))
    stops, alpha = palette.choropleth, palette.choropleth_alpha
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            r, g, b = (round(a + (b_ - a) * f) for a, b_ in zip(c0, c1, strict=True))
            return QColor(r, g, b, alpha)
    return QColor(*stops[-1][1], alpha)
