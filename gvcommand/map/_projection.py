"""WGS 84 ↔ map coordinates. The map works in EPSG:9210 (VN-2000 / TM-3 105-45, metres):
data arrives in lon/lat and is projected once, through geo.crs (the pinned EPSG:6960 path)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from gvcommand.geo import crs

MAP_CRS = crs.VN2000_TM3_HCMC

FloatArray = npt.NDArray[np.float64]


def project(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """(lon, lat) arrays in WGS 84 → (E, N) arrays in metres; an empty input stays empty."""
    lons = np.asarray(lon, dtype=float)
    lats = np.asarray(lat, dtype=float)
    if lons.size == 0:
        return np.empty(0), np.empty(0)
    x, y = crs.from_wgs84(MAP_CRS, lons, lats)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def project_point(lon: float, lat: float) -> tuple[float, float]:
    x, y = crs.from_wgs84(MAP_CRS, float(lon), float(lat))
    return float(x), float(y)


def unproject_point(x: float, y: float) -> tuple[float, float]:
    lon, lat = crs.to_wgs84(MAP_CRS, float(x), float(y))
    return float(lon), float(lat)
