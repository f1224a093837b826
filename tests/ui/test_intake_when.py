"""When an incident happened, as the officer types it in the intake: minutes ago, a time of
day (yesterday when it is still to come), a day and a time; refused clearly otherwise. The
incident is recorded with that time (statistics count it), received at the report's time."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gvcommand.geo.editions import VIETNAM_TZ
from gvcommand.store.event_store import EventStore
from gvcommand.ui.intake_when import MAX_PAST_DAYS, parse_happened
from gvcommand.ui.main_window import MainWindow

from .test_incidents import LAT0, LON0, setup_area

WindowFactory = Callable[..., MainWindow]
NOW = dt.datetime(2026, 11, 28, 6, 30, 15, tzinfo=VIETNAM_TZ)
NOW_US = int(NOW.timestamp() * 1_000_000)


def at(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=VIETNAM_TZ).timestamp() * 1_000_000)


@pytest.mark.parametrize(("text", "expected"), [
    ("40", NOW_US - 40 * 60_000_000),
    (" 0 ", NOW_US),
    ("21:40", at(2026, 11, 27, 21, 40)),  # still to come today: last night
    ("6:20", at(2026, 11, 28, 6, 20)),
    ("06h20", at(2026, 11, 28, 6, 20)),
    ("06:31", NOW_US),  # a minute ahead: a console clock a little slow, not yesterday
    ("06:45", at(2026, 11, 27, 6, 45)),
    ("27/11 21:40", at(2026, 11, 27, 21, 40)),
    ("21.40 27/11", at(2026, 11, 27, 21, 40)),
    ("30/10/2026 08:05", at(2026, 10, 30, 8, 5)),
])
def test_what_officers_type(text: str, expected: int) -> None:
    assert parse_happened(text, NOW_US) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("hôm qua", "not understood"),
    ("21:40:10", "not understood"),
    ("25:10", "not a valid day or time"),
    ("31/02 10:00", "not a valid day or time"),
    ("28/11 07:00", "still to come"),
    ("1/1/2026 10:00", f"more than {MAX_PAST_DAYS} days ago"),
    (str(MAX_PAST_DAYS * 1440 + 1), f"more than {MAX_PAST_DAYS} days ago"),
    ("9" * 30, "not a valid day or time"),
])
def test_what_is_refused(text: str, words: str, english: None) -> None:
    with pytest.raises(ValueError, match=words):
        parse_happened(text, NOW_US)


def test_an_incident_reported_after_the_fact(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    window = make_window()
    intake = window.open_intake()
    intake.set_location(LON0 + 0.004, LAT0 + 0.004, "test")
    qtbot.keyClicks(intake.when_edit, "abc")
    assert "hiểu" in intake.when_label.text()  # told at once, in Vietnamese
    qtbot.keyClick(intake.ok_button, Qt.Key.Key_Space)
    assert intake.isVisible() and intake.error_label.isVisible()
    intake.when_edit.clear()
    qtbot.keyClicks(intake.when_edit, "45")
    assert "45" in intake.when_label.text()
    before = time.time_ns() // 1000
    qtbot.keyClick(intake.ok_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(store.projections().incidents) == 1, timeout=5000)
    [inc] = store.projections().incidents.values()
    minutes_before_recorded = (inc.created_us - inc.occurred_us) / 60e6
    assert 45 <= minutes_before_recorded < 46 + (inc.created_us - before) / 60e6
