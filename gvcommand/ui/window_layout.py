"""The main window's frame: the docks around the map, their default places and sizes, the
View menu, and the layout kept between sessions (QSettings).

A mixin of MainWindow: the docks are the window's own attributes (tests and the other parts
reach them as `window.incidents_dock`, …), and what they show is built by the window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QShowEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from .camera_wall.dock import CameraWallDock
from .event_log_dock import EventLogDock
from .incidents_dock import IncidentsDock
from .layers_dock import LayersDock
from .track_player import TrackPlayerDock

if TYPE_CHECKING:
    from ..core.model import Actor
    from ..map.canvas import MapCanvas
    from ..map.layers.tracks import TrackPoint
    from .event_log_model import EventLogModel
    from .session import ConsoleCommands, ConsoleSession, LiveState

    _Base = QMainWindow
else:
    _Base = object

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"


class WindowLayoutMixin(_Base):
    # the window's parts the frame is made of or reads (MainWindow sets them)
    session: ConsoleSession
    actor: Actor
    map: MapCanvas
    event_model: EventLogModel
    live: LiveState
    runner: ConsoleCommands
    menu_actions: dict[str, QAction]
    theme_requested: Any  # Signal(str)
    language_requested: Any  # Signal(str)
    _settings: QSettings

    if TYPE_CHECKING:
        def _on_time_preset_changed(self, preset: str) -> None: ...
        def _load_track(self, call_sign: str, t0_us: int, t1_us: int) -> list[TrackPoint]: ...

    def _build_docks(self) -> None:
        self.setDockNestingEnabled(True)
        self.event_log_dock = EventLogDock(self.event_model, self.session, self)
        self.event_log_dock.ward_source = lambda: {
            w.code: w.name for w in self.live.state.wards.values()}
        self.event_view = self.event_log_dock.view
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.event_log_dock)

        self.layers_dock = LayersDock(self.map, self)
        self.layers_dock.time_preset_changed.connect(self._on_time_preset_changed)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.layers_dock)
        # the wall is built once the live state exists (_build_camera_wall); its live views
        # go through the console's command path, with the officer and the console
        self.camera_wall_dock = CameraWallDock(lambda: self.live.state,
                                               lambda command: self.runner.submit(command),
                                               self._settings, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.camera_wall_dock)
        self.splitDockWidget(self.layers_dock, self.camera_wall_dock, Qt.Orientation.Vertical)

        self.track_dock = TrackPlayerDock(self.map.track, self._load_track, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.track_dock)
        self.tabifyDockWidget(self.layers_dock, self.track_dock)
        self.layers_dock.raise_()
        # the state it reads is built after the docks: it is read when the queue refreshes
        self.incidents_dock = IncidentsDock(self.session, self)
        self.units_dock = QDockWidget(self.tr("Units"), self)  # the board: _build_unit_board
        self.units_dock.setObjectName("units_dock")
        # the dispatcher works the queue and the board together: one above the other, never
        # one hidden behind the other; the side columns run the window's whole height and
        # the event log lies under the map
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.incidents_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.units_dock)
        self.splitDockWidget(self.incidents_dock, self.units_dock, Qt.Orientation.Vertical)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._layout_sized = False  # the default sizes are set once the window has its size
        self.default_layout_pending = False  # posted by the first show, not yet applied

    def apply_default_layout(self) -> None:
        """The docks' default places and sizes for this window's size: the queue (number,
        priority, age, type, status, ward in view) above the unit board and its
        recommendations on the left, the layers above the camera wall on the right, the
        event log under the map. For a first start, and View → Reset layout."""
        for dock in (self.incidents_dock, self.units_dock, self.layers_dock,
                     self.camera_wall_dock, self.event_log_dock):
            dock.setFloating(False)
            dock.show()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.incidents_dock)
        self.splitDockWidget(self.incidents_dock, self.units_dock, Qt.Orientation.Vertical)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.layers_dock)
        self.splitDockWidget(self.layers_dock, self.camera_wall_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.layers_dock, self.track_dock)
        self.layers_dock.raise_()
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.event_log_dock)
        width, height = max(self.width(), 1024), max(self.height(), 700)
        left = max(520, int(width * 0.30))
        right = max(360, int(width * 0.24))
        self.resizeDocks([self.incidents_dock, self.layers_dock], [left, right],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.incidents_dock, self.units_dock],
                         [int(height * 0.52), int(height * 0.48)], Qt.Orientation.Vertical)
        # the wall's tiles need the height more than the layer list does
        self.resizeDocks([self.layers_dock, self.camera_wall_dock],
                         [int(height * 0.35), int(height * 0.65)], Qt.Orientation.Vertical)
        self.resizeDocks([self.event_log_dock], [max(160, int(height * 0.2))],
                         Qt.Orientation.Vertical)
        self._layout_sized = True
        self.default_layout_pending = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_sized:
            # after the window has its size (a dock sized before that keeps a fraction of
            # nothing); a layout restored from the settings is left as the officer made it
            QTimer.singleShot(0, self.apply_default_layout)
            self._layout_sized = True
            self.default_layout_pending = True

    def _build_menu(self, theme_name: str, language: str) -> None:
        view = self.menuBar().addMenu(self.tr("&View"))
        choices = (
            ("theme", self.tr("Theme"), self.theme_requested, theme_name,
             (("dark", self.tr("Dark (night)")), ("light", self.tr("Light (day)")))),
            # each language is named in itself, so anyone can find their own
            ("language", self.tr("Language"), self.language_requested, language,
             (("vi", "Tiếng Việt"), ("en", "English"))),
        )
        for key, title, signal, current, options in choices:
            menu = view.addMenu(title)
            group = QActionGroup(self)
            group.setExclusive(True)
            for value, label in options:
                action = menu.addAction(label)
                action.setCheckable(True)
                action.setChecked(value == current)
                group.addAction(action)
                action.triggered.connect(lambda _checked=False, s=signal, v=value: s.emit(v))
                self.menu_actions[f"{key}:{value}"] = action
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        reset = view.addAction(self.tr("Reset the layout"))
        reset.triggered.connect(self.apply_default_layout)
        self.menu_actions["layout:reset"] = reset

    def set_theme_checked(self, name: str) -> None:
        action = self.menu_actions.get(f"theme:{name}")
        if action is not None:
            action.setChecked(True)

    def _restore_layout(self) -> None:
        geometry = self._settings.value(SETTINGS_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            # a first start: the whole screen (a control-room monitor), as a window
            screen = self.screen() or QApplication.primaryScreen()
            if screen is not None and screen.availableGeometry().width() >= 1280:
                self.setGeometry(screen.availableGeometry())
            else:
                self.resize(1280, 800)
        state = self._settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray) and self.restoreState(state):
            self._layout_sized = True

    def _save_layout(self) -> None:
        self._settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self._settings.setValue(SETTINGS_STATE, self.saveState())
        self._settings.sync()
