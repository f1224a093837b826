"""The incident queue and the selected incident's detail.

The queue is a Qt model over the console's live state: open incidents, sortable by
priority and by age, coloured by status, drills marked. Ages move with the window's one
second clock (one ``dataChanged`` for the age column, not a timer per row). The detail shows
the incident's events from the log, its notes (append-only: a note is added, never edited)
and the units sent to it with their times.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import commands as c
from ..core import events as ev
from ..core.model import Incident, IncidentSource, IncidentStatus
from ..core.permissions import may_see_caller
from . import theme
from .session import ConsoleSession, IncidentHistory

log = logging.getLogger(__name__)

STATUS_COLOURS = {
    IncidentStatus.NEW: "#8e2f2b",  # nobody sent yet: the alarm colour, dimmed for a row
    IncidentStatus.DISPATCHED: "#7a5a1c",
    IncidentStatus.EN_ROUTE: "#6b6a1f",
    IncidentStatus.ON_SCENE: "#2a5a8a",
    IncidentStatus.CLEARED: "#2f5d3a",
}
EXERCISE_COLOUR = "#b57edc"  # drills: violet, a colour no real status uses
_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _age_text(seconds: int) -> str:
    seconds = max(0, seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class IncidentQueueModel(QAbstractTableModel):
    NUMBER, PRIORITY, AGE, TYPE, STATUS, WARD, PLACE = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Incident] = []
        self.ward_names: dict[str, str] = {}
        self.now_us = time.time_ns() // 1000
        # short headers: the queue lives in a narrow dock
        self._headers = [self.tr("No."), self.tr("Pri."), self.tr("Age"),
                         self.tr("Type"), self.tr("Status"), self.tr("Ward"), self.tr("Place")]
        self._tips = {self.PRIORITY: self.tr("Priority (1 most urgent)"),
                      self.AGE: self.tr("Time since the report was recorded")}

    def set_incidents(self, incidents: list[Incident], ward_names: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = [i for i in incidents if not i.status.terminal]
        self.ward_names = ward_names
        self.endResetModel()

    def tick(self, now_us: int) -> None:
        self.now_us = now_us
        if self.rows:
            self.dataChanged.emit(self.index(0, self.AGE), self.index(len(self.rows) - 1,
                                                                       self.AGE))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get(section)
        return None

    def age_s(self, inc: Incident) -> int:
        return (self.now_us - inc.created_us) // 1_000_000

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        inc = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NUMBER:
                return f"#{inc.number}"
            if col == self.PRIORITY:
                return str(inc.priority)
            if col == self.TYPE:
                return f"{self.tr('DRILL')} · {inc.type.label}" if inc.exercise else inc.type.label
            if col == self.STATUS:
                return inc.status.label
            if col == self.WARD:
                return self.ward_names.get(inc.ward or "", inc.ward or "—")
            if col == self.AGE:
                return _age_text(self.age_s(inc))
            if col == self.PLACE:
                if inc.address:
                    return inc.address
                return inc.summary.splitlines()[0] if inc.summary else ""
        if role == SORT_ROLE:
            # priority: most urgent first, then the oldest; age: by when it was recorded
            return {self.NUMBER: inc.number, self.PRIORITY: (inc.priority, inc.created_us),
                    self.TYPE: inc.type.label, self.STATUS: inc.status.label,
                    self.WARD: self.ward_names.get(inc.ward or "", ""),
                    self.AGE: -inc.created_us, self.PLACE: inc.address or ""}[col]
        if role == ID_ROLE:
            return inc.id
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_COLOURS.get(inc.status, theme.SURFACE)))
        if role == Qt.ItemDataRole.ForegroundRole:
            if inc.exercise and col in (self.NUMBER, self.TYPE):
                return QBrush(QColor(EXERCISE_COLOUR))
            return QBrush(QColor(theme.TEXT))
        if role == Qt.ItemDataRole.FontRole and (inc.exercise or col == self.AGE):
            font = QFont()
            font.setItalic(inc.exercise)
            font.setBold(col in (self.NUMBER, self.AGE))
            return font
        if role == Qt.ItemDataRole.ToolTipRole and inc.exercise:
            return self.tr("Exercise (drill): not a real incident; left out of statistics")
        return None


class _SortProxy(QSortFilterProxyModel):
    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class IncidentsDock(QDockWidget):
    incident_selected = Signal(str)
    new_incident_requested = Signal()
    note_requested = Signal(object)  # AddIncidentNote

    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Incidents"), parent)
        self.setObjectName("incidents_dock")
        self._session, self._actor = session, session.actor
        self._state = lambda: session.live.state
        session.changed.connect(self._on_changed)
        self.model = IncidentQueueModel(self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(False)  # ages tick every second: no re-sort then
        self.view = QTableView()
        self.view.setObjectName("incident_queue")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(IncidentQueueModel.PRIORITY, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(self._on_row_changed)

        self.new_button = QPushButton(self.tr("&New incident (Ctrl+N)"))
        self.new_button.setObjectName("incident_new")
        self.new_button.clicked.connect(self.new_incident_requested)
        self.banner = QLabel()
        self.banner.setObjectName("incident_banner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.detail_title = QLabel(self.tr("Select an incident in the queue or on the map."))
        self.detail_title.setObjectName("incident_detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.units_list = QListWidget()
        self.units_list.setObjectName("incident_units")
        self.history_list = QListWidget()
        self.history_list.setObjectName("incident_history")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("incident_note_edit")
        self.note_edit.setPlaceholderText(self.tr("Add a note (Enter); notes cannot be changed"))
        self.note_edit.returnPressed.connect(self._on_add_note)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(QLabel(self.tr("Units")))
        detail_layout.addWidget(self.units_list, 1)
        detail_layout.addWidget(QLabel(self.tr("History and notes")))
        detail_layout.addWidget(self.history_list, 2)
        detail_layout.addWidget(self.note_edit)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setWidget(body)
        self.selected_id: str | None = None
        self._new_shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        self._new_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self._new_shortcut.activated.connect(self.new_incident_requested)

    # --- queue ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        state = self._state()
        keep = self.selected_id
        self.model.set_incidents(list(state.incidents.values()),
                                 {code: w.name for code, w in state.wards.items()})
        self.proxy.invalidate()
        self.proxy.sort(self.view.horizontalHeader().sortIndicatorSection(),
                        self.view.horizontalHeader().sortIndicatorOrder())
        if keep is not None:
            self.select(keep, emit=False)
            self._show_detail(keep)

    def tick(self, now_us: int | None = None) -> None:
        self.model.tick(time.time_ns() // 1000 if now_us is None else now_us)

    def row_of(self, incident_id: str) -> int:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ID_ROLE) == incident_id:
                return row
        return -1

    def select(self, incident_id: str, *, emit: bool = True) -> None:
        row = self.row_of(incident_id)
        self.selected_id = incident_id
        if row < 0:
            return
        blocker = None if emit else self.view.selectionModel().blockSignals(True)
        self.view.selectRow(row)
        self.view.scrollTo(self.proxy.index(row, 0))
        if blocker is not None:
            self.view.selectionModel().blockSignals(blocker)
        if not emit:
            self._show_detail(incident_id)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ident = current.data(ID_ROLE) if current.isValid() else None
        if ident is None:
            return
        self.selected_id = ident
        self._show_detail(ident)
        self.incident_selected.emit(ident)

    # --- detail --------------------------------------------------------------------------------
    def _show_detail(self, incident_id: str) -> None:
        inc = self._state().incident(incident_id)
        if inc is None:
            self.detail_title.setText(self.tr("Incident closed or not found."))
            self.units_list.clear()
            self.history_list.clear()
            return
        lines = [f"#{inc.number} · {inc.type.label} · {inc.status.label} · "
                 + self.tr("priority {p}").format(p=inc.priority)]
        if inc.exercise:
            lines[0] = self.tr("EXERCISE (DRILL)") + " · " + lines[0]
        if inc.address:
            lines.append(inc.address)
        if inc.summary:
            lines.append(inc.summary)
        if inc.caller_name or inc.callback_number:
            if may_see_caller(self._actor.role):
                lines.append(self.tr("Caller: {name} · callback {number}").format(
                    name=inc.caller_name or "—", number=inc.callback_number or "—"))
            else:
                lines.append(self.tr("Caller: recorded (not shown to your role)"))
        if inc.linked_reports:
            lines.append(self.tr("{n} further report(s) linked").format(n=inc.linked_reports))
        self.detail_title.setText("\n".join(lines))
        # its history from the log, on the session's pool (the rows come when it is read)
        self._session.incident_history(
            incident_id, functools.partial(self._on_history, incident_id), owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"incident", "unit", "ward"}:
            self.refresh()

    def _on_history(self, incident_id: str, history: IncidentHistory) -> None:
        if incident_id == self.selected_id:  # not one selected before it and read late
            self._fill_history(history.events, history.unit_steps)

    def _fill_history(self, history: list[ev.StoredEvent],
                      unit_steps: dict[str, list[ev.StoredEvent]]) -> None:
        self.history_list.clear()
        self.units_list.clear()
        sent: dict[str, list[tuple[int, str]]] = {}  # call sign → (seq, what and when)
        first_seq: dict[str, int] = {}
        for e in history:
            when = _clock(e.ts_us)
            p = e.payload
            text = {
                ev.INCIDENT_CREATED: self.tr("recorded"),
                ev.INCIDENT_STATUS_CHANGED: self.tr("status → {status}").format(
                    status=_status_label(p.get("to", ""))) + (
                    f" ({p['reason']})" if p.get("reason") else ""),
                ev.INCIDENT_UNIT_ASSIGNED: self.tr("unit {unit} sent").format(
                    unit=p.get("unit", "")),
                ev.INCIDENT_UNIT_RELEASED: self.tr("unit {unit} released").format(
                    unit=p.get("unit", "")),
                ev.INCIDENT_NOTE_ADDED: self.tr("note: {text}").format(text=p.get("text", "")),
                ev.INCIDENT_REPORT_LINKED: self.tr("further report ({source}): {text}").format(
                    source=_source_label(p.get("source", "")), text=p.get("summary", "")),
            }.get(e.kind, e.kind)
            self.history_list.addItem(f"{when}  {e.actor}: {text}")
            if e.kind == ev.INCIDENT_UNIT_ASSIGNED:
                sent.setdefault(p["unit"], []).append((e.seq, self.tr("sent {t}").format(t=when)))
                first_seq.setdefault(p["unit"], e.seq)
            elif e.kind == ev.INCIDENT_UNIT_RELEASED:
                sent.setdefault(p["unit"], []).append(
                    (e.seq, self.tr("released {t}").format(t=when)))
        # en route and on scene are the unit's events (they name the incident they are for)
        incident_id = ev.split_subject(history[0].subject)[1] if history else ""
        steps = {ev.UNIT_EN_ROUTE: self.tr("en route {t}"),
                 ev.UNIT_ON_SCENE: self.tr("on scene {t}")}
        for call_sign in first_seq:
            for e in unit_steps.get(call_sign, []):
                if e.payload.get("incident_id") == incident_id:
                    sent[call_sign].append((e.seq, steps[e.kind].format(t=_clock(e.ts_us))))
        state = self._state()
        for call_sign, times in sent.items():
            unit = state.unit(call_sign)
            now = (self.tr(" · now {status}").format(status=unit.status.label)
                   if unit is not None else "")
            steps_text = ", ".join(text for _, text in sorted(times))
            self.units_list.addItem(f"{call_sign}: {steps_text}{now}")
        self.history_list.scrollToBottom()

    def _on_add_note(self) -> None:
        text = self.note_edit.text().strip()
        if not text or self.selected_id is None:
            return
        self.note_requested.emit(c.AddIncidentNote(self.selected_id, text))
        self.note_edit.clear()

    def show_banner(self, text: str, colour: str = theme.WARN) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.banner.setVisible(bool(text))


def _clock(ts_us: int) -> str:
    # the console's local time, as the clock and the event log show it
    return dt.datetime.fromtimestamp(ts_us / 1e6).strftime("%H:%M:%S")


def _status_label(code: str) -> str:
    try:
        return IncidentStatus(code).label
    except ValueError:
        return code


def _source_label(code: str) -> str:
    try:
        return IncidentSource(code).label
    except ValueError:
        return code

