"""Coordinate reference systems: the one place that builds pyproj transformers.

Why one module: VN-2000 has two official-looking paths to WGS 84 in the EPSG database, and
pyproj's default picks the Mekong-delta one (EPSG:5194) at Gò Vấp, about 0.8 m away from the
national transformation EPSG:6960. Every transformation between VN-2000 and WGS 84 (or any
WGS 84-based CRS such as UTM 48N) is therefore pinned here to EPSG:6960, and nothing else in
the application may call ``pyproj.Transformer.from_crs`` for map data.

Coordinates are always (x, y) = (lon, lat) or (easting, northing): ``always_xy=True``.
Failed transformations raise instead of returning ``inf`` (``errcheck=True``), and
transformations that only exist as a "ballpark" (datum shift ignored, errors of hundreds of
metres) are refused.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pyproj
import shapely  # type: ignore[import-untyped]
from pyproj.transformer import TransformerGroup
from shapely.geometry import MultiPolygon, Polygon  # type: ignore[import-untyped]
from shapely.geometry.polygon import orient  # type: ignore[import-untyped]

WGS84 = "EPSG:4326"
"""WGS 84 geographic; with ``always_xy`` its coordinates are (lon, lat)."""
WGS84_LATLON = "EPSG:4326:latlon"
"""Pseudo-code for WGS 84 written (lat, lon), as many spreadsheets do. Understood by
``transformer``/``to_wgs84``/``from_wgs84``/``crs_label``; not a pyproj code."""
UTM48N = "EPSG:32648"
VN2000 = "EPSG:4756"
VN2000_TM3_HCMC = "EPSG:9210"
"""VN-2000 / TM-3 105-45: the official projected CRS of Ho Chi Minh City."""
VN2000_TO_WGS84 = "EPSG:6960"
"""The national VN-2000 → WGS 84 transformation (an operation, not a CRS)."""

# The other VN-2000 TM-3 zones (EPSG:9210 itself excluded), found by searching pyproj's
# database for CRS names containing "VN-2000 / TM-3"; tests/geo/test_crs.py checks that this
# table still matches the database. Hard-coded because the search costs ~0.4 s at import.
VN2000_TM3_ZONES: dict[str, str] = {
    "VN-2000 / TM-3 zone 481 (102°00′)": "EPSG:5896",
    "VN-2000 / TM-3 103-00": "EPSG:9205",
    "VN-2000 / TM-3 104-00": "EPSG:9206",
    "VN-2000 / TM-3 104-30": "EPSG:9207",
    "VN-2000 / TM-3 104-45": "EPSG:9208",
    "VN-2000 / TM-3 zone 482 (105°00′)": "EPSG:5897",
    "VN-2000 / TM-3 105-30": "EPSG:9209",
    "VN-2000 / TM-3 106-00": "EPSG:9211",
    "VN-2000 / TM-3 106-15": "EPSG:9212",
    "VN-2000 / TM-3 106-30": "EPSG:9213",
    "VN-2000 / TM-3 107-00": "EPSG:9214",
    "VN-2000 / TM-3 107-15": "EPSG:9215",
    "VN-2000 / TM-3 107-30": "EPSG:9216",
    "VN-2000 / TM-3 107-45": "EPSG:5899",
    "VN-2000 / TM-3 zone 491 (108°00′)": "EPSG:5898",
    "VN-2000 / TM-3 108-15": "EPSG:9217",
    "VN-2000 / TM-3 108-30": "EPSG:9218",
}

VIETNAM_BBOX = (102.0, 8.0, 110.0, 24.0)
"""(min lon, min lat, max lon, max lat): Vietnam's extent with a margin."""
HCMC_BBOX = (106.3, 10.3, 107.1, 11.2)
"""Ho Chi Minh City (pre-2025 limits, Cần Giờ included) with a small margin."""

_VN2000_DATUM = "Vietnam 2000"
_PINNED_ID = ("EPSG", 6960)

_LABELS = {
    WGS84: "WGS 84 (kinh độ, vĩ độ / lon, lat)",
    WGS84_LATLON: "WGS 84 (vĩ độ, kinh độ / lat, lon)",
    UTM48N: "WGS 84 / UTM 48N",
    VN2000: "VN-2000 (địa lý / geographic)",
    VN2000_TM3_HCMC: "VN-2000 / TM-3 105-45 (TP.HCM)",
}

ArrayT = TypeVar("ArrayT", bound=np.ndarray[Any, Any])


class CRSTransformError(ValueError):
    """No acceptable (non-ballpark, correctly pinned) transformation exists."""


def _is_vn2000(code: str) -> bool:
    """True for VN-2000 geographic and every CRS projected from it."""
    geodetic = pyproj.CRS.from_user_input(code).geodetic_crs
    return (
        geodetic is not None
        and geodetic.datum is not None
        and (geodetic.datum.name == _VN2000_DATUM)
    )


def _operation_ids(node: Any, found: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Collect the ids of the transformations inside a PROJJSON operation (not its CRSs)."""
    if isinstance(node, dict):
        ident = node.get("id")
        if node.get("type") == "Transformation" and isinstance(ident, dict):
            authority = str(ident.get("authority", "")).removeprefix("INVERSE(").rstrip(")")
            found.add((authority, int(ident.get("code", -1))))
        for key, value in node.items():
            if key not in ("source_crs", "target_crs", "interpolation_crs"):
                _operation_ids(value, found)
    elif isinstance(node, list):
        for value in node:
            _operation_ids(value, found)
    return found


def operation_ids(t: pyproj.Transformer) -> set[tuple[str, int]]:
    """The (authority, code) of every datum transformation a transformer applies.

    Inverse steps are reported under their forward id. Used to prove the EPSG:6960 pin.
    """
    text = t.to_json()
    return _operation_ids(json.loads(text), set()) if text else set()


def _with_axis_swap(t: pyproj.Transformer, *, before: bool, after: bool) -> pyproj.Transformer:
    """Wrap a transformer's PROJ pipeline with (lat, lon) ↔ (lon, lat) swaps.

    PROJ forbids nested pipelines, so the steps are spliced into one flat pipeline.
    """
    definition = t.definition
    if definition.startswith("proj=pipeline"):
        steps = definition.removeprefix("proj=pipeline").strip()
        if not steps.startswith("step "):
            raise CRSTransformError(f"cannot splice pipeline with global options: {definition}")
    else:
        steps = f"step {definition}" if definition.strip() else ""
    swap = "step proj=axisswap order=2,1"
    parts = ["proj=pipeline", swap if before else "", steps, swap if after else ""]
    return pyproj.Transformer.from_pipeline(" ".join(p for p in parts if p))


@functools.lru_cache(maxsize=64)
def transformer(src: str, dst: str) -> pyproj.Transformer:
    """A cached (x, y)-ordered transformer from ``src`` to ``dst``.

    Between VN-2000 (any VN-2000 CRS) and anything on another datum the path is pinned to
    EPSG:6960 (projected VN-2000 → VN-2000 geographic → EPSG:6960 → WGS 84 → target); a
    ballpark-only path raises ``CRSTransformError``.
    """
    if WGS84_LATLON in (src, dst):
        inner = transformer(
            WGS84 if src == WGS84_LATLON else src, WGS84 if dst == WGS84_LATLON else dst
        )
        return _with_axis_swap(inner, before=src == WGS84_LATLON, after=dst == WGS84_LATLON)
    group = TransformerGroup(src, dst, always_xy=True, allow_ballpark=False)
    candidates = [t for t in group.transformers if "ballpark" not in t.description.lower()]
    if _is_vn2000(src) != _is_vn2000(dst):
        pinned = [t for t in candidates if _PINNED_ID in operation_ids(t)]
        if not pinned:
            raise CRSTransformError(f"no path {src} → {dst} through {VN2000_TO_WGS84}")
        return pinned[0]
    if not candidates:
        raise CRSTransformError(f"only a ballpark transformation exists for {src} → {dst}")
    if len(candidates) == 1:
        return candidates[0]
    # Several datum shifts with different areas of use: let PROJ choose per point, as
    # long as none of them is a ballpark.
    return pyproj.Transformer.from_crs(src, dst, always_xy=True, allow_ballpark=False)


@overload
def to_wgs84(src: str, x: float, y: float) -> tuple[float, float]: ...
@overload
def to_wgs84(src: str, x: ArrayT, y: ArrayT) -> tuple[ArrayT, ArrayT]: ...
def to_wgs84(src: str, x: Any, y: Any) -> tuple[Any, Any]:
    """(x, y) in ``src`` → (lon, lat) in WGS 84; floats in, floats out; arrays in, arrays out."""
    lon, lat = transformer(src, WGS84).transform(x, y, errcheck=True)
    return lon, lat


@overload
def from_wgs84(dst: str, lon: float, lat: float) -> tuple[float, float]: ...
@overload
def from_wgs84(dst: str, lon: ArrayT, lat: ArrayT) -> tuple[ArrayT, ArrayT]: ...
def from_wgs84(dst: str, lon: Any, lat: Any) -> tuple[Any, Any]:
    """(lon, lat) in WGS 84 → (x, y) in ``dst``."""
    x, y = transformer(WGS84, dst).transform(lon, lat, errcheck=True)
    return x, y


def transform_geometry(geom: shapely.Geometry, src: str, dst: str) -> shapely.Geometry:
    """A shapely geometry re-projected from ``src`` to ``dst`` through ``transformer``.

    So that geometry work (areas, overlaps, buffers in metres) gets the same pinned path
    as points do.
    """
    t = transformer(src, dst)

    def _xy(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = t.transform(coords[:, 0], coords[:, 1], errcheck=True)
        return np.column_stack([x, y])

    return shapely.transform(geom, _xy)


def _fraction_inside(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    bbox: tuple[float, float, float, float],
) -> float:
    if lon.size == 0:
        return 0.0
    inside = (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])
    return float(np.count_nonzero(inside & np.isfinite(lon) & np.isfinite(lat))) / lon.size


def plausible_for_vietnam(lon: float | npt.ArrayLike, lat: float | npt.ArrayLike) -> bool:
    """True when every (lon, lat) lies in Vietnam's bounding box (with margin) and is finite.

    A cheap sanity check for imports: Memphis, (0, 0) or swapped axes all fail it.
    """
    lons = np.atleast_1d(np.asarray(lon, dtype=float))
    lats = np.atleast_1d(np.asarray(lat, dtype=float))
    return lons.size > 0 and _fraction_inside(lons, lats, VIETNAM_BBOX) == 1.0


def _candidates() -> list[str]:
    """Candidate CRSs for unlabelled coordinates, in order of prior likelihood here."""
    return [WGS84, WGS84_LATLON, UTM48N, VN2000_TM3_HCMC, *VN2000_TM3_ZONES.values()]


def suggest_crs(
    xs: Sequence[float] | npt.ArrayLike,
    ys: Sequence[float] | npt.ArrayLike,
    *,
    min_fraction: float = 0.9,
) -> list[str]:
    """Codes under which coordinates of unknown CRS land in Vietnam, best first.

    A code qualifies when at least ``min_fraction`` of the points fall inside Vietnam (a few
    junk rows such as (0, 0) must not hide the answer). Ranking: share of points in Ho Chi
    Minh City, then share in Vietnam, then the prior order of ``_candidates`` (WGS 84 before
    UTM 48N before the HCMC zone before other zones) — neighbouring TM-3 zones differ by
    only a quarter degree of longitude, so the prior order breaks those ties.
    """
    x = np.atleast_1d(np.asarray(xs, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(ys, dtype=float)).ravel()
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return []
    scored: list[tuple[float, float, int, str]] = []
    for rank, code in enumerate(_candidates()):
        if code in (WGS84, WGS84_LATLON):
            lon, lat = (x, y) if code == WGS84 else (y, x)
        else:
            if np.nanmax(np.abs(x)) < 1000 and np.nanmax(np.abs(y)) < 1000:
                continue  # degrees, not metres: a projected CRS would put them near its origin
            lon, lat = transformer(code, WGS84).transform(x, y, errcheck=False)
            lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        in_vn = _fraction_inside(lon, lat, VIETNAM_BBOX)
        if in_vn >= min_fraction:
            scored.append((-_fraction_inside(lon, lat, HCMC_BBOX), -in_vn, rank, code))
    return [code for *_, code in sorted(scored)]


def geodesic_area_km2(geom: Polygon | MultiPolygon) -> float:
    """Area on the WGS 84 ellipsoid of a lon/lat (Multi)Polygon, in km².

    Each part is oriented counter-clockwise first: pyproj returns signed areas, and parts
    of a MultiPolygon drawn with opposite windings would otherwise cancel out.
    """
    geod = pyproj.Geod(ellps="WGS84")
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    total = sum(geod.geometry_area_perimeter(orient(p, sign=1.0))[0] for p in parts)
    return abs(total) / 1e6


def crs_label(code: str) -> str:
    """A human name for a CRS code, for UI lists: "VN-2000 / TM-3 105-45 (TP.HCM) — EPSG:9210"."""
    if code == WGS84_LATLON:
        return _LABELS[code]
    name = _LABELS.get(code)
    if name is None:
        name = next((label for label, c in VN2000_TM3_ZONES.items() if c == code), None)
    if name is None:
        try:
            name = pyproj.CRS.from_user_input(code).name
        except pyproj.exceptions.CRSError:
            return code
    return f"{name} — {code}"
