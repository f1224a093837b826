"""The incidents' time window chosen in the layers panel, a custom period included: what
the officer picks is what the map draws."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import Force, IncidentSource, IncidentType
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow

from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]
DAY_US = 86_400_000_000


def _incident(ident: str, occurred: QDateTime) -> c.CreateIncident:
    return c.CreateIncident(ident, IncidentType.THEFT, 3, 106.662, 10.836, IncidentSource.PHONE,
                            "p1", "Quang Trung", "mất xe", occurred.toMSecsSinceEpoch() * 1000)


def test_custom_period_filters_the_incidents(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    now = QDateTime.currentDateTime()
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1")],
                       ADMIN)
    store.execute_many([_incident("ten-days-ago", now.addDays(-10)),
                        _incident("three-days-ago", now.addDays(-3)),
                        _incident("an-hour-ago", now.addSecs(-3600))], OFFICER)
    window = make_window()
    qtbot.waitUntil(lambda: len(window.map.incidents.shown_ids()) == 3, timeout=3000)
    dock = window.layers_dock
    assert not dock.custom_box.isVisibleTo(dock)
    custom = dock.time_combo.findData("custom")
    assert dock.time_combo.itemText(custom) == "Khoảng thời gian tùy chọn…"
    dock.time_combo.setCurrentIndex(custom)
    assert dock.custom_box.isVisibleTo(dock)
    # the default custom period is the last 24 hours, applied at once
    assert window.map.incidents.shown_ids() == ["an-hour-ago"]
    dock.custom_from.setDateTime(now.addDays(-12))
    dock.custom_to.setDateTime(now.addDays(-2))
    assert window.map.incidents.shown_ids() == ["an-hour-ago"]  # not before Apply
    dock.custom_apply.click()
    assert sorted(window.map.incidents.shown_ids()) == ["ten-days-ago", "three-days-ago"]
    t0, t1 = window.map.incidents.window or (0, 0)
    assert t1 - t0 == 10 * DAY_US
    # the clock does not slide a custom period
    window._on_clock_tick()
    assert window.map.incidents.window == (t0, t1)
    # back to a preset
    dock.time_combo.setCurrentIndex(dock.time_combo.findData("7d"))
    assert not dock.custom_box.isVisibleTo(dock)
    assert sorted(window.map.incidents.shown_ids()) == ["an-hour-ago", "three-days-ago"]


def test_an_inverted_period_is_refused_and_changes_nothing(
    make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window(start=False)
    dock = window.layers_dock
    dock.time_combo.setCurrentIndex(dock.time_combo.findData("custom"))
    before = window.map.incidents.window
    assert before is not None
    now = QDateTime.currentDateTime()
    dock.custom_from.setDateTime(now)
    dock.custom_to.setDateTime(now.addDays(-1))
    dock.custom_apply.click()
    assert dock.custom_error.text() == "Thời điểm bắt đầu phải trước thời điểm kết thúc."
    assert window.map.incidents.window == before
    assert dock.custom_window == before
