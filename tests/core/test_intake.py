"""Incident intake: the caller's details, drills (diễn tập), likely duplicates and linking
a second report to the incident it repeats instead of opening another."""

from __future__ import annotations

import json

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.duplicates import counted, distance_m, possible_duplicates
from gvcommand.core.errors import NotFound, ValidationError
from gvcommand.core.model import IncidentSource, IncidentType, Role
from gvcommand.core.permissions import may_see_caller
from gvcommand.core.state import State, apply, replay

from ._desk import OPERATOR, START_TS_US, Desk

LON, LAT = 106.6797, 10.8387
MINUTE_US = 60 * 1_000_000


def _create(ident: str, *, lon: float = LON, lat: float = LAT,
            type_: IncidentType = IncidentType.SNATCH_THEFT, **extra: object) -> c.CreateIncident:
    return c.CreateIncident(ident, type_, 2, lon, lat, IncidentSource.PHONE,
                            summary="Cướp giật điện thoại", **extra)  # type: ignore[arg-type]


def test_caller_and_exercise_are_recorded_and_replayed() -> None:
    d = Desk()
    [created] = d.run(_create("inc-1", caller_name="Nguyễn Văn A",
                              callback_number="0903 123 456", exercise=True), OPERATOR)
    assert created.payload["caller_name"] == "Nguyễn Văn A"
    assert created.payload["callback_number"] == "0903 123 456"
    assert created.payload["exercise"] is True
    inc = d.state.incidents["inc-1"]
    assert (inc.caller_name, inc.callback_number, inc.exercise) == (
        "Nguyễn Văn A", "0903 123 456", True)
    # personal data never reaches a log line through a repr
    assert "Nguyễn Văn A" not in repr(inc) and "0903" not in repr(inc)
    d.check_log()
    again = State.from_snapshot(json.loads(json.dumps(d.state.to_snapshot())))
    assert again.incidents["inc-1"].exercise and again.incidents["inc-1"].caller_name


def test_without_caller_or_exercise_the_payload_is_as_before() -> None:
    d = Desk()
    [created] = d.run(_create("inc-1", caller_name="  ", callback_number=""), OPERATOR)
    assert set(created.payload) == ev._IncidentCreatedBase.__required_keys__
    inc = d.state.incidents["inc-1"]
    assert inc.caller_name is None and not inc.exercise


def test_an_event_recorded_before_the_new_fields_replays() -> None:
    old_payload = {"id": "old", "number": 1, "type": "cuop-giat", "priority": 2,
                   "lon": LON, "lat": LAT, "source": "dien-thoai", "ward": None,
                   "address": None, "summary": "", "occurred_us": None}
    ev.check_payload(ev.INCIDENT_CREATED, old_payload)
    st = State()
    apply(st, ev.seal(1, START_TS_US, "lan", "c1",
                      ev.NewEvent(ev.INCIDENT_CREATED, "incident:old", old_payload),
                      ev.GENESIS_HASH))
    inc = st.incidents["old"]
    assert inc.caller_name is None and inc.callback_number is None
    assert inc.exercise is False and inc.linked_reports == 0
    # and an old snapshot (no such keys) loads
    snap = st.to_snapshot()
    for row in snap["incidents"]:
        for key in ("caller_name", "callback_number", "exercise", "linked_reports"):
            del row[key]
    assert State.from_snapshot(snap).incidents["old"].exercise is False


def test_a_callback_number_must_look_like_one_and_is_not_echoed() -> None:
    d = Desk()
    info = d.refuse(_create("inc-1", callback_number="gọi lại sau 0903"), OPERATOR,
                    ValidationError)
    assert "0903" not in str(info.value)
    d.refuse(_create("inc-1", caller_name="x" * 101), OPERATOR, ValidationError)


def test_who_may_see_the_caller() -> None:
    assert may_see_caller(Role.OPERATOR) and may_see_caller(Role.SUPERVISOR)
    assert may_see_caller(Role.AUDITOR)
    assert not may_see_caller(Role.ADMIN)


def test_possible_duplicates_same_type_within_200_m_and_30_minutes() -> None:
    d = Desk()
    d.run(_create("near"), OPERATOR)
    d.run(_create("other-type", type_=IncidentType.FIGHT), OPERATOR)
    # ~330 m north: too far
    d.run(_create("far", lat=LAT + 0.003), OPERATOR)
    d.run(_create("drill", exercise=True), OPERATOR)
    d.run(c.CancelIncident("drill", "Kết thúc diễn tập"), OPERATOR)
    now = d.ts_us
    lon2 = LON + 0.0015  # ~164 m east
    assert 150 < distance_m(LON, LAT, lon2, LAT) < 180
    found = possible_duplicates(d.state.incidents.values(), IncidentType.SNATCH_THEFT,
                                lon2, LAT, now)
    assert [(i.id, round(m)) for i, m in found] == [("near", 164)]
    # 31 minutes later it is a new incident
    assert possible_duplicates(d.state.incidents.values(), IncidentType.SNATCH_THEFT,
                               lon2, LAT, now + 31 * MINUTE_US) == []
    # a closed or cancelled incident is not repeated; drills only match drills
    assert possible_duplicates(d.state.incidents.values(), IncidentType.SNATCH_THEFT,
                               LON, LAT, now, exercise=True) == []
    d.run(c.CancelIncident("near", "Báo nhầm"), OPERATOR)
    assert possible_duplicates(d.state.incidents.values(), IncidentType.SNATCH_THEFT,
                               lon2, LAT, now) == []


def test_linking_a_second_report_instead_of_a_new_incident() -> None:
    d = Desk()
    d.run(_create("inc-1"), OPERATOR)
    [linked] = d.run(c.LinkReport("inc-1", IncidentSource.CAMERA, "Camera thấy 2 đối tượng",
                                  LON + 0.001, LAT, caller_name="Trần B",
                                  callback_number="+84 903 000 111"), OPERATOR)
    assert linked.kind == ev.INCIDENT_REPORT_LINKED
    assert linked.subject == "incident:inc-1"
    assert linked.payload["source"] == "camera" and linked.payload["caller_name"] == "Trần B"
    inc = d.state.incidents["inc-1"]
    assert inc.linked_reports == 1 and len(d.state.incidents) == 1
    d.check_log()
    assert replay(d.log).incidents["inc-1"].linked_reports == 1
    d.refuse(c.LinkReport("khongco", IncidentSource.PHONE), OPERATOR, NotFound)
    d.refuse(c.LinkReport("inc-1", IncidentSource.PHONE, lon=LON), OPERATOR, ValidationError)
    d.run(c.CancelIncident("inc-1", "Báo nhầm"), OPERATOR)
    d.refuse(c.LinkReport("inc-1", IncidentSource.PHONE), OPERATOR, ValidationError)


def test_statistics_leave_drills_out_unless_asked() -> None:
    d = Desk()
    d.run(_create("real"), OPERATOR)
    d.run(_create("drill", exercise=True), OPERATOR)
    incidents = list(d.state.incidents.values())
    assert [i.id for i in counted(incidents)] == ["real"]
    assert {i.id for i in counted(incidents, include_exercises=True)} == {"real", "drill"}


@pytest.mark.parametrize("number", ["0903123456", "+84 (28) 3894 1234", "113"])
def test_callback_numbers_accepted(number: str) -> None:
    Desk().run(_create("inc-1", callback_number=number), OPERATOR)
