"""Orders survive a lost database, on SQLite and PostgreSQL, through the real window.

The console has one command path (one writer thread). A command that meets a lost database
waits, in order, and is sent again when the database returns: the board marks the unit, the
status bar says what waits, and the officer may cancel it. A retry of an order that did land
is recognised (not refused, not doubled); an order overtaken by another console's change is
refused naming who; an order that could not be sent in time is dropped with the reason.

The database is really lost: PostgreSQL refuses connections to the test database and its
backends are terminated (in one test while the dispatch is inside its transaction); SQLite's
engine is pointed at a file that cannot be opened. Only "the write landed but the answer was
lost" is simulated, since no real failure can be timed to hit between commit and reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role, UnitStatus
from gvcommand.store import open_store
from gvcommand.store.db import StoreUnavailable
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.session import SETTINGS_STALE, WRITER_NAME, ConsoleCommands

from .._screenshots import screenshot_path
from ..store.conftest import PgServer
from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]
OTHER = Actor("minh", Role.OPERATOR, "C2")
AT = (106.665, 10.838)


@pytest.fixture(autouse=True)
def _close_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that fails with commands still waiting must not hang on the close question."""
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *_a: QMessageBox.StandardButton.Yes)



@pytest.fixture
def store(backend_store: EventStore) -> EventStore:
    """The window's store on SQLite and on PostgreSQL."""
    return backend_store


class Outage:
    """The database goes away and comes back, for real."""

    def __init__(self, store: EventStore, pg: PgServer | None, tmp_path: Path) -> None:
        self.store, self.pg, self.tmp_path = store, pg, tmp_path
        self.db = make_url(store.engine.url).database or ""
        self._engine = store.engine
        self.down = False

    def begin(self, *, this_console_only: bool = False) -> None:
        """Lose the database: SQLite's file cannot be opened (its volume is gone);
        PostgreSQL refuses connections to it and ends its sessions, or, for this console
        only, the console's engine points at a port where no server listens (its network
        link is cut while other consoles go on)."""
        self.down = True
        if self.pg is None:
            self.store.engine = create_engine(f"sqlite:///{self.tmp_path}/gone/t.sqlite")
            return
        if this_console_only:
            self.store.engine = create_engine(
                "postgresql+psycopg://postgres@127.0.0.1:9/gone",
                connect_args={"connect_timeout": 2})
            return
        with self.pg.admin_conn() as conn:
            conn.execute(f'ALTER DATABASE "{self.db}" ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s", (self.db,))

    def end(self) -> None:
        if not self.down:
            return
        self.down = False
        if self.store.engine is not self._engine:
            self.store.engine.dispose()
            self.store.engine = self._engine
            return
        assert self.pg is not None
        with self.pg.admin_conn() as conn:
            conn.execute(f'ALTER DATABASE "{self.db}" ALLOW_CONNECTIONS true')


@pytest.fixture
def outage(store: EventStore, backend: str, tmp_path: Path,
           request: pytest.FixtureRequest) -> Iterator[Outage]:
    pg = request.getfixturevalue("pg") if backend == "postgresql" else None
    o = Outage(store, pg, tmp_path)
    yield o
    o.end()


def roster(store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("363-02", Force.TO_363, "p1")], ADMIN)
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, *AT, IncidentSource.PHONE,
                                   "p1", "Quang Trung", "đánh nhau"), OFFICER)


def unit_events(store: EventStore, call_sign: str, kind: str) -> list[ev.StoredEvent]:
    return [e for e in store.events_of(ev.subject("unit", call_sign)) if e.kind == kind]


def status_cell(window: MainWindow, call_sign: str) -> str:
    return window.unit_board._items[call_sign].text(1)


def slow_retries(window: MainWindow) -> ConsoleCommands:
    """Retries only when the test says (the timer would race the test's steps)."""
    runner = window.runner
    runner._retry.setInterval(600_000)
    return runner


def test_a_dispatch_waits_out_a_lost_database_and_is_recorded_once(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage,
        backend: str) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    board = window.unit_board
    unit = window.live.state.unit("363-01")
    assert unit is not None
    blocker = None
    if outage.pg is not None:
        # PostgreSQL: lost in the middle of the dispatch, while its transaction waits for
        # the chain head that another session holds
        blocker = psycopg.connect(outage.pg.libpq(outage.db))
        blocker.execute("SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE")
        board.dispatch(unit, "i-1")

        def writer_waits() -> bool:
            with outage.pg.admin_conn() as conn:  # type: ignore[union-attr]
                row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                   "AND wait_event_type = 'Lock'", (outage.db,)).fetchone()
            return bool(row and row[0])

        qtbot.waitUntil(writer_waits, timeout=5000)
        outage.begin()
    else:
        outage.begin()
        board.dispatch(unit, "i-1")
    try:
        qtbot.waitUntil(lambda: bool(runner.waiting), timeout=10_000)
        # the officer sees it: the row, the board's message, the status bar
        assert "◷ chờ gửi" in status_cell(window, "363-01")
        assert "363-01" in board.message_label.text()
        assert "bộ đàm" in board.message_label.text()  # told what happens after 2 min
        button = window.waiting_button
        assert button.isVisible()
        assert button.text() == "◷ 1 lệnh chờ gửi: điều động 363-01 → #1"
        # shown whole, not elided to "…" (the database label gives way)
        qtbot.waitUntil(lambda: button.width() >= button.sizeHint().width(), timeout=3000)
        window.units_dock.raise_()
        window.grab().save(screenshot_path(f"gv_dispatch_waiting_{backend}.png"))
        # a second order for the same unit is not stacked on the waiting one
        board.change_status(unit, UnitStatus.EN_ROUTE)
        assert "đã có lệnh đang chờ gửi" in board.message_label.text()
        assert len(runner.waiting) == 1
        runner.retry_now()  # still down: it keeps waiting
        qtbot.waitUntil(lambda: not runner.waiting[0].in_flight, timeout=10_000)
        assert len(runner.waiting) == 1 and runner.waiting[0].attempts == 2
    finally:
        if blocker is not None:
            blocker.close()
        outage.end()
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=10_000)
    assert len(unit_events(store, "363-01", ev.UNIT_DISPATCHED)) == 1
    assigned = [e for e in store.events_of(ev.subject("incident", "i-1"))
                if e.kind == ev.INCIDENT_UNIT_ASSIGNED]
    assert len(assigned) == 1 and assigned[0].actor == OFFICER.name
    assert store.verify().ok
    qtbot.waitUntil(lambda: status_cell(window, "363-01")
                    == "● " + UnitStatus.DISPATCHED.label, timeout=10_000)
    assert not window.waiting_button.isVisible()


def test_a_retry_of_an_order_that_landed_is_recognised(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    real = store.execute_group
    lost_answers = {"n": 1}

    def answer_lost(items: object) -> object:
        out = real(items)  # type: ignore[arg-type]
        if lost_answers["n"]:  # committed, but the reply never reached the console
            lost_answers["n"] -= 1
            raise StoreUnavailable("lost the database while writing")
        return out

    store.execute_group = answer_lost  # type: ignore[method-assign]
    refused: list[str] = []
    done: list[object] = []
    runner.refused.connect(lambda _c, text: refused.append(text))
    runner.done.connect(lambda cmd, result: done.append((cmd, result)))
    unit = window.live.state.unit("363-01")
    assert unit is not None
    window.unit_board.dispatch(unit, "i-1")
    qtbot.waitUntil(lambda: bool(runner.waiting), timeout=5000)
    # it landed: the log has it, the console does not know
    assert len(unit_events(store, "363-01", ev.UNIT_DISPATCHED)) == 1
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=5000)
    assert refused == []
    assert len(done) == 1 and done[0][1] is None  # type: ignore[index]  # an earlier try
    assert len(unit_events(store, "363-01", ev.UNIT_DISPATCHED)) == 1
    assert window.unit_board.message_label.text() == "Đã thực hiện: 363-01."
    # a drill switch (a versioned order too, its event after a release)
    spare = window.live.state.unit("363-02")
    assert spare is not None
    lost_answers["n"] = 1
    runner.submit(c.SetUnitExercise("363-02", True, expected_version=spare.version))
    qtbot.waitUntil(lambda: bool(runner.waiting), timeout=5000)
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=5000)
    assert refused == [] and done[-1][1] is None  # type: ignore[index]
    assert len(unit_events(store, "363-02", ev.UNIT_EXERCISE_CHANGED)) == 1
    # reports and notes: the same for records (the id, or the note found in the log)
    # and a live view's audit record (the view id the console made)
    real(  # type: ignore[operator]
        [(c.AddCamera("CAM-01", "Chợ Gò Vấp", *AT), ADMIN)])
    report = c.CreateIncident("i-2", IncidentType.THEFT, 3, *AT, IncidentSource.PHONE, "p1")
    note = c.AddIncidentNote("i-1", "người gọi báo thêm: 2 xe máy")
    view = c.StartLiveView("CAM-01", "view-0001-abcd", purpose="vụ #1")
    lost_answers["n"] = 3
    for command in (report, note, view):
        # each one's answer is lost; each new one also resends those waiting before it
        runner.submit(command)
        qtbot.waitUntil(lambda: not any(e.in_flight for e in runner._entries), timeout=5000)
    assert lost_answers["n"] == 0 and runner.pending == [view]
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=5000)
    notes = [e for e in store.events_of(ev.subject("incident", "i-1"))
             if e.kind == ev.INCIDENT_NOTE_ADDED]
    assert len(notes) == 1 and store.projections().incident("i-2") is not None
    assert len(store.events_of(ev.subject("camera_view", "CAM-01"))) == 1
    assert refused == []


def test_an_order_overtaken_while_waiting_is_refused_naming_who(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    unit = window.live.state.unit("363-01")
    assert unit is not None
    outage.begin(this_console_only=True)
    window.unit_board.dispatch(unit, "i-1")
    qtbot.waitUntil(lambda: bool(runner.waiting), timeout=10_000)
    # while the order waits, another console takes 363-01 off duty
    other = open_store(outage._engine.url.render_as_string(hide_password=False), upgrade=False)
    try:
        other.execute(c.SetUnitStatus("363-01", UnitStatus.OUT_OF_SERVICE, "đổ xăng"), OTHER)
    finally:
        other.engine.dispose()
    outage.end()
    runner.retry_now()
    board = window.unit_board
    qtbot.waitUntil(lambda: not runner.waiting, timeout=10_000)
    text = board.message_label.text()
    assert text.startswith("Không gửi: trong lúc lệnh chờ, minh ở bàn C2 đã chuyển Tổ 363-01 "
                           "sang «" + UnitStatus.OUT_OF_SERVICE.label + "»"), text
    assert window.statusBar().currentMessage() == text
    assert unit_events(store, "363-01", ev.UNIT_DISPATCHED) == []


def test_a_stale_order_is_dropped_and_a_report_is_not(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage,
        settings: QSettings) -> None:
    roster(store)
    settings.setValue(SETTINGS_STALE, 90)  # the centre's own limit
    window = make_window()
    runner = slow_retries(window)
    assert runner.stale_after_s == 90
    clock = {"t": 1000.0}
    runner.now = lambda: clock["t"]
    unit = window.live.state.unit("363-02")
    assert unit is not None
    outage.begin()
    window.unit_board.dispatch(unit, "i-1")
    report = c.CreateIncident("i-9", IncidentType.THEFT, 3, *AT, IncidentSource.PHONE, "p1")
    runner.submit(report)
    qtbot.waitUntil(lambda: len(runner.waiting) == 2, timeout=10_000)
    clock["t"] += 60
    runner.retry_now()  # not yet stale: tried again, still waiting
    qtbot.waitUntil(lambda: not any(e.in_flight for e in runner._entries), timeout=10_000)
    assert len(runner.waiting) == 2
    clock["t"] += 31  # 91 s after the order was given
    runner.retry_now()
    qtbot.waitUntil(lambda: runner.pending == [report], timeout=10_000)
    text = window.unit_board.message_label.text()
    assert text == ("Không gửi: mất kết nối cơ sở dữ liệu quá 90 giây — xác nhận «điều động "
                    "363-02 → #1» qua bộ đàm rồi ra lệnh lại.")
    assert window.statusBar().currentMessage() == text
    assert "◷" not in status_cell(window, "363-02")
    qtbot.waitUntil(lambda: not any(e.in_flight for e in runner._entries), timeout=10_000)
    outage.end()
    clock["t"] += 3600  # a report waits as long as it takes
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=10_000)
    assert store.projections().incident("i-9") is not None
    assert unit_events(store, "363-02", ev.UNIT_DISPATCHED) == []


# a popup menu on the offscreen platform: the test platform talking, as in conftest
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                           r"This plugin does not support grabbing the keyboard")
def test_a_waiting_order_is_cancelled_from_the_board(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    board = window.unit_board
    unit = window.live.state.unit("363-01")
    assert unit is not None
    outage.begin()
    board.dispatch(unit, "i-1")
    qtbot.waitUntil(lambda: bool(runner.waiting), timeout=10_000)
    # any path (recommendations, the map) meets the one-order-per-unit rule
    refused: list[str] = []
    runner.refused.connect(lambda _c, text: refused.append(text))
    runner.set_status(unit, UnitStatus.OUT_OF_SERVICE, "hỏng xe")
    assert len(refused) == 1 and "đã có lệnh đang chờ gửi" in refused[0]
    assert len(runner.waiting) == 1
    # the status bar's indicator offers the same, and sending now
    bar_menu = window.waiting_button.menu()
    assert [a.objectName() for a in bar_menu.actions() if a.objectName()] == [
        "cancel_waiting_0", "send_waiting_now"]
    assert bar_menu.actions()[0].text() == "Hủy: điều động 363-01 → #1"
    board.select("363-01")
    board._on_context_menu(board.tree.visualItemRect(board._items["363-01"]).center())
    cancel = board.menu.findChild(QAction, "cancel_waiting_0")
    assert cancel is not None and "điều động 363-01 → #1" in cancel.text()
    board.menu.close()
    cancel.trigger()
    assert not runner.waiting and "◷" not in status_cell(window, "363-01")
    assert board.message_label.text() == "Đã hủy, không gửi: điều động 363-01 → #1."
    assert not window.waiting_button.isVisible()
    outage.end()
    runner.retry_now()
    assert unit_events(store, "363-01", ev.UNIT_DISPATCHED) == []


@pytest.mark.parametrize("backend", ["sqlite"])  # threads do not depend on the database
def test_one_writer_thread_per_window(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store)
    window = make_window()
    unit = window.live.state.unit("363-01")
    assert unit is not None
    window.unit_board.dispatch(unit, "i-1")  # the board
    window.incidents_dock.note_requested.emit(c.AddIncidentNote("i-1", "ghi chú"))  # notes
    window.runner.submit(c.CreateIncident("i-3", IncidentType.THEFT, 3, *AT,
                                          IncidentSource.PHONE, "p1"))  # intake's command
    qtbot.waitUntil(lambda: store.projections().incident("i-3") is not None, timeout=5000)
    qtbot.waitUntil(lambda: len(unit_events(store, "363-01", ev.UNIT_DISPATCHED)) == 1,
                    timeout=5000)
    writers = [t.name for t in threading.enumerate() if "writer" in t.name]
    assert writers == [WRITER_NAME]
    window.close()
    assert not [t for t in threading.enumerate() if t.name == WRITER_NAME]


def test_closing_asks_about_every_waiting_command(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    unit = window.live.state.unit("363-01")
    assert unit is not None
    outage.begin()
    window.unit_board.dispatch(unit, "i-1")
    report = c.CreateIncident("i-4", IncidentType.THEFT, 3, *AT, IncidentSource.PHONE, "p1")
    runner.submit(report)
    qtbot.waitUntil(lambda: len(runner.waiting) == 2
                    and not any(e.in_flight for e in runner._entries), timeout=10_000)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", answer)
    window.close()
    assert window.isVisible()  # the officer said no: nothing lost
    assert asked == ["Còn 2 lệnh đang chờ cơ sở dữ liệu và sẽ bị mất: điều động 363-01 → #1, "
                     "báo vụ mới (" + IncidentType.THEFT.label + "). Vẫn đóng?"]
    outage.end()
    runner.retry_now()
    qtbot.waitUntil(lambda: not runner.waiting, timeout=10_000)
    window.close()  # nothing waits: no question
    assert not window.isVisible() and len(asked) == 1
    assert len(unit_events(store, "363-01", ev.UNIT_DISPATCHED)) == 1


@pytest.mark.parametrize("backend", ["sqlite"])  # the menu does not depend on the database
def test_a_waiting_report_is_cancelled_from_the_status_bar(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore, outage: Outage) -> None:
    roster(store)
    window = make_window()
    runner = slow_retries(window)
    outage.begin()
    report = c.CreateIncident("i-5", IncidentType.THEFT, 3, *AT, IncidentSource.PHONE, "p1")
    runner.submit(report)
    qtbot.waitUntil(lambda: runner.pending == [report]
                    and not runner.waiting[0].in_flight, timeout=10_000)
    assert "1 tin báo" in window.incidents_dock.banner.text()  # the panel says it too
    cancel = window.waiting_button.menu().findChild(QAction, "cancel_waiting_0")
    assert cancel is not None
    cancel.trigger()
    label = "báo vụ mới (" + IncidentType.THEFT.label + ")"
    assert window.statusBar().currentMessage() == f"Đã hủy, không gửi: {label}."
    assert not runner.waiting and not window.waiting_button.isVisible()
    assert not window.incidents_dock.banner.isVisible()
    outage.end()
    runner.retry_now()
    assert store.projections().incident("i-5") is None
