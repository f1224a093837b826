"""The event store: commands in, hash-chained events and projections out, in one transaction.

Every write takes the chain head under a lock (PostgreSQL: ``SELECT … FOR UPDATE`` on the
one head row; SQLite: ``BEGIN IMMEDIATE``), so sequence numbers are gapless and commit in
order; a reader that has seen event N and asks for "events after N" misses nothing.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..core import events as ev
from ..core.commands import Command
from ..core.errors import DomainError, ValidationError
from ..core.handlers import decide
from ..core.model import (
    Actor,
    BoundaryEdition,
    Camera,
    ComplexPoint,
    Device,
    Incident,
    Unit,
    User,
    Ward,
)
from ..core.redact import redact
from ..core.state import State, apply
from . import schema as s
from .db import StoreUnavailable, write_tx
from .url import DatabaseUrl

log = logging.getLogger(__name__)

_ENTITY_TYPES: dict[str, type[Any]] = {
    "ward": Ward,
    "unit": Unit,
    "incident": Incident,
    "camera": Camera,
    "user": User,
    "edition": BoundaryEdition,
    "complex_point": ComplexPoint,
    "device": Device,
}
Emit = Callable[[list[ev.NewEvent]], None]
AfterWrite = Callable[[Connection], None]
# A unit of writing: decides on the working state, emits its events, and may return a hook
# that runs in the same transaction after the events and projections are written.
Body = Callable[["WorkingState", Emit], AfterWrite | None]
READ_BATCH = 5000
SNAPSHOT_EVERY = 500  # a console replays at most this many events at start (~25 ms)
# The console field of every event whose time was supplied by its writer rather than read
# from the server's clock (see EventStore.import_history), and of no other event.
GENERATED_CONSOLE = "generated-history"

# Statements built once: building a SQLAlchemy statement costs more than running it here.
_SELECT_BY_KEY = {
    kind: select(table).where(table.c[key] == bindparam("ident"))
    for kind, (table, key) in s.PROJECTIONS.items()
}
_UPDATE_BY_KEY = {
    kind: update(table).where(table.c[key] == bindparam("_ident"))
    for kind, (table, key) in s.PROJECTIONS.items()
}
_INSERT = {kind: insert(table) for kind, (table, _key) in s.PROJECTIONS.items()}
_UNITS_ON = select(s.units.c.call_sign).where(s.units.c.incident_id == bindparam("incident"))
_MAX_NUMBER = select(func.max(s.incidents.c.number))
_INSERT_EVENTS = insert(s.events)
_HEAD = select(s.chain_head.c.seq, s.chain_head.c.hash, s.chain_head.c.ts_us).where(
    s.chain_head.c.id == 1
)
# PostgreSQL: lock the head and read the server's clock in one round trip
_LOCK_HEAD_PG = text(
    "SELECT seq, hash, ts_us, (extract(epoch from clock_timestamp()) * 1000000)::bigint AS now"
    " FROM chain_head WHERE id = 1 FOR UPDATE"
)
_CLOCK_PG = text("SELECT (extract(epoch from clock_timestamp()) * 1000000)::bigint")
_MOVE_HEAD = update(s.chain_head).where(s.chain_head.c.id == 1)


class WorkingState(State):
    """A State that loads the entities a command touches from the projection tables, inside
    the command's transaction, and writes back what :func:`apply` changed."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(keep_terminal=True)
        self.conn = conn
        self._loaded: set[str] = set()  # subjects read from (and so present in) the tables
        self._missing: set[str] = set()
        self._units_by_incident: set[str] = set()
        self._all_editions_loaded = False

    def _load(self, kind: str, ident: str) -> Any:
        subj = ev.subject(kind, ident)
        if subj in self._missing:
            return None
        row = self.conn.execute(_SELECT_BY_KEY[kind], {"ident": ident}).mappings().first()
        if row is None:
            self._missing.add(subj)
            return None
        self._loaded.add(subj)
        return _ENTITY_TYPES[kind].from_dict(dict(row))

    def _cached(self, kind: str, ident: str, cache: dict[str, Any]) -> Any:
        if ident not in cache and (found := self._load(kind, ident)) is not None:
            cache[ident] = found
        return cache.get(ident)

    def ward(self, code: str) -> Ward | None:
        return self._cached("ward", code, self.wards)  # type: ignore[no-any-return]

    def unit(self, call_sign: str) -> Unit | None:
        return self._cached("unit", call_sign, self.units)  # type: ignore[no-any-return]

    def incident(self, incident_id: str) -> Incident | None:
        return self._cached("incident", incident_id, self.incidents)  # type: ignore[no-any-return]

    def camera(self, code: str) -> Camera | None:
        return self._cached("camera", code, self.cameras)  # type: ignore[no-any-return]

    def user(self, name: str) -> User | None:
        return self._cached("user", name, self.users)  # type: ignore[no-any-return]

    def edition(self, name: str) -> BoundaryEdition | None:
        return self._cached("edition", name, self.editions)  # type: ignore[no-any-return]

    def complex_point(self, code: str) -> ComplexPoint | None:
        return self._cached("complex_point", code, self.complex_points)  # type: ignore[no-any-return]

    def device(self, device_id: str) -> Device | None:
        return self._cached("device", device_id, self.devices)  # type: ignore[no-any-return]

    def all_editions(self) -> list[BoundaryEdition]:
        if not self._all_editions_loaded:  # few, and all needed to check overlaps
            for row in self.conn.execute(select(s.boundary_editions)).mappings():
                self.editions.setdefault(row["name"], BoundaryEdition.from_dict(dict(row)))
                self._loaded.add(ev.subject("edition", row["name"]))
            self._all_editions_loaded = True
        return super().all_editions()

    @classmethod
    def at(cls, conn: Connection, seq: int, digest: str, ts_us: int) -> WorkingState:
        ws = cls(conn)
        ws.last_seq, ws.last_hash, ws.last_ts_us = seq, digest, ts_us
        return ws

    def units_on(self, incident_id: str) -> list[Unit]:
        if incident_id not in self._units_by_incident:
            rows = self.conn.execute(_UNITS_ON, {"incident": incident_id}).scalars().all()
            for call_sign in rows:
                self.unit(call_sign)
            self._units_by_incident.add(incident_id)
        return super().units_on(incident_id)

    def next_incident_number(self) -> int:
        if self.max_incident_number == 0:
            found = self.conn.execute(_MAX_NUMBER).scalar()
            self.max_incident_number = int(found or 0)
        return self.max_incident_number + 1

    def write_back(self) -> None:
        updates: dict[str, list[dict[str, Any]]] = {}
        inserts: dict[str, list[dict[str, Any]]] = {}
        for subj in sorted(self.take_dirty()):
            kind, ident = ev.split_subject(subj)
            entity = self.entity(subj)
            if entity is None or kind not in s.PROJECTIONS:
                continue
            row = entity.to_dict()
            if subj in self._loaded:
                updates.setdefault(kind, []).append({**row, "_ident": ident})
            else:
                inserts.setdefault(kind, []).append(row)
                self._loaded.add(subj)
                self._missing.discard(subj)
        for kind, rows in inserts.items():
            self.conn.execute(_INSERT[kind], rows)
        for kind, rows in updates.items():
            self.conn.execute(_UPDATE_BY_KEY[kind], rows)


class _Refused(Exception):
    def __init__(self, position: int, error: DomainError) -> None:
        super().__init__(str(error))
        self.position, self.error = position, error


@dataclass(frozen=True, slots=True)
class CommandResult:
    events: list[ev.StoredEvent]

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0


class EventStore:
    def __init__(self, engine: Engine, url: DatabaseUrl) -> None:
        self.engine = engine
        self.url = url
        self.is_postgres = not url.is_sqlite

    # --- writing ---------------------------------------------------------------------------
    def execute(self, command: Command, actor: Actor) -> CommandResult:
        """Check ``command``, append its events and update the projections, atomically."""
        return self.execute_many([command], actor)

    def execute_many(self, commands: Sequence[Command], actor: Actor) -> CommandResult:
        """Several commands in one transaction: all of them or none. Each command decides
        on the state the ones before it left."""

        return self.write(actor, _commands_body(commands, actor))

    def execute_group(
        self, items: Sequence[tuple[Command, Actor]]
    ) -> list[CommandResult | DomainError]:
        """Independent commands (of several officers) in one transaction; each one that is
        refused comes back as its error and leaves the others untouched."""
        return self.write_group([(actor, _commands_body([cmd], actor)) for cmd, actor in items])

    def import_history(
        self, timed: Sequence[tuple[int, Command]], actor: Actor
    ) -> CommandResult:
        """Generated history (the demo's year), each command recorded at the time given
        with it (µs) instead of the server's: the one way into the log with times other
        than "now", for generators only (no console or UI path calls it).

        The times may not go back (neither along ``timed`` nor before the log's head), nor
        lie in the server's future, so the log's times stay non-decreasing in seq order
        (``seq_at``, ``state_at(ts_us=…)`` and the shift report rely on it) and the chain
        verifies as any other. The actor's console must be ``GENERATED_CONSOLE``, a console
        no other write may use: every event with a supplied time says so in its console
        field. All the commands or none, in one transaction.
        """
        if actor.console != GENERATED_CONSOLE:
            raise ValidationError(
                f"generated history is recorded from the console {GENERATED_CONSOLE!r}, "
                f"not {actor.console!r}: its events must say that their times are supplied"
            )
        if not timed:
            return CommandResult([])
        times = [int(t) for t, _ in timed]
        if any(b < a for a, b in itertools.pairwise(times)):
            raise ValidationError("generated history must be given in time order")
        clock = _SuppliedClock(times[0], times[-1])

        def body(ws: WorkingState, emit: Emit) -> None:
            for t, cmd in timed:
                clock.now_us = int(t)
                emit(decide(ws, cmd, actor))

        try:
            return self._write_once([(actor, body)], clock)[0]
        except _Refused as refused:
            raise refused.error from None

    def record(
        self,
        actor: Actor,
        new_events: Sequence[ev.NewEvent],
        extra: Callable[[Connection], list[ev.NewEvent]] | None = None,
    ) -> CommandResult:
        """Append events that are records rather than decisions (logins, video views).

        ``extra``, if given, runs inside the same transaction (e.g. a credentials update)
        and may add events of its own.
        """

        def body(ws: WorkingState, emit: Emit) -> None:
            more = extra(ws.conn) if extra is not None else []
            emit([*new_events, *more])

        return self.write(actor, body)

    def write(self, actor: Actor, body: Body) -> CommandResult:
        """One unit of writing in its own transaction (see ``Body``)."""
        outcome = self.write_group([(actor, body)])[0]
        if isinstance(outcome, DomainError):
            raise outcome
        return outcome

    def write_group(
        self, units: Sequence[tuple[Actor, Body]]
    ) -> list[CommandResult | DomainError]:
        """Several independent writes in one transaction (group commit).

        A unit that is refused gets its error in its place and the others are committed
        together, so that one durable commit (one disk flush) serves many commands. Bodies
        decide and write nothing themselves, so a refusal costs no savepoint: the
        transaction is rolled back and run again without the refused unit (rare: a race).
        """
        outcomes: list[CommandResult | DomainError | None] = [None] * len(units)
        pending = list(range(len(units)))
        while pending:
            try:
                results = self._write_once([units[i] for i in pending])
            except _Refused as refused:
                index = pending.pop(refused.position)
                if len(units) == 1:
                    raise refused.error from None
                outcomes[index] = refused.error
                continue
            for index, result in zip(pending, results, strict=True):
                outcomes[index] = result
            break
        return [o for o in outcomes if o is not None]

    def _write_once(self, units: Sequence[tuple[Actor, Body]],
                    clock: _SuppliedClock | None = None) -> list[CommandResult]:
        """Write ``units`` at the server's time, or at the times ``clock`` supplies
        (generated history only, checked here under the head's lock: see
        ``import_history``)."""
        if clock is None and any(a.console == GENERATED_CONSOLE for a, _ in units):
            raise ValidationError(f"the console name {GENERATED_CONSOLE!r} is reserved for "
                                  "generated history")
        try:
            with write_tx(self.engine) as conn:
                head, now_us = self._lock_head(conn)
                ts_us = max(now_us, int(head.ts_us))
                if clock is not None:
                    clock.check(int(head.ts_us), now_us)
                ws = WorkingState.at(conn, int(head.seq), str(head.hash),
                                     ts_us if clock is None else int(head.ts_us))
                results: list[CommandResult] = []
                hooks: list[tuple[int, AfterWrite]] = []
                for position, (actor, body) in enumerate(units):
                    stored: list[ev.StoredEvent] = []

                    def emit(
                        new_events: list[ev.NewEvent],
                        actor: Actor = actor,
                        stored: list[ev.StoredEvent] = stored,
                    ) -> None:
                        stamp = ts_us if clock is None else clock.now_us
                        for new in new_events:
                            ev.check_payload(new.kind, new.payload)
                            sealed = ev.seal(ws.last_seq + 1, stamp, actor.name, actor.console,
                                             new, ws.last_hash)
                            apply(ws, sealed)
                            stored.append(sealed)

                    try:
                        after = body(ws, emit)
                    except DomainError as error:
                        raise _Refused(position, error) from None  # rolls everything back
                    if after is not None:
                        hooks.append((position, after))
                    results.append(CommandResult(stored))
                # one statement per table for the whole group: round trips are the cost here
                all_events = [_row(e) for r in results for e in r.events]
                if all_events:
                    conn.execute(_INSERT_EVENTS, all_events)
                    ws.write_back()
                for position, after in hooks:
                    try:
                        after(conn)
                    except DomainError as error:
                        raise _Refused(position, error) from None
                if ws.last_seq != head.seq:
                    # PostgreSQL: a trigger on the head sends the NOTIFY (delivered at commit)
                    conn.execute(_MOVE_HEAD, {"seq": ws.last_seq, "hash": ws.last_hash,
                                              "ts_us": ws.last_ts_us})
            return results
        except _Refused:
            raise
        except IntegrityError as exc:
            # two writers can only collide here if the head lock failed; never swallow it
            raise StoreUnavailable(f"the database refused the write: {exc.orig}") from exc
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(
                f"lost the database {self.url.display} while writing; the action is recorded "
                "either completely or not at all: reload and check before trying again "
                f"({redact(str(getattr(exc, 'orig', exc)))})"
            ) from exc

    def clock_us(self) -> int:
        """The time a write made now would be stamped with (PostgreSQL: the server's clock,
        which ``import_history`` checks supplied times against)."""
        if not self.is_postgres:
            return time.time_ns() // 1000
        with self.engine.connect() as conn:
            return int(conn.execute(_CLOCK_PG).scalar_one())

    def _lock_head(self, conn: Connection) -> tuple[Any, int]:
        """The chain head, locked until commit, and the time to stamp the events with."""
        if self.is_postgres:
            # the server's clock, so that consoles with skewed clocks agree
            row = conn.execute(_LOCK_HEAD_PG).first()
            now_us = int(row.now) if row is not None else 0
        else:
            row = conn.execute(_HEAD).first()  # BEGIN IMMEDIATE already holds the lock
            now_us = time.time_ns() // 1000
        if row is None:
            raise StoreUnavailable("the database has no chain head: run `gvcommand-admin init`")
        return row, now_us

    # --- reading ---------------------------------------------------------------------------
    def head(self) -> tuple[int, str, int]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.chain_head.c.seq, s.chain_head.c.hash, s.chain_head.c.ts_us)
            ).one()
            return int(row.seq), str(row.hash), int(row.ts_us)

    def events_after(self, after_seq: int, limit: int = READ_BATCH,
                     conn: Connection | None = None) -> list[ev.StoredEvent]:
        q = (
            select(s.events)
            .where(s.events.c.seq > after_seq)
            .order_by(s.events.c.seq)
            .limit(limit)
        )
        if conn is not None:
            return [_event(r) for r in conn.execute(q)]
        with self.engine.connect() as c:
            return [_event(r) for r in c.execute(q)]

    def iter_events(self, after_seq: int = 0, upto_seq: int | None = None,
                    batch: int = READ_BATCH) -> Iterator[ev.StoredEvent]:
        last = after_seq
        while True:
            q = select(s.events).where(s.events.c.seq > last)
            if upto_seq is not None:
                q = q.where(s.events.c.seq <= upto_seq)
            with self.engine.connect() as conn:
                rows = [_event(r) for r in conn.execute(q.order_by(s.events.c.seq).limit(batch))]
            if not rows:
                return
            yield from rows
            last = rows[-1].seq

    def events_of(self, subj: str, *, after_seq: int = 0,
                  kinds: Sequence[str] | None = None) -> list[ev.StoredEvent]:
        """The events of one subject (after event ``after_seq``; of ``kinds`` only)."""
        with self.engine.connect() as conn:
            q = select(s.events).where(s.events.c.subject == subj)
            if after_seq:
                q = q.where(s.events.c.seq > after_seq)
            if kinds is not None:
                q = q.where(s.events.c.kind.in_(list(kinds)))
            return [_event(r) for r in conn.execute(q.order_by(s.events.c.seq))]

    def open_views(self, console: str) -> list[ev.StoredEvent]:
        """The camera views started at ``console`` that were never stopped (their
        ``camera_view.started`` events, oldest first): views a console that crashed left
        open on the record."""
        with self.engine.connect() as conn:
            starts = [_event(r) for r in conn.execute(
                select(s.events).where(s.events.c.kind == ev.CAMERA_VIEW_STARTED)
                .where(s.events.c.console == console).order_by(s.events.c.seq))]
            if not starts:
                return []
            subjects = sorted({e.subject for e in starts})
            stopped = {(r.subject, json.loads(r.payload).get("view_id")) for r in conn.execute(
                select(s.events.c.subject, s.events.c.payload)
                .where(s.events.c.kind == ev.CAMERA_VIEW_STOPPED)
                .where(s.events.c.subject.in_(subjects)))}
        return [e for e in starts if (e.subject, e.payload.get("view_id")) not in stopped]

    def seq_at(self, ts_us: int) -> int:
        """The last event recorded at or before ``ts_us`` (0 if none)."""
        with self.engine.connect() as conn:
            # time never goes back along the chain: the newest event at or before T, found
            # by one step down the (ts_us, seq) index rather than a scan
            found = conn.execute(
                select(s.events.c.seq)
                .where(s.events.c.ts_us <= ts_us)
                .order_by(s.events.c.ts_us.desc(), s.events.c.seq.desc())
                .limit(1)
            ).scalar()
            return int(found or 0)

    def verify(self) -> ev.ChainReport:
        """Recompute the whole chain, and check it ends where the recorded head says."""
        seq, digest, _ = self.head()
        return ev.verify_chain(self.iter_events(), expected_head=(seq, digest))

    def projections(self) -> State:
        """The projection tables as a State (for checks against a replay of the log)."""
        st = State(keep_terminal=True)
        with self.engine.connect() as conn:
            for kind, (table, key) in s.PROJECTIONS.items():
                target = getattr(st, kind + "s")
                for row in conn.execute(select(table)).mappings():
                    target[row[key]] = _ENTITY_TYPES[kind].from_dict(dict(row))
            head = conn.execute(select(s.chain_head)).one()
        st.last_seq, st.last_hash, st.last_ts_us = int(head.seq), str(head.hash), int(head.ts_us)
        st.max_incident_number = max((i.number for i in st.incidents.values()), default=0)
        return st

    # --- replay and snapshots -----------------------------------------------------------------
    def state_at(self, *, seq: int | None = None, ts_us: int | None = None) -> State:
        """The live state (open incidents, every unit, user, ward, camera) as it was after
        event ``seq``, or at time ``ts_us``; from the nearest snapshot, then the events."""
        if seq is None:
            seq = self.seq_at(ts_us) if ts_us is not None else self.head()[0]
        with self.engine.connect() as conn:
            snap = conn.execute(
                select(s.snapshots.c.state)
                .where(s.snapshots.c.seq <= seq)
                .order_by(s.snapshots.c.seq.desc())
                .limit(1)
            ).scalar()
        st = State.from_snapshot(json.loads(snap)) if snap else State(keep_terminal=False)
        for e in self.iter_events(st.last_seq, seq):
            if e.prev_hash != st.last_hash:
                raise StoreUnavailable(
                    f"event {e.seq} does not follow the snapshot or event before it: the log "
                    "was altered; run `gvcommand-admin verify-log`"
                )
            apply(st, e)
        return st

    def ensure_snapshots(self, every: int = SNAPSHOT_EVERY) -> int:
        """Write the snapshots missing after the last one, one each ``every`` events.

        Runs off the write path (a console's idle time, or `gvcommand-admin snapshot`);
        returns how many it wrote. Snapshots are a cache: deleting them loses nothing.
        """
        with self.engine.connect() as conn:
            last = conn.execute(
                select(s.snapshots.c.state).order_by(s.snapshots.c.seq.desc()).limit(1)
            ).scalar()
        st = State.from_snapshot(json.loads(last)) if last else State(keep_terminal=False)
        head_seq = self.head()[0]
        written = 0
        pending: list[dict[str, Any]] = []
        for e in self.iter_events(st.last_seq, head_seq):
            apply(st, e)
            if e.seq % every == 0:
                pending.append({"seq": e.seq, "ts_us": e.ts_us, "hash": e.hash,
                                "state": json.dumps(st.to_snapshot(), ensure_ascii=False,
                                                    separators=(",", ":"))})
                if len(pending) >= 20:
                    written += self._save_snapshots(pending)
                    pending = []
        return written + self._save_snapshots(pending)

    def _save_snapshots(self, rows: list[dict[str, Any]]) -> int:
        """Insert snapshots; another console may have written the same ones meanwhile (they
        are identical: a snapshot is a function of the log), so a clash is not an error."""
        if not rows:
            return 0
        # imported here: the PostgreSQL dialect costs ~40 ms of a console's start
        stmt: Any
        if self.is_postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(s.snapshots).on_conflict_do_nothing(index_elements=["seq"])
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(s.snapshots).on_conflict_do_nothing(index_elements=["seq"])
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)
        return len(rows)


class _SuppliedClock:
    """The times of generated history (non-decreasing from ``first_us`` to ``last_us``): the
    body sets ``now_us`` before each command, and its events are stamped with it."""

    __slots__ = ("first_us", "last_us", "now_us")

    def __init__(self, first_us: int, last_us: int) -> None:
        self.first_us, self.last_us, self.now_us = first_us, last_us, first_us

    def check(self, head_ts_us: int, server_now_us: int) -> None:
        if self.first_us < head_ts_us:
            raise ValidationError(
                f"generated history cannot go back in time: {self.first_us} µs is before "
                f"the last recorded event ({head_ts_us} µs); times along the log never "
                "decrease"
            )
        if self.last_us > server_now_us:
            raise ValidationError(
                f"generated history cannot be in the future: {self.last_us} µs is after the "
                f"server's time ({server_now_us} µs)"
            )


def _commands_body(commands: Sequence[Command], actor: Actor) -> Body:
    def body(ws: WorkingState, emit: Emit) -> None:
        for cmd in commands:
            emit(decide(ws, cmd, actor))

    return body


def _row(e: ev.StoredEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "ts_us": e.ts_us,
        "actor": e.actor,
        "console": e.console,
        "kind": e.kind,
        "subject": e.subject,
        "payload": e.payload_json,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def _event(r: Any) -> ev.StoredEvent:
    return ev.StoredEvent(
        int(r.seq), int(r.ts_us), r.actor, r.console, r.kind, r.subject, r.payload,
        r.prev_hash, r.hash,
    )
