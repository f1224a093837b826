"""The demo's cameras: the loopback RTSP server the demo starts after its first paint and
stops when the console quits."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from gvcommand.video.clips import clips_dir, ensure_clips
from gvcommand.video.demo_cameras import DemoCameras
from gvcommand.video.rtsp_server import demo_port

from .._needs import gst_rtsp_python


def test_demo_port_defaults_to_8554(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GVCOMMAND_DEMO_RTSP_PORT", raising=False)
    assert demo_port() == 8554
    monkeypatch.setenv("GVCOMMAND_DEMO_RTSP_PORT", "9554")
    assert DemoCameras().server.port == 9554


def test_demo_cameras_serve_in_the_background_and_stop() -> None:
    gst_rtsp_python()
    # the clips scripts/setup.sh makes for the demo (in any order of the tests: this one
    # may be the first of the run to need them)
    ensure_clips()
    cameras = DemoCameras(port=0)  # the server takes a free port and says which
    started = time.monotonic()
    cameras.start()
    assert time.monotonic() - started < 0.5  # the GUI thread does not wait for it
    assert cameras.ready.wait(20) and cameras.running()
    port = cameras.server.port
    assert port > 0
    assert cameras.server.url("cam120/sub") == f"rtsp://127.0.0.1:{port}/cam120/sub"
    pid = cameras.server.process.pid  # type: ignore[union-attr]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    cameras.stop()
    assert not os.path.exists(f"/proc/{pid}")


def test_missing_clips_are_a_warning_not_a_crash(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("GVCOMMAND_CLIPS_DIR", str(tmp_path / "none"))
    assert clips_dir() == tmp_path / "none"
    cameras = DemoCameras(port=0)
    cameras.start()
    cameras.stop()
    assert not cameras.running()
    assert "demo cameras unavailable" in caplog.text and "no video clips" in caplog.text


def test_the_server_does_not_outlive_a_crashed_console(tmp_path: Path) -> None:
    import subprocess
    import sys

    gst_rtsp_python()

    # a "console" that starts the server and dies without stopping it (SIGKILL)
    script = ("import os, signal\n"
              "from gvcommand.video.rtsp_server import RtspServer\n"
              "s = RtspServer(cameras=1)\n"
              "s.start()\n"
              "print(s.process.pid, flush=True)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid), "the RTSP server outlived the process that started it"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return "zombie" not in status.read()
    except FileNotFoundError:
        return False
