"""Whether the officer can see the camera wall, so that its tiles decode only then: the wall
shown, its dock not a background tab, the window not minimised. Hidden for longer than a
re-layout's flicker (:data:`HIDE_AFTER_MS`), the wall pauses: decoding stops and the live views
close, on the record; shown again, it plays again.

A part of :class:`~.camera_wall.CameraWall` (mixed into it), kept apart to be read alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _WallPart = QWidget
else:
    _WallPart = object

HIDE_AFTER_MS = 300  # hidden this long, the wall pauses (not for a re-layout's flicker)


class WallVisibility(_WallPart):
    # what this part uses of the wall
    _stopped: bool

    if TYPE_CHECKING:
        def _apply(self) -> None: ...

    def _init_visibility(self) -> None:
        self.active = False  # the officer can see the wall
        self.on_screen = True  # not behind another tab (set by the dock)
        self._watched: QWidget | None = None
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(HIDE_AFTER_MS)
        self._hide_timer.timeout.connect(self._apply_hidden)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)  # its WindowStateChange: CameraWall.eventFilter
            self._watched = window
        self._set_active()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._set_active()

    def set_on_screen(self, shown: bool) -> None:
        """Whether the wall's container shows it: a dock behind another dock's tab stays
        "visible" to Qt but is not on screen (QDockWidget.visibilityChanged tells)."""
        self.on_screen = shown
        self._set_active()

    def _set_active(self) -> None:
        active = (not self._stopped and self.on_screen and self.isVisible()
                  and not self.window().isMinimized())
        if active:
            self._hide_timer.stop()
            if not self.active:
                self.active = True
                self._apply()
        elif self.active and not self._hide_timer.isActive():
            if self._stopped:
                self._apply_hidden()
            else:
                # a dock re-laid out or a tab flicked through hides the wall for an instant:
                # decoding pauses (and the views close, on the record) only if it stays so
                self._hide_timer.start()

    def _apply_hidden(self) -> None:
        if not (not self._stopped and self.on_screen and self.isVisible()
                and not self.window().isMinimized()):
            self.active = False
            self._apply()
