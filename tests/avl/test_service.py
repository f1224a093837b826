"""gvcommand-avl over real HTTP on loopback (aiohttp), into SQLite and PostgreSQL: the
clients' documented requests are taken, refusals get the status the clients expect and are
never stored, and a real day of bus AVL replays to exactly its distinct fixes."""

from __future__ import annotations

import asyncio
import csv
import http.client
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlencode

import pytest
from aiohttp import web

from gvcommand.avl.ingest import Ingest, Settings
from gvcommand.avl.server import MAX_BODY, make_app
from gvcommand.feeds.validate import DAY_US, Limits
from gvcommand.store.devices import register_device
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import latest_positions, track

from .._needs import SHARED_DATA
from .conftest import SUPERVISOR, seed

AUSTIN = SHARED_DATA / "gps" / "capmetro_austin_bus_avl_2016-05-30.csv"


class Service:
    """The aiohttp app on a free loopback port, in a thread of its own."""

    def __init__(self, ingest: Ingest, *, body_timeout_s: float = 10.0) -> None:
        self.ingest = ingest
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(make_app(ingest, body_timeout_s=body_timeout_s),
                                    access_log=None)
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.runner.setup())
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            self.loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(10)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        self.conn.request(method, path, body=body, headers=headers or {})
        reply = self.conn.getresponse()
        return reply.status, reply.read().decode()

    def close(self) -> None:
        self.conn.close()
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
        self.ingest.stop()


@pytest.fixture
def service(store: EventStore) -> Iterator[Service]:
    seed(store)
    register_device(store, "123456", "U1", None, SUPERVISOR)
    register_device(store, "keyed-1", "U2", "khoá-bí-mật-01", SUPERVISOR)
    register_device(store, "jane/phone", "U3", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(batch_wait_s=0.005))
    ingest.start()
    svc = Service(ingest, body_timeout_s=0.5)
    yield svc
    svc.close()


def stored(store: EventStore) -> dict[str, list[tuple[float, float, int]]]:
    with store.engine.connect() as conn:
        rows = track(conn, None, 0, 2**62)
    out: dict[str, list[tuple[float, float, int]]] = {}
    for r in rows:
        out.setdefault(r.unit, []).append((r.lon, r.lat, r.device_time_us))
    return out


def test_clients_requests_are_taken(service: Service, store: EventStore) -> None:
    now = int(time.time())
    # OsmAnd as Traccar Client sends it: GET with a query string
    status, _ = service.request("GET", "/?" + urlencode(
        {"id": "123456", "lat": 10.8381, "lon": 106.6652, "timestamp": now - 60, "speed": 10,
         "bearing": 90, "altitude": 12, "accuracy": 8, "batt": 87}))
    assert status == 200
    # the same as a form POST, one minute later
    status, _ = service.request("POST", "/", urlencode(
        {"id": "123456", "lat": 10.8391, "lon": 106.6662, "timestamp": now}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    # Traccar Client 9+: JSON, with the device's secret in the URL
    body = {"device_id": "keyed-1", "location": {
        "timestamp": datetime.fromtimestamp(now).astimezone().isoformat(),
        "coords": {"latitude": 10.84, "longitude": 106.67, "speed": 5, "heading": 180,
                   "accuracy": 5}, "battery": {"level": 0.5}}}
    status, _ = service.request("POST", "/?" + urlencode({"key": "khoá-bí-mật-01"}),
                                json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert status == 200
    # OwnTracks over HTTP: user/device from the headers, a JSON array back
    status, reply = service.request("POST", "/owntracks", json.dumps(
        {"_type": "location", "lat": 10.85, "lon": 106.68, "tst": now, "vel": 30, "batt": 70,
         "tid": "J1"}).encode(), {"X-Limit-U": "jane", "X-Limit-D": "phone",
                                  "Content-Type": "application/json"})
    assert (status, json.loads(reply)) == (200, [])
    assert service.ingest.flush(10)
    got = stored(store)
    assert got["U1"] == [(106.6652, 10.8381, (now - 60) * 1_000_000),
                         (106.6662, 10.8391, now * 1_000_000)]
    assert got["U2"] == [(106.67, 10.84, now * 1_000_000)]
    assert got["U3"] == [(106.68, 10.85, now * 1_000_000)]
    with store.engine.connect() as conn:
        latest = {f.unit: f for f in latest_positions(conn)}
    assert latest["U2"].speed_kmh == pytest.approx(18.0)  # 5 m/s
    assert latest["U3"].speed_kmh == 30 and latest["U3"].battery_pct == 70
    status, reply = service.request("GET", "/status")
    assert json.loads(reply)["counts"]["stored"] == 4


def test_refusals_are_answered_counted_and_not_stored(service: Service,
                                                      store: EventStore) -> None:
    now = int(time.time())
    fix = {"lat": 10.8, "lon": 106.6, "timestamp": now}
    cases = [
        ("GET", "/?" + urlencode({"id": "stranger", **fix}), None, 400),  # unknown device
        ("GET", "/?" + urlencode({"id": "keyed-1", **fix}), None, 403),  # no secret
        ("GET", "/?" + urlencode({"id": "keyed-1", "key": "sai-khoá", **fix}), None, 403),
        ("GET", "/?" + urlencode({"id": "123456", "lat": "abc", "lon": 1}), None, 400),
        ("GET", "/?" + urlencode({"id": "123456", "lat": 95, "lon": 1}), None, 400),
        ("POST", "/", b"{not json", 400),
        ("POST", "/", b"x" * (MAX_BODY + 1), 413),
        ("POST", "/owntracks", b'{"_type": "location", "lat": 1, "lon": 2, "tst": 1}', 400),
    ]
    for method, path, body, want in cases:
        status, text = service.request(method, path, body)
        assert status == want, (path, text)
        assert text.strip()
    # usable requests whose fix is not: 200 (the phone must not retry it forever), not stored
    for fields in ({"timestamp": now + 3600}, {"timestamp": now - 30 * 86400},
                   {"lat": 0, "lon": 0}):
        status, _ = service.request("GET", "/?" + urlencode({"id": "123456", **fix, **fields}))
        assert status == 200
    status, reply = service.request("POST", "/owntracks", json.dumps(
        {"_type": "transition", "event": "enter"}).encode(),
        {"X-Limit-U": "jane", "X-Limit-D": "phone"})
    assert (status, reply.strip()) == (200, "[]")
    assert service.ingest.flush(10)
    assert stored(store) == {}
    counts = service.ingest.counts
    assert counts["refused:unknown-device"] == 1 and counts["refused:bad-secret"] == 2
    assert counts["refused:future"] == 1 and counts["refused:too-old"] == 1
    assert counts["refused:null-island"] == 1 and counts["taken"] == 0


@pytest.mark.shared_data(AUSTIN)
def test_replaying_a_day_of_bus_avl_stores_each_distinct_fix_once(
    store: EventStore,
) -> None:
    rows = list(csv.DictReader(AUSTIN.open()))
    seed(store, units=16)
    vehicles = sorted({r["vehicle_id"] for r in rows})
    for i, vehicle in enumerate(vehicles, start=1):
        register_device(store, vehicle, f"U{i}", None, SUPERVISOR)
    # fixes from 2016: the age limit is a setting
    ingest = Ingest(store.engine, Settings(limits=Limits(max_age_us=20 * 365 * DAY_US)))
    ingest.start()
    svc = Service(ingest)
    try:
        for r in rows:  # as a phone would send them, speed in knots (the file has m/s)
            query = urlencode({"id": r["vehicle_id"], "lat": r["latitude"],
                               "lon": r["longitude"], "timestamp": r["timestamp"],
                               "speed": float(r["speed"]) * 3.6 / 1.852,
                               "route": r["route_id"]})
            status, _ = svc.request("GET", "/?" + query)
            assert status == 200
        assert ingest.flush(30)
    finally:
        svc.close()
    want = {(r["vehicle_id"], datetime.fromisoformat(r["timestamp"]).timestamp(),
             float(r["longitude"]), float(r["latitude"])) for r in rows}
    assert len(want) == 7314
    unit_of = {f"U{i}": v for i, v in enumerate(vehicles, start=1)}
    got = stored(store)
    flat = [(unit_of[u], t / 1e6, lon, lat) for u, fixes in got.items() for lon, lat, t in fixes]
    assert len(flat) == 7314
    for fixes in got.values():
        times = [t for _lon, _lat, t in fixes]
        assert times == sorted(times)
    by_key = {(v, t): (lon, lat) for v, t, lon, lat in want}
    for v, t, lon, lat in flat:
        wlon, wlat = by_key[(v, t)]
        assert abs(lon - wlon) < 1e-6 and abs(lat - wlat) < 1e-6
    assert ingest.counts["duplicate"] == 11071 - 7314


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_database_away_fixes_wait_and_nothing_is_lost(service: Service, store: EventStore,
                                                      db_url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    name = url.database
    admin = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                            dbname="postgres", autocommit=True)
    now = int(time.time())

    def send(i: int) -> int:
        status, _ = service.request("GET", "/?" + urlencode(
            {"id": "123456", "lat": 10.83 + i / 1e4, "lon": 106.66, "timestamp": now - 100 + i}))
        return status

    try:
        assert send(0) == 200 and service.ingest.flush(10)
        # the database goes away: no new connections, the existing ones cut
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        assert [send(i) for i in range(1, 21)] == [200] * 20  # still taken, into the queue
        deadline = time.monotonic() + 10
        while service.ingest.database_ok and time.monotonic() < deadline:
            time.sleep(0.05)
        status = json.loads(service.request("GET", "/status")[1])
        assert status["database_ok"] is False and status["queued"] == 20
        assert status["last_error"]
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
    assert service.ingest.flush(30)  # back: everything that waited is stored, once
    assert service.ingest.database_ok
    got = stored(store)["U1"]
    assert [round(lat, 4) for _lon, lat, _t in got] == [round(10.83 + i / 1e4, 4)
                                                        for i in range(21)]


def test_retention_is_a_setting(store: EventStore) -> None:
    from gvcommand.core.fix import Fix
    from gvcommand.store.positions import store_fixes

    now_us = int(time.time() * 1e6)
    day = 86_400 * 1_000_000
    store_fixes(store.engine, [(Fix("a", now_us - 40 * day, 106.6, 10.8, "osmand"), "U1"),
                               (Fix("a", now_us - 10 * day, 106.6, 10.8, "osmand"), "U1"),
                               (Fix("a", now_us - day, 106.6, 10.8, "osmand"), "U1")])
    keep_all = Ingest(store.engine, Settings(retention_days=None))
    assert keep_all.prune_now() == 0
    month = Ingest(store.engine, Settings(retention_days=30))
    assert month.prune_now() == 1
    assert len(stored(store)["U1"]) == 2


def test_a_slow_client_is_cut_off_and_others_are_served(service: Service) -> None:
    import socket

    slow = socket.create_connection(("127.0.0.1", service.port), timeout=10)
    try:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nid=1")
        # meanwhile another phone is served at once
        status, _ = service.request("GET", "/?" + urlencode(
            {"id": "123456", "lat": 10.8, "lon": 106.6}))
        assert status == 200
        reply = slow.recv(4096).decode("latin-1")
        assert reply.startswith("HTTP/1.1 408")
    finally:
        slow.close()


def test_owntracks_user_and_device_from_the_query(service: Service, store: EventStore) -> None:
    now = int(time.time())
    status, reply = service.request("POST", "/owntracks?u=jane&d=phone", json.dumps(
        {"_type": "location", "lat": 10.85, "lon": 106.68, "tst": now}).encode())
    assert (status, reply.strip()) == (200, "[]")
    assert service.ingest.flush(10)
    assert stored(store)["U3"] == [(106.68, 10.85, now * 1_000_000)]


def test_refusals_are_logged_with_their_reason(service: Service,
                                               caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="gvcommand.avl.ingest"):
        service.request("GET", "/?" + urlencode({"id": "stranger", "lat": 10.8, "lon": 106.6}))
        service.request("GET", "/?" + urlencode({"id": "123456", "lat": "x", "lon": 106.6}))
    lines = [r.getMessage() for r in caplog.records]
    assert any("unknown-device" in m and "stranger" in m for m in lines), lines
    assert any("bad-number" in m and "123456" in m for m in lines), lines


def test_address_allow_list(store: EventStore) -> None:
    import ipaddress

    seed(store)
    register_device(store, "123456", "U1", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(allow=[ipaddress.ip_network("10.0.0.0/8")]))
    ingest.start()
    svc = Service(ingest)
    try:
        status, text = svc.request("GET", "/?" + urlencode(
            {"id": "123456", "lat": 10.8, "lon": 106.6}))
        assert status == 403 and "127.0.0.1" in text
        assert ingest.counts["refused:address-not-allowed"] == 1
    finally:
        svc.close()
    assert stored(store) == {}


def test_a_full_queue_says_come_back_later_and_loses_nothing(store: EventStore) -> None:
    seed(store)
    register_device(store, "123456", "U1", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(queue_max=3))  # the writer not started yet
    svc = Service(ingest)
    now = int(time.time())
    try:
        answers = [svc.request("GET", "/?" + urlencode(
            {"id": "123456", "lat": 10.8 + i / 1000, "lon": 106.6, "timestamp": now - 10 + i}))
            for i in range(5)]
        assert [a[0] for a in answers] == [200, 200, 200, 503, 503]
        assert "try again" in answers[3][1]
        assert ingest.counts["queue-full"] == 2
        ingest.start()  # the writer catches up; the phone resends what was refused
        assert ingest.flush(10)
        for i in (3, 4):
            assert svc.request("GET", "/?" + urlencode(
                {"id": "123456", "lat": 10.8 + i / 1000, "lon": 106.6,
                 "timestamp": now - 10 + i}))[0] == 200
        assert ingest.flush(10)
    finally:
        svc.close()
    assert len(stored(store)["U1"]) == 5
