"""OwnTracks location messages, over HTTP or MQTT.

A message is a JSON object; only ``"_type": "location"`` carries a fix::

    {"_type": "location", "lat": 10.8381, "lon": 106.6652, "tst": 1716200000, "acc": 8,
     "vel": 23, "cog": 90, "alt": 12, "batt": 87, "tid": "P1"}

``vel`` is km/h, ``cog`` degrees, ``batt`` percent. The device is named by its user and
device: over HTTP from the ``X-Limit-U``/``X-Limit-D`` headers (or ``?u=&d=``), over MQTT from
the topic ``owntracks/<user>/<device>``. gvcommand calls it ``<user>/<device>``.
"""

from __future__ import annotations

from typing import Any

from ..core.fix import (
    Fix,
    FixRefused,
    battery_percent,
    normalised_heading,
    number,
    optional_number,
    parse_time_us,
)

TOPIC_PREFIX = "owntracks/"
_KNOWN = frozenset({"_type", "lat", "lon", "tst", "acc", "vel", "cog", "alt", "batt"})


def device_of_topic(topic: str) -> str:
    """``owntracks/<user>/<device>`` → ``<user>/<device>``; other topics are refused."""
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != TOPIC_PREFIX.rstrip("/") or not parts[1] or not parts[2]:
        raise FixRefused("bad-topic", f"not an OwnTracks location topic: {topic!r}")
    return f"{parts[1]}/{parts[2]}"


def device_name(user: str | None, device: str | None) -> str:
    if not user or not device:
        raise FixRefused("no-device", "OwnTracks user and device are missing "
                                      "(X-Limit-U/X-Limit-D headers or ?u=&d=)")
    return f"{user}/{device}"


def parse_owntracks(message: object, device_id: str, *, source: str,
                    secret: str | None = None) -> Fix | None:
    """The fix in a message, or None for the message types that carry none (transition,
    waypoint, card, lwt …: acknowledged, not stored)."""
    if not isinstance(message, dict):
        raise FixRefused("bad-json", "the OwnTracks message is not a JSON object")
    kind = message.get("_type")
    if kind != "location":
        if isinstance(kind, str):
            return None
        raise FixRefused("bad-json", "the OwnTracks message has no _type")
    if "lat" not in message or "lon" not in message:
        raise FixRefused("no-position", "the OwnTracks location has no lat/lon")
    if "tst" not in message:
        raise FixRefused("bad-time", "the OwnTracks location has no tst")
    velocity = optional_number(message.get("vel"), "vel")
    accuracy = optional_number(message.get("acc"), "acc")
    attributes: dict[str, Any] = {k: v for k, v in message.items() if k not in _KNOWN}
    return Fix(
        device_id=device_id,
        device_time_us=parse_time_us(message["tst"]),
        lon=number(message["lon"], "lon"),
        lat=number(message["lat"], "lat"),
        source=source,
        speed_kmh=None if velocity is None or velocity < 0 else velocity,
        heading=normalised_heading(optional_number(message.get("cog"), "cog")),
        altitude_m=optional_number(message.get("alt"), "alt"),
        accuracy_m=accuracy if accuracy is not None and accuracy >= 0 else None,
        battery_pct=battery_percent(optional_number(message.get("batt"), "batt"),
                                    fraction=False),
        attributes=attributes,
        secret=secret,
    )
