"""State machines for incidents and units. Every status change goes through here."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InvalidTransition
from .model import IncidentStatus as IS
from .model import UnitStatus as US

INCIDENT_TRANSITIONS: Mapping[IS, frozenset[IS]] = {
    IS.NEW: frozenset({IS.DISPATCHED, IS.CANCELLED}),
    # back to NEW when every unit sent to it has been recalled before arriving
    IS.DISPATCHED: frozenset({IS.EN_ROUTE, IS.NEW, IS.CANCELLED}),
    IS.EN_ROUTE: frozenset({IS.ON_SCENE, IS.NEW, IS.CANCELLED}),
    IS.ON_SCENE: frozenset({IS.CLEARED}),
    IS.CLEARED: frozenset({IS.CLOSED}),
    IS.CLOSED: frozenset(),
    IS.CANCELLED: frozenset(),
}

UNIT_TRANSITIONS: Mapping[US, frozenset[US]] = {
    US.AVAILABLE: frozenset({US.DISPATCHED, US.OUT_OF_SERVICE, US.OFF_DUTY}),
    # a dispatched or travelling unit can be recalled (back to available)
    US.DISPATCHED: frozenset({US.EN_ROUTE, US.AVAILABLE, US.OUT_OF_SERVICE}),
    US.EN_ROUTE: frozenset({US.ON_SCENE, US.AVAILABLE, US.OUT_OF_SERVICE}),
    US.ON_SCENE: frozenset({US.AVAILABLE, US.OUT_OF_SERVICE}),
    US.OUT_OF_SERVICE: frozenset({US.AVAILABLE, US.OFF_DUTY}),
    US.OFF_DUTY: frozenset({US.AVAILABLE}),
}

# How far an incident has come; an incident follows its most advanced unit.
INCIDENT_PROGRESS: Mapping[IS, int] = {IS.NEW: 0, IS.DISPATCHED: 1, IS.EN_ROUTE: 2, IS.ON_SCENE: 3}
UNIT_TO_INCIDENT: Mapping[US, IS] = {
    US.DISPATCHED: IS.DISPATCHED,
    US.EN_ROUTE: IS.EN_ROUTE,
    US.ON_SCENE: IS.ON_SCENE,
}


def check_incident(incident_id: str, current: IS, target: IS) -> None:
    allowed = INCIDENT_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(
            f"Incident {incident_id}", current.value, target.value, sorted(s.value for s in allowed)
        )


def check_unit(call_sign: str, current: US, target: US) -> None:
    allowed = UNIT_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(
            f"Unit {call_sign}", current.value, target.value, sorted(s.value for s in allowed)
        )
