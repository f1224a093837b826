"""The event log as a table model: the last few thousand events, oldest at the top.

Newest rows are appended at the bottom, like a log file or a chat: the view follows the
bottom while the officer is there and stays put when they scroll up to read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ..core import events as ev
from ..core.events import StoredEvent, canonical_json
from ..core.model import Role
from ..core.permissions import PERSONAL_KEYS, visible_payload

DEFAULT_CAP = 5_000

_Index = QModelIndex | QPersistentModelIndex
# incident id → (number, ward) for incidents created before the rows the model holds
IncidentLookup = Callable[[str], "tuple[int, str | None] | None"]


# what each kind of event is called (the column and the filter; the CSV keeps the stored kind)
KIND_LABELS = {
    "user.created": QT_TRANSLATE_NOOP("EventLogDock", "User created"),
    "user.role_changed": QT_TRANSLATE_NOOP("EventLogDock", "User role changed"),
    "user.password_set": QT_TRANSLATE_NOOP("EventLogDock", "Password set"),
    "user.login_succeeded": QT_TRANSLATE_NOOP("EventLogDock", "Login"),
    "user.login_failed": QT_TRANSLATE_NOOP("EventLogDock", "Login failed"),
    "user.locked_out": QT_TRANSLATE_NOOP("EventLogDock", "User locked out"),
    "ward.added": QT_TRANSLATE_NOOP("EventLogDock", "Ward added"),
    "unit.added": QT_TRANSLATE_NOOP("EventLogDock", "Unit added"),
    "unit.dispatched": QT_TRANSLATE_NOOP("EventLogDock", "Unit dispatched"),
    "unit.en_route": QT_TRANSLATE_NOOP("EventLogDock", "Unit en route"),
    "unit.on_scene": QT_TRANSLATE_NOOP("EventLogDock", "Unit on scene"),
    "unit.available": QT_TRANSLATE_NOOP("EventLogDock", "Unit available"),
    "unit.out_of_service": QT_TRANSLATE_NOOP("EventLogDock", "Unit out of service"),
    "unit.off_duty": QT_TRANSLATE_NOOP("EventLogDock", "Unit off duty"),
    "unit.exercise_changed": QT_TRANSLATE_NOOP("EventLogDock", "Unit on or off a drill"),
    "incident.created": QT_TRANSLATE_NOOP("EventLogDock", "Incident received"),
    "incident.status_changed": QT_TRANSLATE_NOOP("EventLogDock", "Incident status changed"),
    "incident.unit_assigned": QT_TRANSLATE_NOOP("EventLogDock", "Unit assigned to incident"),
    "incident.unit_released": QT_TRANSLATE_NOOP("EventLogDock", "Unit released from incident"),
    "incident.note_added": QT_TRANSLATE_NOOP("EventLogDock", "Incident note"),
    "incident.report_linked": QT_TRANSLATE_NOOP("EventLogDock", "Report linked to incident"),
    "camera.added": QT_TRANSLATE_NOOP("EventLogDock", "Camera added"),
    "camera.updated": QT_TRANSLATE_NOOP("EventLogDock", "Camera edited"),
    "camera.retired": QT_TRANSLATE_NOOP("EventLogDock", "Camera retired"),
    "camera_view.started": QT_TRANSLATE_NOOP("EventLogDock", "Camera view started"),
    "camera_view.stopped": QT_TRANSLATE_NOOP("EventLogDock", "Camera view stopped"),
    "boundary.edition_imported": QT_TRANSLATE_NOOP("EventLogDock", "Ward boundaries imported"),
    "road_network.imported": QT_TRANSLATE_NOOP("EventLogDock", "Road network imported"),
    "places.imported": QT_TRANSLATE_NOOP("EventLogDock", "Places imported"),
    "complex_point.added": QT_TRANSLATE_NOOP("EventLogDock", "Complex point added"),
    "complex_point.status_changed": QT_TRANSLATE_NOOP("EventLogDock",
                                                      "Complex point status changed"),
    "device.registered": QT_TRANSLATE_NOOP("EventLogDock", "Device registered"),
    "device.retired": QT_TRANSLATE_NOOP("EventLogDock", "Device retired"),
    "track.viewed": QT_TRANSLATE_NOOP("EventLogDock", "Track viewed"),
}

@dataclass(frozen=True, slots=True)
class EventContext:
    """What an event concerns beyond its subject: the incident (a unit's dispatch and status
    changes carry it) and the ward, for filtering by ward or incident."""

    incident_id: str | None
    incident_number: int | None
    ward: str | None


class EventLogModel(QAbstractTableModel):
    """Read-only rows of :class:`StoredEvent`, capped at ``cap`` in memory (the database keeps
    them all; a console only needs the recent past on screen)."""

    SEQ, TIME, ACTOR, CONSOLE, KIND, SUBJECT = range(6)
    COLUMN_COUNT = 6
    KIND_ROLE = Qt.ItemDataRole.UserRole  # the stored kind ("unit.dispatched"), for code

    def __init__(self, cap: int = DEFAULT_CAP, parent: Any = None) -> None:
        super().__init__(parent)
        self._cap = cap
        self._rows: deque[StoredEvent] = deque()
        self._incidents: dict[str, tuple[int, str | None]] = {}
        self.incident_lookup: IncidentLookup | None = None
        # whose screen this is: a caller's name and number are masked for roles that may not
        # see them (core.permissions.visible_payload)
        self.viewer_role: Role | None = None

    # --- feeding -------------------------------------------------------------------------
    def append_events(self, events: Iterable[StoredEvent]) -> None:
        """Add events in order; events already shown (seq not above the last) are skipped, so a
        feed restart that re-reads a few events cannot duplicate rows."""
        last = self._rows[-1].seq if self._rows else 0
        fresh = [e for e in events if e.seq > last]
        if not fresh:
            return
        if len(fresh) > self._cap:
            fresh = fresh[-self._cap :]
        overflow = len(self._rows) + len(fresh) - self._cap
        if overflow > 0:
            # drop the oldest first, so the view never holds more than the cap
            drop = min(overflow, len(self._rows))
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            for _ in range(drop):
                self._rows.popleft()
            self.endRemoveRows()
        for e in fresh:
            if e.kind == ev.INCIDENT_CREATED:
                p = e.payload
                self._incidents[ev.split_subject(e.subject)[1]] = (int(p["number"]), p["ward"])
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    def event_at(self, row: int) -> StoredEvent:
        return self._rows[row]

    def context(self, event: StoredEvent) -> EventContext:
        kind, ident = ev.split_subject(event.subject)
        incident_id: str | None = None
        ward: str | None = None
        if kind == "incident":
            incident_id = ident
        elif kind == "ward":
            ward = ident
        elif event.kind in ev.UNIT_STATUS_KINDS or kind in ("camera", "complex_point", "unit"):
            p = event.payload
            incident_id = p.get("incident_id")
            ward = p.get("ward") or p.get("home_ward")
        if incident_id is None:
            return EventContext(None, None, ward)
        known = self._incidents.get(incident_id)
        if known is None and self.incident_lookup is not None:
            known = self.incident_lookup(incident_id)
            if known is not None:
                self._incidents[incident_id] = known
        number, inc_ward = known if known is not None else (None, None)
        return EventContext(incident_id, number, inc_ward)

    @property
    def cap(self) -> int:
        """How many events the model keeps (the oldest go first)."""
        return self._cap

    @property
    def last_seq(self) -> int:
        return self._rows[-1].seq if self._rows else 0

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == self.KIND_ROLE:
            return event.kind
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.payload_text(event) if column in (self.KIND, self.SUBJECT) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Console"),
                  self.tr("Event"), self.tr("Subject")]
        return titles[section] if 0 <= section < len(titles) else None

    def _display(self, event: StoredEvent, column: int) -> str:
        if column == self.SEQ:
            return str(event.seq)
        if column == self.TIME:
            return format_local_time(event.ts_us)
        if column == self.ACTOR:
            return event.actor
        if column == self.CONSOLE:
            return event.console
        if column == self.KIND:
            return kind_label(event.kind)
        return event.subject

    def payload_text(self, event: StoredEvent) -> str:
        """The payload as JSON, as this console's user may read it."""
        if not any(key in event.payload_json for key in PERSONAL_KEYS):
            return event.payload_json
        return canonical_json(visible_payload(self.viewer_role, event.payload))


def kind_label(kind: str) -> str:
    """What an officer reads for an event kind: its name in the interface's language, the
    stored kind for one without a name."""
    label = KIND_LABELS.get(kind)
    return QCoreApplication.translate("EventLogDock", label) if label else kind


def format_local_time(ts_us: int) -> str:
    """Server time (µs since the epoch) in this console's local time, day/month as in Vietnam."""
    return datetime.fromtimestamp(ts_us / 1_000_000).strftime("%H:%M:%S %d/%m")
