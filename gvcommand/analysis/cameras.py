"""Cameras around a point (an incident): which ones see it, and which are merely near.

Ranking: the cameras whose field of view (the sector azimuth ± fov/2 out to their range)
contains the point come first, nearest first; then the others within :data:`NEAR_M` (300 m)
by distance. A camera without azimuth or field of view (a dome that turns, or one whose
direction was never surveyed) is only ever "near". Retired cameras are left out.

Distances are metric in the UTM zone of the point, through ``geo.crs`` (the module that owns
transformers); bearings are corrected for the grid's convergence there, so an azimuth
surveyed from true north is compared with a true bearing (at Gò Vấp grid north is 0.3° off).
No Qt: the wall (ui) calls this and fills its tiles with the result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.model import Camera
from ..geo import crs

NEAR_M = 300.0
"""Cameras not looking at the point are offered up to this distance."""
EDGE_TOLERANCE_DEG = 1e-6  # a point exactly on a sector edge is inside


@dataclass(frozen=True, slots=True)
class RankedCamera:
    camera: Camera
    distance_m: float
    bearing_deg: float  # true bearing from the camera to the point, [0, 360)
    sees: bool  # the point is inside the camera's field of view


def utm_zone_crs(lon: float, lat: float) -> str:
    """The WGS 84 / UTM zone CRS code of a point (UTM 48N for Hồ Chí Minh City)."""
    zone = min(60, int((lon + 180.0) // 6.0) + 1)
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _grid_north_deg(dst: str, lon: float, lat: float) -> float:
    """The grid bearing of true north at (lon, lat): the meridian convergence."""
    x0, y0 = crs.from_wgs84(dst, lon, lat)
    x1, y1 = crs.from_wgs84(dst, lon, min(lat + 1e-4, 90.0))
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


def rank_cameras(cameras: Iterable[Camera], lon: float, lat: float, *,
                 near_m: float = NEAR_M, limit: int | None = None) -> list[RankedCamera]:
    """Cameras for a point, best first (see the module's description)."""
    cams: Sequence[Camera] = [c for c in cameras if c.active]
    if not cams:
        return []
    dst = utm_zone_crs(lon, lat)
    px, py = crs.from_wgs84(dst, lon, lat)
    xs, ys = crs.from_wgs84(dst, np.array([c.lon for c in cams], dtype=float),
                            np.array([c.lat for c in cams], dtype=float))
    dx, dy = px - np.asarray(xs), py - np.asarray(ys)
    dist = np.hypot(dx, dy)
    north = _grid_north_deg(dst, lon, lat)
    bearing = (np.degrees(np.arctan2(dx, dy)) - north) % 360.0

    seeing: list[RankedCamera] = []
    near: list[RankedCamera] = []
    for i, cam in enumerate(cams):
        d, b = float(dist[i]), float(bearing[i])
        sees = _sees(cam, d, b, near_m)
        if sees:
            seeing.append(RankedCamera(cam, d, b, True))
        elif d <= near_m:
            near.append(RankedCamera(cam, d, b, False))
    seeing.sort(key=lambda r: (r.distance_m, r.camera.code))
    near.sort(key=lambda r: (r.distance_m, r.camera.code))
    ranked = seeing + near
    return ranked if limit is None else ranked[:limit]


def _sees(cam: Camera, distance_m: float, bearing_deg: float, near_m: float) -> bool:
    if cam.azimuth_deg is None or cam.fov_deg is None:
        return False
    reach = cam.range_m if cam.range_m is not None else near_m
    if distance_m > reach:
        return False
    if distance_m < 0.5 or cam.fov_deg >= 360.0:  # standing under the camera / a fisheye
        return True
    off = (bearing_deg - cam.azimuth_deg + 180.0) % 360.0 - 180.0
    return abs(off) <= cam.fov_deg / 2.0 + EDGE_TOLERANCE_DEG


def best_four(cameras: Iterable[Camera], lon: float, lat: float) -> list[Camera]:
    """The cameras a 2×2 wall is filled with for a point (fewer if fewer are near)."""
    return [r.camera for r in rank_cameras(cameras, lon, lat, limit=4)]
