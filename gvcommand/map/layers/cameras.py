"""Cameras: an icon each, and their fields of view as cones, all cones in one path."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gvcommand.core.model import Camera

from .. import style
from .._projection import project
from ._sprites import SpriteScatter, Style
from .base import Layer, spot_hit

ARC_STEPS = 12
CONES_MAX_M_PER_PX = 1.0
"""Cones are street-level information, hidden when zoomed out further than this (a view
about 2 km wide on a 1920 px screen): at 1 m a pixel an 80 m cone is 80 px; further out,
thousands of cones are clutter and cost 20–45 ms a frame (benchmarks/bench_map.py)."""


def cone_coords(x: np.ndarray, y: np.ndarray, azimuth_deg: np.ndarray, fov_deg: np.ndarray,
                range_m: np.ndarray) -> np.ndarray:
    """Every camera's cone as a closed ring (apex, arc, apex): shape (n, ARC_STEPS + 2, 2),
    in metres.

    Azimuths are compass bearings (0 = north, clockwise), as installers measure them; the
    map's north is +y, so a bearing b points along (sin b, cos b). TM-3 grid north differs
    from true north by well under a degree at Gò Vấp, less than an installer's error.
    """
    n = x.size
    steps = np.linspace(-0.5, 0.5, ARC_STEPS)
    bearings = np.radians(azimuth_deg[:, None] + fov_deg[:, None] * steps[None, :])
    arc_x = x[:, None] + range_m[:, None] * np.sin(bearings)
    arc_y = y[:, None] + range_m[:, None] * np.cos(bearings)
    xs = np.hstack([x[:, None], arc_x, x[:, None]])
    ys = np.hstack([y[:, None], arc_y, y[:, None]])
    return np.stack([xs, ys], axis=2).reshape(n, ARC_STEPS + 2, 2)


def cone_rings(x: np.ndarray, y: np.ndarray, azimuth_deg: np.ndarray, fov_deg: np.ndarray,
               range_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cones of ``cone_coords``, NaN-separated (for ``arrayToQPath(connect='finite')``)."""
    n = x.size
    if n == 0:
        return np.empty(0), np.empty(0)
    rings = cone_coords(x, y, azimuth_deg, fov_deg, range_m)
    nan = np.full((n, 1), np.nan)
    xs = np.hstack([rings[:, :, 0], nan]).ravel()[:-1]
    ys = np.hstack([rings[:, :, 1], nan]).ravel()[:-1]
    return xs, ys


BUILD_MARGIN = 0.1
"""The cone path covers the view and this share of it on every side (rebuilt on leaving)."""
ICONS_MAX_M_PER_PX = 2.0
"""Zoomed out further than this, cameras are small dots: 3,000 camera icons across the
district would hide the incidents and units the officer is looking for."""
DOT_SIZE = 5.0


CAMERA_OWNERS = list(style.CAMERA_OWNER_COLOURS)
"""A camera's style index is its owner's place here."""


def camera_styles(palette: style.MapPalette, dots: bool) -> list[Style]:
    """One style an owner (``CAMERA_OWNERS``): the camera icon, or a small square when the
    map is zoomed out beyond ``ICONS_MAX_M_PER_PX`` (``dots``)."""
    pen = pg.mkPen(palette.symbol_outline, width=1.0)  # cosmetic: symbols are scaled
    symbol, size = ("s", DOT_SIZE) if dots else (style.camera_symbol(), style.CAMERA_SIZE)
    return [(symbol, size, pen, QBrush(QColor(style.CAMERA_OWNER_COLOURS[o])))
            for o in CAMERA_OWNERS]


class _ConesItem(pg.GraphicsObject):
    """The cones around the view (rebuilt when the view moves outside the area they were
    built for), so a street-level frame does not walk the outlines of 3,000 cones.

    Filled as their union, as one WindingFill path would be (overlaps not darker), but
    faster: Qt fills a path through its general rasteriser (~4.5 ms a frame for the ~250
    cones of a 1 m/px view), while a polygon goes through the scanline rasteriser. Each
    cone is written with CompositionMode_Source into a transparent layer (overlaps write
    the same pixel twice, not blend it twice), and the layer is blended once (~2.6 ms,
    pixel-identical). The outlines stay one cosmetic path (cheap under the view's clip)."""

    def __init__(self) -> None:
        super().__init__()
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.azimuth = np.empty(0)
        self.fov = np.empty(0)
        self.range_m = np.empty(0)
        self.path = QPainterPath()
        self.polygons: list[QPolygonF] = []
        self._layer: QImage | None = None
        self._built_for = QRectF()
        self._bounds = QRectF()
        self.lod_hidden = False
        self._pen = QPen()
        self._brush = QBrush()
        self.set_colours(style.CONE_FILL, style.CONE_LINE)

    def set_colours(self, fill: QColor, line: QColor) -> None:
        self._pen = QPen(line)
        self._pen.setCosmetic(True)
        self._brush = QBrush(fill)
        self.update()

    def set_cones(self, x: np.ndarray, y: np.ndarray, azimuth: np.ndarray, fov: np.ndarray,
                  range_m: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.x, self.y, self.azimuth, self.fov, self.range_m = x, y, azimuth, fov, range_m
        if x.size:
            r = float(range_m.max())
            self._bounds = QRectF(float(x.min()) - r, float(y.min()) - r,
                                  float(np.ptp(x)) + 2 * r, float(np.ptp(y)) + 2 * r)
        else:
            self._bounds = QRectF()
        self._built_for = QRectF()
        self.update()

    def view_changed(self, view: QRectF, pixel_m: float) -> None:
        self.lod_hidden = pixel_m > CONES_MAX_M_PER_PX
        if self.lod_hidden or (self._built_for.contains(view)
                               and self._built_for.width() < 2 * view.width()):
            return  # still covered, and not by a path built for a much wider view
        # a small margin: every cone in the path costs rasterising work in every frame
        # (even clipped away), while rebuilding the path for ~100 cones costs ~0.2 ms
        mx, my = view.width() * BUILD_MARGIN, view.height() * BUILD_MARGIN
        area = view.adjusted(-mx, -my, mx, my)
        r = float(self.range_m.max()) if self.range_m.size else 0.0
        inside = np.flatnonzero((self.x >= area.left() - r) & (self.x <= area.right() + r)
                                & (self.y >= area.top() - r) & (self.y <= area.bottom() + r))
        xs, ys = cone_rings(self.x[inside], self.y[inside], self.azimuth[inside],
                            self.fov[inside], self.range_m[inside])
        self.path = pg.arrayToQPath(xs, ys, connect="finite") if xs.size else QPainterPath()
        self.path.setFillRule(Qt.FillRule.WindingFill)
        self.polygons = self.path.toSubpathPolygons()  # one a cone
        self._built_for = area
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self.lod_hidden or not self.polygons:
            return
        view = self.getViewBox()
        transform = painter.transform()
        # the layer covers the view, in the painter's (logical) device pixels
        target = transform.mapRect(view.viewRect() if view is not None else self._bounds)
        target = target.toAlignedRect()
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        size = QSize(math.ceil(target.width() * dpr), math.ceil(target.height() * dpr))
        if size.isEmpty():
            return
        if self._layer is None or self._layer.size() != size \
                or self._layer.devicePixelRatioF() != dpr:
            self._layer = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            self._layer.setDevicePixelRatio(dpr)
        self._layer.fill(Qt.GlobalColor.transparent)
        layer = QPainter(self._layer)
        layer.setTransform(transform * QTransform.fromTranslate(-target.x(), -target.y()))
        layer.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        layer.setPen(Qt.PenStyle.NoPen)
        layer.setBrush(self._brush)
        for polygon in self.polygons:
            layer.drawPolygon(polygon)
        layer.end()
        painter.resetTransform()
        painter.drawImage(target.topLeft(), self._layer)
        painter.setTransform(transform)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)


class CamerasLayer(Layer):
    name = "cameras"
    clickable = True

    def __init__(self) -> None:
        super().__init__()
        self.cones = _ConesItem()
        # one style an owner; switching between icons and dots swaps the style table
        self.scatter = SpriteScatter()
        self.items = [self.cones, self.scatter]
        self.cameras: dict[str, Camera] = {}
        self._view: tuple[QRectF, float] | None = None
        self.as_dots = False
        self._palette = style.DARK
        self._restyle()

    def apply_palette(self, palette: style.MapPalette) -> None:
        self.cones.set_colours(palette.cone_fill, palette.cone_line)
        self._palette = palette
        self._restyle()

    def _restyle(self) -> None:
        self.scatter.set_styles(camera_styles(self._palette, self.as_dots))

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.cameras = {c.code: c for c in cameras}
        x, y = project([c.lon for c in cameras], [c.lat for c in cameras])
        owner = {o: i for i, o in enumerate(CAMERA_OWNERS)}
        self.scatter.set_points(x, y, [owner[c.owner] for c in cameras],
                                [c.code for c in cameras])
        with_cone = [i for i, c in enumerate(cameras)
                     if c.azimuth_deg is not None and c.fov_deg and c.range_m]
        idx = np.asarray(with_cone, dtype=np.intp)
        self.cones.set_cones(
            x[idx] if idx.size else np.empty(0), y[idx] if idx.size else np.empty(0),
            np.array([cameras[i].azimuth_deg for i in with_cone], dtype=float),
            np.array([min(cameras[i].fov_deg or 0.0, 359.0) for i in with_cone], dtype=float),
            np.array([cameras[i].range_m for i in with_cone], dtype=float))
        if self._view is not None:
            self.cones.view_changed(*self._view)

    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        self._view = (QRectF(view_rect), pixel_m)
        self.cones.view_changed(view_rect, pixel_m)
        dots = pixel_m > ICONS_MAX_M_PER_PX
        if dots != self.as_dots:
            # one style change for every camera: done only when crossing the threshold
            self.as_dots = dots
            self._restyle()

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        code = spot_hit(self.scatter, pos)
        if code is None:
            return None
        cam = self.cameras[code]
        text = f"{cam.code} — {cam.name}"
        if cam.azimuth_deg is not None:
            text += f" — {math.fmod(cam.azimuth_deg, 360):.0f}°"
        return ("camera", code, text)
