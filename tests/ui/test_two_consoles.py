"""Issue 5's walk-through across two consoles: in console A (this process, the real window,
driven by mouse and keys) an officer records an incident by clicking the map, dispatches a
unit by dragging it onto the incident, and sets it en route from the board; console B (a
real window in another process on the same database, tests/ui/console_watcher.py) shows
each change in its own queue and board. SQLite (one file, two processes) and PostgreSQL.
How fast B repaints is measured in benchmarks/bench_console_repaint.py."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import Force, IncidentType, UnitStatus
from gvcommand.map._projection import project_point
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow

from ..store.conftest import PgServer
from .conftest import ADMIN
from .test_incidents import LAT0, LON0, STEP, setup_area
from .test_unit_board import board_row, mouse, viewport_pos

WindowFactory = Callable[..., MainWindow]
ROOT = Path(__file__).resolve().parents[2]
UNIT_AT = (LON0 + 0.012, LAT0 + 0.006)  # in An Nhơn
INCIDENT_AT = (LON0 + 0.004, LAT0 + 0.004)  # in Hạnh Thông



@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/shared.sqlite"
        return
    server: PgServer = request.getfixturevalue("pg")
    url = server.fresh()
    yield url
    server.drop(url)


@pytest.fixture
def store(db_url: str) -> Iterator[EventStore]:
    """Console A's store (overrides conftest's SQLite-only one)."""
    st = open_store(db_url, upgrade=True)
    yield st
    st.engine.dispose()


class ConsoleB:
    """The other console's process and the views it reports."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.ui.console_watcher", url], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ready = False
        self.view: dict[str, Any] = {"queue": [], "units": {}}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def update(self) -> None:
        while not self.lines.empty():
            msg = self.lines.get_nowait()
            if msg.get("ready"):
                self.ready = True
            else:
                self.view = msg

    def shows(self, check: Callable[[dict[str, Any]], bool]) -> bool:
        self.update()
        assert self.proc.poll() is None, "console B ended"
        return check(self.view)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_what_console_a_does_console_b_shows(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore, db_url: str,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: QMessageBox.StandardButton.Yes)
    setup_area(store)
    store.execute(c.AddUnit("363-01", Force.TO_363, "W2"), ADMIN)
    b = ConsoleB(db_url)
    try:
        qtbot.waitUntil(lambda: b.shows(lambda v: b.ready and "363-01" in v["units"]),
                        timeout=30_000)
        window = make_window()
        window.live.set_positions({"363-01": UNIT_AT})
        window.map.set_view(LON0 + STEP, LAT0 + STEP / 2, 2500)

        # 1. an incident placed by a click on the map
        intake = window.open_intake()
        qtbot.waitExposed(intake)
        qtbot.mouseClick(window.map.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_pos(window, *INCIDENT_AT))
        assert intake.ward_label.text() == "Hạnh Thông"
        intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.FIGHT))
        intake.priority_box.setCurrentIndex(0)
        qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: b.shows(lambda v: len(v["queue"]) == 1), timeout=10_000)
        [row] = b.view["queue"]
        assert row[0] == "#1" and IncidentType.FIGHT.label in row
        [incident] = store.projections().incidents.values()

        # 2. the unit dragged onto the incident, once console A's map shows both
        def on_a_map(lonlat: tuple[float, float]) -> str | None:
            found = window.map.feature_at(QPointF(*project_point(*lonlat)))
            return found[1] if found is not None else None

        qtbot.waitUntil(lambda: on_a_map(INCIDENT_AT) == incident.id, timeout=5000)
        qtbot.waitUntil(lambda: on_a_map(UNIT_AT) == "363-01", timeout=5000)
        start, end = viewport_pos(window, *UNIT_AT), viewport_pos(window, *INCIDENT_AT)
        mouse(window, QEvent.Type.MouseButtonPress, start)
        for k in range(1, 6):
            mouse(window, QEvent.Type.MouseMove, start + (end - start) * (k / 5))
        assert window.map.drag_target == incident.id
        mouse(window, QEvent.Type.MouseButtonRelease, end)
        qtbot.waitUntil(lambda: b.shows(
            lambda v: v["units"]["363-01"][1] == "● " + UnitStatus.DISPATCHED.label),
            timeout=10_000)
        assert b.view["units"]["363-01"][2].startswith("#1 ")

        # 3. en route, from console A's board by keyboard, once A's own board shows the
        # dispatch the officer gave (it does as soon as A's write returns, feed or not)
        board = window.unit_board
        qtbot.waitUntil(lambda: board_row(board, "363-01")[1]
                        == "● " + UnitStatus.DISPATCHED.label, timeout=5000)
        board.select("363-01")
        board.tree.setFocus()
        qtbot.keyClick(board.tree, Qt.Key.Key_E)
        qtbot.waitUntil(lambda: b.shows(
            lambda v: v["units"]["363-01"][1] == "● " + UnitStatus.EN_ROUTE.label),
            timeout=10_000)
        # A's own board shows it from A's write; B's from B's feed: either may come first
        qtbot.waitUntil(lambda: board_row(board, "363-01")[1]
                        == "● " + UnitStatus.EN_ROUTE.label, timeout=5000)
    finally:
        b.close()
    assert b.proc.returncode == 0
