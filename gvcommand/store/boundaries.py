"""Boundary editions in the database: the import event and the polygons beside it.

The polygons (WKB, WGS84) are too large for the hash chain; the import event carries the
SHA-256 of each one, so `verify_polygons` can tell whether a stored polygon still is the
one that was imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from ..core import events as ev
from ..core.commands import ImportBoundaryEdition
from ..core.handlers import decide
from ..core.model import Actor, BoundaryEdition, WardOfEdition
from . import schema as s
from .event_store import AfterWrite, CommandResult, Emit, EventStore, WorkingState


@dataclass(frozen=True, slots=True)
class WardPolygon:
    code: str
    name: str
    area_km2: float
    wkb: bytes  # (Multi)Polygon, WGS84 lon/lat


def geometry_digest(wkb: bytes) -> str:
    return hashlib.sha256(wkb).hexdigest()


def import_edition(
    store: EventStore,
    *,
    name: str,
    valid_from: str,
    valid_to: str | None,
    source_sha256: str,
    wards: Sequence[WardPolygon],
    actor: Actor,
) -> CommandResult:
    """Record an edition and store its polygons in one transaction: all or nothing."""
    command = ImportBoundaryEdition(
        name,
        valid_from,
        valid_to,
        source_sha256,
        tuple(WardOfEdition(w.code, w.name, w.area_km2, geometry_digest(w.wkb)) for w in wards),
    )

    def body(ws: WorkingState, emit: Emit) -> AfterWrite:
        emit(decide(ws, command, actor))

        def polygons(conn: Connection) -> None:  # after the edition row exists
            conn.execute(
                insert(s.ward_boundaries),
                [
                    {
                        "edition": command.name.strip(),
                        "code": w.code.strip(),
                        "name": w.name.strip(),
                        "area_km2": w.area_km2,
                        "geometry_wkb": w.wkb,
                        "geometry_sha256": geometry_digest(w.wkb),
                    }
                    for w in wards
                ],
            )

        return polygons

    return store.write(actor, body)


def load_editions(store: EventStore) -> list[tuple[BoundaryEdition, list[WardPolygon]]]:
    """Every edition with its polygons, oldest first."""
    with store.engine.connect() as conn:
        editions = [
            BoundaryEdition.from_dict(dict(r))
            for r in conn.execute(select(s.boundary_editions)).mappings()
        ]
        rows = (
            conn.execute(
                select(s.ward_boundaries).order_by(
                    s.ward_boundaries.c.edition, s.ward_boundaries.c.code
                )
            )
            .mappings()
            .all()
        )
    by_edition: dict[str, list[WardPolygon]] = {}
    for r in rows:
        by_edition.setdefault(r["edition"], []).append(
            WardPolygon(r["code"], r["name"], float(r["area_km2"]), bytes(r["geometry_wkb"]))
        )
    editions.sort(key=lambda e: e.valid_from)
    return [(e, by_edition.get(e.name, [])) for e in editions]


def verify_polygons(store: EventStore) -> list[str]:
    """Problems found comparing stored polygons with the digests in the import events."""
    problems: list[str] = []
    stored = {(e.name, w.code): w for e, wards in load_editions(store) for w in wards}
    recorded: set[tuple[str, str]] = set()
    for event in store.iter_events():
        if event.kind != ev.BOUNDARY_EDITION_IMPORTED:
            continue
        payload = event.payload
        for ward in payload["wards"]:
            key = (payload["name"], ward["code"])
            recorded.add(key)
            polygon = stored.get(key)
            if polygon is None:
                problems.append(f"edition {key[0]}: ward {key[1]} is missing")
            elif geometry_digest(polygon.wkb) != ward["geometry_sha256"]:
                problems.append(
                    f"edition {key[0]}: the polygon of ward {key[1]} was altered "
                    f"after its import (event {event.seq})"
                )
    problems += [
        f"edition {k[0]}: ward {k[1]} was never imported" for k in sorted(set(stored) - recorded)
    ]
    return problems
