"""A second console for tests: follows the change feed and prints what it gets as JSON lines.

Run as ``python -m tests.store.feed_listener URL AFTER_SEQ``; stops when stdin closes.
"""

from __future__ import annotations

import json
import sys
import threading

from gvcommand.store import open_store
from gvcommand.store.feed import ChangeFeed

out_lock = threading.Lock()


def emit(**fields: object) -> None:
    with out_lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def main() -> None:
    store = open_store(sys.argv[1], upgrade=False)
    feed: ChangeFeed

    def on_state(ok: bool, message: str) -> None:
        emit(state=ok, pid=feed.backend_pid, message=message)

    feed = ChangeFeed(store, int(sys.argv[2]),
                      lambda events: emit(seqs=[e.seq for e in events],
                                          actors=[e.actor for e in events]),
                      on_state)
    feed.start()
    sys.stdin.read()  # until the test closes our stdin
    feed.stop()
    store.engine.dispose()


if __name__ == "__main__":
    main()
