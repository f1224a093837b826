"""Every kind of event has a name in the event log, and the camera kinds read in Vietnamese
(the live-view audit is read by auditors in the dock)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from gvcommand.core import events as ev
from gvcommand.ui.event_log_model import KIND_LABELS


def test_every_event_kind_is_named() -> None:
    assert set(ev.PAYLOADS) <= set(KIND_LABELS), sorted(set(ev.PAYLOADS) - set(KIND_LABELS))


def test_camera_kinds_in_vietnamese(vietnamese: QTranslator) -> None:
    expected = {
        ev.CAMERA_UPDATED: "Sửa thông tin camera",
        ev.CAMERA_RETIRED: "Ngừng sử dụng camera",
        ev.CAMERA_VIEW_STARTED: "Bắt đầu xem camera",
        ev.CAMERA_VIEW_STOPPED: "Kết thúc xem camera",
    }
    for kind, words in expected.items():
        assert QCoreApplication.translate("EventLogDock", KIND_LABELS[kind]) == words
