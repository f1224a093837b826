"""Nearest cameras for a point: those whose field of view holds it first, then the others
within 300 m, by distance. Positions are laid out with pyproj's geodesic (an independent
computation: true bearings and metres on the ellipsoid), not with the code under test."""

from __future__ import annotations

import csv

import pyproj
import pytest

from gvcommand.analysis.cameras import best_four, rank_cameras, utm_zone_crs
from gvcommand.core.model import Camera

from .._needs import SHARED_DATA

GEOD = pyproj.Geod(ellps="WGS84")
INCIDENT = (106.6650, 10.8380)  # Gò Vấp


def at(bearing_from_incident: float, metres: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(*INCIDENT, bearing_from_incident, metres)
    return lon, lat


def looking(code: str, camera_bearing: float, metres: float, azimuth: float | None,
            fov: float | None, range_m: float | None = 150.0) -> Camera:
    """A camera ``metres`` from the incident such that the incident lies at true bearing
    ``camera_bearing`` from the camera."""
    lon, lat = at((camera_bearing + 180.0) % 360.0, metres)
    return Camera(code, code, lon, lat, azimuth_deg=azimuth, fov_deg=fov, range_m=range_m)


def codes(cams: list[Camera]) -> list[str]:
    return [r.camera.code for r in rank_cameras(cams, *INCIDENT)]


def test_sector_edges() -> None:
    # azimuth 90°, fov 60°: the sector spans 60°…120°
    cams = [looking("in-61", 61, 50, 90, 60), looking("out-59", 59, 40, 90, 60),
            looking("in-119", 119, 60, 90, 60), looking("out-121", 121, 30, 90, 60)]
    ranked = rank_cameras(cams, *INCIDENT)
    assert [(r.camera.code, r.sees) for r in ranked] == [
        ("in-61", True), ("in-119", True), ("out-121", False), ("out-59", False)]
    assert ranked[0].distance_m == pytest.approx(50, abs=0.1)
    assert ranked[0].bearing_deg == pytest.approx(61, abs=0.05)


def test_range_limits_the_sector() -> None:
    cams = [looking("reach-99", 90, 99, 90, 30, range_m=100),
            looking("short-101", 90, 101, 90, 30, range_m=100),
            looking("near-20", 0, 20, None, None)]
    ranked = rank_cameras(cams, *INCIDENT)
    # beyond its range a camera facing the point is just near (after the one that sees)
    assert [(r.camera.code, r.sees) for r in ranked] == [
        ("reach-99", True), ("near-20", False), ("short-101", False)]


def test_the_300_m_limit_and_cameras_without_direction() -> None:
    cams = [looking("dome-299", 10, 299, None, None), looking("dome-301", 10, 301, None, None),
            looking("half-dir", 10, 100, 10, None),  # no fov: only "near"
            looking("far-facing-400", 45, 400, 45, 20, range_m=500)]
    ranked = rank_cameras(cams, *INCIDENT)
    assert [(r.camera.code, r.sees) for r in ranked] == [
        ("far-facing-400", True), ("half-dir", False), ("dome-299", False)]


def test_azimuth_wrap_around() -> None:
    # azimuth 350°, fov 40°: the sector spans 330°…10° through north
    cams = [looking("in-5", 5, 50, 350, 40), looking("in-335", 335, 60, 350, 40),
            looking("in-0", 0, 70, 350, 40), looking("out-15", 15, 10, 350, 40),
            looking("out-325", 325, 20, 350, 40)]
    ranked = rank_cameras(cams, *INCIDENT)
    assert [r.camera.code for r in ranked if r.sees] == ["in-5", "in-335", "in-0"]
    assert [r.camera.code for r in ranked if not r.sees] == ["out-15", "out-325"]
    # azimuth 10°, fov 40°: -10°…30°; a camera stored at 370° is the same camera
    assert codes([looking("a", 355, 30, 10, 40), looking("b", 345, 30, 10, 40)]) == ["a", "b"]
    assert rank_cameras([looking("a", 355, 30, 10, 40)], *INCIDENT)[0].sees


def test_ties_and_retired_and_best_four() -> None:
    cams = [looking(f"c{i}", 90, 10 * (i + 1), 90, 60) for i in range(6)]
    cams.append(Camera("gone", "gone", *INCIDENT, azimuth_deg=0, fov_deg=360, active=False))
    assert [c.code for c in best_four(cams, *INCIDENT)] == ["c0", "c1", "c2", "c3"]
    assert best_four([], *INCIDENT) == []
    assert rank_cameras(cams, *INCIDENT, limit=2)[1].camera.code == "c1"
    # a 360° camera sees all around within its range; one standing on the point sees it
    assert rank_cameras([looking("fish", 200, 30, 0, 360)], *INCIDENT)[0].sees
    assert rank_cameras([Camera("on", "on", *INCIDENT, azimuth_deg=0, fov_deg=10)],
                        *INCIDENT)[0].sees


def test_utm_zone() -> None:
    assert utm_zone_crs(106.665, 10.838) == "EPSG:32648"
    assert utm_zone_crs(-84.39, 33.75) == "EPSG:32616"
    assert utm_zone_crs(151.2, -33.9) == "EPSG:32756"


GDOT = SHARED_DATA / "cameras" / "gdot_georgia_cctv_2020.csv"


@pytest.mark.shared_data(GDOT)
def test_real_camera_locations_atlanta() -> None:
    """3,043 real camera positions (Georgia DOT, no directions): around a downtown Atlanta
    point every camera offered is within 300 m, nearest first, matching the geodesic."""
    with GDOT.open(newline="", encoding="utf-8") as fh:
        cams = [Camera(r["cctv_id"], r["name"], float(r["lon"]), float(r["lat"]))
                for r in csv.DictReader(fh) if float(r["lat"]) != 0.0]
    assert len(cams) > 3000
    point = (-84.3880, 33.7490)  # Five Points, Atlanta
    ranked = rank_cameras(cams, *point)
    truth = sorted((GEOD.inv(*point, c.lon, c.lat)[2], c.code) for c in cams)
    expected = [code for d, code in truth if d <= 300.0]
    assert expected, "the data has cameras downtown"
    assert [r.camera.code for r in ranked] == expected
    for r in ranked:
        assert r.distance_m == pytest.approx(GEOD.inv(*point, r.camera.lon, r.camera.lat)[2],
                                             rel=1e-3)
