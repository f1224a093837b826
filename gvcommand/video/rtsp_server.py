"""Starts and stops the loopback RTSP test/demo server (`_gst_rtsp_serve.py`).

The server is GStreamer's RTSP server, a Debian package for the system python3 (python3-gi,
gir1.2-gst-rtsp-server-1.0), so it runs as a process of its own under that interpreter;
this controller is what tests, benchmarks and the demo use:

    server = RtspServer()            # port 0: a free one; clips made if missing
    server.start()                   # returns once it accepts connections
    server.url("cam001/sub")         # rtsp://127.0.0.1:<port>/cam001/sub
    server.stop(); server.start()    # the same port again
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from .clips import clip_paths, clips_dir, ensure_clips

log = logging.getLogger(__name__)

SCRIPT = Path(__file__).with_name("_gst_rtsp_serve.py")
DEMO_PORT_ENV = "GVCOMMAND_DEMO_RTSP_PORT"
DEFAULT_DEMO_PORT = 8554


class RtspServerUnavailable(RuntimeError):
    pass


def system_python() -> str | None:
    """An interpreter that has GStreamer's RTSP server bindings (the system python3)."""
    candidates = [os.environ.get("GVCOMMAND_GST_PYTHON"), "/usr/bin/python3",
                  shutil.which("python3")]
    for exe in candidates:
        if exe and Path(exe).exists() and _has_gst_rtsp(exe):
            return exe
    return None


_checked: dict[str, bool] = {}


def _has_gst_rtsp(exe: str) -> bool:
    if exe not in _checked:
        probe = ("import gi; gi.require_version('Gst', '1.0'); "
                 "gi.require_version('GstRtspServer', '1.0'); "
                 "from gi.repository import GstRtspServer")
        try:
            _checked[exe] = subprocess.run([exe, "-c", probe], capture_output=True,
                                           timeout=20).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _checked[exe] = False
    return _checked[exe]


PASSWORD_ENV = "GVCOMMAND_RTSP_SECURE_PASSWORD"  # read by _gst_rtsp_serve.py


def demo_port() -> int:
    return int(os.environ.get(DEMO_PORT_ENV, DEFAULT_DEMO_PORT))


class RtspServer:
    def __init__(self, port: int = 0, *, cameras: int = 120, clips: Path | None = None,
                 address: str = "127.0.0.1", user: str = "gvdemo",
                 password: str | None = None) -> None:
        self.port, self.cameras, self.address = port, cameras, address
        # of the /secure mount only: made for this server unless given, never a fixed one
        self.user, self.password = user, password or secrets.token_urlsafe(12)
        self.clips = clips or clips_dir()
        self.process: subprocess.Popen[str] | None = None
        self._stderr: list[str] = []

    def url(self, path: str) -> str:
        return f"rtsp://{self.address}:{self.port}/{path.lstrip('/')}"

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, wait: bool = True, timeout_s: float = 20.0,
              make_clips: bool = True) -> None:
        """Starts the server (making missing clips first, unless told not to: then
        missing clips are an error). With wait, returns once it listens (and fills in the
        port it got); without, returns at once — `wait_ready()` reads the port later."""
        if self.running():
            return
        python = system_python()
        if python is None:
            raise RtspServerUnavailable(
                "GStreamer's RTSP server is not installed for the system python3 "
                "(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad}; "
                "scripts/setup.sh installs them)")
        if make_clips:
            ensure_clips(self.clips)
        elif not all(p.exists() for p in clip_paths(self.clips)):
            raise RtspServerUnavailable(
                f"no video clips in {self.clips} (scripts/setup.sh makes them, or "
                "python -m gvcommand.video.clips)")
        cmd = [python, str(SCRIPT), "--port", str(self.port), "--address", self.address,
               "--clips", str(self.clips), "--cameras", str(self.cameras),
               "--user", self.user]
        self._stderr = []
        # the password in the environment, not on the command line (which `ps` shows)
        env = {**os.environ, PASSWORD_ENV: self.password}
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        threading.Thread(target=self._drain_stderr, args=(self.process,), daemon=True,
                         name="rtsp-server-stderr").start()
        if wait:
            self.wait_ready(timeout_s)

    def wait_ready(self, timeout_s: float = 20.0) -> None:
        proc = self.process
        if proc is None or proc.stdout is None:
            raise RtspServerUnavailable("the RTSP server was not started")
        deadline = time.monotonic() + timeout_s
        got: list[str] = []
        stdout = proc.stdout
        # the server prints one line, READY <port>, once it listens (or exits): read it on
        # a thread so that a server hanging before it cannot hang us past the timeout
        reader = threading.Thread(target=lambda: got.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout_s)
        line = got[0] if got else ""
        if not line.startswith("READY"):
            code = proc.poll()
            if code is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(1)  # and let its last words reach the stderr thread
                time.sleep(0.05)
            self.stop()
            how = (f"exited with code {code}" if code is not None
                   else f"did not start within {timeout_s:g} s")
            raise RtspServerUnavailable(
                f"the RTSP server {how}: {' '.join(self._stderr[-5:]) or 'no message'}")
        self.port = int(line.split()[1])
        while time.monotonic() < deadline:  # it listens once attached; make sure
            try:
                socket.create_connection((self.address, self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        log.info("RTSP server (pid %d) serving %d cameras on rtsp://%s:%d/",
                 proc.pid, self.cameras, self.address, self.port)

    def _drain_stderr(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            line = line.rstrip()
            if line:
                self._stderr.append(line)
                del self._stderr[:-50]
                log.debug("rtsp server: %s", line)

    def stop(self, timeout_s: float = 5.0) -> None:
        proc, self.process = self.process, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout_s)
        if proc.stdout is not None:
            proc.stdout.close()
        log.info("RTSP server stopped")

    def kill(self) -> None:
        """Ends it abruptly (SIGKILL), as a crashed camera would vanish."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(5)
        self.stop()

    def __enter__(self) -> RtspServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
