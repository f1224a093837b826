"""The demo's incidents as they reach the centre: how many a day, of which type at which
hour, where (around the hotspots or anywhere), how urgent, how the centre learns of them and
how long after; and the centre's drills (diễn tập)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..core import commands as c
from ..core.model import IncidentSource, IncidentType
from ..geo.editions import VIETNAM_TZ
from .district import DemoLayout, Sites, rng_for

ID_NAMESPACE = uuid.UUID("5b0d7c7e-3c1a-4f4e-9a57-6f1d2a9e0c11")  # incident ids: uuid5(seed, n)
HOTSPOT_SHARE = 0.6
HOTSPOT_SIGMA_M = 300.0
INCIDENTS_PER_DAY = 25.0

T = IncidentType
TYPE_WEIGHTS = {T.THEFT: 32, T.SNATCH_THEFT: 16, T.PUBLIC_DISORDER: 13, T.TRAFFIC_ACCIDENT: 12,
                T.FIGHT: 9, T.GATHERING_RACING: 8, T.OTHER: 8, T.ROBBERY: 2}
_WEEKEND_TYPES = {T.PUBLIC_DISORDER, T.FIGHT, T.GATHERING_RACING}
_WEEKDAY_FACTOR = (0.92, 0.92, 0.95, 0.97, 1.05, 1.15, 1.10)  # Monday … Sunday
_EVENING = (3, 2, 1.5, 1, 1, 1.5, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 8, 10, 10, 9, 7, 4)
HOURS: dict[IncidentType, tuple[float, ...]] = {
    T.THEFT: (3, 3, 3, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 7, 6, 5, 4),
    T.SNATCH_THEFT: _EVENING,
    T.ROBBERY: (4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5),
    T.PUBLIC_DISORDER: (5, 4, 2, 1, .5, .5, .5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 2, 2, 3, 5, 7, 9,
                        10, 10, 8),
    T.FIGHT: (4, 3, 2, 1, .5, .5, .5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 2, 2, 3, 5, 7, 9, 10, 9, 7),
    T.GATHERING_RACING: (10, 10, 8, 6, 2, .3, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .2, .3,
                         .5, 1, 2, 5, 9),
    T.TRAFFIC_ACCIDENT: (1, 1, .5, .5, 1, 2, 4, 8, 7, 4, 3, 3, 3, 3, 3, 4, 6, 8, 8, 6, 4, 3, 2,
                         1.5),
    T.OTHER: (1, .5, .5, .5, .5, 1, 2, 3, 4, 5, 5, 5, 4, 4, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1),
}
# (priority, probability of one step more urgent)
_PRIORITY = {T.ROBBERY: (1, 0), T.SNATCH_THEFT: (2, .2), T.FIGHT: (2, .15),
             T.GATHERING_RACING: (2, 0), T.TRAFFIC_ACCIDENT: (2, .25), T.PUBLIC_DISORDER: (3, .1),
             T.THEFT: (4, .7), T.OTHER: (4, .3)}
S = IncidentSource
_SOURCES = {
    T.THEFT: {S.REPORT: 45, S.PHONE: 45, S.CAMERA: 5, S.PATROL: 5},
    T.SNATCH_THEFT: {S.PHONE: 75, S.CAMERA: 15, S.PATROL: 10},
    T.PUBLIC_DISORDER: {S.PHONE: 65, S.CAMERA: 15, S.PATROL: 20},
    T.GATHERING_RACING: {S.CAMERA: 35, S.PATROL: 35, S.PHONE: 30},
    T.FIGHT: {S.PHONE: 70, S.CAMERA: 15, S.PATROL: 15},
    T.TRAFFIC_ACCIDENT: {S.PHONE: 60, S.CAMERA: 30, S.PATROL: 10},
    T.ROBBERY: {S.PHONE: 90, S.REPORT: 10},
    T.OTHER: {S.PHONE: 60, S.REPORT: 40},
}
_SUMMARIES = {
    T.THEFT: ("Mất trộm xe máy dựng trước nhà", "Trộm điện thoại tại quán cà phê",
              "Đột nhập nhà dân lấy tài sản", "Trộm cắp tại cửa hàng tiện lợi"),
    T.SNATCH_THEFT: ("Cướp giật điện thoại người đi đường", "Cướp giật túi xách, đối tượng "
                     "đi xe máy", "Giật dây chuyền người đi bộ"),
    T.ROBBERY: ("Cướp tài sản có dùng hung khí", "Khống chế cướp xe máy"),
    T.PUBLIC_DISORDER: ("Nhậu say gây ồn ào, la hét", "Gây rối trật tự tại quán karaoke",
                        "Hát karaoke gây ồn sau 22 giờ"),
    T.GATHERING_RACING: ("Nhóm thanh thiếu niên tụ tập, nẹt pô", "Đua xe trái phép trên tuyến "
                         "đường", "Tụ tập đông người, nghi chuẩn bị đua xe"),
    T.FIGHT: ("Xô xát giữa hai nhóm thanh niên", "Đánh nhau sau khi nhậu", "Mâu thuẫn, đánh "
              "nhau trong hẻm"),
    T.TRAFFIC_ACCIDENT: ("Va chạm giữa xe máy và ô tô", "Tai nạn xe máy, một người bị thương",
                         "Va chạm giao thông gây ùn tắc"),
    T.OTHER: ("Phát hiện người có biểu hiện nghi vấn", "Tin báo cháy nhỏ, đã dập tắt",
              "Tìm người thân đi lạc", "Tin báo tranh chấp dân sự"),
}
# Happened → received (minutes), by how the centre learns of it (a report at the station
# comes hours later).
_TOLD_AFTER_MIN = {S.PATROL: (0.5, 2.0), S.CAMERA: (1.0, 5.0), S.PHONE: (1.5, 15.0),
                   S.REPORT: (30.0, 240.0)}
# a drill every week (Wednesday morning), and one under way at "now" so that the live map
# and board show what a drill looks like
_DRILL_WEEKDAY, _DRILL_HOUR = 2, 9
_DRILL_NOW_AGO_MIN = 25.0
_DRILL_KINDS = (IncidentType.SNATCH_THEFT, IncidentType.ROBBERY, IncidentType.FIGHT,
                IncidentType.TRAFFIC_ACCIDENT)


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def incident_times(rng: random.Random, days: int, now: dt.datetime
                   ) -> list[tuple[dt.datetime, IncidentType]]:
    """When incidents of which type happen in the ``days`` before ``now``, in time order."""
    start = now - dt.timedelta(days=days)
    types = list(TYPE_WEIGHTS)
    found = []
    day = start.date()
    while day <= now.date():
        weekend = day.weekday() >= 4  # Friday to Sunday nights
        weights = [TYPE_WEIGHTS[t] * (1.4 if weekend and t in _WEEKEND_TYPES else 1.0)
                   for t in types]
        for _ in range(_poisson(rng, INCIDENTS_PER_DAY * _WEEKDAY_FACTOR[day.weekday()])):
            kind = rng.choices(types, weights)[0]
            hour = rng.choices(range(24), HOURS[kind])[0]
            when = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                               rng.randrange(60), tzinfo=VIETNAM_TZ)
            if start <= when < now:
                found.append((when, kind))
        day += dt.timedelta(days=1)
    found.sort(key=lambda item: item[0])
    return found


@dataclass(frozen=True)
class Call:
    """An incident as it reaches the centre: what, where, when it happened and was told."""

    id: str
    kind: IncidentType
    occurred_us: int
    received_us: int
    x: float  # EPSG:9210 metres
    y: float
    ward_now: str  # the ward in force today, whose patrol (CAP) answers
    create: c.CreateIncident
    cancelled: bool


def minutes_us(minutes: float) -> int:
    """Minutes as microseconds (the log's unit of time)."""
    return int(minutes * 60_000_000)


def calls_for(rng: random.Random, sites: Sites, layout: DemoLayout,
              happened: list[tuple[dt.datetime, IncidentType]], now_us: int, ids: Iterator[str],
              delay: Callable[[IncidentSource], float] | None = None) -> list[Call]:
    """The calls for incidents that happened at ``happened``, received before ``now_us``."""
    weights = [h.weight for h in layout.hotspots]
    xs, ys = [], []
    for _ in happened:
        if rng.random() < HOTSPOT_SHARE:
            spot = rng.choices(layout.hotspots, weights)[0]
            x, y = sites.near(rng, spot.x, spot.y, HOTSPOT_SIGMA_M)
        else:
            x, y = sites.anywhere(rng)
        xs.append(x)
        ys.append(y)
    lon, lat, today_wards = sites.lonlat_wards(xs, ys)
    addresses = sites.addresses(rng, xs, ys)
    wards: list[str | None] = [None] * len(happened)
    for edition in layout.editions:
        mine = [i for i, (when, _) in enumerate(happened) if edition.covers(when)]
        if mine:
            found = edition.ward_indices(lon[mine], lat[mine])
            for i, k in zip(mine, found, strict=True):
                wards[i] = edition.wards[k].code if k >= 0 else None
    calls = []
    for i, (when, kind) in enumerate(happened):
        first, bump = _PRIORITY[kind]
        inc_id = next(ids)
        source = rng.choices(list(_SOURCES[kind]), list(_SOURCES[kind].values()))[0]
        occurred_us = int(when.timestamp()) * 1_000_000
        told = delay(source) if delay else rng.uniform(*_TOLD_AFTER_MIN[source])
        create = c.CreateIncident(
            inc_id, kind, max(1, first - (rng.random() < bump)), float(lon[i]), float(lat[i]),
            source, wards[i], addresses[i], rng.choice(_SUMMARIES[kind]),
            occurred_us=occurred_us,
        )
        cancelled = rng.random() < 0.04
        received_us = occurred_us + minutes_us(told)
        if received_us < now_us:
            calls.append(Call(inc_id, kind, occurred_us, received_us, xs[i], ys[i],
                              today_wards[i], create, cancelled))
    return calls


def drill_calls(seed: int, sites: Sites, layout: DemoLayout, days: int, now: dt.datetime
                ) -> list[Call]:
    """The centre's drills (diễn tập): weekly, and one under way now; answered by the drill
    unit alone, told as drills in their summaries, left out of the statistics."""
    rng = rng_for(seed, "drills")
    start = (now - dt.timedelta(days=days)).date()
    happened = []
    day = start
    while day < now.date():
        if day.weekday() == _DRILL_WEEKDAY:
            happened.append((dt.datetime(day.year, day.month, day.day, _DRILL_HOUR,
                                         rng.randrange(60), tzinfo=VIETNAM_TZ),
                             rng.choice(_DRILL_KINDS)))
        day += dt.timedelta(days=1)
    happened.append((now - dt.timedelta(minutes=_DRILL_NOW_AGO_MIN), rng.choice(_DRILL_KINDS)))
    ids = (str(uuid.uuid5(ID_NAMESPACE, f"{seed}:drill:{i}")) for i in itertools.count())
    calls = calls_for(rng, sites, layout, happened, int(now.timestamp() * 1e6), ids,
                      delay=lambda _source: 0.5)
    return [replace(call, cancelled=False, create=replace(
        call.create, exercise=True, caller_name=None, callback_number=None,
        summary=f"Diễn tập: {call.create.summary}")) for call in calls]
