"""Generated history with supplied times (EventStore.import_history), on SQLite and PostgreSQL:
the times are kept, may neither go back nor lie in the future, are marked by the console field,
and the chain, the snapshots, state_at(ts_us=…) and the shift report stay right."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gvcommand
from gvcommand.analysis import shift_report
from gvcommand.core import commands as c
from gvcommand.core.errors import NotFound, ValidationError
from gvcommand.core.model import (
    Actor,
    Force,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    Role,
    UnitStatus,
)
from gvcommand.core.state import replay
from gvcommand.store.event_store import GENERATED_CONSOLE, EventStore

from .conftest import OPERATOR

GEN_ADMIN = Actor("gen:admin", Role.ADMIN, GENERATED_CONSOLE)
GEN_OPERATOR = Actor("gen:operator", Role.OPERATOR, GENERATED_CONSOLE)
MIN = 60_000_000


def _incident(inc_id: str) -> c.CreateIncident:
    return c.CreateIncident(inc_id, IncidentType.FIGHT, 2, 106.6651, 10.8382,
                            IncidentSource.PHONE, "P1", "Quang Trung", "đánh nhau")


def _lifecycle(inc_id: str, unit: str, t0: int, steps_min: tuple[float, ...]
               ) -> list[tuple[int, c.Command]]:
    """Received at t0; dispatched, en route, on scene, cleared, closed after the given
    minutes (each from the one before)."""
    times = [t0]
    for step in steps_min:
        times.append(times[-1] + int(step * MIN))
    cmds: list[c.Command] = [
        _incident(inc_id), c.DispatchUnit(inc_id, unit),
        c.SetUnitStatus(unit, UnitStatus.EN_ROUTE), c.SetUnitStatus(unit, UnitStatus.ON_SCENE),
        c.ClearIncident(inc_id), c.CloseIncident(inc_id, "hòa giải tại chỗ")]
    return list(zip(times, cmds, strict=True))


def _district(store: EventStore, at_us: int) -> None:
    store.import_history([(at_us, c.AddWard("P1", "Phường 1")),
                          (at_us, c.AddUnit("U1", Force.TO_363, "P1")),
                          (at_us, c.AddUnit("U2", Force.PHUONG, "P1"))], GEN_ADMIN)


def test_each_command_is_recorded_at_its_time(store: EventStore) -> None:
    t0 = store.clock_us() - 2 * 24 * 60 * MIN
    _district(store, t0)
    history = _lifecycle("i-1", "U1", t0 + 60 * MIN, (2.5, 0.75, 6, 25, 8))
    result = store.import_history(history, GEN_OPERATOR)
    by_time = {t: type(cmd).__name__ for t, cmd in history}
    assert {(by_time[e.ts_us], e.kind) for e in result.events} >= {
        ("CreateIncident", "incident.created"), ("DispatchUnit", "unit.dispatched"),
        ("DispatchUnit", "incident.status_changed"), ("SetUnitStatus", "unit.en_route"),
        ("ClearIncident", "unit.available"), ("CloseIncident", "incident.status_changed")}
    assert {(e.actor, e.console) for e in result.events} == {("gen:operator", GENERATED_CONSOLE)}
    state = store.projections()
    inc, unit = state.incidents["i-1"], state.units["U1"]
    assert inc.created_us == history[0][0]
    assert (inc.status, inc.status_since_us) == (IncidentStatus.CLOSED, history[-1][0])
    assert (unit.status, unit.status_since_us) == (UnitStatus.AVAILABLE, history[4][0])
    assert state.units["U2"].status_since_us == t0
    assert store.head()[2] == history[-1][0]
    assert store.verify().ok
    assert replay(store.iter_events()).comparable() == state.comparable()
    # the consoles' own work goes on at the server's time, after the history
    later = store.execute(_incident("i-2"), OPERATOR)
    assert later.events[0].ts_us > history[-1][0]
    assert later.events[0].console == "console-A"
    assert store.verify().ok


def test_times_in_the_future_are_refused(store: EventStore) -> None:
    now = store.clock_us()
    _district(store, now - 60 * MIN)
    head = store.head()
    with pytest.raises(ValidationError, match="future"):
        store.import_history(_lifecycle("i-1", "U1", now - 10 * MIN, (1, 1, 5, 30, 5)),
                             GEN_OPERATOR)
    assert store.head() == head
    assert "i-1" not in store.projections().incidents


def test_times_may_not_go_back(store: EventStore) -> None:
    now = store.clock_us()
    _district(store, now - 300 * MIN)
    head = store.head()
    backwards = [(now - 200 * MIN, _incident("i-1")), (now - 201 * MIN, _incident("i-2"))]
    with pytest.raises(ValidationError, match="time order"):
        store.import_history(backwards, GEN_OPERATOR)
    with pytest.raises(ValidationError, match="back in time"):  # before the head
        store.import_history([(now - 301 * MIN, _incident("i-1"))], GEN_OPERATOR)
    assert store.head() == head
    store.import_history([(now - 300 * MIN, _incident("i-1"))], GEN_OPERATOR)  # same time: ok
    store.import_history([(now - 100 * MIN, _incident("i-2"))], GEN_OPERATOR)
    with pytest.raises(ValidationError, match="back in time"):
        store.import_history([(now - 150 * MIN, _incident("i-3"))], GEN_OPERATOR)
    # once a console has written at the real time, history can no longer be added before it
    store.execute(_incident("i-4"), OPERATOR)
    with pytest.raises(ValidationError, match="back in time"):
        store.import_history([(now - MIN, _incident("i-5"))], GEN_OPERATOR)
    assert [e.console for e in store.iter_events()][-1] == "console-A"
    assert store.verify().ok


def test_the_console_field_marks_supplied_times_and_only_them(store: EventStore) -> None:
    t = store.clock_us() - 60 * MIN
    other = Actor("gen:admin", Role.ADMIN, "console-A")
    with pytest.raises(ValidationError, match=GENERATED_CONSOLE):
        store.import_history([(t, c.AddWard("P1", "Phường 1"))], other)
    with pytest.raises(ValidationError, match="reserved"):  # no live write may pose as one
        store.execute(c.AddWard("P1", "Phường 1"), GEN_ADMIN)
    with pytest.raises(ValidationError, match="reserved"):
        store.execute_group([(c.AddWard("P1", "Phường 1"), GEN_ADMIN)])
    assert store.head()[0] == 0


def test_a_refused_command_leaves_the_whole_batch_out(store: EventStore) -> None:
    t0 = store.clock_us() - 600 * MIN
    _district(store, t0)
    head = store.head()
    batch = _lifecycle("i-1", "U1", t0 + MIN, (1, 1, 5, 30, 5))
    batch.insert(2, (batch[1][0], c.DispatchUnit("i-1", "NO-SUCH-UNIT")))
    with pytest.raises(NotFound):
        store.import_history(batch, GEN_OPERATOR)
    assert store.head() == head
    assert store.projections().incidents == {}


def test_state_at_a_time_and_the_shift_report_inside_the_history(store: EventStore) -> None:
    """Snapshots every 4 events, then the state at moments between and at events equals a
    replay of the events up to then; the shift report reads the supplied intervals."""
    t0 = store.clock_us() - 3 * 24 * 60 * MIN
    _district(store, t0)
    a = _lifecycle("i-a", "U1", t0 + 30 * MIN, (2, 1, 7, 20, 5))
    b = _lifecycle("i-b", "U2", t0 + 34 * MIN, (4, 0.5, 3, 15, 10))
    history = sorted([*a, *b], key=lambda item: item[0])  # interleaved, as the demo writes
    for n in range(0, len(history), 3):  # several transactions
        store.import_history(history[n:n + 3], GEN_OPERATOR)
    assert store.ensure_snapshots(every=4) >= 4
    events = list(store.iter_events())
    moments = sorted({e.ts_us for e in events} | {e.ts_us + 1 for e in events} | {t0 - 1})
    for moment in moments:
        expected = replay((e for e in events if e.ts_us <= moment), keep_terminal=False)
        assert store.seq_at(moment) == expected.last_seq
        assert store.state_at(ts_us=moment).comparable() == expected.comparable()
    mid = a[3][0]  # i-a's unit arrives (minute 40); i-b's set off at 38.5, arrives at 41.5
    at_mid = store.state_at(ts_us=mid)
    assert at_mid.incidents["i-a"].status is IncidentStatus.ON_SCENE
    assert at_mid.incidents["i-b"].status is IncidentStatus.EN_ROUTE
    assert at_mid.units["U2"].status is UnitStatus.EN_ROUTE
    assert store.state_at(ts_us=mid - 1).units["U1"].status is UnitStatus.EN_ROUTE

    report = shift_report.build(store, t0, t0 + 12 * 60 * MIN)
    assert report.received == 2
    medians = {key: stats.median_s for key, stats in report.intervals.items()}
    assert medians == {"received_dispatched": 3 * 60, "dispatched_en_route": 0.75 * 60,
                       "en_route_on_scene": 5 * 60, "received_on_scene": 8.75 * 60}
    assert report.unit_time_s["U1"][UnitStatus.ON_SCENE] == 20 * 60


def test_only_generators_reach_import_history() -> None:
    """No console or UI path records with supplied times: the demo generator is the one
    caller in the application."""
    root = Path(gvcommand.__file__).parent
    callers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("import_history", "_write_once"):
                callers.add(str(path.relative_to(root)))
    assert callers == {"demo/seed.py", "store/event_store.py"}

