"""Console-to-console latency: a command committed in process A, applied to the live state in
process B, beside a raw psycopg NOTIFY round trip (and one-way delivery) in the same run."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time

import psycopg

from gvcommand.core import commands as c
from gvcommand.core.state import apply
from gvcommand.store import open_store
from gvcommand.store.feed import ChangeFeed

from ._common import (
    ADMIN,
    PgAdmin,
    at_most,
    fresh_store,
    line,
    pct,
    report,
    sqlite_url,
    summary_ms,
)


def _console_b(url: str, ready: mp.Event, stop: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(url, upgrade=False)
    state = store.state_at()
    received: dict[int, int] = {}
    lock = threading.Lock()

    def on_events(events: list) -> None:  # type: ignore[type-arg]
        for e in events:
            apply(state, e)
        now = time.time_ns()
        with lock:
            for e in events:
                received[e.seq] = now

    feed = ChangeFeed(store, state.last_seq, on_events).start()
    while not feed.connected:
        time.sleep(0.01)
    ready.set()
    stop.wait()
    feed.stop()
    out.put(received)
    store.engine.dispose()


def feed_latency(url: str, n: int, gap_s: float) -> list[float]:
    store = fresh_store(url, units=4)
    ctx = mp.get_context("spawn")
    ready, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=_console_b, args=(url, ready, stop, out))
    proc.start()
    if not ready.wait(60):
        raise RuntimeError("console B did not start")
    committed: dict[int, int] = {}
    for i in range(n):
        result = store.execute(c.AddWard(f"L{i}", f"Phường L{i}"), ADMIN)
        committed[result.last_seq] = time.time_ns()
        time.sleep(gap_s)
    time.sleep(0.5)
    stop.set()
    received = out.get(timeout=30)
    proc.join(10)
    store.engine.dispose()
    return [(received[s] - t) / 1e9 for s, t in committed.items() if s in received]


def _pong(libpq: str, ready: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """Answers every ping with a pong, and notes when each ping arrived."""
    arrivals: dict[str, int] = {}
    # psycopg holds a connection while iterating its notifies(): answer on another one
    with psycopg.connect(libpq, autocommit=True) as conn, \
            psycopg.connect(libpq, autocommit=True) as reply:
        conn.execute("LISTEN bench_ping")
        ready.set()
        for note in conn.notifies():
            if note.payload == "stop":
                break
            arrivals[note.payload] = time.time_ns()
            reply.execute("SELECT pg_notify('bench_pong', %s)", (note.payload,))
    out.put(arrivals)


def raw_notify(libpq: str, n: int, gap_s: float) -> tuple[list[float], list[float]]:
    ctx = mp.get_context("spawn")
    ready, out = ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=_pong, args=(libpq, ready, out))
    proc.start()
    ready.wait(30)
    sent: dict[str, int] = {}
    rtts: list[float] = []
    with psycopg.connect(libpq, autocommit=True) as send, \
            psycopg.connect(libpq, autocommit=True) as listen:
        listen.execute("LISTEN bench_pong")
        for i in range(n):
            t0 = time.perf_counter()
            sent[str(i)] = time.time_ns()
            send.execute("SELECT pg_notify('bench_ping', %s)", (str(i),))
            for _ in listen.notifies(timeout=5, stop_after=1):
                pass
            rtts.append(time.perf_counter() - t0)
            time.sleep(gap_s)
        send.execute("SELECT pg_notify('bench_ping', 'stop')")
    arrivals = out.get(timeout=30)
    proc.join(10)
    one_way = [(arrivals[k] - t) / 1e9 for k, t in sent.items() if k in arrivals]
    return rtts, one_way


def run(pg: PgAdmin | None, quick: bool) -> None:
    n = 100 if quick else 500
    gap = 0.01
    print("\n== Console-to-console latency (committed in A -> applied in B, separate processes) ==")
    sqlite = feed_latency(sqlite_url("lat"), n, gap)
    report("SQLite (data_version poll every 20 ms), p99", pct(sqlite, 99) * 1000, "ms",
           text=summary_ms(sqlite))
    if pg is None:
        line("PostgreSQL", "skipped: no server")
        return
    url = pg.fresh("lat")
    ours = feed_latency(url, n, gap)
    rtt, one_way = raw_notify(pg.libpq(url.rsplit("/", 1)[1]), n, gap)
    report("PostgreSQL, gvcommand change feed, p99", pct(ours, 99) * 1000, "ms",
           at_most(100, "p99 ≤ 100 ms"), text=summary_ms(ours))
    report("PostgreSQL, raw psycopg NOTIFY round trip, p99", pct(rtt, 99) * 1000, "ms",
           text=summary_ms(rtt))
    report("PostgreSQL, raw psycopg NOTIFY one way (from before the send), p99",
           pct(one_way, 99) * 1000, "ms", text=summary_ms(one_way))
    ratio = pct(ours, 99) / pct(rtt, 99)
    report("ratio of p99: change feed / raw round trip", ratio, "×", at_most(3, "≤ 3×"),
           text=f"{ratio:.2f}×")
