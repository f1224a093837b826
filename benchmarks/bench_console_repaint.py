"""Click in console A → repaint in console B: two real console windows (MainWindow, offscreen)
in two processes on one database.

A "click" is the officer's keystroke on console A's unit board, delivered to the board as a
real key event (QTest.keyClick on its tree, the unit selected): "D" dispatches the unit (the
incident picker's answer is given by the benchmark: the officer's choosing time is not
ours), then "A" recalls it to available. The time starts just before the key event is sent.
From there the command takes the real path: the board's key handling, the console's command
path, A's writer thread, the commit, PostgreSQL
NOTIFY (SQLite: the data_version poll), B's change-feed thread, B's main thread applying the
events to its live state, and B's unit board repainting. The figure is the time from the
click to the first paint of B's unit board after the events arrived, on one machine clock
(time.time_ns in both processes). Beside it, the same run's commit → applied-in-B time from
bench_latency shows what the windows add.

    python -m benchmarks.bench_console_repaint [--pg URL] [--rounds N]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import tempfile
import time
from typing import Any

from ._common import (
    DEFAULT_PG,
    PgAdmin,
    at_most,
    fresh_store,
    incident,
    line,
    load_average,
    pct,
    report,
    sqlite_url,
)

UNIT = "U001"


def _window(url: str, name: str, role: str) -> tuple[Any, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gvcommand.core.model import Actor, Role
    from gvcommand.store import open_store
    from gvcommand.ui.main_window import MainWindow
    from gvcommand.ui.session import ConsoleSession

    app = QApplication.instance() or QApplication([name])
    store = open_store(url, upgrade=False)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(store, Actor(name, Role(role), name), settings=settings)
    session.wait_ready()
    window = MainWindow(session, owns_session=True)
    window.show()
    window.start()
    return app, window


def _console_b(url: str, ready: Any, stop: Any, out: Any) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    app, window = _window(url, "console-b", "supervisor")
    pending: list[int] = []
    painted: dict[int, int] = {}
    arrived: dict[int, int] = {}

    def on_events(events: list[Any]) -> None:  # after the window's own slot: state applied
        now = time.time_ns()
        for e in events:
            arrived.setdefault(e.seq, now)
        pending.extend(e.seq for e in events)

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and pending:
                now = time.time_ns()
                for seq in pending:
                    painted.setdefault(seq, now)
                pending.clear()
            return False

    window.bridge.events_arrived.connect(on_events)
    window.units_dock.raise_()  # the board shares its place with the incident queue
    watch = PaintWatch()
    window.unit_board.tree.viewport().installEventFilter(watch)

    def poll() -> None:
        if window.bridge.running and not ready.is_set() and window.live.last_seq > 0:
            ready.set()
        if stop.is_set():
            out.put((arrived, painted))
            window.close()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    app.exec()
    window.session.store.engine.dispose()


def _console_a(url: str, incidents: list[str], gap_s: float, go: Any, out: Any) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest

    app, window = _window(url, "console-a", "operator")
    clicks: list[tuple[int, int]] = []  # (click time ns, the last seq of its events)
    loop = QEventLoop()
    timeout = QTimer()  # one timer, stopped after each wait: a stray one would end a later wait
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    done: dict[str, int] = {}

    def on_done(_command: Any, result: Any) -> None:
        done["seq"] = result.last_seq
        loop.quit()

    window.runner.done.connect(on_done)
    window.runner.refused.connect(lambda _c, text: (print("refused:", text), loop.quit()))
    go.wait(60)

    def settle(seq: int) -> None:
        """Until A's own feed has brought its change back (the board shows the new version)
        and the gap has passed: the officer's next click sees the unit as it is."""
        deadline = time.monotonic() + gap_s
        while window.live.last_seq < seq or time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)

    board = window.unit_board
    board.select(UNIT)
    board.tree.setFocus()
    target: dict[str, str] = {}
    board.ask_incident = lambda _unit, _open: target["incident"]
    for inc in incidents:
        for key in ("D", "A"):  # dispatch, then available
            unit = window.live.state.unit(UNIT)
            assert unit is not None
            assert board.current_unit() is not None, "the unit is not selected on the board"
            target["incident"] = inc
            done.clear()
            t_click = time.time_ns()
            QTest.keyClick(board.tree, key)
            if "seq" not in done:
                timeout.start(10_000)
                loop.exec()
                timeout.stop()
            if "seq" in done:
                clicks.append((t_click, done["seq"]))
                settle(done["seq"])
    out.put(clicks)
    window.close()
    app.processEvents()
    window.session.store.engine.dispose()


def click_to_repaint(url: str, rounds: int, gap_s: float) -> tuple[list[float], list[float]]:
    """Seconds from each click to B's state having it, and to B's board repainted."""
    store = fresh_store(url, units=4)
    from gvcommand.core.model import Actor, Role

    ids = [f"bench-{i}" for i in range(rounds)]
    store.execute_many([incident(i) for i in ids], Actor("bench-sup", Role.SUPERVISOR, "x"))
    store.engine.dispose()
    ctx = mp.get_context("spawn")
    ready, stop, go = ctx.Event(), ctx.Event(), ctx.Event()
    out_a, out_b = ctx.Queue(), ctx.Queue()
    b = ctx.Process(target=_console_b, args=(url, ready, stop, out_b))
    b.start()
    if not ready.wait(90):
        b.kill()
        raise RuntimeError("console B did not start")
    a = ctx.Process(target=_console_a, args=(url, ids, gap_s, go, out_a))
    a.start()
    time.sleep(2.0)  # A builds its window and starts its feed
    go.set()
    clicks = out_a.get(timeout=600)
    time.sleep(0.5)
    stop.set()
    arrived, painted = out_b.get(timeout=60)
    a.join(30)
    b.join(30)
    if not clicks or not painted:
        raise RuntimeError(f"no figures: {len(clicks)} clicks, {len(painted)} paints in B")
    return ([(arrived[seq] - t) / 1e9 for t, seq in clicks if seq in arrived],
            [(painted[seq] - t) / 1e9 for t, seq in clicks if seq in painted])


def summary(values_s: list[float]) -> str:
    ms = [v * 1000 for v in values_s]
    return (f"p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms "
            f"(n={len(ms)})")


def run(pg: PgAdmin | None, rounds: int, gap_s: float = 0.05) -> None:
    print("\n== Click in console A -> repaint in console B (two windows, two processes) ==")
    line("load average (1 min) / cores", f"{load_average():.1f} / {os.cpu_count()}",
         "figures on a loaded machine are upper bounds")
    runs = [("SQLite (data_version poll)", sqlite_url("repaint"))]
    if pg is not None:
        runs.insert(0, ("PostgreSQL (NOTIFY)", pg.fresh("repaint")))
    for name, url in runs:
        applied, painted = click_to_repaint(url, rounds, gap_s)
        report(f"{name}: click in A -> B's state has it, p95", pct(applied, 95) * 1000, "ms",
               text=summary(applied))
        report(f"{name}: click in A -> B's unit board repainted, p95",
               pct(painted, 95) * 1000, "ms", at_most(1000, "p95 within a second (issue 5)"),
               text=summary(painted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("GVCOMMAND_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--rounds", type=int, default=100, help="dispatch + recall each")
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
