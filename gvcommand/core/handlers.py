"""Command handlers: check a command against the state and decide its events.

``decide`` never changes the state; the caller appends the events (in one transaction with
the projections, in the store) and folds them in with :func:`gvcommand.core.state.apply`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from . import commands as c
from . import events as ev
from . import permissions, transitions
from .cameras import camera_record
from .errors import (
    AlreadyExists,
    InvalidTransition,
    NotFound,
    ValidationError,
    VersionConflict,
)
from .model import (
    Actor,
    Camera,
    ComplexPoint,
    Incident,
    IncidentStatus,
    StreamKind,
    Unit,
    UnitStatus,
)
from .state import UNIT_STATUS_KIND, State
from .transitions import INCIDENT_PROGRESS, UNIT_TO_INCIDENT

USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
CODE = re.compile(r"^[\w][\w .\-/]{0,39}$")
VIEW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{7,63}$")  # a console's UUID
PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{1,23}$")
MAX_TEXT = 4000


class UnitBusy(InvalidTransition):
    """The unit was taken by someone else (or is otherwise not available)."""

    code = "conflict"

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        where = f" to incident {unit.incident_id}" if unit.incident_id else ""
        by = f" by {unit.status_by}" if unit.status_by else ""
        Exception.__init__(
            self,
            f"Unit {unit.call_sign} is not available: it is {unit.status.value}{where}{by}; "
            "choose another unit or recall it first",
        )
        self.what, self.current, self.target, self.allowed = (
            f"Unit {unit.call_sign}",
            unit.status.value,
            UnitStatus.DISPATCHED.value,
            sorted(s.value for s in transitions.UNIT_TRANSITIONS[unit.status]),
        )


class DrillMismatch(ValidationError):
    """A drill (diễn tập) unit for a real incident, or a real unit for a drill: refused, so
    that a real call never waits for a unit playing a drill, and a drill never takes a real
    unit off real work without a supervisor deciding it (:class:`c.SetUnitExercise`)."""

    def __init__(self, unit: Unit, inc: Incident) -> None:
        self.unit, self.incident = unit, inc
        if unit.exercise:
            text = (f"Unit {unit.call_sign} is on a drill (diễn tập) and incident "
                    f"#{inc.number} is real: send a real unit, or have a supervisor take "
                    f"{unit.call_sign} off the drill first")
        else:
            text = (f"Incident #{inc.number} is a drill (diễn tập) and unit {unit.call_sign} "
                    "is on real duty: a drill does not take a real unit off real work; a "
                    f"supervisor puts {unit.call_sign} on the drill first")
        super().__init__(text)


def decide(view: State, command: c.Command, actor: Actor) -> list[ev.NewEvent]:
    permissions.check(actor, command)
    handler = _HANDLERS[type(command)]
    return handler(view, command, actor)


# --- helpers -----------------------------------------------------------------------------


def _text(value: str | None, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{what} is required")
    if len(value) > limit:
        raise ValidationError(f"{what} is too long ({len(value)} characters, at most {limit})")
    return value


def _code(value: str, what: str) -> str:
    value = value.strip()
    if not CODE.fullmatch(value):
        raise ValidationError(
            f"{what} '{value}' is not valid: 1–40 letters, digits, spaces, '.', '-', '/'"
        )
    return value


def _lonlat(lon: float, lat: float) -> None:
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):  # also refuses NaN
        raise ValidationError(f"location ({lon}, {lat}) is not a WGS84 longitude/latitude")


def _expect(subject: str, expected: int | None, actual: int, last_actor: str | None) -> None:
    if expected is not None and expected != actual:
        raise VersionConflict(subject, expected, actual, last_actor)


def _unit(view: State, call_sign: str) -> Unit:
    unit = view.unit(call_sign)
    if unit is None:
        raise NotFound(f"Unit {call_sign} does not exist")
    return unit


def _incident(view: State, incident_id: str) -> Incident:
    inc = view.incident(incident_id)
    if inc is None:
        raise NotFound(f"Incident {incident_id} does not exist")
    return inc


def _ward_ok(view: State, code: str | None) -> str | None:
    if code is None or code == "":
        return None
    if view.ward(code) is None:
        raise NotFound(f"Ward {code} does not exist")
    return code


def _incident_status(inc: Incident, to: IncidentStatus, reason: str | None = None) -> ev.NewEvent:
    transitions.check_incident(f"#{inc.number}", inc.status, to)
    payload: dict[str, Any] = {"from": inc.status.value, "to": to.value}
    if reason is not None:
        payload["reason"] = reason
    return ev.NewEvent(ev.INCIDENT_STATUS_CHANGED, ev.subject("incident", inc.id), payload)


def _unit_status(
    unit: Unit, to: UnitStatus, *, incident_id: str | None, reason: str | None = None
) -> ev.NewEvent:
    transitions.check_unit(unit.call_sign, unit.status, to)
    payload: dict[str, Any] = {"from": unit.status.value, "incident_id": incident_id}
    if reason is not None:
        payload["reason"] = reason
    return ev.NewEvent(UNIT_STATUS_KIND[to], ev.subject("unit", unit.call_sign), payload)


def _release(view: State, unit: Unit, inc: Incident, *, leaving: int) -> list[ev.NewEvent]:
    """Events for ``leaving`` units going off ``inc``: the release record and, when no unit
    is left before anyone arrived, the incident back to the queue."""
    out = [
        ev.NewEvent(
            ev.INCIDENT_UNIT_RELEASED, ev.subject("incident", inc.id), {"unit": unit.call_sign}
        )
    ]
    remaining = len(view.units_on(inc.id)) - leaving
    if remaining == 0 and inc.status in (IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE):
        out.append(_incident_status(inc, IncidentStatus.NEW, "all units recalled"))
    elif remaining == 0 and inc.status is IncidentStatus.ON_SCENE:
        out.append(_incident_status(inc, IncidentStatus.CLEARED))
    return out


def _release_all(view: State, inc: Incident, why: str) -> list[ev.NewEvent]:
    """Every unit on ``inc`` back to available (the incident is done with)."""
    out: list[ev.NewEvent] = []
    for unit in view.units_on(inc.id):
        out.append(_unit_status(unit, UnitStatus.AVAILABLE, incident_id=None, reason=why))
        out.append(ev.NewEvent(ev.INCIDENT_UNIT_RELEASED, ev.subject("incident", inc.id),
                               {"unit": unit.call_sign}))
    return out


# --- handlers ----------------------------------------------------------------------------


def _create_user(view: State, cmd: c.CreateUser, actor: Actor) -> list[ev.NewEvent]:
    if not USER_NAME.fullmatch(cmd.name):
        raise ValidationError(
            f"user name '{cmd.name}' is not valid: 2–32 lower-case letters, digits, '.', '_', '-'"
        )
    if view.user(cmd.name) is not None:
        raise AlreadyExists(f"user {cmd.name} already exists")
    payload = {
        "name": cmd.name,
        "role": cmd.role.value,
        "display_name": _text(cmd.display_name, "display name", limit=100),
    }
    return [ev.NewEvent(ev.USER_CREATED, ev.subject("user", cmd.name), payload)]


def _change_role(view: State, cmd: c.ChangeUserRole, actor: Actor) -> list[ev.NewEvent]:
    user = view.user(cmd.name)
    if user is None:
        raise NotFound(f"user {cmd.name} does not exist")
    subj = ev.subject("user", cmd.name)
    _expect(subj, cmd.expected_version, user.version, None)
    if user.role is cmd.role:
        raise ValidationError(f"user {cmd.name} already has the role {cmd.role.value}")
    if cmd.name == actor.name:
        raise ValidationError("you cannot change your own role; ask another administrator")
    return [ev.NewEvent(ev.USER_ROLE_CHANGED, subj, {"role": cmd.role.value,
                                                      "from": user.role.value})]


def _add_ward(view: State, cmd: c.AddWard, actor: Actor) -> list[ev.NewEvent]:
    code = _code(cmd.code, "ward code")
    if view.ward(code) is not None:
        raise AlreadyExists(f"ward {code} already exists")
    name = _text(cmd.name, "ward name", required=True, limit=100)
    return [ev.NewEvent(ev.WARD_ADDED, ev.subject("ward", code), {"code": code, "name": name})]


def _add_unit(view: State, cmd: c.AddUnit, actor: Actor) -> list[ev.NewEvent]:
    call_sign = _code(cmd.call_sign, "call sign")
    if view.unit(call_sign) is not None:
        raise AlreadyExists(f"unit {call_sign} already exists")
    payload: dict[str, Any] = {
        "call_sign": call_sign,
        "force": cmd.force.value,
        "home_ward": _ward_ok(view, cmd.home_ward),
    }
    if cmd.exercise:
        payload["exercise"] = True  # absent means a real unit (and in older events)
    return [ev.NewEvent(ev.UNIT_ADDED, ev.subject("unit", call_sign), payload)]


def _set_unit_exercise(view: State, cmd: c.SetUnitExercise, actor: Actor) -> list[ev.NewEvent]:
    unit = _unit(view, cmd.unit_id)
    subj = ev.subject("unit", unit.call_sign)
    _expect(subj, cmd.expected_version, unit.version, unit.status_by)
    on = bool(cmd.exercise)
    if unit.exercise is on:
        raise ValidationError(f"unit {unit.call_sign} is already "
                              + ("on a drill (diễn tập)" if on else "on real duty"))
    inc = view.incident(unit.incident_id) if unit.incident_id else None
    out: list[ev.NewEvent] = []
    if inc is not None and on and not inc.exercise:
        raise ValidationError(
            f"unit {unit.call_sign} is on real incident #{inc.number}: it cannot be put on a "
            "drill until it is cleared from it or recalled")
    if inc is not None and not on and inc.exercise:
        # back to real work at once (the reason a drill unit is taken off it mid-drill is
        # usually a real call): released from the drill, available
        out.append(_unit_status(unit, UnitStatus.AVAILABLE, incident_id=None,
                                reason="taken off the drill (diễn tập)"))
        out += _release(view, unit, inc, leaving=1)
    out.append(ev.NewEvent(ev.UNIT_EXERCISE_CHANGED, subj, {"exercise": on}))
    return out


def _camera(view: State, code: str) -> Camera:
    cam = view.camera(code)
    if cam is None:
        raise NotFound(f"Camera {code} does not exist")
    return cam


def _add_camera(view: State, cmd: c.AddCamera, actor: Actor) -> list[ev.NewEvent]:
    code = _code(cmd.code, "camera code")
    existing = view.camera(code)
    if existing is not None:
        retired = " (retired)" if not existing.active else ""
        raise AlreadyExists(f"camera {code}{retired} already exists")
    fields = {f: getattr(cmd, f) for f in c.CAMERA_FIELDS}
    payload = {"code": code, **camera_record(fields, lambda w: _ward_ok(view, w))}
    return [ev.NewEvent(ev.CAMERA_ADDED, ev.subject("camera", code), payload)]


def _update_camera(view: State, cmd: c.UpdateCamera, actor: Actor) -> list[ev.NewEvent]:
    cam = _camera(view, cmd.code)
    subj = ev.subject("camera", cam.code)
    _expect(subj, cmd.expected_version, cam.version, None)
    if not cam.active:
        raise ValidationError(f"camera {cam.code} is retired: it cannot be edited")
    changes = dict(cmd.changes)
    unknown = sorted(set(changes) - set(c.CAMERA_FIELDS))
    if unknown:
        raise ValidationError(f"camera field(s) {', '.join(unknown)} cannot be changed; "
                              f"known: {', '.join(c.CAMERA_FIELDS)}")
    current = {f: getattr(cam, f) for f in c.CAMERA_FIELDS}
    before = camera_record(current, lambda w: w)  # as stored (its ward was checked then)
    after = camera_record({**current, **changes}, lambda w: _ward_ok(view, w))
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        raise ValidationError(f"camera {cam.code} already has these values: nothing to change")
    return [ev.NewEvent(ev.CAMERA_UPDATED, subj,
                        {"changes": changed, "from": {k: before[k] for k in changed}})]


def _retire_camera(view: State, cmd: c.RetireCamera, actor: Actor) -> list[ev.NewEvent]:
    cam = _camera(view, cmd.code)
    subj = ev.subject("camera", cam.code)
    _expect(subj, cmd.expected_version, cam.version, None)
    if not cam.active:
        raise ValidationError(f"camera {cam.code} is already retired")
    reason = _text(cmd.reason, "reason for retiring the camera", required=True, limit=300)
    return [ev.NewEvent(ev.CAMERA_RETIRED, subj, {"reason": reason})]


def _view_id(value: str) -> str:
    value = value.strip()
    if not VIEW_ID.fullmatch(value):
        raise ValidationError(f"view id {value!r} is not valid (8–64 letters, digits, '-')")
    return value


def _start_live_view(view: State, cmd: c.StartLiveView, actor: Actor) -> list[ev.NewEvent]:
    cam = _camera(view, cmd.camera)
    if not cam.active:
        raise ValidationError(f"camera {cam.code} is retired: it cannot be watched")
    try:
        stream = StreamKind(cmd.stream)
    except ValueError:
        raise ValidationError(f"unknown stream {cmd.stream!r}: main, sub or playback") from None
    payload: dict[str, Any] = {
        "view_id": _view_id(cmd.view_id),
        "stream": stream.value,
        "purpose": _text(cmd.purpose, "purpose", limit=200) or None,
    }
    if cmd.playback_from_us is not None:
        if stream is not StreamKind.PLAYBACK:
            raise ValidationError("a start time is given only for playback")
        if isinstance(cmd.playback_from_us, bool) or not isinstance(cmd.playback_from_us, int) \
                or cmd.playback_from_us < 0:
            raise ValidationError("playback start must be a non-negative number of µs")
        payload["playback_from_us"] = cmd.playback_from_us
    return [ev.NewEvent(ev.CAMERA_VIEW_STARTED, ev.subject("camera_view", cam.code), payload)]


def _stop_live_view(view: State, cmd: c.StopLiveView, actor: Actor) -> list[ev.NewEvent]:
    cam = _camera(view, cmd.camera)  # a retired camera's open views still stop
    payload: dict[str, Any] = {"view_id": _view_id(cmd.view_id),
                               "reason": _text(cmd.reason, "reason", required=True, limit=100)}
    if cmd.last_seen_us is not None:
        if isinstance(cmd.last_seen_us, bool) or not isinstance(cmd.last_seen_us, int) \
                or cmd.last_seen_us < 0:
            raise ValidationError("last seen must be a non-negative number of µs")
        payload["last_seen_us"] = cmd.last_seen_us
    return [ev.NewEvent(ev.CAMERA_VIEW_STOPPED, ev.subject("camera_view", cam.code), payload)]


def _create_incident(view: State, cmd: c.CreateIncident, actor: Actor) -> list[ev.NewEvent]:
    inc_id = _code(cmd.id, "incident id")
    if view.incident(inc_id) is not None:
        raise AlreadyExists(f"incident {inc_id} was already recorded (not recorded twice)")
    if cmd.priority not in (1, 2, 3, 4):
        raise ValidationError(f"priority must be 1 (highest) to 4, not {cmd.priority}")
    _lonlat(cmd.lon, cmd.lat)
    # decide has no clock, so "not in the future" is the console's check; here only the
    # impossible is refused
    if cmd.occurred_us is not None and (
        isinstance(cmd.occurred_us, bool) or not isinstance(cmd.occurred_us, int)
        or cmd.occurred_us < 0
    ):
        raise ValidationError(
            f"time of the incident must be a non-negative number of µs, not {cmd.occurred_us!r}"
        )
    payload = {
        "id": inc_id,
        "number": view.next_incident_number(),
        "type": cmd.type.value,
        "priority": cmd.priority,
        "lon": cmd.lon,
        "lat": cmd.lat,
        "source": cmd.source.value,
        "ward": _ward_ok(view, cmd.ward),
        "address": _text(cmd.address, "address", limit=300) or None,
        "summary": _text(cmd.summary, "summary"),
        "occurred_us": cmd.occurred_us,
    }
    payload.update(_caller(cmd.caller_name, cmd.callback_number))
    if cmd.exercise:
        payload["exercise"] = True  # absent means a real incident (and in older events)
    return [ev.NewEvent(ev.INCIDENT_CREATED, ev.subject("incident", inc_id), payload)]


def _caller(name: str | None, number: str | None) -> dict[str, Any]:
    """The caller's optional name and callback number, as payload keys (left out if empty)."""
    out: dict[str, Any] = {}
    if caller := _text(name, "caller's name", limit=100):
        out["caller_name"] = caller
    if callback := _text(number, "callback number", limit=24):
        if not PHONE.fullmatch(callback):
            # never echo the number itself: error messages reach the logs
            raise ValidationError("callback number is not a telephone number (digits, "
                                  "spaces, '+', '-', '.', brackets)")
        out["callback_number"] = callback
    return out


def _link_report(view: State, cmd: c.LinkReport, actor: Actor) -> list[ev.NewEvent]:
    inc = _incident(view, cmd.incident_id)
    if inc.status.terminal:
        raise ValidationError(
            f"incident #{inc.number} is {inc.status.value}: record the report as a new incident"
        )
    if (cmd.lon is None) != (cmd.lat is None):
        raise ValidationError("a report's location needs both longitude and latitude")
    if cmd.lon is not None and cmd.lat is not None:
        _lonlat(cmd.lon, cmd.lat)
    payload: dict[str, Any] = {
        "source": cmd.source.value,
        "summary": _text(cmd.summary, "summary"),
        "lon": cmd.lon,
        "lat": cmd.lat,
        **_caller(cmd.caller_name, cmd.callback_number),
    }
    return [ev.NewEvent(ev.INCIDENT_REPORT_LINKED, ev.subject("incident", inc.id), payload)]


def _dispatch(view: State, cmd: c.DispatchUnit, actor: Actor) -> list[ev.NewEvent]:
    unit = _unit(view, cmd.unit_id)
    inc = _incident(view, cmd.incident_id)
    _expect(ev.subject("unit", unit.call_sign), cmd.expected_version, unit.version,
            unit.status_by)
    if unit.status is not UnitStatus.AVAILABLE:
        raise UnitBusy(unit)
    if inc.status not in INCIDENT_PROGRESS:
        raise InvalidTransition(
            f"Incident #{inc.number}",
            inc.status.value,
            IncidentStatus.DISPATCHED.value,
            sorted(s.value for s in transitions.INCIDENT_TRANSITIONS[inc.status]),
        )
    if unit.exercise != inc.exercise:
        raise DrillMismatch(unit, inc)
    out = [
        _unit_status(unit, UnitStatus.DISPATCHED, incident_id=inc.id),
        ev.NewEvent(
            ev.INCIDENT_UNIT_ASSIGNED, ev.subject("incident", inc.id), {"unit": unit.call_sign}
        ),
    ]
    if inc.status is IncidentStatus.NEW:
        out.append(_incident_status(inc, IncidentStatus.DISPATCHED))
    return out


def _set_unit_status(view: State, cmd: c.SetUnitStatus, actor: Actor) -> list[ev.NewEvent]:
    unit = _unit(view, cmd.unit_id)
    _expect(ev.subject("unit", unit.call_sign), cmd.expected_version, unit.version,
            unit.status_by)
    to = cmd.status
    if to is UnitStatus.DISPATCHED:
        raise ValidationError("use dispatch to send a unit to an incident")
    reason = _text(cmd.reason, "reason", required=to is UnitStatus.OUT_OF_SERVICE, limit=300)
    inc = view.incident(unit.incident_id) if unit.incident_id else None
    if to in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE):
        out = [_unit_status(unit, to, incident_id=unit.incident_id, reason=reason or None)]
        if inc is not None:
            target = UNIT_TO_INCIDENT[to]
            if INCIDENT_PROGRESS.get(inc.status, 99) < INCIDENT_PROGRESS[target]:
                out.append(_incident_status(inc, target))
        return out
    # leaving the incident (cleared, recalled, out of service) or changing duty
    out = [_unit_status(unit, to, incident_id=None, reason=reason or None)]
    if inc is not None:
        out += _release(view, unit, inc, leaving=1)
    return out


def _clear_incident(view: State, cmd: c.ClearIncident, actor: Actor) -> list[ev.NewEvent]:
    inc = _incident(view, cmd.incident_id)
    _expect(ev.subject("incident", inc.id), cmd.expected_version, inc.version,
            inc.updated_by)
    return [_incident_status(inc, IncidentStatus.CLEARED),
            *_release_all(view, inc, f"incident #{inc.number} cleared")]


def _close_incident(view: State, cmd: c.CloseIncident, actor: Actor) -> list[ev.NewEvent]:
    inc = _incident(view, cmd.incident_id)
    _expect(ev.subject("incident", inc.id), cmd.expected_version, inc.version,
            inc.updated_by)
    return [_incident_status(inc, IncidentStatus.CLOSED,
                             _text(cmd.disposition, "disposition") or None)]


def _cancel_incident(view: State, cmd: c.CancelIncident, actor: Actor) -> list[ev.NewEvent]:
    inc = _incident(view, cmd.incident_id)
    _expect(ev.subject("incident", inc.id), cmd.expected_version, inc.version,
            inc.updated_by)
    reason = _text(cmd.reason, "reason for cancelling", required=True, limit=300)
    return [_incident_status(inc, IncidentStatus.CANCELLED, reason),
            *_release_all(view, inc, f"incident #{inc.number} cancelled")]


def _add_note(view: State, cmd: c.AddIncidentNote, actor: Actor) -> list[ev.NewEvent]:
    inc = _incident(view, cmd.incident_id)
    text = _text(cmd.text, "note", required=True)
    return [ev.NewEvent(ev.INCIDENT_NOTE_ADDED, ev.subject("incident", inc.id), {"text": text})]


_Handler = Callable[[State, Any, Actor], list[ev.NewEvent]]

def _iso_date(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{what} '{value}' is not a date (YYYY-MM-DD)") from None


def _import_edition(view: State, cmd: c.ImportBoundaryEdition, actor: Actor) -> list[ev.NewEvent]:
    name = _text(cmd.name, "edition name", required=True, limit=100)
    if view.edition(name) is not None:
        raise AlreadyExists(f"boundary edition '{name}' already exists; choose another name")
    start = _iso_date(cmd.valid_from, "valid from")
    end = _iso_date(cmd.valid_to, "valid to")
    assert start is not None
    if end is not None and end < start:
        raise ValidationError(f"edition '{name}' would end ({end}) before it starts ({start})")
    if not cmd.wards:
        raise ValidationError(f"edition '{name}' has no wards")
    codes = [_code(w.code, "ward code") for w in cmd.wards]
    if len(set(codes)) != len(codes):
        twice = sorted({x for x in codes if codes.count(x) > 1})
        raise ValidationError(f"edition '{name}' names ward(s) {', '.join(twice)} twice")
    for other in view.all_editions():
        o_start = date.fromisoformat(other.valid_from)
        o_end = date.fromisoformat(other.valid_to) if other.valid_to else date.max
        if start <= o_end and o_start <= (end or date.max):
            raise ValidationError(
                f"edition '{name}' ({start} – {end or 'open'}) overlaps edition '{other.name}' "
                f"({other.valid_from} – {other.valid_to or 'open'}); a date must have one "
                "set of wards: end the other edition first or change the dates"
            )
    payload = {
        "name": name,
        "valid_from": start.isoformat(),
        "valid_to": end.isoformat() if end else None,
        "source_sha256": cmd.source_sha256,
        "wards": [
            {"code": code, "name": _text(w.name, "ward name", required=True, limit=100),
             "area_km2": w.area_km2, "geometry_sha256": w.geometry_sha256}
            for code, w in zip(codes, cmd.wards, strict=True)
        ],
    }
    return [ev.NewEvent(ev.BOUNDARY_EDITION_IMPORTED, ev.subject("edition", name), payload)]


SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _import_road_network(
    view: State, cmd: c.ImportRoadNetwork, actor: Actor
) -> list[ev.NewEvent]:
    name = _text(cmd.name, "road network name", required=True, limit=100)
    if view.road_network(name) is not None:
        raise AlreadyExists(f"road network '{name}' already exists; choose another name")
    for what, digest in (("source", cmd.source_sha256), ("geometry", cmd.geometry_sha256)):
        if not SHA256_HEX.fullmatch(digest):
            raise ValidationError(f"the {what} digest of road network '{name}' is not a "
                                  "SHA-256 (64 lowercase hex digits)")
    if isinstance(cmd.segment_count, bool) or cmd.segment_count < 1:
        raise ValidationError(f"road network '{name}' has no road segments")
    if not (math.isfinite(cmd.length_km) and cmd.length_km > 0):
        raise ValidationError(
            f"road network '{name}' has a total length of {cmd.length_km} km; "
            "expected a positive number")
    payload = {
        "name": name,
        "source_sha256": cmd.source_sha256,
        "segment_count": int(cmd.segment_count),
        "length_km": float(cmd.length_km),
        "geometry_sha256": cmd.geometry_sha256,
    }
    return [ev.NewEvent(ev.ROAD_NETWORK_IMPORTED, ev.subject("road_network", name), payload)]


def _import_places(view: State, cmd: c.ImportPlaces, actor: Actor) -> list[ev.NewEvent]:
    name = _text(cmd.name, "name of the places", required=True, limit=100)
    if view.place_set(name) is not None:
        raise AlreadyExists(f"places '{name}' were already imported; choose another name")
    for what, digest in (("source", cmd.source_sha256), ("places", cmd.places_sha256)):
        if not SHA256_HEX.fullmatch(digest):
            raise ValidationError(f"the {what} digest of places '{name}' is not a SHA-256 "
                                  "(64 lowercase hex digits)")
    if isinstance(cmd.place_count, bool) or cmd.place_count < 1:
        raise ValidationError(f"places '{name}': there are no places to import")
    payload = {
        "name": name,
        "source_sha256": cmd.source_sha256,
        "place_count": int(cmd.place_count),
        "places_sha256": cmd.places_sha256,
    }
    return [ev.NewEvent(ev.PLACES_IMPORTED, ev.subject("place_set", name), payload)]


def _complex_point(view: State, code: str) -> ComplexPoint:
    point = view.complex_point(code)
    if point is None:
        raise NotFound(f"Complex point {code} does not exist")
    return point


def _add_complex_point(view: State, cmd: c.AddComplexPoint, actor: Actor) -> list[ev.NewEvent]:
    code = _code(cmd.code, "complex point code")
    if view.complex_point(code) is not None:
        raise AlreadyExists(f"complex point {code} already exists")
    _lonlat(cmd.lon, cmd.lat)
    payload = {
        "code": code,
        "name": _text(cmd.name, "complex point name", required=True, limit=200),
        "lon": cmd.lon,
        "lat": cmd.lat,
        "ward": _ward_ok(view, cmd.ward),
        "note": _text(cmd.note, "note"),
    }
    return [ev.NewEvent(ev.COMPLEX_POINT_ADDED, ev.subject("complex_point", code), payload)]


def _register_device(view: State, cmd: c.RegisterDevice, actor: Actor) -> list[ev.NewEvent]:
    device_id = _text(cmd.device_id, "device id", required=True, limit=100)
    if any(ch.isspace() for ch in device_id):
        raise ValidationError(f"device id '{device_id}' must not contain spaces")
    unit = _unit(view, cmd.unit).call_sign
    current = view.device(device_id)
    if current is not None and current.active and current.unit == unit \
            and current.has_secret == cmd.has_secret:
        raise AlreadyExists(f"device {device_id} is already {unit}'s")
    payload = {"device_id": device_id, "unit": unit, "has_secret": cmd.has_secret}
    return [ev.NewEvent(ev.DEVICE_REGISTERED, ev.subject("device", device_id), payload)]


def _view_track(view: State, cmd: c.ViewTrack, actor: Actor) -> list[ev.NewEvent]:
    if cmd.unit != "*":
        _unit(view, cmd.unit)
    if cmd.from_us > cmd.to_us:
        raise ValidationError("the period of a track ends before it starts")
    if cmd.purpose not in ("view", "export"):
        raise ValidationError(f"unknown purpose {cmd.purpose!r}")
    return [ev.NewEvent(ev.TRACK_VIEWED, ev.subject("track", cmd.unit),
                        {"from_us": cmd.from_us, "to_us": cmd.to_us, "purpose": cmd.purpose})]


def _retire_device(view: State, cmd: c.RetireDevice, actor: Actor) -> list[ev.NewEvent]:
    device = view.device(cmd.device_id.strip())
    if device is None:
        raise NotFound(f"Device {cmd.device_id} does not exist")
    if not device.active:
        raise ValidationError(f"device {device.device_id} is already retired")
    return [ev.NewEvent(ev.DEVICE_RETIRED, ev.subject("device", device.device_id),
                        {"unit": device.unit})]


def _set_complex_point_status(
    view: State, cmd: c.SetComplexPointStatus, actor: Actor
) -> list[ev.NewEvent]:
    point = _complex_point(view, cmd.code)
    subj = ev.subject("complex_point", point.code)
    _expect(subj, cmd.expected_version, point.version, None)
    if point.status is cmd.status:
        raise ValidationError(
            f"complex point {point.code} is already {cmd.status.value} ({cmd.status.label})"
        )
    note = _text(cmd.note, "reason for the change", required=True)
    return [ev.NewEvent(ev.COMPLEX_POINT_STATUS_CHANGED, subj,
                        {"status": cmd.status.value, "from": point.status.value, "note": note})]


_HANDLERS: dict[type, _Handler] = {
    c.CreateUser: _create_user,
    c.ChangeUserRole: _change_role,
    c.AddWard: _add_ward,
    c.AddUnit: _add_unit,
    c.SetUnitExercise: _set_unit_exercise,
    c.AddCamera: _add_camera,
    c.UpdateCamera: _update_camera,
    c.RetireCamera: _retire_camera,
    c.StartLiveView: _start_live_view,
    c.StopLiveView: _stop_live_view,
    c.CreateIncident: _create_incident,
    c.DispatchUnit: _dispatch,
    c.SetUnitStatus: _set_unit_status,
    c.ClearIncident: _clear_incident,
    c.CloseIncident: _close_incident,
    c.CancelIncident: _cancel_incident,
    c.AddIncidentNote: _add_note,
    c.LinkReport: _link_report,
    c.ImportBoundaryEdition: _import_edition,
    c.ImportRoadNetwork: _import_road_network,
    c.ImportPlaces: _import_places,
    c.AddComplexPoint: _add_complex_point,
    c.SetComplexPointStatus: _set_complex_point_status,
    c.RegisterDevice: _register_device,
    c.RetireDevice: _retire_device,
    c.ViewTrack: _view_track,
}
