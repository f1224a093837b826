"""The centre's time: every time an officer or an administrator types without an offset,
and every time the product shows, is Gò Vấp's (Asia/Ho_Chi_Minh, UTC+7, no daylight
saving), whatever zone the machine's system is set to (servers are often installed in UTC).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CENTRE_TZ_NAME = "Asia/Ho_Chi_Minh"
try:
    CENTRE_TZ: dt.tzinfo = ZoneInfo(CENTRE_TZ_NAME)
except ZoneInfoNotFoundError:  # no tz database (Windows without the tzdata package)
    CENTRE_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")  # the same all year since 1975


def parse_centre_time(text: str) -> dt.datetime:
    """An ISO 8601 time ("2026-11-28 07:45", "2026-11-28T07:45:30", "…Z", "…+07:00"); one
    without an offset is the centre's time. Raises ValueError for anything else."""
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CENTRE_TZ)


def to_us(moment: dt.datetime) -> int:
    """Microseconds since the epoch (an aware time)."""
    return round(moment.timestamp() * 1_000_000)


def centre_datetime(us: int) -> dt.datetime:
    """A stored time (µs since the epoch) on the centre's clock."""
    return dt.datetime.fromtimestamp(us / 1e6, CENTRE_TZ)
