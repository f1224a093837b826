"""Many point symbols in screen pixels, drawn from one atlas of pre-rendered symbols with one
``drawPixmapFragments`` call a frame.

The drawing is pyqtgraph's ScatterPlotItem's (the same SymbolAtlas, the same fragments, so
the same pixels), without its costs that grow with the data: ``setData`` with per-point
brushes walks every point in Python (~250 ms for 5k incidents, a visible hitch when the map
chose new points while panning), and every frame it maps every point it holds and works out
its bounding rect again several times. Here a point's style is an index into a small table
of styles, points are culled to the view with numpy (sorted by x, one binary search), and
the bounding rect only changes when the data does or the zoom crosses a power of two.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import SymbolAtlas
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

Style = tuple[Any, float, QPen, QBrush]
"""(symbol, size in pixels, pen, brush), as pyqtgraph's ScatterPlotItem takes them."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def view_pixel_m(item: pg.GraphicsObject) -> float | None:
    """Map units a screen pixel of ``item``'s view box spans (the item drawn in the box's
    coordinates, as every layer's is), or None before the box is laid out. The same as
    ``item.pixelLength(Point(1, 0))`` at a fraction of the cost (no inverted transforms):
    it is asked for by every item at every zoom step."""
    box = item.getViewBox()
    if box is None:
        return None
    width = box.width()
    px = box.viewRect().width() / width if width > 0 else 0.0
    return px if px > 0 and math.isfinite(px) else None


class SpriteScatter(pg.GraphicsObject):
    """Points at (x, y) map positions, each drawn with one of a few styles."""

    def __init__(self) -> None:
        super().__init__()
        self._atlas = SymbolAtlas()
        self._styles: list[Style] = []
        self._rects = np.empty((0, 4))  # per style: source x, y, w, h in the atlas
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.style: IntArray = np.empty(0, dtype=np.intp)
        self.ids: npt.NDArray[np.object_] = np.empty(0, dtype=object)
        self._order: IntArray = np.empty(0, dtype=np.intp)  # indices sorted by x
        self._x_sorted: FloatArray = np.empty(0)
        self._data_bounds = QRectF()
        self._pad_m = 0.0  # bounding-rect padding: half the widest symbol, in map units
        self._reach_px = 0.0  # half the widest symbol, in pixels
        self._fragments = pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    # --- data --------------------------------------------------------------------------------
    def set_styles(self, styles: list[Style]) -> None:
        """The style table that point style indices refer to."""
        self._styles = list(styles)
        self._atlas.clear()
        self._render_atlas()
        self.prepareGeometryChange()
        self._pad_m = 0.0  # worked out again for the new sizes
        self.update()

    def _render_atlas(self) -> None:
        if not self._styles:
            self._rects = np.empty((0, 4))
        else:
            coords = self._atlas[self._styles]
            self._rects = np.asarray(coords, dtype=float).reshape(-1, 4)
        self._reach_px = float(self._rects[:, 2:4].max()) / 2 if self._rects.size else 0.0

    def set_points(self, x: npt.ArrayLike, y: npt.ArrayLike, style: npt.ArrayLike,
                   ids: npt.ArrayLike) -> None:
        """Points in drawing order (later ones on top); ``style`` indexes the style table."""
        self.prepareGeometryChange()
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.style = np.asarray(style, dtype=np.intp)
        self.ids = np.asarray(ids, dtype=object)
        self._order = np.argsort(self.x, kind="stable")
        self._x_sorted = self.x[self._order]
        if self.x.size:
            self._data_bounds = QRectF(float(self.x.min()), float(self.y.min()),
                                       float(np.ptp(self.x)), float(np.ptp(self.y)))
        else:
            self._data_bounds = QRectF()
        self.update()

    def __len__(self) -> int:
        return int(self.x.size)

    @property
    def data(self) -> npt.NDArray[Any]:
        """The points held, as a record array with fields x, y and data (their ids)."""
        out = np.empty(self.x.size, dtype=[("x", float), ("y", float), ("data", object)])
        out["x"], out["y"], out["data"] = self.x, self.y, self.ids
        return out

    # --- geometry ----------------------------------------------------------------------------
    def viewTransformChanged(self) -> None:
        # the padding only has to cover the symbols: it changes in steps of a power of two
        # of the pixel size, so that a zoom does not re-index the item every frame
        px = view_pixel_m(self)
        half = self._reach_px
        if not px or half == 0:
            return
        pad = 2.0 ** math.ceil(math.log2(px)) * (half + 1)
        if pad != self._pad_m:
            self.prepareGeometryChange()
            self._pad_m = pad

    def boundingRect(self) -> QRectF:
        if self._data_bounds.isNull() and not self.x.size:
            return QRectF()
        pad = self._pad_m
        if pad == 0.0:  # no view yet: be generous
            pad = 1000.0
        return self._data_bounds.adjusted(-pad, -pad, pad, pad)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.boundingRect())
        return path

    def _band(self, left: float, right: float) -> IntArray:
        lo, hi = int(np.searchsorted(self._x_sorted, left, side="left")), int(
            np.searchsorted(self._x_sorted, right, side="right"))
        return self._order[lo:hi]

    def indices_in(self, left: float, right: float, bottom: float, top: float) -> IntArray:
        """Indices (in drawing order) of the points with left ≤ x ≤ right, bottom ≤ y ≤ top."""
        band = self._band(left, right)
        ys = self.y[band]
        return np.sort(band[(ys >= bottom) & (ys <= top)])

    def count_in(self, left: float, right: float, bottom: float, top: float) -> int:
        """How many points have left ≤ x ≤ right, bottom ≤ y ≤ top."""
        ys = self.y[self._band(left, right)]
        return int(np.count_nonzero((ys >= bottom) & (ys <= top)))

    def id_at(self, pos: QPointF) -> Any:
        """The id of the top-most point whose symbol covers ``pos`` (map units), or None."""
        if not self.x.size or not self._rects.size or not self.isVisible() \
                or self.opacity() == 0:
            return None
        px = self.pixelLength(pg.Point(1, 0)) if self.getViewBox() is not None else None
        if not px:
            return None
        half = self._rects[:, 2:4] / 2 * px  # per style: half width, half height
        reach = float(half.max())
        cand = self.indices_in(pos.x() - reach, pos.x() + reach, pos.y() - reach,
                               pos.y() + reach)
        if cand.size == 0:
            return None
        w, h = half[self.style[cand], 0], half[self.style[cand], 1]
        hit = cand[(np.abs(self.x[cand] - pos.x()) < w) & (np.abs(self.y[cand] - pos.y()) < h)]
        return self.ids[hit[-1]] if hit.size else None

    # --- drawing -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self.x.size or not self._rects.size:
            return
        dpr = self._atlas.devicePixelRatio()
        if widget is not None and widget.devicePixelRatioF() != dpr:
            dpr = widget.devicePixelRatioF()
            self._atlas.setDevicePixelRatio(dpr)
            self._atlas.clear()
            self._render_atlas()
        t = painter.transform()
        inverse, ok = t.inverted()
        if not ok:
            return
        device = QRectF(painter.viewport())
        view = inverse.mapRect(device)
        reach = self._reach_px * math.hypot(inverse.m11(), inverse.m12())
        sel = self.indices_in(view.left() - reach, view.right() + reach,
                              view.top() - reach, view.bottom() + reach)
        if sel.size == 0:
            return
        x, y = self.x[sel], self.y[sel]
        self._fragments.resize(sel.size)
        frags = self._fragments.ndarray()
        frags[:, 0] = t.m11() * x + t.m21() * y + t.m31()
        frags[:, 1] = t.m12() * x + t.m22() * y + t.m32()
        frags[:, 2:6] = self._rects[self.style[sel]]
        frags[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)  # scale x, scale y, rotation, opacity
        painter.resetTransform()
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._atlas.pixmap)
