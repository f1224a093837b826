"""Road networks in the store: atomic import, the newest one loaded, segments checked
against their import event; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import LineString, MultiLineString
from sqlalchemy import func, select, text

from gvcommand.core import events as ev
from gvcommand.core.errors import AlreadyExists, PermissionDenied, ValidationError
from gvcommand.core.state import replay
from gvcommand.store import roads as r
from gvcommand.store import schema
from gvcommand.store.db import StoreUnavailable
from gvcommand.store.event_store import EventStore

from .conftest import ADMIN, SUPERVISOR

SRC = "5" * 64


def segments(n: int, *, street: str = "Quang Trung") -> list[r.RoadSegment]:
    out = []
    for i in range(n):
        line = LineString([(106.64 + 0.001 * i, 10.82), (106.64 + 0.001 * i, 10.83)])
        name = f"{street} {i}" if i % 3 else None  # some unnamed, as alleys are
        out.append(r.RoadSegment(name, "primary" if i % 2 else "residential", 1105.9,
                                 shapely.to_wkb(line)))
    bend = MultiLineString([[(106.70, 10.84), (106.71, 10.85)], [(106.71, 10.85),
                                                                  (106.72, 10.85)]])
    out.append(r.RoadSegment("Nguyễn Kiệm", "secondary", 2650.0, shapely.to_wkb(bend)))
    return out


def count(store: EventStore, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_and_load_round_trip(store: EventStore) -> None:
    segs = segments(7)
    result = r.import_roads(store, name=" OSM 2018 ", source_sha256=SRC, segments=segs,
                            actor=ADMIN)
    [event] = result.events
    assert event.kind == ev.ROAD_NETWORK_IMPORTED
    assert event.payload == {"name": "OSM 2018", "source_sha256": SRC, "segment_count": 8,
                             "length_km": round((7 * 1105.9 + 2650.0) / 1000, 3),
                             "geometry_sha256": r.segments_digest(segs)}
    loaded = r.load_roads(store)
    assert loaded is not None
    network, stored = loaded
    assert (network.name, network.segment_count, network.imported_seq) == ("OSM 2018", 8,
                                                                           event.seq)
    assert stored == segs  # names, classes, lengths and geometry, in file order
    assert shapely.from_wkb(stored[-1].wkb).geom_type == "MultiLineString"
    assert r.verify_roads(store) == []
    # the projections still agree with a replay of the log
    assert store.projections().comparable() == replay(store.iter_events()).comparable()
    current = store.state_at().current_road_network()
    assert current is not None
    assert (current.name, current.geometry_sha256, current.imported_seq) == (
        network.name, network.geometry_sha256, network.imported_seq)


def test_the_newest_network_is_loaded(store: EventStore) -> None:
    assert r.load_roads(store) is None
    r.import_roads(store, name="OSM 2018", source_sha256=SRC, segments=segments(3),
                   actor=ADMIN)
    r.import_roads(store, name="Sở GTVT 2025", source_sha256=SRC,
                   segments=segments(5, street="Lê Đức Thọ"), actor=ADMIN)
    loaded = r.load_roads(store)
    assert loaded is not None and loaded[0].name == "Sở GTVT 2025"
    assert {s.name for s in loaded[1]} >= {"Lê Đức Thọ 1", "Nguyễn Kiệm"}
    assert [n.name for n in r.load_networks(store)] == ["OSM 2018", "Sở GTVT 2025"]
    assert len(r.load_segments(store, "OSM 2018")) == 4
    assert r.verify_roads(store) == []


def test_refused_imports_write_nothing(store: EventStore) -> None:
    r.import_roads(store, name="OSM 2018", source_sha256=SRC, segments=segments(3),
                   actor=ADMIN)
    head = store.head()
    with pytest.raises(AlreadyExists, match="OSM 2018"):
        r.import_roads(store, name="OSM 2018", source_sha256=SRC, segments=segments(2),
                       actor=ADMIN)
    with pytest.raises(PermissionDenied):
        r.import_roads(store, name="x", source_sha256=SRC, segments=segments(2),
                       actor=SUPERVISOR)
    with pytest.raises(ValidationError, match="no road segments"):
        r.import_roads(store, name="empty", source_sha256=SRC, segments=[], actor=ADMIN)
    bad = segments(4)
    bad[2] = r.RoadSegment("Phan Văn Trị", " ", 10.0, bad[2].wkb)
    with pytest.raises(ValidationError, match="road segment 3"):
        r.import_roads(store, name="bad class", source_sha256=SRC, segments=bad, actor=ADMIN)
    assert store.head() == head
    assert count(store, schema.road_networks) == 1
    assert count(store, schema.road_segments) == 4


def test_a_failure_while_storing_segments_leaves_nothing(store: EventStore) -> None:
    with store.engine.begin() as conn:  # the segment insert, after the event, will fail
        conn.execute(text("DROP TABLE road_segments"))
    with pytest.raises(StoreUnavailable):
        r.import_roads(store, name="OSM 2018", source_sha256=SRC, segments=segments(3),
                       actor=ADMIN)
    assert store.head()[0] == 0
    assert count(store, schema.road_networks) == 0


def test_a_big_network_goes_in_chunks(store: EventStore, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    monkeypatch.setattr(r, "INSERT_CHUNK", 4)
    segs = segments(10)
    r.import_roads(store, name="big", source_sha256=SRC, segments=segs, actor=ADMIN)
    loaded = r.load_roads(store)
    assert loaded is not None and loaded[1] == segs


def test_altered_or_extra_segments_are_found(store: EventStore) -> None:
    r.import_roads(store, name="OSM 2018", source_sha256=SRC, segments=segments(3),
                   actor=ADMIN)
    moved = shapely.to_wkb(LineString([(106.0, 10.0), (106.1, 10.1)]))
    with store.engine.begin() as conn:
        conn.execute(schema.road_segments.update()
                     .where(schema.road_segments.c.idx == 1).values(geometry_wkb=moved))
        conn.execute(schema.road_networks.insert().values(
            name="forged", source_sha256=SRC, segment_count=0, length_km=1.0,
            geometry_sha256=SRC, imported_seq=99))
    assert r.verify_roads(store) == [
        "road network OSM 2018: segments were altered after their import (event 1)",
        "road network forged: was never imported",
    ]
    with store.engine.begin() as conn:
        conn.execute(schema.road_segments.delete().where(schema.road_segments.c.idx == 0))
    assert r.verify_roads(store)[0] == (
        "road network OSM 2018: 3 segments stored, 4 imported (event 1)")
