"""Drill (diễn tập) units: added or marked as such, sent only to drills, and a drill never
takes a real unit off real work without a supervisor deciding it."""

from __future__ import annotations

import contextlib
import itertools

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
    VersionConflict,
)
from gvcommand.core.handlers import DrillMismatch, UnitBusy
from gvcommand.core.model import Actor, Force, IncidentStatus, Unit, UnitStatus
from gvcommand.core.state import State, replay

from ._desk import ADMIN, AUDITOR, OPERATOR, SUPERVISOR, Desk, kinds

REAL, DRILL = "inc-real", "inc-drill"


@pytest.fixture
def desk() -> Desk:
    d = Desk()
    d.add_ward("P1", "Phường 1")
    d.add_unit("363-01")
    d.add_unit("DT-01", exercise=True)
    d.create_incident(REAL)
    d.create_incident(DRILL, exercise=True)
    return d


def unit(desk: Desk, call_sign: str) -> Unit:
    found = desk.state.unit(call_sign)
    assert found is not None
    return found


def test_a_drill_unit_is_recorded_as_one_and_a_real_one_as_before(desk: Desk) -> None:
    added = {e.subject: e.payload for e in desk.log if e.kind == ev.UNIT_ADDED}
    assert added["unit:DT-01"]["exercise"] is True
    assert "exercise" not in added["unit:363-01"]  # a real unit's event is as it always was
    assert unit(desk, "DT-01").exercise and not unit(desk, "363-01").exercise
    desk.check_log()


def test_a_drill_unit_is_refused_for_a_real_incident_with_the_reason(desk: Desk) -> None:
    err = desk.refuse(c.DispatchUnit(REAL, "DT-01"), OPERATOR, DrillMismatch).value
    assert "DT-01" in str(err) and "#1" in str(err) and "drill" in str(err)
    assert err.code == "invalid"  # a ValidationError: the dispatch dialogs show it as such


def test_a_real_unit_is_refused_for_a_drill(desk: Desk) -> None:
    err = desk.refuse(c.DispatchUnit(DRILL, "363-01"), OPERATOR, DrillMismatch).value
    assert "#2" in str(err) and "363-01" in str(err) and "supervisor" in str(err)


def test_matching_units_are_dispatched_as_usual(desk: Desk) -> None:
    desk.run(c.DispatchUnit(DRILL, "DT-01"), OPERATOR)
    desk.run(c.DispatchUnit(REAL, "363-01"), OPERATOR)
    assert unit(desk, "DT-01").incident_id == DRILL
    assert unit(desk, "363-01").incident_id == REAL
    desk.check_log()


def test_a_busy_unit_is_reported_busy_before_any_drill_mismatch(desk: Desk) -> None:
    desk.run(c.DispatchUnit(DRILL, "DT-01"), OPERATOR)
    desk.refuse(c.DispatchUnit(REAL, "DT-01"), OPERATOR, UnitBusy)


def test_a_supervisor_puts_an_available_unit_on_a_drill_and_back(desk: Desk) -> None:
    (marked,) = desk.run(c.SetUnitExercise("363-01", True), SUPERVISOR)
    assert (marked.kind, marked.subject, marked.payload) == (
        ev.UNIT_EXERCISE_CHANGED, "unit:363-01", {"exercise": True})
    assert unit(desk, "363-01").exercise
    desk.run(c.DispatchUnit(DRILL, "363-01"), OPERATOR)  # now it may take part
    desk.refuse(c.SetUnitExercise("363-01", True), SUPERVISOR, ValidationError)
    desk.check_log()


def test_a_unit_on_a_real_incident_cannot_be_put_on_a_drill(desk: Desk) -> None:
    desk.run(c.DispatchUnit(REAL, "363-01"), OPERATOR)
    err = desk.refuse(c.SetUnitExercise("363-01", True), SUPERVISOR, ValidationError).value
    assert "real incident #1" in str(err)


def test_taken_off_a_drill_mid_drill_the_unit_is_released_and_available(desk: Desk) -> None:
    desk.run(c.DispatchUnit(DRILL, "DT-01"), OPERATOR)
    desk.run(c.SetUnitStatus("DT-01", UnitStatus.EN_ROUTE), OPERATOR)
    out = desk.run(c.SetUnitExercise("DT-01", False), ADMIN)
    assert kinds(out) == [ev.UNIT_AVAILABLE, ev.INCIDENT_UNIT_RELEASED,
                          ev.INCIDENT_STATUS_CHANGED, ev.UNIT_EXERCISE_CHANGED]
    assert out[0].payload["reason"] == "taken off the drill (diễn tập)"
    u = unit(desk, "DT-01")
    assert (u.status, u.incident_id, u.exercise) == (UnitStatus.AVAILABLE, None, False)
    drill = desk.state.incident(DRILL)
    assert drill is not None and drill.status is IncidentStatus.NEW  # back in the queue
    desk.run(c.DispatchUnit(REAL, "DT-01"), OPERATOR)  # and at once sendable to real work
    desk.check_log()


def test_an_out_of_service_unit_may_be_marked_and_keeps_its_status(desk: Desk) -> None:
    desk.run(c.SetUnitStatus("363-01", UnitStatus.OUT_OF_SERVICE, "Hỏng xe"), OPERATOR)
    out = desk.run(c.SetUnitExercise("363-01", True), SUPERVISOR)
    assert kinds(out) == [ev.UNIT_EXERCISE_CHANGED]
    assert unit(desk, "363-01").status is UnitStatus.OUT_OF_SERVICE


def test_stale_version_and_unknown_unit_are_refused(desk: Desk) -> None:
    seen = unit(desk, "363-01").version
    desk.run(c.SetUnitStatus("363-01", UnitStatus.OFF_DUTY), OPERATOR)
    desk.refuse(c.SetUnitExercise("363-01", True, expected_version=seen), SUPERVISOR,
                VersionConflict)
    desk.run(c.SetUnitExercise("363-01", True, expected_version=seen + 1), SUPERVISOR)
    desk.refuse(c.SetUnitExercise("khong-co", True), SUPERVISOR, NotFound)


@pytest.mark.parametrize("actor", [OPERATOR, AUDITOR], ids=["operator", "auditor"])
def test_operators_and_auditors_may_not_mark_units(desk: Desk, actor: Actor) -> None:
    desk.refuse(c.SetUnitExercise("363-01", True), actor, PermissionDenied)


def test_the_flag_survives_snapshot_and_replay(desk: Desk) -> None:
    desk.run(c.SetUnitExercise("363-01", True), SUPERVISOR)
    desk.run(c.SetUnitExercise("DT-01", False), SUPERVISOR)
    again = State.from_snapshot(desk.state.to_snapshot())
    assert again.comparable() == desk.state.comparable()
    assert replay(desk.log).units["363-01"].exercise is True
    assert replay(desk.log).units["DT-01"].exercise is False


def test_a_snapshot_from_before_units_had_the_flag_reads_them_as_real(desk: Desk) -> None:
    snap = desk.state.to_snapshot()
    for u in snap["units"]:
        del u["exercise"]
    assert not any(u.exercise for u in State.from_snapshot(snap).units.values())


def test_every_unit_on_an_incident_matches_it_whatever_the_order_of_commands() -> None:
    """The invariant the rules keep: a unit on an incident is a drill unit exactly when the
    incident is a drill. Tried over every command sequence of a small alphabet."""
    steps: list[tuple[c.Command, Actor]] = [
        (c.DispatchUnit(REAL, "X"), OPERATOR),
        (c.DispatchUnit(DRILL, "X"), OPERATOR),
        (c.SetUnitExercise("X", True), SUPERVISOR),
        (c.SetUnitExercise("X", False), SUPERVISOR),
        (c.SetUnitStatus("X", UnitStatus.AVAILABLE), OPERATOR),
    ]
    for sequence in itertools.product(steps, repeat=4):
        d = Desk()
        d.add_unit("X", Force.TO_363)
        d.create_incident(REAL)
        d.create_incident(DRILL, exercise=True)
        for command, actor in sequence:
            with contextlib.suppress(DomainError):
                d.run(command, actor)
            x = d.state.units["X"]
            if x.incident_id is not None:
                inc = d.state.incidents[x.incident_id]
                assert x.exercise == inc.exercise, sequence
