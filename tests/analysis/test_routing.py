"""Travel-time estimates along the roads: crossings are junctions, faster roads win, a point
off the network or a network without roads falls back to the straight line × detour."""

from __future__ import annotations

import json
import time

import pytest
import shapely
from shapely.geometry import LineString

from gvcommand.analysis.routing import DETOUR_FACTOR, Estimate, RoadGraph, rank, straight

from .._needs import SHARED_DATA

ROADS = SHARED_DATA / "osm" / "govap_roads_osm2018.geojson"
# an "H": two avenues joined by one alley in the middle
WEST = LineString([(106.650, 10.820), (106.650, 10.840)])
EAST = LineString([(106.660, 10.820), (106.660, 10.840)])
ALLEY = LineString([(106.649, 10.830), (106.661, 10.830)])  # crosses both, no shared vertex


def test_crossings_are_junctions_and_speed_depends_on_class() -> None:
    graph = RoadGraph([(WEST, "primary"), (EAST, "primary"), (ALLEY, "service")])
    units = {"A": (106.650, 10.838), "B": (106.660, 10.838), "far": (106.700, 10.900)}
    got = graph.estimates(units, (106.650, 10.822))
    a, b = got["A"], got["B"]
    assert a.by_road and b.by_road
    # A drives straight down the avenue (~1.77 km at 30 km/h); B must take the alley
    assert a.metres == pytest.approx(1770, rel=0.02)
    assert a.seconds == pytest.approx(a.metres / (30 / 3.6), rel=0.02)
    assert b.metres == pytest.approx(885 + 1093 + 885, rel=0.02)
    assert b.seconds > a.seconds
    assert not got["far"].by_road  # 8 km from any road: straight line × detour
    assert got["far"].metres == pytest.approx(
        straight(units["far"], (106.650, 10.822)).metres)
    assert rank(got) == ["A", "B", "far"]
    assert rank(got, stale=["A"]) == ["B", "far", "A"]


def test_without_roads_the_straight_line() -> None:
    est = RoadGraph([]).estimates({"A": (106.65, 10.83)}, (106.66, 10.83))["A"]
    assert not est.by_road
    assert est.metres == pytest.approx(1094 * DETOUR_FACTOR, rel=0.01)
    assert isinstance(est, Estimate)


@pytest.mark.shared_data(ROADS)
def test_real_osm_roads_of_go_vap() -> None:
    features = json.loads(ROADS.read_text(encoding="utf-8"))["features"]
    lines = [(shapely.geometry.shape(f["geometry"]), f["properties"].get("highway") or "road")
             for f in features if f["geometry"]["type"] in ("LineString", "MultiLineString")]
    t = time.perf_counter()
    graph = RoadGraph(lines)
    built_s = time.perf_counter() - t
    assert graph.graph.number_of_nodes() > 1000
    # two points about 2 km apart in the district: the road trip is longer than the line,
    # shorter than three times it, and at city speed takes a few minutes
    a, b = (106.6650, 10.8380), (106.6830, 10.8300)
    est = graph.estimates({"a": a}, b)["a"]
    line = straight(a, b).metres / DETOUR_FACTOR
    assert est.by_road
    assert line < est.metres < 3 * line
    assert 120 < est.seconds < 1200
    assert built_s < 60  # a sanity bound, not a timing goal


def test_the_same_incident_asked_again_gives_the_same_answer_from_the_cache() -> None:
    graph = RoadGraph([(WEST, "primary"), (EAST, "primary"), (ALLEY, "service")])
    units = {"A": (106.650, 10.838), "B": (106.660, 10.838)}
    first = graph.estimates(units, (106.650, 10.822))
    assert len(graph._from_target) == 1
    assert graph.estimates(units, (106.650, 10.822)) == first
    assert len(graph._from_target) == 1
    assert graph.estimates({}, (106.650, 10.822)) == {}


def test_prepare_makes_the_next_estimate_quick() -> None:
    graph = RoadGraph([(WEST, "primary"), (EAST, "primary"), (ALLEY, "service")])
    target = (106.650, 10.822)
    assert not graph.ready_for(target)
    graph.prepare(target)
    assert graph.ready_for(target)
    assert graph.ready_for((106.700, 10.900))  # far from every road: the straight line
    assert RoadGraph([]).ready_for(target)


def test_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import bench_routing

    results = bench_routing.run(quick=True)
    out = capsys.readouterr().out
    assert "demo streets: graph built" in out and "straight line" in out
    for figures in results.values():
        assert figures["again_p50"] < figures["first_p50"]  # the cached tree is the point
        assert figures["build_s"] > 0
