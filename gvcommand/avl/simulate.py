"""A simulated patrol shift: phones that drive the demo's units along the stored streets and
send real OsmAnd requests to gvcommand-avl, the same path a Traccar Client takes.

Only devices whose id starts with ``sim-`` are driven (the demo registers one per unit), so
the simulator can never speak for a real phone. What a unit does follows its status in the
log: available units patrol the streets, dispatched and en-route units drive to their
incident, units on scene stay there, the others wait at their post and report rarely.
"""

from __future__ import annotations

import http.client
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from sqlalchemy import Engine, select

from ..analysis.routing import RoadGraph, route
from ..core.fix import KNOTS_TO_KMH
from ..demo.roster import SIM_PREFIX
from ..geo import crs
from ..store import schema as s

log = logging.getLogger(__name__)
PREFIX = SIM_PREFIX
TURN_CHANCE = 0.35  # at a crossing
CROSSING_M = 15.0


@dataclass
class _Road:
    line: LineString  # metres (UTM 48N)
    crossings: list[tuple[float, int, float]] = field(default_factory=list)  # (at, road, there)


class StreetNetwork:
    """Named streets in metres, with where they cross, for a walk along them."""

    def __init__(self, lines_wgs84: Sequence[shapely.Geometry],
                 graph: RoadGraph | None = None) -> None:
        self.graph = graph or RoadGraph((line, "road") for line in lines_wgs84)
        roads: list[_Road] = []
        for geom in lines_wgs84:
            parts = geom.geoms if hasattr(geom, "geoms") else [geom]
            for part in parts:
                coords = np.asarray(part.coords)
                xs, ys = crs.from_wgs84(crs.UTM48N, coords[:, 0], coords[:, 1])
                line = LineString(list(zip(xs, ys, strict=True)))
                if line.length > 50:
                    roads.append(_Road(line))
        if not roads:
            raise ValueError("no streets to drive on (is a road network stored?)")
        tree = shapely.STRtree([r.line for r in roads])
        for i, road in enumerate(roads):
            for j in tree.query(road.line, predicate="dwithin", distance=CROSSING_M):
                if j == i:
                    continue
                where = road.line.intersection(roads[j].line)
                points = list(getattr(where, "geoms", [where])) if not where.is_empty else []
                for p in points:
                    if isinstance(p, Point):
                        road.crossings.append((road.line.project(p), int(j),
                                               roads[j].line.project(p)))
            road.crossings.sort()
        self.roads = roads


@dataclass
class SimUnit:
    call_sign: str
    device_id: str
    road: int
    at: float  # metres along the road
    direction: int  # +1 or -1
    speed_ms: float
    x: float = 0.0
    y: float = 0.0
    heading: float = 0.0
    battery: float = 100.0
    next_send: float = 0.0
    route: list[tuple[float, float]] = field(default_factory=list)  # to the incident
    route_to: tuple[float, float] | None = None


class Simulator:
    def __init__(self, engine: Engine, network: StreetNetwork, url: str, *,
                 interval_s: float = 5.0, seed: int = 11,
                 clock: Callable[[], float] = time.time) -> None:
        self.engine, self.network, self.interval_s = engine, network, interval_s
        self.rng = random.Random(seed)
        self.clock = clock
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 5055
        self.path = parts.path or "/"
        self._conn: http.client.HTTPConnection | None = None
        self.units: dict[str, SimUnit] = {}
        self.sent = self.failed = 0

    # --- who drives where ------------------------------------------------------------------
    def load_units(self) -> dict[str, tuple[str, tuple[float, float] | None]]:
        """call sign → (status, incident position) for units with a simulated phone."""
        with self.engine.connect() as conn:
            devices = conn.execute(select(s.devices.c.device_id, s.devices.c.unit).where(
                s.devices.c.active.is_(True), s.devices.c.device_id.startswith(PREFIX))).all()
            units = {r.call_sign: r for r in conn.execute(select(
                s.units.c.call_sign, s.units.c.status, s.units.c.incident_id))}
            incidents = {r.id: (r.lon, r.lat) for r in conn.execute(select(
                s.incidents.c.id, s.incidents.c.lon, s.incidents.c.lat).where(
                s.incidents.c.id.in_([u.incident_id for u in units.values()
                                      if u.incident_id])))}
        out = {}
        for device_id, call_sign in devices:
            unit = units.get(call_sign)
            if unit is None:
                continue
            if call_sign not in self.units:
                road = self.rng.randrange(len(self.network.roads))
                self.units[call_sign] = SimUnit(
                    call_sign, device_id, road,
                    self.rng.uniform(0, self.network.roads[road].line.length),
                    self.rng.choice((1, -1)), self.rng.uniform(4.0, 8.5),
                    battery=self.rng.uniform(55, 100),
                    next_send=self.clock() + self.rng.uniform(0, self.interval_s))
                self._patrol(self.units[call_sign], 0.0)  # on its street from the start
            out[call_sign] = (unit.status, incidents.get(unit.incident_id))
        return out

    def _patrol(self, u: SimUnit, dt: float) -> None:
        road = self.network.roads[u.road]
        before = u.at
        u.at += u.direction * u.speed_ms * dt
        lo, hi = sorted((before, u.at))
        for at, other, there in road.crossings:
            if lo < at <= hi and self.rng.random() < TURN_CHANCE:
                u.road, u.at, u.direction = other, there, self.rng.choice((1, -1))
                break
        road = self.network.roads[u.road]
        if not 0 <= u.at <= road.line.length:  # the end of the street: turn round
            u.direction *= -1
            u.at = min(max(u.at, 0.0), road.line.length)
        here = road.line.interpolate(u.at)
        ahead = road.line.interpolate(u.at + u.direction * 5.0)
        u.heading = math.degrees(math.atan2(ahead.x - here.x, ahead.y - here.y)) % 360
        u.x, u.y = here.x, here.y

    def _drive_to(self, u: SimUnit, target: tuple[float, float], dt: float) -> None:
        """Along the fastest roads to the incident, at ~40 km/h."""
        if u.route_to != target:
            here = crs.to_wgs84(crs.UTM48N, u.x, u.y)
            u.route, u.route_to = route(self.network.graph, here, target)[1:], target
        left = 11.0 * dt
        while u.route and left > 0:
            tx, ty = u.route[0]
            dx, dy = tx - u.x, ty - u.y
            dist = math.hypot(dx, dy)
            if dist <= left:
                u.x, u.y = tx, ty
                u.route.pop(0)
                left -= dist
            else:
                u.x, u.y = u.x + dx / dist * left, u.y + dy / dist * left
                left = 0
            if dist > 0.5:
                u.heading = math.degrees(math.atan2(dx, dy)) % 360

    def step(self, dt: float) -> list[dict[str, str]]:
        """Move every unit by ``dt`` seconds; the OsmAnd requests now due."""
        now = self.clock()
        due = []
        for call_sign, (status, target) in self.load_units().items():
            u = self.units[call_sign]
            moving = True
            if status in ("dispatched", "en_route") and target is not None:
                self._drive_to(u, target, dt)
            elif status == "on_scene" and target is not None:
                moving = False
            elif status == "available":
                self._patrol(u, dt)
            else:
                moving = False
            u.battery = max(5.0, u.battery - dt * 0.0015)
            if now < u.next_send:
                continue
            u.next_send = now + (self.interval_s if moving else 6 * self.interval_s)
            lon, lat = crs.to_wgs84(crs.UTM48N, u.x, u.y)
            speed_kmh = (u.speed_ms * 3.6 if status == "available" else 40.0) if moving else 0.0
            due.append({"id": u.device_id, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}",
                        "timestamp": str(int(now)), "speed": f"{speed_kmh / KNOTS_TO_KMH:.2f}",
                        "bearing": f"{u.heading:.0f}",
                        "accuracy": f"{self.rng.uniform(4, 15):.0f}",
                        "batt": f"{u.battery:.0f}"})
        return due

    # --- sending ---------------------------------------------------------------------------
    def send(self, fields: dict[str, str]) -> bool:
        for _attempt in (1, 2):  # a keep-alive connection the server closed: once more
            try:
                if self._conn is None:
                    self._conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                self._conn.request("GET", f"{self.path}?{urlencode(fields)}")
                reply = self._conn.getresponse()
                reply.read()
                ok = reply.status == 200
                self.sent += ok
                self.failed += not ok
                if not ok:
                    log.warning("the AVL service answered %d for %s", reply.status,
                                fields["id"])
                return ok
            except (OSError, http.client.HTTPException):
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
        self.failed += 1
        return False

    def run(self, *, tick_s: float = 1.0, until: float | None = None) -> None:
        last = self.clock()
        while until is None or self.clock() < until:
            time.sleep(tick_s)
            now = self.clock()
            for fields in self.step(now - last):
                self.send(fields)
            last = now


def network_from_store(engine: Engine) -> StreetNetwork:
    rows = []
    with engine.connect() as conn:
        newest = conn.execute(select(s.road_networks.c.name).order_by(
            s.road_networks.c.imported_seq.desc()).limit(1)).scalar()
        if newest is not None:
            rows = conn.execute(select(s.road_segments.c.geometry_wkb, s.road_segments.c.name,
                                       s.road_segments.c.road_class)
                                .where(s.road_segments.c.network == newest)).all()
    # patrols walk the named streets; a dispatched unit takes any road to its incident
    named = [r for r in rows if r.name] or rows
    graph = RoadGraph([(shapely.from_wkb(bytes(r.geometry_wkb)), r.road_class) for r in rows])
    return StreetNetwork([shapely.from_wkb(bytes(r.geometry_wkb)) for r in named], graph)
