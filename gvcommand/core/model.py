"""Domain entities and vocabularies.

Codes (the enum values) are stable identifiers stored in the database and the event log;
labels are the Vietnamese domain words shown to officers. Entities are plain mutable
dataclasses: the single place that changes them is :func:`gvcommand.core.state.apply`.
"""

from __future__ import annotations

import types
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from functools import cache
from typing import Any, Self, cast, get_type_hints


class Force(StrEnum):
    """The kinds of patrol team a district dispatches."""

    TO_363 = "363"
    HINH_SU = "hinh-su"
    PHUONG = "phuong"
    DAN_QUAN = "dan-quan"

    @property
    def label(self) -> str:
        return _FORCE_LABELS[self]


_FORCE_LABELS = {
    Force.TO_363: "Tổ công tác 363",
    Force.HINH_SU: "Tổ hình sự đặc nhiệm",
    Force.PHUONG: "Công an phường tuần tra",
    Force.DAN_QUAN: "Dân quân tự vệ phối hợp",
}


class IncidentType(StrEnum):
    ROBBERY = "cuop"
    SNATCH_THEFT = "cuop-giat"
    THEFT = "trom-cap"
    PUBLIC_DISORDER = "gay-roi"
    GATHERING_RACING = "tu-tap-dua-xe"
    FIGHT = "danh-nhau"
    TRAFFIC_ACCIDENT = "tai-nan-giao-thong"
    OTHER = "tin-bao-khac"

    @property
    def label(self) -> str:
        return _INCIDENT_TYPE_LABELS[self]


_INCIDENT_TYPE_LABELS = {
    IncidentType.ROBBERY: "Cướp",
    IncidentType.SNATCH_THEFT: "Cướp giật",
    IncidentType.THEFT: "Trộm cắp",
    IncidentType.PUBLIC_DISORDER: "Gây rối trật tự công cộng",
    IncidentType.GATHERING_RACING: "Tụ tập đông người / đua xe",
    IncidentType.FIGHT: "Đánh nhau",
    IncidentType.TRAFFIC_ACCIDENT: "Tai nạn giao thông",
    IncidentType.OTHER: "Tin báo khác",
}


EXERCISE_LABEL = "Diễn tập"
"""How a drill is marked wherever an incident is shown (the map, the queue, reports)."""
EXERCISE_TAG = "DT"
"""The short mark of a drill incident or unit where there is no room for the word (a map
label, a board row): the officers' abbreviation of diễn tập."""


class IncidentSource(StrEnum):
    PHONE = "dien-thoai"
    REPORT = "tin-bao"
    CAMERA = "camera"
    PATROL = "tuan-tra"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    IncidentSource.PHONE: "Điện thoại",
    IncidentSource.REPORT: "Tin báo",
    IncidentSource.CAMERA: "Camera",
    IncidentSource.PATROL: "Tuần tra",
}


class IncidentStatus(StrEnum):
    NEW = "new"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en-route"
    ON_SCENE = "on-scene"
    CLEARED = "cleared"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _INCIDENT_STATUS_LABELS[self]

    @property
    def terminal(self) -> bool:
        return self in (IncidentStatus.CLOSED, IncidentStatus.CANCELLED)


_INCIDENT_STATUS_LABELS = {
    IncidentStatus.NEW: "Mới",
    IncidentStatus.DISPATCHED: "Đã điều động",
    IncidentStatus.EN_ROUTE: "Đang đến",
    IncidentStatus.ON_SCENE: "Có mặt",
    IncidentStatus.CLEARED: "Đã xử lý",
    IncidentStatus.CLOSED: "Đã đóng",
    IncidentStatus.CANCELLED: "Đã huỷ",
}


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en-route"
    ON_SCENE = "on-scene"
    OUT_OF_SERVICE = "out-of-service"
    OFF_DUTY = "off-duty"

    @property
    def label(self) -> str:
        return _UNIT_STATUS_LABELS[self]


_UNIT_STATUS_LABELS = {
    UnitStatus.AVAILABLE: "Sẵn sàng",
    UnitStatus.DISPATCHED: "Đã điều động",
    UnitStatus.EN_ROUTE: "Đang di chuyển",
    UnitStatus.ON_SCENE: "Có mặt hiện trường",
    UnitStatus.OUT_OF_SERVICE: "Tạm ngừng",
    UnitStatus.OFF_DUTY: "Hết ca",
}


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.OPERATOR: "Trực ban",
    Role.SUPERVISOR: "Chỉ huy trực",
    Role.ADMIN: "Quản trị",
    Role.AUDITOR: "Thanh tra",
}


class CameraOwner(StrEnum):
    POLICE = "police"
    WARD = "ward"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        return _CAMERA_OWNER_LABELS[self]


_CAMERA_OWNER_LABELS = {
    CameraOwner.POLICE: "Camera công an",
    CameraOwner.WARD: "Camera phường",
    CameraOwner.PRIVATE: "Camera tư nhân kết nối",
}


class CameraVendor(StrEnum):
    """How a camera's stream addresses are built (``gvcommand.video.urls``)."""

    HIKVISION = "hikvision"
    DAHUA = "dahua"
    GENERIC = "generic"  # RTSP/HTTP/HLS addresses stored as they are
    ONVIF = "onvif"  # addresses asked of the device (profile stream URIs)


class StreamKind(StrEnum):
    """Which of a camera's streams is watched: grid tiles take the sub-stream, a focused tile
    the main one; playback is recorded video from the device."""

    MAIN = "main"
    SUB = "sub"
    PLAYBACK = "playback"


class RtspTransport(StrEnum):
    TCP = "tcp"  # the default: survives NAT and lossy links, no lost packets as grey smears
    UDP = "udp"


class _Record:
    """Dict round trip for snapshots and projections (enums stored as their codes)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            k: (v.value if isinstance(v, StrEnum) else v)
            for k, v in asdict(self).items()  # type: ignore[call-overload]
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        enums = _enum_fields(cast(type, cls))
        kwargs: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                value = data[f.name]
                enum_type = enums.get(f.name)
                kwargs[f.name] = enum_type(value) if enum_type and value is not None else value
        return cls(**kwargs)


@cache
def _enum_fields(cls: type) -> dict[str, type[StrEnum]]:
    """Field name -> enum type, for fields typed as an enum or an optional enum."""
    found: dict[str, type[StrEnum]] = {}
    for name, hint in get_type_hints(cls).items():
        candidates = hint.__args__ if isinstance(hint, types.UnionType) else (hint,)
        for c in candidates:
            if isinstance(c, type) and issubclass(c, StrEnum):
                found[name] = c
    return found


@dataclass(slots=True)
class Ward(_Record):
    code: str
    name: str
    version: int = 0


@dataclass(slots=True)
class Unit(_Record):
    call_sign: str
    force: Force
    home_ward: str | None = None
    status: UnitStatus = UnitStatus.AVAILABLE
    status_since_us: int = 0
    incident_id: str | None = None
    status_reason: str | None = None
    status_by: str | None = None
    version: int = 0
    # on a drill (diễn tập): marked everywhere, sent only to drills, left out of statistics
    exercise: bool = False


@dataclass(slots=True)
class Incident(_Record):
    id: str
    number: int
    type: IncidentType
    priority: int
    lon: float
    lat: float
    source: IncidentSource
    ward: str | None = None
    address: str | None = None
    summary: str = ""
    status: IncidentStatus = IncidentStatus.NEW
    created_us: int = 0
    status_since_us: int = 0
    reason: str | None = None
    created_by: str = ""
    updated_by: str | None = None
    version: int = 0
    # when it happened; ``created_us`` is when it was recorded (later, for a report made
    # after the fact). Last, so that positional construction keeps its meaning.
    occurred_us: int = 0
    # personal data of the caller: never in a repr (so never in a log line by accident)
    caller_name: str | None = field(default=None, repr=False)
    callback_number: str | None = field(default=None, repr=False)
    exercise: bool = False  # a drill (diễn tập)
    linked_reports: int = 0  # further reports of the same incident linked to it


@dataclass(slots=True)
class Camera(_Record):
    code: str
    name: str
    lon: float
    lat: float
    owner: CameraOwner = CameraOwner.POLICE
    ward: str | None = None
    azimuth_deg: float | None = None
    fov_deg: float | None = None
    range_m: float | None = None
    version: int = 0
    # how to reach it (0008); after version, so that positional construction keeps its
    # meaning. Credentials are never here: ``credential_ref`` names an entry in the OS
    # keyring or the encrypted store (gvcommand.video.credentials), not the secret.
    vendor: CameraVendor = CameraVendor.GENERIC
    host: str | None = None
    port: int | None = None  # None: the scheme's default (RTSP 554)
    channel: int = 1
    transport: RtspTransport = RtspTransport.TCP
    main_url: str | None = None  # generic/ONVIF: stored addresses, without credentials
    sub_url: str | None = None
    address: str | None = None  # street address, shown to officers
    tz: str | None = None  # device clock's zone ("+07:00" or IANA); None: +07:00
    credential_ref: str | None = None
    active: bool = True  # False once retired (out of service, consent withdrawn)


class ComplexPointStatus(StrEnum):
    """A complex point (điểm phức tạp về an ninh trật tự) is watched until it settles."""

    ACTIVE = "active"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return _COMPLEX_POINT_STATUS_LABELS[self]


_COMPLEX_POINT_STATUS_LABELS = {
    ComplexPointStatus.ACTIVE: "Đang theo dõi",
    ComplexPointStatus.RESOLVED: "Đã ổn định",
}


@dataclass(slots=True)
class ComplexPoint(_Record):
    """A place the ward police watch for security and order (e.g. a market gate where snatch
    thefts cluster), from when it is named until it is declared settled."""

    code: str
    name: str
    lon: float
    lat: float
    ward: str | None = None
    status: ComplexPointStatus = ComplexPointStatus.ACTIVE
    note: str = ""
    version: int = 0


@dataclass(slots=True)
class Device(_Record):
    """A phone or tracker that reports a unit's position (Traccar Client, OwnTracks). A
    device with a secret must send it with every fix; the secret itself is kept beside the
    log, never in it."""

    device_id: str
    unit: str
    has_secret: bool = False
    active: bool = True
    version: int = 0


@dataclass(slots=True)
class User(_Record):
    name: str
    role: Role
    display_name: str = ""
    active: bool = True
    version: int = 0


@dataclass(frozen=True, slots=True)
class WardOfEdition:
    """A ward as an edition's import records it: its polygon is referred to by digest."""

    code: str
    name: str
    area_km2: float
    geometry_sha256: str


@dataclass(slots=True)
class BoundaryEdition(_Record):
    """A named set of ward boundaries valid from one date to another (inclusive, ISO dates;
    ``valid_to`` None while in force). The polygons are data kept beside the log."""

    name: str
    valid_from: str
    valid_to: str | None
    source_sha256: str
    ward_count: int
    version: int = 0


@dataclass(slots=True)
class RoadNetwork(_Record):
    """A named road network (streets drawn on the map). The segments are data kept beside
    the log; the import event carries their count, length and digest."""

    name: str
    source_sha256: str
    segment_count: int
    length_km: float
    geometry_sha256: str
    imported_seq: int = 0  # the import event: the newest network is the one shown
    version: int = 0


@dataclass(slots=True)
class PlaceSet(_Record):
    """A named set of places (points of interest) the gazetteer finds. The places are data
    kept beside the log; the import event carries their count and digest."""

    name: str
    source_sha256: str
    place_count: int
    places_sha256: str
    imported_seq: int = 0  # the import event
    version: int = 0


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issues a command, and from which console."""

    name: str
    role: Role
    console: str


SYSTEM_CONSOLE = "system"
