"""The nearest-camera fill policy without Qt: which cameras fill the wall for an incident
(those whose field of view holds it first, then those within 300 m), and when a priority-1
incident fills the wall by itself (nobody used it for 60 s, no tile focused) or is offered.
Positions are laid out with pyproj's geodesic, not with the code under test."""

from __future__ import annotations

import pyproj
import pytest

from gvcommand.core.model import Camera, Incident, IncidentSource, IncidentType
from gvcommand.ui.camera_wall.fill import (
    FILL_LAYOUT,
    IDLE_S,
    Alert,
    FillPolicy,
    fill_cameras,
    nearest_cameras,
    purpose,
)
from gvcommand.ui.camera_wall.layout import LAYOUTS, SavedWall

GEOD = pyproj.Geod(ellps="WGS84")
LON, LAT = 106.6650, 10.8380  # Gò Vấp


def camera(code: str, bearing: float, metres: float, looks: float | None,
           active: bool = True) -> Camera:
    """A camera ``metres`` from the incident along ``bearing`` (from the incident), looking
    along ``looks`` (None: no surveyed direction), 60° wide out to 150 m."""
    lon, lat, _ = GEOD.fwd(LON, LAT, bearing, metres)
    return Camera(code, code, lon, lat, azimuth_deg=looks, fov_deg=60.0 if looks is not None
                  else None, range_m=150.0, active=active)


def incident(priority: int = 1, number: int = 7) -> Incident:
    return Incident(f"i{number}", number, IncidentType.ROBBERY, priority, LON, LAT,
                    IncidentSource.PHONE)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cameras_that_see_the_incident_come_first_then_those_within_300_m() -> None:
    cams = [
        camera("N50", 90, 50, 90),  # 50 m east, looking away (east)
        camera("SEES120", 0, 120, 180),  # 120 m north, looking south at it
        camera("FAR400", 45, 400, 225),  # looking at it but beyond its range and 300 m
        camera("N200", 270, 200, None),  # a dome: only ever near
        camera("SEES80", 180, 80, 0),  # 80 m south, looking north at it
        camera("N100", 180, 100, 180),
    ]
    assert nearest_cameras(cams, incident()) == ["SEES80", "SEES120", "N50", "N100"]


def test_retired_and_distant_cameras_are_never_offered() -> None:
    cams = [camera("OLD", 0, 30, 180, active=False), camera("N299", 10, 299, None),
            camera("N301", 10, 301, None)]
    assert nearest_cameras(cams, incident()) == ["N299"]
    assert nearest_cameras([], incident()) == []


def test_the_best_four_fill_a_2x2_in_rank_order() -> None:
    assert LAYOUTS[FILL_LAYOUT].tiles == 4
    assert fill_cameras(["A", "B", "C", "D", "E"]) == ["A", "B", "C", "D"]
    assert fill_cameras(["A", "B"]) == ["A", "B", None, None]
    assert purpose(incident(number=12)) == "vụ #12"


def test_a_priority_1_incident_fills_an_idle_wall_and_is_offered_on_one_in_use() -> None:
    clock = Clock()
    policy = FillPolicy(clock)
    assert policy.alert(incident(1), focused=False) is Alert.FILL  # never touched
    assert policy.alert(incident(2), focused=False) is Alert.NOTHING  # priority 2
    policy.touch()
    clock.now += IDLE_S - 1
    assert policy.alert(incident(1), focused=False) is Alert.OFFER  # used 59 s ago
    clock.now += 1
    assert policy.alert(incident(1), focused=False) is Alert.FILL  # 60 s: idle
    # a tile shown alone is the officer looking at it, however long ago they touched it
    assert policy.alert(incident(1), focused=True) is Alert.OFFER


def test_an_incident_already_on_the_wall_is_not_offered_again() -> None:
    policy = FillPolicy(Clock())
    own = SavedWall("", "3x3", ("C15",))
    policy.filled(incident(1, 4), own)
    assert policy.shown_for == "i4"
    assert policy.alert(incident(1, 4), focused=False) is Alert.NOTHING
    assert policy.alert(incident(1, 5), focused=False) is Alert.FILL


def test_back_brings_the_officers_own_wall_once() -> None:
    policy = FillPolicy(Clock())
    own = SavedWall("", "3x3", ("C15",))
    policy.filled(incident(1, 4), own)
    # a second incident's cameras replace the first's: back is still the officer's wall
    policy.filled(incident(1, 5), SavedWall("", "2x2", ("C02", "C04")))
    assert policy.shown_for == "i5"
    assert policy.back() == own
    assert policy.back() is None and policy.shown_for is None
    policy.filled(incident(1, 6), own)
    policy.forget()  # a saved wall chosen: nothing to come back to
    assert policy.back() is None


@pytest.mark.parametrize("priority", [2, 3])
def test_other_priorities_never_fill_by_themselves(priority: int) -> None:
    assert FillPolicy(Clock()).alert(incident(priority), focused=False) is Alert.NOTHING
