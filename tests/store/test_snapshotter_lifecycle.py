"""The snapshot writer starts late (after the console's first map paint): starting twice, or
stopping one that never started, must be harmless."""

from __future__ import annotations

from gvcommand.store.event_store import EventStore
from gvcommand.store.snapshotter import Snapshotter


def test_stop_before_start_is_harmless_and_final(store: EventStore) -> None:
    worker = Snapshotter(store, interval_s=0.05)
    worker.stop()
    worker.start()  # a start after stop (a late timer) does nothing
    assert not worker.running
    worker.stop()


def test_start_is_idempotent(store: EventStore) -> None:
    worker = Snapshotter(store, interval_s=0.05)
    try:
        assert worker.start() is worker
        worker.start()  # the first paint and the fallback timer may both ask
        assert worker.running
    finally:
        worker.stop()
    assert not worker.running
