"""Drill (diễn tập) units through the real store (SQLite and PostgreSQL): the units table's
``exercise`` column says what a replay of the log says, after adding, marking, a refused
dispatch and a release mid-drill; and a snapshot keeps it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gvcommand.core import commands as c
from gvcommand.core.handlers import DrillMismatch
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role
from gvcommand.core.state import replay
from gvcommand.store import schema
from gvcommand.store.event_store import EventStore

OPERATOR = Actor("lan", Role.OPERATOR, "C1")
SUPERVISOR = Actor("hung", Role.SUPERVISOR, "C2")


def test_drill_units_project_as_a_replay_says(store: EventStore) -> None:
    store.execute(c.AddUnit("363-01", Force.TO_363), SUPERVISOR)
    store.execute(c.AddUnit("DT-01", Force.TO_363, exercise=True), SUPERVISOR)
    store.execute(c.CreateIncident("drill", IncidentType.FIGHT, 1, 106.67, 10.83,
                                   IncidentSource.PATROL, exercise=True), OPERATOR)
    store.execute(c.CreateIncident("real", IncidentType.THEFT, 3, 106.68, 10.84,
                                   IncidentSource.PHONE), OPERATOR)
    with pytest.raises(DrillMismatch):
        store.execute(c.DispatchUnit("real", "DT-01"), OPERATOR)
    store.execute(c.SetUnitExercise("363-01", True), SUPERVISOR)
    store.execute(c.DispatchUnit("drill", "363-01"), OPERATOR)
    store.execute(c.DispatchUnit("drill", "DT-01"), OPERATOR)
    store.execute(c.SetUnitExercise("DT-01", False), SUPERVISOR)  # pulled off mid-drill
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(schema.units.c.call_sign, schema.units.c.exercise)).all())
    assert rows == {"363-01": True, "DT-01": False}
    projected = store.projections()
    assert projected.comparable() == replay(store.iter_events()).comparable()
    assert projected.units["DT-01"].incident_id is None
    store.ensure_snapshots(every=2)
    assert store.state_at().units["363-01"].exercise is True
