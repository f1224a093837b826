"""The incident and unit state machines (gvcommand.core.transitions)."""

from __future__ import annotations

import itertools

import pytest

from gvcommand.core.errors import DomainError, InvalidTransition
from gvcommand.core.model import IncidentStatus as IS
from gvcommand.core.model import UnitStatus as US
from gvcommand.core.transitions import (
    INCIDENT_PROGRESS,
    INCIDENT_TRANSITIONS,
    UNIT_TO_INCIDENT,
    UNIT_TRANSITIONS,
    check_incident,
    check_unit,
)

# The tables as the specification states them, written out independently of the code.
SPEC_INCIDENT = {
    IS.NEW: {IS.DISPATCHED, IS.CANCELLED},
    IS.DISPATCHED: {IS.EN_ROUTE, IS.NEW, IS.CANCELLED},
    IS.EN_ROUTE: {IS.ON_SCENE, IS.NEW, IS.CANCELLED},
    IS.ON_SCENE: {IS.CLEARED},
    IS.CLEARED: {IS.CLOSED},
    IS.CLOSED: set(),
    IS.CANCELLED: set(),
}
SPEC_UNIT = {
    US.AVAILABLE: {US.DISPATCHED, US.OUT_OF_SERVICE, US.OFF_DUTY},
    US.DISPATCHED: {US.EN_ROUTE, US.AVAILABLE, US.OUT_OF_SERVICE},
    US.EN_ROUTE: {US.ON_SCENE, US.AVAILABLE, US.OUT_OF_SERVICE},
    US.ON_SCENE: {US.AVAILABLE, US.OUT_OF_SERVICE},
    US.OUT_OF_SERVICE: {US.AVAILABLE, US.OFF_DUTY},
    US.OFF_DUTY: {US.AVAILABLE},
}


def test_tables_cover_every_status_and_match_the_spec() -> None:
    assert set(INCIDENT_TRANSITIONS) == set(IS)
    assert set(UNIT_TRANSITIONS) == set(US)
    assert {k: set(v) for k, v in INCIDENT_TRANSITIONS.items()} == SPEC_INCIDENT
    assert {k: set(v) for k, v in UNIT_TRANSITIONS.items()} == SPEC_UNIT


def test_no_status_transitions_to_itself() -> None:
    for table in (INCIDENT_TRANSITIONS, UNIT_TRANSITIONS):
        for current, allowed in table.items():
            assert current not in allowed, current


# --- every pair ---------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), list(itertools.product(IS, IS)))
def test_check_incident_every_pair(current: IS, target: IS) -> None:
    if target in SPEC_INCIDENT[current]:
        assert check_incident("#7", current, target) is None
        return
    with pytest.raises(InvalidTransition) as info:
        check_incident("#7", current, target)
    err = info.value
    assert isinstance(err, DomainError)
    assert err.code == "transition"
    assert (err.what, err.current, err.target) == ("Incident #7", current.value, target.value)
    assert err.allowed == sorted(s.value for s in SPEC_INCIDENT[current])
    msg = str(err)
    assert msg.startswith("Incident #7: ")
    assert f"from '{current.value}' to '{target.value}'" in msg
    for follower in SPEC_INCIDENT[current]:
        assert follower.value in msg.split("only", 1)[1]


@pytest.mark.parametrize(("current", "target"), list(itertools.product(US, US)))
def test_check_unit_every_pair(current: US, target: US) -> None:
    if target in SPEC_UNIT[current]:
        assert check_unit("363-01", current, target) is None
        return
    with pytest.raises(InvalidTransition) as info:
        check_unit("363-01", current, target)
    err = info.value
    assert (err.what, err.current, err.target) == ("Unit 363-01", current.value, target.value)
    assert err.allowed == sorted(s.value for s in SPEC_UNIT[current])
    msg = str(err)
    assert msg.startswith("Unit 363-01: ")
    assert f"from '{current.value}' to '{target.value}'" in msg
    assert f"from '{current.value}' only {', '.join(err.allowed)} may follow" in msg


def test_error_message_exact_wording() -> None:
    with pytest.raises(InvalidTransition) as info:
        check_unit("HS-02", US.AVAILABLE, US.ON_SCENE)
    assert str(info.value) == (
        "Unit HS-02: cannot go from 'available' to 'on-scene'; from 'available' only "
        "dispatched, off-duty, out-of-service may follow"
    )


# --- lifecycle paths from the spec -------------------------------------------------------


def _walk_incident(path: list[IS]) -> None:
    for current, target in itertools.pairwise(path):
        check_incident("#1", current, target)


def _walk_unit(path: list[US]) -> None:
    for current, target in itertools.pairwise(path):
        check_unit("363-01", current, target)


def test_incident_main_lifecycle() -> None:
    _walk_incident([IS.NEW, IS.DISPATCHED, IS.EN_ROUTE, IS.ON_SCENE, IS.CLEARED, IS.CLOSED])


@pytest.mark.parametrize("current", [IS.NEW, IS.DISPATCHED, IS.EN_ROUTE])
def test_incident_can_be_cancelled_before_arrival(current: IS) -> None:
    check_incident("#1", current, IS.CANCELLED)


@pytest.mark.parametrize("current", [IS.ON_SCENE, IS.CLEARED, IS.CLOSED, IS.CANCELLED])
def test_incident_cannot_be_cancelled_once_on_scene(current: IS) -> None:
    with pytest.raises(InvalidTransition):
        check_incident("#1", current, IS.CANCELLED)


@pytest.mark.parametrize("current", [IS.DISPATCHED, IS.EN_ROUTE])
def test_incident_returns_to_new_when_recalled_before_arrival(current: IS) -> None:
    check_incident("#1", current, IS.NEW)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (IS.NEW, IS.EN_ROUTE),
        (IS.NEW, IS.ON_SCENE),
        (IS.DISPATCHED, IS.ON_SCENE),
        (IS.NEW, IS.CLEARED),
        (IS.DISPATCHED, IS.CLOSED),
        (IS.ON_SCENE, IS.CLOSED),
        (IS.ON_SCENE, IS.EN_ROUTE),
        (IS.ON_SCENE, IS.NEW),
        (IS.CLEARED, IS.ON_SCENE),
    ],
)
def test_incident_cannot_skip_or_go_back(current: IS, target: IS) -> None:
    with pytest.raises(InvalidTransition):
        check_incident("#1", current, target)


def test_unit_main_lifecycle() -> None:
    _walk_unit([US.AVAILABLE, US.DISPATCHED, US.EN_ROUTE, US.ON_SCENE, US.AVAILABLE])


def test_unit_duty_paths() -> None:
    _walk_unit([US.AVAILABLE, US.OUT_OF_SERVICE, US.AVAILABLE])
    _walk_unit([US.AVAILABLE, US.OFF_DUTY, US.AVAILABLE])
    _walk_unit([US.AVAILABLE, US.OUT_OF_SERVICE, US.OFF_DUTY, US.AVAILABLE])


@pytest.mark.parametrize("current", [US.DISPATCHED, US.EN_ROUTE, US.ON_SCENE])
def test_busy_unit_can_go_out_of_service_or_back_to_available(current: US) -> None:
    check_unit("363-01", current, US.OUT_OF_SERVICE)
    check_unit("363-01", current, US.AVAILABLE)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (US.AVAILABLE, US.EN_ROUTE),
        (US.AVAILABLE, US.ON_SCENE),
        (US.DISPATCHED, US.ON_SCENE),
        (US.DISPATCHED, US.OFF_DUTY),
        (US.ON_SCENE, US.EN_ROUTE),
        (US.ON_SCENE, US.DISPATCHED),
        (US.OFF_DUTY, US.DISPATCHED),
        (US.OFF_DUTY, US.OUT_OF_SERVICE),
        (US.OUT_OF_SERVICE, US.DISPATCHED),
    ],
)
def test_unit_forbidden_moves(current: US, target: US) -> None:
    with pytest.raises(InvalidTransition):
        check_unit("363-01", current, target)


# --- terminal states ---------------------------------------------------------------------


@pytest.mark.parametrize("terminal", [IS.CLOSED, IS.CANCELLED])
def test_closed_and_cancelled_are_terminal(terminal: IS) -> None:
    assert terminal.terminal
    assert INCIDENT_TRANSITIONS[terminal] == frozenset()
    for target in IS:
        with pytest.raises(InvalidTransition) as info:
            check_incident("#3", terminal, target)
        assert info.value.allowed == []
        assert "nothing (final state)" in str(info.value)


def test_only_closed_and_cancelled_are_terminal() -> None:
    assert {s for s in IS if s.terminal} == {IS.CLOSED, IS.CANCELLED}
    # every non-terminal status has a way forward
    assert all(INCIDENT_TRANSITIONS[s] for s in IS if not s.terminal)
    # and every unit status can get back to available
    assert all(US.AVAILABLE in UNIT_TRANSITIONS[s] for s in US if s is not US.AVAILABLE)


def test_every_incident_status_is_reachable_from_new() -> None:
    seen, todo = {IS.NEW}, [IS.NEW]
    while todo:
        for nxt in INCIDENT_TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(IS)


# --- progress: an incident follows its most advanced unit --------------------------------


def test_incident_progress_orders_the_arrival_path() -> None:
    path = [IS.NEW, IS.DISPATCHED, IS.EN_ROUTE, IS.ON_SCENE]
    assert set(INCIDENT_PROGRESS) == set(path)
    assert [INCIDENT_PROGRESS[s] for s in path] == [0, 1, 2, 3]
    assert IS.CLEARED not in INCIDENT_PROGRESS


def test_unit_status_maps_to_the_matching_incident_status() -> None:
    assert dict(UNIT_TO_INCIDENT) == {
        US.DISPATCHED: IS.DISPATCHED,
        US.EN_ROUTE: IS.EN_ROUTE,
        US.ON_SCENE: IS.ON_SCENE,
    }
    # each step of a unit is a legal step of its incident
    for before, after in itertools.pairwise([US.DISPATCHED, US.EN_ROUTE, US.ON_SCENE]):
        check_incident("#1", UNIT_TO_INCIDENT[before], UNIT_TO_INCIDENT[after])
