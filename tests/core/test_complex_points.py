"""Complex points (điểm phức tạp về an ninh trật tự), and incidents recorded after the fact."""

from __future__ import annotations

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import (
    AlreadyExists,
    NotFound,
    PermissionDenied,
    ValidationError,
    VersionConflict,
)
from gvcommand.core.model import ComplexPointStatus, IncidentSource, IncidentType
from gvcommand.core.state import State, replay

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk, kinds

MARKET_GATE = c.AddComplexPoint(
    "DPT-01", "Cổng chợ Hạnh Thông Tây", 106.6571, 10.8362, "P1",
    "Cướp giật điện thoại buổi tối",
)


def _desk() -> Desk:
    d = Desk()
    d.add_ward("P1", "Phường 1")
    return d


def test_add_complex_point() -> None:
    d = _desk()
    out = d.run(MARKET_GATE, SUPERVISOR)
    assert kinds(out) == [ev.COMPLEX_POINT_ADDED]
    assert out[0].subject == "complex_point:DPT-01"
    point = d.state.complex_point("DPT-01")
    assert point is not None
    assert (point.name, point.lon, point.lat, point.ward) == (
        "Cổng chợ Hạnh Thông Tây", 106.6571, 10.8362, "P1")
    assert point.status is ComplexPointStatus.ACTIVE
    assert point.status.label == "Đang theo dõi"
    assert point.note == "Cướp giật điện thoại buổi tối"
    assert point.version == 1
    assert d.state.entity("complex_point:DPT-01") is point
    d.check_log()


def test_admin_may_add_a_complex_point_but_not_settle_it() -> None:
    d = _desk()
    d.run(MARKET_GATE, ADMIN)
    d.refuse(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "ổn"), ADMIN,
             PermissionDenied)
    d.refuse(c.AddComplexPoint("DPT-02", "Ngã tư", 106.66, 10.83), OPERATOR, PermissionDenied)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (c.AddComplexPoint("", "Tên", 106.66, 10.83), ValidationError),
        (c.AddComplexPoint("DPT 1?", "Tên", 106.66, 10.83), ValidationError),
        (c.AddComplexPoint("DPT-02", "  ", 106.66, 10.83), ValidationError),
        (c.AddComplexPoint("DPT-02", "Tên", 181.0, 10.83), ValidationError),
        (c.AddComplexPoint("DPT-02", "Tên", 106.66, float("nan")), ValidationError),
        (c.AddComplexPoint("DPT-02", "Tên", 106.66, 10.83, "P99"), NotFound),
        (c.AddComplexPoint("DPT-02", "Tên", 106.66, 10.83, note="x" * 4001), ValidationError),
        (MARKET_GATE, AlreadyExists),
    ],
)
def test_add_complex_point_refusals(command: c.AddComplexPoint, error: type[Exception]) -> None:
    d = _desk()
    d.run(MARKET_GATE, SUPERVISOR)
    d.refuse(command, SUPERVISOR, error)


def test_settle_and_watch_again() -> None:
    d = _desk()
    d.run(MARKET_GATE, SUPERVISOR)
    out = d.run(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED,
                                        "Đã lắp camera, tăng tuần tra", expected_version=1),
                SUPERVISOR)
    assert kinds(out) == [ev.COMPLEX_POINT_STATUS_CHANGED]
    assert out[0].payload == {"status": "resolved", "from": "active",
                              "note": "Đã lắp camera, tăng tuần tra"}
    point = d.state.complex_point("DPT-01")
    assert point is not None
    assert point.status is ComplexPointStatus.RESOLVED
    assert point.note == "Đã lắp camera, tăng tuần tra"
    assert point.version == 2
    d.run(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.ACTIVE, "Tái diễn"), SUPERVISOR)
    assert point.status is ComplexPointStatus.ACTIVE
    d.check_log()


def test_status_change_refusals() -> None:
    d = _desk()
    d.run(MARKET_GATE, SUPERVISOR)
    d.refuse(c.SetComplexPointStatus("DPT-99", ComplexPointStatus.RESOLVED, "x"), SUPERVISOR,
             NotFound)
    d.refuse(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.ACTIVE, "x"), SUPERVISOR,
             ValidationError)
    d.refuse(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "  "), SUPERVISOR,
             ValidationError)
    d.refuse(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "x",
                                     expected_version=7), SUPERVISOR, VersionConflict)


def test_complex_points_survive_a_snapshot_and_old_snapshots_have_none() -> None:
    d = _desk()
    d.run(MARKET_GATE, SUPERVISOR)
    d.run(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "ổn"), SUPERVISOR)
    snap = d.state.to_snapshot()
    assert State.from_snapshot(snap).comparable() == d.state.comparable()
    del snap["complex_points"]
    assert State.from_snapshot(snap).complex_points == {}


# --- incidents recorded after the fact -------------------------------------------------------


def _report(occurred_us: int | None, ident: str = "inc-1") -> c.CreateIncident:
    return c.CreateIncident(ident, IncidentType.THEFT, 3, 106.66, 10.83, IncidentSource.REPORT,
                            occurred_us=occurred_us)


def test_incident_occurred_before_it_was_recorded() -> None:
    d = _desk()
    out = d.run(_report(1_700_000_000_000_000), OPERATOR)
    assert out[0].payload["occurred_us"] == 1_700_000_000_000_000
    inc = d.state.incident("inc-1")
    assert inc is not None
    assert inc.occurred_us == 1_700_000_000_000_000
    assert inc.created_us == out[0].ts_us
    d.check_log()


def test_incident_without_a_time_occurred_when_recorded() -> None:
    d = _desk()
    out = d.run(_report(None), OPERATOR)
    assert out[0].payload["occurred_us"] is None
    inc = d.state.incident("inc-1")
    assert inc is not None
    assert inc.occurred_us == inc.created_us == out[0].ts_us
    d.check_log()


def test_events_from_before_occurred_us_replay_as_recorded_now() -> None:
    d = _desk()
    payload = {"id": "old", "number": 1, "type": "trom-cap", "priority": 3, "lon": 106.66,
               "lat": 10.83, "source": "tin-bao", "ward": None, "address": None, "summary": ""}
    sealed = ev.seal(d.state.last_seq + 1, 1_650_000_000_000_000, "lan", "c1",
                     ev.NewEvent(ev.INCIDENT_CREATED, "incident:old", payload),
                     d.state.last_hash)
    st = replay([*d.log, sealed])
    inc = st.incident("old")
    assert inc is not None
    assert inc.occurred_us == 1_650_000_000_000_000


def test_old_snapshot_incidents_occurred_when_recorded() -> None:
    d = _desk()
    d.run(_report(None), OPERATOR)
    snap = d.state.to_snapshot()
    for inc in snap["incidents"]:
        del inc["occurred_us"]
    back = State.from_snapshot(snap)
    assert back.comparable() == d.state.comparable()


@pytest.mark.parametrize("bad", [-1, -1_700_000_000_000_000])
def test_negative_occurrence_time_is_refused(bad: int) -> None:
    d = _desk()
    info = d.refuse(_report(bad), OPERATOR, ValidationError)
    assert "time of the incident" in str(info.value)


def test_complex_point_dict_round_trip() -> None:
    from gvcommand.core.model import ComplexPoint

    point = ComplexPoint("DPT-03", "Công viên", 106.68, 10.84, "P1",
                         ComplexPointStatus.RESOLVED, "ổn định", 4)
    data = point.to_dict()
    assert data["status"] == "resolved" and type(data["status"]) is str
    assert ComplexPoint.from_dict(data) == point
