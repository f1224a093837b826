"""The demo's patrol positions: gvcommand-avl serve on a free loopback port and the
simulator sending to it, as two processes of their own (the same path real phones take),
stopped when the console closes.

The service takes its port from the kernel itself (``--port 0``) and prints the one it got;
the simulator is started, off the GUI thread, once that line has come. (A port found free
here and handed over could be taken by another program in between.)
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

_LISTENING = re.compile(r"listening on http://\S+?:(\d+)/")
READY_TIMEOUT_S = 60.0  # the service's start (imports, database) on a loaded machine


class DemoAvl:
    def __init__(self, db_url: str, *, interval_s: float = 5.0) -> None:
        self.db_url, self.interval_s = db_url, interval_s
        self.port = 0  # the service's, once it listens
        self.processes: list[subprocess.Popen[bytes]] = []
        self.ready = threading.Event()  # set once both run, the simulator told the port
        self._lock = threading.Lock()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        base = [sys.executable, "-m", "gvcommand.avl", "--db", self.db_url]
        env = {**os.environ, "GVCOMMAND_LOG_LEVEL": os.environ.get("GVCOMMAND_LOG_LEVEL",
                                                                   "WARNING")}
        self._stopping = False
        serve = subprocess.Popen([*base, "serve", "--port", "0"], env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        self.processes = [serve]
        self._thread = threading.Thread(target=self._start_simulator, args=(serve, base, env),
                                        name="demo-avl", daemon=True)
        self._thread.start()

    def _start_simulator(self, serve: subprocess.Popen[bytes], base: list[str],
                         env: dict[str, str]) -> None:
        assert serve.stdout is not None
        stdout = serve.stdout
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(READY_TIMEOUT_S)
        line = got[0].decode(errors="replace") if got else ""
        match = _LISTENING.search(line)
        with self._lock:
            if self._stopping:
                return
            if match is None:
                code = serve.poll()
                log.warning("demo patrol positions unavailable: gvcommand-avl %s",
                            f"exited with code {code}" if code is not None else
                            f"did not listen within {READY_TIMEOUT_S:g} s")
                return
            self.port = int(match[1])
            self.processes.append(subprocess.Popen(
                [*base, "simulate", "--url", f"http://127.0.0.1:{self.port}/",
                 "--interval", str(self.interval_s)], env=env, stdin=subprocess.DEVNULL))
            log.info("demo patrol positions: gvcommand-avl on port %d and its simulator "
                     "(pids %s)", self.port, ", ".join(str(p.pid) for p in self.processes))
            self.ready.set()
        for _ in stdout:  # whatever else it says, so that it never blocks on a full pipe
            pass

    def running(self) -> bool:
        return bool(self.processes) and all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        with self._lock:  # no simulator starts after this
            self._stopping = True
            processes = list(self.processes)
        for p in reversed(processes):
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        reading = False
        if self._thread is not None:
            self._thread.join(5)  # the service's stdout ends with it
            reading, self._thread = self._thread.is_alive(), None
        for p in processes:
            if p.stdout is not None and not reading:
                p.stdout.close()
        self.processes = []
        self.ready.clear()
