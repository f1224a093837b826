"""The main window as an officer sees it: status bar, live event log, lost connection."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.commands import AddWard, CreateUser
from gvcommand.core.events import StoredEvent
from gvcommand.core.model import Role
from gvcommand.store.event_store import EventStore
from gvcommand.ui.event_log_model import EventLogModel
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.theme import apply_dark_theme

from .conftest import ADMIN

WindowFactory = Callable[..., MainWindow]


def _rows(window: MainWindow) -> list[tuple[str, str]]:
    model = window.event_model
    return [(model.data(model.index(r, EventLogModel.KIND), EventLogModel.KIND_ROLE),
             model.data(model.index(r, EventLogModel.SUBJECT))) for r in range(model.rowCount())]


def test_title_is_vietnamese(make_window: WindowFactory) -> None:
    window = make_window(start=False)
    assert window.windowTitle() == "gvcommand — Trung tâm chỉ huy Công an Gò Vấp"


def test_status_bar_shows_database_user_role_console(
    make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window(start=False)
    db_text = window.db_label.full_text()
    assert db_text.startswith("SQLite (nhúng)")
    assert store.url.display in db_text
    assert window.user_label.text() == "Nguyễn Thị Lan (lan) — Chỉ huy trực"
    assert window.console_label.text() == "Máy trạm: C1"
    assert window.demo_badge is None
    assert re.fullmatch(r"\d\d:\d\d:\d\d  \d\d/\d\d/\d{4}", window.clock_label.text())
    # every status widget is really in the status bar, where the officer looks
    for label in (window.db_label, window.connection_label, window.user_label,
                  window.console_label, window.clock_label):
        assert label.isVisible()
        assert window.statusBar().isAncestorOf(label)


def test_connected_once_the_feed_runs(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(start=False)
    assert "Đang kết nối" in window.connection_label.text()
    window.start()
    qtbot.waitUntil(lambda: "Đã kết nối" in window.connection_label.text(), timeout=3000)


def test_new_event_appears_in_the_log(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: "Đã kết nối" in window.connection_label.text(), timeout=3000)
    store.execute(AddWard("p10", "Phường 10"), ADMIN)
    qtbot.waitUntil(lambda: ("ward.added", "ward:p10") in _rows(window), timeout=2000)
    store.execute(CreateUser("minh", Role.OPERATOR, "Trần Văn Minh"), ADMIN)
    qtbot.waitUntil(lambda: ("user.created", "user:minh") in _rows(window), timeout=2000)
    assert _rows(window)[-1] == ("user.created", "user:minh")  # newest at the bottom
    last = window.event_model.rowCount() - 1
    actor = window.event_model.data(window.event_model.index(last, EventLogModel.ACTOR))
    assert actor == "quantri"


def test_events_are_applied_on_the_main_thread(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    window = make_window(start=False)
    threads: list[threading.Thread] = []
    original = window.event_model.append_events

    def spy(events: list) -> None:  # type: ignore[type-arg]
        threads.append(threading.current_thread())
        original(events)

    window.event_model.append_events = spy  # type: ignore[method-assign]
    window.start()
    store.execute(AddWard("p1", "Phường 1"), ADMIN)
    qtbot.waitUntil(lambda: bool(threads), timeout=2000)
    assert all(t is threading.main_thread() for t in threads)


def test_starts_with_recent_history_only(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store.execute_many([AddWard(f"w{i}", f"Phường {i}") for i in range(30)], ADMIN)
    window = make_window(backlog=10)
    qtbot.waitUntil(lambda: window.event_model.rowCount() == 10, timeout=2000)
    assert window.event_model.event_at(0).seq == 21
    assert _rows(window)[-1] == ("ward.added", "ward:w29")


def test_lost_connection_is_shown(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: "Đã kết nối" in window.connection_label.text(), timeout=3000)
    connected_style = window.connection_label.styleSheet()
    # the way the feed reports it: from its own thread, through the bridge
    reporter = threading.Thread(target=window.bridge._on_feed_state,
                                args=(False, "lost the database: disk I/O error; reconnecting"))
    reporter.start()
    reporter.join()
    qtbot.waitUntil(lambda: "Mất kết nối" in window.connection_label.text(), timeout=2000)
    assert window.connection_label.text() == "● Mất kết nối — đang kết nối lại…"
    assert "disk I/O error" in window.connection_label.toolTip()
    assert window.connection_label.styleSheet() != connected_style
    window.bridge.connection_changed.emit(True, "connected")
    assert window.connection_label.text() == "● Đã kết nối"


def test_demo_mode_is_visible(make_window: WindowFactory) -> None:
    window = make_window(demo=True, start=False)
    assert window.demo_badge is not None and window.demo_badge.isVisible()
    assert window.demo_badge.text() == "DEMO"
    assert window.windowTitle().endswith("— DEMO")
    banner = window.findChild(type(window.demo_badge), "demo_banner")
    assert banner is not None and banner.isVisible()
    assert banner.text().startswith("CHẾ ĐỘ DEMO")


def test_english_interface(english: None, make_window: WindowFactory) -> None:
    window = make_window(start=False)
    assert window.windowTitle() == "gvcommand — Gò Vấp Police command centre"
    assert window.db_label.full_text().startswith("SQLite (embedded)")
    assert window.user_label.text() == "Nguyễn Thị Lan (lan) — Supervisor"
    assert window.connection_label.text() == "● Connecting…"


def test_geometry_is_restored(qtbot: QtBot, make_window: WindowFactory) -> None:
    first = make_window(start=False)
    first.resize(1234, 678)
    qtbot.waitUntil(lambda: first.size().width() == 1234)
    first.close()

    second = make_window(start=False)
    assert (second.width(), second.height()) == (1234, 678)


def test_close_stops_the_feed(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.bridge.running, timeout=2000)
    window.close()
    assert not window.bridge.running


def test_log_follows_the_newest_event_unless_scrolled_up(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    store.execute_many([AddWard(f"w{i}", f"Phường {i}") for i in range(80)], ADMIN)
    window = make_window()
    view = window.event_view
    qtbot.waitUntil(lambda: window.event_model.rowCount() == 80, timeout=2000)

    def last_row_visible() -> bool:
        shown = view.model()  # the dock's filter in front of the log
        last = shown.index(shown.rowCount() - 1, 0)
        return view.viewport().rect().intersects(view.visualRect(last))

    qtbot.waitUntil(last_row_visible, timeout=1000)
    store.execute(AddWard("moi", "Phường mới"), ADMIN)
    qtbot.waitUntil(lambda: window.event_model.rowCount() == 81, timeout=2000)
    qtbot.waitUntil(last_row_visible, timeout=1000)

    view.verticalScrollBar().setValue(0)  # the officer scrolls up to read
    store.execute(AddWard("moi2", "Phường mới 2"), ADMIN)
    qtbot.waitUntil(lambda: window.event_model.rowCount() == 82, timeout=2000)
    assert view.verticalScrollBar().value() == 0


def test_dark_theme_has_no_glaring_white(qapp: QApplication, make_window: WindowFactory) -> None:
    apply_dark_theme(qapp)
    try:
        window = make_window(start=False)
        window.event_model.append_events(
            [StoredEvent(i, 1_700_000_000_000_000, "lan", "C1", "ward.added", f"ward:p{i}",
                         "{}", "0" * 64, "f" * 64) for i in range(1, 20)])
        image = window.grab().toImage()
        lightness = Counter()
        for y in range(0, image.height(), 7):
            for x in range(0, image.width(), 7):
                lightness[QColor(image.pixel(x, y)).lightness() // 32] += 1
        total = sum(lightness.values())
        dark = sum(n for bucket, n in lightness.items() if bucket <= 2)  # lightness < 96
        assert dark / total > 0.85, lightness
        assert lightness[7] / total < 0.01, "large pure-white areas"  # lightness ≥ 224
    finally:
        qapp.setStyleSheet("")
        qapp.setPalette(qapp.style().standardPalette())
