"""Road networks in the database: the import event and the segments beside it.

The segments (WKB, WGS84) are too many for the hash chain; the import event carries their
count, total length and one SHA-256 over all of them (name, class, length and the SHA-256 of
each geometry, in order), so `verify_roads` can tell whether the stored network still is the
one that was imported. The event and every segment are written in one transaction: a
failure anywhere leaves nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from ..core import events as ev
from ..core.commands import ImportRoadNetwork
from ..core.errors import ValidationError
from ..core.handlers import decide
from ..core.model import Actor, RoadNetwork
from . import schema as s
from .beside_log import check_sets
from .event_store import AfterWrite, CommandResult, Emit, EventStore, WorkingState

INSERT_CHUNK = 5000  # rows per INSERT: bounded memory for a city-wide network
MAX_NAME = 200
MAX_CLASS = 40


@dataclass(frozen=True, slots=True)
class RoadSegment:
    name: str | None  # street name; None for an unnamed alley or service road
    road_class: str  # e.g. the OSM highway value: primary, residential, service…
    length_m: float  # geodesic
    wkb: bytes  # LineString or MultiLineString, WGS84 lon/lat


def segments_digest(segments: Sequence[RoadSegment]) -> str:
    """One SHA-256 over every segment, in order."""
    digest = hashlib.sha256()
    for seg in segments:
        line = ev.canonical_json([seg.name, seg.road_class, seg.length_m,
                                  hashlib.sha256(seg.wkb).hexdigest()])
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _checked(segments: Sequence[RoadSegment]) -> list[RoadSegment]:
    out: list[RoadSegment] = []
    for n, seg in enumerate(segments, start=1):
        name = (seg.name or "").strip() or None
        road_class = seg.road_class.strip()
        if name is not None and len(name) > MAX_NAME:
            raise ValidationError(f"road segment {n}: its name is longer than {MAX_NAME} "
                                  f"characters ({name[:40]}…)")
        if not road_class or len(road_class) > MAX_CLASS:
            raise ValidationError(f"road segment {n}: its class '{road_class}' must be 1–"
                                  f"{MAX_CLASS} characters")
        if not seg.wkb:
            raise ValidationError(f"road segment {n} has no geometry")
        out.append(RoadSegment(name, road_class, float(seg.length_m), bytes(seg.wkb)))
    return out


def import_roads(
    store: EventStore,
    *,
    name: str,
    source_sha256: str,
    segments: Sequence[RoadSegment],
    actor: Actor,
) -> CommandResult:
    """Record a road network and store its segments in one transaction: all or nothing."""
    rows = _checked(segments)
    command = ImportRoadNetwork(
        name,
        source_sha256,
        len(rows),
        round(sum(r.length_m for r in rows) / 1000.0, 3),
        segments_digest(rows),
    )
    key = name.strip()

    def body(ws: WorkingState, emit: Emit) -> AfterWrite:
        # the store's working state loads entities from projections; networks have their
        # own table, so give the handler the one it must know about (a name taken)
        found = ws.conn.execute(
            select(s.road_networks).where(s.road_networks.c.name == key)
        ).mappings().first()
        if found is not None:
            ws.road_networks[key] = RoadNetwork.from_dict(dict(found))
        emit(decide(ws, command, actor))
        network = ws.road_network(key)
        assert network is not None

        def store_segments(conn: Connection) -> None:
            record = network.to_dict()
            del record["version"]
            conn.execute(insert(s.road_networks), [record])
            for start in range(0, len(rows), INSERT_CHUNK):
                conn.execute(insert(s.road_segments), [
                    {"network": key, "idx": start + i, "name": r.name,
                     "road_class": r.road_class, "length_m": r.length_m,
                     "geometry_wkb": r.wkb}
                    for i, r in enumerate(rows[start:start + INSERT_CHUNK])
                ])

        return store_segments

    return store.write(actor, body)


def load_networks(store: EventStore) -> list[RoadNetwork]:
    """Every road network, oldest first (without segments)."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(s.road_networks).order_by(s.road_networks.c.imported_seq)
        ).mappings().all()
    return [RoadNetwork.from_dict(dict(r)) for r in found]


def load_segments(store: EventStore, network: str) -> list[RoadSegment]:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(s.road_segments.c.name, s.road_segments.c.road_class,
                   s.road_segments.c.length_m, s.road_segments.c.geometry_wkb)
            .where(s.road_segments.c.network == network)
            .order_by(s.road_segments.c.idx)
        ).all()
    return [RoadSegment(r.name, r.road_class, float(r.length_m), bytes(r.geometry_wkb))
            for r in found]


def load_roads(store: EventStore) -> tuple[RoadNetwork, list[RoadSegment]] | None:
    """The newest road network (the one the map draws) with its segments, or None."""
    networks = load_networks(store)
    if not networks:
        return None
    newest = networks[-1]
    return newest, load_segments(store, newest.name)


def verify_roads(store: EventStore) -> list[str]:
    """Problems found comparing the stored networks with their import events."""
    return check_sets(
        store, what="road network", rows_word="segments", event_kind=ev.ROAD_NETWORK_IMPORTED,
        stored={n.name: n for n in load_networks(store)},
        load_rows=lambda name: load_segments(store, name), digest=segments_digest,
        count_key="segment_count", digest_key="geometry_sha256",
        record_of=lambda n: (n.geometry_sha256, n.segment_count, n.length_km, n.imported_seq),
        payload_of=lambda p, seq: (p["geometry_sha256"], p["segment_count"], p["length_km"],
                                   seq),
    )
