"""The demo's generated history: the district recorded an hour before the first day, then
the centre's work on every call, each command at the moment it would have happened
(deterministic from the seed and "now")."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, replace

from ..core import commands as c
from ..geo.editions import VIETNAM_TZ, BoundaryEdition
from .cameras import add_cameras
from .centre import Centre, patrol_homes
from .complex_points import add_complex_points
from .district import DemoLayout, Sites, rng_for
from .incidents import HOURS, ID_NAMESPACE, TYPE_WEIGHTS, calls_for, drill_calls, incident_times
from .roster import SIM_PREFIX, add_units

DAY_US = 86_400_000_000
SETUP_LEAD_US = 3_600_000_000  # the district is recorded an hour before the first day
MIN_OPEN = 4  # the live board at "now" has at least this many open incidents
_FRESH_AGES_MIN = (0.7, 9.5, 3.5, 13.5)  # received this long before "now", if need be


@dataclass
class History:
    """The generated history, in time order: the district first, then the incidents."""

    setup: list[tuple[int, c.Command]]
    incidents: list[tuple[int, c.Command]]
    open_ids: set[str]  # incidents still open at "now"


def build_history(layout: DemoLayout, current: BoundaryEdition, seed: int, days: int,
                  now_us: int) -> History:
    """Everything the demo records, each command at its time (deterministic from the seed
    and ``now_us``): the district an hour before the first day, then the centre's work."""
    setup_us = now_us - days * DAY_US - SETUP_LEAD_US
    wards = {w.code: w.name for e in layout.editions for w in e.wards}
    units = add_units(current)
    setup: list[c.Command] = [c.AddWard(code, name) for code, name in sorted(wards.items())]
    setup += units
    # a simulated phone per unit: gvcommand-avl simulate drives the units that have one
    setup += [c.RegisterDevice(f"{SIM_PREFIX}{u.call_sign}", u.call_sign) for u in units]
    setup += add_cameras(layout, current)
    setup += [cmd for group in add_complex_points(layout, current) for cmd in group]

    rng = rng_for(seed, "incidents")
    sites = Sites(layout, current)
    now = dt.datetime.fromtimestamp(now_us / 1e6, VIETNAM_TZ)
    ids = (str(uuid.uuid5(ID_NAMESPACE, f"{seed}:{i}")) for i in itertools.count())
    calls = calls_for(rng, sites, layout, incident_times(rng, days, now), now_us, ids)
    calls = sorted([*calls, *drill_calls(seed, sites, layout, days, now)],
                   key=lambda call: call.received_us)
    homes = patrol_homes(current, units)
    timed, open_ids = Centre(rng_for(seed, "centre"), units, homes).run(calls, now_us)
    if len(open_ids) < MIN_OPEN:
        # a quiet hour before "now": a few calls just in, so that the live board has work
        fresh_rng = rng_for(seed, "fresh-calls")
        ages = _FRESH_AGES_MIN[: MIN_OPEN - len(open_ids)]
        types = list(TYPE_WEIGHTS)
        happened = []
        for age in ages:  # of different types: four accidents at once would look staged
            kind = fresh_rng.choices(types, [TYPE_WEIGHTS[t] * HOURS[t][now.hour]
                                             for t in types])[0]
            types.remove(kind)
            happened.append((now - dt.timedelta(minutes=age + 3), kind))
        fresh_ids = (str(uuid.uuid5(ID_NAMESPACE, f"{seed}:fresh:{i}"))
                     for i in itertools.count())
        extra = calls_for(fresh_rng, sites, layout, happened, now_us, fresh_ids,
                          delay=lambda _source: 3.0)
        extra = [replace(call, cancelled=False) for call in extra]
        timed, open_ids = Centre(rng_for(seed, "centre"), units, homes).run(
            sorted([*calls, *extra], key=lambda call: call.received_us), now_us)
    return History([(setup_us, cmd) for cmd in setup], timed, open_ids)
