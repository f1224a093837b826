"""What a camera wall tile paints over its frame: the header strip (the camera's name and ward,
the clock), the state — a coloured border, a message across the middle, the badge and the
decode budget's note — and the hint on an empty tile.

Readable from 2 m: text at least 15 px high on a dark strip. The header and the badges change
at most once a second and are drawn once into cached layers; the frame under them changes 25
times a second (:class:`~.tile.CameraTile` paints it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from ...core.model import Camera
from .. import theme
from .look import BUDGET, GREY, LIVE, STRIP, TEXT, Look, clock

CLOCK_MIN_PX = 240  # narrower tiles show no clock


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraTile", text)


class Tile(Protocol):
    """What the overlays read of their tile (:class:`~.tile.CameraTile`)."""

    camera: Camera | None
    ward_name: str
    now_us: int  # the clock (0: none yet)

    def width(self) -> int: ...
    def height(self) -> int: ...
    def font(self) -> QFont: ...


class TileOverlays:
    """The overlays of one tile, with their fonts and cached layers (the tile's size decides
    both)."""

    def __init__(self, tile: Tile) -> None:
        self._tile = tile
        self._layers: dict[str, tuple[tuple[object, ...], QImage]] = {}
        self._fonts: dict[tuple[int, int, float, bool], QFont] = {}

    def _font(self, scale: float, *, bold: bool = False) -> QFont:
        tile = self._tile
        key = (tile.width(), tile.height(), scale, bold)
        found = self._fonts.get(key)
        if found is not None:
            return found
        if len(self._fonts) > 16:
            self._fonts.clear()
        font = QFont(tile.font())
        # 14 px and up on a wall (readable from 2 m); a thumbnail-sized tile (a docked
        # preview) goes down to 10 px rather than show nothing but its clock
        low = 14 if tile.height() >= 160 and tile.width() >= 260 else 10
        font.setPixelSize(max(low, min(24, round(tile.height() * scale))))
        font.setBold(bold)
        self._fonts[key] = font
        return font

    def paint_empty(self, p: QPainter, r: QRect) -> None:
        p.setPen(QPen(QColor(theme.BORDER), 1, Qt.PenStyle.DashLine))
        p.drawRect(r.adjusted(4, 4, -5, -5))
        p.setFont(self._font(0.07))
        p.setPen(GREY)
        p.drawText(r.adjusted(8, 8, -8, -8),
                   Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                   _tr("Drag a camera here\n(from the list or the map)"))

    def _layer(self, kind: str, key: tuple[object, ...], size: QSize,
               draw: Callable[[QPainter, QRect], None]) -> QImage:
        """A transparent image of ``size`` drawn by ``draw``, kept while ``key`` holds:
        the header and the badges change at most once a second, the frame 25 times."""
        cached = self._layers.get(kind)
        if cached is not None and cached[0] == key:
            return cached[1]
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        draw(painter, QRect(0, 0, size.width(), size.height()))
        painter.end()
        self._layers[kind] = (key, image)
        return image

    def paint_header(self, p: QPainter, r: QRect) -> None:
        camera = self._tile.camera
        assert camera is not None
        key = (r.size(), camera.name, self._tile.ward_name, self._clock_text())
        h = QFontMetrics(self._font(0.075, bold=True)).height() + 6
        p.drawImage(r.topLeft(), self._layer("header", key, QSize(r.width(), h),
                                             self._draw_header))

    def _clock_text(self) -> str:
        # a narrow tile gives the camera's name the room (the status bar has the time too)
        now_us = self._tile.now_us
        return clock(now_us) if now_us and self._tile.width() >= CLOCK_MIN_PX else ""

    def _draw_header(self, p: QPainter, r: QRect) -> None:
        camera = self._tile.camera
        assert camera is not None
        name_font = self._font(0.075, bold=True)
        small = self._font(0.06)
        h = QFontMetrics(name_font).height() + 6
        strip = QRect(r.left(), r.top(), r.width(), h)
        p.fillRect(strip, STRIP)
        clock_text = self._clock_text()
        p.setFont(small)
        clock_w = QFontMetrics(small).horizontalAdvance(clock_text) + 10
        p.setPen(TEXT)
        p.drawText(strip.adjusted(0, 0, -6, 0),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, clock_text)
        title = camera.name
        if self._tile.ward_name:
            title += " · " + self._tile.ward_name
        p.setFont(name_font)
        room = strip.adjusted(6, 0, -clock_w - 6, 0)
        title = QFontMetrics(name_font).elidedText(title, Qt.TextElideMode.ElideRight,
                                                   max(0, room.width()))
        p.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

    def paint_state(self, p: QPainter, r: QRect, look: Look) -> None:
        if look.border is not None:
            p.setPen(QPen(look.border, 5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(r.adjusted(2, 2, -3, -3))
        if look.message:
            font = self._font(0.08, bold=True)
            p.setFont(font)
            box = r.adjusted(14, QFontMetrics(font).height() + 16, -14, -(
                QFontMetrics(font).height() + 16))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            text_rect = p.boundingRect(box, flags, look.message).adjusted(-10, -6, 10, 6)
            p.fillRect(text_rect, STRIP)
            p.setPen(look.colour if look.colour != LIVE else TEXT)
            p.drawText(box, flags, look.message)
        # the badge, bottom left: what the picture is; the budget's note above it
        fm = QFontMetrics(self._font(0.06, bold=True))
        room = QSize(r.width(), 2 * (fm.height() + 10) + 8)
        key = (r.size(), look.badge, look.note, look.colour.rgba())
        p.drawImage(r.left(), r.bottom() + 1 - room.height(),
                    self._layer("badges", key, room, lambda q, area: self._draw_badges(
                        q, area, look)))

    def _draw_badges(self, p: QPainter, r: QRect, look: Look) -> None:
        font = self._font(0.06, bold=True)
        p.setFont(font)
        fm = QFontMetrics(font)
        bottom = r.bottom() - 7
        for text, colour in ((look.badge, look.colour), (look.note, BUDGET)):
            if not text:
                continue
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, r.width() - 24))
            w, h = fm.horizontalAdvance(text) + 16, fm.height() + 6
            badge = QRect(r.left() + 8, bottom - h, w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(badge, 4, 4)
            p.setPen(QColor("#101214"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            bottom -= h + 4
