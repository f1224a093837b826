"""The dispatch centre at work over the demo's generated span: whom it sends to each call,
how long each step takes (dispatch, en route, on scene, cleared, closed), and where units
patrol between calls."""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Sequence
from typing import Any

from ..analysis import routing
from ..core import commands as c
from ..core.model import Force, IncidentType, UnitStatus
from ..geo import crs
from ..geo.editions import BoundaryEdition
from .district import DISTRICT_MIDDLE, METRIC
from .incidents import Call, minutes_us

T = IncidentType
F = Force
_FORCES = {
    T.ROBBERY: {F.TO_363: 50, F.HINH_SU: 50}, T.SNATCH_THEFT: {F.TO_363: 60, F.HINH_SU: 30,
                                                               F.PHUONG: 10},
    T.THEFT: {F.PHUONG: 60, F.HINH_SU: 25, F.TO_363: 15},
    T.PUBLIC_DISORDER: {F.PHUONG: 50, F.DAN_QUAN: 30, F.TO_363: 20},
    T.GATHERING_RACING: {F.TO_363: 60, F.DAN_QUAN: 40}, T.FIGHT: {F.TO_363: 50, F.PHUONG: 50},
    T.TRAFFIC_ACCIDENT: {F.PHUONG: 60, F.TO_363: 40}, T.OTHER: {F.PHUONG: 70, F.DAN_QUAN: 30},
}
_DISPOSITIONS = {
    T.THEFT: "Lập biên bản, chuyển Đội Cảnh sát điều tra", T.SNATCH_THEFT: "Truy xét, "
    "chuyển Đội Cảnh sát hình sự", T.ROBBERY: "Chuyển Đội Cảnh sát hình sự thụ lý",
    T.PUBLIC_DISORDER: "Nhắc nhở, lập biên bản vi phạm hành chính",
    T.GATHERING_RACING: "Giải tán, tạm giữ phương tiện", T.FIGHT: "Hòa giải tại chỗ, lập biên bản",
    T.TRAFFIC_ACCIDENT: "Bàn giao Cảnh sát giao thông", T.OTHER: "Đã xác minh, xử lý xong",
}
# The centre's timings (minutes): received → dispatched by priority; dispatched → en route
# (low, high, mode); en route → on scene comes from the distance; on scene (low, high,
# mode) by type; cleared → closed (the report written).
_DISPATCH_MIN = {1: (1.0, 2.0), 2: (1.0, 3.0), 3: (1.5, 4.0), 4: (2.5, 5.0)}
_EN_ROUTE_MIN = (1 / 3, 3.0, 0.75)
_ON_SCENE_MIN = {T.THEFT: (15, 50, 25), T.SNATCH_THEFT: (15, 45, 20), T.ROBBERY: (25, 60, 35),
                 T.PUBLIC_DISORDER: (10, 35, 15), T.GATHERING_RACING: (10, 30, 12),
                 T.FIGHT: (15, 45, 20), T.TRAFFIC_ACCIDENT: (20, 60, 30),
                 T.OTHER: (10, 40, 15)}
_CLOSE_AFTER_MIN = (2.0, 15.0)
BACK_ON_PATROL_MIN = 45.0  # a unit free this long patrols its own area again
PATROL_SIGMA_M = 500.0
_CANCEL_REASONS = ("Báo tin sai sự thật", "Trùng tin báo đã tiếp nhận", "Người báo tự giải quyết")


def patrol_homes(current: BoundaryEdition,
                 units: list[c.AddUnit]) -> dict[str, tuple[float, float]]:
    """Where each unit patrols from (metres): its ward's middle, or the district's."""
    middles = {}
    for ward in current.wards:
        p = ward.geometry.representative_point()
        x, y = crs.from_wgs84(METRIC, p.x, p.y)
        middles[ward.code] = (float(x), float(y))
    cx, cy = crs.from_wgs84(METRIC, *DISTRICT_MIDDLE)
    return {u.call_sign: middles.get(u.home_ward or "", (float(cx), float(cy))) for u in units}


class Centre:
    """The dispatch centre at work over the generated span, as a discrete-event simulation:
    a heap of timed steps (a call comes in, an officer dispatches, a unit moves on, an
    incident is cleared and closed), all incidents interleaved. A unit is busy from its
    dispatch to the clearing of its incident; a call waits while no unit is free."""

    def __init__(self, rng: random.Random, units: list[c.AddUnit],
                 homes: dict[str, tuple[float, float]]) -> None:
        self.rng = rng
        self.force = {u.call_sign: u.force for u in units}
        self.drill_units = {u.call_sign for u in units if u.exercise}
        self.homes = homes
        self.free_at = dict.fromkeys(self.force, 0)  # when each unit is next free
        self.left = {u: (*homes[u], 0) for u in self.force}  # (x, y, when) it last cleared
        self._heap: list[tuple[int, int, str, Any]] = []
        self._order = itertools.count()

    def _at(self, t_us: int, step: str, what: Any) -> None:
        heapq.heappush(self._heap, (t_us, next(self._order), step, what))

    def run(self, calls: Sequence[Call], until_us: int
            ) -> tuple[list[tuple[int, c.Command]], set[str]]:
        """The commands before ``until_us`` in time order, and the incidents still open."""
        for call in calls:
            self._at(call.received_us, "call", call)
        out: list[tuple[int, c.Command]] = []
        still_open: set[str] = set()
        while self._heap and self._heap[0][0] < until_us:
            t, _, step, what = heapq.heappop(self._heap)
            if step == "command":
                out.append((t, what))
                if isinstance(what, c.CloseIncident | c.CancelIncident):
                    still_open.discard(what.incident_id)
            elif step == "call":
                out.append((t, what.create))
                still_open.add(what.id)
                if what.cancelled:
                    self._at(t + minutes_us(self.rng.uniform(1, 8)), "command",
                             c.CancelIncident(what.id, self.rng.choice(_CANCEL_REASONS)))
                else:
                    low, high = _DISPATCH_MIN[what.create.priority]
                    self._at(t + minutes_us(self.rng.uniform(low, high)), "dispatch", what)
            else:
                out += self._dispatch(t, what)
        return out, still_open

    def _where(self, unit: str, t_us: int) -> tuple[float, float]:
        x, y, since = self.left[unit]
        if t_us - since < minutes_us(BACK_ON_PATROL_MIN):
            return x, y
        hx, hy = self.homes[unit]  # patrolling its area again
        return hx + self.rng.gauss(0, PATROL_SIGMA_M), hy + self.rng.gauss(0, PATROL_SIGMA_M)

    def _crew(self, call: Call, t_us: int) -> list[tuple[str, float]]:
        """The units sent (with their distance, m): the ward's own patrol or the nearest
        free unit of the force the incident calls for; any free unit if that force has
        none; for a robbery, a fight or racing sometimes a second one."""
        # a drill is answered by the drill units, a real call never by them
        free = [u for u, at in self.free_at.items()
                if at < t_us and (u in self.drill_units) == call.create.exercise]
        if not free:
            return []
        dist: dict[str, float] = {}

        def distance(unit: str) -> float:  # only for the units compared: a gauss draw each
            if unit not in dist:
                x, y = self._where(unit, t_us)
                dist[unit] = math.hypot(x - call.x, y - call.y)
            return dist[unit]

        forces = _FORCES[call.kind]
        force = self.rng.choices(list(forces), list(forces.values()))[0]
        own = f"CAP-{call.ward_now}"
        if force is Force.PHUONG and own in free:
            first = own
        else:
            first = min([u for u in free if self.force[u] is force] or free, key=distance)
        crew = [first]
        others = [u for u in free if u != first]
        if (call.kind in (T.ROBBERY, T.FIGHT, T.GATHERING_RACING) and others
                and self.rng.random() < 0.25):
            crew.append(min(others, key=distance))
        return [(u, distance(u)) for u in crew]

    def _dispatch(self, t_us: int, call: Call) -> list[tuple[int, c.Command]]:
        crew = self._crew(call, t_us)
        if not crew:  # every unit is out: the call waits for the first one back
            back = min(at for u, at in self.free_at.items()
                       if (u in self.drill_units) == call.create.exercise)
            self._at(max(t_us + minutes_us(0.5), back + 1), "dispatch", call)
            return []
        on_scene = []
        for unit, metres in crew:
            en_route = t_us + minutes_us(self.rng.triangular(*_EN_ROUTE_MIN))
            # the product's own estimate (straight line × detour at city speed), give or
            # take the traffic, and a minute to park and find the place
            travel_s = (metres * routing.DETOUR_FACTOR / (routing.STRAIGHT_KMH / 3.6)
                        * self.rng.uniform(0.8, 1.3) + 45)
            arrive = en_route + int(travel_s * 1e6)
            self._at(en_route, "command", c.SetUnitStatus(unit, UnitStatus.EN_ROUTE))
            self._at(arrive, "command", c.SetUnitStatus(unit, UnitStatus.ON_SCENE))
            on_scene.append(arrive)
        cleared = max(on_scene) + minutes_us(self.rng.triangular(*_ON_SCENE_MIN[call.kind]))
        self._at(cleared, "command", c.ClearIncident(call.id))
        self._at(cleared + minutes_us(self.rng.uniform(*_CLOSE_AFTER_MIN)), "command",
                 c.CloseIncident(call.id, _DISPOSITIONS[call.kind]))
        for unit, _ in crew:
            self.free_at[unit] = cleared
            self.left[unit] = (call.x, call.y, cleared)
        return [(t_us, c.DispatchUnit(call.id, unit)) for unit, _ in crew]
