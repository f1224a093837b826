"""OwnTracks over MQTT (paho-mqtt): subscribe to ``owntracks/+/+`` with QoS 1 on a
persistent session, and acknowledge a message only once its fix is stored.

The broker keeps what it could not deliver while the service was away (persistent session),
and redelivers what was delivered but not acknowledged; paho reconnects by itself. So a
broker or a service that goes away and comes back loses nothing the broker had taken. The
broker authenticates the phones (user and password, ACL on their topic); this side takes
fixes only from devices in the register (``user/device``).
"""

from __future__ import annotations

import json
import logging
import threading

import paho.mqtt.client as mqtt

from ..core.fix import FixRefused
from ..feeds.owntracks import device_of_topic, parse_owntracks
from .ingest import Ingest, QueueFull

log = logging.getLogger(__name__)
TOPIC = "owntracks/+/+"


class OwnTracksMqtt:
    def __init__(self, ingest: Ingest, host: str = "127.0.0.1", port: int = 1883, *,
                 client_id: str = "gvcommand-avl", username: str | None = None,
                 password: str | None = None) -> None:
        self.ingest = ingest
        self.connected = threading.Event()  # connected and subscribed
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                  clean_session=False, manual_ack=True)
        if username:
            self.client.username_pw_set(username, password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.host, self.port = host, port

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, _userdata: object, _flags: object,
                    reason: mqtt.ReasonCode, _props: object) -> None:
        if reason.is_failure:
            log.error("MQTT broker %s:%d refused the connection: %s", self.host, self.port,
                      reason)
            return
        client.subscribe(TOPIC, qos=1)
        log.info("MQTT: subscribed to %s on %s:%d", TOPIC, self.host, self.port)

    def _on_subscribe(self, _client: mqtt.Client, _userdata: object, _mid: int,
                      reasons: list[mqtt.ReasonCode], _props: object) -> None:
        if any(r.is_failure for r in reasons):
            log.error("MQTT broker refused the subscription to %s: %s", TOPIC, reasons)
            return
        self.connected.set()  # subscribed: from now on nothing published is missed

    def _on_disconnect(self, _client: mqtt.Client, _userdata: object, _flags: object,
                       reason: mqtt.ReasonCode, _props: object) -> None:
        self.connected.clear()
        log.warning("MQTT broker %s:%d went away (%s); reconnecting", self.host, self.port,
                    reason)

    def _on_message(self, client: mqtt.Client, _userdata: object,
                    message: mqtt.MQTTMessage) -> None:
        def ack() -> None:
            client.ack(message.mid, message.qos)

        try:
            device = device_of_topic(message.topic)
            try:
                document = json.loads(message.payload)
            except (ValueError, UnicodeDecodeError) as exc:
                raise FixRefused("bad-json", f"the message is not JSON: {exc}") from None
            fix = parse_owntracks(document, device, source="owntracks-mqtt")
        except FixRefused as refused:
            self.ingest.refused(refused, message.topic, None)
            ack()  # a message that can never be a fix: not to be redelivered
            return
        if fix is None:
            ack()
            return
        try:
            self.ingest.take(fix, None, check_secret=False, on_stored=ack)
        except FixRefused:
            ack()  # counted and logged by take()
        except QueueFull:
            # not acknowledged: the broker redelivers it when the session resumes
            log.warning("MQTT message on %s not taken: the writer is behind", message.topic)
