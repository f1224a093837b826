"""Commands: what an officer asks for. Checked by :mod:`gvcommand.core.handlers`.

``expected_version`` is the version of the command's primary subject the officer saw; when
given and stale the command fails with :class:`~gvcommand.core.errors.VersionConflict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import (
    CameraOwner,
    CameraVendor,
    ComplexPointStatus,
    Force,
    IncidentSource,
    IncidentType,
    Role,
    RtspTransport,
    StreamKind,
    UnitStatus,
    WardOfEdition,
)


@dataclass(frozen=True, slots=True)
class CreateUser:
    name: str
    role: Role
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ChangeUserRole:
    name: str
    role: Role
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class AddWard:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class AddUnit:
    call_sign: str
    force: Force
    home_ward: str | None = None
    exercise: bool = False
    """A unit that exists for a drill (diễn tập) only: never sent to a real incident."""


@dataclass(frozen=True, slots=True)
class SetUnitExercise:
    """Put a unit on a drill (diễn tập) or back on real duty: a supervisor's decision, on the
    record. A unit on a drill is sent only to drill incidents and its time is left out of
    statistics. It cannot be put on a drill while it is on a real incident (a drill never
    takes a real unit off real work silently); taken off a drill while on a drill incident,
    it is released from it and available for real work at once."""

    unit_id: str
    exercise: bool
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class AddCamera:
    code: str
    name: str
    lon: float
    lat: float
    owner: CameraOwner = CameraOwner.POLICE
    ward: str | None = None
    azimuth_deg: float | None = None
    fov_deg: float | None = None
    range_m: float | None = None
    vendor: CameraVendor = CameraVendor.GENERIC
    host: str | None = None
    port: int | None = None
    channel: int = 1
    transport: RtspTransport = RtspTransport.TCP
    main_url: str | None = None
    """Generic/ONVIF cameras: the stream addresses as stored, WITHOUT user or password
    (refused if they carry a password: credentials go in the keyring, named by
    ``credential_ref``)."""
    sub_url: str | None = None
    address: str | None = None
    tz: str | None = None
    """The device clock's zone ("+07:00" or an IANA name): Dahua playback addresses are in
    the device's local time. None: +07:00 (Vietnam)."""
    credential_ref: str | None = None
    """The name of the camera's credentials in the keyring (never the secret itself)."""


CAMERA_FIELDS = (
    "name", "lon", "lat", "owner", "ward", "azimuth_deg", "fov_deg", "range_m", "vendor",
    "host", "port", "channel", "transport", "main_url", "sub_url", "address", "tz",
    "credential_ref",
)
"""What an edit may change (everything but the code)."""


@dataclass(frozen=True, slots=True)
class UpdateCamera:
    """Edit a camera: only the fields given change; ``None`` empties an optional field
    (e.g. ``azimuth_deg=None, fov_deg=None`` for a camera that now turns)."""

    code: str
    changes: tuple[tuple[str, Any], ...]
    """(field, new value) pairs, fields from :data:`CAMERA_FIELDS`."""
    expected_version: int | None = None

    @classmethod
    def of(cls, code: str, expected_version: int | None = None, **changes: Any) -> UpdateCamera:
        return cls(code, tuple(sorted(changes.items())), expected_version)


@dataclass(frozen=True, slots=True)
class RetireCamera:
    """Take a camera out of service (removed, broken for good, its owner withdrew consent):
    it leaves the map and the wall; its history stays in the log."""

    code: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class StartLiveView:
    """Someone started watching a camera (live or recorded): on the record, like a track
    view. ``view_id`` is made by the console (a UUID) and pairs this with the stop."""

    camera: str
    view_id: str
    stream: StreamKind = StreamKind.SUB
    purpose: str | None = None
    """Why (an incident number, "patrol of the market"): optional, shown in reports."""
    playback_from_us: int | None = None
    """Playback only: the recorded moment watched from (µs since the epoch)."""


@dataclass(frozen=True, slots=True)
class StopLiveView:
    camera: str
    view_id: str
    reason: str = "closed"
    """closed (by the officer), switched (to another stream or camera), hidden, failed,
    logout…: free text up to 100 characters."""
    last_seen_us: int | None = None
    """A view left open by a console that crashed, closed at its next start: when that
    console was last seen running (its own heartbeat, µs since the epoch); the view ended
    then at the latest. The event itself carries the server's time of the restart."""


@dataclass(frozen=True, slots=True)
class RegisterDevice:
    """Give a position-reporting device to a unit (phones change hands at shift change: a
    registered device is simply given to the new unit)."""

    device_id: str
    unit: str
    has_secret: bool = False


@dataclass(frozen=True, slots=True)
class ViewTrack:
    """Record that someone looked at (or exported) a unit's recorded movements: where
    officers went is personal data, every view of it is attributed."""

    unit: str
    from_us: int
    to_us: int
    purpose: str = "view"  # "view" (the playback dock) or "export" (gvcommand-admin track)


@dataclass(frozen=True, slots=True)
class RetireDevice:
    """A lost or returned device: its fixes are refused from now on."""

    device_id: str


@dataclass(frozen=True, slots=True)
class CreateIncident:
    """``id`` is made by the console (a UUID), so a retry after a lost connection is
    recognised as the same incident instead of creating a second one."""

    id: str
    type: IncidentType
    priority: int
    lon: float
    lat: float
    source: IncidentSource
    ward: str | None = None
    address: str | None = None
    summary: str = ""
    occurred_us: int | None = None
    """When it happened (µs since the epoch) if earlier than now: a report made after the
    fact. ``None``: it is happening now (the time it is recorded)."""
    caller_name: str | None = None
    callback_number: str | None = None
    """Who called and how to call them back: personal data, kept in the event (the record
    must say who reported what) but shown only to the roles that handle reports and never
    written to the application's logs (``repr=False`` on the entity)."""
    exercise: bool = False
    """A drill (diễn tập): marked everywhere, left out of statistics unless asked for."""


@dataclass(frozen=True, slots=True)
class DispatchUnit:
    incident_id: str
    unit_id: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class SetUnitStatus:
    """En route, on scene, available (clear, recall, return to service), out of service, off
    duty. Dispatching goes through :class:`DispatchUnit`."""

    unit_id: str
    status: UnitStatus
    reason: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class ClearIncident:
    incident_id: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class CloseIncident:
    incident_id: str
    disposition: str = ""
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class CancelIncident:
    incident_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class AddIncidentNote:
    incident_id: str
    text: str


@dataclass(frozen=True, slots=True)
class LinkReport:
    """A second report of an incident already recorded (a likely duplicate: same type,
    close by, shortly before): recorded on that incident instead of opening a new one."""

    incident_id: str
    source: IncidentSource
    summary: str = ""
    lon: float | None = None
    lat: float | None = None
    caller_name: str | None = None
    callback_number: str | None = None


@dataclass(frozen=True, slots=True)
class ImportBoundaryEdition:
    """Record a boundary edition. Its polygons are stored beside the event by the store;
    the event carries each polygon's SHA-256 so that they can be checked against the log."""

    name: str
    valid_from: str  # ISO date
    valid_to: str | None
    source_sha256: str
    wards: tuple[WardOfEdition, ...]


@dataclass(frozen=True, slots=True)
class ImportRoadNetwork:
    """Record a road network. Its segments are stored beside the event by the store; the
    event carries their count, total length and one SHA-256 over all of them."""

    name: str
    source_sha256: str
    segment_count: int
    length_km: float
    geometry_sha256: str


@dataclass(frozen=True, slots=True)
class ImportPlaces:
    """Record a set of named places (points of interest) for the gazetteer. The places are
    stored beside the event by the store; the event carries their count and one SHA-256
    over all of them."""

    name: str
    source_sha256: str
    place_count: int
    places_sha256: str


@dataclass(frozen=True, slots=True)
class AddComplexPoint:
    """Name a complex point (điểm phức tạp về an ninh trật tự) for the ward police to watch."""

    code: str
    name: str
    lon: float
    lat: float
    ward: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SetComplexPointStatus:
    """Declare a complex point settled (or watched again); ``note`` says why."""

    code: str
    status: ComplexPointStatus
    note: str
    expected_version: int | None = None


Command = (
    CreateUser
    | ChangeUserRole
    | AddWard
    | AddUnit
    | SetUnitExercise
    | AddCamera
    | UpdateCamera
    | RetireCamera
    | StartLiveView
    | StopLiveView
    | CreateIncident
    | DispatchUnit
    | SetUnitStatus
    | ClearIncident
    | CloseIncident
    | CancelIncident
    | AddIncidentNote
    | LinkReport
    | ImportBoundaryEdition
    | ImportRoadNetwork
    | ImportPlaces
    | AddComplexPoint
    | RegisterDevice
    | RetireDevice
    | ViewTrack
    | SetComplexPointStatus
)
