"""The console's main window: the map in the centre, docks around it (event log, map
layers, incidents, units, camera wall), and a status bar that says where the console is
connected, as whom, and whether the live feed is alive.

Its parts live in their own modules: the docks, the View menu and the saved layout
(window_layout), the status bar (console_status), dispatch and what comes of commands
(dispatch_wiring), and the incident intake with its gazetteer (intake_wiring). This module
holds the construction, the live feed and the map."""

from __future__ import annotations

import datetime as dt
import logging
import time

import shapely
from PySide6.QtCore import QDateTime, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from ..analysis.gazetteer import Gazetteer
from ..core.commands import ViewTrack
from ..core.errors import DomainError
from ..core.events import StoredEvent
from ..core.model import Actor
from ..geo.editions import VIETNAM_TZ, BoundaryEdition, WardBoundary
from ..map.canvas import MapCanvas
from ..map.layers.tracks import TrackPoint
from ..store.boundaries import load_editions
from ..store.db import StoreError
from ..store.event_store import EventStore
from ..store.positions import track
from ..store.roads import load_roads
from .console_status import ConsoleStatus
from .dispatch_wiring import DispatchWiringMixin
from .event_log_model import EventLogModel
from .feed_bridge import FeedBridge
from .incident_intake import IncidentIntake
from .intake_wiring import IntakeWiring
from .live_state import LiveState
from .positions_bridge import UnitPositions
from .track_player import TrackUnavailable
from .window_layout import WindowLayoutMixin

log = logging.getLogger(__name__)

BACKLOG_EVENTS = 500  # how much history a console shows when it starts
FEED_LATEST_START_MS = 2000  # the feed waits for the first map paint, but not longer


class MainWindow(WindowLayoutMixin, DispatchWiringMixin, QMainWindow):
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

        self.console_status = ConsoleStatus(self.statusBar(), store.url, actor,
                                            display_name or actor.name, demo=demo)
        # the bar's parts, as the window's own (tests and the shell read them there)
        self.db_label = self.console_status.db_label
        self.connection_label = self.console_status.connection_label
        self.user_label = self.console_status.user_label
        self.console_label = self.console_status.console_label
        self.clock_label = self.console_status.clock_label
        self.demo_badge = self.console_status.demo_badge
        self.waiting_button = self.console_status.waiting_button
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
            self._intake.forget_gazetteer()  # built again when the intake next needs it
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
        self.console_status.set_connected(connected, message)
        if connected and hasattr(self, "runner"):
            self.runner.retry_now()  # the database is back: what waits goes now

    def _on_clock_tick(self) -> None:
        self.positions.check_stale()
        if hasattr(self, "unit_board"):  # the first tick comes before the board is built
            self.unit_board.tick()
        if hasattr(self, "incidents_dock"):
            self.incidents_dock.tick()
        now = QDateTime.currentDateTime()
        self.console_status.show_time(now)
        # a "last hour" window slides with the clock
        if now.time().second() == 0 and self.layers_dock.time_preset not in ("all", "custom"):
            self._on_time_preset_changed(self.layers_dock.time_preset)

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
        self._intake = IntakeWiring(self.store, lambda: self.live.state, lambda: self.edition,
                                    self.map, self.runner.submit, self)
        self.incidents_dock.refresh()

    @property
    def intake(self) -> IncidentIntake | None:
        """The intake dialog open now, if any."""
        return self._intake.intake

    def gazetteer(self) -> Gazetteer:
        """Streets, wards, complex points and imported places by name (built when first
        needed)."""
        return self._intake.gazetteer()

    def open_intake(self) -> IncidentIntake:
        """The intake dialog (one at a time: a second request brings it forward)."""
        return self._intake.open_intake()

    def _on_queue_selected(self, incident_id: str) -> None:
        self._on_map_feature_selected("incident", incident_id)
        inc = self.live.state.incident(incident_id)
        if inc is not None and not self.map.rect().contains(
                self.map.lonlat_to_widget(inc.lon, inc.lat)):
            self.map.set_view(inc.lon, inc.lat, self.map.view_rect().width())

    def _incident_of(self, incident_id: str) -> tuple[int, str | None] | None:
        """Number and ward of an incident the event log holds no creation event of."""
        inc = self.live.state.incident(incident_id) if hasattr(self, "live") else None
        return None if inc is None else (inc.number, inc.ward)
