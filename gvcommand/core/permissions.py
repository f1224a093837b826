"""Who may do what. Checked in every command handler; the UI only hides what is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import commands as c
from .errors import PermissionDenied
from .model import Actor, Role

_DISPATCH: frozenset[type] = frozenset(
    {
        c.CreateIncident,
        c.DispatchUnit,
        c.SetUnitStatus,
        c.ClearIncident,
        c.CloseIncident,
        c.CancelIncident,
        c.AddIncidentNote,
        c.LinkReport,
    }
)
_ROSTER: frozenset[type] = frozenset({c.AddUnit, c.AddCamera, c.UpdateCamera,
                                      c.RetireCamera, c.AddWard,
                                      c.ImportBoundaryEdition, c.AddComplexPoint,
                                      c.RegisterDevice, c.RetireDevice})
# declaring a complex point settled is an operational judgement: the supervisor's
_WATCH: frozenset[type] = frozenset({c.SetComplexPointStatus})
# putting a unit on a drill (diễn tập) or back on real duty: the supervisor on duty, or an
# administrator preparing a drill; operators dispatch what they are given
_DRILL: frozenset[type] = frozenset({c.SetUnitExercise})
_USERS: frozenset[type] = frozenset({c.CreateUser, c.ChangeUserRole})
# reference data that every console draws (the road network): the administrators'
_DATA: frozenset[type] = frozenset({c.ImportRoadNetwork, c.ImportPlaces})
# looking at recorded movements or at cameras (live or recorded): anyone with a reason to,
# and always on the record; administrators too (a camera is checked after it is set up)
_VIEW: frozenset[type] = frozenset({c.ViewTrack, c.StartLiveView, c.StopLiveView})

ALLOWED: Mapping[Role, frozenset[type]] = {
    Role.OPERATOR: _DISPATCH | _VIEW,
    Role.SUPERVISOR: _DISPATCH | _ROSTER | _WATCH | _DRILL | _VIEW,
    # administrators run the system; they do not dispatch (separation of duties)
    Role.ADMIN: _ROSTER | _USERS | _DATA | _DRILL | _VIEW,
    # auditors read everything and change nothing (their views are recorded too)
    Role.AUDITOR: _VIEW,
}


# who may read a caller's name and callback number: those who take and handle reports, and
# the auditors who check them; administrators run the system and do not see them
SEES_CALLER: frozenset[Role] = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.AUDITOR})


def may_see_caller(role: Role) -> bool:
    return role in SEES_CALLER


PERSONAL_KEYS = ("caller_name", "callback_number")
MASK = "***"


def visible_payload(role: Role | None, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload as ``role`` may read it: a caller's name and number masked for
    the roles that may not see them (``None``: nobody logged in, masked too)."""
    if role is not None and may_see_caller(role):
        return payload
    if not any(key in payload for key in PERSONAL_KEYS):
        return payload
    return {k: (MASK if k in PERSONAL_KEYS and v else v) for k, v in payload.items()}


def may(role: Role, command_type: type) -> bool:
    return command_type in ALLOWED[role]


def check(actor: Actor, command: object) -> None:
    if not may(actor.role, type(command)):
        raise PermissionDenied(
            f"{actor.name} ({actor.role.label}) may not {type(command).__name__}; "
            "ask a user with the right role"
        )
