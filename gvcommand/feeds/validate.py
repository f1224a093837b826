"""Checks on a fix before it is stored: a position on Earth, a plausible time and speed.

Duplicates (the same device and device time again) and fixes arriving out of order are not
refused here: the store keeps one row per device and device time, and a fix older than the
unit's latest one goes into the track without moving the unit back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.fix import Fix, FixRefused

MINUTE_US = 60_000_000
DAY_US = 24 * 60 * MINUTE_US


@dataclass(frozen=True, slots=True)
class Limits:
    max_future_us: int = 5 * MINUTE_US  # a phone's clock a little ahead
    max_age_us: int = 7 * DAY_US  # fixes buffered while the phone was offline
    max_speed_kmh: float = 300.0


def check(fix: Fix, now_us: int, limits: Limits = Limits()) -> None:
    """Raise FixRefused with the reason, or return for a usable fix."""
    if not (-90.0 <= fix.lat <= 90.0):
        raise FixRefused("out-of-range", f"latitude {fix.lat} is outside −90…90")
    if not (-180.0 <= fix.lon <= 180.0):
        raise FixRefused("out-of-range", f"longitude {fix.lon} is outside −180…180")
    if fix.lat == 0.0 and fix.lon == 0.0:
        raise FixRefused("null-island", "position 0,0: the device has no fix yet")
    if fix.device_time_us > now_us + limits.max_future_us:
        ahead_s = (fix.device_time_us - now_us) / 1e6
        raise FixRefused("future", f"the fix is {ahead_s:.0f} s in the future "
                                   "(is the device's clock right?)")
    if fix.device_time_us < now_us - limits.max_age_us:
        age_h = (now_us - fix.device_time_us) / 3.6e9
        raise FixRefused("too-old", f"the fix is {age_h:.1f} h old, older than the "
                                    f"{limits.max_age_us / 3.6e9:.0f} h that are kept")
    if fix.speed_kmh is not None and fix.speed_kmh > limits.max_speed_kmh:
        raise FixRefused("implausible-speed", f"speed {fix.speed_kmh:.0f} km/h is implausible")
    if fix.accuracy_m is not None and fix.accuracy_m > 100_000:
        raise FixRefused("implausible-accuracy", f"accuracy {fix.accuracy_m:.0f} m is useless")
