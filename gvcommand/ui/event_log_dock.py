"""The event log dock: the recent events, filtered by time, user, kind, ward and incident;
the filtered rows exported to CSV; and the state of the audit chain (verified, or broken at
event N), checked on a worker thread because a long log takes seconds."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.events import ChainReport, StoredEvent
from ..geo.editions import VIETNAM_TZ
from . import theme
from .event_log_filter import ANY as _ANY
from .event_log_filter import EventLogFilter, RefreshingCombo
from .event_log_model import KIND_LABELS, EventLogModel
from .session import ConsoleSession

log = logging.getLogger(__name__)

HISTORY_LIMIT = 100_000  # events read at most by one search of the whole log
VERIFY_DELAY_MS = 3000  # the first check waits until the console has settled after start
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"


class EventLogDock(QDockWidget):
    verified = Signal(object)  # the ChainReport of the last check

    def __init__(self, model: EventLogModel, session: ConsoleSession,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Event log"), parent)
        self.setObjectName("event_log_dock")
        self.model = model
        self.session = session
        self.proxy = EventLogFilter(self)
        self.proxy.setSourceModel(model)
        self.report: ChainReport | None = None
        self._verifying = False
        self._searching = False
        self._auto_verify = QTimer(self)
        self._auto_verify.setSingleShot(True)
        self._auto_verify.setInterval(VERIFY_DELAY_MS)
        self._auto_verify.timeout.connect(self.start_verify)
        self._shown_once = False
        # code → name of the wards known now (the window's live state)
        self.ward_source: Callable[[], dict[str, str]] | None = None

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(self._build_filters())
        self.view = self._build_view()
        layout.addWidget(self.view, 1)
        layout.addLayout(self._build_footer())
        self.setWidget(body)

        self._follow_bottom = True
        scroll = self.view.verticalScrollBar()
        scroll.valueChanged.connect(self._on_log_scrolled)
        scroll.rangeChanged.connect(self._on_log_range_changed)
        model.rowsInserted.connect(self._on_rows_inserted)
        self._update_count()

    # --- construction ------------------------------------------------------------------------
    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        now = QDateTime.currentDateTime()
        self.time_check = QCheckBox(self.tr("From"))
        self.time_check.setObjectName("log_time_filter")
        self.since_edit = self._datetime_edit("log_since", now.addSecs(-3600))
        self.until_edit = self._datetime_edit("log_until", now.addSecs(3600))
        self.actor_combo = self._combo("log_actor", self.tr("All users"), self._fill_actors)
        self.kind_combo = self._combo("log_kind", self.tr("All events"), self._fill_kinds)
        self.ward_combo = self._combo("log_ward", self.tr("All wards"), self._fill_wards)
        self.incident_edit = QLineEdit()
        self.incident_edit.setObjectName("log_incident")
        self.incident_edit.setPlaceholderText(self.tr("Incident no."))
        self.incident_edit.setClearButtonEnabled(True)
        self.incident_edit.setMaximumWidth(120)
        self.time_check.toggled.connect(self._apply_filters)
        self.since_edit.dateTimeChanged.connect(self._apply_filters)
        self.until_edit.dateTimeChanged.connect(self._apply_filters)
        for combo in (self.actor_combo, self.kind_combo, self.ward_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.incident_edit.textChanged.connect(self._apply_filters)
        self.search_button = QPushButton(self.tr("Search the whole log"))
        self.search_button.setObjectName("log_search")
        self.search_button.setToolTip(self.tr(
            "The console keeps the latest {count} events; this reads the chosen period from "
            "the database").format(count=self.model.cap))
        self.search_button.setEnabled(False)
        self.search_button.clicked.connect(self.search_history)
        self.live_button = QPushButton(self.tr("Back to live"))
        self.live_button.setObjectName("log_live")
        self.live_button.hide()
        self.live_button.clicked.connect(self.show_live)
        self.time_check.toggled.connect(self.search_button.setEnabled)
        row.addWidget(self.time_check)
        row.addWidget(self.since_edit)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self.until_edit)
        row.addWidget(self.actor_combo)
        row.addWidget(self.kind_combo)
        row.addWidget(self.ward_combo)
        row.addWidget(self.incident_edit)
        row.addWidget(self.search_button)
        row.addWidget(self.live_button)
        row.addStretch(1)
        return row

    def _datetime_edit(self, name: str, value: QDateTime) -> QDateTimeEdit:
        edit = QDateTimeEdit(value)
        edit.setObjectName(name)
        edit.setDisplayFormat(DATETIME_FORMAT)
        edit.setCalendarPopup(True)
        return edit

    def _combo(self, name: str, everything: str, refill: Any) -> QComboBox:
        combo = RefreshingCombo(refill)
        combo.setObjectName(name)
        combo.addItem(everything, _ANY)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _build_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("event_log")
        view.setModel(self.proxy)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(QFontMetrics(view.font()).height() + 8)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        char = QFontMetrics(view.font()).horizontalAdvance("0")
        for column, chars in ((EventLogModel.SEQ, 8), (EventLogModel.TIME, 16),
                              (EventLogModel.ACTOR, 16), (EventLogModel.CONSOLE, 14),
                              (EventLogModel.KIND, 28)):
            view.setColumnWidth(column, chars * char)
        return view

    def _build_footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.chain_label = QLabel()
        self.chain_label.setObjectName("chain_label")
        self._set_chain_text(self.tr("Audit chain: not checked yet"), theme.WARN)
        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.setObjectName("verify_chain")
        self.verify_button.clicked.connect(self.start_verify)
        self.count_label = QLabel()
        self.count_label.setObjectName("log_count")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("export_csv")
        self.export_button.clicked.connect(self._on_export_clicked)
        row.addWidget(self.chain_label)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        row.addWidget(self.export_button)
        return row

    # --- filters -------------------------------------------------------------------------------
    def _fill_actors(self) -> list[tuple[str, str]]:
        shown = self.shown_model
        names = sorted({shown.event_at(r).actor for r in range(shown.rowCount())})
        return [(n, n) for n in names]

    def _fill_kinds(self) -> list[tuple[str, str]]:
        shown = self.shown_model
        kinds = {shown.event_at(r).kind for r in range(shown.rowCount())}
        labelled = [(k, f"{QCoreApplication.translate('EventLogDock', KIND_LABELS[k])} ({k})"
                     if k in KIND_LABELS else k) for k in kinds]
        return sorted(labelled, key=lambda kl: kl[1])

    def _fill_wards(self) -> list[tuple[str, str]]:
        wards: dict[str, str] = {}
        shown = self.shown_model
        for r in range(shown.rowCount()):
            ward = shown.context(shown.event_at(r)).ward
            if ward:
                wards.setdefault(ward, ward)
        if self.ward_source is not None:
            wards.update(self.ward_source())
        return sorted(((code, f"{name} ({code})" if name != code else code)
                       for code, name in wards.items()), key=lambda cw: cw[1])

    def _apply_filters(self) -> None:
        since = until = None
        if self.time_check.isChecked():
            since = self.since_edit.dateTime().toMSecsSinceEpoch() * 1000
            until = self.until_edit.dateTime().toMSecsSinceEpoch() * 1000 + 59_999_999
        self.proxy.set_criteria(
            since_us=since, until_us=until,
            actor=self.actor_combo.currentData(), kind=self.kind_combo.currentData(),
            ward=self.ward_combo.currentData(), incident=self.incident_edit.text().strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.shown_model.rowCount()
        self.count_label.setText(self.tr("{shown} of {total} events").format(
            shown=shown, total=total))

    # --- export ---------------------------------------------------------------------------------
    def csv_headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Console"),
                self.tr("Event"), self.tr("Subject"), self.tr("Ward"), self.tr("Incident"),
                self.tr("Details")]

    def export_csv(self, path: str | Path) -> int:
        """Write the rows shown (the filter applied) to ``path``; returns how many.

        UTF-8 with a byte-order mark, so that Excel reads the diacritics right; times in
        Vietnam's time zone, written out in full (the screen shows day and month only).
        """
        rows = self.proxy.events()
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(self.csv_headers())
            for e in rows:
                context = self.shown_model.context(e)
                when = datetime.fromtimestamp(e.ts_us / 1e6, VIETNAM_TZ)
                out.writerow([
                    e.seq, when.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.console, e.kind,
                    e.subject, context.ward or "",
                    "" if context.incident_number is None else context.incident_number,
                    self.shown_model.payload_text(e),
                ])
        return len(rows)

    def _on_export_clicked(self) -> None:
        stamp = datetime.now(VIETNAM_TZ).strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the event log"), f"nhat-ky-su-kien-{stamp}.csv",
            self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            count = self.export_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export the event log"),
                                self.tr("The file could not be written: {reason}").format(
                                    reason=exc.strerror or str(exc)))
            return
        self.count_label.setText(self.tr("{count} events exported").format(count=count))

    # --- the whole log: a period read from the database --------------------------------------
    @property
    def shown_model(self) -> EventLogModel:
        model = self.proxy.sourceModel()
        assert isinstance(model, EventLogModel)
        return model

    @property
    def showing_history(self) -> bool:
        return self.shown_model is not self.model

    def search_history(self) -> bool:
        """Read the events of the chosen period from the database on a worker thread, and
        show them (the other filters apply) instead of the live rows; False if busy."""
        if self._searching or not self.time_check.isChecked():
            return False
        self._searching = True
        self.search_button.setEnabled(False)
        since = self.since_edit.dateTime().toMSecsSinceEpoch() * 1000
        until = self.until_edit.dateTime().toMSecsSinceEpoch() * 1000 + 59_999_999
        self.count_label.setText(self.tr("Reading the log…"))
        self.session.read_period(
            since, until, HISTORY_LIMIT, lambda found: self._on_history_loaded(*found),
            lambda exc: self._on_history_loaded(_reason(exc, "event log not read"), False),
            owner=self)
        return True

    def _on_history_loaded(self, outcome: list[StoredEvent] | str, truncated: bool) -> None:
        self._searching = False
        self.search_button.setEnabled(self.time_check.isChecked())
        if isinstance(outcome, str):
            self.count_label.setText(self.tr("The log could not be read: {reason}").format(
                reason=outcome))
            return
        history = EventLogModel(cap=max(HISTORY_LIMIT, 1), parent=self)
        history.incident_lookup = self.model.incident_lookup
        history.viewer_role = self.model.viewer_role
        history.append_events(outcome)
        old = self.shown_model
        self.proxy.setSourceModel(history)
        if old is not self.model:
            old.deleteLater()
        self.live_button.show()
        self._update_count()
        if truncated:
            self.count_label.setText(self.count_label.text() + " — " + self.tr(
                "only the first {count}: choose a shorter period").format(count=HISTORY_LIMIT))

    def show_live(self) -> None:
        old = self.shown_model
        if old is self.model:
            return
        self.proxy.setSourceModel(self.model)
        old.deleteLater()
        self.live_button.hide()
        self._update_count()

    # --- audit chain ----------------------------------------------------------------------------
    def start_verify(self) -> bool:
        """Recompute the hash chain on a worker thread; False if a check is running."""
        self._auto_verify.stop()
        if self._verifying:
            return False
        self._verifying = True
        self.verify_button.setEnabled(False)
        self._set_chain_text(self.tr("Audit chain: checking…"), theme.WARN)
        self.session.verify(lambda found: self._on_verify_done(*found),
                            lambda exc: self._on_verify_done(
                                _reason(exc, "audit chain not verified"), 0.0),
                            owner=self)
        return True

    @property
    def verifying(self) -> bool:
        return self._verifying

    def _on_verify_done(self, outcome: ChainReport | str, seconds: float) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        checked_at = datetime.now(VIETNAM_TZ).strftime("%H:%M:%S")
        if isinstance(outcome, str):
            self._set_chain_text(self.tr("Audit chain: could not be checked"), theme.WARN,
                                 outcome)
            return
        self.report = outcome
        if outcome.ok:
            self._set_chain_text(
                self.tr("Audit chain: verified up to event {seq}").format(seq=outcome.head_seq),
                theme.OK,
                self.tr("{count} events checked in {seconds} s at {time}").format(
                    count=outcome.checked, seconds=f"{seconds:.1f}", time=checked_at))
        else:
            self._set_chain_text(
                self.tr("Audit chain: BROKEN at event {seq}").format(
                    seq=outcome.first_bad_seq),
                theme.ALARM, outcome.reason or "", alarm=True)
        self.verified.emit(outcome)

    def _set_chain_text(self, text: str, colour: str, detail: str = "",
                        *, alarm: bool = False) -> None:
        self.chain_label.setText("● " + text)
        self.chain_label.setToolTip(detail)
        style = f"color: {colour}; font-weight: bold;"
        if alarm:
            style = f"color: {theme.TEXT}; background: #8e2f2b; font-weight: bold;"
        self.chain_label.setStyleSheet(style)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self._auto_verify.start()

    # --- following the newest row -----------------------------------------------------------
    # The log follows the newest event while the officer is at the bottom, and holds still
    # while they scroll up to read (new rows, a resize, must not yank the view away).
    def _on_log_scrolled(self, value: int) -> None:
        self._follow_bottom = value >= self.view.verticalScrollBar().maximum()

    def _on_log_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow_bottom:
            self.view.verticalScrollBar().setValue(maximum)

    def _on_rows_inserted(self, *_args: object) -> None:
        self._update_count()


def _reason(exc: BaseException, what: str) -> str:
    """The database went away (or another failure): said in the dock, and logged."""
    log.warning("%s: %s", what, exc)
    return str(exc)
