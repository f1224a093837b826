"""Position-reporting devices: the register (a projection of the log) and their secrets.

OsmAnd carries nothing but the device id, which anyone who sees a phone's settings can read.
A device may therefore be given a secret, which it must send with every fix (OsmAnd: the
``key`` query parameter, i.e. ``?key=SECRET`` at the end of the server URL in Traccar
Client; OwnTracks HTTP: the password of HTTP basic authentication). The secret's argon2id
hash is kept beside the log (``device_secrets``), never in it: the event only says that the
device has one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select

from ..core.commands import RegisterDevice, RetireDevice
from ..core.errors import ValidationError
from ..core.handlers import decide
from ..core.model import Actor
from . import schema as s
from .event_store import AfterWrite, CommandResult, Emit, EventStore, WorkingState

_HASHER = PasswordHasher()


@dataclass(frozen=True, slots=True)
class RegisteredDevice:
    device_id: str
    unit: str
    has_secret: bool
    secret_hash: str | None  # None with has_secret: no fix can be taken (a broken record)


def register_device(store: EventStore, device_id: str, unit: str, secret: str | None,
                    actor: Actor) -> CommandResult:
    """Give ``device_id`` to ``unit`` (again, at a shift change); its secret, if any,
    replaces the one it had. One transaction."""
    if secret is not None and len(secret) < 8:
        raise ValidationError("a device secret needs at least 8 characters")
    digest = _HASHER.hash(secret) if secret is not None else None
    command = RegisterDevice(device_id, unit, has_secret=secret is not None)

    def body(ws: WorkingState, emit: Emit) -> AfterWrite:
        emit(decide(ws, command, actor))
        ident = command.device_id.strip()

        def secret_row(conn: Connection) -> None:
            conn.execute(delete(s.device_secrets).where(s.device_secrets.c.device_id == ident))
            if digest is not None:
                conn.execute(insert(s.device_secrets).values(
                    device_id=ident, secret_hash=digest, set_us=time.time_ns() // 1000))

        return secret_row

    return store.write(actor, body)


def retire_device(store: EventStore, device_id: str, actor: Actor) -> CommandResult:
    return store.execute(RetireDevice(device_id), actor)


def active_devices(conn: Connection) -> dict[str, RegisteredDevice]:
    """The devices whose fixes are taken, by id."""
    rows = conn.execute(
        select(s.devices.c.device_id, s.devices.c.unit, s.devices.c.has_secret,
               s.device_secrets.c.secret_hash)
        .outerjoin(s.device_secrets, s.device_secrets.c.device_id == s.devices.c.device_id)
        .where(s.devices.c.active.is_(True)))
    return {r.device_id: RegisteredDevice(r.device_id, r.unit, bool(r.has_secret),
                                          r.secret_hash) for r in rows}


def secret_matches(secret_hash: str, secret: str | None) -> bool:
    if secret is None:
        return False
    try:
        return _HASHER.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
