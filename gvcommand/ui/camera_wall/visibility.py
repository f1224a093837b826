"""Whether the officer can see the camera wall, so that its tiles decode only then: the wall
shown, its dock not a background tab, the window not minimised. Hidden for longer than a
re-layout's flicker (:data:`HIDE_AFTER_MS`), the wall pauses: decoding stops and the live views
close, on the record; shown again, it plays again.

:class:`WallVisibility` watches the wall's show and hide events and its window's state, and
tells the wall (``changed``) when :attr:`WallVisibility.active` changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

HIDE_AFTER_MS = 300  # hidden this long, the wall pauses (not for a re-layout's flicker)


class WallVisibility(QObject):
    def __init__(self, wall: QWidget, changed: Callable[[], None]) -> None:
        super().__init__(wall)
        self.active = False  # the officer can see the wall
        self.on_screen = True  # not behind another tab (set by the dock)
        self._wall = wall
        self._changed = changed
        self._stopped = False
        self._window: QWidget | None = None  # the window whose state is watched
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(HIDE_AFTER_MS)
        self._hide_timer.timeout.connect(self._on_hide_timeout)
        wall.installEventFilter(self)

    def set_on_screen(self, shown: bool) -> None:
        """Whether the wall's container shows it: a dock behind another dock's tab stays
        "visible" to Qt but is not on screen (QDockWidget.visibilityChanged tells)."""
        self.on_screen = shown
        self._update()

    def stop(self) -> None:
        """The wall shut down: it is never active again."""
        self._stopped = True
        self._hide_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._wall and kind == QEvent.Type.Show:
            self._watch_window()
            self._update()
        elif ((watched is self._wall and kind == QEvent.Type.Hide)
              or (watched is self._window and kind == QEvent.Type.WindowStateChange)):
            self._update()
        return super().eventFilter(watched, event)

    def _watch_window(self) -> None:
        """The wall's window (the console's, or the dock's when it floats)."""
        window = self._wall.window()
        if window is not self._window:
            # a wall that is its own window is watched already (and must stay so)
            if self._window is not None and self._window is not self._wall:
                self._window.removeEventFilter(self)
            if window is not self._wall:
                window.installEventFilter(self)
            self._window = window

    def _seen(self) -> bool:
        return (not self._stopped and self.on_screen and self._wall.isVisible()
                and not self._wall.window().isMinimized())

    def _update(self) -> None:
        if self._seen():
            self._hide_timer.stop()
            if not self.active:
                self.active = True
                self._changed()
        elif self.active and not self._hide_timer.isActive():
            if self._stopped:
                self._on_hide_timeout()
            else:
                # a dock re-laid out or a tab flicked through hides the wall for an instant:
                # decoding pauses (and the views close, on the record) only if it stays so
                self._hide_timer.start()

    def _on_hide_timeout(self) -> None:
        if not self._seen():
            self.active = False
            self._changed()
