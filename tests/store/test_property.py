"""Property: whatever two consoles do at once, the projections equal a replay of the log,
the chain verifies, and the domain's invariants hold."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvcommand.core import commands as c
from gvcommand.core.errors import DomainError
from gvcommand.core.model import IncidentSource, IncidentStatus, IncidentType, UnitStatus
from gvcommand.core.state import State, replay
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore

from .conftest import OPERATOR, OPERATOR_B, SUPERVISOR, seed

UNITS = ["U1", "U2", "U3", "U4"]
INCIDENTS = [f"I{i}" for i in range(6)]
STATUSES = [s for s in UnitStatus if s is not UnitStatus.DISPATCHED]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(INCIDENTS), st.integers(1, 4),
                  st.booleans()),
        st.tuples(st.just("dispatch"), st.sampled_from(INCIDENTS), st.sampled_from(UNITS)),
        st.tuples(st.just("dispatch"), st.sampled_from(INCIDENTS), st.sampled_from(UNITS)),
        st.tuples(st.just("status"), st.sampled_from(UNITS), st.sampled_from(STATUSES)),
        st.tuples(st.just("status"), st.sampled_from(UNITS), st.sampled_from(STATUSES)),
        st.tuples(st.just("clear"), st.sampled_from(INCIDENTS)),
        st.tuples(st.just("close"), st.sampled_from(INCIDENTS)),
        st.tuples(st.just("cancel"), st.sampled_from(INCIDENTS)),
        # a unit put on a drill (diễn tập) or back: the supervisor's, in either console
        st.tuples(st.just("drill"), st.sampled_from(UNITS), st.booleans()),
    ),
    max_size=30,
)


def to_command(op: tuple[Any, ...]) -> c.Command:
    match op:
        case ("create", inc, prio, drill):
            return c.CreateIncident(inc, IncidentType.FIGHT, prio, 106.67, 10.84,
                                    IncidentSource.CAMERA, "P1", exercise=drill)
        case ("drill", unit, on):
            return c.SetUnitExercise(unit, on)
        case ("dispatch", inc, unit):
            return c.DispatchUnit(inc, unit)
        case ("status", unit, status):
            return c.SetUnitStatus(unit, status, "kiểm tra xe")
        case ("clear", inc):
            return c.ClearIncident(inc)
        case ("close", inc):
            return c.CloseIncident(inc, "xong")
        case ("cancel", inc):
            return c.CancelIncident(inc, "báo sai")
    raise AssertionError(op)


def check_invariants(state: State) -> None:
    for unit in state.units.values():
        busy = unit.status in (UnitStatus.DISPATCHED, UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE)
        assert busy == (unit.incident_id is not None), unit
        if unit.incident_id:
            assert not state.incidents[unit.incident_id].status.terminal
            # a drill unit only on a drill, a real unit only on real work
            assert state.incidents[unit.incident_id].exercise == unit.exercise, unit
    for inc in state.incidents.values():
        on_it = state.units_on(inc.id)
        if inc.status in (IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE):
            assert on_it, inc
        if inc.status in (IncidentStatus.NEW, IncidentStatus.CLEARED) or inc.status.terminal:
            assert not on_it, inc


def run_consoles(url: str, scripts: list[list[tuple[Any, ...]]]) -> tuple[int, int]:
    stores = [open_store(url, upgrade=False) for _ in scripts]
    barrier = threading.Barrier(len(scripts))
    done, refused = itertools.count(), itertools.count()

    def console(store: EventStore, actor: Any, script: list[tuple[Any, ...]]) -> None:
        barrier.wait()
        for op in script:
            try:
                store.execute(to_command(op), SUPERVISOR if op[0] == "drill" else actor)
                next(done)
            except DomainError:
                next(refused)

    threads = [
        threading.Thread(target=console, args=(s, a, script))
        for s, a, script in zip(stores, (OPERATOR, OPERATOR_B), scripts, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.engine.dispose()
    return next(done), next(refused)


@pytest.fixture
def fresh_url(backend: str, tmp_path_factory: pytest.TempPathFactory, request: Any):
    counter = itertools.count()

    def make() -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('prop')}/p{next(counter)}.sqlite"
        return str(request.getfixturevalue("pg_server").fresh())

    return make


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(a=ops, b=ops)
def test_two_consoles_projections_equal_replay(fresh_url, a, b) -> None:
    url = fresh_url()
    store = open_store(url, upgrade=True)
    try:
        seed(store, wards=1, units=len(UNITS))
        store.execute(c.SetUnitStatus("U4", UnitStatus.OFF_DUTY), SUPERVISOR)
        run_consoles(url, [a, b])
        projected = store.projections()
        replayed = replay(store.iter_events())
        assert projected.comparable() == replayed.comparable()
        report = store.verify()
        assert report.ok, report
        check_invariants(replayed)
        # the live state a console rebuilds from snapshots agrees with the full replay
        store.ensure_snapshots(every=7)
        live = store.state_at()
        assert live.units == replayed.units
        assert live.incidents == {
            k: v for k, v in replayed.incidents.items() if not v.status.terminal
        }
    finally:
        store.engine.dispose()
