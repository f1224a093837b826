"""State: apply, snapshots, terminal incidents, and the entity dict round trip."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.events import verify_chain
from gvcommand.core.model import (
    Camera,
    CameraOwner,
    Force,
    Incident,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    Role,
    Unit,
    UnitStatus,
    User,
    Ward,
)
from gvcommand.core.state import SNAPSHOT_FORMAT, State, apply, apply_all, replay

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk

OPEN, CLOSED, CANCELLED, ON_SCENE = "inc-open", "inc-closed", "inc-cancelled", "inc-onscene"


def busy_desk(keep_terminal: bool = True) -> Desk:
    """Every kind of entity, with enums, None fields and terminal incidents."""
    d = Desk(state=State(keep_terminal=keep_terminal))
    d.add_ward("P1", "Phường 1")
    d.add_ward("P10", "Phường 10")
    d.add_unit("363-01", Force.TO_363, "P1")
    d.add_unit("363-02", Force.TO_363)
    d.add_unit("HS-01", Force.HINH_SU, "P10")
    d.add_unit("PH-01", Force.PHUONG)
    d.run(
        c.AddCamera(
            "CAM-01",
            "Ngã sáu Gò Vấp",
            106.6789,
            10.8265,
            CameraOwner.WARD,
            "P10",
            45.0,
            90.0,
            150.0,
        ),
        SUPERVISOR,
    )
    d.run(c.AddCamera("CAM-02", "Chợ Hạnh Thông Tây", 106.66, 10.84), SUPERVISOR)
    d.run(c.CreateUser("bao", Role.OPERATOR, "Trần Văn Bảo"), ADMIN)
    d.run(c.CreateUser("thu", Role.AUDITOR), ADMIN)
    for inc in (CLOSED, CANCELLED, OPEN, ON_SCENE):
        d.create_incident(inc, ward="P10")
    # closed: full lifecycle
    d.run(c.DispatchUnit(CLOSED, "363-01"), OPERATOR)
    d.run(c.SetUnitStatus("363-01", UnitStatus.EN_ROUTE), OPERATOR)
    d.run(c.SetUnitStatus("363-01", UnitStatus.ON_SCENE), OPERATOR)
    d.run(c.ClearIncident(CLOSED), OPERATOR)
    d.run(c.CloseIncident(CLOSED, "Đã lập biên bản"), OPERATOR)
    # cancelled with a unit on the way
    d.run(c.DispatchUnit(CANCELLED, "363-02"), OPERATOR)
    d.run(c.CancelIncident(CANCELLED, "Báo nhầm"), OPERATOR)
    # open ones
    d.run(c.DispatchUnit(OPEN, "363-02"), OPERATOR)
    d.run(c.DispatchUnit(ON_SCENE, "HS-01"), OPERATOR)
    d.run(c.SetUnitStatus("HS-01", UnitStatus.EN_ROUTE), OPERATOR)
    d.run(c.SetUnitStatus("HS-01", UnitStatus.ON_SCENE), OPERATOR)
    d.run(c.AddIncidentNote(ON_SCENE, "Đối tượng đã bị khống chế"), OPERATOR)
    d.run(c.SetUnitStatus("PH-01", UnitStatus.OUT_OF_SERVICE, "Xe hỏng"), SUPERVISOR)
    return d


# --- snapshots ---------------------------------------------------------------------------


@pytest.mark.parametrize("keep_terminal", [True, False])
def test_snapshot_round_trip_through_json(keep_terminal: bool) -> None:
    d = busy_desk(keep_terminal)
    text = json.dumps(d.state.to_snapshot(), ensure_ascii=False)
    restored = State.from_snapshot(json.loads(text))
    assert restored.comparable() == d.state.comparable()
    assert restored.keep_terminal is keep_terminal
    assert (restored.last_seq, restored.last_hash, restored.last_ts_us) == (
        len(d.log),
        d.log[-1].hash,
        d.log[-1].ts_us,
    )
    assert restored.max_incident_number == 4
    # entities come back typed, not as raw codes
    unit = restored.unit("PH-01")
    assert unit is not None
    assert unit.status is UnitStatus.OUT_OF_SERVICE and unit.force is Force.PHUONG
    assert unit.status_reason == "Xe hỏng" and unit.home_ward is None
    cam = restored.camera("CAM-02")
    assert cam is not None
    assert cam.owner is CameraOwner.POLICE and cam.azimuth_deg is None
    assert restored.user("bao").role is Role.OPERATOR  # type: ignore[union-attr]


def test_restored_snapshot_continues_like_the_original() -> None:
    d = busy_desk()
    restored = Desk(
        state=State.from_snapshot(json.loads(json.dumps(d.state.to_snapshot()))),
        log=list(d.log),
        ts_us=d.ts_us,
    )
    for desk in (d, restored):
        desk.run(c.SetUnitStatus("HS-01", UnitStatus.AVAILABLE), OPERATOR)
        desk.create_incident("inc-next")
    assert restored.state.comparable() == d.state.comparable()
    assert restored.log == d.log
    assert restored.state.incident("inc-next").number == 5  # type: ignore[union-attr]
    assert restored.state.incident(ON_SCENE).status is IncidentStatus.CLEARED  # type: ignore[union-attr]


@pytest.mark.parametrize("keep_terminal", [True, False])
def test_snapshot_equals_replay(keep_terminal: bool) -> None:
    """What the store does to start fast: the snapshot written at event k (through JSON, as
    stored) with the events after it applied gives the state the whole log replays to, for
    every k; and that state is the one the commands were meant to make, written out here
    rather than computed by the code under test."""
    d = busy_desk(keep_terminal)
    assert verify_chain(d.log).ok
    whole = replay(d.log, keep_terminal=keep_terminal)
    assert whole.comparable() == d.state.comparable()  # as the commands left it live
    for k in range(len(d.log) + 1):
        stored = json.loads(json.dumps(
            replay(d.log[:k], keep_terminal=keep_terminal).to_snapshot(), ensure_ascii=False))
        resumed = apply_all(State.from_snapshot(stored), d.log[k:])
        assert resumed.comparable() == whole.comparable(), f"snapshot after event {k}"
        assert resumed.max_incident_number == 4 and resumed.next_incident_number() == 5
    incidents = {i.id: (i.number, i.status) for i in whole.incidents.values()}
    expected = {OPEN: (3, IncidentStatus.DISPATCHED), ON_SCENE: (4, IncidentStatus.ON_SCENE)}
    if keep_terminal:
        expected |= {CLOSED: (1, IncidentStatus.CLOSED),
                     CANCELLED: (2, IncidentStatus.CANCELLED)}
    assert incidents == expected
    units = {u.call_sign: (u.status, u.incident_id, u.status_reason)
             for u in whole.units.values()}
    assert units == {
        "363-01": (UnitStatus.AVAILABLE, None, "incident #1 cleared"),
        "363-02": (UnitStatus.DISPATCHED, OPEN, None),  # cancelled off #2, then sent to #3
        "HS-01": (UnitStatus.ON_SCENE, ON_SCENE, None),
        "PH-01": (UnitStatus.OUT_OF_SERVICE, None, "Xe hỏng"),
    }
    assert (whole.last_seq, whole.last_hash) == (len(d.log), d.log[-1].hash)
    assert sorted(whole.users) == ["bao", "thu"] and sorted(whole.cameras) == ["CAM-01", "CAM-02"]


def test_comparable_sees_a_difference() -> None:
    a, b = busy_desk().state, busy_desk().state
    assert a.comparable() == b.comparable()
    b.units["363-01"].status_reason = "khác"
    assert a.comparable() != b.comparable()


@pytest.mark.parametrize("fmt", [None, 0, SNAPSHOT_FORMAT + 1, "1"])
def test_unknown_snapshot_format_is_refused(fmt: object) -> None:
    snap = busy_desk().state.to_snapshot()
    if fmt is None:
        del snap["format"]
    else:
        snap["format"] = fmt
    with pytest.raises(ValueError, match="snapshot format"):
        State.from_snapshot(snap)


# --- terminal incidents -------------------------------------------------------------------


def test_keep_terminal_false_drops_closed_and_cancelled_only() -> None:
    full = busy_desk(keep_terminal=True).state
    lean = busy_desk(keep_terminal=False).state
    assert set(full.incidents) == {OPEN, CLOSED, CANCELLED, ON_SCENE}
    assert set(lean.incidents) == {OPEN, ON_SCENE}
    assert full.incident(CLOSED).status is IncidentStatus.CLOSED  # type: ignore[union-attr]
    assert full.incident(CANCELLED).status is IncidentStatus.CANCELLED  # type: ignore[union-attr]
    for inc in (OPEN, ON_SCENE):
        assert lean.incidents[inc].to_dict() == full.incidents[inc].to_dict()
    # everything else is the same, and numbering carries on past the dropped ones
    assert lean.units.keys() == full.units.keys()
    assert [u.to_dict() for u in lean.units.values()] == [u.to_dict() for u in full.units.values()]
    assert lean.max_incident_number == full.max_incident_number == 4
    assert lean.next_incident_number() == 5
    assert (lean.last_seq, lean.last_hash) == (full.last_seq, full.last_hash)


def test_keep_terminal_false_replay_matches_live() -> None:
    d = busy_desk(keep_terminal=False)
    assert replay(d.log, keep_terminal=False).comparable() == d.state.comparable()
    assert replay(d.log, keep_terminal=True).comparable() != d.state.comparable()


def test_cleared_incident_is_kept_until_closed() -> None:
    d = busy_desk(keep_terminal=False)
    d.run(c.SetUnitStatus("HS-01", UnitStatus.AVAILABLE), OPERATOR)
    assert d.state.incident(ON_SCENE).status is IncidentStatus.CLEARED  # type: ignore[union-attr]
    d.run(c.CloseIncident(ON_SCENE), OPERATOR)
    assert d.state.incident(ON_SCENE) is None


# --- apply ---------------------------------------------------------------------------------


def test_apply_refuses_events_out_of_order() -> None:
    d = busy_desk()
    log = d.log
    state = replay(log[:5])
    before = state.comparable()
    for wrong in (log[6], log[4], log[0], log[5 + 10]):
        with pytest.raises(ValueError, match=f"event {wrong.seq} applied after 5"):
            apply(state, wrong)
        assert state.comparable() == before
    apply(state, log[5])
    assert state.last_seq == 6


def test_apply_bumps_the_subject_version_and_marks_it_dirty() -> None:
    d = busy_desk()
    d.state.take_dirty()
    unit_v = d.state.unit("HS-01").version  # type: ignore[union-attr]
    inc_v = d.state.incident(ON_SCENE).version  # type: ignore[union-attr]
    out = d.run(c.SetUnitStatus("HS-01", UnitStatus.AVAILABLE), OPERATOR)
    assert len(out) == 3  # unit available, unit released, incident cleared
    assert d.state.unit("HS-01").version == unit_v + 1  # type: ignore[union-attr]
    assert d.state.incident(ON_SCENE).version == inc_v + 2  # type: ignore[union-attr]
    assert d.state.take_dirty() == {"unit:HS-01", f"incident:{ON_SCENE}"}
    assert d.state.take_dirty() == set()


def test_apply_records_time_and_actor() -> None:
    d = busy_desk()
    out = d.run(c.SetUnitStatus("HS-01", UnitStatus.AVAILABLE), SUPERVISOR)
    unit = d.state.unit("HS-01")
    assert unit is not None
    assert unit.status_since_us == out[0].ts_us
    assert unit.status_by == SUPERVISOR.name
    assert d.state.last_ts_us == out[-1].ts_us
    inc = d.state.incident(ON_SCENE)
    assert inc is not None
    assert inc.status_since_us == out[-1].ts_us


def test_audit_only_event_changes_only_versions_and_position() -> None:
    d = busy_desk()
    before = d.state.to_snapshot()
    bao_v = d.state.user("bao").version  # type: ignore[union-attr]
    stored = ev.seal(
        d.state.last_seq + 1,
        d.ts_us + 1,
        "bao",
        "console-1",
        ev.NewEvent(ev.USER_LOGIN_SUCCEEDED, "user:bao", {}),
        d.state.last_hash,
    )
    apply(d.state, stored)
    after = d.state.to_snapshot()
    assert d.state.user("bao").version == bao_v + 1  # type: ignore[union-attr]
    assert after["last_seq"] == before["last_seq"] + 1
    assert after["last_hash"] == stored.hash
    for key in ("wards", "units", "incidents", "cameras"):
        assert after[key] == before[key]


# --- model dict round trip ----------------------------------------------------------------


ENTITIES = [
    Ward("P1", "Phường 1", 3),
    Unit("363-01", Force.TO_363),
    Unit("HS-01", Force.HINH_SU, "P10", UnitStatus.ON_SCENE, 123, "inc-1", "Hỗ trợ", "lan", 9),
    Incident("inc-1", 1, IncidentType.FIGHT, 1, 106.68, 10.84, IncidentSource.CAMERA),
    Incident(
        "inc-2",
        2,
        IncidentType.ROBBERY,
        4,
        -0.5,
        0.25,
        IncidentSource.PATROL,
        "P1",
        "12 Nguyễn Oanh",
        "Cướp tài sản",
        IncidentStatus.CANCELLED,
        5,
        6,
        "Báo nhầm",
        "minh",
        4,
    ),
    Camera("CAM-1", "Ngã tư", 106.7, 10.8),
    Camera("CAM-2", "Cổng chợ", 106.7, 10.8, CameraOwner.PRIVATE, "P1", 270.0, 60.0, 80.5, 2),
    User("lan", Role.OPERATOR),
    User("hung", Role.SUPERVISOR, "Lê Văn Hùng", False, 7),
]


def _entity_id(entity: object) -> str:
    data = entity.to_dict()  # type: ignore[attr-defined]
    return f"{type(entity).__name__}-{next(iter(data.values()))}"


@pytest.mark.parametrize("entity", ENTITIES, ids=_entity_id)
def test_model_dict_round_trip(entity: Ward | Unit | Incident | Camera | User) -> None:
    data = entity.to_dict()
    assert set(data) == {f.name for f in dataclasses.fields(entity)}
    for value in data.values():
        assert not isinstance(value, StrEnum)  # enums travel as their codes
    text = json.dumps(data, ensure_ascii=False)
    back = type(entity).from_dict(json.loads(text))
    assert back == entity
    for f in dataclasses.fields(entity):
        assert type(getattr(back, f.name)) is type(getattr(entity, f.name)), f.name


def test_to_dict_uses_codes() -> None:
    unit = Unit("HS-01", Force.HINH_SU, status=UnitStatus.OUT_OF_SERVICE)
    data = unit.to_dict()
    assert data["force"] == "hinh-su" and type(data["force"]) is str
    assert data["status"] == "out-of-service" and type(data["status"]) is str
    assert data["incident_id"] is None
    inc = Incident("i", 1, IncidentType.GATHERING_RACING, 2, 1.0, 2.0, IncidentSource.PHONE)
    assert inc.to_dict()["type"] == "tu-tap-dua-xe"
    assert inc.to_dict()["source"] == "dien-thoai"


def test_from_dict_fills_defaults_and_rejects_unknown_codes() -> None:
    unit = Unit.from_dict({"call_sign": "X-1", "force": "phuong"})
    assert unit == Unit("X-1", Force.PHUONG)
    assert unit.status is UnitStatus.AVAILABLE
    with pytest.raises(ValueError):
        Unit.from_dict({"call_sign": "X-1", "force": "army"})


def test_incident_numbers_continue_after_terminal_incidents_leave_memory() -> None:
    d = busy_desk(keep_terminal=False)
    assert len(d.state.incidents) == 2
    d.create_incident("inc-after")
    assert d.state.incident("inc-after").number == 5  # type: ignore[union-attr]
    numbers = [e.payload["number"] for e in d.log if e.kind == ev.INCIDENT_CREATED]
    assert numbers == [1, 2, 3, 4, 5]
