"""Roads: every street drawn as a few paths (one per tier of road class, main roads wider
and lighter), and street names along the roads once the officer has zoomed in enough to
read them. Above the ward fill, below incidents and units."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from .. import style
from .._projection import project
from .base import Layer

RoadRow = tuple[str | None, str, shapely.Geometry]
"""(street name or None, road class such as OSM highway=primary, WGS 84 (Multi)LineString)."""

SERVICE_MAX_M_PER_PX = 6.0  # service roads, tracks and footways only closer than this
LABEL_MAX_M_PER_PX = 2.5  # street names only closer than this (~2 km across 800 px)
LABEL_MIN_M = 60.0  # a named piece shorter than this gets no label of its own
LABEL_MAX_CANDIDATES = 400  # anchors in view considered per frame, best first
LABEL_REPEAT_PX = 260.0  # the same name again only this far from where it is written
HIT_PX = 4.0
_TIER_RANK = {tier: i for i, tier in enumerate(style.ROAD_TIERS)}


def _metres_per_pixel(transform: QTransform) -> float:
    scale = math.hypot(transform.m11(), transform.m12())
    return 1.0 / scale if scale > 0 else math.inf


def _path(parts: list[shapely.Geometry]) -> QPainterPath:
    """Many lines as one path: NaN between them, drawn with connect='finite'."""
    if not parts:
        return QPainterPath()
    coords, index = shapely.get_coordinates(np.asarray(parts, dtype=object), return_index=True)
    breaks = np.flatnonzero(np.diff(index)) + 1
    xs = np.insert(coords[:, 0], breaks, np.nan)
    ys = np.insert(coords[:, 1], breaks, np.nan)
    return pg.arrayToQPath(xs, ys, connect="finite")


class _RoadsItem(pg.GraphicsObject):
    """The lines: one path per tier, drawn service roads first and main roads last."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: dict[str, QPainterPath] = {}
        self.pens: dict[str, QPen] = {}
        self._bounds = QRectF()

    def set_paths(self, paths: dict[str, QPainterPath]) -> None:
        self.prepareGeometryChange()
        self.paths = paths
        bounds = QRectF()
        for path in paths.values():
            bounds = bounds.united(path.boundingRect())
        self._bounds = bounds
        self.update()

    def set_pens(self, pens: dict[str, QPen]) -> None:
        self.pens = pens
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        pixel_m = _metres_per_pixel(painter.transform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for tier in style.ROAD_TIERS:
            path = self.paths.get(tier)
            if path is None or path.isEmpty():
                continue
            if tier == "service" and pixel_m > SERVICE_MAX_M_PER_PX:
                continue
            painter.setPen(self.pens[tier])
            painter.drawPath(path)

    def shape(self) -> QPainterPath:
        return QPainterPath()  # hover and clicks go through the layer's hit test


class _StreetNamesItem(pg.GraphicsObject):
    """Street names along their roads, upright, with a halo; only when zoomed in, best
    roads first, never overlapping, and the same name not repeated close by."""

    def __init__(self) -> None:
        super().__init__()
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.angle = np.empty(0)  # degrees, counter-clockwise from east, in map metres
        self.texts: list[str] = []
        self.drawn: list[str] = []  # names written in the last paint: what the officer sees
        self._bounds = QRectF()
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self._metrics = QFontMetricsF(self._font)
        self._pen = QPen(QColor(style.ROAD_PALETTES["dark"]["label"]))
        self._halo = QPen(QColor(style.ROAD_PALETTES["dark"]["halo"]))

    def set_colours(self, text: str, halo: str) -> None:
        self._pen = QPen(QColor(text))
        self._halo = QPen(QColor(halo))
        self.update()

    def set_labels(self, x: np.ndarray, y: np.ndarray, angle: np.ndarray,
                   texts: list[str]) -> None:
        """Anchors in priority order (the first is written first)."""
        self.prepareGeometryChange()
        self.x, self.y, self.angle, self.texts = x, y, angle, texts
        self._bounds = (QRectF(float(x.min()), float(y.min()), float(np.ptp(x)), float(np.ptp(y)))
                        if x.size else QRectF())
        self.drawn = []
        self.update()

    def boundingRect(self) -> QRectF:
        if not self.x.size:
            return QRectF()
        px = self.pixelLength(pg.Point(1, 0)) if self.getViewBox() is not None else None
        pad = (px or 1.0) * 200.0  # names reach beyond their anchors
        return self._bounds.adjusted(-pad, -pad, pad, pad)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        self.drawn = []
        view = self.getViewBox()
        transform = painter.transform()
        if view is None or not self.texts or _metres_per_pixel(transform) > LABEL_MAX_M_PER_PX:
            return
        rect = view.viewRect()
        inside = np.flatnonzero((self.x >= rect.left()) & (self.x <= rect.right())
                                & (self.y >= rect.top()) & (self.y <= rect.bottom()))
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        metrics = self._metrics
        height = metrics.height()
        taken: list[QRectF] = []
        written: dict[str, list[QPointF]] = {}
        for i in inside[:LABEL_MAX_CANDIDATES]:
            text = self.texts[i]
            p = transform.map(QPointF(self.x[i], self.y[i]))
            if any(abs(p.x() - q.x()) + abs(p.y() - q.y()) < LABEL_REPEAT_PX
                   for q in written.get(text, ())):
                continue
            # the view is north up with y flipped: a road at +a° on the map is at -a° on
            # screen; names are kept upright
            screen = -float(self.angle[i])
            screen = (screen + 90.0) % 180.0 - 90.0
            width = metrics.horizontalAdvance(text)
            place = QTransform().translate(p.x(), p.y()).rotate(screen)
            box = place.mapRect(QRectF(-width / 2 - 2, -height / 2, width + 4, height))
            if any(box.intersects(other) for other in taken):
                continue
            taken.append(box)
            written.setdefault(text, []).append(p)
            painter.setTransform(place)
            baseline = QPointF(-width / 2, metrics.ascent() - height / 2)
            painter.setPen(self._halo)
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                painter.drawText(baseline + QPointF(dx, dy), text)
            painter.setPen(self._pen)
            painter.drawText(baseline, text)
            self.drawn.append(text)
        painter.restore()

    def shape(self) -> QPainterPath:
        return QPainterPath()


class RoadsLayer(Layer):
    name = "roads"

    def __init__(self) -> None:
        super().__init__()
        self.lines = _RoadsItem()
        self.names = _StreetNamesItem()
        self.items = [self.lines, self.names]
        self.palette = "dark"
        self.rows: list[RoadRow] = []
        self._tree: shapely.STRtree | None = None
        self._metric: np.ndarray = np.empty(0, dtype=object)
        self._pixel_m = 5.0
        self.set_palette("dark")

    def set_palette(self, name: str) -> None:
        """"dark" or "light": road colours for a dark or a light map background."""
        colours = style.ROAD_PALETTES[name]
        self.palette = name
        pens = {}
        for tier in style.ROAD_TIERS:
            pen = QPen(QColor(colours[tier]))
            # cosmetic: the same pixels at every zoom; only the few main roads are wider
            # than one pixel (wide cosmetic pens go through Qt's stroker, which costs)
            pen.setCosmetic(True)
            pen.setWidthF(style.ROAD_WIDTHS_PX[tier])
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            pens[tier] = pen
        self.lines.set_pens(pens)
        self.names.set_colours(colours["label"], colours["halo"])

    def set_roads(self, rows: Iterable[RoadRow]) -> None:
        self.rows = [r for r in rows if r[2] is not None and not r[2].is_empty]
        geoms = np.asarray([r[2] for r in self.rows], dtype=object)

        def to_map(xy: np.ndarray) -> np.ndarray:
            x, y = project(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        self._metric = shapely.transform(geoms, to_map) if geoms.size else geoms
        by_tier: dict[str, list[shapely.Geometry]] = {t: [] for t in style.ROAD_TIERS}
        for (_name, road_class, _g), metric in zip(self.rows, self._metric, strict=True):
            by_tier[style.road_tier(road_class)].extend(shapely.get_parts(metric))
        self.lines.set_paths({tier: _path(parts) for tier, parts in by_tier.items()})
        self._tree = shapely.STRtree(self._metric) if geoms.size else None
        self._set_labels()

    def _set_labels(self) -> None:
        anchors: list[tuple[int, float, float, float, float, str]] = []
        for (name, road_class, _g), metric in zip(self.rows, self._metric, strict=True):
            if not name:
                continue
            part = max(shapely.get_parts(metric), key=lambda p: p.length)
            if part.length < LABEL_MIN_M:
                continue
            mid = part.interpolate(0.5, normalized=True)
            a = part.interpolate(max(0.0, part.length / 2 - 10))
            b = part.interpolate(min(part.length, part.length / 2 + 10))
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
            rank = _TIER_RANK[style.road_tier(road_class)]
            anchors.append((-rank, -part.length, mid.x, mid.y, angle, name))
        anchors.sort(key=lambda t: (t[0], t[1]))
        self.names.set_labels(np.array([t[2] for t in anchors]), np.array([t[3] for t in anchors]),
                              np.array([t[4] for t in anchors]), [t[5] for t in anchors])

    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        self._pixel_m = pixel_m

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        if not self.visible or self.opacity == 0 or self._tree is None:
            return None
        index = self._tree.query_nearest(shapely.Point(pos.x(), pos.y()),
                                         max_distance=HIT_PX * self._pixel_m)
        if len(index) == 0:
            return None
        i = int(index[0])
        name, road_class, _g = self.rows[i]
        if style.road_tier(road_class) == "service" and self._pixel_m > SERVICE_MAX_M_PER_PX:
            return None  # not drawn at this zoom
        text = name or QCoreApplication.translate("RoadsLayer", "Unnamed road")
        return ("road", name or f"#{i}", f"{text} ({road_class})")
