"""The console's single writer commits queued commands in groups."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from gvcommand.core import commands as c
from gvcommand.core.errors import AlreadyExists
from gvcommand.core.handlers import UnitBusy
from gvcommand.store.event_store import CommandResult, EventStore
from gvcommand.store.writer import CommandWriter

from .conftest import ADMIN, OPERATOR, OPERATOR_B, seed
from .test_event_store import assert_projections_match_replay, incident


def test_groups_share_commits_and_refusals_stay_alone(store: EventStore) -> None:
    seed(store)
    writer = CommandWriter(store).start()
    gate = threading.Event()
    try:
        # hold the writer on a first command so that the rest queue up behind it
        original = store.execute_group

        def slow_group(items):  # type: ignore[no-untyped-def]
            gate.wait(5)
            return original(items)

        store.execute_group = slow_group  # type: ignore[method-assign]
        futures: list[Future[CommandResult]] = [writer.submit(incident("w0"), OPERATOR)]
        futures += [writer.submit(c.AddWard(f"X{i}", f"Phường X{i}"), ADMIN) for i in range(40)]
        futures.append(writer.submit(c.AddWard("X3", "again"), ADMIN))  # refused: exists
        futures.append(writer.submit(c.DispatchUnit("w0", "U1"), OPERATOR))
        futures.append(writer.submit(c.DispatchUnit("w0", "U1"), OPERATOR_B))  # refused: busy
        gate.set()
        results = [f.exception(10) or f.result() for f in futures]
    finally:
        writer.stop()
    assert isinstance(results[41], AlreadyExists)
    assert isinstance(results[43], UnitBusy) and "op1" in str(results[43])
    assert all(isinstance(r, CommandResult) and r.events for i, r in enumerate(results)
               if i not in (41, 43))
    assert writer.commands == len(futures)
    assert writer.groups < len(futures) / 4  # grouped, not one commit per command
    assert_projections_match_replay(store)


def test_database_failure_fails_every_command_of_the_group(store: EventStore) -> None:
    writer = CommandWriter(store).start()
    try:
        def broken(items):  # type: ignore[no-untyped-def]
            raise ConnectionError("database went away")

        store.execute_group = broken  # type: ignore[method-assign]
        futures = [writer.submit(c.AddWard(f"Y{i}", "x"), ADMIN) for i in range(3)]
        for f in futures:
            with pytest.raises(ConnectionError):
                f.result(5)
    finally:
        writer.stop()


def test_a_call_runs_in_its_turn_between_groups(store: EventStore) -> None:
    """A check-then-write of a resent command is never overtaken by the commands submitted
    after it, nor runs before those submitted before it."""
    seed(store)
    writer = CommandWriter(store).start()
    gate = threading.Event()
    seen: list[int] = []
    try:
        original = store.execute_group

        def slow_group(items):  # type: ignore[no-untyped-def]
            gate.wait(5)
            return original(items)

        store.execute_group = slow_group  # type: ignore[method-assign]
        before = writer.submit(c.AddWard("Z1", "Phường Z1"), ADMIN)
        check = writer.call(lambda: seen.append(store.head()[0]) or "checked")
        failing = writer.call(lambda: 1 // 0)
        after = [writer.submit(c.AddWard(f"Z{i}", f"Phường Z{i}"), ADMIN) for i in (2, 3)]
        gate.set()
        first_seq = before.result(10).last_seq
        assert check.result(10) == "checked"
        assert seen == [first_seq]  # after the first command, before the others
        with pytest.raises(ZeroDivisionError):
            failing.result(10)
        assert [f.result(10).last_seq for f in after] == [first_seq + 1, first_seq + 2]
    finally:
        writer.stop()
