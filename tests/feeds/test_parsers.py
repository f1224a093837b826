"""What the phone clients send, as their documentation shows it, turned into fixes in one
set of units (km/h, degrees, metres, percent, µs UTC); refusals name what was wrong."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from gvcommand.core.fix import FixRefused, parse_time_us
from gvcommand.feeds.osmand import parse_osmand, parse_traccar_json
from gvcommand.feeds.owntracks import device_name, device_of_topic, parse_owntracks
from gvcommand.feeds.validate import DAY_US, MINUTE_US, Limits, check

NOW = 1_716_200_000_000_000


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_traccar_documented_osmand_request() -> None:
    # the request form in Traccar's OsmAnd protocol page
    fix = parse_osmand(query("http://demo.traccar.org:5055/?id=123456&lat=10.8381&lon=106.6652"
                             "&timestamp=1716200000&hdop=0.9&altitude=12.5&speed=10"), now_us=NOW)
    assert fix.device_id == "123456"
    assert (fix.lat, fix.lon) == (10.8381, 106.6652)
    assert fix.device_time_us == 1_716_200_000_000_000
    assert fix.speed_kmh == pytest.approx(18.52)  # 10 knots
    assert fix.altitude_m == 12.5
    assert fix.attributes == {"hdop": 0.9}
    assert fix.source == "osmand"


@pytest.mark.parametrize(("stamp", "expected"), [
    ("1716200000", 1_716_200_000_000_000),
    ("1716200000123", 1_716_200_000_123_000),  # milliseconds
    ("1716200000.5", 1_716_200_000_500_000),
    ("2024-05-20T10:13:20Z", 1_716_200_000_000_000),
    ("2024-05-20T17:13:20+07:00", 1_716_200_000_000_000),
    ("2024-05-20T10:13:20.250Z", 1_716_200_000_250_000),
    ("2024-05-20 10:13:20", 1_716_200_000_000_000),  # UTC
])
def test_time_forms(stamp: str, expected: int) -> None:
    assert parse_time_us(stamp) == expected


def test_osmand_alternatives_and_extras() -> None:
    fix = parse_osmand({"deviceid": "P1", "location": "10.84,106.66", "heading": "-1",
                        "accuracy": "12", "batt": "55.5", "key": "s3cret", "charge": "true",
                        "driverUniqueId": "x"}, now_us=NOW)
    assert (fix.device_id, fix.lat, fix.lon) == ("P1", 10.84, 106.66)
    assert fix.device_time_us == NOW  # no timestamp: now
    assert fix.heading is None  # -1: unknown
    assert fix.accuracy_m == 12.0 and fix.battery_pct == 55.5
    assert fix.secret == "s3cret" and "key" not in fix.attributes
    assert fix.attributes == {"charge": "true", "driverUniqueId": "x"}
    assert parse_osmand({"id": "P1", "lat": "1", "lon": "2", "bearing": "370"},
                        now_us=NOW).heading == 10.0


@pytest.mark.parametrize(("fields", "reason"), [
    ({"lat": "10", "lon": "106"}, "no-device"),
    ({"id": "P1", "lat": "10"}, "no-position"),
    ({"id": "P1", "location": "10;106"}, "bad-location"),
    ({"id": "P1", "lat": "ten", "lon": "106"}, "bad-number"),
    ({"id": "P1", "lat": "nan", "lon": "106"}, "bad-number"),
    ({"id": "P1", "lat": "10", "lon": "106", "timestamp": "yesterday"}, "bad-time"),
    ({"id": "P1", "lat": "10", "lon": "106", "speed": "fast"}, "bad-number"),
])
def test_osmand_refusals(fields: dict[str, str], reason: str) -> None:
    with pytest.raises(FixRefused) as refused:
        parse_osmand(fields, now_us=NOW)
    assert refused.value.reason == reason
    assert str(refused.value)


def test_traccar_client_json() -> None:
    body = {"device_id": "123456",
            "location": {"timestamp": "2024-05-20T10:13:20.000Z", "is_moving": True,
                         "event": "motionchange", "odometer": 1200.5,
                         "coords": {"latitude": 10.8381, "longitude": 106.6652, "accuracy": 8,
                                    "speed": 5, "heading": 90, "altitude": 12},
                         "battery": {"level": 0.87, "is_charging": False}}}
    fix = parse_traccar_json(body)
    assert fix.device_id == "123456" and fix.source == "traccar-json"
    assert fix.device_time_us == 1_716_200_000_000_000
    assert fix.speed_kmh == pytest.approx(18.0)  # 5 m/s
    assert fix.battery_pct == pytest.approx(87.0)
    assert fix.heading == 90 and fix.accuracy_m == 8 and fix.altitude_m == 12
    assert fix.attributes == {"is_moving": True, "event": "motionchange", "odometer": 1200.5,
                              "charging": False}
    unknown = parse_traccar_json({**body, "location": {**body["location"], "coords": {
        "latitude": 10.8, "longitude": 106.6, "speed": -1, "heading": -1}}})
    assert unknown.speed_kmh is None and unknown.heading is None
    with pytest.raises(FixRefused, match="device_id"):
        parse_traccar_json({"location": body["location"]})
    with pytest.raises(FixRefused, match="latitude"):
        parse_traccar_json({"device_id": "1", "location": {"timestamp": 1, "coords": {}}})
    with pytest.raises(FixRefused):
        parse_traccar_json([1, 2])


def test_owntracks_documented_location() -> None:
    # the location example of the OwnTracks JSON documentation
    message = {"_type": "location", "acc": 14, "alt": 0, "batt": 100, "conn": "w",
               "lat": 52.3677, "lon": 4.8951, "tid": "JJ", "tst": 1477905271, "vac": 0,
               "vel": 36, "cog": 270}
    fix = parse_owntracks(message, device_name("jane", "phone"), source="owntracks-http")
    assert fix is not None
    assert fix.device_id == "jane/phone"
    assert fix.device_time_us == 1_477_905_271_000_000
    assert fix.speed_kmh == 36 and fix.heading == 270 and fix.battery_pct == 100
    assert fix.attributes == {"conn": "w", "tid": "JJ", "vac": 0}
    assert parse_owntracks({"_type": "transition", "event": "enter"}, "a/b",
                           source="owntracks-mqtt") is None
    assert device_of_topic("owntracks/jane/phone") == "jane/phone"
    for topic in ("owntracks/jane", "owntracks/jane/phone/event", "other/jane/phone"):
        with pytest.raises(FixRefused):
            device_of_topic(topic)
    with pytest.raises(FixRefused):
        device_name("jane", None)
    with pytest.raises(FixRefused, match="tst"):
        parse_owntracks({"_type": "location", "lat": 1, "lon": 2}, "a/b", source="x")


def test_validation() -> None:
    good = parse_osmand({"id": "P1", "lat": "10.8", "lon": "106.6"}, now_us=NOW)
    check(good, NOW)

    def reason(**fields: str) -> str:
        fix = parse_osmand({"id": "P1", "lat": "10.8", "lon": "106.6", **fields}, now_us=NOW)
        with pytest.raises(FixRefused) as refused:
            check(fix, NOW)
        return refused.value.reason

    assert reason(lat="91") == "out-of-range"
    assert reason(lon="-180.5") == "out-of-range"
    assert reason(lat="0", lon="0") == "null-island"
    assert reason(timestamp=str((NOW + 6 * MINUTE_US) // 1_000_000)) == "future"
    assert reason(timestamp=str((NOW - 8 * DAY_US) // 1_000_000)) == "too-old"
    assert reason(speed="200") == "implausible-speed"  # 370 km/h
    old = parse_osmand({"id": "P1", "lat": "10.8", "lon": "106.6",
                        "timestamp": str((NOW - 8 * DAY_US) // 1_000_000)}, now_us=NOW)
    check(old, NOW, Limits(max_age_us=10 * DAY_US))  # retention is a setting
