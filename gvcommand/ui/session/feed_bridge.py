"""Carries the change feed's callbacks from its thread to the Qt main thread."""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QObject, Signal

from ...core.events import StoredEvent
from ...store.event_store import EventStore
from ...store.feed import ChangeFeed

log = logging.getLogger(__name__)


class FeedBridge(QObject):
    """Owns a :class:`ChangeFeed` and re-emits what it reports as Qt signals.

    The feed calls back on its own thread; the signals are emitted there too, and because this
    object and the receivers live on the main thread, Qt queues the calls to it (auto
    connection). No Qt object is touched from the feed thread.
    """

    events_arrived = Signal(list)  # list[StoredEvent], in sequence order
    connection_changed = Signal(bool, str)  # connected?, the feed's own (English) message

    def __init__(self, store: EventStore, after_seq: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._after_seq = after_seq
        self._feed: ChangeFeed | None = None

    def start(self) -> None:
        if self._feed is not None:
            return
        self._feed = ChangeFeed(self._store, self._after_seq, self._on_feed_events,
                                self._on_feed_state, name="gvcommand-ui-feed")
        self._feed.start()
        # A bridge destroyed without stop() (its window garbage-collected unclosed) must not
        # leave the thread polling and emitting into a deleted object. The slot holds the
        # feed, not self, which no longer exists when ``destroyed`` fires.
        self.destroyed.connect(functools.partial(_stop_orphaned_feed, self._feed))

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the feed and wait for its thread; safe to call twice."""
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.stop(timeout)

    @property
    def running(self) -> bool:
        return self._feed is not None and self._feed.running

    # --- called on the feed thread ------------------------------------------------------------
    def _on_feed_events(self, events: list[StoredEvent]) -> None:
        self.events_arrived.emit(list(events))

    def _on_feed_state(self, connected: bool, message: str) -> None:
        log.info("change feed %s: %s", "connected" if connected else "disconnected", message)
        self.connection_changed.emit(connected, message)


def _stop_orphaned_feed(feed: ChangeFeed, *_args: object) -> None:
    if feed.running:
        log.warning("a feed bridge was destroyed without stop(); stopping its feed")
        feed.stop()
