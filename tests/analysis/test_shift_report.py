"""The shift report: figures checked against a hand computation on a small log with chosen
times; the CSV and PDF (Vietnamese text, a chart) through `gvcommand-admin report shift` on
the demo data."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from gvcommand.admin import cli
from gvcommand.analysis.shift_report import (
    VIETNAM_TZ,
    ShiftReport,
    compute,
    percentile,
    shift_bounds,
)
from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.handlers import decide
from gvcommand.core.model import (
    Actor,
    Force,
    IncidentSource,
    IncidentType,
    Role,
    UnitStatus,
)
from gvcommand.core.state import State, apply, replay

ADMIN = Actor("quantri", Role.ADMIN, "C0")
LAN = Actor("lan", Role.SUPERVISOR, "C1")
DAY = datetime(2026, 11, 28, tzinfo=VIETNAM_TZ)
START, END = shift_bounds(DAY)  # 06:00–18:00


def _us(hh: int, mm: int) -> int:
    return int(DAY.replace(hour=hh, minute=mm).timestamp()) * 1_000_000


class _Log:
    """Commands decided by the core and sealed at chosen times (the store would stamp the
    server's clock)."""

    def __init__(self) -> None:
        self.state = State()
        self.events: list[ev.StoredEvent] = []

    def at(self, hh: int, mm: int, *commands: c.Command, actor: Actor = LAN) -> None:
        for cmd in commands:
            for new in decide(self.state, cmd, actor):
                sealed = ev.seal(self.state.last_seq + 1, _us(hh, mm), actor.name,
                                 actor.console, new, self.state.last_hash)
                apply(self.state, sealed)
                self.events.append(sealed)


def _incident(ident: str, kind: IncidentType, ward: str, *, exercise: bool = False
              ) -> c.CreateIncident:
    return c.CreateIncident(ident, kind, 2, 106.66, 10.84, IncidentSource.PHONE, ward,
                            exercise=exercise)


def _status(unit: str, status: UnitStatus) -> c.SetUnitStatus:
    return c.SetUnitStatus(unit, status)


@pytest.fixture
def shift_log() -> _Log:
    log = _Log()
    log.at(5, 0, c.AddWard("P1", "Phường 1"), c.AddWard("P3", "Phường 3"),
           c.AddUnit("U1", Force.TO_363, "P1"), c.AddUnit("U2", Force.TO_363, "P3"),
           c.AddUnit("D1", Force.TO_363, exercise=True),  # a drill unit all shift
           actor=ADMIN)
    log.at(5, 30, _incident("old", IncidentType.THEFT, "P3"))            # #1, before the shift
    log.at(6, 10, _incident("a", IncidentType.FIGHT, "P1"))              # #2
    log.at(6, 12, c.DispatchUnit("a", "U1"))
    log.at(6, 15, _status("U1", UnitStatus.EN_ROUTE))
    log.at(6, 25, _status("U1", UnitStatus.ON_SCENE))
    log.at(6, 55, _status("U1", UnitStatus.AVAILABLE))                   # #2 cleared
    log.at(7, 0, _incident("b", IncidentType.THEFT, "P3"))               # #3
    log.at(7, 5, c.DispatchUnit("b", "U2"))
    log.at(7, 6, _status("U2", UnitStatus.EN_ROUTE))
    log.at(7, 10, _status("U2", UnitStatus.ON_SCENE))
    log.at(7, 40, c.ClearIncident("b"))
    log.at(7, 45, c.CloseIncident("b", "đã giải quyết"))
    log.at(8, 0, _incident("drill", IncidentType.FIGHT, "P1", exercise=True))  # #4
    log.at(8, 20, c.SetUnitExercise("U2", True))                          # U2 joins the drill
    log.at(8, 30, c.DispatchUnit("drill", "U2"))
    log.at(9, 0, c.CancelIncident("drill", "hết diễn tập"))
    log.at(9, 10, c.SetUnitExercise("U2", False))                         # back on real duty
    log.at(17, 0, _incident("c", IncidentType.FIGHT, "P1"))              # #5
    log.at(17, 1, c.DispatchUnit("c", "U1"))
    log.at(18, 30, _incident("late", IncidentType.ROBBERY, "P1"))        # after the shift
    return log


def _report(log: _Log, *, include_exercise: bool = False) -> ShiftReport:
    start_us, end_us = int(START.timestamp() * 1e6), int(END.timestamp() * 1e6)
    before = [e for e in log.events if e.ts_us < start_us]
    initial = replay(before, keep_terminal=False)
    return compute(initial, log.events, start_us, end_us, include_exercise=include_exercise)


def test_figures_match_a_hand_computation(shift_log: _Log) -> None:
    r = _report(shift_log)
    assert r.received == 3 and r.exercises_left_out == 1
    assert r.by_type == {"Đánh nhau": 2, "Trộm cắp": 1}
    assert r.by_ward == {"P1": 2, "P3": 1}
    assert r.ward_names == {"P1": "Phường 1", "P3": "Phường 3"}
    minutes = {k: (s.count, s.median_s and s.median_s / 60, s.p90_s and s.p90_s / 60)
               for k, s in r.intervals.items()}
    # received → dispatched: 2, 5, 1 min; median 2; p90 at rank 1.8 of [1, 2, 5] = 2 + 0.8·3
    assert minutes["received_dispatched"] == pytest.approx((3, 2.0, 4.4))
    assert minutes["dispatched_en_route"] == pytest.approx((2, 2.0, 2.8))   # 3, 1
    assert minutes["en_route_on_scene"] == pytest.approx((2, 7.0, 9.4))     # 10, 4
    assert minutes["received_on_scene"] == pytest.approx((2, 12.5, 14.5))   # 15, 10
    # open (not closed or cancelled) at 18:00: #1 (from before the shift, never dispatched),
    # #2 (its unit cleared, the incident not yet closed) and #5 (dispatched)
    assert [(o.number, o.status) for o in r.open_incidents] == [
        (1, "Mới"), (2, "Đã xử lý"), (5, "Đã điều động")]
    # U1: available 06:00–06:12, 06:55–17:01; dispatched 06:12–06:15, 17:01–18:00;
    # en route 06:15–06:25; on scene 06:25–06:55
    u1 = {s: t / 60 for s, t in r.unit_time_s["U1"].items()}
    assert u1 == {UnitStatus.AVAILABLE: 12 + 606, UnitStatus.DISPATCHED: 3 + 59,
                  UnitStatus.EN_ROUTE: 10, UnitStatus.ON_SCENE: 30}
    # U2: dispatched 07:05–07:06, en route –07:10, on scene –07:40; on the drill 08:20–09:10
    # (left out: available 10, dispatched to the drill 30, available 10)
    u2 = {s: t / 60 for s, t in r.unit_time_s["U2"].items()}
    assert u2 == {UnitStatus.AVAILABLE: 65 + 40 + 530, UnitStatus.DISPATCHED: 1,
                  UnitStatus.EN_ROUTE: 4, UnitStatus.ON_SCENE: 30}
    assert sum(u1.values()) == 12 * 60 and sum(u2.values()) == 12 * 60 - 50
    # the drill unit is not in the table; what was left out is said
    assert "D1" not in r.unit_time_s
    assert r.exercise_unit_time_left_out_s == {"D1": 12 * 3600, "U2": 50 * 60}


def test_exercises_are_counted_when_asked(shift_log: _Log) -> None:
    r = _report(shift_log, include_exercise=True)
    assert r.received == 4 and r.by_type == {"Đánh nhau": 3, "Trộm cắp": 1}
    stats = r.intervals["received_dispatched"]
    assert stats.count == 4 and stats.median_s == pytest.approx(3.5 * 60)  # 1, 2, 5, 30
    # the units' drill time too: U2 as if it had never left real duty, D1 available all day
    u2 = {s: t / 60 for s, t in r.unit_time_s["U2"].items()}
    assert u2 == {UnitStatus.AVAILABLE: 65 + 50 + 540, UnitStatus.DISPATCHED: 1 + 30,
                  UnitStatus.EN_ROUTE: 4, UnitStatus.ON_SCENE: 30}
    assert r.unit_time_s["D1"] == {UnitStatus.AVAILABLE: 12 * 3600}
    assert r.exercise_unit_time_left_out_s == {}


def test_a_unit_on_a_drill_since_before_the_shift_is_left_out_from_the_start() -> None:
    log = _Log()
    log.at(5, 0, c.AddUnit("U1", Force.TO_363), c.AddUnit("U2", Force.TO_363), actor=ADMIN)
    log.at(5, 30, c.SetUnitExercise("U1", True), actor=ADMIN)
    log.at(12, 0, c.SetUnitExercise("U1", False), actor=ADMIN)
    r = _report(log)
    assert r.unit_time_s["U1"] == {UnitStatus.AVAILABLE: 6 * 3600}  # 12:00–18:00 only
    assert r.exercise_unit_time_left_out_s == {"U1": 6 * 3600}
    assert r.unit_time_s["U2"] == {UnitStatus.AVAILABLE: 12 * 3600}


def test_percentile_and_shift_bounds() -> None:
    assert percentile([], 0.9) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.9) == pytest.approx(46.0)
    start, end = shift_bounds(DAY, night=True)
    assert (start.hour, end.hour, (end - start).total_seconds()) == (18, 6, 12 * 3600)


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    from gvcommand.demo.seed import seed_demo
    from gvcommand.store import open_store

    url = f"sqlite:///{tmp_path}/demo.sqlite"
    store = open_store(url, upgrade=True)
    try:
        seed_demo(store, days=3)
    finally:
        store.engine.dispose()
    return url


def test_admin_report_on_the_demo_writes_csv_and_pdf(demo_db: str, tmp_path: Path) -> None:
    from gvcommand.store import open_store

    store = open_store(demo_db, upgrade=False)
    try:
        incidents = store.projections().incidents.values()
        open_now = [i for i in incidents if not i.status.terminal and not i.exercise]
        real = [i for i in incidents if not i.exercise]
        # a unit on a drill all along has no time to count (the demo's drill unit)
        units = len([u for u in store.projections().units.values() if not u.exercise])
    finally:
        store.engine.dispose()
    # the demo's history is recorded over its 3 days, each step when it happened: a period
    # from the day before its first to the end of today holds all of it
    now = datetime.now(VIETNAM_TZ)
    start = (now - timedelta(days=4)).replace(hour=0, minute=0)
    end = now.replace(hour=23, minute=59)
    args = ["--db", demo_db, "report", "shift", "--from", f"{start:%Y-%m-%d %H:%M}",
            "--to", f"{end:%Y-%m-%d %H:%M}"]
    runner = CliRunner()
    out_csv = tmp_path / "ca.csv"
    result = runner.invoke(cli, [*args, "--out", str(out_csv)])
    assert result.exit_code == 0, result.output
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1] == ["Tổng số vụ việc tiếp nhận", str(len(real))]
    by_type = rows[rows.index(["Loại vụ việc", "Số vụ"]) + 1:]
    assert sum(int(r[1]) for r in by_type[:by_type.index([])]) == len(real)
    open_rows = rows[rows.index(["Vụ việc còn mở lúc hết ca", "Loại", "Phường", "Trạng thái",
                                 "Tiếp nhận lúc"]) + 1:]
    assert len(open_rows[:open_rows.index([])]) == len(open_now)
    unit_rows = rows[[r[:1] for r in rows].index(["Tổ tuần tra"]) + 1:]
    assert len(unit_rows) == units
    intervals = {r[0]: r for r in rows if r and r[0].startswith(("Tiếp nhận →", "Điều động →",
                                                                 "Đang đến →"))}
    assert len(intervals) == 4
    for label, count, median, p90 in intervals.values():  # real response times, in minutes
        assert int(count) > 0.8 * len(real) and 0 < float(median) <= float(p90) < 30, label

    # the PDF needs a Qt application: in its own process, as an officer runs it (one made in
    # this one would be a QGuiApplication that later widget tests cannot use)
    out_pdf = tmp_path / "ca.pdf"
    done = subprocess.run([sys.executable, "-m", "gvcommand.admin", *args, "--out",
                           str(out_pdf)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    pages = pypdf.PdfReader(str(out_pdf)).pages
    # Qt places each word on its own: the extracted text separates them by tabs
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    for heading in ("BÁO CÁO CA TRỰC", "Vụ việc theo loại", "Vụ việc theo phường",
                    "Thời gian phản ứng (phút)", "Tiếp nhận → Điều động", "Trung vị",
                    "Phân vị 90", "Vụ việc còn mở lúc hết ca",
                    "Thời gian của các tổ theo trạng thái (phút)", "Đánh nhau"):
        assert heading in text, heading


def test_bad_input_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite"
    runner = CliRunner()
    base = ["--db", url, "report", "shift"]
    result = runner.invoke(cli, [*base, "--from", "28/11/2026 06:00", "--to",
                                 "2026-11-28 18:00", "--out", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2 and "YYYY-MM-DD HH:MM" in result.output
    result = runner.invoke(cli, [*base, "--from", "2026-11-28 18:00", "--to",
                                 "2026-11-28 06:00", "--out", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2 and "end after it starts" in result.output
    result = runner.invoke(cli, [*base, "--from", "2026-11-28 06:00", "--to",
                                 "2026-11-28 18:00", "--out", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2 and ".pdf or .csv" in result.output
