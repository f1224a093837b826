"""The login dialog: wrong password shows what is left and lets the officer retry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from gvcommand.core.commands import CreateUser
from gvcommand.core.model import Role
from gvcommand.store import auth
from gvcommand.store.event_store import EventStore
from gvcommand.ui.login_dialog import LoginDialog

from .conftest import ADMIN

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def dialog(qtbot: QtBot, store: EventStore) -> Iterator[LoginDialog]:
    store.execute(CreateUser("lan", Role.SUPERVISOR, "Nguyễn Thị Lan"), ADMIN)
    auth.set_password(store, "lan", PASSWORD, ADMIN)
    dlg = LoginDialog(store, "C1")
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg


def _try(qtbot: QtBot, dlg: LoginDialog, name: str, password: str) -> None:
    dlg.user_edit.setText(name)
    dlg.password_edit.setText(password)
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)


def test_labels_are_vietnamese(dialog: LoginDialog) -> None:
    assert dialog.windowTitle() == "gvcommand — Đăng nhập"
    assert dialog.login_button.text() == "Đăng nhập"
    assert dialog.cancel_button.text() == "Thoát"
    assert not dialog.error_label.isVisible()


def test_wrong_password_shows_attempts_left_and_stays_open(
    qtbot: QtBot, dialog: LoginDialog
) -> None:
    _try(qtbot, dialog, "lan", "sai-mat-khau")
    assert dialog.isVisible()
    assert dialog.session is None
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == (
        "Sai tên đăng nhập hoặc mật khẩu. Còn 4 lần thử trước khi tài khoản bị khoá 5 phút.")
    assert dialog.password_edit.text() == ""  # cleared for the next try
    assert dialog.user_edit.text() == "lan"

    _try(qtbot, dialog, "lan", "sai-nua")
    assert "Còn 3 lần thử" in dialog.error_label.text()

    _try(qtbot, dialog, "lan", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.session is not None
    assert dialog.session.actor.name == "lan"
    assert dialog.session.actor.role is Role.SUPERVISOR
    assert dialog.session.actor.console == "C1"


def test_lockout_is_explained(qtbot: QtBot, dialog: LoginDialog) -> None:
    for _ in range(auth.MAX_FAILED_ATTEMPTS):
        _try(qtbot, dialog, "lan", "sai-mat-khau")
    assert "Tài khoản bị khoá đến" in dialog.error_label.text()
    _try(qtbot, dialog, "lan", PASSWORD)  # even the right password waits out the lock
    assert dialog.isVisible() and dialog.session is None
    assert "bị khoá" in dialog.error_label.text()


def test_unknown_user_looks_like_a_wrong_password(qtbot: QtBot, dialog: LoginDialog) -> None:
    _try(qtbot, dialog, "khongco", "gi-cung-duoc")
    assert dialog.error_label.text().startswith("Sai tên đăng nhập hoặc mật khẩu.")


def test_empty_fields_are_asked_for(qtbot: QtBot, dialog: LoginDialog) -> None:
    _try(qtbot, dialog, "", "")
    assert dialog.error_label.text() == "Hãy nhập tên đăng nhập và mật khẩu."
    assert dialog.isVisible()


def test_cancel_rejects(qtbot: QtBot, dialog: LoginDialog) -> None:
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.session is None


def test_english(english: None, qtbot: QtBot, dialog: LoginDialog) -> None:
    assert dialog.windowTitle() == "gvcommand — Log in"
    _try(qtbot, dialog, "lan", "sai-mat-khau")
    assert dialog.error_label.text() == (
        "Wrong user name or password. 4 attempt(s) left before the account is locked for "
        "5 minutes.")
