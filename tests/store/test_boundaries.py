"""Boundary editions in the store: atomic import, overlap refused, polygons checked."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import func, select, text

from gvcommand.core.errors import AlreadyExists, PermissionDenied, ValidationError
from gvcommand.core.state import replay
from gvcommand.store import schema
from gvcommand.store.boundaries import WardPolygon, import_edition, load_editions, verify_polygons
from gvcommand.store.db import StoreUnavailable
from gvcommand.store.event_store import EventStore

from .conftest import ADMIN, OPERATOR


def wards(n: int, prefix: str = "P") -> list[WardPolygon]:
    out = []
    for i in range(n):
        geom = box(106.64 + 0.01 * i, 10.81, 106.65 + 0.01 * i, 10.86)
        out.append(WardPolygon(f"{prefix}{i + 1}", f"Phường {i + 1}", 3.0, shapely.to_wkb(geom)))
    return out


def count(store: EventStore, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_and_load_round_trip(store: EventStore) -> None:
    result = import_edition(store, name="Gò Vấp 16 phường", valid_from="2020-01-01",
                            valid_to="2024-12-31", source_sha256="a" * 64, wards=wards(16),
                            actor=ADMIN)
    assert [e.kind for e in result.events] == ["boundary.edition_imported"]
    assert len(result.events[0].payload["wards"]) == 16
    [(edition, polygons)] = load_editions(store)
    assert (edition.name, edition.valid_to, edition.ward_count) == (
        "Gò Vấp 16 phường", "2024-12-31", 16)
    assert shapely.from_wkb(polygons[0].wkb).equals(box(106.64, 10.81, 106.65, 10.86))
    assert verify_polygons(store) == []
    assert store.projections().comparable() == replay(store.iter_events()).comparable()


def test_overlapping_or_invalid_editions_write_nothing(store: EventStore) -> None:
    import_edition(store, name="2025a", valid_from="2025-01-01", valid_to="2025-06-30",
                   source_sha256="b" * 64, wards=wards(12), actor=ADMIN)
    head = store.head()
    bad = [
        (dict(name="2025b", valid_from="2025-06-01", valid_to=None), ValidationError,
         "overlaps edition '2025a'"),
        (dict(name="2025a", valid_from="2026-01-01", valid_to=None), AlreadyExists, "exists"),
        (dict(name="x", valid_from="2026-02-30", valid_to=None), ValidationError, "not a date"),
        (dict(name="y", valid_from="2026-01-02", valid_to="2026-01-01"), ValidationError,
         "before it starts"),
    ]
    for kwargs, error, message in bad:
        with pytest.raises(error, match=message):
            import_edition(store, source_sha256="c" * 64, wards=wards(6), actor=ADMIN,
                           **kwargs)
    with pytest.raises(ValidationError, match="twice"):
        import_edition(store, name="dup", valid_from="2027-01-01", valid_to=None,
                       source_sha256="c" * 64, wards=wards(2) + wards(1), actor=ADMIN)
    with pytest.raises(PermissionDenied):
        import_edition(store, name="op", valid_from="2027-01-01", valid_to=None,
                       source_sha256="c" * 64, wards=wards(2), actor=OPERATOR)
    assert store.head() == head
    assert count(store, schema.ward_boundaries) == 12
    # the next edition, starting the day after
    import_edition(store, name="2025b", valid_from="2025-07-01", valid_to=None,
                   source_sha256="d" * 64, wards=wards(6, "X"), actor=ADMIN)
    assert [e.name for e, _ in load_editions(store)] == ["2025a", "2025b"]


def test_a_failure_while_storing_polygons_leaves_nothing(store: EventStore) -> None:
    with store.engine.begin() as conn:  # the polygon insert, after the event, will fail
        conn.execute(text("DROP TABLE ward_boundaries"))
    with pytest.raises(StoreUnavailable):
        import_edition(store, name="e", valid_from="2025-01-01", valid_to=None,
                       source_sha256="e" * 64, wards=wards(3), actor=ADMIN)
    assert store.head()[0] == 0
    assert count(store, schema.boundary_editions) == 0


def test_altered_polygon_is_found(store: EventStore) -> None:
    import_edition(store, name="e", valid_from="2025-01-01", valid_to=None,
                   source_sha256="f" * 64, wards=wards(3), actor=ADMIN)
    moved = shapely.to_wkb(box(106.0, 10.0, 106.1, 10.1))
    with store.engine.begin() as conn:
        conn.execute(schema.ward_boundaries.update()
                     .where(schema.ward_boundaries.c.code == "P2")
                     .values(geometry_wkb=moved))
    assert verify_polygons(store) == [
        "edition e: the polygon of ward P2 was altered after its import (event 1)"]
