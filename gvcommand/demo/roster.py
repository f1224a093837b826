"""The demo's units: 363 teams, criminal-police teams, each ward's patrol and militia, and a
unit the centre trains with (on drills only); each has a simulated phone (``sim-…``) that
``gvcommand-avl simulate`` drives."""

from __future__ import annotations

from ..core import commands as c
from ..core.model import Force
from ..geo.editions import BoundaryEdition

DRILL_UNIT = "363-DT"
SIM_PREFIX = "sim-"  # gvcommand.avl.simulate drives only these devices


def add_units(current: BoundaryEdition) -> list[c.AddUnit]:
    """The units, their home wards those of ``current`` (the edition in force now)."""
    codes = [w.code for w in current.wards]
    units = [c.AddUnit(f"363-{i:02d}", Force.TO_363, codes[(i - 1) % len(codes)])
             for i in range(1, 7)]
    units += [c.AddUnit(f"HS-{i:02d}", Force.HINH_SU) for i in range(1, 4)]
    units += [c.AddUnit(f"CAP-{code}", Force.PHUONG, code) for code in codes]
    units += [c.AddUnit(f"DQ-{i:02d}", Force.DAN_QUAN, codes[(i - 1) % len(codes)])
              for i in range(1, 7)]
    # the unit the centre trains with: on drills only (diễn tập), never sent to a real call
    units += [c.AddUnit(DRILL_UNIT, Force.TO_363, codes[0], exercise=True)]
    return units
