"""The event store: commands in, hash-chained events and projections out, in one transaction.

Every write takes the chain head under a lock (PostgreSQL: ``SELECT … FOR UPDATE`` on the
one head row; SQLite: ``BEGIN IMMEDIATE``), so sequence numbers are gapless and commit in
order; a reader that has seen event N and asks for "events after N" misses nothing.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..core import events as ev
from ..core.commands import Command
from ..core.errors import DomainError
from ..core.handlers import decide
from ..core.model import Actor, Camera, Incident, Unit, User, Ward
from ..core.state import State, apply
from . import schema as s
from .db import StoreUnavailable, write_tx
from .url import DatabaseUrl, redact

log = logging.getLogger(__name__)

_ENTITY_TYPES: dict[str, type[Ward] | type[Unit] | type[Incident] | type[Camera] | type[User]] = {
    "ward": Ward,
    "unit": Unit,
    "incident": Incident,
    "camera": Camera,
    "user": User,
}
_Emit = Callable[[list[ev.NewEvent]], None]
_Body = Callable[["WorkingState", _Emit], None]
READ_BATCH = 5000
SNAPSHOT_EVERY = 2000


class WorkingState(State):
    """A State that loads the entities a command touches from the projection tables, inside
    the command's transaction, and writes back what :func:`apply` changed."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(keep_terminal=True)
        self.conn = conn
        self._loaded: set[str] = set()  # subjects read from (and so present in) the tables
        self._missing: set[str] = set()
        self._units_by_incident: set[str] = set()

    def _load(self, kind: str, ident: str) -> Any:
        subj = ev.subject(kind, ident)
        if subj in self._missing:
            return None
        table, key = s.PROJECTIONS[kind]
        row = self.conn.execute(select(table).where(table.c[key] == ident)).mappings().first()
        if row is None:
            self._missing.add(subj)
            return None
        self._loaded.add(subj)
        return _ENTITY_TYPES[kind].from_dict(dict(row))

    def ward(self, code: str) -> Ward | None:
        if code not in self.wards and (w := self._load("ward", code)) is not None:
            self.wards[code] = w
        return self.wards.get(code)

    def unit(self, call_sign: str) -> Unit | None:
        if call_sign not in self.units and (u := self._load("unit", call_sign)) is not None:
            self.units[call_sign] = u
        return self.units.get(call_sign)

    def incident(self, incident_id: str) -> Incident | None:
        if incident_id not in self.incidents and (
            i := self._load("incident", incident_id)
        ) is not None:
            self.incidents[incident_id] = i
        return self.incidents.get(incident_id)

    def camera(self, code: str) -> Camera | None:
        if code not in self.cameras and (c := self._load("camera", code)) is not None:
            self.cameras[code] = c
        return self.cameras.get(code)

    def user(self, name: str) -> User | None:
        if name not in self.users and (u := self._load("user", name)) is not None:
            self.users[name] = u
        return self.users.get(name)

    @classmethod
    def at(cls, conn: Connection, seq: int, digest: str, ts_us: int) -> WorkingState:
        ws = cls(conn)
        ws.last_seq, ws.last_hash, ws.last_ts_us = seq, digest, ts_us
        return ws

    def units_on(self, incident_id: str) -> list[Unit]:
        if incident_id not in self._units_by_incident:
            rows = self.conn.execute(
                select(s.units.c.call_sign).where(s.units.c.incident_id == incident_id)
            ).scalars()
            for call_sign in rows:
                self.unit(call_sign)
            self._units_by_incident.add(incident_id)
        return super().units_on(incident_id)

    def next_incident_number(self) -> int:
        if self.max_incident_number == 0:
            found = self.conn.execute(select(func.max(s.incidents.c.number))).scalar()
            self.max_incident_number = int(found or 0)
        return self.max_incident_number + 1

    def write_back(self) -> None:
        for subj in sorted(self.take_dirty()):
            kind, ident = ev.split_subject(subj)
            entity = self.entity(subj)
            if entity is None or kind not in s.PROJECTIONS:
                continue
            table, key = s.PROJECTIONS[kind]
            row = entity.to_dict()
            if subj in self._loaded:
                self.conn.execute(update(table).where(table.c[key] == ident).values(**row))
            else:
                self.conn.execute(insert(table).values(**row))
                self._loaded.add(subj)
                self._missing.discard(subj)


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

        return self._write(actor, _commands_body(commands, actor))

    def execute_group(
        self, items: Sequence[tuple[Command, Actor]]
    ) -> list[CommandResult | DomainError]:
        """Independent commands (of several officers) in one transaction; each one that is
        refused comes back as its error and leaves the others untouched."""
        return self.write_group([(actor, _commands_body([cmd], actor)) for cmd, actor in items])

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

        def body(ws: WorkingState, emit: _Emit) -> None:
            more = extra(ws.conn) if extra is not None else []
            emit([*new_events, *more])

        return self._write(actor, body)

    def _write(self, actor: Actor, body: _Body) -> CommandResult:
        outcome = self.write_group([(actor, body)])[0]
        if isinstance(outcome, DomainError):
            raise outcome
        return outcome

    def write_group(
        self, units: Sequence[tuple[Actor, _Body]]
    ) -> list[CommandResult | DomainError]:
        """Several independent writes in one transaction (group commit).

        Each unit runs in its own savepoint: one that is refused is rolled back alone and
        its error returned in its place; the others are committed together, so that a
        durable commit (one disk flush) serves many commands.
        """
        try:
            with write_tx(self.engine) as conn:
                head = self._lock_head(conn)
                ts_us = max(self._now_us(conn), int(head.ts_us))
                good_seq, good_hash = int(head.seq), str(head.hash)
                ws = WorkingState.at(conn, good_seq, good_hash, ts_us)
                outcomes: list[CommandResult | DomainError] = []
                for actor, body in units:
                    savepoint = conn.begin_nested() if len(units) > 1 else None
                    stored: list[ev.StoredEvent] = []

                    def emit(
                        new_events: list[ev.NewEvent],
                        actor: Actor = actor,
                        stored: list[ev.StoredEvent] = stored,
                        ws: WorkingState = ws,
                    ) -> None:
                        for new in new_events:
                            sealed = ev.seal(ws.last_seq + 1, ts_us, actor.name, actor.console,
                                             new, ws.last_hash)
                            apply(ws, sealed)
                            stored.append(sealed)

                    try:
                        body(ws, emit)
                        if stored:
                            conn.execute(insert(s.events), [_row(e) for e in stored])
                            ws.write_back()
                    except DomainError as refused:
                        if savepoint is None:
                            raise
                        savepoint.rollback()
                        outcomes.append(refused)
                        ws = WorkingState.at(conn, good_seq, good_hash, ts_us)
                        continue
                    if savepoint is not None:
                        savepoint.commit()
                    if stored:
                        good_seq, good_hash = stored[-1].seq, stored[-1].hash
                    outcomes.append(CommandResult(stored))
                if good_seq != head.seq:
                    conn.execute(
                        update(s.chain_head)
                        .where(s.chain_head.c.id == 1)
                        .values(seq=good_seq, hash=good_hash, ts_us=ts_us)
                    )
                    if self.is_postgres:
                        conn.execute(
                            text("SELECT pg_notify(:ch, :seq)"),
                            {"ch": s.NOTIFY_CHANNEL, "seq": str(good_seq)},
                        )
            return outcomes
        except DomainError:
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

    def _lock_head(self, conn: Connection) -> Any:
        q = select(s.chain_head.c.seq, s.chain_head.c.hash, s.chain_head.c.ts_us).where(
            s.chain_head.c.id == 1
        )
        if self.is_postgres:
            q = q.with_for_update()
        row = conn.execute(q).first()
        if row is None:
            raise StoreUnavailable("the database has no chain head: run `gvcommand-admin init`")
        return row

    def _now_us(self, conn: Connection) -> int:
        if self.is_postgres:
            # the server's clock, so that consoles with skewed clocks agree
            value = conn.execute(
                text("SELECT (extract(epoch from clock_timestamp()) * 1000000)::bigint")
            ).scalar_one()
            return int(value)
        return time.time_ns() // 1000

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

    def events_of(self, subj: str) -> list[ev.StoredEvent]:
        with self.engine.connect() as conn:
            q = select(s.events).where(s.events.c.subject == subj).order_by(s.events.c.seq)
            return [_event(r) for r in conn.execute(q)]

    def seq_at(self, ts_us: int) -> int:
        """The last event recorded at or before ``ts_us`` (0 if none)."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(func.max(s.events.c.seq)).where(s.events.c.ts_us <= ts_us)
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
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(s.snapshots), rows)
        return len(rows)


def _commands_body(commands: Sequence[Command], actor: Actor) -> _Body:
    def body(ws: WorkingState, emit: _Emit) -> None:
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
