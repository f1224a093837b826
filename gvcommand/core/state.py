"""The current state, and the one function that folds events into it.

The same :func:`apply` serves a console's live state, replay to any moment, snapshots, and
(through :class:`State` subclasses that load entities on demand) the store's projection
tables, so there is exactly one definition of what an event means.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import events as ev
from .model import (
    BoundaryEdition,
    Camera,
    ComplexPoint,
    ComplexPointStatus,
    Device,
    Incident,
    IncidentStatus,
    PlaceSet,
    RoadNetwork,
    Role,
    Unit,
    UnitStatus,
    User,
    Ward,
)

UNIT_KIND_STATUS: dict[str, UnitStatus] = {
    ev.UNIT_DISPATCHED: UnitStatus.DISPATCHED,
    ev.UNIT_EN_ROUTE: UnitStatus.EN_ROUTE,
    ev.UNIT_ON_SCENE: UnitStatus.ON_SCENE,
    ev.UNIT_AVAILABLE: UnitStatus.AVAILABLE,
    ev.UNIT_OUT_OF_SERVICE: UnitStatus.OUT_OF_SERVICE,
    ev.UNIT_OFF_DUTY: UnitStatus.OFF_DUTY,
}
UNIT_STATUS_KIND: dict[UnitStatus, str] = {v: k for k, v in UNIT_KIND_STATUS.items()}

SNAPSHOT_FORMAT = 1


class State:
    """Entities by id, plus the position in the log they reflect.

    With ``keep_terminal=False`` closed and cancelled incidents leave memory once final (a
    console runs for months; history is read from the store when asked for). Replays that
    must compare everything keep them.
    """

    def __init__(self, *, keep_terminal: bool = True) -> None:
        self.keep_terminal = keep_terminal
        self.wards: dict[str, Ward] = {}
        self.units: dict[str, Unit] = {}
        self.incidents: dict[str, Incident] = {}
        self.cameras: dict[str, Camera] = {}
        self.users: dict[str, User] = {}
        self.editions: dict[str, BoundaryEdition] = {}
        self.complex_points: dict[str, ComplexPoint] = {}
        self.road_networks: dict[str, RoadNetwork] = {}
        self.place_sets: dict[str, PlaceSet] = {}
        self.devices: dict[str, Device] = {}
        self.max_incident_number = 0
        self.last_seq = 0
        self.last_hash = ev.GENESIS_HASH
        self.last_ts_us = 0
        # entities changed by apply since the last call of take_dirty(), by subject
        self._dirty: set[str] = set()

    # --- read access (the view that command handlers decide on) -------------------------
    def ward(self, code: str) -> Ward | None:
        return self.wards.get(code)

    def unit(self, call_sign: str) -> Unit | None:
        return self.units.get(call_sign)

    def incident(self, incident_id: str) -> Incident | None:
        return self.incidents.get(incident_id)

    def camera(self, code: str) -> Camera | None:
        return self.cameras.get(code)

    def user(self, name: str) -> User | None:
        return self.users.get(name)

    def edition(self, name: str) -> BoundaryEdition | None:
        return self.editions.get(name)

    def complex_point(self, code: str) -> ComplexPoint | None:
        return self.complex_points.get(code)

    def device(self, device_id: str) -> Device | None:
        return self.devices.get(device_id)

    def all_editions(self) -> list[BoundaryEdition]:
        return sorted(self.editions.values(), key=lambda e: e.valid_from)

    def road_network(self, name: str) -> RoadNetwork | None:
        return self.road_networks.get(name)

    def place_set(self, name: str) -> PlaceSet | None:
        return self.place_sets.get(name)

    def current_road_network(self) -> RoadNetwork | None:
        """The newest road network: the one the map draws."""
        return max(self.road_networks.values(), key=lambda n: n.imported_seq, default=None)

    def units_on(self, incident_id: str) -> list[Unit]:
        return sorted(
            (u for u in self.units.values() if u.incident_id == incident_id),
            key=lambda u: u.call_sign,
        )

    def next_incident_number(self) -> int:
        return self.max_incident_number + 1

    def has_users(self) -> bool:
        return bool(self.users)

    def admins(self) -> list[User]:
        return [u for u in self.users.values() if u.role is Role.ADMIN and u.active]

    # --- bookkeeping ----------------------------------------------------------------------
    def _touch(self, subj: str) -> None:
        self._dirty.add(subj)

    def take_dirty(self) -> set[str]:
        dirty, self._dirty = self._dirty, set()
        return dirty

    def entity(
        self, subj: str
    ) -> (Ward | Unit | Incident | Camera | User | BoundaryEdition | ComplexPoint | RoadNetwork
          | PlaceSet | Device | None):
        kind, ident = ev.split_subject(subj)
        getter = {
            "ward": self.ward,
            "unit": self.unit,
            "incident": self.incident,
            "camera": self.camera,
            "user": self.user,
            "edition": self.edition,
            "complex_point": self.complex_point,
            "road_network": self.road_network,
            "place_set": self.place_set,
            "device": self.device,
        }.get(kind)
        return getter(ident) if getter else None

    # --- snapshots ------------------------------------------------------------------------
    def to_snapshot(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "keep_terminal": self.keep_terminal,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "last_ts_us": self.last_ts_us,
            "max_incident_number": self.max_incident_number,
            "wards": [w.to_dict() for w in self.wards.values()],
            "units": [u.to_dict() for u in self.units.values()],
            "incidents": [i.to_dict() for i in self.incidents.values()],
            "cameras": [c.to_dict() for c in self.cameras.values()],
            "users": [u.to_dict() for u in self.users.values()],
            "editions": [e.to_dict() for e in self.editions.values()],
            "complex_points": [p.to_dict() for p in self.complex_points.values()],
            "road_networks": [n.to_dict() for n in self.road_networks.values()],
            "place_sets": [p.to_dict() for p in self.place_sets.values()],
            "devices": [d.to_dict() for d in self.devices.values()],
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> State:
        if data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unknown snapshot format {data.get('format')!r}")
        st = cls(keep_terminal=bool(data["keep_terminal"]))
        st.last_seq = int(data["last_seq"])
        st.last_hash = str(data["last_hash"])
        st.last_ts_us = int(data["last_ts_us"])
        st.max_incident_number = int(data["max_incident_number"])
        st.wards = {w["code"]: Ward.from_dict(w) for w in data["wards"]}
        st.units = {u["call_sign"]: Unit.from_dict(u) for u in data["units"]}
        # snapshots written before incidents had ``occurred_us``: it is when they were recorded
        st.incidents = {
            i["id"]: Incident.from_dict({"occurred_us": i.get("created_us", 0), **i})
            for i in data["incidents"]
        }
        st.cameras = {c["code"]: Camera.from_dict(c) for c in data["cameras"]}
        st.users = {u["name"]: User.from_dict(u) for u in data["users"]}
        st.editions = {e["name"]: BoundaryEdition.from_dict(e) for e in data.get("editions", [])}
        st.complex_points = {
            p["code"]: ComplexPoint.from_dict(p) for p in data.get("complex_points", [])
        }
        st.road_networks = {
            n["name"]: RoadNetwork.from_dict(n) for n in data.get("road_networks", [])
        }
        st.devices = {d["device_id"]: Device.from_dict(d) for d in data.get("devices", [])}
        st.place_sets = {p["name"]: PlaceSet.from_dict(p) for p in data.get("place_sets", [])}
        return st

    def comparable(self) -> dict[str, Any]:
        """Everything that defines the state, for equality checks with the projections.

        Road networks are left out: like ward polygons they are kept beside the log in
        tables of their own (written by ``store.roads``, not by the projections), and
        ``store.roads.verify_roads`` checks those against the import events instead.
        """
        snap = self.to_snapshot()
        del snap["road_networks"]
        del snap["place_sets"]  # the same, by store.places.verify_places
        for key in ("wards", "units", "incidents", "cameras", "users", "editions",
                    "complex_points", "devices"):
            snap[key] = sorted(snap[key], key=lambda d: str(next(iter(d.values()))))
        del snap["keep_terminal"]
        return snap


def apply(state: State, event: ev.StoredEvent) -> None:
    """Fold one event into ``state``. Events come in sequence order and were checked when
    they were decided, so this trusts them; an event out of order is a bug."""
    if event.seq != state.last_seq + 1:
        raise ValueError(f"event {event.seq} applied after {state.last_seq}")
    _APPLY.get(event.kind, _apply_audit_only)(state, event, event.payload)
    entity = state.entity(event.subject)
    if entity is not None:
        entity.version += 1
        state._touch(event.subject)
        if isinstance(entity, Incident):
            entity.updated_by = event.actor
        if isinstance(entity, Incident) and entity.status.terminal and not state.keep_terminal:
            del state.incidents[entity.id]
    state.last_seq, state.last_hash = event.seq, event.hash
    state.last_ts_us = event.ts_us


def apply_all(state: State, events: Iterable[ev.StoredEvent]) -> State:
    for e in events:
        apply(state, e)
    return state


def replay(events: Iterable[ev.StoredEvent], *, keep_terminal: bool = True) -> State:
    return apply_all(State(keep_terminal=keep_terminal), events)


def _apply_audit_only(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    """Login records, password changes, notes: they change no state but the subject's version."""


def _user_created(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    state.users[p["name"]] = User(p["name"], Role(p["role"]), p.get("display_name", ""))


def _user_role_changed(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    user = state.user(ev.split_subject(e.subject)[1])
    assert user is not None
    user.role = Role(p["role"])


def _ward_added(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    state.wards[p["code"]] = Ward(p["code"], p["name"])


def _unit_added(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    unit = Unit.from_dict({**p, "status_since_us": e.ts_us})
    state.units[unit.call_sign] = unit


def _unit_exercise_changed(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    unit = state.unit(ev.split_subject(e.subject)[1])
    assert unit is not None
    unit.exercise = bool(p["exercise"])


def _camera_added(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    cam = Camera.from_dict(p)
    state.cameras[cam.code] = cam


def _camera_updated(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    code = ev.split_subject(e.subject)[1]
    cam = state.camera(code)
    assert cam is not None
    state.cameras[code] = Camera.from_dict({**cam.to_dict(), **p["changes"]})


def _camera_retired(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    cam = state.camera(ev.split_subject(e.subject)[1])
    assert cam is not None
    cam.active = False


def _unit_status(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    unit = state.unit(ev.split_subject(e.subject)[1])
    assert unit is not None
    unit.status = UNIT_KIND_STATUS[e.kind]
    unit.status_since_us = e.ts_us
    unit.status_reason = p.get("reason")
    unit.incident_id = p.get("incident_id")
    unit.status_by = e.actor


def _incident_created(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    occurred = p.get("occurred_us")  # absent in events recorded before it existed
    inc = Incident.from_dict(
        {**p, "created_us": e.ts_us, "status_since_us": e.ts_us, "created_by": e.actor,
         "occurred_us": e.ts_us if occurred is None else occurred}
    )
    state.incidents[inc.id] = inc
    state.max_incident_number = max(state.max_incident_number, inc.number)


def _incident_status(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    inc = state.incident(ev.split_subject(e.subject)[1])
    assert inc is not None
    inc.status = IncidentStatus(p["to"])
    inc.status_since_us = e.ts_us
    if p.get("reason") is not None:
        inc.reason = p["reason"]


def _report_linked(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    inc = state.incident(ev.split_subject(e.subject)[1])
    assert inc is not None
    inc.linked_reports += 1


def _edition_imported(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    state.editions[p["name"]] = BoundaryEdition(
        p["name"], p["valid_from"], p["valid_to"], p["source_sha256"], len(p["wards"])
    )


def _road_network_imported(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    state.road_networks[p["name"]] = RoadNetwork(
        p["name"], p["source_sha256"], p["segment_count"], p["length_km"],
        p["geometry_sha256"], imported_seq=e.seq,
    )


def _places_imported(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    state.place_sets[p["name"]] = PlaceSet(
        p["name"], p["source_sha256"], p["place_count"], p["places_sha256"], imported_seq=e.seq,
    )


def _complex_point_added(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    point = ComplexPoint.from_dict(p)
    state.complex_points[point.code] = point


def _complex_point_status(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    point = state.complex_point(ev.split_subject(e.subject)[1])
    assert point is not None
    point.status = ComplexPointStatus(p["status"])
    point.note = p["note"]


def _device_registered(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    device = state.devices.get(p["device_id"])
    if device is None:
        state.devices[p["device_id"]] = Device(p["device_id"], p["unit"], p["has_secret"])
    else:
        device.unit, device.has_secret, device.active = p["unit"], p["has_secret"], True


def _device_retired(state: State, e: ev.StoredEvent, p: dict[str, Any]) -> None:
    device = state.device(ev.split_subject(e.subject)[1])
    assert device is not None
    device.active = False


_APPLY = {
    ev.USER_CREATED: _user_created,
    ev.USER_ROLE_CHANGED: _user_role_changed,
    ev.WARD_ADDED: _ward_added,
    ev.UNIT_ADDED: _unit_added,
    ev.UNIT_EXERCISE_CHANGED: _unit_exercise_changed,
    ev.CAMERA_ADDED: _camera_added,
    ev.CAMERA_UPDATED: _camera_updated,
    ev.CAMERA_RETIRED: _camera_retired,
    ev.BOUNDARY_EDITION_IMPORTED: _edition_imported,
    ev.ROAD_NETWORK_IMPORTED: _road_network_imported,
    ev.PLACES_IMPORTED: _places_imported,
    ev.INCIDENT_CREATED: _incident_created,
    ev.INCIDENT_STATUS_CHANGED: _incident_status,
    ev.INCIDENT_REPORT_LINKED: _report_linked,
    ev.COMPLEX_POINT_ADDED: _complex_point_added,
    ev.COMPLEX_POINT_STATUS_CHANGED: _complex_point_status,
    ev.DEVICE_REGISTERED: _device_registered,
    ev.DEVICE_RETIRED: _device_retired,
    **{kind: _unit_status for kind in ev.UNIT_STATUS_KINDS},
}
