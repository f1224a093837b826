"""The console's main window: the event log for now, and a status bar that says where the
console is connected, as whom, and whether the live feed is alive."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QDateTime, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.events import StoredEvent
from ..core.model import Actor
from ..store.db import StoreError
from ..store.event_store import EventStore
from . import theme
from .elided_label import ElidedLabel
from .event_log_model import EventLogModel
from .feed_bridge import FeedBridge
from .labels import database_mode_label, role_label

log = logging.getLogger(__name__)

BACKLOG_EVENTS = 500  # how much history a console shows when it starts
SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: EventStore,
        actor: Actor,
        *,
        display_name: str = "",
        demo: bool = False,
        settings: QSettings | None = None,
        backlog: int = BACKLOG_EVENTS,
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
        self.event_view = self._make_event_view()
        self._follow_bottom = True
        scroll = self.event_view.verticalScrollBar()
        scroll.valueChanged.connect(self._on_log_scrolled)
        scroll.rangeChanged.connect(self._on_log_range_changed)

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
        heading = QLabel(self.tr("Event log"))
        heading.setObjectName("event_log_heading")
        heading.setContentsMargins(8, 6, 8, 4)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(self.event_view)
        self.setCentralWidget(central)

        self._build_status_bar(display_name or actor.name)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_clock_tick)
        self._clock.start()
        self._on_clock_tick()

        self.bridge = FeedBridge(store, self._start_seq(), parent=self)
        self.bridge.events_arrived.connect(self._on_events_arrived)
        self.bridge.connection_changed.connect(self._on_connection_changed)
        self._restore_layout()

    # --- construction ------------------------------------------------------------------------
    def _make_event_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("event_log")
        view.setModel(self.event_model)
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

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start following the event log (idempotent)."""
        if not self._stopped:
            self.bridge.start()

    def shutdown(self) -> None:
        """Stop the feed thread and the clock, and save the layout; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._clock.stop()
        self.bridge.stop()
        self._save_layout()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _restore_layout(self) -> None:
        geometry = self._settings.value(SETTINGS_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1280, 800)
        state = self._settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_layout(self) -> None:
        self._settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self._settings.setValue(SETTINGS_STATE, self.saveState())
        self._settings.sync()

    # --- handlers -----------------------------------------------------------------------------
    def _on_events_arrived(self, events: list[StoredEvent]) -> None:
        self.event_model.append_events(events)

    def _on_connection_changed(self, connected: bool, message: str) -> None:
        if connected:
            self._set_connection_text(self.tr("Connected"), theme.OK, message)
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
        self.clock_label.setText(QDateTime.currentDateTime().toString("HH:mm:ss  dd/MM/yyyy"))

    # The log follows the newest event while the officer is at the bottom, and holds still
    # while they scroll up to read (new rows, a resize, must not yank the view away).
    def _on_log_scrolled(self, value: int) -> None:
        self._follow_bottom = value >= self.event_view.verticalScrollBar().maximum()

    def _on_log_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow_bottom:
            self.event_view.verticalScrollBar().setValue(maximum)
