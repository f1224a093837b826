"""Command handlers: decide() checked against the state, events folded in with apply()."""

from __future__ import annotations

import math

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import (
    AlreadyExists,
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationError,
    VersionConflict,
)
from gvcommand.core.handlers import UnitBusy, decide
from gvcommand.core.model import (
    CameraOwner,
    Force,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    Role,
    UnitStatus,
)
from gvcommand.core.state import State

from ._desk import ADMIN, OPERATOR, OPERATOR_2, SUPERVISOR, Desk, kinds

INC = "9b2f4c1e-0d7a-4c55-8e0b-1f3a5d6c7e81"
INC_2 = "4e1d2c3b-aaaa-4bbb-8ccc-000000000002"
A, B, C = "363-01", "363-02", "HS-01"


@pytest.fixture
def desk() -> Desk:
    d = Desk()
    d.add_ward("P1", "Phường 1")
    d.add_ward("P10", "Phường 10")
    d.add_unit(A, Force.TO_363, "P1")
    d.add_unit(B, Force.TO_363, "P10")
    d.add_unit(C, Force.HINH_SU)
    d.create_incident(INC, ward="P10")
    return d


def status(desk: Desk, incident_id: str = INC) -> IncidentStatus:
    inc = desk.state.incident(incident_id)
    assert inc is not None
    return inc.status


def unit_status(desk: Desk, call_sign: str) -> UnitStatus:
    unit = desk.state.unit(call_sign)
    assert unit is not None
    return unit.status


def dispatch(desk: Desk, unit: str, incident: str = INC, actor=OPERATOR) -> list[ev.StoredEvent]:
    return desk.run(c.DispatchUnit(incident, unit), actor)


def set_status(desk: Desk, unit: str, to: UnitStatus, reason: str | None = None, actor=OPERATOR):
    return desk.run(c.SetUnitStatus(unit, to, reason), actor)


def incident_moves(events: list[ev.StoredEvent]) -> list[tuple[str, str]]:
    return [
        (e.payload["from"], e.payload["to"]) for e in events if e.kind == ev.INCIDENT_STATUS_CHANGED
    ]


# --- lifecycle ---------------------------------------------------------------------------


def test_created_incident(desk: Desk) -> None:
    inc = desk.state.incident(INC)
    assert inc is not None
    assert inc.status is IncidentStatus.NEW
    assert inc.number == 1
    assert inc.created_by == OPERATOR.name
    assert inc.type is IncidentType.SNATCH_THEFT
    assert inc.source is IncidentSource.PHONE
    assert inc.ward == "P10"
    assert inc.summary == "Cướp giật điện thoại"
    assert inc.created_us == desk.log[-1].ts_us == inc.status_since_us


def test_full_dispatch_lifecycle(desk: Desk) -> None:
    out = dispatch(desk, A)
    assert kinds(out) == [ev.UNIT_DISPATCHED, ev.INCIDENT_UNIT_ASSIGNED, ev.INCIDENT_STATUS_CHANGED]
    assert incident_moves(out) == [("new", "dispatched")]
    unit = desk.state.unit(A)
    assert unit is not None
    assert (unit.status, unit.incident_id, unit.status_by) == (
        UnitStatus.DISPATCHED,
        INC,
        OPERATOR.name,
    )
    assert status(desk) is IncidentStatus.DISPATCHED

    out = set_status(desk, A, UnitStatus.EN_ROUTE)
    assert incident_moves(out) == [("dispatched", "en-route")]
    assert (unit_status(desk, A), status(desk)) == (UnitStatus.EN_ROUTE, IncidentStatus.EN_ROUTE)
    assert desk.state.unit(A).incident_id == INC  # type: ignore[union-attr]

    out = set_status(desk, A, UnitStatus.ON_SCENE)
    assert incident_moves(out) == [("en-route", "on-scene")]
    assert (unit_status(desk, A), status(desk)) == (UnitStatus.ON_SCENE, IncidentStatus.ON_SCENE)

    # the last unit clearing clears the incident
    out = set_status(desk, A, UnitStatus.AVAILABLE)
    assert kinds(out) == [ev.UNIT_AVAILABLE, ev.INCIDENT_UNIT_RELEASED, ev.INCIDENT_STATUS_CHANGED]
    assert incident_moves(out) == [("on-scene", "cleared")]
    assert desk.state.unit(A).incident_id is None  # type: ignore[union-attr]
    assert desk.state.units_on(INC) == []
    assert status(desk) is IncidentStatus.CLEARED

    out = desk.run(c.CloseIncident(INC, "Đã bắt giữ đối tượng"), OPERATOR)
    assert incident_moves(out) == [("cleared", "closed")]
    inc = desk.state.incident(INC)
    assert inc is not None
    assert inc.status is IncidentStatus.CLOSED
    assert inc.reason == "Đã bắt giữ đối tượng"
    assert inc.status_since_us == out[-1].ts_us
    desk.check_log()


def test_incident_follows_its_most_advanced_unit(desk: Desk) -> None:
    dispatch(desk, A)
    assert incident_moves(dispatch(desk, B)) == []  # already dispatched
    assert status(desk) is IncidentStatus.DISPATCHED

    assert incident_moves(set_status(desk, B, UnitStatus.EN_ROUTE)) == [("dispatched", "en-route")]
    assert incident_moves(set_status(desk, A, UnitStatus.EN_ROUTE)) == []
    assert status(desk) is IncidentStatus.EN_ROUTE

    assert incident_moves(set_status(desk, A, UnitStatus.ON_SCENE)) == [("en-route", "on-scene")]
    assert incident_moves(set_status(desk, B, UnitStatus.ON_SCENE)) == []
    assert status(desk) is IncidentStatus.ON_SCENE
    assert [u.call_sign for u in desk.state.units_on(INC)] == [A, B]
    desk.check_log()


def test_second_unit_to_on_scene_incident_does_not_move_it_back(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)

    out = dispatch(desk, B)
    assert kinds(out) == [ev.UNIT_DISPATCHED, ev.INCIDENT_UNIT_ASSIGNED]
    assert status(desk) is IncidentStatus.ON_SCENE
    out = set_status(desk, B, UnitStatus.EN_ROUTE)
    assert kinds(out) == [ev.UNIT_EN_ROUTE]
    assert status(desk) is IncidentStatus.ON_SCENE
    assert unit_status(desk, B) is UnitStatus.EN_ROUTE


def test_unit_leaving_while_others_remain_does_not_clear(desk: Desk) -> None:
    for unit in (A, B):
        dispatch(desk, unit)
        set_status(desk, unit, UnitStatus.EN_ROUTE)
        set_status(desk, unit, UnitStatus.ON_SCENE)
    out = set_status(desk, A, UnitStatus.AVAILABLE)
    assert kinds(out) == [ev.UNIT_AVAILABLE, ev.INCIDENT_UNIT_RELEASED]
    assert out[1].payload == {"unit": A}
    assert status(desk) is IncidentStatus.ON_SCENE

    out = set_status(desk, B, UnitStatus.AVAILABLE)
    assert incident_moves(out) == [("on-scene", "cleared")]
    assert status(desk) is IncidentStatus.CLEARED


def test_last_unit_going_out_of_service_on_scene_clears_the_incident(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)
    out = set_status(desk, A, UnitStatus.OUT_OF_SERVICE, "Xe hỏng")
    assert kinds(out) == [
        ev.UNIT_OUT_OF_SERVICE,
        ev.INCIDENT_UNIT_RELEASED,
        ev.INCIDENT_STATUS_CHANGED,
    ]
    assert status(desk) is IncidentStatus.CLEARED
    unit = desk.state.unit(A)
    assert unit is not None
    assert (unit.status, unit.status_reason, unit.incident_id) == (
        UnitStatus.OUT_OF_SERVICE,
        "Xe hỏng",
        None,
    )


def test_recalling_all_units_from_dispatched_incident_returns_it_to_new(desk: Desk) -> None:
    dispatch(desk, A)
    dispatch(desk, B)
    out = set_status(desk, A, UnitStatus.AVAILABLE)
    assert incident_moves(out) == []
    assert status(desk) is IncidentStatus.DISPATCHED

    out = set_status(desk, B, UnitStatus.AVAILABLE)
    assert incident_moves(out) == [("dispatched", "new")]
    inc = desk.state.incident(INC)
    assert inc is not None
    assert inc.status is IncidentStatus.NEW
    assert inc.reason == "all units recalled"
    assert desk.state.units_on(INC) == []
    assert {unit_status(desk, A), unit_status(desk, B)} == {UnitStatus.AVAILABLE}

    # back in the queue: it can be dispatched again
    assert incident_moves(dispatch(desk, C)) == [("new", "dispatched")]
    desk.check_log()


def test_recalling_the_only_en_route_unit_returns_incident_to_new(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    out = set_status(desk, A, UnitStatus.AVAILABLE)
    assert incident_moves(out) == [("en-route", "new")]


def test_clear_incident_releases_all_units(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)
    dispatch(desk, B)
    set_status(desk, B, UnitStatus.EN_ROUTE)
    dispatch(desk, C)

    out = desk.run(c.ClearIncident(INC), SUPERVISOR)
    assert incident_moves(out) == [("on-scene", "cleared")]
    released = [e.payload["unit"] for e in out if e.kind == ev.INCIDENT_UNIT_RELEASED]
    assert sorted(released) == sorted([A, B, C])
    assert kinds(out).count(ev.UNIT_AVAILABLE) == 3
    assert status(desk) is IncidentStatus.CLEARED
    assert desk.state.units_on(INC) == []
    for call_sign in (A, B, C):
        unit = desk.state.unit(call_sign)
        assert unit is not None
        assert unit.status is UnitStatus.AVAILABLE
        assert unit.incident_id is None
        assert unit.status_reason == "incident #1 cleared"
        assert unit.status_by == SUPERVISOR.name
    desk.check_log()


@pytest.mark.parametrize("steps", [0, 1])
def test_clear_incident_before_arrival_is_refused(desk: Desk, steps: int) -> None:
    if steps:
        dispatch(desk, A)
    err = desk.refuse(c.ClearIncident(INC), OPERATOR, InvalidTransition).value
    assert err.target == "cleared"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_cancel_requires_a_reason(desk: Desk, reason: str) -> None:
    dispatch(desk, A)
    err = desk.refuse(c.CancelIncident(INC, reason), OPERATOR, ValidationError).value
    assert "reason" in str(err)


@pytest.mark.parametrize("progress", ["new", "dispatched", "en-route"])
def test_cancel_with_reason_releases_units(desk: Desk, progress: str) -> None:
    if progress != "new":
        dispatch(desk, A)
        dispatch(desk, B)
    if progress == "en-route":
        set_status(desk, A, UnitStatus.EN_ROUTE)
    assert status(desk).value == progress

    out = desk.run(c.CancelIncident(INC, "  Báo nhầm  "), OPERATOR_2)
    assert incident_moves(out) == [(progress, "cancelled")]
    inc = desk.state.incident(INC)
    assert inc is not None
    assert inc.status is IncidentStatus.CANCELLED
    assert inc.reason == "Báo nhầm"  # stripped
    assert desk.state.units_on(INC) == []
    for call_sign in (A, B):
        unit = desk.state.unit(call_sign)
        assert unit is not None
        assert (unit.status, unit.incident_id) == (UnitStatus.AVAILABLE, None)
    if progress != "new":
        assert desk.state.unit(A).status_reason == "incident #1 cancelled"  # type: ignore[union-attr]
    desk.check_log()


def test_cancel_on_scene_incident_is_refused(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)
    err = desk.refuse(c.CancelIncident(INC, "Báo nhầm"), OPERATOR, InvalidTransition).value
    assert (err.current, err.target) == ("on-scene", "cancelled")
    assert "#1" in str(err)
    assert unit_status(desk, A) is UnitStatus.ON_SCENE


def test_terminal_incident_accepts_no_further_status(desk: Desk) -> None:
    desk.run(c.CancelIncident(INC, "Báo nhầm"), OPERATOR)
    desk.refuse(c.CancelIncident(INC, "lần nữa"), OPERATOR, InvalidTransition)
    desk.refuse(c.CloseIncident(INC), OPERATOR, InvalidTransition)
    desk.refuse(c.ClearIncident(INC), OPERATOR, InvalidTransition)
    desk.refuse(c.DispatchUnit(INC, A), OPERATOR, InvalidTransition)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_out_of_service_requires_a_reason(desk: Desk, reason: str | None) -> None:
    err = desk.refuse(
        c.SetUnitStatus(A, UnitStatus.OUT_OF_SERVICE, reason), OPERATOR, ValidationError
    ).value
    assert "reason" in str(err)


def test_out_of_service_with_reason_then_back(desk: Desk) -> None:
    set_status(desk, A, UnitStatus.OUT_OF_SERVICE, "Bảo dưỡng xe")
    unit = desk.state.unit(A)
    assert unit is not None
    assert (unit.status, unit.status_reason) == (UnitStatus.OUT_OF_SERVICE, "Bảo dưỡng xe")
    desk.refuse(c.DispatchUnit(INC, A), OPERATOR, UnitBusy)
    set_status(desk, A, UnitStatus.AVAILABLE)
    assert (unit.status, unit.status_reason) == (UnitStatus.AVAILABLE, None)
    # off duty needs no reason
    set_status(desk, A, UnitStatus.OFF_DUTY)
    assert unit.status is UnitStatus.OFF_DUTY


def test_set_unit_status_dispatched_is_refused(desk: Desk) -> None:
    err = desk.refuse(c.SetUnitStatus(A, UnitStatus.DISPATCHED), OPERATOR, ValidationError).value
    assert "dispatch" in str(err)


@pytest.mark.parametrize(
    ("to", "current"),
    [
        (UnitStatus.EN_ROUTE, UnitStatus.AVAILABLE),
        (UnitStatus.ON_SCENE, UnitStatus.AVAILABLE),
        (UnitStatus.AVAILABLE, UnitStatus.AVAILABLE),
    ],
)
def test_set_unit_status_checks_the_state_machine(
    desk: Desk, to: UnitStatus, current: UnitStatus
) -> None:
    err = desk.refuse(c.SetUnitStatus(A, to), OPERATOR, InvalidTransition).value
    assert (err.current, err.target) == (current.value, to.value)
    assert "Unit 363-01" in str(err)


def test_dispatched_unit_must_go_en_route_before_on_scene(desk: Desk) -> None:
    dispatch(desk, A)
    desk.refuse(c.SetUnitStatus(A, UnitStatus.ON_SCENE), OPERATOR, InvalidTransition)
    desk.refuse(c.SetUnitStatus(A, UnitStatus.OFF_DUTY), OPERATOR, InvalidTransition)


# --- conflicts ---------------------------------------------------------------------------


def test_dispatching_a_busy_unit_names_incident_and_actor(desk: Desk) -> None:
    desk.create_incident(INC_2, actor=OPERATOR_2)
    dispatch(desk, A, INC, actor=OPERATOR)
    err = desk.refuse(c.DispatchUnit(INC_2, A), OPERATOR_2, UnitBusy).value
    msg = str(err)
    assert A in msg
    assert INC in msg
    assert OPERATOR.name in msg
    assert "dispatched" in msg
    assert isinstance(err, InvalidTransition)
    assert err.code == "conflict"
    assert (err.current, err.target) == ("dispatched", "dispatched")
    assert err.unit.incident_id == INC
    # the second incident was not touched
    assert status(desk, INC_2) is IncidentStatus.NEW


def test_dispatching_the_same_unit_twice_to_the_same_incident_is_refused(desk: Desk) -> None:
    dispatch(desk, A)
    desk.refuse(c.DispatchUnit(INC, A), OPERATOR, UnitBusy)


@pytest.mark.parametrize("duty", [UnitStatus.OFF_DUTY, UnitStatus.OUT_OF_SERVICE])
def test_unit_off_duty_or_out_of_service_cannot_be_dispatched(desk: Desk, duty: UnitStatus) -> None:
    set_status(desk, A, duty, "Họp giao ban", actor=SUPERVISOR)
    msg = str(desk.refuse(c.DispatchUnit(INC, A), OPERATOR, UnitBusy).value)
    assert duty.value in msg
    assert SUPERVISOR.name in msg
    assert "to incident" not in msg


def test_stale_expected_version_on_unit(desk: Desk) -> None:
    seen = desk.state.unit(A).version  # type: ignore[union-attr]
    dispatch(desk, A, actor=OPERATOR)
    actual = desk.state.unit(A).version  # type: ignore[union-attr]
    assert actual > seen

    err = desk.refuse(
        c.SetUnitStatus(A, UnitStatus.EN_ROUTE, expected_version=seen), OPERATOR_2, VersionConflict
    ).value
    assert (err.expected, err.actual, err.last_actor) == (seen, actual, OPERATOR.name)
    msg = str(err)
    assert f"your version {seen}" in msg
    assert f"now {actual}" in msg
    assert f"by {OPERATOR.name}" in msg
    assert "unit:363-01" in msg

    # with the current version it goes through
    set_status_cmd = c.SetUnitStatus(A, UnitStatus.EN_ROUTE, expected_version=actual)
    desk.run(set_status_cmd, OPERATOR_2)
    assert unit_status(desk, A) is UnitStatus.EN_ROUTE


def test_stale_expected_version_on_dispatch_beats_busy(desk: Desk) -> None:
    seen = desk.state.unit(A).version  # type: ignore[union-attr]
    dispatch(desk, A)
    desk.create_incident(INC_2)
    err = desk.refuse(
        c.DispatchUnit(INC_2, A, expected_version=seen), OPERATOR_2, VersionConflict
    ).value
    assert err.last_actor == OPERATOR.name


def test_stale_expected_version_on_incident(desk: Desk) -> None:
    seen = desk.state.incident(INC).version  # type: ignore[union-attr]
    dispatch(desk, A)
    actual = desk.state.incident(INC).version  # type: ignore[union-attr]
    assert actual == seen + 2  # assigned + status changed
    err = desk.refuse(
        c.CancelIncident(INC, "Báo nhầm", expected_version=seen), OPERATOR_2, VersionConflict
    ).value
    assert (err.expected, err.actual) == (seen, actual)
    assert f"your version {seen}" in str(err)
    assert f"now {actual}" in str(err)


def test_stale_expected_version_on_incident_names_last_actor(desk: Desk) -> None:
    seen = desk.state.incident(INC).version  # type: ignore[union-attr]
    dispatch(desk, A, actor=OPERATOR)
    err = desk.refuse(
        c.CancelIncident(INC, "Báo nhầm", expected_version=seen), OPERATOR_2, VersionConflict
    ).value
    assert OPERATOR.name in str(err)


# --- not found ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (c.DispatchUnit(INC, "363-99"), "363-99"),
        (c.DispatchUnit("no-such-incident", A), "no-such-incident"),
        (c.SetUnitStatus("363-99", UnitStatus.EN_ROUTE), "363-99"),
        (c.ClearIncident("no-such-incident"), "no-such-incident"),
        (c.CloseIncident("no-such-incident"), "no-such-incident"),
        (c.CancelIncident("no-such-incident", "Báo nhầm"), "no-such-incident"),
        (c.AddIncidentNote("no-such-incident", "ghi chú"), "no-such-incident"),
    ],
)
def test_unknown_unit_or_incident(desk: Desk, command: c.Command, missing: str) -> None:
    err = desk.refuse(command, OPERATOR, NotFound).value
    assert missing in str(err)
    assert err.code == "not-found"


def test_change_role_of_unknown_user(desk: Desk) -> None:
    desk.refuse(c.ChangeUserRole("khongco", Role.SUPERVISOR), ADMIN, NotFound)


# --- validation --------------------------------------------------------------------------


def _incident_cmd(
    incident_id: str = INC_2,
    priority: int = 2,
    lon: float = 106.68,
    lat: float = 10.84,
    ward: str | None = None,
) -> c.CreateIncident:
    return c.CreateIncident(
        incident_id, IncidentType.FIGHT, priority, lon, lat, IncidentSource.CAMERA, ward=ward
    )


@pytest.mark.parametrize("priority", [0, 5, -1, 10])
def test_priority_outside_1_to_4_is_refused(desk: Desk, priority: int) -> None:
    err = desk.refuse(_incident_cmd(priority=priority), OPERATOR, ValidationError).value
    assert str(priority) in str(err)


@pytest.mark.parametrize("priority", [1, 2, 3, 4])
def test_priority_1_to_4_is_accepted(desk: Desk, priority: int) -> None:
    desk.run(_incident_cmd(priority=priority), OPERATOR)
    assert desk.state.incident(INC_2).priority == priority  # type: ignore[union-attr]


BAD_LONLAT = [
    (180.0001, 10.0),
    (-180.5, 10.0),
    (106.0, 90.01),
    (106.0, -91.0),
    (math.nan, 10.0),
    (106.0, math.nan),
    (math.inf, 10.0),
    (106.0, -math.inf),
]


@pytest.mark.parametrize(("lon", "lat"), BAD_LONLAT)
def test_incident_location_out_of_range(desk: Desk, lon: float, lat: float) -> None:
    err = desk.refuse(_incident_cmd(lon=lon, lat=lat), OPERATOR, ValidationError).value
    assert "longitude/latitude" in str(err)


@pytest.mark.parametrize(("lon", "lat"), BAD_LONLAT)
def test_camera_location_out_of_range(desk: Desk, lon: float, lat: float) -> None:
    desk.refuse(c.AddCamera("CAM-01", "Ngã tư", lon, lat), SUPERVISOR, ValidationError)


@pytest.mark.parametrize(("lon", "lat"), [(180.0, 90.0), (-180.0, -90.0), (0.0, 0.0)])
def test_location_bounds_are_inclusive(desk: Desk, lon: float, lat: float) -> None:
    desk.run(_incident_cmd(lon=lon, lat=lat), OPERATOR)
    inc = desk.state.incident(INC_2)
    assert inc is not None
    assert (inc.lon, inc.lat) == (lon, lat)


@pytest.mark.parametrize(
    "name",
    ["", "a", "Lan", "-lan", ".lan", "lan ngoc", "x" * 33, "nguyễn", "lan@pc", " lan"],
)
def test_bad_user_names_are_refused(desk: Desk, name: str) -> None:
    desk.refuse(c.CreateUser(name, Role.OPERATOR), ADMIN, ValidationError)


@pytest.mark.parametrize("name", ["ab", "lan", "nguyen.van-a_1", "9x", "a" * 32])
def test_good_user_names_are_accepted(desk: Desk, name: str) -> None:
    desk.run(c.CreateUser(name, Role.OPERATOR, "Nguyễn Văn A"), ADMIN)
    user = desk.state.user(name)
    assert user is not None
    assert (user.role, user.display_name, user.active) == (Role.OPERATOR, "Nguyễn Văn A", True)


def test_user_name_with_trailing_newline_is_refused(desk: Desk) -> None:
    desk.refuse(c.CreateUser("lan\n", Role.OPERATOR), ADMIN, ValidationError)


def test_duplicate_incident_id_is_refused_not_duplicated(desk: Desk) -> None:
    before = len(desk.state.incidents)
    err = desk.refuse(_incident_cmd(incident_id=INC), OPERATOR, AlreadyExists).value
    assert INC in str(err)
    assert err.code == "exists"
    assert len(desk.state.incidents) == before
    # the refused retry did not use up an incident number
    desk.run(_incident_cmd(incident_id=INC_2), OPERATOR)
    assert desk.state.incident(INC_2).number == 2  # type: ignore[union-attr]


def test_duplicate_incident_id_refused_even_after_it_closed(desk: Desk) -> None:
    desk.run(c.CancelIncident(INC, "Báo nhầm"), OPERATOR)
    desk.refuse(_incident_cmd(incident_id=INC), OPERATOR, AlreadyExists)


@pytest.mark.parametrize(
    ("command", "actor"),
    [
        (c.AddWard("P1", "Phường Một"), SUPERVISOR),
        (c.AddWard(" P1 ", "Phường Một"), SUPERVISOR),
        (c.AddUnit(A, Force.PHUONG), SUPERVISOR),
        (c.AddUnit(" 363-01", Force.PHUONG), SUPERVISOR),
    ],
)
def test_duplicate_roster_ids_are_refused(desk: Desk, command: c.Command, actor) -> None:
    desk.refuse(command, actor, AlreadyExists)


def test_duplicate_user_and_camera(desk: Desk) -> None:
    desk.run(c.CreateUser("bao", Role.OPERATOR), ADMIN)
    desk.refuse(c.CreateUser("bao", Role.SUPERVISOR), ADMIN, AlreadyExists)
    desk.run(c.AddCamera("CAM-01", "Ngã tư Phan Văn Trị", 106.68, 10.83), SUPERVISOR)
    desk.refuse(c.AddCamera("CAM-01", "Khác", 106.7, 10.8), SUPERVISOR, AlreadyExists)


@pytest.mark.parametrize(
    ("command", "actor"),
    [
        (_incident_cmd(ward="P99"), OPERATOR),
        (c.AddUnit("PH-09", Force.PHUONG, "P99"), SUPERVISOR),
        (c.AddCamera("CAM-09", "Chợ", 106.68, 10.83, ward="P99"), SUPERVISOR),
    ],
)
def test_unknown_ward_is_refused(desk: Desk, command: c.Command, actor) -> None:
    err = desk.refuse(command, actor, NotFound).value
    assert "P99" in str(err)


def test_empty_ward_means_no_ward(desk: Desk) -> None:
    desk.run(c.AddUnit("PH-09", Force.PHUONG, ""), SUPERVISOR)
    assert desk.state.unit("PH-09").home_ward is None  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["", "   ", "x" * 41, "-P1", "P1;DROP", "P1\nP2"])
def test_bad_codes_are_refused(desk: Desk, code: str) -> None:
    desk.refuse(c.AddWard(code, "Phường"), SUPERVISOR, ValidationError)


def test_codes_are_stripped_and_may_be_vietnamese(desk: Desk) -> None:
    desk.run(c.AddWard("  Phường 5 ", "Phường 5"), SUPERVISOR)
    assert desk.state.ward("Phường 5") is not None


@pytest.mark.parametrize(
    "command",
    [
        c.AddWard("P2", "   "),
        c.AddCamera("CAM-02", "", 106.7, 10.8),
        c.AddCamera("CAM-02", "Cổng chợ", 106.7, 10.8, fov_deg=0),
        c.AddCamera("CAM-02", "Cổng chợ", 106.7, 10.8, fov_deg=361),
        c.AddCamera("CAM-02", "Cổng chợ", 106.7, 10.8, range_m=0),
        c.AddCamera("CAM-02", "Cổng chợ", 106.7, 10.8, range_m=5001),
        c.AddCamera("CAM-02", "Cổng chợ", 106.7, 10.8, fov_deg=math.nan),
    ],
)
def test_roster_validation(desk: Desk, command: c.Command) -> None:
    desk.refuse(command, SUPERVISOR, ValidationError)


def test_camera_azimuth_is_normalised(desk: Desk) -> None:
    desk.run(
        c.AddCamera("CAM-03", "Cổng chợ", 106.7, 10.8, CameraOwner.WARD, "P1", -90.0, 60.0, 120.0),
        SUPERVISOR,
    )
    cam = desk.state.camera("CAM-03")
    assert cam is not None
    assert (cam.azimuth_deg, cam.owner, cam.ward) == (270.0, CameraOwner.WARD, "P1")


@pytest.mark.parametrize("azimuth", [math.nan, math.inf])
def test_camera_azimuth_nan_or_inf_is_refused(desk: Desk, azimuth: float) -> None:
    with pytest.raises(ValidationError):
        decide(
            desk.state,
            c.AddCamera("CAM-04", "Cổng chợ", 106.7, 10.8, azimuth_deg=azimuth),
            SUPERVISOR,
        )


@pytest.mark.parametrize(
    "command",
    [
        c.CreateIncident(
            INC_2, IncidentType.THEFT, 2, 106.7, 10.8, IncidentSource.PHONE, address="x" * 301
        ),
        c.CreateIncident(
            INC_2, IncidentType.THEFT, 2, 106.7, 10.8, IncidentSource.PHONE, summary="x" * 4001
        ),
        c.CreateIncident("", IncidentType.THEFT, 2, 106.7, 10.8, IncidentSource.PHONE),
        c.AddIncidentNote(INC, "   "),
        c.AddIncidentNote(INC, "x" * 4001),
        c.CancelIncident(INC, "x" * 301),
    ],
)
def test_text_limits(desk: Desk, command: c.Command) -> None:
    desk.refuse(command, OPERATOR, ValidationError)


def test_note_is_recorded_and_bumps_the_version(desk: Desk) -> None:
    before = desk.state.incident(INC).version  # type: ignore[union-attr]
    out = desk.run(c.AddIncidentNote(INC, "  Đối tượng đi xe máy Wave  "), OPERATOR)
    assert kinds(out) == [ev.INCIDENT_NOTE_ADDED]
    assert out[0].payload == {"text": "Đối tượng đi xe máy Wave"}
    assert out[0].subject == f"incident:{INC}"
    assert desk.state.incident(INC).version == before + 1  # type: ignore[union-attr]
    assert status(desk) is IncidentStatus.NEW


def test_change_user_role(desk: Desk) -> None:
    desk.run(c.CreateUser("bao", Role.OPERATOR), ADMIN)
    desk.run(c.CreateUser(ADMIN.name, Role.ADMIN), ADMIN)
    out = desk.run(c.ChangeUserRole("bao", Role.SUPERVISOR, expected_version=1), ADMIN)
    assert out[0].payload == {"role": "supervisor", "from": "operator"}
    assert desk.state.user("bao").role is Role.SUPERVISOR  # type: ignore[union-attr]
    desk.refuse(c.ChangeUserRole("bao", Role.SUPERVISOR), ADMIN, ValidationError)
    desk.refuse(c.ChangeUserRole("bao", Role.AUDITOR, expected_version=1), ADMIN, VersionConflict)
    # nobody changes their own role
    desk.refuse(c.ChangeUserRole(ADMIN.name, Role.OPERATOR), ADMIN, ValidationError)


# --- numbering and purity ----------------------------------------------------------------


def test_incident_numbers_are_sequential(desk: Desk) -> None:
    ids = [f"inc-{i:02d}" for i in range(2, 8)]
    for n, incident_id in enumerate(ids, start=2):
        assert desk.state.next_incident_number() == n
        desk.run(_incident_cmd(incident_id=incident_id), OPERATOR)
        # a refusal in between takes no number
        desk.refuse(_incident_cmd(incident_id=incident_id), OPERATOR, AlreadyExists)
        desk.refuse(
            _incident_cmd(incident_id="x-" + incident_id, priority=9), OPERATOR, ValidationError
        )
    numbers = sorted(i.number for i in desk.state.incidents.values())
    assert numbers == list(range(1, 8))
    desk.check_log()


def test_decide_does_not_change_the_state(desk: Desk) -> None:
    dispatch(desk, A)
    before = desk.state.comparable()
    first = decide(desk.state, c.SetUnitStatus(A, UnitStatus.EN_ROUTE), OPERATOR)
    second = decide(desk.state, c.SetUnitStatus(A, UnitStatus.EN_ROUTE), OPERATOR)
    assert first == second
    assert desk.state.comparable() == before
    assert unit_status(desk, A) is UnitStatus.DISPATCHED


def test_refusals_are_domain_errors_and_write_nothing() -> None:
    """A refused command on an empty state: the state stays at the genesis."""
    state = State()
    with pytest.raises(DomainError):
        decide(state, c.DispatchUnit(INC, A), OPERATOR)
    assert state.last_seq == 0
    assert state.last_hash == ev.GENESIS_HASH
    assert state.comparable() == State().comparable()


def test_dispatch_to_cleared_incident_is_refused(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)
    set_status(desk, A, UnitStatus.AVAILABLE)
    err = desk.refuse(c.DispatchUnit(INC, B), OPERATOR, InvalidTransition).value
    assert (err.what, err.current, err.target) == ("Incident #1", "cleared", "dispatched")


def test_dispatch_to_cleared_incident_message_does_not_call_it_final(desk: Desk) -> None:
    dispatch(desk, A)
    set_status(desk, A, UnitStatus.EN_ROUTE)
    set_status(desk, A, UnitStatus.ON_SCENE)
    set_status(desk, A, UnitStatus.AVAILABLE)
    err = desk.refuse(c.DispatchUnit(INC, B), OPERATOR, InvalidTransition).value
    assert "final state" not in str(err)
