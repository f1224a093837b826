"""Shared helpers: databases to measure on, percentiles, printing, and the figures a run
reports (``report``), which ``python -m benchmarks --json FILE`` writes out."""

from __future__ import annotations

import math
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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


def load_average() -> float:
    """The 1-minute load average (NaN where the platform has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def line(name: str, value: str, goal: str = "") -> None:
    """A line of text that is not a figure (a setting, a skipped part, a count)."""
    print(f"  {name:<58} {value}{('   goal: ' + goal) if goal else ''}", flush=True)


@dataclass(frozen=True)
class Goal:
    """What a figure must be: ``value <op> limit`` (op "<", "<=", ">=" or ">")."""

    op: str
    limit: float
    text: str = ""  # how the goal reads when printed, e.g. "p95 ≤ 16 ms"

    def met(self, value: float) -> bool:
        if math.isnan(value):
            return False  # nothing measured is not a pass
        return {"<": value < self.limit, "<=": value <= self.limit,
                ">=": value >= self.limit, ">": value > self.limit}[self.op]


def at_most(limit: float, text: str) -> Goal:
    return Goal("<=", float(limit), text)


def at_least(limit: float, text: str) -> Goal:
    return Goal(">=", float(limit), text)


@dataclass(frozen=True)
class Figure:
    """One measured figure, as the table prints it and the JSON holds it."""

    bench: str
    name: str
    value: float
    unit: str
    goal: Goal | None
    verdict: str | None  # "PASS", "FAIL", or None for a figure without a goal
    load: float  # 1-minute load average when the figure was taken
    text: str  # the printed value (often with p50, max, n beside the judged one)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("value", "load"):  # JSON has no NaN
            if isinstance(out[key], float) and not math.isfinite(out[key]):
                out[key] = None
        return out


FIGURES: list[Figure] = []
"""Every figure reported in this process, in order."""
_BENCH = [""]


@contextmanager
def section(bench: str) -> Iterator[None]:
    """Figures reported inside belong to benchmark ``bench``."""
    before, _BENCH[0] = _BENCH[0], bench
    try:
        yield
    finally:
        _BENCH[0] = before


def report(name: str, value: float, unit: str, goal: Goal | None = None, *,
           text: str | None = None) -> Figure:
    """Print one figure (value, goal, verdict, load average) and keep it for ``--json``.

    ``value`` is the number the goal judges (a p95, a rate, a ratio); ``text`` is what the
    table shows, by default the value and its unit."""
    value = float(value)
    verdict = None if goal is None else ("PASS" if goal.met(value) else "FAIL")
    shown = text if text is not None else f"{format_value(value)} {unit}".rstrip()
    figure = Figure(_BENCH[0], name, value, unit, goal, verdict, load_average(), shown)
    FIGURES.append(figure)
    judged = f"   goal: {goal.text or goal.op + ' ' + format_value(goal.limit)} {verdict}" \
        if goal is not None else ""
    print(f"  {name:<64} {shown}{judged}   [load {figure.load:.2f}]", flush=True)
    return figure


def format_value(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def failed() -> list[Figure]:
    return [f for f in FIGURES if f.verdict == "FAIL"]


class Timer:
    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self.t0
