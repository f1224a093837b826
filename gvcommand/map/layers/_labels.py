"""One graphics item that draws many short labels (call signs, point names) in screen
pixels beside their map positions: one item per layer, never a TextItem per feature."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from .. import style


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
        halo.setAlpha(170)
        self._halo = halo
        self._font = QFont()
        self._font.setPointSizeF(point_size)
        self._font.setBold(bold)
        self._metrics = QFontMetricsF(self._font)

    @property
    def texts(self) -> list[str]:
        return list(self._texts)

    def set_labels(self, x: npt.ArrayLike, y: npt.ArrayLike, texts: list[str]) -> None:
        self.prepareGeometryChange()
        self._x = np.asarray(x, dtype=float)
        self._y = np.asarray(y, dtype=float)
        self._texts = list(texts)
        if self._x.size:
            self._bounds = QRectF(float(self._x.min()), float(self._y.min()),
                                  float(np.ptp(self._x)), float(np.ptp(self._y)))
        else:
            self._bounds = QRectF()
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
        px = self.pixelLength(pg.Point(1, 0)) if self.getViewBox() is not None else None
        pad = (px or 1.0) * 160.0
        return self._bounds.adjusted(-pad, -pad, pad, pad)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()

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
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        metrics = self._metrics
        height = metrics.height()
        ascent = metrics.ascent()
        painter.setPen(self._pen)
        for i in inside:
            text = self._texts[i]
            p = transform.map(QPointF(self._x[i], self._y[i]))
            width = metrics.horizontalAdvance(text)
            left = p.x() - width / 2 if self._centred else p.x() + self._offset
            top = p.y() - height / 2
            # a dark box keeps labels readable over fills and heatmaps (one fill, cheaper
            # than a drawn halo)
            painter.fillRect(QRectF(left - 3, top, width + 6, height), self._halo)
            painter.drawText(QPointF(left, top + ascent), text)
        painter.restore()

    def shape(self) -> QPainterPath:
        # labels are not clickable: clicks fall through to the points below
        return QPainterPath()
