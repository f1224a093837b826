"""CRS module: reference values, the EPSG:6960 pin, guessing an unknown CRS, areas."""

from __future__ import annotations

import json

import numpy as np
import pyproj
import pytest
from pyproj.database import query_crs_info
from shapely.geometry import MultiPolygon, box, shape  # type: ignore[import-untyped]

from gvcommand.geo import crs

from .._needs import SHARED_DATA

GOVAP_OUTLINE = SHARED_DATA / "boundaries" / "govap_district_outline_gischinhphu.geojson"

# ARCHITECTURE.md, "Known pitfalls": a point in Gò Vấp and its official projections.
REF_LON, REF_LAT = 106.665, 10.838
REF_9210 = (599850.583, 1198688.945)
REF_32648 = (682013.564, 1198564.494)
_GEOD = pyproj.Geod(ellps="WGS84")


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2])


@pytest.mark.parametrize(
    ("code", "expected"), [(crs.VN2000_TM3_HCMC, REF_9210), (crs.UTM48N, REF_32648)]
)
def test_reference_values(code: str, expected: tuple[float, float]) -> None:
    x, y = crs.from_wgs84(code, REF_LON, REF_LAT)
    assert x == pytest.approx(expected[0], abs=0.01)
    assert y == pytest.approx(expected[1], abs=0.01)
    lon, lat = crs.to_wgs84(code, *expected)
    assert _metres(lon, lat, REF_LON, REF_LAT) <= 0.01


@pytest.mark.parametrize(
    "code", [crs.VN2000, crs.VN2000_TM3_HCMC, crs.UTM48N, "EPSG:9213", "EPSG:3405"]
)
def test_round_trip_within_a_millimetre(code: str) -> None:
    rng = np.random.default_rng(1)
    lon = rng.uniform(106.64, 106.70, 200)
    lat = rng.uniform(10.81, 10.86, 200)
    x, y = crs.from_wgs84(code, lon, lat)
    back_lon, back_lat = crs.to_wgs84(code, x, y)
    err = _GEOD.inv(lon, lat, back_lon, back_lat)[2]
    assert float(np.max(err)) <= 0.001


def test_arrays_in_arrays_out_and_match_scalars() -> None:
    lon = np.array([106.65, 106.665, 106.69])
    lat = np.array([10.82, 10.838, 10.85])
    x, y = crs.from_wgs84(crs.VN2000_TM3_HCMC, lon, lat)
    assert isinstance(x, np.ndarray) and x.shape == (3,)
    assert (x[1], y[1]) == pytest.approx(REF_9210, abs=0.01)
    sx, sy = crs.from_wgs84(crs.VN2000_TM3_HCMC, 106.69, 10.85)
    assert isinstance(sx, float)
    assert (sx, sy) == pytest.approx((x[2], y[2]), abs=1e-6)


@pytest.mark.parametrize("src", [crs.VN2000, crs.VN2000_TM3_HCMC])
def test_pinned_6960_differs_from_pyproj_default_by_about_0_8_m(src: str) -> None:
    """pyproj's own choice at Gò Vấp is the Mekong-delta operation; ours must not be."""
    x, y = crs.from_wgs84(src, REF_LON, REF_LAT)
    default = pyproj.Transformer.from_crs(src, crs.WGS84, always_xy=True)
    d_lon, d_lat = default.transform(x, y)
    p_lon, p_lat = crs.to_wgs84(src, x, y)
    offset = _metres(p_lon, p_lat, d_lon, d_lat)
    assert 0.7 < offset < 0.9, offset


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        (crs.VN2000, crs.WGS84),
        (crs.WGS84, crs.VN2000_TM3_HCMC),
        (crs.VN2000_TM3_HCMC, crs.UTM48N),
        (crs.UTM48N, "EPSG:9213"),
        ("EPSG:3405", crs.WGS84),
    ],
)
def test_every_cross_datum_path_uses_6960(src: str, dst: str) -> None:
    t = crs.transformer(src, dst)
    assert ("EPSG", 6960) in crs.operation_ids(t)
    assert ("EPSG", 5194) not in crs.operation_ids(t)
    assert "ballpark" not in t.description.lower()


def test_same_datum_paths_have_no_datum_shift() -> None:
    assert crs.operation_ids(crs.transformer(crs.VN2000_TM3_HCMC, "EPSG:9213")) == set()
    assert crs.transformer(crs.WGS84, crs.UTM48N) is crs.transformer(crs.WGS84, crs.UTM48N)


def test_zone_table_matches_pyproj_database() -> None:
    found = {
        f"EPSG:{info.code}"
        for info in query_crs_info(auth_name="EPSG")
        if "VN-2000 / TM-3" in info.name
    }
    assert set(crs.VN2000_TM3_ZONES.values()) | {crs.VN2000_TM3_HCMC} == found
    assert crs.VN2000_TM3_HCMC not in crs.VN2000_TM3_ZONES.values()


@pytest.mark.parametrize(("label", "code"), list(crs.VN2000_TM3_ZONES.items()))
def test_each_zone_maps_its_central_meridian_plausibly(label: str, code: str) -> None:
    projection = pyproj.CRS.from_user_input(code).coordinate_operation
    assert projection is not None
    meridian = float(
        next(p.value for p in projection.params if p.name == "Longitude of natural origin")
    )
    x, y = crs.from_wgs84(code, meridian, 11.0)
    assert x == pytest.approx(500_000, abs=500)  # false easting, up to the ~200 m datum shift
    assert 1_100_000 < y < 1_300_000
    assert crs.plausible_for_vietnam(*crs.to_wgs84(code, x, y))
    assert crs.crs_label(code).endswith(code) and label in crs.crs_label(code)


def _gv_points(n: int = 50) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return rng.uniform(106.64, 106.70, n), rng.uniform(10.81, 10.86, n)


@pytest.mark.parametrize("code", [crs.VN2000_TM3_HCMC, crs.UTM48N, crs.WGS84, crs.WGS84_LATLON])
def test_suggest_crs_puts_the_true_crs_first(code: str) -> None:
    lon, lat = _gv_points()
    x, y = crs.from_wgs84(code, lon, lat)
    suggestions = crs.suggest_crs(x, y)
    assert suggestions[0] == code
    # and the suggestion is directly usable:
    back_lon, back_lat = crs.to_wgs84(suggestions[0], x, y)
    assert np.allclose(back_lon, lon) and np.allclose(back_lat, lat)


def test_suggest_crs_tolerates_a_few_junk_rows() -> None:
    lon, lat = _gv_points()
    x, y = crs.from_wgs84(crs.VN2000_TM3_HCMC, lon, lat)
    x[:2], y[:2] = 0.0, 0.0
    assert crs.suggest_crs(np.append(x, np.nan), np.append(y, np.nan))[0] == crs.VN2000_TM3_HCMC


def test_memphis_is_not_vietnam() -> None:
    assert not crs.plausible_for_vietnam(-90.05, 35.15)
    assert crs.suggest_crs([-90.05, -89.9], [35.15, 35.1]) == []
    assert not crs.plausible_for_vietnam(10.838, 106.665)  # swapped
    assert not crs.plausible_for_vietnam(0.0, 0.0)
    assert not crs.plausible_for_vietnam(np.array([106.6, -90.0]), np.array([10.8, 35.0]))
    assert crs.plausible_for_vietnam(np.array([106.6, 105.8]), np.array([10.8, 21.0]))
    assert crs.suggest_crs([], []) == []


def test_labels() -> None:
    assert "TP.HCM" in crs.crs_label(crs.VN2000_TM3_HCMC)
    assert "lat, lon" in crs.crs_label(crs.WGS84_LATLON)
    assert crs.crs_label("EPSG:3857") == "WGS 84 / Pseudo-Mercator — EPSG:3857"
    assert crs.crs_label("not a crs") == "not a crs"


def test_geodesic_area_of_a_synthetic_box_ignores_winding() -> None:
    cell = box(106.64, 10.81, 106.65, 10.82)  # counter-clockwise
    clockwise = box(106.66, 10.81, 106.67, 10.82, ccw=False)
    one = crs.geodesic_area_km2(cell)
    assert one == pytest.approx(1.2, rel=0.05)  # 0.01° x 0.01° near 11° N
    assert crs.geodesic_area_km2(clockwise) == pytest.approx(one, rel=1e-3)
    assert crs.geodesic_area_km2(MultiPolygon([cell, clockwise])) == pytest.approx(
        2 * one, rel=1e-3
    )


@pytest.mark.shared_data(GOVAP_OUTLINE)
def test_geodesic_area_of_govap_outline() -> None:
    feature = json.loads(GOVAP_OUTLINE.read_text(encoding="utf-8"))
    if feature.get("type") == "FeatureCollection":
        feature = feature["features"][0]
    geom = shape(feature.get("geometry", feature))
    assert crs.geodesic_area_km2(geom) == pytest.approx(19.96, abs=0.05)
