"""Travel time along the road network (networkx), for recommending the nearest units.

The graph is built from the stored road segments, noded where roads cross (OSM ways share
nodes at junctions; drawn or generated roads may simply cross), in UTM 48N metres. An edge
costs its length at the speed a patrol makes on that class of road in Gò Vấp traffic.
Points off the network (a unit in a courtyard, an incident in a market) join it at the
nearest node, the gap driven at alley speed. Without roads, the estimate is the straight
line times a detour factor.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString

from ..geo import crs

# km/h a patrol motorbike or car keeps through city traffic, by OSM highway class
SPEED_KMH: Mapping[str, float] = {
    "motorway": 45.0, "trunk": 35.0, "primary": 30.0, "secondary": 27.0, "tertiary": 25.0,
    "unclassified": 22.0, "residential": 20.0, "living_street": 12.0, "service": 12.0,
    "road": 20.0, "track": 10.0, "footway": 6.0, "path": 6.0, "pedestrian": 6.0,
}
DEFAULT_SPEED_KMH = 18.0
OFF_ROAD_KMH = 8.0  # from a point to the nearest node: pushing through an alley or a yard
STRAIGHT_KMH = 25.0
DETOUR_FACTOR = 1.4  # typical ratio of road distance to straight line in a dense city
SNAP_M = 0.5
TREE_CACHE = 16  # incidents whose shortest-path trees are kept
NODE_SPACING_M = 25.0  # vertices at most this far apart: a point joins the road near itself


@dataclass(frozen=True, slots=True)
class Estimate:
    seconds: float
    metres: float
    by_road: bool  # False: straight line × detour factor (no road nearby, or no network)


def _key(x: float, y: float) -> tuple[int, int]:
    return round(x / SNAP_M), round(y / SNAP_M)


def project(lon: float, lat: float) -> tuple[float, float]:
    x, y = crs.from_wgs84(crs.UTM48N, lon, lat)
    return float(x), float(y)


def straight(a: tuple[float, float], b: tuple[float, float]) -> Estimate:
    """Straight line between two (lon, lat) × detour factor at city speed."""
    d = math.dist(project(*a), project(*b)) * DETOUR_FACTOR
    return Estimate(d / (STRAIGHT_KMH / 3.6), d, False)


class RoadGraph:
    def __init__(self, lines: Iterable[tuple[shapely.Geometry, str]]) -> None:
        """``lines``: (LineString or MultiLineString in WGS84 lon/lat, road class)."""
        by_class: dict[str, list[LineString]] = {}
        for geom, road_class in lines:
            parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
            for part in parts:
                coords = np.asarray(part.coords)
                if len(coords) < 2:
                    continue
                xs, ys = crs.from_wgs84(crs.UTM48N, coords[:, 0], coords[:, 1])
                by_class.setdefault(road_class, []).append(LineString(np.column_stack([xs, ys])))
        self.graph: nx.Graph = nx.Graph()
        # target node → (travel times, road lengths) from every node: the same incident is
        # asked about again each time a unit moves, and one Dijkstra costs more than the rest
        self._from_target: dict[tuple[int, int],
                                tuple[dict[tuple[int, int], float],
                                      dict[tuple[int, int], float]]] = {}
        everything = [line for lines_ in by_class.values() for line in lines_]
        if not everything:
            self._nodes = np.empty((0, 2))
            return
        # node all roads against each other: crossings become junctions
        classes = shapely.STRtree(everything)
        kinds = [k for k, lines_ in by_class.items() for _ in lines_]
        noded = shapely.node(shapely.MultiLineString(everything))
        for piece in noded.geoms:
            mid = piece.interpolate(0.5, normalized=True)
            nearest = classes.nearest(mid)
            speed = SPEED_KMH.get(kinds[int(nearest)], DEFAULT_SPEED_KMH) / 3.6
            pts = list(shapely.segmentize(piece, NODE_SPACING_M).coords)
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                a, b = _key(x0, y0), _key(x1, y1)
                if a == b:
                    continue
                d = math.hypot(x1 - x0, y1 - y0)
                t = d / speed
                old = self.graph.get_edge_data(a, b)
                if old is None or old["t"] > t:
                    self.graph.add_edge(a, b, t=t, d=d)
        nodes = list(self.graph.nodes)
        self._node_keys = nodes
        self._nodes = np.array([(k[0] * SNAP_M, k[1] * SNAP_M) for k in nodes])
        self._node_tree = shapely.STRtree(shapely.points(self._nodes))

    @property
    def empty(self) -> bool:
        return len(self._nodes) == 0

    def _nearest(self, xy: tuple[float, float]) -> tuple[tuple[int, int], float]:
        return self._nearest_many([xy])[0]

    def _nearest_many(self, xys: Sequence[tuple[float, float]]
                      ) -> list[tuple[tuple[int, int], float]]:
        """The nearest graph node of each point and the distance to it (one tree query)."""
        if not xys:
            return []
        (src, idx), dist = self._node_tree.query_nearest(
            shapely.points(np.asarray(xys, dtype=float)), return_distance=True,
            all_matches=False)
        out: list[tuple[tuple[int, int], float]] = [((0, 0), math.inf)] * len(xys)
        for s, i, d in zip(src, idx, dist, strict=True):
            out[int(s)] = (self._node_keys[int(i)], float(d))
        return out

    def estimates(self, sources: Mapping[str, tuple[float, float]],
                  target: tuple[float, float], *, max_gap_m: float = 300.0
                  ) -> dict[str, Estimate]:
        """Travel time from each source (lon, lat) to ``target`` (lon, lat). Sources or a
        target farther than ``max_gap_m`` from any road, or on a piece of network not
        connected to the target's, get the straight-line estimate."""
        if self.empty:
            return {k: straight(v, target) for k, v in sources.items()}
        t_node, t_gap = self._nearest(project(*target))
        if t_gap > max_gap_m:
            return {k: straight(v, target) for k, v in sources.items()}
        times, lengths = self._trees(t_node)
        out = {}
        idents = list(sources)
        xs, ys = crs.from_wgs84(crs.UTM48N, [sources[k][0] for k in idents],
                                 [sources[k][1] for k in idents])
        nearest = self._nearest_many(list(zip(np.atleast_1d(xs), np.atleast_1d(ys),
                                              strict=True)))
        for ident, (s_node, s_gap) in zip(idents, nearest, strict=True):
            where = sources[ident]
            if s_gap > max_gap_m or s_node not in times:
                out[ident] = straight(where, target)
                continue
            gap = s_gap + t_gap
            out[ident] = Estimate(times[s_node] + gap / (OFF_ROAD_KMH / 3.6),
                                  lengths[s_node] + gap, True)
        return out


    def ready_for(self, target: tuple[float, float], *, max_gap_m: float = 300.0) -> bool:
        """Whether ``estimates`` to ``target`` (lon, lat) is quick: its shortest-path tree
        is computed (or not needed: no roads, or the target is far from them)."""
        if self.empty:
            return True
        t_node, t_gap = self._nearest(project(*target))
        return t_gap > max_gap_m or t_node in self._from_target

    def prepare(self, target: tuple[float, float]) -> None:
        """Compute the shortest-path tree to ``target`` (for a worker thread: the one
        expensive step of ``estimates``, ~0.1 s on the OSM roads of Gò Vấp)."""
        if not self.empty:
            self._trees(self._nearest(project(*target))[0])

    def _trees(self, t_node: tuple[int, int]) -> tuple[dict[tuple[int, int], float],
                                                       dict[tuple[int, int], float]]:
        cached = self._from_target.get(t_node)
        if cached is not None:
            return cached
        pred, times = nx.dijkstra_predecessor_and_distance(self.graph, t_node, weight="t")
        lengths: dict[tuple[int, int], float] = {}
        for n in sorted(times, key=times.__getitem__):  # predecessors come first
            before = pred[n]
            lengths[n] = 0.0 if not before else (lengths[before[0]]
                                                 + self.graph.edges[before[0], n]["d"])
        if len(self._from_target) >= TREE_CACHE:
            self._from_target.pop(next(iter(self._from_target)))
        self._from_target[t_node] = (times, lengths)
        return times, lengths


def route(graph: RoadGraph, a: tuple[float, float], b: tuple[float, float]
          ) -> list[tuple[float, float]]:
    """The fastest way from ``a`` to ``b`` (lon, lat) as UTM 48N metre points, from ``a``
    through the road network to ``b``; the straight line where there is no road between."""
    pa, pb = project(*a), project(*b)
    if graph.empty:
        return [pa, pb]
    na, _ = graph._nearest(pa)
    nb, _ = graph._nearest(pb)
    try:
        nodes = nx.shortest_path(graph.graph, na, nb, weight="t")
    except nx.NetworkXNoPath:
        return [pa, pb]
    return [pa, *((k[0] * SNAP_M, k[1] * SNAP_M) for k in nodes), pb]


def rank(estimates: Mapping[str, Estimate], stale: Sequence[str] = ()) -> list[str]:
    """Fastest first; units whose position is stale last (in their own order)."""
    stale_set = set(stale)
    return sorted(estimates, key=lambda k: (k in stale_set, estimates[k].seconds, k))
