"""One tile of the camera wall: the frame (aspect kept), the camera's name and ward, a live
clock, and what the officer must know before trusting the picture — live, connecting,
frozen since when, reconnecting, failed and why, or reduced by the decode budget.

Readable from 2 m: text at least 15 px high on a dark strip, a coloured border for every
state that is not plain live, the frozen frame dimmed. The tile paints; the wall decides what
it plays (the player is the wall's, handed to the tile to show).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QMimeData,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from ..core.model import Camera
from ..geo.editions import VIETNAM_TZ
from ..map.canvas import CAMERA_MIME
from . import theme
from .camera_wall_budget import Mode

# state colours: the same meaning as everywhere in the console
LIVE = QColor(theme.OK)
AMBER = QColor(theme.WARN)
RED = QColor(theme.ALARM)
ORANGE = QColor("#e07b30")
GREY = QColor(theme.MUTED)
BUDGET = QColor("#6d8fd6")  # a budget reduction is information, not a fault
BACK = QColor("#0d0f12")
STRIP = QColor(0, 0, 0, 170)
TEXT = QColor(theme.TEXT)
DIM = QColor(0, 0, 0, 140)
FOCUS = QColor(theme.ACCENT)
CLOCK_MIN_PX = 240  # narrower tiles show no clock


def camera_codes(mime: QMimeData) -> list[str]:
    """Camera codes carried by a drag (from the map or the camera list), in order."""
    if not mime.hasFormat(CAMERA_MIME):
        return []
    raw = bytes(mime.data(CAMERA_MIME).data()).decode("utf-8", "replace")
    return [c for c in raw.splitlines() if c.strip()]


TILE_MIME = "application/x-gvcommand-wall-tile"  # "<wall grid id> <slot>": a tile moved


def _tile_source(mime: QMimeData) -> tuple[int, int] | None:
    if not mime.hasFormat(TILE_MIME):
        return None
    try:
        host, slot = bytes(mime.data(TILE_MIME).data()).decode().split()
        return int(host), int(slot)
    except ValueError:
        return None


def camera_mime(codes: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME, "\n".join(codes).encode("utf-8"))
    mime.setText(", ".join(codes))
    return mime


def clock(us: int) -> str:
    """hh:mm:ss in Vietnam time (the control room's clock)."""
    return dt.datetime.fromtimestamp(us / 1e6, VIETNAM_TZ).strftime("%H:%M:%S")


@dataclass(frozen=True, slots=True)
class Look:
    """What a tile says about its state: the badge, its colour, the border (None: none), a
    message across the middle (None: none) and whether the frame is dimmed."""

    badge: str
    colour: QColor
    border: QColor | None = None
    message: str | None = None
    dim: bool = False
    note: str | None = None  # what the decode budget did to the tile (above the badge)


class CameraTile(QWidget):
    dropped = Signal(int, str)  # slot, camera code
    swapped = Signal(int, int)  # a tile dragged onto another of the same wall: from, to
    double_clicked = Signal(int)  # slot
    clicked = Signal(int)

    def __init__(self, slot: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slot = slot
        self.setObjectName(f"camera_tile_{slot}")
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(80, 45)
        self.camera: Camera | None = None
        self.ward_name = ""
        self.look: Look | None = None
        self.mode: Mode | None = None
        self.image: QImage | None = None  # the last frame shown (kept when frozen or stopped)
        self.still_at_us = 0  # when a snapshot or the frame shown was taken
        self.now_us = 0  # the clock, set by the wall every second
        self.selected = False
        self.drag_over = False
        self.painted = 0
        self._layers: dict[str, tuple[tuple[object, ...], QImage]] = {}
        self._fonts: dict[tuple[int, int, float, bool], QFont] = {}
        self._press: QPoint | None = None

    def sizeHint(self) -> QSize:
        return QSize(320, 180)

    def set_camera(self, camera: Camera | None, ward_name: str = "") -> None:
        if camera is None or self.camera is None or camera.code != self.camera.code:
            self.image = None
            self.still_at_us = 0
        self.camera, self.ward_name = camera, ward_name
        self.update()

    def set_frame(self, image: QImage | None, at_us: int) -> None:
        if image is not None and not image.isNull():
            self.image, self.still_at_us = image, at_us
        self.update()

    def set_look(self, look: Look | None, mode: Mode | None) -> None:
        if look != self.look or mode != self.mode:
            self.look, self.mode = look, mode
            self.update()

    # --- drag and drop, clicks -------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if camera_codes(event.mimeData()):
            event.acceptProposedAction()
            self.drag_over = True
            self.update()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self.drag_over = False
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        codes = camera_codes(event.mimeData())
        self.drag_over = False
        self.update()
        if not codes:
            event.ignore()
            return
        event.acceptProposedAction()
        source = _tile_source(event.mimeData())
        if source is not None and source[0] == id(self.parentWidget()):
            if source[1] != self.slot:
                self.swapped.emit(source[1], self.slot)  # a tile of this wall moved here
            return
        self.dropped.emit(self.slot, codes[0])

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.slot)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.clicked.emit(self.slot)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (self._press is None or self.camera is None
                or not event.buttons() & Qt.MouseButton.LeftButton):
            return
        if (event.position().toPoint() - self._press).manhattanLength() \
                < QApplication.startDragDistance():
            return
        self._press = None
        mime = camera_mime([self.camera.code])
        mime.setData(TILE_MIME, f"{id(self.parentWidget())} {self.slot}".encode())
        self.start_drag(mime)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        event.accept()

    def start_drag(self, mime: QMimeData) -> None:
        """Carry this tile's camera to another tile (swapped) or out of the wall."""
        drag = QDrag(self)
        drag.setMimeData(mime)
        if self.image is not None:
            drag.setPixmap(QPixmap.fromImage(self.image.scaledToWidth(
                160, Qt.TransformationMode.SmoothTransformation)))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    # --- painting --------------------------------------------------------------------------
    def _font(self, scale: float, *, bold: bool = False) -> QFont:
        key = (self.width(), self.height(), scale, bold)
        found = self._fonts.get(key)
        if found is not None:
            return found
        if len(self._fonts) > 16:
            self._fonts.clear()
        font = QFont(self.font())
        # 14 px and up on a wall (readable from 2 m); a thumbnail-sized tile (a docked
        # preview) goes down to 10 px rather than show nothing but its clock
        low = 14 if self.height() >= 160 and self.width() >= 260 else 10
        font.setPixelSize(max(low, min(24, round(self.height() * scale))))
        font.setBold(bold)
        self._fonts[key] = font
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        r = self.rect()
        look = self.look
        if self.image is not None and self.camera is not None:
            target = self.frame_rect()
            for bar in (QRect(r.left(), r.top(), r.width(), target.top() - r.top()),
                        QRect(r.left(), target.bottom() + 1, r.width(),
                              r.bottom() - target.bottom()),
                        QRect(r.left(), target.top(), target.left() - r.left(),
                              target.height()),
                        QRect(target.right() + 1, target.top(), r.right() - target.right(),
                              target.height())):
                if bar.isValid() and not bar.isEmpty():
                    p.fillRect(bar, BACK)
            self._paint_frame(p, r, dim=look is not None and look.dim)
            self.painted += 1  # frames shown (benchmarks/bench_camera_wall.py)
        else:
            p.fillRect(r, BACK)
        if self.camera is None:
            self._paint_empty(p, r)
        else:
            self._paint_header(p, r)
            if look is not None:
                self._paint_state(p, r, look)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.drag_over:
            p.setPen(QPen(FOCUS, 6, Qt.PenStyle.DashLine))
            p.drawRect(r.adjusted(3, 3, -3, -3))
        elif self.selected:
            p.setPen(QPen(FOCUS, 2))
            p.drawRect(r.adjusted(1, 1, -1, -1))
        p.end()

    def frame_rect(self) -> QRect:
        """Where the frame is drawn: the tile, less the letterbox bars."""
        assert self.image is not None
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        r = QRect(0, 0, size.width(), size.height())
        r.moveCenter(self.rect().center())
        return r

    def _paint_frame(self, p: QPainter, r: QRect, *, dim: bool) -> None:
        assert self.image is not None
        target = self.frame_rect()
        # smooth scaling only where it shows (a large tile); 16 grid tiles at 25 fps scale
        # fast (the CPU is the decoders')
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.height() > 400)
        p.drawImage(QRectF(target), self.image)
        if dim:
            p.fillRect(target, DIM)

    def _paint_empty(self, p: QPainter, r: QRect) -> None:
        p.setPen(QPen(QColor(theme.BORDER), 1, Qt.PenStyle.DashLine))
        p.drawRect(r.adjusted(4, 4, -5, -5))
        p.setFont(self._font(0.07))
        p.setPen(GREY)
        p.drawText(r.adjusted(8, 8, -8, -8),
                   Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                   self.tr("Drag a camera here\n(from the list or the map)"))

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

    def _paint_header(self, p: QPainter, r: QRect) -> None:
        assert self.camera is not None
        key = (r.size(), self.camera.name, self.ward_name, self._clock_text())
        h = QFontMetrics(self._font(0.075, bold=True)).height() + 6
        p.drawImage(r.topLeft(), self._layer("header", key, QSize(r.width(), h),
                                             self._draw_header))

    def _clock_text(self) -> str:
        # a narrow tile gives the camera's name the room (the status bar has the time too)
        return clock(self.now_us) if self.now_us and self.width() >= CLOCK_MIN_PX else ""

    def _draw_header(self, p: QPainter, r: QRect) -> None:
        assert self.camera is not None
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
        title = self.camera.name
        if self.ward_name:
            title += " · " + self.ward_name
        p.setFont(name_font)
        room = strip.adjusted(6, 0, -clock_w - 6, 0)
        title = QFontMetrics(name_font).elidedText(title, Qt.TextElideMode.ElideRight,
                                                   max(0, room.width()))
        p.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

    def _paint_state(self, p: QPainter, r: QRect, look: Look) -> None:
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


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraTile", text)


# failure reasons the player names (gvcommand.video.relay.Failure), in the officer's words;
# anything else is shown as given
_REASONS = {
    "authentication failed": QT_TRANSLATE_NOOP("CameraTile", "wrong user name or password"),
    "camera unreachable": QT_TRANSLATE_NOOP("CameraTile",
                                            "camera unreachable (network or power)"),
    "stream not found on the camera": QT_TRANSLATE_NOOP("CameraTile",
                                                        "stream not found on the camera"),
    "unsupported codec": QT_TRANSLATE_NOOP("CameraTile", "video format not supported"),
    "malformed URL": QT_TRANSLATE_NOOP("CameraTile", "camera address is not valid"),
    "relay stopped": QT_TRANSLATE_NOOP("CameraTile", "stream relay stopped"),
    "no picture": QT_TRANSLATE_NOOP("CameraTile", "no picture from the camera"),
    "stream ended": QT_TRANSLATE_NOOP("CameraTile", "the camera ended the stream"),
    "video engine unavailable": QT_TRANSLATE_NOOP("CameraTile",
                                                  "video engine not installed (libVLC)"),
}


def reason_text(detail: str) -> str:
    """A failure reason in the officer's words; what follows a known reason (": hevc") is
    kept as its detail."""
    key = detail.strip().lower()
    for code, text in _REASONS.items():
        if key.startswith(code.lower()):
            rest = detail.strip()[len(code):].lstrip(":;,- ").strip().strip("()")
            # a codec's name ("hevc") says something to anyone; a sentence in the relay's
            # words stays in the tooltip
            return _tr(str(text)) + (f" ({rest})" if rest and " " not in rest else "")
    return detail


_ATTEMPT = re.compile(r"attempt (\d+), next try in ([\d.]+) s")
_TRYING = re.compile(r"attempt (\d+), trying now")
_NO_ANSWER = re.compile(r"no answer in ([\d.]+) s")


def split_detail(detail: str) -> tuple[str, str]:
    """The player's detail ("camera unreachable; attempt 2, next try in 4 s") as (the
    reason, the retry) in the officer's words; "last frame at …" is left out (the tile says
    it from the frame's own time, in Vietnam time)."""
    reason, retry = [], ""
    for part in (p.strip() for p in detail.split(";")):
        if not part or part.startswith("last frame at") or part in (
                "connecting", "stopped", "paused") or part.startswith("live "):
            continue
        if m := _ATTEMPT.fullmatch(part):
            retry = _tr("attempt {n}, next try in {s} s").format(n=m[1], s=m[2])
        elif m := _TRYING.fullmatch(part):
            retry = _tr("attempt {n}, trying now").format(n=m[1])
        elif m := _NO_ANSWER.fullmatch(part):
            reason.append(_tr("no answer in {s} s").format(s=m[1]))
        else:
            reason.append(reason_text(part))
    known = [r for r, part in zip(reason, _reason_parts(detail), strict=False)
             if _known(part)]
    # a known reason says it all; the relay's technical line stays in the tooltip
    return "; ".join(known or reason), retry


def _known(part: str) -> bool:
    key = part.strip().lower()
    return any(key.startswith(code.lower()) for code in _REASONS)


def _reason_parts(detail: str) -> list[str]:
    """The parts of ``detail`` that :func:`split_detail` turns into reasons, in order."""
    out = []
    for part in (p.strip() for p in detail.split(";")):
        if not part or part.startswith("last frame at") or part in (
                "connecting", "stopped", "paused") or part.startswith("live "):
            continue
        if _ATTEMPT.fullmatch(part) or _TRYING.fullmatch(part):
            continue
        out.append(part)
    return out


def describe(state: str, detail: str, last_frame_us: int | None, mode: Mode | None, *,
             still_at_us: int = 0, snapshot_period_s: float = 5.0) -> Look:
    """How a tile shows a player's state (``state`` is the StreamState name) under the
    budget's ``mode``."""
    note = {Mode.SUB_BUDGET: _tr("sub-stream (decode budget)"),
            Mode.SNAPSHOT: _tr("snapshot every {s} s (decode budget)").format(
                s=f"{snapshot_period_s:g}")}.get(mode) if mode is not None else None
    if mode is Mode.PAUSED:
        return Look(_tr("Paused: decode budget"), BUDGET, BUDGET,
                    _tr("Paused: decode budget\n(too many streams for this workstation)"),
                    dim=True)
    stream = _tr("main stream") if mode is Mode.MAIN else _tr("sub-stream")
    if mode is Mode.SNAPSHOT and state in ("CONNECTING", "LIVE", "STOPPED", "PAUSED"):
        # between snapshots, and while one is taken, the last one stays on the tile
        if still_at_us:
            return Look(_tr("Snapshot at {t}").format(t=clock(still_at_us)), BUDGET, BUDGET,
                        None, note=note)
        return Look(_tr("Taking a snapshot…"), BUDGET, BUDGET, _tr("Taking a snapshot…"),
                    note=note)
    if state == "LIVE":
        return Look("● " + _tr("LIVE") + " · " + stream, LIVE, None, None, note=note)
    why, retry = split_detail(detail)
    if state == "STALLED":
        at = clock(last_frame_us) if last_frame_us else "—"
        message = _tr("FROZEN\nlast frame at {t}").format(t=at)
        if retry:
            message += "\n" + _tr("reconnecting: {retry}").format(retry=retry)
        return Look(_tr("FROZEN — last frame at {t}").format(t=at), AMBER, AMBER,
                    message, dim=True, note=note)
    if state == "RECONNECTING":
        if last_frame_us:
            # the picture stopped and the camera is being called again: what the officer
            # sees is still a frozen frame, and since when matters most
            at = clock(last_frame_us)
            message = _tr("FROZEN\nlast frame at {t}").format(t=at) + "".join(
                f"\n{x}" for x in (why, retry and _tr("reconnecting: {retry}").format(
                    retry=retry)) if x)
            return Look(_tr("FROZEN — last frame at {t}").format(t=at), AMBER, ORANGE,
                        message, dim=True, note=note)
        badge = _tr("Reconnecting") + (f" — {retry}" if retry else "…")
        message = _tr("Reconnecting…") + "".join(f"\n{x}" for x in (why, retry) if x)
        return Look(badge, ORANGE, ORANGE, message, dim=True, note=note)
    if state == "FAILED":
        why = why or _tr("no picture")
        message = _tr("No picture\n{why}").format(why=why)
        if last_frame_us:
            message += "\n" + _tr("last frame at {t}").format(t=clock(last_frame_us))
        if retry:
            message += "\n" + retry
        return Look(_tr("FAILED: {why}").format(why=why), RED, RED, message, dim=True,
                    note=note)
    if state == "PAUSED":
        return Look(_tr("Paused"), GREY, None, None, dim=True, note=note)
    if state == "STOPPED":
        return Look(_tr("Stopped"), GREY, None, None, dim=True, note=note)
    return Look(_tr("Connecting…"), GREY, None, _tr("Connecting…"), note=note)
