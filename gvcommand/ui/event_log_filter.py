"""The event log's filtering: the proxy that keeps the rows matching the chosen time, user,
kind, ward and incident, and the filter choices whose options are read afresh when they
open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QComboBox

from ..core.events import StoredEvent
from .event_log_model import EventLogModel

ANY = ""  # a filter choice's first item: any value


class EventLogFilter(QSortFilterProxyModel):
    """Rows of an :class:`EventLogModel` that match every criterion set (None: any)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.since_us: int | None = None
        self.until_us: int | None = None
        self.actor: str | None = None
        self.kind: str | None = None
        self.ward: str | None = None
        self.incident: str | None = None  # a number ("12", "#12") or the start of an id

    def set_criteria(self, **criteria: Any) -> None:
        self.beginFilterChange()
        for name, value in criteria.items():
            if not hasattr(self, name):
                raise AttributeError(name)
            setattr(self, name, value if value not in ("", None) else None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def events(self) -> list[StoredEvent]:
        """The rows shown, in order."""
        source = self._source()
        return [source.event_at(self.mapToSource(self.index(row, 0)).row())
                for row in range(self.rowCount())]

    def _source(self) -> EventLogModel:
        model = self.sourceModel()
        assert isinstance(model, EventLogModel)
        return model

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self._source()
        e = source.event_at(source_row)
        if self.since_us is not None and e.ts_us < self.since_us:
            return False
        if self.until_us is not None and e.ts_us > self.until_us:
            return False
        if self.actor is not None and e.actor != self.actor:
            return False
        if self.kind is not None and e.kind != self.kind:
            return False
        if self.ward is None and self.incident is None:
            return True
        context = source.context(e)
        if self.ward is not None and context.ward != self.ward:
            return False
        if self.incident is not None:
            wanted = self.incident.strip().lstrip("#")
            if context.incident_id is None:
                return False
            if wanted.isdigit():
                return context.incident_number == int(wanted)
            return context.incident_id.startswith(wanted)
        return True


class RefreshingCombo(QComboBox):
    """A filter choice whose options are read afresh each time it opens (the users, kinds
    and wards seen change as events arrive); the first item means "any"."""

    def __init__(self, refill: Any) -> None:
        super().__init__()
        self._refill = refill

    def showPopup(self) -> None:
        self.refresh()
        super().showPopup()

    def refresh(self) -> None:
        current = self.currentData()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for value, label in self._refill():
            self.addItem(label, value)
        found = self.findData(current)
        self.setCurrentIndex(max(found, 0))
        self.blockSignals(False)
        if found < 0 and current != ANY:
            self.currentIndexChanged.emit(0)
