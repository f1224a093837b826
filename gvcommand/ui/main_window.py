"""The console's main window: the map in the centre, docks around it (event log, map
layers, incidents, units, camera wall), and a status bar that says where the console is
connected, as whom, and whether the live feed is alive.

Its parts live in their own modules: the docks, the View menu and the saved layout
(window_layout), the status bar (console_status), dispatch and what comes of commands
(dispatch_wiring), and the incident intake with its gazetteer (intake_wiring). This module
holds the construction, the live feed and the map."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from ..analysis.gazetteer import Gazetteer
from ..geo.editions import BoundaryEdition
from ..map.canvas import MapCanvas
from ..map.layers.tracks import TrackPoint
from .console_status import ConsoleStatus
from .dispatch_wiring import DispatchWiringMixin
from .event_log_model import EventLogModel
from .incident_intake import IncidentIntake
from .intake_wiring import IntakeWiring
from .map_binding import MapBinding
from .session import ConsoleSession
from .window_layout import WindowLayoutMixin

log = logging.getLogger(__name__)

FEED_LATEST_START_MS = 2000  # the feed waits for the first map paint, but not longer


class MainWindow(WindowLayoutMixin, DispatchWiringMixin, QMainWindow):
    theme_requested = Signal(str)  # "dark" | "light"
    first_map_paint = Signal()  # once, when the map has been drawn for the first time
    language_requested = Signal(str)  # "vi" | "en"

    def __init__(
        self,
        session: ConsoleSession,
        *,
        display_name: str = "",
        demo: bool = False,
        theme_name: str = "dark",
        language: str = "vi",
        owns_session: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``owns_session``: closing this window stops the session (a test's, a tool's);
        the shell keeps its session across the windows it opens (a change of language)."""
        super().__init__(parent)
        self.setObjectName("main_window")  # saveState() needs object names
        self.session = session
        self.actor = session.actor
        self.demo = demo
        self._settings = session.settings
        self._owns_session = owns_session
        self._stopped = False
        # the session's parts, as the window's own (tests and the other parts read them)
        self.live = session.live
        self.positions = session.positions
        self.bridge = session.feed

        title = self.tr("gvcommand — Gò Vấp Police command centre")
        if demo:
            title += " — " + self.tr("DEMO")
        self.setWindowTitle(title)
        # wide enough for the whole status bar in its longest state (connection lost, long
        # name, demo badge); control-room monitors are 1280 px and wider
        self.setMinimumSize(1100, 560)

        self.event_model = EventLogModel(parent=self)
        self.event_model.incident_lookup = self._incident_of
        self.event_model.viewer_role = self.actor.role
        session.events_arrived.connect(self.event_model.append_events)

        self.map = MapCanvas()
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

        self.console_status = ConsoleStatus(self.statusBar(), session.url, self.actor,
                                            display_name or self.actor.name, demo=demo)
        # the bar's parts, as the window's own (tests and the shell read them there)
        self.db_label = self.console_status.db_label
        self.connection_label = self.console_status.connection_label
        self.user_label = self.console_status.user_label
        self.console_label = self.console_status.console_label
        self.clock_label = self.console_status.clock_label
        self.demo_badge = self.console_status.demo_badge
        self.waiting_button = self.console_status.waiting_button
        session.connection_changed.connect(self._on_connection_changed)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_clock_tick)
        self._clock.start()
        self._on_clock_tick()

        self.selected: tuple[str, str] | None = None
        self.map.feature_selected.connect(self._on_map_feature_selected)
        self._build_unit_board()
        self._build_incidents()
        self._build_camera_wall()
        self.map_binding = MapBinding(session, self.map, self)
        session.changed.connect(self._on_changed)
        self._on_changed(frozenset({"unit"}))
        self._restore_layout()

    @property
    def edition(self) -> BoundaryEdition | None:
        """The boundary edition the map shows (in force today)."""
        return self.map_binding.edition

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
            self.session.start()

    def shutdown(self) -> None:
        """Stop the clock and the wall's views (on the record) and save the layout; the
        session too if this window owns it. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._clock.stop()
        self.camera_wall_dock.shutdown()  # its views' stops go out before the writer ends
        self._save_layout()
        if self._owns_session:
            self.session.stop()

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

    # --- what the parts tell each other ---------------------------------------------------------
    def _on_connection_changed(self, connected: bool, message: str) -> None:
        self.console_status.set_connected(connected, message)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "unit" in kinds:
            self.track_dock.set_units([u.call_sign for u in self.live.units()])

    def _load_track(self, call_sign: str, t0_us: int, t1_us: int,
                    done: Callable[[Sequence[TrackPoint]], None],
                    failed: Callable[[str], None]) -> None:
        """A unit's recorded track, through the session (the look is on the record first;
        without that record there is no track)."""
        def refused(exc: BaseException) -> None:
            log.warning("track of %s not shown: %s", call_sign, exc)
            failed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

        self.session.load_track(call_sign, t0_us, t1_us, done, refused, owner=self.track_dock)

    def _on_time_preset_changed(self, preset: str) -> None:
        self.map_binding.set_time_preset(preset, self.layers_dock.custom_window)

    def _on_map_feature_selected(self, kind: str, ident: str) -> None:
        self.selected = (kind, ident)
        log.debug("selected on the map: %s %s", kind, ident)
        if kind == "incident":
            self.recommendations.set_incident(ident)
            self.unit_board.preferred_incident = ident
            self.incidents_dock.select(ident, emit=False)
        elif kind == "unit":
            self.unit_board.select(ident)

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
        self._intake = IntakeWiring(self.session, lambda: self.edition, self.map, self)
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
