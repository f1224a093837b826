"""The event store on SQLite and PostgreSQL: atomic commands, conflicts, the chain, replay."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import (
    AlreadyExists,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    VersionConflict,
)
from gvcommand.core.handlers import UnitBusy
from gvcommand.core.model import IncidentSource, IncidentStatus, IncidentType, UnitStatus
from gvcommand.core.state import replay
from gvcommand.store import open_store, schema
from gvcommand.store.db import StoreUnavailable
from gvcommand.store.event_store import EventStore

from .conftest import ADMIN, AUDITOR, OPERATOR, OPERATOR_B, seed


def incident(inc_id: str, priority: int = 2) -> c.CreateIncident:
    return c.CreateIncident(inc_id, IncidentType.SNATCH_THEFT, priority, 106.6651, 10.8382,
                            IncidentSource.PHONE, "P1", "Quang Trung", "cướp giật điện thoại")


def event_count(store: EventStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.events)).scalar_one())


def assert_projections_match_replay(store: EventStore) -> None:
    assert store.projections().comparable() == replay(store.iter_events()).comparable()
    assert store.verify().ok


def test_lifecycle_events_projections_and_chain(store: EventStore) -> None:
    seed(store)
    store.execute(incident("i-1"), OPERATOR)
    result = store.execute(c.DispatchUnit("i-1", "U1"), OPERATOR)
    assert [e.kind for e in result.events] == [
        "unit.dispatched", "incident.unit_assigned", "incident.status_changed"]
    # one command, one transaction: consecutive numbers, one timestamp, one actor
    assert [e.seq for e in result.events] == list(
        range(result.events[0].seq, result.events[0].seq + 3))
    assert {(e.actor, e.console, e.ts_us) for e in result.events} == {
        ("op1", "console-A", result.events[0].ts_us)}
    store.execute(c.SetUnitStatus("U1", UnitStatus.EN_ROUTE), OPERATOR)
    store.execute(c.SetUnitStatus("U1", UnitStatus.ON_SCENE), OPERATOR)
    store.execute(c.ClearIncident("i-1"), OPERATOR)
    store.execute(c.CloseIncident("i-1", "đã bắt giữ đối tượng"), OPERATOR)

    proj = store.projections()
    assert proj.incidents["i-1"].status is IncidentStatus.CLOSED
    assert proj.incidents["i-1"].reason == "đã bắt giữ đối tượng"
    assert proj.units["U1"].status is UnitStatus.AVAILABLE
    assert proj.units["U1"].incident_id is None
    assert_projections_match_replay(store)
    # the timeline of the incident is the events whose subject it is
    kinds = [e.kind for e in store.events_of("incident:i-1")]
    assert kinds[0] == "incident.created" and kinds[-1] == "incident.status_changed"
    # server time never goes backwards
    stamps = [e.ts_us for e in store.iter_events()]
    assert stamps == sorted(stamps)


def test_refused_commands_write_nothing(store: EventStore) -> None:
    seed(store)
    store.execute(incident("i-1"), OPERATOR)
    before = (store.head(), store.projections().comparable())
    refusals = [
        (c.SetUnitStatus("U1", UnitStatus.ON_SCENE), OPERATOR, InvalidTransition),
        (c.DispatchUnit("i-1", "NOPE"), OPERATOR, NotFound),
        (c.CreateUser("eve", ADMIN.role), OPERATOR, PermissionDenied),
        (c.CancelIncident("i-1", "test"), AUDITOR, PermissionDenied),
        (c.DispatchUnit("i-1", "U1", expected_version=99), OPERATOR, VersionConflict),
        (incident("i-1"), OPERATOR, AlreadyExists),
    ]
    for cmd, actor, error in refusals:
        with pytest.raises(error):
            store.execute(cmd, actor)
    assert (store.head(), store.projections().comparable()) == before


def test_retried_incident_is_not_recorded_twice(store: EventStore) -> None:
    seed(store)
    store.execute(incident("i-retry"), OPERATOR)
    with pytest.raises(AlreadyExists):
        store.execute(incident("i-retry"), OPERATOR)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.incidents)).scalar() == 1


def test_batch_is_all_or_nothing(store: EventStore) -> None:
    seed(store)
    head = store.head()
    with pytest.raises(NotFound):
        store.execute_many([incident("i-a"), c.DispatchUnit("i-a", "U1"),
                            c.DispatchUnit("i-a", "GHOST")], OPERATOR)
    assert store.head() == head
    assert "i-a" not in store.projections().incidents
    # the same batch without the bad command: later commands see the earlier ones' effects
    store.execute_many([incident("i-a"), c.DispatchUnit("i-a", "U1"),
                        c.SetUnitStatus("U1", UnitStatus.EN_ROUTE)], OPERATOR)
    assert store.projections().incidents["i-a"].status is IncidentStatus.EN_ROUTE
    assert_projections_match_replay(store)


def test_group_commit_refuses_one_keeps_the_others(store: EventStore) -> None:
    seed(store)
    store.execute(incident("i-1"), OPERATOR)
    outcomes = store.execute_group([
        (c.DispatchUnit("i-1", "U1"), OPERATOR),
        (c.DispatchUnit("i-1", "U1"), OPERATOR_B),  # the same unit: must be refused
        (c.DispatchUnit("i-1", "U2"), OPERATOR_B),
    ])
    assert isinstance(outcomes[1], UnitBusy)
    assert "op1" in str(outcomes[1])  # told who took it
    assert [e.actor for e in outcomes[0].events] == ["op1"] * 3  # type: ignore[union-attr]
    assert {u.call_sign for u in store.projections().units.values()
            if u.incident_id == "i-1"} == {"U1", "U2"}
    assert_projections_match_replay(store)


def test_stale_version_conflict_names_who_changed_it(store: EventStore) -> None:
    seed(store)
    store.execute_many([incident("i-1"), incident("i-2")], OPERATOR)
    seen = store.projections().units["U1"].version
    store.execute(c.DispatchUnit("i-1", "U1", expected_version=seen), OPERATOR_B)
    with pytest.raises(VersionConflict) as err:
        store.execute(c.DispatchUnit("i-2", "U1", expected_version=seen), OPERATOR)
    assert "op2" in str(err.value) and str(seen) in str(err.value)


def test_concurrent_dispatch_of_one_unit_exactly_one_wins(db_url: str) -> None:
    """Two consoles (own engines) race for the same unit, many times."""
    stores = [open_store(db_url, upgrade=True) for _ in range(2)]
    try:
        seed(stores[0], units=1)
        rounds = 25
        stores[0].execute_many([incident(f"r{i}") for i in range(rounds)], OPERATOR)
        wins: list[str] = []
        losses: list[str] = []
        for i in range(rounds):
            barrier = threading.Barrier(2)

            def race(st: EventStore, actor=None, i: int = i,
                     barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                try:
                    st.execute(c.DispatchUnit(f"r{i}", "U1", expected_version=None), actor)
                    wins.append(actor.name)
                except (UnitBusy, VersionConflict):
                    losses.append(actor.name)

            threads = [threading.Thread(target=race, args=(st, a))
                       for st, a in zip(stores, (OPERATOR, OPERATOR_B), strict=True)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            # exactly one dispatch per round: the unit can only be on one incident
            assert len(wins) == i + 1 and len(losses) == i + 1
            stores[0].execute(c.SetUnitStatus("U1", UnitStatus.AVAILABLE, "recall"), OPERATOR)
        assert_projections_match_replay(stores[0])
    finally:
        for st in stores:
            st.engine.dispose()


def test_log_is_append_only_in_the_database(store: EventStore) -> None:
    seed(store)
    for statement in ("UPDATE events SET actor = 'x' WHERE seq = 1",
                      "DELETE FROM events WHERE seq = 1"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert store.verify().ok


def _tamper(store: EventStore, *statements: str) -> None:
    """Alter the log as an intruder with full database rights would (guards switched off)."""
    with store.engine.begin() as conn:
        if store.is_postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))
        for st in statements:
            conn.execute(text(st))


@pytest.mark.parametrize(
    ("statements", "bad_seq"),
    [
        (["""UPDATE events SET payload = '{"code":"P3","name":"Phường 9"}' WHERE seq = 3"""], 3),
        (["UPDATE events SET actor = 'someone-else' WHERE seq = 5"], 5),
        (["UPDATE events SET ts_us = ts_us - 3600000000 WHERE seq = 4"], 4),
        (["DELETE FROM events WHERE seq = 6"], 6),
        # swap two events' contents but keep the sequence numbers in place
        ([
            "UPDATE events SET seq = -1 WHERE seq = 4",
            "UPDATE events SET seq = 4 WHERE seq = 5",
            "UPDATE events SET seq = 5 WHERE seq = -1",
        ], 4),
    ],
    ids=["payload", "actor", "time", "delete", "swap"],
)
def test_tampering_is_detected(store: EventStore, statements: list[str], bad_seq: int) -> None:
    seed(store, wards=3, units=5)
    assert store.verify().ok
    _tamper(store, *statements)
    report = store.verify()
    assert not report.ok
    assert report.first_bad_seq == bad_seq
    assert report.reason


def test_removing_the_tail_is_detected_by_the_head(store: EventStore) -> None:
    seed(store)
    last = store.head()[0]
    _tamper(store, f"DELETE FROM events WHERE seq = {last}")
    report = store.verify()
    assert not report.ok and report.first_bad_seq == last


def test_state_at_any_point_equals_a_replay_of_the_prefix(store: EventStore) -> None:
    seed(store)
    for i in range(12):
        store.execute(incident(f"s{i}"), OPERATOR)
        store.execute(c.DispatchUnit(f"s{i}", "U1"), OPERATOR)
        store.execute(c.SetUnitStatus("U1", UnitStatus.EN_ROUTE), OPERATOR)
        store.execute(c.SetUnitStatus("U1", UnitStatus.ON_SCENE), OPERATOR)
        store.execute(c.SetUnitStatus("U1", UnitStatus.AVAILABLE), OPERATOR)
        store.execute(c.CloseIncident(f"s{i}"), OPERATOR)
    head = store.head()[0]
    assert store.ensure_snapshots(every=10) == head // 10
    assert store.ensure_snapshots(every=10) == 0  # nothing missing any more
    everything = list(store.iter_events())
    for seq in (1, 9, 10, 11, 37, head - 1, head):
        expected = replay(everything[:seq], keep_terminal=False).comparable()
        assert store.state_at(seq=seq).comparable() == expected, seq
    # by time: the state at an event's time includes that event
    middle = everything[len(everything) // 2]
    assert store.state_at(ts_us=middle.ts_us).last_seq >= middle.seq


def test_snapshot_that_does_not_fit_the_log_is_refused(store: EventStore) -> None:
    seed(store, units=6)
    store.ensure_snapshots(every=4)
    _tamper(store, "UPDATE events SET prev_hash = hash WHERE seq = 5")
    with pytest.raises(Exception, match="altered"):
        store.state_at(seq=6)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_connection_lost_mid_command_writes_nothing_and_next_command_works(
    store: EventStore, pg_server: object
) -> None:
    seed(store)
    before = (store.head(), store.projections().comparable())

    def dies(ws, emit):  # type: ignore[no-untyped-def]
        emit([ev.NewEvent(ev.WARD_ADDED, "ward:P9", {"code": "P9", "name": "Phường 9"})])

        def kill_own_connection(conn):  # type: ignore[no-untyped-def]
            conn.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

        return kill_own_connection

    with pytest.raises(StoreUnavailable, match="either completely or not at all") as err:
        store.write(ADMIN, dies)
    assert "127.0.0.1" in str(err.value) or "lost the database" in str(err.value)
    assert (store.head(), store.projections().comparable()) == before

    # the server dropped every connection of this database: the next command reconnects
    with store.engine.begin() as conn:
        conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    store.execute(c.AddWard("P9", "Phường 9"), ADMIN)
    assert store.projections().wards["P9"].name == "Phường 9"
    assert store.verify().ok
