"""The console's one command path.

Every command an officer gives (intake, notes, the unit board, orders from the map, audit
records) goes through the console's single writer thread; the answer comes back on the main
thread, a refusal in plain words. A command that met a lost database is kept, in the order
it was given, and sent again every RETRY_MS until it goes through or is refused:

- resending never doubles a record: an incident's id is made by the console (AlreadyExists
  on a retry means the first try landed); an order carries the version the officer saw, so
  the retry of one that did land meets a version conflict, and the event that moved the
  version is read: if it is this order, by this officer at this console, it was sent; if it
  is someone else's, the order is refused naming who; a note, a linked report or a live
  view's record (by its console-made view id) is looked for in the log before it is
  written again. Check and write run on the writer thread in one turn (``sending``), so
  nothing this console sends can come in between.
- the console knows its own commands at once: the events a command committed are applied
  to the console's state (``apply``) when the write returns, before anyone hears ``done``;
  the change feed brings them again later and the state skips them by sequence. An order
  given while an earlier one for the same unit or incident is still on its way is held
  until that one returns, and then built on the version it made (D then E pressed at once
  is "dispatched, then en route", not a conflict with oneself).
- a refusal names who changed the subject, at which console and when, read from the event
  that changed it; the officer's own earlier order reads as such, never "another console".
- orders go stale: a dispatch or status order that could not be sent within
  ``stale_after_s`` (QSettings ``dispatch/stale_after_s``, default 120 s) is dropped with a
  message, because a dispatch applied ten minutes late is wrong. Reports and notes are
  records, not orders: they wait as long as it takes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from ...core import commands as c
from ...core import events as ev
from ...core.errors import DomainError
from ...core.model import Unit, UnitStatus
from ...core.state import State
from ...store.db import StoreError
from ..command_words import Overtaken, describe, explain, limit_text, trc
from .sending import Sender, Sent, subject_of
from .tasks import WRITER_NAME, TaskRunner

__all__ = ["WRITER_NAME", "ConsoleCommands", "Overtaken", "Waiting", "describe", "explain",
           "limit_text"]

log = logging.getLogger(__name__)

RETRY_MS = 1000  # a command kept after a lost connection is sent again this often (a refused
# connection costs ~1 ms; a try in flight is not repeated, so a hanging connect never piles up)
DEFAULT_STALE_S = 120.0  # an order not sent within this is dropped (0: never)
SETTINGS_STALE = "dispatch/stale_after_s"
WAITING_MARK = "◷"  # a clock face: DejaVu Sans has it (the hourglass emoji is in no font here)
# decisions that are wrong when applied late; everything else is a record and waits
ORDERS: tuple[type, ...] = (c.DispatchUnit, c.SetUnitStatus, c.ClearIncident,
                            c.CloseIncident, c.CancelIncident)


@dataclass(eq=False)
class Waiting:
    """A command on its way: given at ``given_at`` (monotonic seconds), when this console had
    seen the log up to ``base_seq``."""

    command: c.Command
    given_at: float
    base_seq: int
    attempts: int = 0
    in_flight: bool = False
    failed: str | None = None  # the database's last complaint: it waits for it to return
    cancelled: bool = False
    # events on the command's subject that this console's own commands committed after it
    # was given: a held order is rebuilt on them (see ConsoleCommands._rebase)
    own_after: int = 0

    @property
    def waiting(self) -> bool:
        return self.failed is not None

    @property
    def unit_id(self) -> str | None:
        return getattr(self.command, "unit_id", None)


class ConsoleCommands(QObject):
    """The console's commands: one writer, answers on the main thread, a lost database
    waited out (see the module's docstring)."""

    done = Signal(object, object)  # command, CommandResult | None (an earlier try landed)
    refused = Signal(object, str)  # command, what the officer reads
    queued = Signal(object, str)  # command, the database's complaint (it starts waiting)
    waiting_changed = Signal()  # the list of waiting commands changed

    def __init__(self, tasks: TaskRunner, sender: Sender, state: Callable[[], State],
                 parent: QObject | None = None, *, settings: QSettings | None = None,
                 apply: Callable[[list[ev.StoredEvent]], object] | None = None) -> None:
        super().__init__(parent)
        self.actor = sender.actor
        self._tasks = tasks
        self._sender = sender
        self._state = state
        self._apply = apply  # the console's state takes a command's events (main thread)
        self._settings = settings
        self._entries: list[Waiting] = []
        self.now: Callable[[], float] = time.monotonic  # tests move time on
        self.stale_after_s = DEFAULT_STALE_S
        if settings is not None:
            value = settings.value(SETTINGS_STALE)
            with contextlib.suppress(TypeError, ValueError):
                if value is not None:
                    self.stale_after_s = float(value)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.retry_now)

    # --- what the console asks -----------------------------------------------------------------
    def submit(self, command: c.Command) -> None:
        """Send ``command``; behind any that wait, so they keep their order. One order at a
        time per unit or incident waits for a lost database: a second one would be decided
        on a state the first has not made yet (and would be refused as overtaken by it)."""
        subject = _subject_of(command)
        waiting = [e for e in self.waiting if _subject_of(e.command) == subject]
        if subject is not None and waiting:
            self._refuse_behind(command, waiting[0])
            return
        self._entries.append(Waiting(command, self.now(), self._state().last_seq))
        self._send_ready()

    def dispatch(self, unit: Unit, incident_id: str) -> None:
        self._order(c.DispatchUnit(incident_id, unit.call_sign, expected_version=unit.version))

    def set_status(self, unit: Unit, status: UnitStatus, reason: str | None = None) -> None:
        self._order(c.SetUnitStatus(unit.call_sign, status, reason,
                                    expected_version=unit.version))

    def _order(self, command: c.DispatchUnit | c.SetUnitStatus) -> None:
        self.submit(command)

    def _refuse_behind(self, command: c.Command, first: Waiting) -> None:
        subject = _subject_of(command)
        assert subject is not None
        self.refused.emit(command, trc(
            "{unit} already has an order waiting for the database ({what}). Cancel it "
            "first to give another.").format(unit=_subject_name(self._state(), subject),
                                             what=self.describe(first.command)))

    @property
    def waiting(self) -> list[Waiting]:
        """Commands kept because the database could not be reached, oldest first."""
        return [e for e in self._entries if e.waiting]

    @property
    def pending(self) -> list[c.Command]:
        return [e.command for e in self.waiting]

    def waiting_for_unit(self, call_sign: str) -> list[Waiting]:
        return [e for e in self._entries if e.waiting and e.unit_id == call_sign]

    def describe(self, command: c.Command) -> str:
        return describe(command, self._state())

    def summary(self, limit: int | None = None) -> str:
        """'2 commands waiting to be sent: dispatch 363-02 → #9197, …' (empty: none), naming
        the first ``limit`` of them."""
        waiting = self.waiting
        if not waiting:
            return ""
        shown = waiting if limit is None else waiting[:limit]
        what = ", ".join(self.describe(e.command) for e in shown)
        if len(shown) < len(waiting):
            what += ", …"
        return trc("{n} command(s) waiting to be sent: {what}").format(n=len(waiting),
                                                                        what=what)

    def set_stale_after(self, seconds: float) -> None:
        self.stale_after_s = seconds
        if self._settings is not None:
            self._settings.setValue(SETTINGS_STALE, seconds)

    def cancel(self, command: c.Command) -> bool:
        """Forget a waiting command (the officer gives it by radio, or not at all). False if
        it is being sent right now: it may land, and the officer is told when it does."""
        for entry in self._entries:
            if entry.command is command:
                if entry.in_flight:
                    entry.cancelled = True  # dropped if this try fails too
                    return False
                self._entries.remove(entry)
                log.info("waiting %s cancelled by the officer", type(command).__name__)
                self.waiting_changed.emit()
                self._send_ready()
                return True
        return False

    def retry_now(self) -> None:
        """Drop the orders gone stale and send the waiting ones again (the timer's tick)."""
        for entry in list(self._entries):
            if entry.waiting and not entry.in_flight and self._is_stale(entry):
                self._drop_stale(entry)
        if not self.waiting:
            self._retry.stop()
        self._send_ready()

    def stop(self) -> None:
        """No more retries (the session stops the writer, after what was given)."""
        self._retry.stop()

    # --- sending -------------------------------------------------------------------------------
    def _send_ready(self) -> None:
        busy: set[str] = set()  # subjects with an earlier order on its way or waiting
        for entry in list(self._entries):
            subject = _subject_of(entry.command)
            if not entry.in_flight and not (entry.failed is None and subject in busy):
                self._send(self._rebase(entry))
            if subject is not None:
                busy.add(subject)

    def _rebase(self, entry: Waiting) -> Waiting:
        """A fresh order held behind this console's own earlier one for the same subject is
        built on the version that one made, when nothing but this console's own commands
        changed the subject since the officer gave it; anything else is a real conflict and
        is left to be refused as one."""
        version = getattr(entry.command, "expected_version", None)
        if entry.failed is not None or not entry.own_after or version is None:
            return entry
        now = _version_of(self._state(), _subject_of(entry.command))
        if now == version + entry.own_after:
            entry.command = dataclasses.replace(entry.command,  # type: ignore[type-var]
                                                expected_version=now)
            entry.own_after = 0
        return entry

    def _send(self, entry: Waiting) -> None:
        entry.in_flight = True
        entry.attempts += 1
        self._sender.known_seq = self._state().last_seq
        work: Callable[[], Sent | None]
        if entry.waiting:  # it may have landed before the connection was lost
            work = functools.partial(self._sender.resend, entry.command, entry.base_seq)
        else:
            work = functools.partial(self._sender.first_send, entry.command)
        future = self._tasks.on_writer(work)
        self._tasks.to_main(future, functools.partial(self._on_finished, entry, future),
                            functools.partial(self._on_finished_error, entry, future),
                            owner=self)

    # --- answers (main thread) -----------------------------------------------------------------
    def _on_finished_error(self, entry: Waiting, future: Future[Sent | None],
                           _exc: BaseException) -> None:
        self._on_finished(entry, future, None)

    def _on_finished(self, entry: Waiting, future: Future[Sent | None],
                     _result: object) -> None:
        entry.in_flight = False
        command = entry.command
        was_waiting = entry.waiting
        exc = None if future.cancelled() else future.exception()
        if exc is None and not future.cancelled():
            self._forget(entry)
            sent = future.result()
            if sent is not None:
                self._took(sent)
            if was_waiting:
                log.info("%s sent after %d tries", type(command).__name__, entry.attempts)
                self.waiting_changed.emit()
            self.done.emit(command, sent.result if sent is not None else None)
            self._send_ready()  # an order held behind this one
        elif isinstance(exc, StoreError) or future.cancelled():
            # never the command itself in the log: it may carry a caller's number
            (log.debug if was_waiting else log.warning)(
                "%s kept to send again: %s", type(command).__name__, exc)
            if entry.cancelled:
                self._forget(entry)
                self.waiting_changed.emit()
            elif self._is_stale(entry):
                self._drop_stale(entry)
            else:
                entry.failed = str(exc)
                if not self._retry.isActive():
                    self._retry.start()
                if not was_waiting:
                    self.queued.emit(command, str(exc))
                    self._drop_held_behind(entry)
                self.waiting_changed.emit()
        else:
            assert exc is not None
            self._forget(entry)
            if not isinstance(exc, DomainError):
                log.error("%s failed: %r", type(command).__name__, exc)
            text = explain(exc, self._state())
            if was_waiting and not isinstance(exc, Overtaken):
                text = trc("The waiting command “{what}” was not sent: {reason}").format(
                    what=self.describe(command), reason=text)
            if was_waiting:
                self.waiting_changed.emit()
            self.refused.emit(command, text)
            self._send_ready()  # an order held behind this one: built on what it saw

    def _took(self, sent: Sent) -> None:
        """A command of this console was committed: its events (and the others' just
        before them) go into the console's state now, and orders held behind it count
        its own."""
        if self._apply is not None and sent.result.events:
            self._apply(sent.events)
        for entry in self._entries:
            subject = _subject_of(entry.command)
            entry.own_after += sum(1 for e in sent.result.events if e.subject == subject)

    def _drop_held_behind(self, first: Waiting) -> None:
        """``first`` now waits for the database: fresh orders held behind it for the same
        subject are refused, as one given while it waits would be (one waiting order per
        unit: the next one would be decided on a state the first has not made)."""
        subject = _subject_of(first.command)
        if subject is None:
            return
        for entry in list(self._entries):
            if (entry is not first and not entry.in_flight and entry.failed is None
                    and _subject_of(entry.command) == subject):
                self._forget(entry)
                self._refuse_behind(entry.command, first)

    def _is_stale(self, entry: Waiting) -> bool:
        return (isinstance(entry.command, ORDERS) and self.stale_after_s > 0
                and self.now() - entry.given_at > self.stale_after_s)

    def _drop_stale(self, entry: Waiting) -> None:
        self._forget(entry)
        log.warning("%s dropped: not sent within %.0f s", type(entry.command).__name__,
                    self.stale_after_s)
        self.waiting_changed.emit()
        self.refused.emit(entry.command, trc(
            "Not sent: the database was away for more than {limit} — confirm “{what}” by "
            "radio and give the order again.").format(
            limit=limit_text(self.stale_after_s), what=self.describe(entry.command)))

    def _forget(self, entry: Waiting) -> None:
        with contextlib.suppress(ValueError):
            self._entries.remove(entry)


def _version_of(state: State, subject: str | None) -> int | None:
    if subject is None:
        return None
    kind, ident = ev.split_subject(subject)
    found = state.unit(ident) if kind == "unit" else state.incident(ident)
    return found.version if found is not None else None


def _subject_name(state: State, subject: str) -> str:
    """A unit's call sign, an incident's number."""
    kind, ident = ev.split_subject(subject)
    inc = state.incident(ident) if kind == "incident" else None
    return f"#{inc.number}" if inc is not None else ident


_subject_of = subject_of
