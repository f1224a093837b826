"""From a parsed fix to a stored one: who sent it, is it usable, then a bounded queue and one
writer thread that stores batches.

Nothing is dropped silently: a fix is either refused at once (the client is told, the reason
is counted and logged), or queued and stored by the writer, which keeps retrying its batch
while the database is away. When the queue is full the client is told to come back later
(HTTP 503: Traccar Client and OwnTracks keep the fix and send it again).
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..core.fix import Fix, FixRefused
from ..feeds.validate import Limits, check
from ..store.devices import RegisteredDevice, active_devices, secret_matches
from ..store.positions import prune, store_fixes

log = logging.getLogger(__name__)

# usable requests whose fix is not (a phone that keeps sending a fix that cannot be used must
# not be stuck retrying it: the client hears "taken", the reason is counted and logged)
FILTERED = frozenset({"future", "too-old", "null-island", "implausible-speed",
                      "implausible-accuracy"})


class QueueFull(RuntimeError):
    """The writer is behind (the database is away or slow): come back later."""


@dataclass
class _Item:
    fix: Fix
    unit: str
    on_stored: Callable[[], None] | None = None


@dataclass
class Settings:
    limits: Limits = field(default_factory=Limits)
    queue_max: int = 200_000
    batch_max: int = 5_000
    batch_wait_s: float = 0.02  # a batch waits at most this long for more fixes
    registry_refresh_s: float = 2.0
    allow: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()  # empty: any address
    retry_max_s: float = 5.0
    retention_days: float | None = 365.0  # fixes older than this are deleted; None keeps all
    prune_every_s: float = 3600.0


class Ingest:
    def __init__(self, engine: Engine, settings: Settings | None = None,
                 clock: Callable[[], int] = lambda: time.time_ns() // 1000) -> None:
        self.engine = engine
        self.settings = settings or Settings()
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self.database_ok = True
        self.last_error = ""
        self._registry: dict[str, RegisteredDevice] = {}
        self._registry_at = 0.0
        self._verified: dict[tuple[str, str], bool] = {}  # (device, secret) → matches
        self._queue: deque[_Item] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._stop = False
        self._log_budget: Counter[str] = Counter()
        self._log_minute = 0
        self._thread: threading.Thread | None = None
        self._pruned_at = 0.0
        self.refresh_registry()

    # --- devices -------------------------------------------------------------------------
    def refresh_registry(self) -> None:
        try:
            with self.engine.connect() as conn:
                registry = active_devices(conn)
        except SQLAlchemyError as exc:
            log.warning("device register not refreshed (database unavailable): %s", exc)
            return
        with self._lock:
            if registry != self._registry:
                self._verified.clear()
            self._registry = registry
            self._registry_at = time.monotonic()

    def _authorise(self, fix: Fix, peer: str | None, *, check_secret: bool) -> str:
        allow = self.settings.allow
        if allow and peer is not None:
            try:
                address = ipaddress.ip_address(peer)
            except ValueError:
                address = None
            if address is None or not any(address in net for net in allow):
                raise FixRefused("address-not-allowed", f"address {peer} is not allowed")
        device = self._registry.get(fix.device_id)
        if device is None:
            raise FixRefused("unknown-device", f"device {fix.device_id!r} is not registered "
                                               "(gvcommand-admin add-device)")
        if check_secret and device.has_secret:
            key = (fix.device_id, fix.secret or "")
            ok = self._verified.get(key)
            if ok is None:
                ok = device.secret_hash is not None and secret_matches(device.secret_hash,
                                                                       fix.secret)
                if len(self._verified) > 10_000:
                    self._verified.clear()
                self._verified[key] = ok
            if not ok:
                raise FixRefused("bad-secret", f"device {fix.device_id!r} sent a wrong or no "
                                               "secret")
        return device.unit

    # --- taking fixes ----------------------------------------------------------------------
    def take(self, fix: Fix, peer: str | None = None, *, check_secret: bool = True,
             on_stored: Callable[[], None] | None = None) -> str:
        """Queue a fix for storing and return its unit, or raise FixRefused / QueueFull.
        ``on_stored`` runs on the writer thread once the fix is committed (MQTT acks)."""
        if time.monotonic() - self._registry_at > self.settings.registry_refresh_s:
            self._registry_at = time.monotonic()  # one refresh at a time
            self.refresh_registry()
        try:
            unit = self._authorise(fix, peer, check_secret=check_secret)
            check(fix, self.clock(), self.settings.limits)
        except FixRefused as refused:
            self.refused(refused, fix.device_id, peer)
            raise
        with self._lock:
            if len(self._queue) >= self.settings.queue_max:
                self.counts["queue-full"] += 1
                raise QueueFull(f"{len(self._queue)} fixes wait for the database")
            self._queue.append(_Item(fix, unit, on_stored))
            self.counts["taken"] += 1
            if len(self._queue) == 1:  # only the first wakes the writer (no GIL ping-pong)
                self._wake.notify()
        return unit

    def refused(self, refused: FixRefused, device: str | None, peer: str | None) -> None:
        """Count a refusal and log it (at most 20 lines per reason and minute)."""
        self.counts[f"refused:{refused.reason}"] += 1
        minute = int(time.monotonic() // 60)
        if minute != self._log_minute:
            self._log_minute, self._log_budget = minute, Counter()
        self._log_budget[refused.reason] += 1
        if self._log_budget[refused.reason] <= 20:
            log.info("fix refused (%s) from device %s at %s: %s", refused.reason, device,
                     peer, refused)
        elif self._log_budget[refused.reason] == 21:
            log.info("more fixes refused for %s this minute; see the counts", refused.reason)

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._queue) + self._in_flight

    # --- the writer ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="avl-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Store what is queued (while the database answers), then end the writer."""
        self.flush(timeout)
        with self._lock:
            self._stop = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything taken so far is stored; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _next_batch(self) -> list[_Item]:
        s = self.settings
        with self._lock:
            while not self._queue and not self._stop:
                self._wake.wait(0.5)
            if not self._queue:
                return []
            waiting = len(self._queue)
        if waiting < s.batch_max and not self._stop:
            time.sleep(s.batch_wait_s)  # let a few more arrive, without being woken for each
        with self._lock:
            batch = [self._queue.popleft() for _ in range(min(s.batch_max, len(self._queue)))]
            self._in_flight = len(batch)
            return batch

    def prune_now(self) -> int:
        """Delete the fixes older than the retention (each unit keeps its latest)."""
        self._pruned_at = time.monotonic()
        days = self.settings.retention_days
        if days is None:
            return 0
        removed = prune(self.engine, self.clock() - round(days * 86_400e6))
        if removed:
            log.info("retention: %d fixes older than %g days deleted", removed, days)
        return removed

    def _run(self) -> None:
        delay = 0.1
        while True:
            if time.monotonic() - self._pruned_at > self.settings.prune_every_s:
                try:
                    self.prune_now()
                except SQLAlchemyError as exc:
                    log.warning("retention not applied (database unavailable): %s", exc)
            batch = self._next_batch()
            if not batch:
                if self._stop:
                    return
                continue
            while True:
                try:
                    result = store_fixes(self.engine, [(i.fix, i.unit) for i in batch],
                                         server_time_us=self.clock())
                except SQLAlchemyError as exc:
                    if self.database_ok:
                        log.error("database unavailable; %d fixes wait and are retried: %s",
                                  self.queued, exc)
                    self.database_ok, self.last_error = False, str(exc).splitlines()[0]
                    if self._stop and delay >= self.settings.retry_max_s:
                        log.error("stopping with %d fixes not stored", self.queued)
                        return
                    time.sleep(delay)
                    delay = min(delay * 2, self.settings.retry_max_s)
                    continue
                break
            if not self.database_ok:
                log.warning("database back; storing the %d fixes that waited", self.queued)
            self.database_ok, delay = True, 0.1
            self.counts["stored"] += result.stored
            self.counts["duplicate"] += result.duplicates
            for item in batch:
                if item.on_stored is not None:
                    try:
                        item.on_stored()
                    except Exception:  # an ack that fails must not stop the writer
                        log.exception("acknowledging a stored fix failed")
            with self._lock:
                self._in_flight = 0
                self._idle.notify_all()
