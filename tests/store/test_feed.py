"""The change feed delivers every event once, in order, across disconnections."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text

from gvcommand.core import commands as c
from gvcommand.core.events import StoredEvent
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore
from gvcommand.store.feed import ChangeFeed

from .conftest import ADMIN, seed


class Collector:
    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.states: list[tuple[bool, str]] = []
        self.lock = threading.Lock()

    def on_events(self, events: list[StoredEvent]) -> None:
        with self.lock:
            self.seqs += [e.seq for e in events]

    def on_state(self, ok: bool, message: str) -> None:
        self.states.append((ok, message))


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out")


def add_wards(store: EventStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        store.execute(c.AddWard(f"W{i}", f"Phường {i}"), ADMIN)


def test_feed_catches_up_then_follows(db_url: str) -> None:
    writer = open_store(db_url, upgrade=True)
    reader = open_store(db_url, upgrade=False)  # another console: its own connections
    seed(writer)
    already = writer.head()[0]
    got = Collector()
    feed = ChangeFeed(reader, 2, got.on_events, got.on_state).start()
    try:
        wait_for(lambda: feed.connected)
        add_wards(writer, 1, 20)
        head = writer.head()[0]
        wait_for(lambda: len(got.seqs) >= head - 2)
        assert got.seqs == list(range(3, head + 1))
        assert head == already + 20
        assert got.states[0][0] is True
    finally:
        feed.stop()
        writer.engine.dispose()
        reader.engine.dispose()
    assert not feed.running


def test_feed_sees_concurrent_writers_in_order_once(db_url: str) -> None:
    writers = [open_store(db_url, upgrade=True) for _ in range(3)]
    reader = open_store(db_url, upgrade=False)
    got = Collector()
    feed = ChangeFeed(reader, 0, got.on_events).start()
    try:
        threads = [threading.Thread(target=add_wards, args=(w, 100 * (n + 1), 15))
                   for n, w in enumerate(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_for(lambda: len(got.seqs) >= 45)
        time.sleep(0.2)
        assert got.seqs == list(range(1, 46))
    finally:
        feed.stop()
        for st in [*writers, reader]:
            st.engine.dispose()


def test_subscriber_error_does_not_stop_or_repeat_delivery(store: EventStore) -> None:
    delivered: list[int] = []

    def flaky(events: list[StoredEvent]) -> None:
        delivered.extend(e.seq for e in events)
        if len(delivered) < 3:
            raise RuntimeError("subscriber bug")

    feed = ChangeFeed(store, 0, flaky).start()
    try:
        for i in range(5):
            add_wards(store, i, 1)
            time.sleep(0.05)
        wait_for(lambda: len(delivered) >= 5)
        assert delivered == [1, 2, 3, 4, 5]
    finally:
        feed.stop()


def test_restarted_feed_resumes_after_its_last_event(store: EventStore) -> None:
    """A console that was closed (or offline) catches up from where it stopped."""
    got = Collector()
    feed = ChangeFeed(store, 0, got.on_events).start()
    add_wards(store, 1, 5)
    wait_for(lambda: len(got.seqs) == 5)
    feed.stop()
    resume_from = feed.last_seq
    add_wards(store, 10, 7)  # while nobody listens
    feed2 = ChangeFeed(store, resume_from, got.on_events).start()
    try:
        add_wards(store, 20, 3)
        wait_for(lambda: len(got.seqs) == 15)
        time.sleep(0.2)
        assert got.seqs == list(range(1, 16))
    finally:
        feed2.stop()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_killed_listener_connection_reconnects_and_loses_nothing(
    db_url: str, pg_server
) -> None:
    writer = open_store(db_url, upgrade=True)
    reader = open_store(db_url, upgrade=False)
    got = Collector()
    feed = ChangeFeed(reader, 0, got.on_events, got.on_state).start()
    try:
        wait_for(lambda: feed.connected and feed.backend_pid is not None)
        add_wards(writer, 1, 5)
        wait_for(lambda: len(got.seqs) == 5)
        for round_ in range(3):
            pid = feed.backend_pid
            with writer.engine.begin() as conn:
                killed = conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                assert killed.scalar() is True
            add_wards(writer, 100 + 10 * round_, 4)  # written while the listener is down
            wait_for(lambda pid=pid: feed.connected and feed.backend_pid != pid)
        add_wards(writer, 900, 2)
        wait_for(lambda: len(got.seqs) == 5 + 12 + 2)
        time.sleep(0.3)
        assert got.seqs == list(range(1, 20))
        assert feed.reconnects >= 3
        assert any(ok is False for ok, _ in got.states)  # the loss was reported
        assert got.states[-1][0] is True
    finally:
        feed.stop()
        writer.engine.dispose()
        reader.engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_each_new_loss_starts_the_back_off_again(db_url: str, pg_server) -> None:
    """Three losses, each after the feed had reconnected: each is retried after the first
    short wait, not after a wait doubled by the losses before it."""
    writer = open_store(db_url, upgrade=True)
    reader = open_store(db_url, upgrade=False)
    got = Collector()
    feed = ChangeFeed(reader, 0, got.on_events, got.on_state).start()
    try:
        wait_for(lambda: feed.connected and feed.backend_pid is not None)
        for _ in range(3):
            pid = feed.backend_pid
            with writer.engine.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            wait_for(lambda pid=pid: feed.connected and feed.backend_pid != pid)
        assert feed.waits == [0.5, 0.5, 0.5]
    finally:
        feed.stop()
        writer.engine.dispose()
        reader.engine.dispose()
