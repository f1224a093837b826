"""The OsmAnd protocol as Traccar Client sends it, and the JSON form of Traccar Client 9+.

OsmAnd: any HTTP method; the fields come in the query string or a form body::

    GET /?id=123456&lat=10.8381&lon=106.6652&timestamp=1716200000&speed=12.5&bearing=90
        &altitude=12&accuracy=8&batt=87

``id`` or ``deviceid``; ``lat``/``lon`` or ``location=lat,lon``; ``timestamp`` as Unix seconds
or milliseconds, ISO 8601 or ``yyyy-MM-dd HH:mm:ss``; ``speed`` in knots; ``bearing`` or
``heading``; ``altitude``; ``accuracy`` or ``hdop``; ``batt``. Other keys are kept as
attributes. The device's secret, when it has one, comes as ``key`` (put
``?key=SECRET`` at the end of the server URL in Traccar Client: it keeps that query and adds
its own fields).

Traccar Client 9+ posts JSON instead::

    {"device_id": "123456",
     "location": {"timestamp": "2024-05-20T10:13:20.000Z", "is_moving": true,
                  "event": "motionchange",
                  "coords": {"latitude": 10.8381, "longitude": 106.6652, "accuracy": 8,
                             "speed": 3.5, "heading": 90, "altitude": 12},
                  "battery": {"level": 0.87, "is_charging": false}}}

with speed in m/s and battery level in 0–1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fix import (
    KNOTS_TO_KMH,
    MS_TO_KMH,
    Fix,
    FixRefused,
    battery_percent,
    normalised_heading,
    number,
    optional_number,
    parse_time_us,
)

_KNOWN = frozenset({"id", "deviceid", "lat", "lon", "location", "timestamp", "speed", "bearing",
                    "heading", "altitude", "accuracy", "hdop", "batt", "key"})


def parse_osmand(fields: Mapping[str, str], *, now_us: int) -> Fix:
    """One fix from the query/form fields of an OsmAnd request. A request without a
    timestamp is taken as "now" (some clients omit it)."""
    device = (fields.get("id") or fields.get("deviceid") or "").strip()
    if not device:
        raise FixRefused("no-device", "the request carries no id (or deviceid)")
    if "location" in fields and not ("lat" in fields and "lon" in fields):
        parts = fields["location"].split(",")
        if len(parts) != 2:
            raise FixRefused("bad-location", f"location is not 'lat,lon': {fields['location']!r}")
        lat_text, lon_text = parts
    else:
        lat_text, lon_text = fields.get("lat", ""), fields.get("lon", "")
    if lat_text == "" or lon_text == "":
        raise FixRefused("no-position", "the request carries no lat/lon (or location)")
    lat, lon = number(lat_text, "lat"), number(lon_text, "lon")
    stamp = fields.get("timestamp")
    time_us = parse_time_us(stamp) if stamp not in (None, "") else now_us
    speed = optional_number(fields.get("speed"), "speed")
    heading = optional_number(fields.get("bearing", fields.get("heading")), "bearing")
    accuracy = optional_number(fields.get("accuracy"), "accuracy")
    attributes: dict[str, Any] = {k: v for k, v in fields.items() if k not in _KNOWN}
    hdop = optional_number(fields.get("hdop"), "hdop")
    if hdop is not None:
        attributes["hdop"] = hdop
    return Fix(
        device_id=device,
        device_time_us=time_us,
        lon=lon,
        lat=lat,
        source="osmand",
        speed_kmh=None if speed is None or speed < 0 else speed * KNOTS_TO_KMH,
        heading=normalised_heading(heading),
        altitude_m=optional_number(fields.get("altitude"), "altitude"),
        accuracy_m=accuracy if accuracy is not None and accuracy >= 0 else None,
        battery_pct=battery_percent(optional_number(fields.get("batt"), "batt"), fraction=False),
        attributes=attributes,
        secret=fields.get("key") or None,
    )


def parse_traccar_json(body: object, *, secret: str | None = None) -> Fix:
    """One fix from the JSON that Traccar Client 9+ posts."""
    if not isinstance(body, dict):
        raise FixRefused("bad-json", "the JSON body is not an object")
    device = str(body.get("device_id") or "").strip()
    if not device:
        raise FixRefused("no-device", "the JSON carries no device_id")
    location = body.get("location")
    if not isinstance(location, dict):
        raise FixRefused("no-position", "the JSON carries no location object")
    coords = location.get("coords")
    if not isinstance(coords, dict) or "latitude" not in coords or "longitude" not in coords:
        raise FixRefused("no-position", "location.coords has no latitude/longitude")
    battery = location.get("battery")
    level = battery.get("level") if isinstance(battery, dict) else None
    speed = optional_number(coords.get("speed"), "speed")
    accuracy = optional_number(coords.get("accuracy"), "accuracy")
    attributes: dict[str, Any] = {}
    for key in ("is_moving", "event", "odometer"):
        if key in location:
            attributes[key] = location[key]
    if isinstance(battery, dict) and "is_charging" in battery:
        attributes["charging"] = battery["is_charging"]
    return Fix(
        device_id=device,
        device_time_us=parse_time_us(location.get("timestamp")),
        lon=number(coords["longitude"], "longitude"),
        lat=number(coords["latitude"], "latitude"),
        source="traccar-json",
        speed_kmh=None if speed is None or speed < 0 else speed * MS_TO_KMH,
        heading=normalised_heading(optional_number(coords.get("heading"), "heading")),
        altitude_m=optional_number(coords.get("altitude"), "altitude"),
        accuracy_m=accuracy if accuracy is not None and accuracy >= 0 else None,
        battery_pct=battery_percent(optional_number(level, "battery.level"), fraction=True),
        attributes=attributes,
        secret=secret,
    )
