"""How a console ends, from the system's side, with the real application in a subprocess:
SIGTERM (logout, shutdown) takes the path of closing the window: its camera views are
stopped on the record, the demo's AVL service and simulator end with it, and the log says
"gvcommand stopped". A console killed outright (SIGKILL) leaves its views open on the
record; its next start closes them as "ended by a restart" with the time it was last
seen."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gvcommand.console_run import RESTART_REASON
from gvcommand.core import events as ev
from gvcommand.store import open_store

from .test_app_smoke import _env

CONSOLE = "SMOKE"  # the console name _env gives
STOP_PATTERN = re.compile(r"demo patrol positions: gvcommand-avl on port \d+ and its "
                          r"simulator \(pids (\d+), (\d+)\)")


class Console:
    """``python -m gvcommand.app --demo`` in a process of its own."""

    def __init__(self, tmp_path: Path, db: Path, *args: str) -> None:
        self.tmp_path = tmp_path
        self.log_file = tmp_path / "state" / "gvcommand" / "log" / "gvcommand.log"
        self.log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gvcommand.app", "--demo", "--db", f"sqlite:///{db}",
             *args], env=_env(tmp_path), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def log(self) -> str:
        if not self.log_file.exists():
            return ""
        with self.log_file.open(encoding="utf-8") as f:
            f.seek(self.log_start)
            return f.read()

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        while not check():
            assert self.proc.poll() is None, f"the console ended while waiting for {what}"
            assert time.monotonic() < end, f"{what}: not within {timeout:g} s\n{self.log()}"
            time.sleep(0.2)

    def avl_pids(self) -> list[int]:
        found = STOP_PATTERN.findall(self.log())
        return [int(p) for p in found[-1]] if found else []

    def end(self, timeout: float = 60) -> tuple[int, str]:
        _, stderr = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, stderr


def views(db: Path) -> list[ev.StoredEvent]:
    store = open_store(f"sqlite:///{db}", upgrade=False)
    try:
        return [e for e in store.iter_events()
                if e.kind in (ev.CAMERA_VIEW_STARTED, ev.CAMERA_VIEW_STOPPED)]
    finally:
        store.engine.dispose()


def open_view_ids(db: Path) -> set[str]:
    seen = views(db)
    stopped = {e.payload["view_id"] for e in seen if e.kind == ev.CAMERA_VIEW_STOPPED}
    return {e.payload["view_id"] for e in seen
            if e.kind == ev.CAMERA_VIEW_STARTED and e.console == CONSOLE} - stopped


def gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" in status.read_text()
    except OSError:
        return True


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Path]:
    """A demo database made by a first start, and a wall of one camera for the next ones
    (the wall the console had when it last closed comes back)."""
    db = tmp_path / "demo.sqlite"
    first = subprocess.run([sys.executable, "-m", "gvcommand.app", "--demo", "--db",
                            f"sqlite:///{db}", "--quit-after", "2", "--demo-days", "2",
                            "--no-simulation"], env=_env(tmp_path), capture_output=True,
                           text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stderr[-3000:]
    store = open_store(f"sqlite:///{db}", upgrade=False)
    try:
        code = min(c.code for c in store.projections().cameras.values() if c.active)
    finally:
        store.engine.dispose()
    conf = tmp_path / "config" / "gvcommand" / "gvcommand.conf"
    settings = QSettings(str(conf), QSettings.Format.IniFormat)
    settings.setValue("camera_wall/current", json.dumps({"layout": "1", "cameras": [code]}))
    settings.sync()
    yield db


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_sigterm_ends_like_closing_and_sigkill_is_mended_at_the_next_start(
        tmp_path: Path, demo_db: Path) -> None:
    leftovers: list[int] = []
    try:
        # 1. SIGTERM: views stopped on the record, the AVL processes ended, a clean stop
        run = Console(tmp_path, demo_db)
        run.wait_for(lambda: bool(open_view_ids(demo_db)), "a camera view on the record")
        run.wait_for(lambda: len(run.avl_pids()) == 2, "the demo's AVL service")
        pids = run.avl_pids()
        leftovers += pids
        run.proc.send_signal(signal.SIGTERM)
        code, stderr = run.end()
        assert code == 0, stderr[-3000:]
        assert "Traceback" not in stderr
        log = run.log()
        assert "SIGTERM received: the console closes" in log
        assert "gvcommand stopped (exit code 0)" in log
        assert open_view_ids(demo_db) == set()
        stops = [e for e in views(demo_db) if e.kind == ev.CAMERA_VIEW_STOPPED]
        assert stops and all(e.payload["reason"] != RESTART_REASON for e in stops)
        deadline = time.monotonic() + 10
        while not all(gone(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(gone(p) for p in pids), f"AVL processes {pids} outlived the console"

        # 2. SIGKILL: nothing runs at the end, the view stays open on the record
        run = Console(tmp_path, demo_db, "--no-simulation")
        started = time.time_ns() // 1000
        run.wait_for(lambda: bool(open_view_ids(demo_db)), "a camera view on the record")
        left_open = open_view_ids(demo_db)
        run.proc.kill()
        run.end()
        killed = time.time_ns() // 1000
        assert open_view_ids(demo_db) == left_open

        # 3. the next start closes it as ended by a restart, when the console was last seen
        done = subprocess.run([sys.executable, "-m", "gvcommand.app", "--demo", "--db",
                               f"sqlite:///{demo_db}", "--quit-after", "3",
                               "--no-simulation"], env=_env(tmp_path), capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        restart_stops = {e.payload["view_id"]: e for e in views(demo_db)
                         if e.kind == ev.CAMERA_VIEW_STOPPED
                         and e.payload["reason"] == RESTART_REASON}
        assert set(restart_stops) == left_open
        for stop in restart_stops.values():
            assert stop.console == CONSOLE
            assert started <= stop.payload["last_seen_us"] <= killed
        assert "camera view(s) the console's last run left open" in done.stderr
        assert open_view_ids(demo_db) == set()
    finally:
        for pid in leftovers:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
