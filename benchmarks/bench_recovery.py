"""Database back -> the waiting order recorded: one real console window (MainWindow,
offscreen) on PostgreSQL.

Each round: the database is lost (connections to it refused, its sessions ended), the
officer dispatches a unit from the board, the order waits; the database comes back DOWN_S
plus a random fraction of a second later (not in step with the console's retry timer).
Figures: from then to the order in the log (the command path: the RETRY_MS timer, or the
change feed's reconnection if sooner, then the writer), beside the timer's own bound; and
to the order in the console's state (the change feed must reconnect too, and its back-off
after repeated losses shows there).

    python -m benchmarks.bench_recovery [--pg URL] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from ._common import (
    DEFAULT_PG,
    OPERATOR,
    PgAdmin,
    at_most,
    fresh_store,
    incident,
    line,
    load_average,
    pct,
    report,
)

DOWN_S = 1.0
WRITE_MS = 100
"""What the goal allows a write on a loaded machine, beyond the retry period."""


def _summary(values_s: list[float]) -> str:
    ms = [v * 1000 for v in values_s]
    return (f"p50 {pct(ms, 50):.0f} ms, p95 {pct(ms, 95):.0f} ms, max {max(ms):.0f} ms "
            f"(n={len(ms)})")


def recovery(pg: PgAdmin, url: str, rounds: int) -> tuple[list[float], list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gvcommand.core.model import Actor, Role, UnitStatus
    from gvcommand.store import open_store
    from gvcommand.ui.main_window import MainWindow
    from gvcommand.ui.session import ConsoleSession

    app = QApplication.instance() or QApplication(["bench-recovery"])
    store = open_store(url, upgrade=False)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(store, Actor(OPERATOR.name, Role.SUPERVISOR, "bench"),
                             settings=settings)
    session.wait_ready()
    window: Any = MainWindow(session, owns_session=True)
    window.show()
    window.start()
    db = make_url(url).database
    admin = psycopg.connect(pg.libpq(pg.url.database or "postgres"), autocommit=True)

    def spin_until(done: Any, timeout_s: float = 30.0) -> None:
        t0 = time.monotonic()
        while not done():
            app.processEvents()
            time.sleep(0.001)
            if time.monotonic() - t0 > timeout_s:
                raise TimeoutError("the console did not get there in time")

    spin_until(lambda: window.live.state.incident("b-1") is not None)
    rng = random.Random(5)
    in_log: list[float] = []
    in_state: list[float] = []

    def recorded(reader: psycopg.Connection[Any], call_sign: str) -> bool:
        row = reader.execute("SELECT count(*) FROM events WHERE subject = %s AND kind = %s",
                            (f"unit:{call_sign}", "unit.dispatched")).fetchone()
        return bool(row and row[0])

    try:
        for k in range(rounds):
            call_sign = f"U{k:03d}"
            unit = window.live.state.unit(call_sign)
            admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s", (db,))
            window.unit_board.dispatch(unit, "b-1")
            spin_until(lambda: bool(window.runner.waiting)
                       and not window.runner.waiting[0].in_flight)
            # down for DOWN_S plus a random fraction of a second: the database does not come
            # back in step with the console's retry timer
            t_end = time.monotonic() + DOWN_S + rng.random()
            spin_until(lambda t=t_end: time.monotonic() >= t)
            t0 = time.perf_counter()
            admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
            reader = psycopg.connect(pg.libpq(db or ""), autocommit=True)  # reads the log
            log_at = state_at = 0.0
            while not (log_at and state_at):
                app.processEvents()
                time.sleep(0.002)
                now = time.perf_counter()
                if not log_at and recorded(reader, call_sign):
                    log_at = now
                if not state_at and (window.live.state.unit(call_sign).status
                                     is UnitStatus.DISPATCHED):
                    state_at = now
                if now - t0 > 60:
                    raise TimeoutError("the order did not arrive")
            reader.close()
            in_log.append(log_at - t0)
            in_state.append(state_at - t0)
    finally:
        admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
        admin.close()
        window.runner._entries.clear()  # nothing to ask about when closing
        window.close()
        app.processEvents()
        store.engine.dispose()
    return in_log, in_state


def run(pg: PgAdmin | None, rounds: int) -> None:
    print("\n== Database back -> waiting order recorded (one console window, PostgreSQL) ==")
    if pg is None:
        print("  (no PostgreSQL: skipped)")
        return
    url = pg.fresh("recovery")
    store = fresh_store(url, units=rounds)
    store.execute(incident("b-1"), OPERATOR)
    store.engine.dispose()
    line("load average (1 min) / cores", f"{load_average():.1f} / {os.cpu_count()}",
         "figures on a loaded machine are upper bounds")
    from gvcommand.ui.session import RETRY_MS

    in_log, in_state = recovery(pg, url, rounds)
    report("database back -> the waiting order in the log, p95", pct(in_log, 95) * 1000, "ms",
           at_most(RETRY_MS + WRITE_MS, f"p95 within the retry period ({RETRY_MS} ms) plus a "
                   f"write ({WRITE_MS} ms)"), text=_summary(in_log))
    report("database back -> the order in this console's state, p95",
           pct(in_state, 95) * 1000, "ms", text=_summary(in_state))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("GVCOMMAND_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    pg: PgAdmin | None = PgAdmin(args.pg)
    if pg is not None and not pg.available():
        pg = None
    try:
        run(pg, args.rounds)
    finally:
        if pg is not None:
            pg.drop_all()


if __name__ == "__main__":
    main()
