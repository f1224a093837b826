"""gvcommand-admin units: add-unit, and unit-exercise (a unit on a drill, diễn tập, or back
on real duty)."""

from __future__ import annotations

import click

from ..core import commands as c
from ..core import events as ev
from ..core.model import EXERCISE_LABEL, Force
from ._common import AdminContext, actor, clear_errors, find_ward


@click.command("add-unit")
@click.argument("call_sign")
@click.option("--force", "force", type=click.Choice([f.value for f in Force]), required=True,
              help="363 = Tổ công tác 363, hinh-su = Tổ hình sự đặc nhiệm, "
              "phuong = Công an phường tuần tra, dan-quan = Dân quân tự vệ phối hợp")
@click.option("--ward", help="home ward, by code or name")
@click.option("--exercise", is_flag=True,
              help="a unit for drills (diễn tập) only: never sent to a real incident, left "
              "out of statistics")
@click.pass_obj
@clear_errors
def add_unit(obj: AdminContext, call_sign: str, force: str, ward: str | None,
             exercise: bool) -> None:
    """Add a patrol unit."""
    store = obj.store()
    ward_code = find_ward(store, ward) if ward else None
    store.execute(c.AddUnit(call_sign, Force(force), ward_code, exercise=exercise), actor())
    drill = f", {EXERCISE_LABEL.lower()}" if exercise else ""
    click.echo(f"unit {call_sign} ({Force(force).label}{drill}) added")


@click.command("unit-exercise")
@click.argument("call_sign")
@click.argument("state", type=click.Choice(["on", "off"]))
@click.pass_obj
@clear_errors
def unit_exercise(obj: AdminContext, call_sign: str, state: str) -> None:
    """Put a unit on a drill (diễn tập: "on") or back on real duty ("off").

    A unit on a drill is sent only to drill incidents and its time is left out of the shift
    report. A unit on a real incident cannot be put on a drill; one taken off a drill while
    on a drill incident is released from it and is available at once."""
    store = obj.store()
    result = store.execute(c.SetUnitExercise(call_sign, state == "on"), actor())
    released = any(e.kind == ev.INCIDENT_UNIT_RELEASED for e in result.events)
    click.echo(f"unit {call_sign} " + ("is on a drill (diễn tập)" if state == "on"
                                       else "is back on real duty")
               + (", released from its drill incident" if released else ""))


COMMANDS = (add_unit, unit_exercise)
