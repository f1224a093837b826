"""Dispatch in the main window: the console's command path, the unit board and its
recommendations, orders given on the map (drag a unit onto an incident, the units' and the
incidents' context menus), and what the console shows when a command is done, refused or
waits for the database.

A mixin of MainWindow: it works with most of the window's parts (the live state, the map,
the incident and unit docks, the status bar)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter

from ..core.commands import AddIncidentNote, Command, CreateIncident, LinkReport
from ..core.model import Role, UnitStatus
from . import theme
from .dispatch import unit_menu
from .dispatch_recommendations import DispatchRecommendations
from .unit_board import UnitBoard

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from ..core.model import Actor
    from ..map.canvas import MapCanvas
    from .console_status import ConsoleStatus
    from .incidents_dock import IncidentsDock
    from .session import ConsoleSession, LiveState

    _Base = QMainWindow
else:
    _Base = object

REPORTS = (CreateIncident, LinkReport, AddIncidentNote)  # the incident panel's commands


class DispatchWiringMixin(_Base):
    # the window's parts dispatch works with (MainWindow sets them)
    session: ConsoleSession
    actor: Actor
    map: MapCanvas
    live: LiveState
    incidents_dock: IncidentsDock
    units_dock: QDockWidget
    console_status: ConsoleStatus
    _settings: QSettings

    def _build_unit_board(self) -> None:
        # the console's one command path (the session's): every panel's commands
        self.runner = self.session.commands
        self.runner.refused.connect(self._on_command_refused)
        self.runner.done.connect(self._on_command_done)
        self.runner.waiting_changed.connect(self._on_waiting_changed)
        self._reports_waiting_shown = False
        self.unit_board = UnitBoard(self.session,
                                    settings=self._settings,
                                    sound=self.actor.role is Role.SUPERVISOR)
        self.recommendations = DispatchRecommendations(self.session)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("units_splitter")
        splitter.addWidget(self.unit_board)
        splitter.addWidget(self.recommendations)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.units_dock.setWidget(splitter)
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

    # --- what comes of a command ----------------------------------------------------------------
    def _on_command_done(self, command: object, _result: object) -> None:
        if not isinstance(command, REPORTS):
            return
        if not any(isinstance(e.command, REPORTS) for e in self.runner.waiting):
            self.incidents_dock.show_banner("")
        if isinstance(command, CreateIncident):
            # already in the console's state (its own write): selected now, or when the
            # feed brings it if the state could not take it yet
            self.incidents_dock.select(command.id, emit=False)
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
        self.console_status.show_waiting(self.runner, self._on_cancel_waiting)
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
