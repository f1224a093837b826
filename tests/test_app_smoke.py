"""The whole console started as an officer would, in a subprocess: it must come up, log in
(demo), run a few seconds and quit cleanly; and refuse a bad database before any window."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gvcommand.core import events as ev
from gvcommand.store import open_store
from gvcommand.store.positions import latest_positions


def _env(tmp_path: Path) -> dict[str, str]:
    """Offscreen Qt, and every per-user directory (settings, data, logs) inside tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GVCOMMAND_", "XDG_"))}
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_RUNTIME_DIR=str(runtime),
        GVCOMMAND_CONSOLE="SMOKE",
    )
    return env


def _run(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gvcommand.app", *args], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.slow
def test_demo_runs_and_quits_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    done = _run(tmp_path, "--demo", "--db", f"sqlite:///{db}", "--quit-after", "3",
                "--demo-days", "3")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "change feed connected" in done.stderr  # the live feed really started
    # the map was painted with the demo's wards, and the feed started after it
    paint = re.search(r"first map paint: (\d+) wards, (\d+) incidents", done.stderr)
    assert paint is not None and int(paint[1]) > 0, done.stderr
    assert done.stderr.index("first map paint") < done.stderr.index("change feed connected")
    assert "gvcommand stopped (exit code 0)" in done.stderr

    store = open_store(f"sqlite:///{db}", upgrade=False)
    try:
        logins = [e for e in store.events_of("user:demo") if e.kind == ev.USER_LOGIN_SUCCEEDED]
        assert store.verify().ok
        state = store.projections()  # the first start generated the demo data
        assert len(state.editions) == 3 and len(state.units) > 20 and len(state.incidents) > 20
    finally:
        store.engine.dispose()
    assert len(logins) == 1
    assert (logins[0].actor, logins[0].console, logins[0].payload) == (
        "demo", "SMOKE", {"method": "demo"})

    log_file = tmp_path / "state" / "gvcommand" / "log" / "gvcommand.log"
    assert "[console=SMOKE user=demo]" in log_file.read_text(encoding="utf-8")
    # the window saved its layout where QSettings keeps it for this user
    assert (tmp_path / "config" / "gvcommand" / "gvcommand.conf").is_file()

    # a second start: the simulated patrols report through gvcommand-avl (two processes of
    # their own, started after the first paint and stopped with the console)
    done = _run(tmp_path, "--demo", "--db", f"sqlite:///{db}", "--quit-after", "12")
    assert done.returncode == 0, done.stderr
    log_text = log_file.read_text(encoding="utf-8")
    pids = re.findall(r"demo patrol positions: gvcommand-avl on port \d+ and its simulator "
                      r"\(pids (\d+), (\d+)\)", log_text)
    assert pids, log_text[-2000:]
    for pid in pids[-1]:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status").read_text(), f"process {pid} outlived the console"
    store = open_store(f"sqlite:///{db}", upgrade=False)
    try:
        with store.engine.connect() as conn:
            moved = latest_positions(conn)
    finally:
        store.engine.dispose()
    assert len({f.unit for f in moved}) >= 10, done.stderr[-2000:]
    assert all(f.source == "osmand" and f.device_id == f"sim-{f.unit}" for f in moved)


def test_unreachable_postgresql_fails_before_any_window(tmp_path: Path) -> None:
    done = _run(tmp_path, "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/x",
                "--quit-after", "1")
    assert done.returncode != 0
    assert "127.0.0.1" in done.stderr
    assert "secret" not in done.stderr + done.stdout
    log_file = tmp_path / "state" / "gvcommand" / "log" / "gvcommand.log"
    assert "secret" not in log_file.read_text(encoding="utf-8")
    # no window was made: a window saves its layout when it closes
    assert not (tmp_path / "config" / "gvcommand").exists()


def test_unknown_scheme_fails(tmp_path: Path) -> None:
    done = _run(tmp_path, "--db", "foo://x", "--quit-after", "1")
    assert done.returncode != 0
    assert "unknown database URL scheme" in done.stderr


def test_demo_refused_on_postgresql(tmp_path: Path) -> None:
    done = _run(tmp_path, "--demo", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    assert done.returncode != 0
    assert "--demo works only on an embedded SQLite database" in done.stderr
    assert "secret" not in done.stderr


def test_the_console_keeps_the_centres_time_whatever_the_system_zone() -> None:
    """Run in a process of its own: setting TZ changes the whole process's local time."""
    import subprocess
    import sys

    script = ("import os, time; from gvcommand.app import use_centre_time; "
              "print(use_centre_time(), time.localtime(1_795_000_000).tm_gmtoff // 3600, "
              "os.environ['TZ'])")
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    unset = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    assert unset == ["True", "7", "Asia/Ho_Chi_Minh"]  # UTC+7 (in November 2026)
    chosen = subprocess.run([sys.executable, "-c", script], env={**env, "TZ": "UTC"},
                            capture_output=True, text=True, check=True).stdout.split()
    assert chosen == ["False", "0", "UTC"]  # an administrator's explicit choice is kept
