"""One tile of the camera wall: the frame (aspect kept) under the overlays that say what the
officer must know before trusting the picture (:mod:`.overlays`, in the words of
:mod:`.look`), the tile's selection and drag highlight, and the officer's hands on
it: clicks, double-clicks, and cameras dragged onto it, out of it or to another tile.

Readable from 2 m: a coloured border for every state that is not plain live, the frozen frame
dimmed. The tile paints; the wall decides what it plays (the player is the wall's, handed to
the tile to show).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from ...core.model import Camera
from ...map.canvas import CAMERA_MIME
from .budget import Mode
from .look import BACK, DIM, FOCUS, Look
from .overlays import TileOverlays


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
        self.overlays = TileOverlays(self)
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
            self.overlays.paint_empty(p, r)
        else:
            self.overlays.paint_header(p, r)
            if look is not None:
                self.overlays.paint_state(p, r, look)
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
