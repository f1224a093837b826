"""What the console's status bar shows: where the console is connected (database, live
feed), as whom, on which console, the time, and the commands still waiting for the database.

It fills the main window's own QStatusBar (PySide6's setStatusBar() leaves the window's
default bar behind as a hidden orphan, so the bar is not replaced by a subclass)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QStatusBar, QToolButton

from ..core.commands import Command
from ..core.model import Actor
from . import theme
from .elided_label import ElidedLabel
from .labels import database_mode_label, role_label
from .session import WAITING_MARK, ConsoleCommands, DatabaseUrl

WAITING_TEXT_PX = 300  # the status bar's waiting commands (fits beside a lost connection)


def _tr(text: str) -> str:
    # the main window's context: these texts were the window's before the bar had a class
    return QCoreApplication.translate("MainWindow", text)


class ConsoleStatus:
    def __init__(self, bar: QStatusBar, url: DatabaseUrl, actor: Actor, display_name: str,
                 *, demo: bool) -> None:
        bar.setSizeGripEnabled(False)
        # the mode stays readable however long the database path is
        self.db_label = ElidedLabel(f"{database_mode_label(url)} · ", url.display)
        self.db_label.setObjectName("db_label")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connection_label")
        self.set_connection_text(_tr("Connecting…"), theme.WARN, "")
        role = role_label(actor.role)
        who = display_name if display_name == actor.name else (
            f"{display_name} ({actor.name})")
        self.user_label = QLabel(f"{who} — {role}")
        self.user_label.setObjectName("user_label")
        self.user_label.setToolTip(_tr("Logged-in user and role"))
        self.console_label = QLabel(_tr("Console: {name}").format(name=actor.console))
        self.console_label.setObjectName("console_label")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock_label")

        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.user_label)
        self.demo_badge: QLabel | None = None
        if demo:
            self.demo_badge = QLabel(_tr("DEMO"))
            self.demo_badge.setObjectName("demo_badge")
            self.demo_badge.setToolTip(_tr("Demo mode: practice data, not real"))
            bar.addPermanentWidget(self.demo_badge)
        bar.addPermanentWidget(self.console_label)
        bar.addPermanentWidget(self.clock_label)

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
        # permanent (a refusal shown in the bar must not hide it), left of the connection;
        # index 1: after the database label, the bar's one normal widget
        bar.insertPermanentWidget(1, self.waiting_button)

    def set_connected(self, connected: bool, message: str) -> None:
        if connected:
            self.set_connection_text(_tr("Connected"), theme.OK, message)
        else:
            self.set_connection_text(_tr("Connection lost — reconnecting…"), theme.ALARM,
                                     message, alarm=True)

    def set_connection_text(self, text: str, colour: str, detail: str,
                            *, alarm: bool = False) -> None:
        self.connection_label.setText("● " + text)
        self.connection_label.setToolTip(detail)
        style = f"color: {colour}; font-weight: bold;"
        if alarm:
            # a lost feed must be seen from across the room, not just read
            style = f"color: {theme.TEXT}; background: #8e2f2b; font-weight: bold;"
        self.connection_label.setStyleSheet(style)

    def show_time(self, now: QDateTime) -> None:
        self.clock_label.setText(now.toString("HH:mm:ss  dd/MM/yyyy"))

    def show_waiting(self, runner: ConsoleCommands,
                     on_cancel: Callable[[Command], None]) -> None:
        """What waits for the database, with a menu to cancel each one or send them now."""
        waiting = runner.waiting
        button = self.waiting_button
        button.setVisible(bool(waiting))
        menu = button.menu()
        menu.clear()
        if waiting:
            # how many and the oldest, in at most WAITING_TEXT_PX (the rest: tooltip, menu)
            text = f"{WAITING_MARK} " + runner.summary(limit=1)
            button.setText(button.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, WAITING_TEXT_PX))
            button.setToolTip(runner.summary())
            for n, entry in enumerate(waiting):
                act = menu.addAction(_tr("Cancel: {what}").format(
                    what=runner.describe(entry.command)))
                act.setObjectName(f"cancel_waiting_{n}")
                act.triggered.connect(
                    lambda _=False, cmd=entry.command: on_cancel(cmd))
            menu.addSeparator()
            act = menu.addAction(_tr("Send now"))
            act.setObjectName("send_waiting_now")
            act.triggered.connect(runner.retry_now)
