"""A console's view of patrol positions: a thread that asks, at most ten times a second,
"which units moved after position id N" and hands the answer to a callback.

Polling the small ``unit_positions`` table by its growing ``position_id`` costs one indexed
query per tick on both backends, and a console that was away simply gets every unit's
latest fix on its first tick back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from .positions import StoredFix, latest_positions

log = logging.getLogger(__name__)
MAX_RATE_HZ = 10.0


class PositionFeed:
    def __init__(self, engine: Engine, on_positions: Callable[[list[StoredFix]], None], *,
                 interval_s: float = 1.0 / MAX_RATE_HZ,
                 on_state: Callable[[bool, str], None] | None = None) -> None:
        self.engine = engine
        self.on_positions = on_positions
        self.on_state = on_state
        self.interval_s = max(interval_s, 1.0 / MAX_RATE_HZ)
        self.last_id = 0
        self.ok = True
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="position-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def poll(self) -> list[StoredFix]:
        """One tick: the units that moved since the last one (all of them the first time)."""
        with self.engine.connect() as conn:
            moved = latest_positions(conn, after_id=self.last_id)
        if moved:
            self.last_id = max(f.id for f in moved)
        return moved

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                moved = self.poll()
            except SQLAlchemyError as exc:
                if self.ok:
                    log.warning("positions unavailable: %s", exc)
                    self.ok = False
                    if self.on_state is not None:
                        self.on_state(False, str(exc).splitlines()[0])
            else:
                if not self.ok:
                    self.ok = True
                    if self.on_state is not None:
                        self.on_state(True, "")
                if moved:
                    try:
                        self.on_positions(moved)
                    except Exception:  # a subscriber's bug must not stop the feed
                        log.exception("position subscriber failed")
            self._stop.wait(self.interval_s)
