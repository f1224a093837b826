"""State at an arbitrary time T over a log of 1M events: snapshot + the events after it.

The log is a realistic mix: 60 units, incidents through their whole life (created,
dispatched, en route, on scene, cleared, closed; ~12 events each), written through the real
command path in batches.
"""

from __future__ import annotations

import random
import time

from gvcommand.core import commands as c
from gvcommand.core.model import UnitStatus
from gvcommand.core.state import replay
from gvcommand.store.event_store import EventStore

from ._common import (
    OPERATOR,
    PgAdmin,
    Timer,
    at_most,
    fresh_store,
    incident,
    pct,
    report,
    sqlite_url,
)

UNITS = 60


def fill(store: EventStore, target_events: int) -> None:
    n = 0
    batch: list[c.Command] = []
    head = store.head()[0]
    while head < target_events:
        unit = f"U{n % UNITS:03d}"
        inc = f"R{n}"
        batch += [
            incident(inc),
            c.DispatchUnit(inc, unit),
            c.SetUnitStatus(unit, UnitStatus.EN_ROUTE),
            c.SetUnitStatus(unit, UnitStatus.ON_SCENE),
            c.ClearIncident(inc),
            c.CloseIncident(inc, "xong"),
        ]
        n += 1
        if len(batch) >= 1200:
            head = store.execute_many(batch, OPERATOR).last_seq
            batch = []


def measure(store: EventStore, label: str, events: int) -> None:
    with Timer() as t:
        fill(store, events)
    head, _, last_ts = store.head()
    report(f"{label}: wrote the log (batched)", head / t.elapsed, "events/s",
           text=f"{head:,} events in {t.elapsed:.0f} s ({head / t.elapsed:,.0f} events/s)")
    with Timer() as t:
        written = store.ensure_snapshots()
    report(f"{label}: built snapshots (one-off, off the write path)", t.elapsed, "s",
           text=f"{written} in {t.elapsed:.1f} s")
    first_ts = next(store.iter_events(0, 1)).ts_us
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(40):
        when = rng.randint(first_ts, last_ts)
        t0 = time.perf_counter()
        st = store.state_at(ts_us=when)
        times.append(time.perf_counter() - t0)
        assert st.last_ts_us <= when
    ms = [x * 1000 for x in times]
    report(f"{label}: state at a random time T (40 draws), p95", pct(ms, 95), "ms",
           at_most(200, "p95 ≤ 200 ms"),
           text=f"p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms")
    # check one draw against a full replay, and show what the snapshots save
    seq = rng.randint(1, head)
    with Timer() as t:
        full = replay(store.iter_events(0, seq), keep_terminal=False)
    assert full.comparable() == store.state_at(seq=seq).comparable()
    report(f"{label}: the same without snapshots (full replay to seq {seq:,})",
           t.elapsed * 1000, "ms",
           text=f"{t.elapsed * 1000:,.0f} ms (and equal to the snapshot path)")


def run(pg: PgAdmin | None, events: int) -> None:
    print(f"\n== Replay to an arbitrary time over {events:,} events ==")
    store = fresh_store(sqlite_url("replay"), units=UNITS)
    measure(store, "SQLite", events)
    store.engine.dispose()
    if pg is not None:
        store = fresh_store(pg.fresh("replay"), units=UNITS)
        measure(store, "PostgreSQL", events)
        store.engine.dispose()
