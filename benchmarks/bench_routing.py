"""Recommended units: building the road graph and ranking units by road time.

Two networks: the OSM roads of Gò Vấp (2018 extract) and the demo's generated streets, as
the console builds them (from the roads table: read + graph). Ranking 60 units for an
incident: the first time (one Dijkstra over the whole network) and again (a unit moved:
the tree is cached), beside the straight-line estimate as the peer (what the console shows
without roads, and while the first ranking is computed on its worker).
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import shapely

from gvcommand.analysis.routing import RoadGraph, straight

from ._common import Goal, Timer, pct, report

OSM_ROADS = Path(__file__).resolve().parents[2] / "shared" / "data" / "osm" / (
    "govap_roads_osm2018.geojson")
UNITS = 60
BOX = (106.640, 10.815, 106.695, 10.860)  # Gò Vấp, roughly


def _points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    return [(rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])) for _ in range(n)]


def _rank_times(graph: RoadGraph, incidents: int, seed: int = 5) -> dict[str, float]:
    rng = random.Random(seed)
    units = {f"U{i:02d}": p for i, p in enumerate(_points(rng, UNITS))}
    first, again, line_s = [], [], []
    for target in _points(rng, incidents):
        with Timer() as t:
            graph.estimates(units, target)
        first.append(t.elapsed)
        with Timer() as t:
            graph.estimates(units, target)
        again.append(t.elapsed)
        with Timer() as t:
            {k: straight(v, target) for k, v in units.items()}
        line_s.append(t.elapsed)
    return {"first_p50": pct(first, 50), "first_p95": pct(first, 95),
            "again_p50": pct(again, 50), "line_p50": pct(line_s, 50)}


def _report(name: str, build_s: float, graph: RoadGraph, times: dict[str, float]) -> None:
    report(f"{name}: graph built (once at start, on a worker thread)", build_s, "s",
           text=f"{build_s:.2f} s ({graph.graph.number_of_nodes():,} nodes)")
    report(f"{name}: rank {UNITS} units, first time (worker thread), p95",
           times["first_p95"] * 1e3, "ms",
           text=f"p50 {times['first_p50'] * 1e3:.0f} / p95 {times['first_p95'] * 1e3:.0f} ms")
    report(f"{name}: rank again (cached tree), p50", times["again_p50"] * 1e3, "ms",
           Goal("<", 16.0, "< 16 ms (one frame)"), text=f"{times['again_p50'] * 1e3:.1f} ms")
    report(f"{name}: peer: straight line x1.4, p50", times["line_p50"] * 1e3, "ms",
           text=f"{times['line_p50'] * 1e3:.1f} ms")


def run(quick: bool = False, *, demo: bool = True) -> dict[str, dict[str, float]]:
    print("Routing: recommended units by road time")
    incidents = 5 if quick else 40
    results: dict[str, dict[str, float]] = {}
    if OSM_ROADS.exists():
        features = json.loads(OSM_ROADS.read_text(encoding="utf-8"))["features"]
        rows = [(shapely.geometry.shape(f["geometry"]), f["properties"].get("highway") or "road")
                for f in features
                if f["geometry"]["type"] in ("LineString", "MultiLineString")]
        with Timer() as t:
            graph = RoadGraph(rows)
        times = _rank_times(graph, incidents)
        _report("OSM 2018", t.elapsed, graph, times)
        results["osm"] = {"build_s": t.elapsed, **times}
    if demo:
        from gvcommand.demo.seed import seed_demo
        from gvcommand.store import open_store
        from gvcommand.ui.dispatch_recommendations import build_graph
        from gvcommand.ui.session.caches import read_roads

        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{folder}/demo.sqlite", upgrade=True)
            seed_demo(store, days=1)
            with Timer() as t:
                graph, _seconds = build_graph(read_roads(store))
            store.engine.dispose()
        times = _rank_times(graph, incidents)
        _report("demo streets", t.elapsed, graph, times)
        results["demo"] = {"build_s": t.elapsed, **times}
    return results


if __name__ == "__main__":
    run()
