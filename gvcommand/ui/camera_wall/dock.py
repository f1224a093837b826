"""The camera wall as a dock of the console: fed by the console's live state (the camera
registry, the wards, incidents), writing its live views through the console's command path,
its players from libVLC and its addresses from the camera records and the credential store.

A dock, not a central tab: the officer keeps the map in view and can float the wall onto a
second monitor (control rooms have several).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from ...core.model import Camera, Incident
from ...core.state import State
from ...video.credentials import open_credentials
from ..session import LiveState
from .fill import nearest_cameras
from .players import Player, StreamUrl, live_address, make_player
from .wall import CameraWall


class CameraWallDock(QDockWidget):
    def __init__(self, state: Callable[[], State], submit: Callable[[object], None],
                 settings: QSettings | None, parent: QWidget | None = None, *,
                 player_factory: Callable[..., Player] = make_player,
                 stream_url: StreamUrl | None = None) -> None:
        super().__init__(self.tr("Camera wall"), parent)
        self.setObjectName("camera_wall_dock")
        self._state, self._submit, self._settings = state, submit, settings
        self._player_factory = player_factory
        self._stream_url = stream_url
        self.wall: CameraWall | None = None
        self._p1_seen: set[str] = set()
        waiting = QLabel(self.tr("Loading cameras…"))
        waiting.setEnabled(False)
        self.setWidget(waiting)

    def cameras(self) -> dict[str, Camera]:
        return {c.code: c for c in self._state().cameras.values()
                if getattr(c, "active", True)}

    def nearest(self, incident: Incident) -> list[str]:
        return nearest_cameras(self.cameras().values(), incident)

    def connect_console(self, live: LiveState) -> CameraWall:
        """Build the wall once the console's state exists (the last wall comes back)."""
        self._p1_seen = {i.id for i in live.state.incidents.values() if i.priority == 1}
        self.wall = CameraWall(
            self.cameras,
            lambda: {w.code: w.name for w in self._state().wards.values()},
            self._player_factory,
            self._stream_url or live_address(open_credentials),
            submit=self._submit, nearest=self.nearest, settings=self._settings)
        self.setWidget(self.wall)
        self.screen_action = self.wall.toolbar.addAction(self.tr("Own screen"))
        self.screen_action.setObjectName("camera_wall_own_screen")
        self.screen_action.setCheckable(True)
        self.screen_action.setToolTip(self.tr(
            "Take the wall out of the console onto a screen of its own (the second monitor "
            "when there is one); again to put it back"))
        self.screen_action.triggered.connect(self.set_own_screen)
        self.topLevelChanged.connect(self.screen_action.setChecked)
        # a dock tabbed behind another is hidden from the officer but not from Qt
        self.visibilityChanged.connect(self.wall.set_on_screen)
        live.changed.connect(self._on_live_changed)
        return self.wall

    def set_own_screen(self, on: bool) -> None:
        """Float the wall maximised on the last screen (a control room's video monitor), or
        dock it back."""
        if not on:
            self.setFloating(False)
            return
        screens = QGuiApplication.screens()
        owner = self.parentWidget()
        here = owner.screen() if owner is not None else None
        target = next((s for s in reversed(screens) if s is not here), None) or (
            here or QGuiApplication.primaryScreen())
        self.setFloating(True)
        self.setGeometry(target.availableGeometry())

    def select_incident(self, incident_id: str | None) -> None:
        """An incident selected on the map or in the queue: the wall offers its cameras
        (and shows them by itself for priority 1 when it is idle)."""
        if self.wall is None:
            return
        inc = self._state().incident(incident_id) if incident_id else None
        self.wall.set_incident(inc)
        if inc is not None and inc.priority == 1:
            self.wall.incident_alert(inc)

    def on_feature_selected(self, kind: str, ident: str) -> None:
        if kind == "incident":
            self.select_incident(ident)

    def _on_live_changed(self, kinds: frozenset[str]) -> None:
        if self.wall is None:
            return
        if "camera" in kinds or "ward" in kinds:
            self.wall.refresh_cameras()
        if "incident" in kinds:
            # a priority-1 incident new to this console (not the ones it started with)
            for inc in sorted(self._state().incidents.values(), key=lambda i: i.number):
                if inc.priority == 1 and inc.id not in self._p1_seen:
                    self._p1_seen.add(inc.id)
                    if not inc.status.terminal:
                        self.wall.incident_alert(inc)

    def shutdown(self) -> None:
        if self.wall is not None:
            self.wall.shutdown()
