"""What the officer reads about commands: a refusal in plain words (what happened, who did
it, what to do), a waiting command in a few words, a time limit. Shared by the console's
command path, the unit board and the incident panel."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from ..core import commands as c
from ..core import events as ev
from ..core.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
    VersionConflict,
)
from ..core.handlers import DrillMismatch, UnitBusy
from ..core.model import IncidentStatus, UnitStatus
from ..core.state import UNIT_KIND_STATUS, State

# the status each incident order leads to
INCIDENT_TARGET: dict[type, IncidentStatus] = {c.ClearIncident: IncidentStatus.CLEARED,
                    c.CloseIncident: IncidentStatus.CLOSED,
                    c.CancelIncident: IncidentStatus.CANCELLED}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dispatch", text)


def trc(text: str) -> str:
    """A string of the console-commands context (translated in ConsoleCommands)."""
    return QCoreApplication.translate("ConsoleCommands", text)


# --- refusals in the officer's words -------------------------------------------------------------
def _status_label(code: str) -> str:
    for enum in (UnitStatus, IncidentStatus):
        try:
            return str(enum(code).label)
        except ValueError:
            continue
    return code


def explain(exc: BaseException, state: State | None = None) -> str:
    """What the officer reads when a command is refused: what happened, who did it, what to
    do. Nothing was written (a refused command writes nothing)."""
    if isinstance(exc, Overtaken):
        return exc.explain(state)
    if isinstance(exc, UnitBusy):
        unit = exc.unit
        inc = state.incident(unit.incident_id) if state and unit.incident_id else None
        where = (_tr(" to incident #{n}").format(n=inc.number) if inc is not None else "")
        if unit.status is UnitStatus.AVAILABLE:
            return _tr("Unit {unit} cannot be dispatched now. Choose another unit.").format(
                unit=unit.call_sign)
        return _tr("Unit {unit} is no longer available: {who} set it to “{status}”{where}. "
                   "Choose another unit.").format(
            unit=unit.call_sign, who=unit.status_by or _tr("another console"),
            status=unit.status.label, where=where)
    if isinstance(exc, DrillMismatch):
        call_sign, number = exc.unit.call_sign, exc.incident.number
        if exc.unit.exercise:
            return _tr("{unit} is on a drill (diễn tập) and #{n} is a real incident: send a "
                       "real unit, or have the duty commander take {unit} off the drill first. "
                       "Nothing was changed.").format(unit=call_sign, n=number)
        return _tr("#{n} is a drill (diễn tập) and {unit} is on real duty: a drill does not "
                   "take a real unit off real work. The duty commander puts {unit} on the "
                   "drill first. Nothing was changed.").format(unit=call_sign, n=number)
    if isinstance(exc, VersionConflict):
        kind, ident = ev.split_subject(exc.subject)
        what = (_tr("Unit {unit}").format(unit=ident) if kind == "unit"
                else _tr("Incident {ident}").format(ident=_incident_name(ident, state)))
        return _tr("{what} was just changed by {who} at another console. The board shows the "
                   "new state; look again and repeat if still needed. Nothing was changed."
                   ).format(what=what, who=exc.last_actor or _tr("someone"))
    if isinstance(exc, InvalidTransition):
        return _tr("{what} is “{current}”: it cannot go to “{target}”. Nothing was changed."
                   ).format(what=_subject_words(exc.what), current=_status_label(exc.current),
                            target=_status_label(exc.target))
    if isinstance(exc, PermissionDenied):
        return _tr("Your role may not do this. Ask the duty commander.")
    if isinstance(exc, NotFound):
        return _tr("Not found (deleted or not yet arrived at this console): {detail}").format(
            detail=str(exc))
    if isinstance(exc, ValidationError):
        return _tr("Refused: {detail}").format(detail=str(exc))
    if isinstance(exc, DomainError):
        return _tr("Refused: {detail}").format(detail=str(exc))
    return _tr("Could not reach the database: the order was not recorded. Try again "
               "({detail}).").format(detail=str(exc))


def _incident_name(ident: str, state: State | None) -> str:
    inc = state.incident(ident) if state is not None else None
    return f"#{inc.number}" if inc is not None else ident


def _subject_words(what: str) -> str:
    """Core says "Unit X" / "Incident #N"; the officer reads their own language."""
    if what.startswith("Unit "):
        return _tr("Unit {unit}").format(unit=what.removeprefix("Unit "))
    if what.startswith("Incident "):
        return _tr("Incident {ident}").format(ident=what.removeprefix("Incident "))
    return what


class Overtaken(DomainError):
    """An order whose subject was changed after the officer saw it: by someone else while it
    waited for a lost database (``waited``), or just before it reached the database. The
    event that changed it says who, where and when; ``mine`` when that was this officer at
    this console, who must not read "another console"."""

    code = "conflict"

    def __init__(self, event: ev.StoredEvent, *, waited: bool = True,
                 mine: bool = False) -> None:
        self.event, self.waited, self.mine = event, waited, mine
        super().__init__(f"{event.subject} was changed by {event.actor} at {event.console} "
                         + ("while the order waited" if waited else "before the order"))

    def explain(self, state: State | None) -> str:
        e = self.event
        kind, ident = ev.split_subject(e.subject)
        if kind == "unit":
            what = _tr("Unit {unit}").format(unit=ident)
            status = UNIT_KIND_STATUS.get(e.kind)
        else:
            what = _tr("Incident {ident}").format(ident=_incident_name(ident, state))
            status = None
        to = (status.label if status is not None
              else _status_label(str(e.payload.get("to", ""))) or e.kind)
        if status is UnitStatus.DISPATCHED and e.payload.get("incident_id"):
            to += _tr(" to incident #{n}").format(
                n=_incident_name(str(e.payload["incident_id"]), state).lstrip("#"))
        time = dt.datetime.fromtimestamp(e.ts_us / 1e6).strftime("%H:%M:%S")
        if self.waited:
            return trc("Not sent: while it waited, {who} at console {console} set {what} to "
                       "“{status}” at {time}. Look at the board and give the order again if "
                       "it is still needed.").format(
                who=e.actor, console=e.console, what=what, status=to, time=time)
        if self.mine:
            return trc("Not sent: your own earlier order at this console set {what} to "
                       "“{status}” at {time}, after you gave this one. The board shows the "
                       "new state; give the order again if it is still needed.").format(
                what=what, status=to, time=time)
        return trc("Not sent: {who} at console {console} set {what} to “{status}” at "
                   "{time}, just before this order reached the database. The board shows "
                   "the new state; give the order again if it is still needed.").format(
            who=e.actor, console=e.console, what=what, status=to, time=time)


def describe(command: c.Command, state: State | None = None) -> str:
    """A waiting command in a few words (the status bar, the board, the cancel menu)."""
    def number(ident: str) -> str:
        return _incident_name(ident, state)

    if isinstance(command, c.DispatchUnit):
        return trc("dispatch {unit} → {incident}").format(
            unit=command.unit_id, incident=number(command.incident_id))
    if isinstance(command, c.SetUnitStatus):
        return f"{command.unit_id} → {command.status.label}"
    if isinstance(command, c.SetUnitExercise):
        return (trc("{unit} on a drill") if command.exercise
                else trc("{unit} back on real duty")).format(unit=command.unit_id)
    if isinstance(command, c.CreateIncident):
        return trc("new incident ({type})").format(type=command.type.label)
    if isinstance(command, c.LinkReport):
        return trc("report linked to {incident}").format(incident=number(command.incident_id))
    if isinstance(command, c.AddIncidentNote):
        return trc("note on {incident}").format(incident=number(command.incident_id))
    if isinstance(command, c.StartLiveView):
        return trc("view of camera {camera} (record)").format(camera=command.camera)
    if isinstance(command, c.StopLiveView):
        return trc("end of view of camera {camera} (record)").format(camera=command.camera)
    target = INCIDENT_TARGET.get(type(command))
    if target is not None:
        ident = str(getattr(command, "incident_id", ""))
        return f"{number(ident)} → {target.label}"
    return type(command).__name__


def limit_text(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return trc("{n} min").format(n=int(seconds // 60))
    return trc("{n} s").format(n=f"{seconds:g}")
