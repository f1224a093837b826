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
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from .. import style
from .._projection import project
from ._sprites import view_pixel_m
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
# device-pixel shifts that draw a line of each width with one-pixel pens
_OFFSETS = {1.0: ((0, 0),), 2.0: ((0, 0), (1, 0), (0, 1), (1, 1)),
            3.0: ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))}


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
        transform = painter.transform()
        pixel_m = _metres_per_pixel(transform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for tier in style.ROAD_TIERS:
            path = self.paths.get(tier)
            if path is None or path.isEmpty():
                continue
            if tier == "service" and pixel_m > SERVICE_MAX_M_PER_PX:
                continue
            painter.setPen(self.pens[tier])
            # wider roads as one-pixel lines shifted by whole pixels: a cosmetic pen wider
            # than one pixel goes through Qt's stroker, 10-20 times slower for the same look
            for dx, dy in _OFFSETS[style.ROAD_WIDTHS_PX[tier]]:
                painter.setTransform(transform * QTransform.fromTranslate(dx, dy))
                painter.drawPath(path)
        painter.setTransform(transform)

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
        self._images: dict[tuple[str, float], QImage] = {}

    def set_colours(self, text: str, halo: str) -> None:
        self._pen = QPen(QColor(text))
        self._halo = QPen(QColor(halo))
        self._images.clear()
        self.update()

    def _image(self, text: str, dpr: float) -> QImage:
        """The name with its halo, drawn once: rotating a small image each frame costs a
        fraction of rasterising the glyphs five times (17 ms → ~3 ms for 30 names)."""
        image = self._images.get((text, dpr))
        if image is None:
            metrics = self._metrics
            width = math.ceil(metrics.horizontalAdvance(text)) + 4
            height = math.ceil(metrics.height()) + 2
            image = QImage(math.ceil(width * dpr), math.ceil(height * dpr),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(dpr)  # sharp on high-DPI screens
            image.fill(Qt.GlobalColor.transparent)
            p = QPainter(image)
            p.setFont(self._font)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            baseline = QPointF(2, 1 + metrics.ascent())
            p.setPen(self._halo)
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                p.drawText(baseline + QPointF(dx, dy), text)
            p.setPen(self._pen)
            p.drawText(baseline, text)
            p.end()
            self._images[(text, dpr)] = image
        return image

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
        pad = (view_pixel_m(self) or 1.0) * 200.0  # names reach beyond their anchors
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
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
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
            # whole pixels: an image drawn at a fraction of a pixel is smoothed, and blurs
            place = QTransform().translate(round(p.x()), round(p.y())).rotate(screen)
            # beside the road, not across it: the name sits just above the line
            box = place.mapRect(QRectF(-width / 2 - 2, -height - 3, width + 4, height + 2))
            if any(box.intersects(other) for other in taken):
                continue
            taken.append(box)
            written.setdefault(text, []).append(p)
            image = self._image(text, dpr)
            size = image.deviceIndependentSize()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, screen != 0.0)
            painter.setTransform(place)
            painter.drawImage(QPointF(-round(size.width() / 2), -round(size.height()) - 2), image)
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

    def apply_palette(self, palette: style.MapPalette) -> None:
        self.set_palette(palette.name)

    def set_palette(self, name: str) -> None:
        """"dark" or "light": road colours for a dark or a light map background."""
        colours = style.PALETTES[name].roads
        self.palette = name
        pens = {}
        for tier in style.ROAD_TIERS:
            pen = QPen(QColor(colours[tier]))
            # cosmetic, one pixel: the same pixels at every zoom; wider roads are drawn as
            # shifted copies (see _RoadsItem.paint)
            pen.setCosmetic(True)
            pen.setWidthF(1.0)
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
        parts, owner = shapely.get_parts(self._metric, return_index=True)
        tiers = np.asarray([style.road_tier(r[1]) for r in self.rows], dtype=object)
        part_tiers = tiers[owner] if owner.size else np.empty(0, dtype=object)
        self.lines.set_paths({tier: _path(list(parts[part_tiers == tier]))
                              for tier in style.ROAD_TIERS})
        self._tree = shapely.STRtree(self._metric) if geoms.size else None
        self._set_labels(parts, owner, tiers)

    def _set_labels(self, parts: np.ndarray, owner: np.ndarray, tiers: np.ndarray) -> None:
        """One anchor per named road: the middle of its longest part, best roads first."""
        lengths = shapely.length(parts)
        named = np.asarray([bool(self.rows[i][0]) for i in owner], dtype=bool)
        keep = np.flatnonzero(named & (lengths >= LABEL_MIN_M))
        # the longest part of each road: sort by road, then length descending; first of each
        keep = keep[np.lexsort((-lengths[keep], owner[keep]))]
        keep = keep[np.r_[True, owner[keep][1:] != owner[keep][:-1]]] if keep.size else keep
        chosen, half = parts[keep], lengths[keep] / 2
        mid = shapely.line_interpolate_point(chosen, half)
        a = shapely.line_interpolate_point(chosen, np.maximum(0.0, half - 10))
        b = shapely.line_interpolate_point(chosen, half + 10)
        angle = np.degrees(np.arctan2(shapely.get_y(b) - shapely.get_y(a),
                                      shapely.get_x(b) - shapely.get_x(a)))
        rank = np.asarray([_TIER_RANK[t] for t in tiers[owner[keep]]], dtype=float)
        order = np.lexsort((-lengths[keep], -rank))  # best tier first, then longest
        self.names.set_labels(shapely.get_x(mid)[order], shapely.get_y(mid)[order],
                              angle[order], [str(self.rows[owner[keep][i]][0]) for i in order])

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
