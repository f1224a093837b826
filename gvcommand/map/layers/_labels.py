"""One graphics item that draws many short labels (call signs, point names) in screen
pixels beside their map positions: one item per layer, never a TextItem per feature."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from .. import style
from ._sprites import view_pixel_m


@dataclass(frozen=True)
class LabelSprites:
    """Labels pre-rendered into one pixmap (box and text), per label in the order given:
    where it is in the pixmap (device pixels), the text's width and the sprite's width
    (logical pixels); ``sprite_h`` is every sprite's height."""

    pixmap: QPixmap
    src: npt.NDArray[np.float64]  # x, y, w, h in the pixmap
    text_w: npt.NDArray[np.float64]
    sprite_w: npt.NDArray[np.float64]
    sprite_h: float


def label_sprites(texts: list[str], font: QFont, pen: QPen, halo: QColor,
                  dpr: float = 1.0) -> LabelSprites:
    """Every label once, box and text, into one pixmap: a frame then draws them all with
    one drawPixmapFragments call (no text layout, no Python per label)."""
    metrics = QFontMetricsF(font)
    height = metrics.height()
    unique = sorted(set(texts))
    widths = {t: metrics.horizontalAdvance(t) for t in unique}
    side_h = math.ceil(height)
    row_w = 1024
    place: dict[str, tuple[int, int, int]] = {}  # text → x, y, width (logical px)
    x = y = 0
    for t in unique:
        w = math.ceil(widths[t] + 6)
        if x + w > row_w and x > 0:
            x, y = 0, y + side_h
        place[t] = (x, y, w)
        x += w
    image = QImage(max(1, math.ceil(row_w * dpr)), max(1, math.ceil((y + side_h) * dpr)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setPen(pen)
    ascent = metrics.ascent()
    for t, (px, py, _w) in place.items():
        # a box (dark on the dark map, pale on the light one) keeps labels readable over
        # fills and heatmaps
        painter.fillRect(QRectF(px, py, widths[t] + 6, height), halo)
        painter.drawText(QPointF(px + 3, py + ascent), t)
    painter.end()
    return LabelSprites(
        QPixmap.fromImage(image),
        np.array([[place[t][0] * dpr, place[t][1] * dpr, place[t][2] * dpr, side_h * dpr]
                  for t in texts], dtype=float).reshape(-1, 4),
        np.array([widths[t] for t in texts], dtype=float),
        np.array([place[t][2] for t in texts], dtype=float), float(side_h))


class LabelsItem(pg.GraphicsObject):
    """Labels at (x, y) map positions, drawn ``offset`` pixels to the right of each point.

    Labels are skipped when more than ``max_labels`` points are in view: a thousand
    overlapping call signs are noise, and the officer zooms in to read them.
    """

    def __init__(self, *, max_labels: int = 400, offset_px: float = 10.0,
                 colour: str = style.LABEL_TEXT, point_size: float = 9.0,
                 centred: bool = False, bold: bool = True) -> None:
        super().__init__()
        self._x: npt.NDArray[np.float64] = np.empty(0)
        self._y: npt.NDArray[np.float64] = np.empty(0)
        self._texts: list[str] = []
        self._bounds = QRectF()
        self.max_labels = max_labels
        self._offset = offset_px
        self._centred = centred
        self._pen = QPen(QColor(colour))
        halo = QColor(style.LABEL_HALO)
        halo.setAlpha(style.DARK.label_halo_alpha)
        self._halo = halo
        self._font = QFont()
        self._font.setPointSizeF(point_size)
        self._font.setBold(bold)
        self._metrics = QFontMetricsF(self._font)
        self._pad_m = 0.0
        self._atlas: QPixmap | None = None
        self._atlas_dpr = 1.0
        self._src = np.empty((0, 4))
        self._text_w = np.empty(0)
        self._sprite_w = np.empty(0)
        self._sprite_h = 0.0
        self._fragments = pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def set_colours(self, text: str, halo: str, halo_alpha: int) -> None:
        """Text and box colours; the atlas is drawn again at once if there are labels."""
        self._pen = QPen(QColor(text))
        self._halo = QColor(halo)
        self._halo.setAlpha(halo_alpha)
        if self._texts:
            self._build_atlas(self._atlas_dpr)
        else:
            self._atlas = None
        self.update()

    @property
    def texts(self) -> list[str]:
        return list(self._texts)

    def set_labels(self, x: npt.ArrayLike, y: npt.ArrayLike, texts: list[str]) -> None:
        self.prepareGeometryChange()
        self._x = np.asarray(x, dtype=float)
        self._y = np.asarray(y, dtype=float)
        texts = list(texts)
        changed = texts != self._texts
        self._texts = texts
        if self._x.size:
            self._bounds = QRectF(float(self._x.min()), float(self._y.min()),
                                  float(np.ptp(self._x)), float(np.ptp(self._y)))
        else:
            self._bounds = QRectF()
        if changed:
            # now, not at the first frame that shows them (~20 ms for 1,000 call signs);
            # units moving keep their texts and the atlas
            self._build_atlas(self._atlas_dpr)
        self.update()

    def labels_in(self, rect: QRectF) -> list[str]:
        """The labels whose anchor lies in ``rect`` (map metres)."""
        inside = ((self._x >= rect.left()) & (self._x <= rect.right())
                  & (self._y >= rect.top()) & (self._y <= rect.bottom()))
        return [self._texts[i] for i in np.flatnonzero(inside)]

    def boundingRect(self) -> QRectF:
        if self._bounds.isNull() and not self._x.size:
            return QRectF()
        # labels extend beyond their anchors by some pixels: pad by that many pixels' metres
        pad = self._pad_m or 1000.0  # no view yet: be generous
        return self._bounds.adjusted(-pad, -pad, pad, pad)

    def viewTransformChanged(self) -> None:
        # the padding changes in steps of a power of two of the pixel size, so that a zoom
        # does not re-index the item every frame
        px = view_pixel_m(self)
        if not px:
            return
        pad = 2.0 ** math.ceil(math.log2(px)) * 160.0
        if pad != self._pad_m:
            self.prepareGeometryChange()
            self._pad_m = pad

    def _build_atlas(self, dpr: float) -> None:
        sprites = label_sprites(self._texts, self._font, self._pen, self._halo, dpr)
        self._atlas = sprites.pixmap
        self._atlas_dpr = dpr
        self._src, self._text_w = sprites.src, sprites.text_w
        self._sprite_w, self._sprite_h = sprites.sprite_w, sprites.sprite_h

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self._texts:
            return
        view = self.getViewBox()
        if view is None:
            return
        rect = view.viewRect()
        inside = np.flatnonzero((self._x >= rect.left()) & (self._x <= rect.right())
                                & (self._y >= rect.top()) & (self._y <= rect.bottom()))
        if inside.size == 0 or inside.size > self.max_labels:
            return
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        if self._atlas is None or self._atlas_dpr != dpr:
            self._build_atlas(dpr)
        assert self._atlas is not None
        t = painter.transform()
        x, y = self._x[inside], self._y[inside]
        px = t.m11() * x + t.m21() * y + t.m31()
        py = t.m12() * x + t.m22() * y + t.m32()
        width = self._text_w[inside]
        left = px - width / 2 if self._centred else px + self._offset
        top = py - self._metrics.height() / 2
        # whole pixels, as the box was filled before (non-antialiased fills snap to pixels)
        x0 = np.floor(left - 3 + 0.5)
        y0 = np.floor(top + 0.5)
        self._fragments.resize(inside.size)
        frags = self._fragments.ndarray()
        frags[:, 0] = x0 + self._sprite_w[inside] / 2  # fragments are placed by their centre
        frags[:, 1] = y0 + self._sprite_h / 2
        frags[:, 2:6] = self._src[inside]
        frags[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
        painter.save()
        painter.resetTransform()
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._atlas)
        painter.restore()

    def shape(self) -> QPainterPath:
        # labels are not clickable: clicks fall through to the points below
        return QPainterPath()
