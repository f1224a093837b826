"""Background snapshots: written as the log grows, by several consoles at once."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from gvcommand.core import commands as c
from gvcommand.core.state import replay
from gvcommand.store import open_store, schema
from gvcommand.store.event_store import EventStore
from gvcommand.store.snapshotter import Snapshotter

from .conftest import ADMIN


def snapshot_seqs(store: EventStore) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(schema.snapshots.c.seq).order_by(schema.snapshots.c.seq))
                    .scalars())


def test_two_consoles_keep_snapshots_without_clashing(db_url: str) -> None:
    stores = [open_store(db_url, upgrade=True) for _ in range(2)]
    workers = [Snapshotter(st, interval_s=0.05, every=5).start() for st in stores]
    try:
        for i in range(33):
            stores[i % 2].execute(c.AddWard(f"P{i}", f"Phường {i}"), ADMIN)
        deadline = time.monotonic() + 10
        while snapshot_seqs(stores[0]) != [5, 10, 15, 20, 25, 30]:
            assert time.monotonic() < deadline, snapshot_seqs(stores[0])
            time.sleep(0.05)
    finally:
        for w in workers:
            w.stop()
    assert not any(w._thread.is_alive() for w in workers)
    # each snapshot is the state after its event
    everything = list(stores[0].iter_events())
    for seq in (5, 30):
        want = replay(everything[:seq], keep_terminal=False).comparable()
        assert stores[0].state_at(seq=seq).comparable() == want
    with stores[0].engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.snapshots)).scalar() == 6
    for st in stores:
        st.engine.dispose()


def test_a_failing_round_is_retried(store: EventStore) -> None:
    calls: list[int] = []
    real = store.ensure_snapshots

    def flaky(every: int) -> int:
        calls.append(every)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return real(every=every)

    store.ensure_snapshots = flaky  # type: ignore[method-assign]
    for i in range(4):
        store.execute(c.AddWard(f"P{i}", "x"), ADMIN)
    worker = Snapshotter(store, interval_s=0.02, every=2).start()
    try:
        deadline = time.monotonic() + 5
        while snapshot_seqs(store) != [2, 4]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        worker.stop()
    assert len(calls) >= 2
