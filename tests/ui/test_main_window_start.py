"""The start of the main window: the map is complete at its first paint, and the work it does
not need (the feed and the event log's backlog) follows right after."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import IncidentSource, IncidentType
from gvcommand.map import style
from gvcommand.store.event_store import EventStore
from gvcommand.ui import main_window
from gvcommand.ui.main_window import MainWindow

from .conftest import ADMIN, OFFICER, OFFICER_NAME, open_session
from .test_main_window_map import LAT0, LON0, STEP, store_editions

WindowFactory = Callable[..., MainWindow]


def test_the_first_paint_shows_the_wards_and_the_open_incidents(
    qtbot: QtBot, store: EventStore, settings: QSettings
) -> None:
    store_editions(store)
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, LON0 + STEP / 2,
                                   LAT0 + STEP / 2, IncidentSource.PHONE, None, "Quang Trung",
                                   "đánh nhau"), OFFICER)
    seen: dict[str, object] = {}

    def on_first_paint() -> None:
        seen["incidents"] = window.map.incidents.shown_ids()
        seen["wards"] = list(window.map.wards.labels.texts)
        seen["image"] = window.grab().toImage()

    window = MainWindow(open_session(store, OFFICER, settings), display_name=OFFICER_NAME,
                        owns_session=True)
    qtbot.addWidget(window)
    window.first_map_paint.connect(on_first_paint)
    window.show()
    qtbot.waitUntil(lambda: "image" in seen, timeout=3000)
    assert seen["incidents"] == ["i-1"]
    assert seen["wards"] == ["Phường 1", "Phường 2", "Phường 3", "Phường 4"]
    image = seen["image"]
    border = window.map.mapTo(window, window.map.lonlat_to_widget(LON0 + STEP, LAT0 + STEP / 2))
    colours = [QColor(image.pixel(border.x() + dx, border.y())) for dx in (-1, 0, 1)]  # type: ignore[attr-defined]
    assert any(abs(col.blue() - QColor(style.WARD_OUTLINE).blue()) < 50
               and col.lightness() > 90 for col in colours), [col.name() for col in colours]
    window.close()


def test_the_feed_and_the_event_log_follow_the_first_paint(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store.execute_many([c.AddWard(f"w{i}", f"Phường {i}") for i in range(12)], ADMIN)
    order: list[str] = []
    window = make_window(start=False)
    window.first_map_paint.connect(lambda: order.append("paint"))
    window.bridge.connection_changed.connect(lambda ok, _msg: order.append(f"feed {ok}"))
    window.start()
    assert not window.bridge.running  # not before the map is painted
    assert window.event_model.rowCount() == 0
    qtbot.waitUntil(lambda: window.event_model.rowCount() == 12, timeout=3000)
    qtbot.waitUntil(lambda: "Đã kết nối" in window.connection_label.text(), timeout=3000)
    assert order == ["paint", "feed True"]
    assert window.bridge.running


def test_a_window_that_is_never_painted_starts_its_feed_anyway(
    qtbot: QtBot, store: EventStore, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window, "FEED_LATEST_START_MS", 50)
    store.execute(c.AddWard("p1", "Phường 1"), ADMIN)
    # never shown (e.g. minimised)
    window = MainWindow(open_session(store, OFFICER, settings), owns_session=True)
    qtbot.addWidget(window)
    try:
        window.start()
        qtbot.waitUntil(lambda: window.event_model.rowCount() == 1, timeout=3000)
        assert window.bridge.running
    finally:
        window.shutdown()
    assert not window.bridge.running


def test_a_window_closed_before_its_first_paint_never_starts_the_feed(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window, "FEED_LATEST_START_MS", 20)
    window = make_window()  # shown and started, not painted yet
    window.close()
    qtbot.wait(100)  # past the fallback and any pending paint
    assert not window.bridge.running
