"""The demo's patrol positions: gvcommand-avl serve on a free loopback port and the
simulator sending to it, as two processes of their own (the same path real phones take),
stopped when the console closes."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys

log = logging.getLogger(__name__)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DemoAvl:
    def __init__(self, db_url: str, *, interval_s: float = 5.0) -> None:
        self.db_url, self.interval_s = db_url, interval_s
        self.port = 0
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        self.port = _free_port()
        base = [sys.executable, "-m", "gvcommand.avl", "--db", self.db_url]
        env = {**os.environ, "GVCOMMAND_LOG_LEVEL": os.environ.get("GVCOMMAND_LOG_LEVEL",
                                                                   "WARNING")}
        self.processes = [
            subprocess.Popen([*base, "serve", "--port", str(self.port)], env=env,
                             stdin=subprocess.DEVNULL),
            subprocess.Popen([*base, "simulate", "--url", f"http://127.0.0.1:{self.port}/",
                              "--interval", str(self.interval_s)], env=env,
                             stdin=subprocess.DEVNULL),
        ]
        log.info("demo patrol positions: gvcommand-avl on port %d and its simulator "
                 "(pids %s)", self.port, ", ".join(str(p.pid) for p in self.processes))

    def running(self) -> bool:
        return bool(self.processes) and all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        for p in reversed(self.processes):
            if p.poll() is None:
                p.terminate()
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        self.processes = []
