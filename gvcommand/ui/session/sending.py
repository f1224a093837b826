"""The writer thread's side of the console's command path: a command sent for the first
time, sent again after a lost database without doubling its record, and a refusal
explained by the event that caused it. Everything here runs on the console's single writer
thread (``CommandWriter.call``), so a check and the write after it are one turn that
nothing else this console sends can come between.

A command's result also carries the others' events committed just before it (read here,
off the GUI thread), so that the console's state can take its own events at once without a
gap to read on the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from ...core import commands as c
from ...core import events as ev
from ...core.errors import AlreadyExists, DomainError, VersionConflict
from ...core.model import Actor
from ...core.state import UNIT_STATUS_KIND
from ...store.db import StoreError, StoreUnavailable
from ...store.event_store import CommandResult, EventStore
from ..command_words import INCIDENT_TARGET, Overtaken


@dataclass
class Sent:
    """A command's committed events, with the others' events committed since the
    console's state last took any (``before``)."""

    result: CommandResult
    before: list[ev.StoredEvent] = field(default_factory=list)

    @property
    def events(self) -> list[ev.StoredEvent]:
        return [*self.before, *self.result.events]


class Sender:
    def __init__(self, store: EventStore, actor: Actor) -> None:
        self._store, self.actor = store, actor
        self.claimed: set[int] = set()  # seqs of records resent (writer thread only)
        # the last seq the console's state holds: written on the main thread, read here as
        # a hint (an int is read whole); events after it and before a result are read here
        self.known_seq = 0

    def first_send(self, command: c.Command) -> Sent:
        """The command; a version conflict is explained by the event that moved the
        version (who, at which console, when: maybe this officer's own order)."""
        try:
            return self._with_before(self._execute(command))
        except VersionConflict as conflict:
            try:
                found = self._first_change(command)
            except SQLAlchemyError:
                found = None  # the refusal stands as it is
            if found is None:
                raise
            raise Overtaken(found[0], waited=False, mine=self.mine(found[0])) from conflict

    def resend(self, command: c.Command, base_seq: int) -> Sent | None:
        """The command again, unless its first try reached the log after all (None then).
        Any failure to reach the database is a StoreError: it waits on."""
        try:
            if self._record_landed(command, base_seq):
                return None
            try:
                return self._with_before(self._execute(command))
            except AlreadyExists:
                if isinstance(command, c.CreateIncident):
                    return None  # the console made its id: the first try landed
                raise
            except DomainError as refused:
                if getattr(command, "expected_version", None) is None:
                    raise
                found = self._first_change(command)
                if found is None:
                    raise
                change, after = found
                if self._is_this_order(command, change, after):
                    return None
                raise Overtaken(change) from refused
        except SQLAlchemyError as exc:  # a read of the check met the lost database
            raise StoreUnavailable(f"lost the database while checking a resent command: "
                                   f"{exc}") from exc

    def _execute(self, command: c.Command) -> CommandResult:
        outcome = self._store.execute_group([(command, self.actor)])[0]
        if isinstance(outcome, DomainError):
            raise outcome
        self.claimed.update(e.seq for e in outcome.events)
        return outcome

    def _with_before(self, result: CommandResult) -> Sent:
        """The result, with the events committed between the state's last and it (best
        effort: if they cannot be read now the change feed brings them, in order)."""
        if not result.events:
            return Sent(result)
        first, known = result.events[0].seq, self.known_seq
        if first <= known + 1:
            return Sent(result)
        try:
            before = list(self._store.iter_events(known, first - 1))
        except (StoreError, SQLAlchemyError):
            before = []
        return Sent(result, before)

    def _record_landed(self, command: c.Command, base_seq: int) -> bool:
        """A note or a linked report of this officer at this console, written after it was
        given and not claimed by another resent record, is this one; a live view's start or
        stop is known by the view id the console made."""
        if isinstance(command, c.AddIncidentNote):
            subj = ev.subject("incident", command.incident_id)
            kind, same = ev.INCIDENT_NOTE_ADDED, {"text": command.text.strip()}
        elif isinstance(command, c.LinkReport):
            subj = ev.subject("incident", command.incident_id)
            kind, same = ev.INCIDENT_REPORT_LINKED, {"source": command.source.value,
                                                      "summary": command.summary.strip()}
        elif isinstance(command, c.StartLiveView | c.StopLiveView):
            subj = ev.subject("camera_view", command.camera)
            kind = (ev.CAMERA_VIEW_STARTED if isinstance(command, c.StartLiveView)
                    else ev.CAMERA_VIEW_STOPPED)
            same = {"view_id": command.view_id}
        else:
            return False
        for e in self._store.events_of(subj, after_seq=base_seq, kinds=[kind]):
            if (self.mine(e) and e.seq not in self.claimed
                    and all(e.payload.get(k) == v for k, v in same.items())):
                self.claimed.add(e.seq)
                return True
        return False

    def _first_change(self, command: c.Command
                      ) -> tuple[ev.StoredEvent, list[ev.StoredEvent]] | None:
        """The event that moved the order's subject past the version the officer saw, and
        the subject's events from it on."""
        version = getattr(command, "expected_version", None)
        subject = subject_of(command)
        if version is None or subject is None:
            return None
        events = self._store.events_of(subject)
        return (events[version], events[version:]) if len(events) > version else None

    def _is_this_order(self, command: c.Command, change: ev.StoredEvent,
                       after: list[ev.StoredEvent]) -> bool:
        """``change`` and the events written with it (one transaction: one time stamp) are
        this officer's at this console and do what the order asked (its status event may
        come after a release)."""
        if not self.mine(change):
            return False
        together = [e for e in after if e.ts_us == change.ts_us and self.mine(e)]

        def wanted(e: ev.StoredEvent) -> bool:
            if isinstance(command, c.DispatchUnit):
                return (e.kind == ev.UNIT_DISPATCHED
                        and e.payload.get("incident_id") == command.incident_id)
            if isinstance(command, c.SetUnitStatus):
                return e.kind == UNIT_STATUS_KIND.get(command.status)
            if isinstance(command, c.SetUnitExercise):
                return (e.kind == ev.UNIT_EXERCISE_CHANGED
                        and e.payload.get("exercise") == command.exercise)
            target = INCIDENT_TARGET.get(type(command))
            return (target is not None and e.kind == ev.INCIDENT_STATUS_CHANGED
                    and e.payload.get("to") == target.value)

        return any(wanted(e) for e in together)

    def mine(self, e: ev.StoredEvent) -> bool:
        return e.actor == self.actor.name and e.console == self.actor.console


def subject_of(command: c.Command) -> str | None:
    """The unit or incident an order is about (its version is what it was built on)."""
    if isinstance(command, c.DispatchUnit | c.SetUnitStatus | c.SetUnitExercise):
        return ev.subject("unit", command.unit_id)
    if isinstance(command, c.ClearIncident | c.CloseIncident | c.CancelIncident):
        return ev.subject("incident", command.incident_id)
    return None
