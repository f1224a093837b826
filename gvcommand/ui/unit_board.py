"""The unit board: every unit grouped by force, coloured by status, with the time in its
status, overdue alerts, and the keyboard orders (dispatch, en route, on scene, available,
out of service with a reason) sent through the core commands. A unit whose order waits for
a lost database is marked (a clock face) until the order is sent, refused, dropped or cancelled."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.commands import Command, SetUnitExercise
from ..core.model import EXERCISE_TAG, Force, Incident, Unit, UnitStatus
from ..core.permissions import may
from ..core.state import State
from ..map.style import EXERCISE_COLOUR, UNIT_STATUS_COLOURS
from . import theme
from .command_words import limit_text
from .dispatch import DISPATCH_KEY, STATUS_ACTIONS, unit_menu
from .session import WAITING_MARK, ConsoleCommands, ConsoleSession
from .unit_prompts import ask_incident, ask_overdue_limits, ask_reason

# minutes in a status after which the supervisor is alerted (QSettings overrides them)
DEFAULT_OVERDUE_MIN: dict[UnitStatus, float] = {
    UnitStatus.DISPATCHED: 3.0,  # sent but not yet on the way
    UnitStatus.EN_ROUTE: 20.0,
    UnitStatus.ON_SCENE: 45.0,
    UnitStatus.OUT_OF_SERVICE: 120.0,
}
SETTINGS_OVERDUE = "unit_board/overdue_min/"
CALL, STATUS, TIME, INCIDENT, NOTE = range(5)
WAITING_COLOUR = "#5a4a1c"  # the row's status cell while an order waits for the database


def format_duration(seconds: float) -> str:
    s = max(0, int(seconds))
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m:02d}:{s % 60:02d}"


class UnitBoard(QWidget):
    alerted = Signal(str, str, int)  # call sign, status code, seconds in that status
    selected_unit = Signal(str)

    def __init__(self, session: ConsoleSession, *, settings: QSettings | None = None,
                 sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unit_board")
        self._state = lambda: session.live.state
        self.runner: ConsoleCommands = session.commands
        self.sound = sound
        self._settings = settings
        self.overdue_min = dict(DEFAULT_OVERDUE_MIN)
        if settings is not None:
            for status in list(self.overdue_min):
                value = settings.value(SETTINGS_OVERDUE + status.value)
                try:
                    if value is not None:
                        self.overdue_min[status] = float(value)
                except (TypeError, ValueError):
                    pass
        # prompts; tests put their own answers here
        self.ask_reason: Callable[[Unit], str | None] = self._ask_reason_dialog
        self.ask_incident: Callable[[Unit, list[Incident]], str | None] = (
            self._ask_incident_dialog)
        self.now_us: Callable[[], int] = lambda: time.time_ns() // 1000
        # the incident selected elsewhere (map, queue): offered first when dispatching
        self.preferred_incident: str | None = None

        self.alert_label = QLabel()
        self.alert_label.setObjectName("unit_alert")
        self.alert_label.setWordWrap(True)
        self.alert_label.setStyleSheet(
            f"color: {theme.TEXT}; background: #8e2f2b; font-weight: bold; padding: 4px;")
        self.alert_label.hide()
        self.tree = QTreeWidget()
        self.tree.setObjectName("unit_tree")
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([self.tr("Unit"), self.tr("Status"), self.tr("Time"),
                                   self.tr("Incident"), self.tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        for column in (CALL, STATUS, TIME, INCIDENT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.tree.installEventFilter(self)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.message_label = QLabel()
        self.message_label.setObjectName("unit_message")
        self.message_label.setWordWrap(True)
        self.keys_label = QLabel(self.tr(
            "↑↓ choose · D dispatch · E en route · S on scene · A available · "
            "O out of service · menu key: all"))
        self.keys_label.setObjectName("unit_keys")
        self.keys_label.setWordWrap(True)
        self.keys_label.setEnabled(False)
        self.limits_button = QToolButton()
        self.limits_button.setObjectName("overdue_limits")
        self.limits_button.setText(self.tr("Overdue limits…"))
        self.limits_button.clicked.connect(self.edit_overdue)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keys_label, 1)
        bottom.addWidget(self.limits_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.alert_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(bottom)

        self._groups: dict[Force, QTreeWidgetItem] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._alerted: set[tuple[str, str, int]] = set()  # (call sign, status, since)
        self.overdue: list[str] = []
        self.runner.refused.connect(self._on_refused)
        self.runner.done.connect(self._on_done)
        self.runner.queued.connect(self._on_queued)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "unit" in kinds or "incident" in kinds:
            self.refresh()

    # --- settings -------------------------------------------------------------------------------
    def set_overdue_minutes(self, status: UnitStatus, minutes: float) -> None:
        self.overdue_min[status] = minutes
        if self._settings is not None:
            self._settings.setValue(SETTINGS_OVERDUE + status.value, minutes)

    def edit_overdue(self) -> None:
        """Minutes per status after which the supervisor is alerted (0: never), and how long
        an order may wait for a lost database before it is dropped (0: never)."""
        chosen = ask_overdue_limits(self, self.overdue_min, self.runner.stale_after_s)
        if chosen is not None:
            minutes, stale_s = chosen
            for status, value in minutes.items():
                self.set_overdue_minutes(status, value)
            self.runner.set_stale_after(stale_s)
            self.tick()

    # --- contents -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild rows from the state (units added, status changes); the selection stays."""
        state = self._state()
        current = self.current_unit()
        keep = current.call_sign if current is not None else None
        units = sorted(state.units.values(), key=lambda u: u.call_sign)
        for force in Force:
            if force not in self._groups and any(u.force is force for u in units):
                group = QTreeWidgetItem([force.label])
                font = QFont(group.font(CALL))
                font.setBold(True)
                group.setFont(CALL, font)
                group.setFirstColumnSpanned(True)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(group)
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
                self._groups[force] = group
        for unit in units:
            item = self._items.get(unit.call_sign)
            if item is None:
                item = QTreeWidgetItem()
                item.setData(CALL, Qt.ItemDataRole.UserRole, unit.call_sign)
                self._groups[unit.force].addChild(item)
                self._items[unit.call_sign] = item
            self._fill(item, unit, state)
        for group in self._groups.values():
            group.sortChildren(CALL, Qt.SortOrder.AscendingOrder)
        self.tick()
        if keep is not None and keep in self._items:
            self.tree.setCurrentItem(self._items[keep])

    def _fill(self, item: QTreeWidgetItem, unit: Unit, state: State) -> None:
        # a unit on a drill (diễn tập): tagged, in the drill violet, italic
        item.setText(CALL, f"{unit.call_sign} · {EXERCISE_TAG}" if unit.exercise
                     else unit.call_sign)
        item.setData(CALL, Qt.ItemDataRole.ForegroundRole,
                     QBrush(QColor(EXERCISE_COLOUR)) if unit.exercise else None)
        font = QFont(item.font(CALL))
        font.setItalic(unit.exercise)
        item.setFont(CALL, font)
        item.setForeground(STATUS, QBrush(QColor(UNIT_STATUS_COLOURS[unit.status])))
        self._fill_status(item, unit)
        inc = state.incident(unit.incident_id) if unit.incident_id else None
        item.setText(INCIDENT, f"#{inc.number} {inc.type.label}" if inc is not None
                     else (unit.incident_id or ""))
        note = release_reason(unit.status_reason or "")
        if unit.status_by:
            note = f"{note} ({unit.status_by})" if note else unit.status_by
        item.setText(NOTE, note)
        item.setToolTip(CALL, f"{unit.call_sign} — {unit.force.label}" + (
            " — " + self.tr("on a drill (diễn tập): sent only to drills, its time left out "
                            "of statistics") if unit.exercise else ""))

    def _fill_status(self, item: QTreeWidgetItem, unit: Unit) -> None:
        waiting = self.runner.waiting_for_unit(unit.call_sign)
        text = "● " + unit.status.label
        if waiting:
            text += f"  {WAITING_MARK} " + self.tr("waiting to be sent")
            item.setToolTip(STATUS, "\n".join(
                self.tr("Waiting for the database: {what}").format(
                    what=self.runner.describe(e.command)) for e in waiting))
            item.setBackground(STATUS, QBrush(QColor(WAITING_COLOUR)))
        else:
            item.setToolTip(STATUS, "")
            item.setBackground(STATUS, QBrush())
        item.setText(STATUS, text)

    def mark_waiting(self) -> None:
        """Mark the rows of units with an order waiting for the database (and unmark)."""
        state = self._state()
        for call_sign, item in self._items.items():
            unit = state.unit(call_sign)
            if unit is not None:
                self._fill_status(item, unit)

    def waiting_actions(self, call_sign: str) -> list[tuple[str, Callable[[], None]]]:
        """The unit's waiting orders, each with what cancels it (for the unit's menus)."""
        return [(self.runner.describe(e.command),
                 functools.partial(self._cancel_waiting, e.command))
                for e in self.runner.waiting_for_unit(call_sign)]

    def _cancel_waiting(self, command: Command) -> None:
        what = self.runner.describe(command)
        if self.runner.cancel(command):
            self.show_message(self.tr("Cancelled, not sent: {what}.").format(what=what))
        else:
            self.show_message(self.tr("“{what}” is being sent right now: if it goes "
                                      "through, the board shows it; if not, it is "
                                      "cancelled.").format(what=what), error=True)

    def tick(self, now_us: int | None = None) -> None:
        """Times in status and overdue alerts (the window's clock calls this every second)."""
        now = self.now_us() if now_us is None else now_us
        state = self._state()
        overdue: list[str] = []
        for call_sign, item in self._items.items():
            unit = state.unit(call_sign)
            if unit is None:
                continue
            seconds = (now - unit.status_since_us) / 1e6
            item.setText(TIME, format_duration(seconds))
            limit = self.overdue_min.get(unit.status)
            late = limit is not None and limit > 0 and seconds >= limit * 60
            item.setBackground(TIME, QBrush(QColor("#8e2f2b")) if late else QBrush())
            if late:
                overdue.append(call_sign)
                key = (call_sign, unit.status.value, unit.status_since_us)
                if key not in self._alerted:
                    self._alerted.add(key)
                    self._alert(unit, int(seconds))
        self.overdue = overdue
        if overdue:
            self.alert_label.setText(self.tr("Overdue: {units}").format(
                units=", ".join(self._overdue_text(state.unit(cs), now) for cs in overdue)))
        self.alert_label.setVisible(bool(overdue))

    def _overdue_text(self, unit: Unit | None, now: int) -> str:
        assert unit is not None
        return self.tr("{unit} {status} for {minutes} min").format(
            unit=unit.call_sign, status=unit.status.label.lower(),
            minutes=int((now - unit.status_since_us) / 60e6))

    def _alert(self, unit: Unit, seconds: int) -> None:
        if self.sound:
            QApplication.beep()
        self.alerted.emit(unit.call_sign, unit.status.value, seconds)

    # --- selection and keys ---------------------------------------------------------------------
    def current_unit(self) -> Unit | None:
        item = self.tree.currentItem()
        call_sign = item.data(CALL, Qt.ItemDataRole.UserRole) if item is not None else None
        return self._state().unit(call_sign) if call_sign else None

    def select(self, call_sign: str) -> None:
        item = self._items.get(call_sign)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        call_sign = current.data(CALL, Qt.ItemDataRole.UserRole) if current else None
        if call_sign:
            self.selected_unit.emit(call_sign)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._on_key(event):
                return True
        return super().eventFilter(watched, event)

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        unit = self.current_unit()
        text = event.text().upper()
        if unit is None:
            return False
        if text == DISPATCH_KEY:
            self.dispatch(unit)
            return True
        for status, key, _ in STATUS_ACTIONS:
            if text == key:
                self.change_status(unit, status)
                return True
        current = self.tree.currentItem()
        if event.key() == Qt.Key.Key_Menu and current is not None:
            rect = self.tree.visualItemRect(current)
            self._on_context_menu(rect.center())
            return True
        return False

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is not None and item.data(CALL, Qt.ItemDataRole.UserRole):
            self.tree.setCurrentItem(item)
        unit = self.current_unit()
        if unit is None:
            return
        self.menu = unit_menu(unit, self, on_dispatch=lambda: self.dispatch(unit),
                              on_status=lambda s: self.change_status(unit, s),
                              waiting=self.waiting_actions(unit.call_sign),
                              on_exercise=self.exercise_action(unit))
        self.menu.popup(self.tree.viewport().mapToGlobal(pos))

    # --- orders ---------------------------------------------------------------------------------
    def _order_waits(self, unit: Unit) -> bool:
        """One order at a time per unit: a second one would be decided on a state the first
        has not made yet."""
        waiting = self.runner.waiting_for_unit(unit.call_sign)
        if waiting:
            self.show_message(self.tr(
                "{unit} already has an order waiting for the database ({what}). Cancel it "
                "first (menu key on the row) to give another.").format(
                unit=unit.call_sign, what=self.runner.describe(waiting[0].command)),
                error=True)
        return bool(waiting)

    def dispatch(self, unit: Unit, incident_id: str | None = None) -> None:
        if self._order_waits(unit):
            return
        if incident_id is None:
            # a drill unit to drills, a real one to real incidents (the core refuses the rest)
            open_ = sorted((i for i in self._state().incidents.values()
                            if not i.status.terminal and i.exercise == unit.exercise),
                           key=lambda i: (i.priority, i.number))
            if not open_:
                self.show_message((self.tr("{unit} is on a drill and there is no open drill to "
                                           "send it to.") if unit.exercise else
                                   self.tr("There is no open incident to send {unit} to."))
                                  .format(unit=unit.call_sign), error=True)
                return
            incident_id = self.ask_incident(unit, open_)
            if not incident_id:
                return
        self.show_message(self.tr("Sending…"))
        self.runner.dispatch(unit, incident_id)

    def exercise_action(self, unit: Unit) -> Callable[[bool], None] | None:
        """Putting a unit on a drill or back on real duty, for the roles that may."""
        if not may(self.runner.actor.role, SetUnitExercise):
            return None
        return lambda on: self.set_exercise(unit, on)

    def set_exercise(self, unit: Unit, on: bool) -> None:
        if self._order_waits(unit):
            return
        self.show_message(self.tr("Sending…"))
        self.runner.submit(SetUnitExercise(unit.call_sign, on, expected_version=unit.version))

    def change_status(self, unit: Unit, status: UnitStatus) -> None:
        if self._order_waits(unit):
            return
        reason = None
        if status is UnitStatus.OUT_OF_SERVICE:
            reason = self.ask_reason(unit)
            if not reason or not reason.strip():
                self.show_message(self.tr("Out of service needs a reason; nothing was changed."),
                                  error=True)
                return
        self.show_message(self.tr("Sending…"))
        self.runner.set_status(unit, status, reason)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(
            f"color: {theme.TEXT}; background: #8e2f2b; padding: 4px;" if error else "")

    def _on_refused(self, command: object, text: str) -> None:
        if getattr(command, "unit_id", None):  # the incident panel tells its own
            self.show_message(text, error=True)

    def _on_done(self, command: object, _result: object) -> None:
        unit = getattr(command, "unit_id", "")
        if unit:
            self.show_message(self.tr("Done: {unit}.").format(unit=unit))

    def _on_queued(self, command: Command, _detail: str) -> None:
        if not getattr(command, "unit_id", None):
            return
        limit = self.runner.stale_after_s
        self.show_message(self.tr(
            "Database unreachable: “{what}” waits on this console and is sent when it "
            "returns.").format(what=self.runner.describe(command))
            + (" " + self.tr("Not sent after {limit}: then give it by radio.").format(
                limit=limit_text(limit)) if limit > 0 else ""), error=True)

    # --- prompts --------------------------------------------------------------------------------
    def _ask_reason_dialog(self, unit: Unit) -> str | None:
        return ask_reason(self, unit)

    def _ask_incident_dialog(self, unit: Unit, incidents: list[Incident]) -> str | None:
        return ask_incident(self, unit, incidents, self.preferred_incident)


_RELEASED = re.compile(r"^incident #(\d+) (cleared|cancelled)$")


def release_reason(reason: str) -> str:
    """A reason the core writes when it frees a unit ("incident #12 cleared"), in the
    interface's language; an officer's own reason as it was typed."""
    m = _RELEASED.match(reason)
    if m is None:
        return reason
    if m.group(2) == "cleared":
        return QCoreApplication.translate("UnitBoard", "incident #{n} cleared").format(
            n=m.group(1))
    return QCoreApplication.translate("UnitBoard", "incident #{n} cancelled").format(
        n=m.group(1))
