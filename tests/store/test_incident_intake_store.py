"""The intake's additions through the real store (SQLite and PostgreSQL): caller, drill and
linked reports land in the projection exactly as a replay of the log says, and a state
rebuilt from a snapshot has them too."""

from __future__ import annotations

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, IncidentSource, IncidentType, Role
from gvcommand.core.state import replay
from gvcommand.store.event_store import EventStore

OPERATOR = Actor("lan", Role.OPERATOR, "C1")


def test_caller_drill_and_linked_reports_project_and_replay(store: EventStore) -> None:
    store.execute(c.CreateIncident("real", IncidentType.SNATCH_THEFT, 2, 106.68, 10.84,
                                   IncidentSource.PHONE, caller_name="Nguyễn Văn A",
                                   callback_number="0903 123 456"), OPERATOR)
    store.execute(c.CreateIncident("drill", IncidentType.FIGHT, 1, 106.67, 10.83,
                                   IncidentSource.PATROL, exercise=True), OPERATOR)
    store.execute(c.LinkReport("real", IncidentSource.CAMERA, "Camera thấy đối tượng",
                               106.681, 10.84, callback_number="0903000111"), OPERATOR)
    projected = store.projections()
    assert projected.comparable() == replay(store.iter_events()).comparable()
    real, drill = projected.incidents["real"], projected.incidents["drill"]
    assert (real.caller_name, real.callback_number, real.exercise, real.linked_reports) == (
        "Nguyễn Văn A", "0903 123 456", False, 1)
    assert (drill.caller_name, drill.exercise, drill.linked_reports) == (None, True, 0)
    store.ensure_snapshots(every=2)
    again = store.state_at()
    assert again.incidents["real"].linked_reports == 1 and again.incidents["drill"].exercise
