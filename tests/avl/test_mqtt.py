"""OwnTracks over MQTT through the real broker (Mosquitto on 127.0.0.1:1883, started by
scripts/test.sh where none runs): fixes are stored, a message is acknowledged only once
stored, and what was published while the service was away arrives when it comes back."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable

import paho.mqtt.client as mqtt
import pytest

from gvcommand.avl.ingest import Ingest, Settings
from gvcommand.avl.mqtt import OwnTracksMqtt
from gvcommand.store.devices import register_device
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import track

from .._needs import unavailable
from .conftest import SUPERVISOR, seed

# scripts/test.sh sets GVCOMMAND_TEST_MQTT (starting a broker where none runs): then a
# broker that does not answer is a failure, not a skip
REQUIRED = "GVCOMMAND_TEST_MQTT" in os.environ
BROKER = os.environ.get("GVCOMMAND_TEST_MQTT", "127.0.0.1:1883")
HOST, _, PORT = BROKER.partition(":")


def _broker_up() -> bool:
    try:
        socket.create_connection((HOST, int(PORT)), timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not REQUIRED and not _broker_up(),
                                reason=f"no MQTT broker on {BROKER}")
# only for the sqlite backend: the broker path is the same whatever the database
pytestmark = [pytestmark, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def publish(topic: str, messages: list[dict[str, object]]) -> None:
    phone = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"phone-{uuid.uuid4()}")
    phone.connect(HOST, int(PORT))
    phone.loop_start()
    try:
        for m in messages:
            phone.publish(topic, json.dumps(m), qos=1).wait_for_publish(5)
    finally:
        phone.disconnect()
        phone.loop_stop()


def count(store: EventStore) -> int:
    with store.engine.connect() as conn:
        return len(track(conn, None, 0, 2**62))


def test_owntracks_over_the_broker_survives_the_service_going_away(store: EventStore) -> None:
    seed(store)
    user = f"u{uuid.uuid4().hex[:8]}"
    register_device(store, f"{user}/phone", "U1", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(batch_wait_s=0.005))
    ingest.start()
    client_id = f"gvcommand-avl-test-{uuid.uuid4().hex[:8]}"
    service = OwnTracksMqtt(ingest, HOST, int(PORT), client_id=client_id)
    service.start()
    try:
        assert service.connected.wait(10)
        now = int(time.time())
        publish(f"owntracks/{user}/phone", [
            {"_type": "location", "lat": 10.84, "lon": 106.66, "tst": now - 10, "vel": 20},
            {"_type": "transition", "event": "enter"},  # no fix: acknowledged, not stored
        ])
        publish(f"owntracks/{user}/other", [  # not registered: refused, never stored
            {"_type": "location", "lat": 10.84, "lon": 106.66, "tst": now}])
        publish(f"owntracks/{user}/phone", [b"not json".decode()])  # type: ignore[list-item]
        assert wait_for(lambda: count(store) == 1 and
                        ingest.counts["refused:unknown-device"] == 1)
        # the service goes away; the phone goes on publishing; the service comes back
        service.stop()
        publish(f"owntracks/{user}/phone", [
            {"_type": "location", "lat": 10.84 + i / 1000, "lon": 106.66, "tst": now + i}
            for i in range(1, 4)])
        service = OwnTracksMqtt(ingest, HOST, int(PORT), client_id=client_id)
        service.start()
        assert wait_for(lambda: count(store) == 4), count(store)
        with store.engine.connect() as conn:
            lats = [round(f.lat, 3) for f in track(conn, ["U1"], 0, 2**62)]
        assert lats == [10.84, 10.841, 10.842, 10.843]
    finally:
        service.stop()
        ingest.stop()
        # end the broker's persistent session so it does not pile up messages
        cleaner = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                              clean_session=True)
        cleaner.connect(HOST, int(PORT))
        cleaner.disconnect()


def _mosquitto() -> str | None:
    import shutil

    return shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/bin/mosquitto") if os.path.exists(p)), None)


def test_the_service_reconnects_when_the_broker_comes_back(store: EventStore,
                                                          tmp_path: object,
                                                          reserved_port: int) -> None:
    import subprocess
    from pathlib import Path

    binary = _mosquitto()
    if binary is None:
        unavailable("no mosquitto binary (scripts/setup.sh --dev installs the mosquitto "
                    "package)")
    port = reserved_port  # ours for the test: the broker leaves it and comes back to it
    conf = Path(str(tmp_path)) / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")

    def start_broker() -> subprocess.Popen[bytes]:
        broker = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        assert wait_for(lambda: _port_open(port), 5)
        assert broker.poll() is None  # this broker listens there, not one that was before
        return broker

    seed(store)
    register_device(store, "jane/phone", "U1", None, SUPERVISOR)
    ingest = Ingest(store.engine, Settings(batch_wait_s=0.005))
    ingest.start()
    broker = start_broker()
    service = OwnTracksMqtt(ingest, "127.0.0.1", port, client_id="gvcommand-avl-restart")
    service.start()
    try:
        assert service.connected.wait(10)
        now = int(time.time())
        _publish_to(port, [{"_type": "location", "lat": 10.84, "lon": 106.66, "tst": now - 5}])
        assert wait_for(lambda: count(store) == 1)
        broker.terminate()
        broker.wait(5)
        assert wait_for(lambda: not service.connected.is_set(), 5)
        broker = start_broker()  # back: the service reconnects and subscribes again
        assert service.connected.wait(20)
        _publish_to(port, [{"_type": "location", "lat": 10.85, "lon": 106.66, "tst": now}])
        assert wait_for(lambda: count(store) == 2)
    finally:
        service.stop()
        ingest.stop()
        broker.terminate()
        broker.wait(5)


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _publish_to(port: int, messages: list[dict[str, object]]) -> None:
    phone = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"phone-{uuid.uuid4()}")
    phone.connect("127.0.0.1", port)
    phone.loop_start()
    try:
        for m in messages:
            phone.publish("owntracks/jane/phone", json.dumps(m), qos=1).wait_for_publish(5)
    finally:
        phone.disconnect()
        phone.loop_stop()
