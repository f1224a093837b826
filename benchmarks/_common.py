"""Shared helpers: databases to measure on, percentiles, printing."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore

ADMIN = Actor("bench-admin", Role.ADMIN, "bench")
OPERATOR = Actor("bench-op", Role.OPERATOR, "bench")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class PgAdmin:
    """Creates and drops throwaway databases on a PostgreSQL server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.made: list[str] = []

    def libpq(self, database: str) -> str:
        u = self.url
        parts = [f"host={u.host or '127.0.0.1'}", f"port={u.port or 5432}",
                 f"user={u.username or 'postgres'}", f"dbname={database}"]
        if u.password:
            parts.append(f"password={u.password}")
        return " ".join(parts)

    def available(self) -> bool:
        try:
            psycopg.connect(self.libpq(self.url.database or "postgres"), connect_timeout=3).close()
            return True
        except psycopg.Error:
            return False

    def fresh(self, tag: str) -> str:
        name = f"gvbench_{tag}_{os.getpid()}"
        with psycopg.connect(self.libpq(self.url.database or "postgres"), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with psycopg.connect(self.libpq(self.url.database or "postgres"), autocommit=True) as c:
            for name in self.made:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_url(tag: str) -> str:
    d = Path(tempfile.mkdtemp(prefix=f"gvbench_{tag}_"))
    return f"sqlite:///{d}/bench.sqlite"


def fresh_store(url: str, units: int = 60) -> EventStore:
    store = open_store(url, upgrade=True)
    cmds: list[c.Command] = [c.AddWard(f"P{i}", f"Phường {i}") for i in range(1, 17)]
    forces = list(Force)
    cmds += [c.AddUnit(f"U{i:03d}", forces[i % 4], f"P{1 + i % 16}") for i in range(units)]
    store.execute_many(cmds, ADMIN)
    return store


def incident(inc_id: str) -> c.CreateIncident:
    return c.CreateIncident(inc_id, IncidentType.SNATCH_THEFT, 2, 106.665, 10.838,
                            IncidentSource.PHONE, "P1", "Quang Trung", "cướp giật điện thoại")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(values_s: list[float]) -> str:
    ms = [v * 1000 for v in values_s]
    return (f"p50 {pct(ms, 50):.2f} ms, p99 {pct(ms, 99):.2f} ms, max {max(ms):.2f} ms, "
            f"mean {statistics.fmean(ms):.2f} ms (n={len(ms)})")


def line(name: str, value: str, goal: str = "") -> None:
    print(f"  {name:<58} {value}{('   goal: ' + goal) if goal else ''}", flush=True)


class Timer:
    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self.t0
