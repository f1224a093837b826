"""The console's main window: the map in the centre, docks around it (event log, map
layers, and places for the incident, unit and camera panels to come), and a status bar that
says where the console is connected, as whom, and whether the live feed is alive."""

from __future__ import annotations

import datetime as dt
import logging
import time

import shapely
from PySide6.QtCore import (
    QByteArray,
    QDateTime,
    QEvent,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..analysis.gazetteer import COMPLEX_POINT, WARD, Gazetteer
from ..core.commands import AddIncidentNote, Command, CreateIncident, LinkReport, ViewTrack
from ..core.errors import DomainError
from ..core.events import StoredEvent
from ..core.model import Actor, Role, UnitStatus
from ..geo.editions import VIETNAM_TZ, BoundaryEdition, WardBoundary
from ..map.canvas import MapCanvas
from ..map.layers.tracks import TrackPoint
from ..store.boundaries import load_editions
from ..store.db import StoreError
from ..store.event_store import EventStore
from ..store.places import load_places
from ..store.positions import track
from ..store.roads import load_roads
from . import theme
from .camera_wall_dock import CameraWallDock
from .commands import WAITING_MARK, ConsoleCommands
from .dispatch import unit_menu
from .dispatch_recommendations import DispatchRecommendations
from .elided_label import ElidedLabel
from .event_log_dock import EventLogDock
from .event_log_model import EventLogModel
from .feed_bridge import FeedBridge
from .incident_intake import IncidentIntake
from .incidents_dock import IncidentsDock
from .labels import database_mode_label, role_label
from .layers_dock import LayersDock
from .live_state import LiveState
from .positions_bridge import UnitPositions
from .track_player import TrackPlayerDock, TrackUnavailable
from .unit_board import UnitBoard

log = logging.getLogger(__name__)

BACKLOG_EVENTS = 500  # how much history a console shows when it starts
FEED_LATEST_START_MS = 2000  # the feed waits for the first map paint, but not longer
SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
REPORTS = (CreateIncident, LinkReport, AddIncidentNote)  # the incident panel's commands
WAITING_TEXT_PX = 300  # the status bar's waiting commands (fits beside a lost connection)


class MainWindow(QMainWindow):
    theme_requested = Signal(str)  # "dark" | "light"
    first_map_paint = Signal()  # once, when the map has been drawn for the first time
    language_requested = Signal(str)  # "vi" | "en"

    def __init__(
        self,
        store: EventStore,
        actor: Actor,
        *,
        display_name: str = "",
        demo: bool = False,
        settings: QSettings | None = None,
        backlog: int = BACKLOG_EVENTS,
        theme_name: str = "dark",
        language: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")  # saveState() needs object names
        self.store = store
        self.actor = actor
        self.demo = demo
        self._settings = settings if settings is not None else QSettings("gvcommand", "gvcommand")
        self._backlog = backlog
        self._stopped = False

        title = self.tr("gvcommand — Gò Vấp Police command centre")
        if demo:
            title += " — " + self.tr("DEMO")
        self.setWindowTitle(title)
        # wide enough for the whole status bar in its longest state (connection lost, long
        # name, demo badge); control-room monitors are 1280 px and wider
        self.setMinimumSize(1100, 560)

        self.event_model = EventLogModel(parent=self)
        self.event_model.incident_lookup = self._incident_of
        self.event_model.viewer_role = actor.role

        self.map = MapCanvas()
        # patrol positions (the AVL service's table, not the log): they glide into place
        self.positions = UnitPositions(store, parent=self)
        self.positions.updated.connect(self._on_positions)
        self.positions.trails_changed.connect(self.map.trails.set_trails)
        self._stale: frozenset[str] = frozenset()
        self._fixes: dict[str, object] = {}
        self._map_painted = False
        self._start_requested = False
        self.map.view.viewport().installEventFilter(self)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo:
            banner = QLabel(self.tr(
                "DEMO MODE — practice data on this computer only; nothing here is real."))
            banner.setObjectName("demo_banner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(banner)
        layout.addWidget(self.map, 1)
        self.setCentralWidget(central)
        self._build_docks()
        self.menu_actions: dict[str, QAction] = {}
        self._build_menu(theme_name, language)

        self._build_status_bar(display_name or actor.name)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_clock_tick)
        self._clock.start()
        self._on_clock_tick()

        # the live state first: the feed then replays a backlog for the log, which the
        # state skips by sequence number
        self.live = LiveState(store, parent=self)
        self.live.changed.connect(self._on_live_changed)
        self.edition: BoundaryEdition | None = None
        self.selected: tuple[str, str] | None = None
        self.map.feature_selected.connect(self._on_map_feature_selected)
        self._build_unit_board()
        self._build_incidents()
        self._build_camera_wall()
        self._load_wards()
        self._load_roads()
        self._refresh_map(frozenset({"incident", "unit", "camera", "complex_point"}))
        self.bridge = FeedBridge(store, self._start_seq(), parent=self)
        self.bridge.events_arrived.connect(self._on_events_arrived)
        self.bridge.connection_changed.connect(self._on_connection_changed)
        self._restore_layout()

    # --- construction ------------------------------------------------------------------------
    def _build_docks(self) -> None:
        self.setDockNestingEnabled(True)
        self.event_log_dock = EventLogDock(self.event_model, self.store, self)
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
        self.incidents_dock = IncidentsDock(self.store, self.actor, lambda: self.live.state,
                                            self)
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_sized:
            # after the window has its size (a dock sized before that keeps a fraction of
            # nothing); a layout restored from the settings is left as the officer made it
            QTimer.singleShot(0, self.apply_default_layout)
            self._layout_sized = True

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

    def _build_status_bar(self, display_name: str) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        url = self.store.url
        # the mode stays readable however long the database path is
        self.db_label = ElidedLabel(f"{database_mode_label(url)} · ", url.display)
        self.db_label.setObjectName("db_label")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connection_label")
        self._set_connection_text(self.tr("Connecting…"), theme.WARN, "")
        role = role_label(self.actor.role)
        who = display_name if display_name == self.actor.name else (
            f"{display_name} ({self.actor.name})")
        self.user_label = QLabel(f"{who} — {role}")
        self.user_label.setObjectName("user_label")
        self.user_label.setToolTip(self.tr("Logged-in user and role"))
        self.console_label = QLabel(self.tr("Console: {name}").format(name=self.actor.console))
        self.console_label.setObjectName("console_label")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock_label")

        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.user_label)
        self.demo_badge: QLabel | None = None
        if self.demo:
            self.demo_badge = QLabel(self.tr("DEMO"))
            self.demo_badge.setObjectName("demo_badge")
            self.demo_badge.setToolTip(self.tr("Demo mode: practice data, not real"))
            bar.addPermanentWidget(self.demo_badge)
        bar.addPermanentWidget(self.console_label)
        bar.addPermanentWidget(self.clock_label)

    def _start_seq(self) -> int:
        try:
            head_seq = self.store.head()[0]
        except StoreError as exc:
            # the feed will keep retrying and show the state; start from the beginning
            log.warning("cannot read the event log head: %s", exc)
            return 0
        return max(0, head_seq - self._backlog)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._map_painted and event.type() == QEvent.Type.Paint:
            self._map_painted = True
            self.map.view.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self._on_first_map_paint)  # after this paint is done
        return super().eventFilter(watched, event)

    def _on_first_map_paint(self) -> None:
        # what the officer saw (the start benchmark refuses an empty map)
        log.info("first map paint: %d wards, %d incidents, %d units, %d cameras",
                 len(self.edition.wards) if self.edition is not None else 0,
                 len(self.live.state.incidents), len(self.live.state.units),
                 len(self.live.state.cameras))
        self.first_map_paint.emit()
        if self._start_requested:
            self._start_feed()

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start following the event log (idempotent).

        The map is built from the state before the window shows; the feed, and with it the
        backlog that fills the event log, starts once the map is painted, so that its reading
        does not hold up the first paint. A window that does not paint (started minimised)
        starts it after FEED_LATEST_START_MS.
        """
        if self._stopped:
            return
        if self._map_painted:
            self._start_feed()
        elif not self._start_requested:
            self._start_requested = True
            QTimer.singleShot(FEED_LATEST_START_MS, self, self._start_feed)

    def _start_feed(self) -> None:
        if not self._stopped:
            self.bridge.start()
            self.positions.start()

    def shutdown(self) -> None:
        """Stop the feed thread and the clock, and save the layout; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._clock.stop()
        self.bridge.stop()
        self.positions.stop()
        self.camera_wall_dock.shutdown()  # its views' stops go out before the writer ends
        self.runner.stop()
        self._save_layout()

    def closeEvent(self, event: QCloseEvent) -> None:
        waiting = len(self.runner.waiting) if hasattr(self, "runner") else 0
        if waiting and not self._stopped:
            # commands kept for a lost database live only in this console's memory
            answer = QMessageBox.warning(
                self, self.tr("Commands not yet recorded"),
                self.tr("{n} command(s) are still waiting for the database and would be "
                        "lost: {what}. Close anyway?").format(
                    n=waiting, what=", ".join(self.runner.describe(e.command)
                                              for e in self.runner.waiting)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            log.warning("console closed with %d command(s) not recorded", waiting)
        self.shutdown()
        super().closeEvent(event)

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

    # --- handlers -----------------------------------------------------------------------------
    def _on_events_arrived(self, events: list[StoredEvent]) -> None:
        self.event_model.append_events(events)
        self.live.apply_events(events)

    def _on_live_changed(self, kinds: frozenset[str]) -> None:
        if "edition" in kinds:
            self._load_wards()
        if "road_network" in kinds:
            self._load_roads()
        self._refresh_map(kinds)
        if kinds & {"incident", "unit", "ward"}:
            self.incidents_dock.refresh()
        if kinds & {"edition", "road_network", "complex_point", "place_set"}:
            self._gazetteer = None  # built again when the intake next needs it
        if "unit" in kinds or "incident" in kinds:
            self.unit_board.refresh()
            self.recommendations.refresh()
        if "road_network" in kinds:
            self.recommendations.build_graph()
        if "position" in kinds:
            self.recommendations.set_positions(self.live.positions, self._stale)

    def _refresh_map(self, kinds: frozenset[str]) -> None:
        """Redraw only the layers whose entities changed."""
        if "incident" in kinds:
            self.map.set_incidents(self.live.incidents())
        if "unit" in kinds:
            self.track_dock.set_units([u.call_sign for u in self.live.units()])
        if "unit" in kinds or "position" in kinds:
            self.map.set_units(self.live.units(), self.live.positions,
                               **self._unit_extras())
        if "camera" in kinds:
            self.map.set_cameras(self.live.cameras())
        if "complex_point" in kinds:
            self.map.set_complex_points(*self.live.complex_points())

    def _on_positions(self, positions: dict[str, tuple[float, float]],
                      stale: frozenset[str], fixes: dict[str, object]) -> None:
        self.live.positions = positions
        self._stale, self._fixes = stale, fixes
        self.recommendations.set_positions(positions, stale)
        self.map.set_units(self.live.units(), positions, **self._unit_extras())

    def _unit_extras(self) -> dict[str, object]:
        return {"stale": self._stale, "fixes": self._fixes}

    def _load_track(self, call_sign: str, t0_us: int, t1_us: int) -> list[TrackPoint]:
        """A unit's recorded track; the look is written to the log first, and without that
        record there is no track (where officers went is personal data)."""
        try:
            self.store.execute(ViewTrack(call_sign, t0_us, t1_us), self.actor)
            with self.store.engine.connect() as conn:
                fixes = track(conn, [call_sign], t0_us, t1_us)
        except (DomainError, StoreError, SQLAlchemyError) as exc:
            log.warning("track of %s not shown: %s", call_sign, exc)
            raise TrackUnavailable(str(exc).splitlines()[0]) from exc
        return [TrackPoint(f.device_time_us, f.lon, f.lat) for f in fixes]

    def _load_roads(self) -> None:
        """Show the newest road network."""
        try:
            stored = load_roads(self.store)
        except StoreError as exc:
            log.warning("cannot read the road network: %s", exc)
            return
        if stored is not None:
            self.map.set_roads((s.name, s.road_class, shapely.from_wkb(s.wkb))
                               for s in stored[1])

    def _load_wards(self) -> None:
        """Show the wards of the boundary edition in force today (Vietnam's calendar day)."""
        today = dt.datetime.now(VIETNAM_TZ).date()
        try:
            stored = load_editions(self.store)
        except StoreError as exc:
            log.warning("cannot read the boundary editions: %s", exc)
            return
        for record, polygons in stored:
            valid_to = dt.date.fromisoformat(record.valid_to) if record.valid_to else None
            valid_from = dt.date.fromisoformat(record.valid_from)
            if valid_from <= today and (valid_to is None or today <= valid_to):
                edition = BoundaryEdition(
                    record.name, valid_from, valid_to,
                    tuple(WardBoundary(p.code, p.name, shapely.from_wkb(p.wkb))
                          for p in polygons))
                if self.edition is None or edition.name != self.edition.name:
                    self.edition = edition
                    self.map.set_wards(edition)
                return

    def _on_time_preset_changed(self, preset: str) -> None:
        if preset == "all":
            self.map.set_time_window(None, None)
        elif preset == "custom":
            window = self.layers_dock.custom_window
            if window is not None:
                self.map.set_time_window(*window)
        else:
            self.map.set_time_preset(preset, time.time_ns() // 1000)

    def _on_map_feature_selected(self, kind: str, ident: str) -> None:
        self.selected = (kind, ident)
        log.debug("selected on the map: %s %s", kind, ident)
        if kind == "incident":
            self.recommendations.set_incident(ident)
            self.unit_board.preferred_incident = ident
            self.incidents_dock.select(ident, emit=False)
        elif kind == "unit":
            self.unit_board.select(ident)

    def _on_connection_changed(self, connected: bool, message: str) -> None:
        if connected:
            self._set_connection_text(self.tr("Connected"), theme.OK, message)
            if hasattr(self, "runner"):
                self.runner.retry_now()  # the database is back: what waits goes now
        else:
            self._set_connection_text(self.tr("Connection lost — reconnecting…"), theme.ALARM,
                                      message, alarm=True)

    def _set_connection_text(self, text: str, colour: str, detail: str,
                             *, alarm: bool = False) -> None:
        self.connection_label.setText("● " + text)
        self.connection_label.setToolTip(detail)
        style = f"color: {colour}; font-weight: bold;"
        if alarm:
            # a lost feed must be seen from across the room, not just read
            style = f"color: {theme.TEXT}; background: #8e2f2b; font-weight: bold;"
        self.connection_label.setStyleSheet(style)

    def _on_clock_tick(self) -> None:
        self.positions.check_stale()
        if hasattr(self, "unit_board"):  # the first tick comes before the board is built
            self.unit_board.tick()
        if hasattr(self, "incidents_dock"):
            self.incidents_dock.tick()
        now = QDateTime.currentDateTime()
        self.clock_label.setText(now.toString("HH:mm:ss  dd/MM/yyyy"))
        # a "last hour" window slides with the clock
        if now.time().second() == 0 and self.layers_dock.time_preset not in ("all", "custom"):
            self._on_time_preset_changed(self.layers_dock.time_preset)

    # --- dispatch: the unit board, recommendations, orders from the map --------------------
    def _build_unit_board(self) -> None:
        # the console's one command path: every panel's commands, one writer thread
        self.runner = ConsoleCommands(self.store, self.actor, lambda: self.live.state, self,
                                      settings=self._settings)
        self.runner.refused.connect(self._on_command_refused)
        self.runner.done.connect(self._on_command_done)
        self.runner.waiting_changed.connect(self._on_waiting_changed)
        self.waiting_button = QToolButton()
        self.waiting_button.setObjectName("waiting_commands")
        self.waiting_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.waiting_button.setStyleSheet(
            f"color: {theme.TEXT}; background: #8e2f2b; font-weight: bold; padding: 0 4px;")
        self.waiting_button.setMenu(QMenu(self.waiting_button))
        # its whole text, never elided: the database label gives way instead
        self.waiting_button.setSizePolicy(QSizePolicy.Policy.Fixed,
                                          QSizePolicy.Policy.Preferred)
        self.waiting_button.hide()
        self._reports_waiting_shown = False
        # permanent (a refusal shown in the bar must not hide it), left of the connection;
        # index 1: after the database label, the bar's one normal widget
        self.statusBar().insertPermanentWidget(1, self.waiting_button)
        self.unit_board = UnitBoard(lambda: self.live.state, self.runner,
                                    settings=self._settings,
                                    sound=self.actor.role is Role.SUPERVISOR)
        self.recommendations = DispatchRecommendations(self.store, lambda: self.live.state,
                                                       self.runner)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("units_splitter")
        splitter.addWidget(self.unit_board)
        splitter.addWidget(self.recommendations)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.units_dock.setWidget(splitter)
        self.recommendations.build_graph()
        self.map_menu: QMenu | None = None
        self.map.dispatch_requested.connect(self._on_map_dispatch_requested)
        self.map.context_requested.connect(self._on_map_context_requested)

    def _on_map_dispatch_requested(self, call_sign: str, incident_id: str) -> None:
        unit = self.live.state.unit(call_sign)
        if unit is not None:
            self.unit_board.select(call_sign)
            self.unit_board.dispatch(unit, incident_id)

    def _on_map_context_requested(self, kind: str, ident: str, at: QPoint) -> None:
        self.map_menu = None
        if kind == "unit":
            unit = self.live.state.unit(ident)
            if unit is None:
                return
            self.unit_board.select(ident)
            self.map_menu = unit_menu(
                unit, self, on_dispatch=lambda: self.unit_board.dispatch(unit),
                on_status=lambda s: self.unit_board.change_status(unit, s),
                waiting=self.unit_board.waiting_actions(unit.call_sign),
                on_exercise=self.unit_board.exercise_action(unit))
        elif kind == "incident":
            self.recommendations.set_incident(ident)
            self.map_menu = self._incident_menu(ident)
        if self.map_menu is not None:
            self.map_menu.popup(at)

    def _incident_menu(self, incident_id: str) -> QMenu:
        """Dispatch one of the recommended units (nearest first) to the incident."""
        menu = QMenu(self)
        menu.setObjectName("incident_menu")
        sub = menu.addMenu(self.tr("Dispatch a unit"))
        state = self.live.state
        for call_sign in self.recommendations.order[:10]:
            unit = state.unit(call_sign)
            est = self.recommendations.estimates.get(call_sign)
            if unit is None or unit.status is not UnitStatus.AVAILABLE:
                continue
            text = call_sign if est is None else self.tr("{unit} — {min} min").format(
                unit=call_sign, min=f"{est.seconds / 60:.0f}")
            act = sub.addAction(text)
            act.setObjectName(f"dispatch_{call_sign}")
            act.triggered.connect(
                lambda _=False, u=unit: self.unit_board.dispatch(u, incident_id))
        sub.setEnabled(not sub.isEmpty())
        return menu

    # --- the camera wall ------------------------------------------------------------------------
    def _build_camera_wall(self) -> None:
        self.camera_wall_dock.connect_console(self.live)
        self.map.feature_selected.connect(self.camera_wall_dock.on_feature_selected)
        self.incidents_dock.incident_selected.connect(self.camera_wall_dock.select_incident)

    # --- incidents: the queue, the detail, intake --------------------------------------------
    def _build_incidents(self) -> None:
        self.incidents_dock.new_incident_requested.connect(self.open_intake)
        self.incidents_dock.note_requested.connect(self.runner.submit)
        self.incidents_dock.incident_selected.connect(self._on_queue_selected)
        self.intake: IncidentIntake | None = None
        self._gazetteer: Gazetteer | None = None
        self.incidents_dock.refresh()

    def gazetteer(self) -> Gazetteer:
        """Streets, wards, complex points and imported places by name (built when first
        needed)."""
        if self._gazetteer is None:
            g = Gazetteer()
            try:
                stored = load_roads(self.store)
            except StoreError as exc:
                log.warning("cannot read the road network for the gazetteer: %s", exc)
                stored = None
            if stored is not None:
                g.add_streets((s.name, s.road_class, shapely.from_wkb(s.wkb))
                              for s in stored[1])
            if self.edition is not None:
                g.add_areas(WARD, ((w.code, w.name, w.geometry) for w in self.edition.wards))
            g.add_points(COMPLEX_POINT, ((p.code, p.name, p.lon, p.lat)
                                         for p in self.live.state.complex_points.values()))
            try:
                g.add_places((p.name, p.kind, p.lon, p.lat) for p in load_places(self.store))
            except StoreError as exc:
                log.warning("cannot read the places for the gazetteer: %s", exc)
            self._gazetteer = g
        return self._gazetteer

    def open_intake(self) -> IncidentIntake:
        """The intake dialog (one at a time: a second request brings it forward)."""
        if self.intake is not None and self.intake.isVisible():
            self.intake.raise_()
            self.intake.activateWindow()
            return self.intake
        intake = IncidentIntake(lambda: self.live.state, lambda: self.edition,
                                gazetteer=self.gazetteer(), map_canvas=self.map, parent=self)
        intake.submitted.connect(self.runner.submit)
        intake.finished.connect(self._on_intake_finished)
        self.intake = intake
        intake.show()
        intake.activateWindow()  # keyboard-first: typing goes to the form at once
        return intake

    def _on_intake_finished(self) -> None:
        intake, self.intake = self.intake, None
        if intake is not None:
            intake.deleteLater()

    def _on_queue_selected(self, incident_id: str) -> None:
        self._on_map_feature_selected("incident", incident_id)
        inc = self.live.state.incident(incident_id)
        if inc is not None and not self.map.rect().contains(
                self.map.lonlat_to_widget(inc.lon, inc.lat)):
            self.map.set_view(inc.lon, inc.lat, self.map.view_rect().width())

    def _on_command_done(self, command: object, _result: object) -> None:
        if not isinstance(command, REPORTS):
            return
        if not any(isinstance(e.command, REPORTS) for e in self.runner.waiting):
            self.incidents_dock.show_banner("")
        if isinstance(command, CreateIncident):
            self.incidents_dock.selected_id = command.id  # shown when the feed brings it
            self.statusBar().showMessage(self.tr("Incident recorded."), 5000)
        elif isinstance(command, LinkReport):
            self.statusBar().showMessage(self.tr("Report linked to the existing incident."),
                                         5000)

    def _on_command_refused(self, command: object, text: str) -> None:
        if isinstance(command, REPORTS):
            self.incidents_dock.show_banner(text, theme.ALARM)  # says "refused" itself
            self.incidents_dock.raise_()
            return
        self.statusBar().showMessage(text, 15000)
        self.units_dock.raise_()

    def _on_cancel_waiting(self, command: Command) -> None:
        what = self.runner.describe(command)
        if self.runner.cancel(command):
            text = self.tr("Cancelled, not sent: {what}.")
        else:
            text = self.tr("“{what}” is being sent right now: if it goes through, the board "
                           "shows it; if not, it is cancelled.")
        self.statusBar().showMessage(text.format(what=what), 10000)

    def _on_waiting_changed(self) -> None:
        """What waits for the database: in the status bar (with a menu to cancel each one or
        send them now), on the board's rows, and in the incident panel for reports."""
        waiting = self.runner.waiting
        self.unit_board.mark_waiting()
        button = self.waiting_button
        button.setVisible(bool(waiting))
        menu = button.menu()
        menu.clear()
        if waiting:
            # how many and the oldest, in at most WAITING_TEXT_PX (the rest: tooltip, menu)
            text = f"{WAITING_MARK} " + self.runner.summary(limit=1)
            button.setText(button.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, WAITING_TEXT_PX))
            button.setToolTip(self.runner.summary())
            for n, entry in enumerate(waiting):
                act = menu.addAction(self.tr("Cancel: {what}").format(
                    what=self.runner.describe(entry.command)))
                act.setObjectName(f"cancel_waiting_{n}")
                act.triggered.connect(
                    lambda _=False, cmd=entry.command: self._on_cancel_waiting(cmd))
            menu.addSeparator()
            act = menu.addAction(self.tr("Send now"))
            act.setObjectName("send_waiting_now")
            act.triggered.connect(self.runner.retry_now)
        reports = sum(isinstance(e.command, REPORTS) for e in waiting)
        if reports:
            self.incidents_dock.show_banner(self.tr(
                "Database connection lost: {n} report(s) kept on this console and sent again "
                "automatically when it returns. Do not enter them twice.").format(n=reports),
                theme.ALARM)
            self.incidents_dock.raise_()
        elif self._reports_waiting_shown:
            self.incidents_dock.show_banner("")
        self._reports_waiting_shown = bool(reports)

    def _incident_of(self, incident_id: str) -> tuple[int, str | None] | None:
        """Number and ward of an incident the event log holds no creation event of."""
        inc = self.live.state.incident(incident_id) if hasattr(self, "live") else None
        return None if inc is None else (inc.number, inc.ward)
