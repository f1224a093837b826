"""Live units as the map shows them: each new fix glides the symbol there instead of making
it jump, a unit says how old its fix is, and one that has not reported for twice its usual
interval is stale (drawn grey, "last seen hh:mm"). Plain Python: the units layer and the
window's 10 Hz timer use it."""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field

GLIDE_S = 1.0  # a new fix is reached in this long
DEFAULT_INTERVAL_S = 30.0  # until a unit has reported a few times
MIN_INTERVAL_S = 5.0
TRAIL_S = 10 * 60.0


@dataclass(frozen=True, slots=True)
class UnitFix:
    lon: float
    lat: float
    t_us: int  # device time
    speed_kmh: float | None = None
    heading: float | None = None
    accuracy_m: float | None = None
    battery_pct: float | None = None


@dataclass
class _Track:
    fix: UnitFix
    shown: tuple[float, float]  # where the symbol is now
    start: tuple[float, float]  # where the glide began
    glide_from_s: float  # monotonic seconds
    gaps: deque[float] = field(default_factory=lambda: deque(maxlen=8))
    trail: deque[tuple[int, float, float]] = field(default_factory=lambda: deque(maxlen=600))


class Motion:
    def __init__(self, *, glide_s: float = GLIDE_S, trail_s: float = TRAIL_S) -> None:
        self.glide_s, self.trail_s = glide_s, trail_s
        self._units: dict[str, _Track] = {}

    def __contains__(self, call_sign: object) -> bool:
        return call_sign in self._units

    def fix(self, call_sign: str) -> UnitFix | None:
        track = self._units.get(call_sign)
        return None if track is None else track.fix

    def update(self, call_sign: str, fix: UnitFix, now_s: float) -> bool:
        """Take a fix; False (and nothing changes) when it is not newer than the last."""
        track = self._units.get(call_sign)
        if track is None:
            here = (fix.lon, fix.lat)
            track = _Track(fix, here, here, now_s - self.glide_s)
            self._units[call_sign] = track
        else:
            if fix.t_us <= track.fix.t_us:
                return False
            track.gaps.append((fix.t_us - track.fix.t_us) / 1e6)
            track.start = self.position(call_sign, now_s)
            track.glide_from_s = now_s
            track.fix = fix
        track.trail.append((fix.t_us, fix.lon, fix.lat))
        return True

    def position(self, call_sign: str, now_s: float) -> tuple[float, float]:
        track = self._units[call_sign]
        f = (now_s - track.glide_from_s) / self.glide_s if self.glide_s > 0 else 1.0
        if f >= 1.0:
            track.shown = (track.fix.lon, track.fix.lat)
        else:
            f = max(0.0, f)
            (x0, y0), (x1, y1) = track.start, (track.fix.lon, track.fix.lat)
            track.shown = (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)
        return track.shown

    def positions(self, now_s: float) -> dict[str, tuple[float, float]]:
        return {k: self.position(k, now_s) for k in self._units}

    def gliding(self, now_s: float) -> bool:
        """Whether any symbol is still on its way (the timer may rest otherwise)."""
        return any(now_s - t.glide_from_s < self.glide_s for t in self._units.values())

    def interval_s(self, call_sign: str) -> float:
        """The unit's usual reporting interval: the median of its last gaps."""
        track = self._units.get(call_sign)
        if track is None or len(track.gaps) < 2:
            return DEFAULT_INTERVAL_S
        return max(MIN_INTERVAL_S, statistics.median(track.gaps))

    def age_s(self, call_sign: str, now_us: int) -> float:
        return max(0.0, (now_us - self._units[call_sign].fix.t_us) / 1e6)

    def stale(self, call_sign: str, now_us: int) -> bool:
        return self.age_s(call_sign, now_us) > 2 * self.interval_s(call_sign)

    def trails(self, now_us: int) -> dict[str, list[tuple[float, float]]]:
        """The last ``trail_s`` of every unit's fixes, oldest first."""
        since = now_us - round(self.trail_s * 1e6)
        return {k: [(lon, lat) for t, lon, lat in track.trail if t >= since]
                for k, track in self._units.items()}
