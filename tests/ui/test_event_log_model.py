"""The event log model: order, duplicates, the memory cap, local time, translated headers."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt

from gvcommand.core.events import StoredEvent
from gvcommand.ui.event_log_model import EventLogModel, format_local_time


def _event(seq: int, kind: str = "ward.added") -> StoredEvent:
    ts_us = 1_700_000_000_000_000 + seq * 1_000_000
    return StoredEvent(seq, ts_us, "lan", "C1", kind, f"ward:{seq}", '{"name":"Phường 1"}',
                       "0" * 64, "f" * 64)


def _column(model: EventLogModel, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_rows_in_order_newest_at_the_bottom() -> None:
    model = EventLogModel()
    model.append_events([_event(1), _event(2)])
    model.append_events([_event(3)])
    assert _column(model, EventLogModel.SEQ) == ["1", "2", "3"]
    assert model.data(model.index(2, EventLogModel.SUBJECT)) == "ward:3"
    assert model.data(model.index(0, EventLogModel.ACTOR)) == "lan"
    assert model.data(model.index(0, EventLogModel.CONSOLE)) == "C1"
    assert model.data(model.index(0, EventLogModel.KIND), EventLogModel.KIND_ROLE) == (
        "ward.added")
    # the column says what happened in the interface's language (these tests: English)
    assert model.data(model.index(0, EventLogModel.KIND)) in ("Ward added", "Thêm phường")
    assert model.data(model.index(0, EventLogModel.KIND), Qt.ItemDataRole.ToolTipRole) == (
        '{"name":"Phường 1"}')


def test_events_already_shown_are_not_added_again() -> None:
    model = EventLogModel()
    model.append_events([_event(1), _event(2)])
    model.append_events([_event(2), _event(3)])
    assert _column(model, EventLogModel.SEQ) == ["1", "2", "3"]
    assert model.last_seq == 3


def test_cap_drops_the_oldest_rows() -> None:
    model = EventLogModel(cap=5)
    model.append_events([_event(i) for i in range(1, 5)])
    model.append_events([_event(i) for i in range(5, 9)])
    assert _column(model, EventLogModel.SEQ) == ["4", "5", "6", "7", "8"]
    model.append_events([_event(i) for i in range(9, 30)])  # one batch larger than the cap
    assert _column(model, EventLogModel.SEQ) == ["25", "26", "27", "28", "29"]


def test_time_is_local_hours_then_day_month() -> None:
    ts_us = 1_700_000_000_123_456
    text = format_local_time(ts_us)
    assert re.fullmatch(r"\d\d:\d\d:\d\d \d\d/\d\d", text)
    local = datetime.fromtimestamp(ts_us / 1e6)
    assert text == f"{local:%H:%M:%S} {local:%d/%m}"


def test_headers_are_vietnamese_by_default() -> None:
    model = EventLogModel()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["STT", "Thời gian", "Người thực hiện", "Máy trạm", "Sự kiện",
                       "Đối tượng"]


def test_headers_in_english(english: None) -> None:
    model = EventLogModel()
    assert model.headerData(EventLogModel.KIND, Qt.Orientation.Horizontal) == "Event"
