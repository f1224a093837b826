"""Named places (points of interest) in the database: the import event and the places beside it.

As with road networks, the places are data kept beside the log: the import event carries
their count and one SHA-256 over all of them (name, kind, lon, lat, in order), so
`verify_places` can tell whether the stored set still is the one that was imported. The
event and every place are written in one transaction: a failure anywhere leaves nothing.
The incident intake's gazetteer searches every imported set.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from ..core import events as ev
from ..core.commands import ImportPlaces
from ..core.errors import ValidationError
from ..core.handlers import decide
from ..core.model import Actor, PlaceSet
from . import schema as s
from .beside_log import check_sets
from .event_store import AfterWrite, CommandResult, Emit, EventStore, WorkingState

INSERT_CHUNK = 5000
MAX_NAME = 200
MAX_KIND = 40
# Gò Vấp lies near (106.66, 10.84); a place far outside Viet Nam is a coordinate mix-up
_LON_RANGE, _LAT_RANGE = (102.0, 110.0), (8.0, 24.0)


@dataclass(frozen=True, slots=True)
class StoredPlace:
    name: str
    kind: str  # e.g. the OSM amenity/shop value: marketplace, school, fuel…
    lon: float
    lat: float


def places_digest(places: Sequence[StoredPlace]) -> str:
    """One SHA-256 over every place, in order."""
    digest = hashlib.sha256()
    for p in places:
        digest.update(ev.canonical_json([p.name, p.kind, p.lon, p.lat]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _checked(places: Sequence[StoredPlace]) -> list[StoredPlace]:
    out: list[StoredPlace] = []
    for n, p in enumerate(places, start=1):
        name = " ".join(p.name.split())
        kind = p.kind.strip()
        if not name or len(name) > MAX_NAME:
            raise ValidationError(f"place {n}: a name of 1–{MAX_NAME} characters is needed "
                                  f"({name[:40] or 'empty'})")
        if not kind or len(kind) > MAX_KIND:
            raise ValidationError(f"place {n} ({name}): its kind '{kind}' must be 1–{MAX_KIND} "
                                  "characters")
        lon, lat = float(p.lon), float(p.lat)
        if not (math.isfinite(lon) and math.isfinite(lat)
                and _LON_RANGE[0] <= lon <= _LON_RANGE[1]
                and _LAT_RANGE[0] <= lat <= _LAT_RANGE[1]):
            raise ValidationError(f"place {n} ({name}) lies at ({lon}, {lat}), outside Viet Nam: "
                                  "are longitude and latitude swapped, or the coordinate "
                                  "system wrong?")
        out.append(StoredPlace(name, kind, round(lon, 7), round(lat, 7)))
    return out


def import_places(
    store: EventStore,
    *,
    name: str,
    source_sha256: str,
    places: Sequence[StoredPlace],
    actor: Actor,
) -> CommandResult:
    """Record a set of places and store them in one transaction: all or nothing."""
    rows = _checked(places)
    command = ImportPlaces(name, source_sha256, len(rows), places_digest(rows))
    key = name.strip()

    def body(ws: WorkingState, emit: Emit) -> AfterWrite:
        # place sets have their own table, not a projection: give the handler the one it
        # must know about (a name taken)
        found = ws.conn.execute(
            select(s.place_sets).where(s.place_sets.c.name == key)
        ).mappings().first()
        if found is not None:
            ws.place_sets[key] = PlaceSet.from_dict(dict(found))
        emit(decide(ws, command, actor))
        place_set = ws.place_set(key)
        assert place_set is not None

        def store_places(conn: Connection) -> None:
            record = place_set.to_dict()
            del record["version"]
            conn.execute(insert(s.place_sets), [record])
            for start in range(0, len(rows), INSERT_CHUNK):
                conn.execute(insert(s.places), [
                    {"place_set": key, "idx": start + i, "name": r.name, "kind": r.kind,
                     "lon": r.lon, "lat": r.lat}
                    for i, r in enumerate(rows[start:start + INSERT_CHUNK])
                ])

        return store_places

    return store.write(actor, body)


def load_place_sets(store: EventStore) -> list[PlaceSet]:
    """Every set of places, oldest first (without the places)."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(s.place_sets).order_by(s.place_sets.c.imported_seq)
        ).mappings().all()
    return [PlaceSet.from_dict(dict(r)) for r in found]


def load_places(store: EventStore, place_set: str | None = None) -> list[StoredPlace]:
    """The places of one set, or of every set (oldest set first), in file order."""
    query = select(s.places.c.name, s.places.c.kind, s.places.c.lon, s.places.c.lat)
    if place_set is not None:
        query = query.where(s.places.c.place_set == place_set).order_by(s.places.c.idx)
    else:
        query = query.join(s.place_sets, s.place_sets.c.name == s.places.c.place_set).order_by(
            s.place_sets.c.imported_seq, s.places.c.idx)
    with store.engine.connect() as conn:
        found = conn.execute(query).all()
    return [StoredPlace(r.name, r.kind, float(r.lon), float(r.lat)) for r in found]


def verify_places(store: EventStore) -> list[str]:
    """Problems found comparing the stored places with their import events."""
    return check_sets(
        store, what="places", rows_word="places", event_kind=ev.PLACES_IMPORTED,
        stored={p.name: p for p in load_place_sets(store)},
        load_rows=lambda name: load_places(store, name), digest=places_digest,
        count_key="place_count", digest_key="places_sha256",
        record_of=lambda p: (p.places_sha256, p.place_count, p.imported_seq),
        payload_of=lambda p, seq: (p["places_sha256"], p["place_count"], seq),
    )
