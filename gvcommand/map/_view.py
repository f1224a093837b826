"""The graphics view under the canvas: draws the scale bar, north arrow and choropleth
legend over the map in screen pixels, and hands keys to the canvas."""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeyEvent,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsView

from . import style


def nice_length(max_m: float) -> float:
    """The largest 1-2-5 × 10^k length not above ``max_m`` (metres)."""
    if max_m <= 0 or not math.isfinite(max_m):
        return 0.0
    power = 10 ** math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * power <= max_m:
            return step * power
    return power


def format_length(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km"
    return f"{metres:g} m"


class MapView(pg.GraphicsView):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent, background=style.BACKGROUND)
        self.view_box = pg.ViewBox(lockAspect=True, enableMenu=False)
        self.setCentralItem(self.view_box)
        # the view paints every pixel (an opaque background brush, then the items): the
        # viewport need not be filled with the palette first, and a cached background is a
        # full-screen copy each frame where a solid fill is cheaper
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.viewport().setAutoFillBackground(False)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self.north_label = "N"
        self.legend: tuple[str, float, float] | None = None  # title, low, high
        self._font = QFont()
        self._font.setPointSizeF(9.0)
        self._font.setBold(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.map_palette = style.DARK
        self._text = QColor()
        self._back = QColor()
        self.set_palette(style.DARK)

    def set_palette(self, palette: style.MapPalette) -> None:
        """The ground and the overlays' colours (scale bar, north arrow, legend)."""
        self.map_palette = palette
        self.setBackground(palette.background)
        self._text = QColor(palette.overlay_text)
        self._back = QColor(palette.overlay_back)
        self._back.setAlpha(200)
        self.viewport().update()

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        if self.key_handler is not None and self.key_handler(ev):
            ev.accept()
            return
        super().keyPressEvent(ev)

    def metres_per_pixel(self) -> float:
        # the view box is drawn 1:1 in scene pixels: its view width over its pixel width
        # (what viewPixelSize() works out through two inverted transforms, ~0.5 ms a call)
        pixels = self.view_box.width()
        return float(self.view_box.viewRect().width() / pixels) if pixels > 0 else 0.0

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._font)
        self._draw_scale_bar(painter)
        self._draw_north_arrow(painter)
        if self.legend is not None:
            self._draw_legend(painter, *self.legend)
        painter.restore()

    def _panel(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._back)
        painter.drawRoundedRect(rect, 4, 4)

    def _draw_scale_bar(self, painter: QPainter) -> None:
        mpp = self.metres_per_pixel()
        length = nice_length(mpp * 140) if mpp > 0 else 0.0
        if length <= 0:
            return
        px = length / mpp
        x0, y0 = 14.0, self.viewport().height() - 18.0
        self._panel(painter, QRectF(x0 - 8, y0 - 26, px + 16, 36))
        pen = QPen(self._text, 2)
        painter.setPen(pen)
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
        painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0 + 3))
        painter.drawLine(QPointF(x0 + px, y0 - 5), QPointF(x0 + px, y0 + 3))
        painter.drawText(QRectF(x0, y0 - 24, px, 18), Qt.AlignmentFlag.AlignCenter,
                         format_length(length))

    def _draw_north_arrow(self, painter: QPainter) -> None:
        cx, top = self.viewport().width() - 30.0, 14.0
        self._panel(painter, QRectF(cx - 16, top - 6, 32, 58))
        arrow = QPolygonF([QPointF(cx, top + 18), QPointF(cx + 8, top + 44),
                           QPointF(cx, top + 38), QPointF(cx - 8, top + 44)])
        painter.setPen(QPen(self._text, 1.2))
        painter.setBrush(QBrush(self._text))
        painter.drawPolygon(arrow)
        painter.drawText(QRectF(cx - 12, top - 2, 24, 18), Qt.AlignmentFlag.AlignCenter,
                         self.north_label)

    def _draw_legend(self, painter: QPainter, title: str, low: float, high: float) -> None:
        w, h = 180.0, 14.0
        x0 = self.viewport().width() - w - 16
        y0 = self.viewport().height() - 52.0
        self._panel(painter, QRectF(x0 - 8, y0 - 24, w + 16, 64))
        gradient = QLinearGradient(x0, 0, x0 + w, 0)
        for t in (0.0, 0.5, 1.0):
            colour = style.choropleth_colour(t, self.map_palette)
            colour.setAlpha(255)
            gradient.setColorAt(t, colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(gradient))
        painter.drawRect(QRectF(x0, y0, w, h))
        painter.setPen(QPen(self._text))
        painter.drawText(QRectF(x0, y0 - 22, w, 18), Qt.AlignmentFlag.AlignLeft, title)
        painter.drawText(QRectF(x0, y0 + h + 2, w, 18), Qt.AlignmentFlag.AlignLeft, f"{low:g}")
        painter.drawText(QRectF(x0, y0 + h + 2, w, 18), Qt.AlignmentFlag.AlignRight,
                         f"{high:g}")


def measure_path(points: list[QPointF]) -> QPainterPath:
    path = QPainterPath()
    if points:
        path.moveTo(points[0])
        for p in points[1:]:
            path.lineTo(p)
    return path
