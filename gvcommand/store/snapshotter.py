"""Keeps state snapshots up to date in the background, so that replay to any time stays fast.

Every console may run one: snapshots are a function of the log, so two consoles writing the
same snapshot agree, and the second insert is skipped.
"""

from __future__ import annotations

import logging
import threading

from .event_store import SNAPSHOT_EVERY, EventStore

log = logging.getLogger(__name__)


class Snapshotter:
    def __init__(self, store: EventStore, *, interval_s: float = 300.0,
                 every: int = SNAPSHOT_EVERY) -> None:
        self.store = store
        self.interval_s = interval_s
        self.every = every
        self.written = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._started = False
        self._thread = threading.Thread(target=self._run, name="gvcommand-snapshots",
                                        daemon=True)

    def start(self) -> Snapshotter:
        """Start writing in the background; once (later calls do nothing), and never after
        stop()."""
        with self._lock:
            if not self._started and not self._stop.is_set():
                self._started = True
                self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop and wait for the thread (safe if it never started, and twice)."""
        with self._lock:
            self._stop.set()
            if not self._started:
                return
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("snapshot writer did not stop within %.1f s", timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.written += self.store.ensure_snapshots(every=self.every)
            except Exception:  # a lost database: try again next round, never die
                log.warning("could not write snapshots; will retry", exc_info=True)
            if self._stop.wait(self.interval_s):
                return
