"""Devices and positions in the store, on SQLite and PostgreSQL: the secret beside the log,
one row per device and device time, the latest fix moving only forward, tracks in order."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from gvcommand.core.fix import Fix
from gvcommand.core.state import replay
from gvcommand.store import schema
from gvcommand.store.devices import active_devices, register_device, retire_device, secret_matches
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import (
    last_position_id,
    latest_positions,
    prune,
    store_fixes,
    track,
)

from .conftest import ADMIN, SUPERVISOR, seed

T0 = 1_716_200_000_000_000
S = 1_000_000


def fix(device: str, t_s: int, lon: float = 106.66, lat: float = 10.83, **kw: object) -> Fix:
    return Fix(device, T0 + t_s * S, lon, lat, "osmand", **kw)  # type: ignore[arg-type]


def test_devices_register_with_secret_beside_the_log(store: EventStore) -> None:
    seed(store)
    result = register_device(store, "phone-1", "U1", "mật-khẩu-dài", SUPERVISOR)
    assert result.events[0].payload == {"device_id": "phone-1", "unit": "U1", "has_secret": True}
    register_device(store, "phone-2", "U2", None, ADMIN)
    with store.engine.connect() as conn:
        devices = active_devices(conn)
        log_text = " ".join(str(e.payload) for e in store.iter_events())
    assert set(devices) == {"phone-1", "phone-2"}
    one = devices["phone-1"]
    assert (one.unit, one.has_secret) == ("U1", True) and one.secret_hash
    assert secret_matches(one.secret_hash or "", "mật-khẩu-dài")
    assert not secret_matches(one.secret_hash or "", "sai")
    assert not secret_matches(one.secret_hash or "", None)
    assert "mật-khẩu-dài" not in log_text and (one.secret_hash or "") not in log_text
    # shift change: the phone goes to U3 without a secret; the old hash goes
    register_device(store, "phone-1", "U3", None, SUPERVISOR)
    retire_device(store, "phone-2", SUPERVISOR)
    with store.engine.connect() as conn:
        devices = active_devices(conn)
        secrets = conn.execute(select(func.count()).select_from(schema.device_secrets)).scalar()
    assert list(devices) == ["phone-1"] and devices["phone-1"].unit == "U3"
    assert not devices["phone-1"].has_secret and secrets == 0
    assert store.projections().comparable() == replay(store.iter_events()).comparable()


def test_repeats_stored_once_late_fixes_do_not_move_the_unit(store: EventStore) -> None:
    batch = [(fix("d1", 10, 106.661), "U1"), (fix("d1", 20, 106.662), "U1"),
             (fix("d1", 20, 106.662), "U1"),  # a repeat within the batch
             (fix("d2", 15), "U2")]
    first = store_fixes(store.engine, batch)
    assert (first.stored, first.duplicates, first.moved) == (3, 1, ("U1", "U2"))
    again = store_fixes(store.engine, [(fix("d1", 20, 106.662), "U1"),  # a retried request
                                       (fix("d1", 5, 106.650), "U1")])  # late, from a buffer
    assert (again.stored, again.duplicates, again.moved) == (1, 1, ())
    with store.engine.connect() as conn:
        latest = {f.unit: f for f in latest_positions(conn)}
        assert latest["U1"].lon == 106.662 and latest["U1"].device_time_us == T0 + 20 * S
        marker = last_position_id(conn)
        assert latest_positions(conn, after_id=marker) == []
        rows = track(conn, ["U1"], T0, T0 + 60 * S)
    assert [r.device_time_us for r in rows] == [T0 + 5 * S, T0 + 10 * S, T0 + 20 * S]
    moved = store_fixes(store.engine, [(fix("d1", 30, 106.663, speed_kmh=32.5, heading=90.0,
                                            battery_pct=80.0, attributes={"hdop": 0.9}),
                                        "U1")])
    assert moved.moved == ("U1",)
    with store.engine.connect() as conn:
        (changed,) = latest_positions(conn, after_id=marker)
        attributes = conn.execute(select(schema.positions.c.attributes)
                                  .where(schema.positions.c.id == changed.id)).scalar()
    assert (changed.unit, changed.lon, changed.speed_kmh, changed.heading,
            changed.battery_pct) == ("U1", 106.663, 32.5, 90.0, 80.0)
    assert attributes == '{"hdop": 0.9}'


def test_track_of_all_units_and_retention(store: EventStore) -> None:
    store_fixes(store.engine, [(fix("d2", 3), "U2"), (fix("d1", 2), "U1"), (fix("d1", 1), "U1"),
                               (fix("d1", 100), "U1")])
    with store.engine.connect() as conn:
        everything = track(conn, None, T0, T0 + 1000 * S)
    assert [(r.unit, r.device_time_us - T0) for r in everything] == [
        ("U1", 1 * S), ("U1", 2 * S), ("U1", 100 * S), ("U2", 3 * S)]
    # retention: old fixes go, each unit's latest stays even when old
    assert prune(store.engine, T0 + 50 * S) == 2
    with store.engine.connect() as conn:
        left = track(conn, None, T0, T0 + 1000 * S)
    assert [(r.unit, r.device_time_us - T0) for r in left] == [("U1", 100 * S), ("U2", 3 * S)]


def test_position_feed_reports_each_move_once(store: EventStore) -> None:
    from gvcommand.store.position_feed import PositionFeed

    got: list[list[str]] = []
    feed = PositionFeed(store.engine, lambda fixes: got.append([f.unit for f in fixes]))
    assert feed.poll() == []
    store_fixes(store.engine, [(fix("d1", 10), "U1"), (fix("d2", 10), "U2")])
    assert sorted(f.unit for f in feed.poll()) == ["U1", "U2"]
    assert feed.poll() == []  # nothing new
    store_fixes(store.engine, [(fix("d1", 5), "U1")])  # late: the unit does not move
    assert feed.poll() == []
    store_fixes(store.engine, [(fix("d2", 20, 106.7), "U2")])
    (moved,) = feed.poll()
    assert (moved.unit, moved.lon) == ("U2", 106.7)
    # the thread delivers what the poll finds
    feed.start()
    try:
        store_fixes(store.engine, [(fix("d1", 30), "U1")])
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        feed.stop()
    assert got == [["U1"]]


def test_position_feed_polls_at_most_ten_times_a_second(store: EventStore) -> None:
    from gvcommand.store.position_feed import PositionFeed

    assert PositionFeed(store.engine, lambda fixes: None, interval_s=0.001).interval_s == 0.1
