"""Two console processes on one PostgreSQL database."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from gvcommand.core import commands as c
from gvcommand.store import open_store

from .conftest import ADMIN

ROOT = Path(__file__).resolve().parents[2]


class Listener:
    """The other console, in its own process."""

    def __init__(self, url: str, after: int = 0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.feed_listener", url, str(after)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seqs: list[int] = []
        self.states: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def pump(self, until: Any, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not until():
            try:
                msg = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"timed out; seqs={self.seqs} states={self.states}") from None
            self._take(msg)

    def drain(self) -> None:
        while not self.lines.empty():
            self._take(self.lines.get())

    def _take(self, msg: dict[str, Any]) -> None:
        if "seqs" in msg:
            self.seqs += msg["seqs"]
        else:
            self.states.append(msg)

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=15)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_other_process_sees_commands_and_survives_a_killed_connection(
    db_url: str, pg_server: Any
) -> None:
    store = open_store(db_url, upgrade=True)
    other = Listener(db_url)
    try:
        other.pump(lambda: any(s["state"] for s in other.states))
        first_pid = other.states[-1]["pid"]
        for i in range(10):
            store.execute(c.AddWard(f"P{i}", f"Phường {i}"), ADMIN)
        other.pump(lambda: len(other.seqs) >= 10)
        assert other.seqs == list(range(1, 11))

        # kill the other console's listening connection, and write while it is away
        with store.engine.begin() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"),
                                {"p": first_pid}).scalar() is True
        for i in range(10, 25):
            store.execute(c.AddWard(f"P{i}", f"Phường {i}"), ADMIN)
        other.pump(lambda: len(other.seqs) >= 25 and other.states[-1]["state"] is True)
        time.sleep(0.3)
        other.drain()
        # a reconnect may take more than one attempt: wait until the feed says it is back
        other.pump(lambda: other.states[-1]["state"] is True)
        assert other.seqs == list(range(1, 26)), "lost or repeated events"
        assert any(s["state"] is False for s in other.states)
        assert other.states[-1]["pid"] != first_pid
    finally:
        assert other.close() == 0
        store.engine.dispose()
