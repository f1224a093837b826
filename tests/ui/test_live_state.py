"""The console's live state: built from the store, then fed events once each, in order."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import (
    Force,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    UnitStatus,
)
from gvcommand.store.event_store import EventStore
from gvcommand.ui.session import LiveState

from .conftest import ADMIN, OFFICER


def _incident(inc_id: str) -> c.CreateIncident:
    return c.CreateIncident(inc_id, IncidentType.SNATCH_THEFT, 2, 106.665, 10.838,
                            IncidentSource.PHONE, None, "Quang Trung", "giật điện thoại")


def test_starts_from_the_store(store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1")],
                       ADMIN)
    store.execute_many([_incident("a"), _incident("b")], OFFICER)
    store.execute(c.CancelIncident("b", "báo nhầm"), OFFICER)
    live = LiveState(store)
    assert live.last_seq == store.head()[0]
    assert [u.call_sign for u in live.units()] == ["363-01"]
    assert [i.id for i in live.incidents()] == ["a"]  # cancelled ones leave memory
    assert not live.state.keep_terminal


def test_applies_feed_events_once_and_in_order(qtbot: QtBot, store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1")],
                       ADMIN)
    live = LiveState(store)
    start = live.last_seq
    inc = str(uuid.uuid4())
    store.execute(_incident(inc), OFFICER)
    store.execute(c.DispatchUnit(inc, "363-01"), OFFICER)
    store.execute(c.SetUnitStatus("363-01", UnitStatus.EN_ROUTE), OFFICER)
    new = store.events_after(start)
    assert len(new) >= 3
    changes: list[frozenset[str]] = []
    live.changed.connect(changes.append)

    # the feed brings the backlog again (already applied) and the new events, out of order
    backlog = store.events_after(0)[:start]
    kinds = live.apply_events([*backlog, *reversed(new)])
    assert kinds == {"incident", "unit"}
    assert changes == [kinds]
    assert live.last_seq == new[-1].seq
    assert live.state.unit("363-01").status is UnitStatus.EN_ROUTE
    assert live.state.incident(inc).status is IncidentStatus.EN_ROUTE

    # the same events again change nothing and say nothing
    version = live.state.unit("363-01").version
    assert live.apply_events(new) == frozenset()
    assert changes == [kinds]
    assert live.state.unit("363-01").version == version
    assert live.state.comparable() == store.state_at().comparable()


def test_a_gap_in_the_feed_is_filled_from_the_store(store: EventStore) -> None:
    live = LiveState(store)
    store.execute_many([c.AddWard(f"p{i}", f"Phường {i}") for i in range(1, 6)], ADMIN)
    events = store.events_after(0)
    kinds = live.apply_events(events[3:])  # the first three never arrived
    assert kinds == {"ward"}
    assert sorted(live.state.wards) == ["p1", "p2", "p3", "p4", "p5"]
    assert live.last_seq == events[-1].seq


def test_closing_an_incident_removes_it(store: EventStore) -> None:
    store.execute(_incident("x"), OFFICER)
    live = LiveState(store)
    before = live.last_seq
    store.execute(c.CancelIncident("x", "trùng"), OFFICER)
    assert live.apply_events(store.events_after(before)) == {"incident"}
    assert live.incidents() == []


def test_positions_are_announced(qtbot: QtBot, store: EventStore) -> None:
    live = LiveState(store)
    with qtbot.waitSignal(live.changed) as blocker:
        live.set_positions({"363-01": (106.66, 10.83)})
    assert blocker.args == [frozenset({"position"})]
    assert live.positions == {"363-01": (106.66, 10.83)}
