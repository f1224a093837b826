"""Hash-chained appends per second, beside the raw durable commit rate of the same database.

Every append here is a real command (an incident note: decided against the stored incident,
sealed into the chain, projection updated) committed durably.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import threading
import time
from pathlib import Path

import psycopg

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, Role
from gvcommand.store import open_store
from gvcommand.store.writer import CommandWriter

from ._common import (
    OPERATOR,
    PgAdmin,
    Timer,
    at_least,
    fresh_store,
    incident,
    line,
    report,
    sqlite_url,
)


def _notes(n: int, inc: str = "bench-1") -> list[c.Command]:
    return [c.AddIncidentNote(inc, f"ghi chú {i}") for i in range(n)]


def one_per_commit(url: str, n: int) -> float:
    store = fresh_store(url)
    store.execute(incident("bench-1"), OPERATOR)
    with Timer() as t:
        for cmd in _notes(n):
            store.execute(cmd, OPERATOR)
    assert store.verify().ok
    store.engine.dispose()
    return n / t.elapsed


def batched(url: str, batches: int, size: int) -> float:
    store = fresh_store(url)
    store.execute(incident("bench-1"), OPERATOR)
    with Timer() as t:
        for _ in range(batches):
            store.execute_many(_notes(size), OPERATOR)
    assert store.verify().ok
    store.engine.dispose()
    return batches * size / t.elapsed


def _writer_process(url: str, seconds: float, threads: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(url, upgrade=False)
    writer = CommandWriter(store).start()
    done = [0] * threads
    stop_at = time.perf_counter() + seconds

    def officer(k: int) -> None:
        actor = Actor(f"op{k}", Role.OPERATOR, f"bench-{mp.current_process().pid}")
        while time.perf_counter() < stop_at:
            writer.submit(c.AddIncidentNote("bench-1", f"ghi chú {k}"), actor).result()
            done[k] += 1

    workers = [threading.Thread(target=officer, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    writer.stop()
    out.put((sum(done), writer.groups))
    store.engine.dispose()


def group_commit(url: str, processes: int = 2, threads: int = 16, seconds: float = 5.0
                 ) -> tuple[float, float]:
    store = fresh_store(url)
    store.execute(incident("bench-1"), OPERATOR)
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_writer_process, args=(url, seconds, threads, out))
             for _ in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    total = sum(r[0] for r in results)
    groups = sum(r[1] for r in results)
    assert store.verify().ok
    store.engine.dispose()
    return total / seconds, total / max(groups, 1)


def raw_sqlite_commits(n: int) -> float:
    path = Path(sqlite_url("raw")[len("sqlite:///"):])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (x INTEGER, payload TEXT)")
    with Timer() as t:
        for i in range(n):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?, ?)", (i, "x" * 200))
            conn.execute("COMMIT")
    conn.close()
    return n / t.elapsed


def raw_pg_commits(libpq: str, n: int) -> float:
    with psycopg.connect(libpq) as conn:
        conn.execute("CREATE TABLE raw_commit (x int, payload text)")
        conn.commit()
        with Timer() as t:
            for i in range(n):
                conn.execute("INSERT INTO raw_commit VALUES (%s, %s)", (i, "x" * 200))
                conn.commit()
    return n / t.elapsed


def run(pg: PgAdmin | None, quick: bool) -> None:
    n = 300 if quick else 1000
    print("\n== Hash-chained appends (durable commits; every append a real command) ==")
    report("SQLite, raw INSERT+COMMIT (WAL, synchronous=FULL) [limit]",
           raw_sqlite_commits(n), "commits/s")
    report("SQLite, one command per transaction", one_per_commit(sqlite_url("one"), n),
           "appends/s")
    report("SQLite, batched (500 commands per transaction)",
           batched(sqlite_url("batch"), 4 if quick else 40, 500), "appends/s",
           at_least(10_000, "≥ 10,000/s"))
    if pg is None:
        line("PostgreSQL", "skipped: no server (pass --pg URL)")
        return
    url = pg.fresh("raw")
    report("PostgreSQL, raw INSERT+COMMIT, one client [limit]",
           raw_pg_commits(pg.libpq(url.rsplit("/", 1)[1]), n), "commits/s")
    report("PostgreSQL, one command per transaction, one client",
           one_per_commit(pg.fresh("one"), n), "appends/s")
    for threads in (4, 16, 64):
        rate, per_group = group_commit(pg.fresh(f"group{threads}"), threads=threads,
                                       seconds=3 if quick else 8)
        report(f"PostgreSQL, group commit: 2 processes x {threads} concurrent commands",
               rate, "appends/s", at_least(2_000, "≥ 2,000/s") if threads == 64 else None,
               text=f"{rate:,.0f} appends/s ({per_group:.1f} commands per commit)")
    report("PostgreSQL, batched (500 commands per transaction)",
           batched(pg.fresh("batch"), 4 if quick else 20, 500), "appends/s")
