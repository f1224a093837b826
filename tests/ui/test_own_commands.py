"""A console knows its own commands at once, whatever its change feed is doing.

The feed is held on purpose here (its deliveries wait at a gate the test opens at the end),
so anything the console shows of its own orders can only come from the writes it made. An
order that follows another from the same console (D then E, even pressed before the first
write returned) is built on the state that console's own last write made; a refusal caused
by the officer's own earlier order says so and never reads "another console". SQLite and
PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role, UnitStatus
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.session.feed_bridge import FeedBridge

from .conftest import ADMIN, OFFICER
from .test_unit_board import board_row

WindowFactory = Callable[..., MainWindow]
OTHER = Actor("minh", Role.OPERATOR, "C2")
AT = (106.665, 10.838)


@pytest.fixture
def store(backend_store: EventStore) -> EventStore:
    """The window's store on SQLite and on PostgreSQL."""
    return backend_store


class HeldFeed:
    """Every change-feed delivery waits at a gate until ``release()``: the feed is as late
    as the test wants, and counts what it brought."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.delivered = 0
        original = FeedBridge._on_feed_events

        def held(bridge: FeedBridge, events: list[ev.StoredEvent]) -> None:
            while not self.gate.wait(0.05):
                if not bridge.running:  # the window closed (pytest-qt closes it first)
                    return
            self.delivered += len(events)
            original(bridge, events)

        monkeypatch.setattr(FeedBridge, "_on_feed_events", held)

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def held_feed(monkeypatch: pytest.MonkeyPatch) -> HeldFeed:
    return HeldFeed(monkeypatch)


def roster(store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("363-02", Force.TO_363, "p1")], ADMIN)
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, *AT, IncidentSource.PHONE,
                                   "p1", "Quang Trung", "đánh nhau"), OFFICER)


def kinds_of(store: EventStore, call_sign: str) -> list[str]:
    return [e.kind for e in store.events_of(ev.subject("unit", call_sign))
            if e.actor == OFFICER.name and e.console == OFFICER.console]


def shown(window: MainWindow, call_sign: str, status: UnitStatus) -> bool:
    return board_row(window.unit_board, call_sign)[1] == "● " + status.label


def test_d_then_e_with_the_feed_held(qtbot: QtBot, make_window: WindowFactory,
                                     store: EventStore, held_feed: HeldFeed) -> None:
    roster(store)
    window = make_window()
    board = window.unit_board
    board.ask_incident = lambda unit, incidents: "i-1"  # type: ignore[assignment,method-assign]
    board.tree.setFocus()
    board.select("363-01")

    # D, and once the board shows it, E: the board shows each from the console's own write
    qtbot.keyClick(board.tree, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: shown(window, "363-01", UnitStatus.DISPATCHED), timeout=5000)
    qtbot.keyClick(board.tree, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: shown(window, "363-01", UnitStatus.EN_ROUTE), timeout=5000)
    assert kinds_of(store, "363-01") == [ev.UNIT_DISPATCHED, ev.UNIT_EN_ROUTE]
    unit = window.live.state.unit("363-01")
    assert unit is not None and unit.version == store.projections().unit("363-01").version
    assert window.live.state.last_seq == store.head()[0]
    assert "bàn trực khác" not in board.message_label.text()

    # D and E given one after the other before the first write could return: both built on
    # the state the officer saw; the second is held and built on what the first made
    seen = window.live.state.unit("363-02")
    assert seen is not None
    board.dispatch(seen, "i-1")
    board.change_status(seen, UnitStatus.EN_ROUTE)
    qtbot.waitUntil(lambda: shown(window, "363-02", UnitStatus.EN_ROUTE), timeout=5000)
    assert kinds_of(store, "363-02") == [ev.UNIT_DISPATCHED, ev.UNIT_EN_ROUTE]
    assert "bàn trực khác" not in board.message_label.text()
    assert not window.runner.waiting

    # all of it before the feed brought a single event; once it does, nothing is doubled
    assert held_feed.delivered == 0
    head = store.head()[0]
    held_feed.release()
    qtbot.waitUntil(lambda: held_feed.delivered > 0 and window.event_model.rowCount() > 0,
                    timeout=5000)
    assert window.live.state.last_seq == head
    assert shown(window, "363-01", UnitStatus.EN_ROUTE)
    assert shown(window, "363-02", UnitStatus.EN_ROUTE)


def test_the_others_events_before_an_own_write_are_applied_first(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        held_feed: HeldFeed) -> None:
    """Another console's change committed before this console's own order: the own result
    arrives with a gap in front of it, which is read from the store, so the state never
    skips a decision."""
    roster(store)
    window = make_window()
    store.execute(c.SetUnitStatus("363-02", UnitStatus.OUT_OF_SERVICE, "đổ xăng"), OTHER)
    seen = window.live.state.unit("363-01")
    assert seen is not None
    window.unit_board.dispatch(seen, "i-1")
    qtbot.waitUntil(lambda: shown(window, "363-01", UnitStatus.DISPATCHED), timeout=5000)
    assert shown(window, "363-02", UnitStatus.OUT_OF_SERVICE)
    assert window.live.state.last_seq == store.head()[0]
    assert held_feed.delivered == 0


def test_a_refusal_caused_by_the_officers_own_order_says_so(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        held_feed: HeldFeed) -> None:
    roster(store)
    store.execute(c.DispatchUnit("i-1", "363-01"), OFFICER)
    window = make_window()
    seen = window.live.state.unit("363-01")
    assert seen is not None and seen.status is UnitStatus.DISPATCHED
    before = store.head()[0]
    # the incident cancelled (which frees its units), and at once the unit's order, given on
    # the board as it was a moment before
    window.runner.submit(c.CancelIncident("i-1", "báo nhầm"))
    window.unit_board.change_status(seen, UnitStatus.EN_ROUTE)
    board = window.unit_board
    qtbot.waitUntil(lambda: "363-01" in board.message_label.text()
                    and "Sending" not in board.message_label.text()
                    and "Đang gửi" not in board.message_label.text(), timeout=5000)
    text = board.message_label.text()
    assert "chính bạn" in text and "bàn trực này" in text, text
    assert "bàn trực khác" not in text and "C1" not in text
    # the cancel went through, the status order did not
    assert store.head()[0] > before
    assert kinds_of(store, "363-01")[-1] == ev.UNIT_AVAILABLE
    assert shown(window, "363-01", UnitStatus.AVAILABLE)


def test_a_conflict_with_another_console_names_it(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        held_feed: HeldFeed) -> None:
    roster(store)
    window = make_window()
    seen = window.live.state.unit("363-01")
    assert seen is not None
    store.execute(c.SetUnitExercise("363-01", True), ADMIN)  # at console C0, by quantri
    before = store.head()[0]
    window.unit_board.dispatch(seen, "i-1")
    board = window.unit_board
    qtbot.waitUntil(lambda: "quantri" in board.message_label.text(), timeout=5000)
    text = board.message_label.text()
    assert "C0" in text and "chính bạn" not in text, text
    assert store.head()[0] == before
