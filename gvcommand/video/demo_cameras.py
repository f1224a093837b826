"""The demo's cameras: the loopback RTSP server (GStreamer, the generated clips) on
$GVCOMMAND_DEMO_RTSP_PORT (default 8554), where the demo camera records point
(rtsp://127.0.0.1:8554/camNNN, sub-stream …/camNNN/sub).

Started off the GUI thread after the console's first paint, like the demo patrols; stopped
when the console quits. The clips are made by scripts/setup.sh, not here (that takes
seconds of both cores). A server that cannot start (GStreamer or the clips missing, port
taken) is a warning in the log: the tiles then say "camera unreachable", as they would for
a real camera.
"""

from __future__ import annotations

import logging
import subprocess
import threading

from .rtsp_server import RtspServer, RtspServerUnavailable, demo_port

log = logging.getLogger(__name__)


class DemoCameras:
    def __init__(self, port: int | None = None, cameras: int = 120) -> None:
        self.server = RtspServer(demo_port() if port is None else port, cameras=cameras)
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # set once the server accepts connections

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="demo-cameras", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self.server.start(make_clips=False)
            self.ready.set()
        except (RtspServerUnavailable, OSError, RuntimeError,
                subprocess.CalledProcessError) as exc:
            log.warning("demo cameras unavailable (rtsp://127.0.0.1:%d/): %s",
                        self.server.port, exc)

    def running(self) -> bool:
        return self.server.running()

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join(25)  # a start under way finishes first (≤ 20 s)
            self._thread = None
        self.server.stop()
        self.ready.clear()
