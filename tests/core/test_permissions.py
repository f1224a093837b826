"""Who may run which command: decide() refuses with PermissionDenied exactly when the role
may not, and checks that before anything else."""

from __future__ import annotations

import dataclasses
import itertools
import typing

import pytest

from gvcommand.core import commands as c
from gvcommand.core import permissions
from gvcommand.core.errors import DomainError, PermissionDenied
from gvcommand.core.handlers import decide
from gvcommand.core.model import (
    Actor,
    CameraOwner,
    ComplexPointStatus,
    Force,
    IncidentSource,
    IncidentType,
    Role,
    UnitStatus,
    WardOfEdition,
)

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk

ALL_COMMANDS: tuple[type, ...] = typing.get_args(c.Command)

DISPATCH = {
    c.CreateIncident,
    c.DispatchUnit,
    c.SetUnitStatus,
    c.ClearIncident,
    c.CloseIncident,
    c.CancelIncident,
    c.AddIncidentNote,
    c.LinkReport,
}
ROSTER = {c.AddUnit, c.AddCamera, c.UpdateCamera, c.RetireCamera, c.AddWard,
          c.ImportBoundaryEdition, c.AddComplexPoint,
          c.RegisterDevice, c.RetireDevice}
USERS = {c.CreateUser, c.ChangeUserRole}
WATCH = {c.SetComplexPointStatus}  # declaring a complex point settled: supervisors only
# reference data every console draws: administrators only
DATA = {c.ImportRoadNetwork, c.ImportPlaces}
# looking at recorded movements or cameras: every role, always on the record
VIEW = {c.ViewTrack, c.StartLiveView, c.StopLiveView}
DRILL = {c.SetUnitExercise}  # a unit on a drill or back on real duty: supervisors, admins

# The policy as the specification states it.
EXPECTED: dict[Role, set[type]] = {
    Role.OPERATOR: DISPATCH | VIEW,
    Role.SUPERVISOR: DISPATCH | ROSTER | WATCH | DRILL | VIEW,
    Role.ADMIN: ROSTER | USERS | DATA | DRILL | VIEW,
    Role.AUDITOR: VIEW,
}

NEW_INC, ONSCENE_INC, CLEARED_INC = "inc-new", "inc-onscene", "inc-cleared"


def _populated() -> Desk:
    """A state in which one valid instance of every command would succeed."""
    d = Desk()
    d.add_ward("P1", "Phường 1")
    for unit in ("363-01", "363-02", "363-03"):
        d.add_unit(unit)
    d.run(c.CreateUser("bao", Role.OPERATOR), ADMIN)
    for inc in (NEW_INC, ONSCENE_INC, CLEARED_INC):
        d.create_incident(inc)
    for unit, inc in (("363-01", ONSCENE_INC), ("363-02", CLEARED_INC)):
        d.run(c.DispatchUnit(inc, unit), OPERATOR)
        d.run(c.SetUnitStatus(unit, UnitStatus.EN_ROUTE), OPERATOR)
        d.run(c.SetUnitStatus(unit, UnitStatus.ON_SCENE), OPERATOR)
    d.run(c.ClearIncident(CLEARED_INC), OPERATOR)
    d.run(c.AddComplexPoint("DPT-01", "Cổng chợ Hạnh Thông Tây", 106.657, 10.836, "P1"),
          SUPERVISOR)
    d.run(c.RegisterDevice("phone-01", "363-01"), SUPERVISOR)
    d.run(c.AddCamera("CAM-00", "Cổng chợ", 106.657, 10.836, CameraOwner.WARD, "P1"), SUPERVISOR)
    return d


VALID: dict[type, object] = {
    c.CreateUser: c.CreateUser("cuong", Role.OPERATOR),
    c.ChangeUserRole: c.ChangeUserRole("bao", Role.SUPERVISOR),
    c.AddWard: c.AddWard("P3", "Phường 3"),
    c.AddUnit: c.AddUnit("HS-01", Force.HINH_SU, "P1"),
    c.SetUnitExercise: c.SetUnitExercise("363-03", True),
    c.AddCamera: c.AddCamera("CAM-01", "Ngã tư", 106.68, 10.83, CameraOwner.POLICE, "P1"),
    c.CreateIncident: c.CreateIncident(
        "inc-x", IncidentType.THEFT, 3, 106.68, 10.83, IncidentSource.PATROL
    ),
    c.DispatchUnit: c.DispatchUnit(NEW_INC, "363-03"),
    c.SetUnitStatus: c.SetUnitStatus("363-03", UnitStatus.OFF_DUTY),
    c.ClearIncident: c.ClearIncident(ONSCENE_INC),
    c.CloseIncident: c.CloseIncident(CLEARED_INC, "Đã xử lý"),
    c.CancelIncident: c.CancelIncident(NEW_INC, "Báo nhầm"),
    c.AddIncidentNote: c.AddIncidentNote(NEW_INC, "Ghi chú"),
    c.LinkReport: c.LinkReport(NEW_INC, IncidentSource.PHONE, "Gọi lần hai"),
    c.ImportBoundaryEdition: c.ImportBoundaryEdition(
        "2025", "2025-07-01", None, "0" * 64, (WardOfEdition("AN", "An Nhơn", 3.1, "1" * 64),)
    ),
    c.ImportRoadNetwork: c.ImportRoadNetwork("OSM 2018", "0" * 64, 1506, 310.84, "1" * 64),
    c.ImportPlaces: c.ImportPlaces("OSM 2018 POI", "0" * 64, 331, "1" * 64),
    c.AddComplexPoint: c.AddComplexPoint("DPT-02", "Hẻm 1 Lê Đức Thọ", 106.67, 10.84, "P1"),
    c.SetComplexPointStatus: c.SetComplexPointStatus(
        "DPT-01", ComplexPointStatus.RESOLVED, "Đã lắp camera, tăng tuần tra"
    ),
    c.RegisterDevice: c.RegisterDevice("phone-02", "363-02", has_secret=True),
    c.RetireDevice: c.RetireDevice("phone-01"),
    c.ViewTrack: c.ViewTrack("363-01", 0, 3_600_000_000),
    c.UpdateCamera: c.UpdateCamera.of("CAM-00", azimuth_deg=90.0, fov_deg=60.0),
    c.RetireCamera: c.RetireCamera("CAM-00", "Chủ nhà rút camera"),
    c.StartLiveView: c.StartLiveView("CAM-00", "0f6c3c1e-9d2a-4d7b-8f0e-1a2b3c4d5e6f"),
    c.StopLiveView: c.StopLiveView("CAM-00", "0f6c3c1e-9d2a-4d7b-8f0e-1a2b3c4d5e6f"),
}

# Commands that would fail for another reason (missing subject, invalid values).
POISONED: dict[type, object] = {
    c.CreateUser: c.CreateUser("Not Valid!", Role.ADMIN),
    c.ChangeUserRole: c.ChangeUserRole("khongco", Role.ADMIN, expected_version=99),
    c.AddWard: c.AddWard("", ""),
    c.AddUnit: c.AddUnit("363-01", Force.TO_363, "P99"),
    c.SetUnitExercise: c.SetUnitExercise("khongco", True),
    c.AddCamera: c.AddCamera("CAM-9", "", 999.0, 999.0),
    c.CreateIncident: c.CreateIncident(
        NEW_INC, IncidentType.THEFT, 9, 999.0, 999.0, IncidentSource.PATROL, ward="P99"
    ),
    c.DispatchUnit: c.DispatchUnit("khongco", "khongco"),
    c.SetUnitStatus: c.SetUnitStatus("khongco", UnitStatus.DISPATCHED),
    c.ClearIncident: c.ClearIncident("khongco"),
    c.CloseIncident: c.CloseIncident("khongco"),
    c.CancelIncident: c.CancelIncident("khongco", ""),
    c.AddIncidentNote: c.AddIncidentNote("khongco", ""),
    c.LinkReport: c.LinkReport("khongco", IncidentSource.PHONE),
    c.ImportBoundaryEdition: c.ImportBoundaryEdition("", "not a date", None, "", ()),
    c.ImportRoadNetwork: c.ImportRoadNetwork("", "", 0, float("nan"), ""),
    c.ImportPlaces: c.ImportPlaces("", "", 0, ""),
    c.AddComplexPoint: c.AddComplexPoint("DPT-01", "", 999.0, 999.0, "P99"),
    c.SetComplexPointStatus: c.SetComplexPointStatus("khongco", ComplexPointStatus.RESOLVED, ""),
    c.RegisterDevice: c.RegisterDevice("phone with spaces", "khongco"),
    c.RetireDevice: c.RetireDevice("khongco"),
    c.ViewTrack: c.ViewTrack("khongco", 10, 0, "peek"),
    c.UpdateCamera: c.UpdateCamera.of("khongco", port=0),
    c.RetireCamera: c.RetireCamera("khongco", ""),
    c.StartLiveView: c.StartLiveView("khongco", "x"),
    c.StopLiveView: c.StopLiveView("khongco", "x", ""),
}


def _actor(role: Role) -> Actor:
    # "bao" is not used as actor: ChangeUserRole on oneself is refused for other reasons
    return Actor(f"{role.value}-1", role, "console-9")


def test_universe_is_every_command_class() -> None:
    defined = {
        obj
        for obj in vars(c).values()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == c.__name__
    }
    assert set(ALL_COMMANDS) == defined
    assert set(VALID) == set(POISONED) == defined


def test_allowed_matches_the_spec() -> None:
    assert set(permissions.ALLOWED) == set(Role)
    assert {role: set(types) for role, types in permissions.ALLOWED.items()} == EXPECTED
    for types in permissions.ALLOWED.values():
        assert types <= set(ALL_COMMANDS)


@pytest.mark.parametrize(
    ("role", "command_type"),
    list(itertools.product(Role, ALL_COMMANDS)),
    ids=lambda v: v.value if isinstance(v, Role) else v.__name__,
)
def test_decide_refuses_exactly_what_the_role_may_not(role: Role, command_type: type) -> None:
    desk = _populated()
    actor = _actor(role)
    allowed = command_type in EXPECTED[role]
    assert permissions.may(role, command_type) is allowed
    command = VALID[command_type]
    if allowed:
        before = desk.state.last_seq
        out = desk.run(command, actor)  # type: ignore[arg-type]
        assert out, "an allowed, valid command decided no events"
        assert desk.state.last_seq == before + len(out)
        assert {e.actor for e in out} == {actor.name}
    else:
        err = desk.refuse(command, actor, PermissionDenied).value  # type: ignore[arg-type]
        assert err.code == "permission"
        assert actor.name in str(err)
        assert command_type.__name__ in str(err)
        assert role.label in str(err)


@pytest.mark.parametrize(
    ("role", "command_type"),
    [(r, t) for r, t in itertools.product(Role, ALL_COMMANDS) if t not in EXPECTED[r]],
    ids=lambda v: v.value if isinstance(v, Role) else v.__name__,
)
def test_permission_is_checked_before_anything_else(role: Role, command_type: type) -> None:
    desk = _populated()
    desk.refuse(POISONED[command_type], _actor(role), PermissionDenied)  # type: ignore[arg-type]


def test_poisoned_commands_really_fail_otherwise() -> None:
    """Guard for the test above: each poisoned command fails for an allowed role too, so
    the PermissionDenied there is not just the absence of any other error."""
    desk = _populated()
    for command_type, command in POISONED.items():
        role = next(
            r for r in (Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR) if command_type in EXPECTED[r]
        )
        with pytest.raises(DomainError) as info:
            decide(desk.state, command, _actor(role))  # type: ignore[arg-type]
        assert not isinstance(info.value, PermissionDenied), command_type


def test_operator_cannot_create_user() -> None:
    desk = _populated()
    desk.refuse(c.CreateUser("cuong", Role.OPERATOR), OPERATOR, PermissionDenied)
    desk.refuse(c.CreateUser("cuong", Role.OPERATOR), SUPERVISOR, PermissionDenied)


@pytest.mark.parametrize("command_type", [t for t in ALL_COMMANDS if t not in VIEW],
                         ids=lambda t: t.__name__)
def test_auditor_changes_nothing(command_type: type) -> None:
    assert not permissions.may(Role.AUDITOR, command_type)
    desk = _populated()
    desk.refuse(VALID[command_type], _actor(Role.AUDITOR), PermissionDenied)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command_type", sorted(DISPATCH, key=lambda t: t.__name__), ids=lambda t: t.__name__
)
def test_admin_cannot_dispatch(command_type: type) -> None:
    desk = _populated()
    desk.refuse(VALID[command_type], ADMIN, PermissionDenied)  # type: ignore[arg-type]


def test_supervisor_can_add_unit() -> None:
    desk = _populated()
    desk.run(c.AddUnit("HS-01", Force.HINH_SU), SUPERVISOR)
    unit = desk.state.unit("HS-01")
    assert unit is not None
    assert unit.force is Force.HINH_SU


def test_auditor_denied_even_for_nonexistent_unit() -> None:
    desk = Desk()
    auditor = Actor("thanhtra", Role.AUDITOR, "console-4")
    desk.refuse(c.SetUnitStatus("khong-co", UnitStatus.AVAILABLE), auditor, PermissionDenied)
    desk.refuse(c.DispatchUnit("khong-co", "khong-co"), auditor, PermissionDenied)


def test_check_uses_the_command_type_not_the_actor_name() -> None:
    # an actor named like an admin but holding the operator role is still an operator
    impostor = Actor("admin", Role.OPERATOR, "console-1")
    with pytest.raises(PermissionDenied):
        permissions.check(impostor, c.CreateUser("cuong", Role.ADMIN))
    permissions.check(impostor, c.AddIncidentNote("x", "y"))  # allowed: no error


def test_a_look_at_a_track_is_on_the_record_and_changes_nothing() -> None:
    desk = _populated()
    before = desk.state.comparable()
    unit_version = desk.state.units["363-01"].version
    (viewed,) = desk.run(c.ViewTrack("363-01", 0, 3_600_000_000), _actor(Role.AUDITOR))
    assert (viewed.kind, viewed.subject, viewed.actor) == ("track.viewed", "track:363-01",
                                                           "auditor-1")
    assert viewed.payload == {"from_us": 0, "to_us": 3_600_000_000, "purpose": "view"}
    assert desk.state.units["363-01"].version == unit_version  # no conflict for dispatchers
    after = desk.state.comparable()
    for key in ("last_seq", "last_hash", "last_ts_us"):
        before.pop(key), after.pop(key)
    assert after == before
    desk.run(c.ViewTrack("*", 0, 1, "export"), ADMIN)  # every unit at once, for an export
