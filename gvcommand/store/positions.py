"""Patrol positions: a time-series table of its own, not the event log (ARCHITECTURE.md:
high-rate data that is not a decision).

- ``positions``: one row per device and device time (a repeat of the same fix is stored
  once, whatever path brought it twice), indexed for a unit's track between two times.
- ``unit_positions``: the latest fix per unit, moved only forward in device time (a fix
  that arrives late goes into the track and leaves the unit where it is). Its
  ``position_id`` grows with every change, so a console asks "what changed after id N".

One writer (the AVL service) writes batches; consoles only read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, select

from ..core.fix import Fix
from . import schema as s
from .db import write_tx


@dataclass(frozen=True, slots=True)
class StoredFix:
    id: int
    unit: str
    device_id: str
    device_time_us: int
    server_time_us: int
    lon: float
    lat: float
    speed_kmh: float | None
    heading: float | None
    accuracy_m: float | None
    battery_pct: float | None
    source: str


@dataclass(frozen=True, slots=True)
class BatchResult:
    stored: int  # new rows
    duplicates: int  # already there (same device and device time)
    moved: tuple[str, ...]  # units whose latest position changed


def _insert(conn: Connection) -> Any:
    # imported here: a console that only reads positions need not load the dialects
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def store_fixes(engine: Engine, fixes: Sequence[tuple[Fix, str]],
                *, server_time_us: int | None = None) -> BatchResult:
    """Store ``(fix, unit)`` pairs in one transaction; repeats are skipped, each unit's
    latest position moves to its newest fix if that is newer than the one it has."""
    if not fixes:
        return BatchResult(0, 0, ())
    now = server_time_us if server_time_us is not None else time.time_ns() // 1000
    if engine.dialect.name == "postgresql":
        return _store_fixes_copy(engine, fixes, now)
    # a batch can hold the same fix twice (a client retrying fast): keep the first
    unique: dict[tuple[str, int], tuple[Fix, str]] = {}
    for fix, unit in fixes:
        unique.setdefault((fix.device_id, fix.device_time_us), (fix, unit))
    rows = [{
        "unit": unit, "device_id": f.device_id, "device_time_us": f.device_time_us,
        "server_time_us": now, "lon": f.lon, "lat": f.lat, "speed_kmh": f.speed_kmh,
        "heading": f.heading, "altitude_m": f.altitude_m, "accuracy_m": f.accuracy_m,
        "battery_pct": f.battery_pct, "source": f.source,
        "attributes": json.dumps(f.attributes, ensure_ascii=False, default=str)
        if f.attributes else None,
    } for f, unit in unique.values()]
    with write_tx(engine) as conn:
        ins = _insert(conn)(s.positions).on_conflict_do_nothing(
            index_elements=["device_id", "device_time_us"]).returning(
            s.positions.c.id, s.positions.c.unit, s.positions.c.device_time_us)
        inserted = [tuple(r) for r in conn.execute(ins, rows)] if len(rows) == 1 else \
            _insert_many(conn, ins, rows)
        moved = _advance_latest(conn, inserted)
    return BatchResult(len(inserted), len(fixes) - len(inserted), tuple(sorted(moved)))


_COPY_COLUMNS = ("unit", "device_id", "device_time_us", "server_time_us", "lon", "lat",
                 "speed_kmh", "heading", "altitude_m", "accuracy_m", "battery_pct", "source",
                 "attributes")
_COLS = ", ".join(_COPY_COLUMNS)
# One statement does the rest on the server: new rows in (repeats skipped, also within the
# batch: the first one counts), then each unit's latest fix moved forward.
_PG_MERGE = f"""
WITH ins AS (
    INSERT INTO positions ({_COLS})
    SELECT DISTINCT ON (device_id, device_time_us) {_COLS} FROM positions_in
    ORDER BY device_id, device_time_us, n
    ON CONFLICT (device_id, device_time_us) DO NOTHING
    RETURNING id, unit, device_time_us),
newest AS (
    SELECT DISTINCT ON (unit) unit, id, device_time_us FROM ins
    ORDER BY unit, device_time_us DESC, id DESC),
moved AS (
    INSERT INTO unit_positions (unit, position_id, device_time_us)
    SELECT unit, id, device_time_us FROM newest
    ON CONFLICT (unit) DO UPDATE
        SET position_id = excluded.position_id, device_time_us = excluded.device_time_us
        WHERE unit_positions.device_time_us < excluded.device_time_us
    RETURNING unit)
SELECT (SELECT count(*) FROM ins), ARRAY(SELECT unit FROM moved ORDER BY unit)
"""


def _store_fixes_copy(engine: Engine, fixes: Sequence[tuple[Fix, str]], now: int
                      ) -> BatchResult:
    """PostgreSQL: the batch goes in by COPY into a temporary table, then one statement.
    Per fix this costs a tuple in Python instead of a compiled parameter set: the AVL
    service's writer keeps up with thousands of fixes a second."""
    with write_tx(engine) as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS positions_in (n integer, "
                        f"{', '.join(f'{c} {t}' for c, t in _PG_TYPES)}) "
                        "ON COMMIT DELETE ROWS")
            with cur.copy(f"COPY positions_in (n, {_COLS}) FROM STDIN") as copy:
                for n, (f, unit) in enumerate(fixes):
                    copy.write_row((n, unit, f.device_id, f.device_time_us, now, f.lon, f.lat,
                                    f.speed_kmh, f.heading, f.altitude_m, f.accuracy_m,
                                    f.battery_pct, f.source,
                                    json.dumps(f.attributes, ensure_ascii=False, default=str)
                                    if f.attributes else None))
            cur.execute(_PG_MERGE)
            row = cur.fetchone()
    assert row is not None
    stored, moved = int(row[0]), tuple(row[1])
    return BatchResult(stored, len(fixes) - stored, moved)


_PG_TYPES = (("unit", "varchar(40)"), ("device_id", "varchar(100)"),
             ("device_time_us", "bigint"), ("server_time_us", "bigint"),
             ("lon", "double precision"), ("lat", "double precision"),
             ("speed_kmh", "double precision"), ("heading", "double precision"),
             ("altitude_m", "double precision"), ("accuracy_m", "double precision"),
             ("battery_pct", "double precision"), ("source", "varchar(20)"),
             ("attributes", "text"))


def _insert_many(conn: Connection, ins: Any, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # RETURNING with executemany: SQLAlchemy's "insertmanyvalues" batches it on both dialects
    result = conn.execute(ins, rows)
    return [tuple(r) for r in result.all()]


def _advance_latest(conn: Connection, inserted: Iterable[tuple[Any, ...]]) -> set[str]:
    newest: dict[str, tuple[int, int]] = {}  # unit → (device time, position id)
    for pid, unit, t in inserted:
        if unit not in newest or (t, pid) > newest[unit]:
            newest[unit] = (t, pid)
    if not newest:
        return set()
    # one statement for the whole batch: a unit moves only to a fix newer than the one it
    # has (a late fix goes into the track, not onto the map)
    stmt = _insert(conn)(s.unit_positions)
    up = s.unit_positions.c
    stmt = stmt.on_conflict_do_update(
        index_elements=["unit"],
        set_={"position_id": stmt.excluded.position_id,
              "device_time_us": stmt.excluded.device_time_us},
        where=up.device_time_us < stmt.excluded.device_time_us,
    ).returning(up.unit)
    rows = [{"unit": u, "position_id": pid, "device_time_us": t}
            for u, (t, pid) in sorted(newest.items())]
    return {r[0] for r in conn.execute(stmt, rows)}


_COLUMNS = (s.positions.c.id, s.positions.c.unit, s.positions.c.device_id,
            s.positions.c.device_time_us, s.positions.c.server_time_us, s.positions.c.lon,
            s.positions.c.lat, s.positions.c.speed_kmh, s.positions.c.heading,
            s.positions.c.accuracy_m, s.positions.c.battery_pct, s.positions.c.source)


def _stored(row: Any) -> StoredFix:
    return StoredFix(**row._mapping)


def latest_positions(conn: Connection, *, after_id: int = 0) -> list[StoredFix]:
    """Each unit's latest fix, only those that changed after position id ``after_id``."""
    rows = conn.execute(
        select(*_COLUMNS)
        .join(s.unit_positions, s.unit_positions.c.position_id == s.positions.c.id)
        .where(s.unit_positions.c.position_id > after_id)
        .order_by(s.positions.c.id))
    return [_stored(r) for r in rows]


def last_position_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(s.unit_positions.c.position_id), 0)))
               .scalar_one())


def track(conn: Connection, units: Sequence[str] | None, t0_us: int, t1_us: int) -> list[StoredFix]:
    """Fixes of ``units`` (all when None) with device time in [t0, t1], in time order per
    unit (units in call-sign order)."""
    cond = and_(s.positions.c.device_time_us >= t0_us, s.positions.c.device_time_us <= t1_us)
    if units is not None:
        cond = and_(cond, s.positions.c.unit.in_(list(units)))
    rows = conn.execute(select(*_COLUMNS).where(cond).order_by(
        s.positions.c.unit, s.positions.c.device_time_us))
    return [_stored(r) for r in rows]


def prune(engine: Engine, older_than_us: int) -> int:
    """Delete fixes older than the retention (device time), keeping every unit's latest."""
    with write_tx(engine) as conn:
        keep = select(s.unit_positions.c.position_id)
        result = conn.execute(delete(s.positions).where(
            s.positions.c.device_time_us < older_than_us, s.positions.c.id.not_in(keep)))
        return int(result.rowcount or 0)
