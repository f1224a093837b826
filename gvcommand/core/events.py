"""Events: what happened, as typed records, and the hash chain that makes the log tamper-evident.

An event is decided by :mod:`gvcommand.core.handlers` as a :class:`NewEvent` (kind, subject,
payload). The store appends it, giving it a gapless sequence number, the server time, the actor
and console, and a SHA-256 hash over a canonical encoding chained to the previous event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

GENESIS_HASH = "0" * 64
ENCODING_VERSION = 1

# Event kinds. Subjects are "<kind of thing>:<id>", e.g. "unit:363-01".
USER_CREATED = "user.created"
USER_ROLE_CHANGED = "user.role_changed"
USER_PASSWORD_SET = "user.password_set"
USER_LOGIN_SUCCEEDED = "user.login_succeeded"
USER_LOGIN_FAILED = "user.login_failed"
USER_LOCKED_OUT = "user.locked_out"
WARD_ADDED = "ward.added"
UNIT_ADDED = "unit.added"
UNIT_DISPATCHED = "unit.dispatched"
UNIT_EN_ROUTE = "unit.en_route"
UNIT_ON_SCENE = "unit.on_scene"
UNIT_AVAILABLE = "unit.available"
UNIT_OUT_OF_SERVICE = "unit.out_of_service"
UNIT_OFF_DUTY = "unit.off_duty"
UNIT_EXERCISE_CHANGED = "unit.exercise_changed"  # on a drill (diễn tập) or back on real duty
INCIDENT_CREATED = "incident.created"
INCIDENT_STATUS_CHANGED = "incident.status_changed"
INCIDENT_UNIT_ASSIGNED = "incident.unit_assigned"
INCIDENT_UNIT_RELEASED = "incident.unit_released"
INCIDENT_NOTE_ADDED = "incident.note_added"
INCIDENT_REPORT_LINKED = "incident.report_linked"
CAMERA_ADDED = "camera.added"
CAMERA_UPDATED = "camera.updated"
CAMERA_RETIRED = "camera.retired"
# subject camera_view:<camera code>: not the camera itself, so that watching a camera does
# not change its version (an edit is not refused because someone was watching)
CAMERA_VIEW_STARTED = "camera_view.started"
CAMERA_VIEW_STOPPED = "camera_view.stopped"
BOUNDARY_EDITION_IMPORTED = "boundary.edition_imported"
ROAD_NETWORK_IMPORTED = "road_network.imported"
PLACES_IMPORTED = "places.imported"
COMPLEX_POINT_ADDED = "complex_point.added"
COMPLEX_POINT_STATUS_CHANGED = "complex_point.status_changed"
DEVICE_REGISTERED = "device.registered"
DEVICE_RETIRED = "device.retired"
TRACK_VIEWED = "track.viewed"  # subject track:<call sign or "*">: no entity, no version

UNIT_STATUS_KINDS = frozenset(
    {
        UNIT_DISPATCHED,
        UNIT_EN_ROUTE,
        UNIT_ON_SCENE,
        UNIT_AVAILABLE,
        UNIT_OUT_OF_SERVICE,
        UNIT_OFF_DUTY,
    }
)


# --- payloads: one typed record per kind -------------------------------------------------
# Keys named "from" need TypedDict's functional form. The store checks every event it
# appends against its kind's record (check_payload): an untyped event never enters the log.


class UserCreated(TypedDict):
    name: str
    role: str
    display_name: str


UserRoleChanged = TypedDict("UserRoleChanged", {"role": str, "from": str})


class UserPasswordSet(TypedDict):
    by: str


class UserLoginSucceeded(TypedDict, total=False):  # NotRequired is lost to lazy annotations
    method: str


class UserLoginFailed(TypedDict):
    reason: str


class UserLockedOut(TypedDict):
    until_us: int


class WardAdded(TypedDict):
    code: str
    name: str


class _UnitAddedBase(TypedDict):
    call_sign: str
    force: str
    home_ward: str | None


class UnitAdded(_UnitAddedBase, total=False):
    exercise: bool  # present (true) only for a drill unit; older events lack it


class UnitExerciseChanged(TypedDict):
    exercise: bool


UnitStatusChanged = TypedDict(
    "UnitStatusChanged",
    {"from": str, "incident_id": str | None, "reason": NotRequired[str]},
)


class _IncidentCreatedBase(TypedDict):
    id: str
    number: int
    type: str
    priority: int
    lon: float
    lat: float
    source: str
    ward: str | None
    address: str | None
    summary: str
    occurred_us: int | None  # None: when recorded (the event's time)


class IncidentCreated(_IncidentCreatedBase, total=False):
    # added later: events recorded before them lack these keys (no caller, not a drill)
    caller_name: str
    callback_number: str
    exercise: bool


IncidentStatusChanged = TypedDict(
    "IncidentStatusChanged", {"from": str, "to": str, "reason": NotRequired[str]}
)


class IncidentUnitChange(TypedDict):
    unit: str


class IncidentNoteAdded(TypedDict):
    text: str


class _ReportLinkedBase(TypedDict):
    source: str
    summary: str
    lon: float | None
    lat: float | None


class IncidentReportLinked(_ReportLinkedBase, total=False):
    caller_name: str
    callback_number: str


class _CameraAddedBase(TypedDict):
    code: str
    name: str
    lon: float
    lat: float
    owner: str
    ward: str | None
    azimuth_deg: float | None
    fov_deg: float | None
    range_m: float | None


class CameraAdded(_CameraAddedBase, total=False):
    # how to reach it (added with the camera wall): older events lack these keys
    vendor: str
    host: str | None
    port: int | None
    channel: int
    transport: str
    main_url: str | None
    sub_url: str | None
    address: str | None
    tz: str | None
    credential_ref: str | None


# the fields that changed: their new values, and what they were
CameraUpdated = TypedDict("CameraUpdated", {"changes": dict[str, Any], "from": dict[str, Any]})


class CameraRetired(TypedDict):
    reason: str


class _CameraViewStartedBase(TypedDict):
    view_id: str
    stream: str  # main | sub | playback
    purpose: str | None


class CameraViewStarted(_CameraViewStartedBase, total=False):
    playback_from_us: int  # playback only


class _CameraViewStoppedBase(TypedDict):
    view_id: str
    reason: str


class CameraViewStopped(_CameraViewStoppedBase, total=False):
    last_seen_us: int  # closed at a restart: when the crashed console was last seen


class EditionWard(TypedDict):
    code: str
    name: str
    area_km2: float
    geometry_sha256: str


class BoundaryEditionImported(TypedDict):
    name: str
    valid_from: str
    valid_to: str | None
    source_sha256: str
    wards: list[EditionWard]


class RoadNetworkImported(TypedDict):
    name: str
    source_sha256: str
    segment_count: int
    length_km: float
    geometry_sha256: str  # over every segment's name, class and WKB, in order


class PlacesImported(TypedDict):
    name: str
    source_sha256: str
    place_count: int
    places_sha256: str  # over every place's name, kind, lon and lat, in order


class ComplexPointAdded(TypedDict):
    code: str
    name: str
    lon: float
    lat: float
    ward: str | None
    note: str


ComplexPointStatusChanged = TypedDict(
    "ComplexPointStatusChanged", {"status": str, "from": str, "note": str}
)


class DeviceRegistered(TypedDict):
    device_id: str
    unit: str
    has_secret: bool


class DeviceRetired(TypedDict):
    unit: str


class TrackViewed(TypedDict):
    from_us: int
    to_us: int
    purpose: str


PAYLOADS: dict[str, type] = {
    USER_CREATED: UserCreated,
    USER_ROLE_CHANGED: UserRoleChanged,
    USER_PASSWORD_SET: UserPasswordSet,
    USER_LOGIN_SUCCEEDED: UserLoginSucceeded,
    USER_LOGIN_FAILED: UserLoginFailed,
    USER_LOCKED_OUT: UserLockedOut,
    WARD_ADDED: WardAdded,
    UNIT_ADDED: UnitAdded,
    UNIT_EXERCISE_CHANGED: UnitExerciseChanged,
    **{kind: UnitStatusChanged for kind in UNIT_STATUS_KINDS},
    INCIDENT_CREATED: IncidentCreated,
    INCIDENT_STATUS_CHANGED: IncidentStatusChanged,
    INCIDENT_UNIT_ASSIGNED: IncidentUnitChange,
    INCIDENT_UNIT_RELEASED: IncidentUnitChange,
    INCIDENT_NOTE_ADDED: IncidentNoteAdded,
    INCIDENT_REPORT_LINKED: IncidentReportLinked,
    CAMERA_ADDED: CameraAdded,
    CAMERA_UPDATED: CameraUpdated,
    CAMERA_RETIRED: CameraRetired,
    CAMERA_VIEW_STARTED: CameraViewStarted,
    CAMERA_VIEW_STOPPED: CameraViewStopped,
    BOUNDARY_EDITION_IMPORTED: BoundaryEditionImported,
    ROAD_NETWORK_IMPORTED: RoadNetworkImported,
    PLACES_IMPORTED: PlacesImported,
    COMPLEX_POINT_ADDED: ComplexPointAdded,
    COMPLEX_POINT_STATUS_CHANGED: ComplexPointStatusChanged,
    DEVICE_REGISTERED: DeviceRegistered,
    DEVICE_RETIRED: DeviceRetired,
    TRACK_VIEWED: TrackViewed,
}


class MalformedEvent(ValueError):
    """An event whose kind is unknown or whose payload is not that kind's record: a bug,
    refused before it can enter the log."""


def check_payload(kind: str, payload: dict[str, Any]) -> None:
    record = PAYLOADS.get(kind)
    if record is None:
        raise MalformedEvent(f"unknown event kind {kind!r}")
    keys = set(payload)
    required: frozenset[str] = record.__required_keys__  # type: ignore[attr-defined]
    optional: frozenset[str] = record.__optional_keys__  # type: ignore[attr-defined]
    if not required <= keys or not keys <= required | optional:
        raise MalformedEvent(
            f"{kind} payload has keys {sorted(keys)}; expected {sorted(required)}"
            + (f" and optionally {sorted(optional)}" if optional else "")
        )


def subject(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def split_subject(subj: str) -> tuple[str, str]:
    kind, _, ident = subj.partition(":")
    return kind, ident


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event decided but not yet appended."""

    kind: str
    subject: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as it stands in the log."""

    seq: int
    ts_us: int
    actor: str
    console: str
    kind: str
    subject: str
    payload_json: str
    prev_hash: str
    hash: str

    @property
    def payload(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.payload_json)
        return value


def canonical_json(value: Any) -> str:
    """The one JSON spelling of a value: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def event_hash(
    seq: int,
    ts_us: int,
    actor: str,
    console: str,
    kind: str,
    subj: str,
    payload_json: str,
    prev_hash: str,
) -> str:
    """SHA-256 over the canonical encoding of every field of an event and the previous hash."""
    encoded = json.dumps(
        [ENCODING_VERSION, seq, ts_us, actor, console, kind, subj, payload_json, prev_hash],
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def seal(
    seq: int, ts_us: int, actor: str, console: str, event: NewEvent, prev_hash: str
) -> StoredEvent:
    payload_json = canonical_json(event.payload)
    digest = event_hash(
        seq, ts_us, actor, console, event.kind, event.subject, payload_json, prev_hash
    )
    return StoredEvent(
        seq, ts_us, actor, console, event.kind, event.subject, payload_json, prev_hash, digest
    )


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(
    events: Iterable[StoredEvent],
    *,
    expected_head: tuple[int, str] | None = None,
) -> ChainReport:
    """Recompute the chain; report the first event that does not hold.

    ``expected_head`` (sequence number and hash of the last event, as recorded elsewhere)
    lets the check see events removed from the end of the log.
    """
    prev_seq, prev_hash, checked = 0, GENESIS_HASH, 0

    def broken(bad_seq: int, reason: str) -> ChainReport:
        return ChainReport(False, checked, prev_seq, prev_hash, bad_seq, reason)

    for ev in events:
        checked += 1
        if ev.seq != prev_seq + 1:
            return broken(prev_seq + 1,
                          f"event {prev_seq + 1} is missing (next present is {ev.seq})")
        if ev.prev_hash != prev_hash:
            return broken(ev.seq, f"event {ev.seq} does not link to event {prev_seq} "
                                  "(removed, inserted or reordered events)")
        digest = event_hash(ev.seq, ev.ts_us, ev.actor, ev.console, ev.kind, ev.subject,
                            ev.payload_json, ev.prev_hash)
        if digest != ev.hash:
            return broken(ev.seq,
                          f"event {ev.seq} was altered (its content does not match its hash)")
        if expected_head is not None and ev.seq == expected_head[0] and ev.hash != expected_head[1]:
            return broken(ev.seq, f"event {ev.seq} does not match the recorded head hash "
                                  "(the chain was rewritten)")
        prev_seq, prev_hash = ev.seq, ev.hash
    if expected_head is not None and expected_head[0] > prev_seq:
        return broken(prev_seq + 1, f"the log ends at event {prev_seq} but its head records "
                                    f"event {expected_head[0]}: events were removed from the end")
    return ChainReport(True, checked, prev_seq, prev_hash)
