"""Likely duplicates: a second call about the same incident should not open a second one.

A report is a likely duplicate of an open incident of the same type within
:data:`RADIUS_M` metres that was recorded at most :data:`WINDOW_US` before it. Drills
match drills only: an exercise must never swallow a real call, nor the other way round.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .model import Incident, IncidentType

RADIUS_M = 200.0
WINDOW_US = 30 * 60 * 1_000_000
_EARTH_M = 6_371_008.8  # mean radius; at 200 m the haversine is good to millimetres


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_M * math.asin(math.sqrt(min(1.0, a)))


def possible_duplicates(
    incidents: Iterable[Incident],
    type_: IncidentType,
    lon: float,
    lat: float,
    now_us: int,
    *,
    exercise: bool = False,
    radius_m: float = RADIUS_M,
    window_us: int = WINDOW_US,
) -> list[tuple[Incident, float]]:
    """Open incidents that the new report probably repeats, nearest first, with distances."""
    found: list[tuple[Incident, float]] = []
    for inc in incidents:
        if inc.type is not type_ or inc.status.terminal or inc.exercise != exercise:
            continue
        if not (now_us - window_us <= inc.created_us <= now_us + window_us):
            continue
        metres = distance_m(lon, lat, inc.lon, inc.lat)
        if metres <= radius_m:
            found.append((inc, metres))
    return sorted(found, key=lambda pair: (pair[1], pair[0].number))


def counted(incidents: Iterable[Incident], *, include_exercises: bool = False) -> list[Incident]:
    """The incidents that statistics count: drills are left out unless asked for."""
    return [i for i in incidents if include_exercises or not i.exercise]
