"""A position fix as the AVL service takes it in, whatever the client that sent it.

Units on the wire differ by protocol (OsmAnd speed in knots, Traccar JSON in m/s, OwnTracks
in km/h; battery 0–100 or 0–1); a :class:`Fix` is always in km/h, degrees, metres, percent
and microseconds since the epoch (UTC).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

KNOTS_TO_KMH = 1.852
MS_TO_KMH = 3.6


class FixRefused(ValueError):
    """Input that is not a usable fix. ``reason`` is a short machine-readable key (counted
    per reason); the message says what was wrong in words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Fix:
    device_id: str
    device_time_us: int
    lon: float
    lat: float
    source: str  # "osmand", "traccar-json", "owntracks-http", "owntracks-mqtt", "simulator"
    speed_kmh: float | None = None
    heading: float | None = None  # degrees from north, [0, 360)
    altitude_m: float | None = None
    accuracy_m: float | None = None
    battery_pct: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None  # what the device sent to prove itself; never stored


def number(value: object, name: str) -> float:
    """A finite float, or FixRefused naming the field."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise FixRefused("bad-number", f"{name} is not a number: {value!r}") from None
    if not math.isfinite(x):
        raise FixRefused("bad-number", f"{name} is not a finite number: {value!r}")
    return x


def optional_number(value: object, name: str) -> float | None:
    if value is None or value == "":
        return None
    return number(value, name)


_NUMERIC = re.compile(r"^[+-]?\d+(\.\d*)?$")


def parse_time_us(value: object) -> int:
    """Unix seconds or milliseconds (numbers or digit strings; milliseconds when the value
    is beyond 2^31 s, as Traccar decides), ISO 8601 (with offset, or UTC without one), or
    ``yyyy-MM-dd HH:mm:ss`` (UTC)."""
    if isinstance(value, bool):
        raise FixRefused("bad-time", f"time is not a time: {value!r}")
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMERIC.match(value)):
        t = number(value, "timestamp")
        if abs(t) >= 2**31:  # milliseconds
            return round(t * 1000)
        return round(t * 1_000_000)
    if not isinstance(value, str) or not value.strip():
        raise FixRefused("bad-time", f"time is missing or not a time: {value!r}")
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)  # also takes "yyyy-MM-dd HH:mm:ss"
    except ValueError:
        raise FixRefused("bad-time", f"time is not ISO 8601 nor Unix time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1_000_000)


def normalised_heading(value: float | None) -> float | None:
    """Degrees in [0, 360); negative values mean "unknown" in the clients."""
    if value is None or value < 0:
        return None
    return value % 360.0


def battery_percent(value: float | None, *, fraction: bool) -> float | None:
    if value is None or value < 0:
        return None
    pct = value * 100.0 if fraction else value
    return min(pct, 100.0)
