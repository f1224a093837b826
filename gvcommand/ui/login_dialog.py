"""The login dialog: user name and password, checked against the store, retry on failure."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import DomainError
from .labels import database_mode_label
from .session import Database, DatabaseError
from .session import login as auth

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Accepts once :func:`auth.login` succeeds; :attr:`session` then holds the session.

    The password check runs on the main thread: argon2 takes ~50 ms, less than a frame
    drop anyone would notice, and a login has nothing else to show meanwhile.
    """

    def __init__(self, store: Database, console: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._console = console
        self.session: auth.Session | None = None
        self.setWindowTitle(self.tr("gvcommand — Log in"))
        self.setMinimumWidth(440)

        title = QLabel(self.tr("Gò Vấp Police command centre"))
        title.setObjectName("login_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)

        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("login_user")
        self.user_edit.setPlaceholderText(self.tr("e.g. nguyenvana"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("login_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.user_edit)
        form.addRow(self.tr("Password:"), self.password_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("login_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        info = QLabel(self.tr("Console {console} · {mode}: {url}").format(
            console=console, mode=database_mode_label(store.url), url=store.url.display))
        info.setObjectName("login_info")
        info.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        # our own texts: Qt ships no Vietnamese catalogue for its standard buttons
        self.login_button = self.buttons.addButton(self.tr("Log in"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Quit"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self._on_login_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(info)
        layout.addWidget(self.buttons)
        self.user_edit.setFocus()

    def _on_login_clicked(self) -> None:
        name = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not name or not password:
            self._show_error(self.tr("Enter your user name and password."))
            return
        try:
            self.session = auth.login(self._store, name, password, self._console)
        except auth.WrongPassword as exc:
            self._fail(self.tr(
                "Wrong user name or password. %n attempt(s) left before the account is "
                "locked for {minutes} minutes.", "", exc.remaining,
            ).format(minutes=auth.LOCKOUT_S // 60))
        except auth.AccountLocked as exc:
            until = datetime.fromtimestamp(exc.until_us / 1_000_000).strftime("%H:%M:%S")
            self._fail(self.tr(
                "This account is locked after too many failed attempts until {time}. Wait, or "
                "ask an administrator to set a new password.").format(time=until))
        except auth.AccountDisabled:
            self._fail(self.tr("This account is disabled; ask an administrator."))
        except (DomainError, DatabaseError) as exc:
            # the store's messages are in English and name what to do; better than nothing
            log.warning("login failed: %s", exc)
            self._fail(str(exc))
        else:
            log.info("user %s logged in", self.session.user.name)
            self.accept()

    def _fail(self, message: str) -> None:
        self.password_edit.clear()
        self.password_edit.setFocus()
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
