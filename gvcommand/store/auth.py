"""Passwords (argon2id), login, lockout. Every attempt is recorded in the event log.

The password hash lives in ``credentials``, never in the log: the log records that a
password was set, that a login succeeded or failed, and that an account was locked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, select, update

from ..core import events as ev
from ..core.commands import CreateUser
from ..core.errors import DomainError, NotFound, ValidationError
from ..core.handlers import USER_NAME, decide
from ..core.model import Actor, Role, User
from . import schema as s
from .event_store import AfterWrite, Emit, EventStore, WorkingState

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_S = 5 * 60
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 32  # users.name

# argon2id with the library's defaults (RFC 9106 "second recommended" profile)
_hasher = PasswordHasher()


class AuthError(DomainError):
    code = "auth"


class WrongPassword(AuthError):
    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        super().__init__(
            "wrong user name or password; "
            f"{remaining} attempt(s) left before the account is locked for "
            f"{LOCKOUT_S // 60} minutes"
        )


class AccountLocked(AuthError):
    def __init__(self, name: str, until_us: int) -> None:
        self.until_us = until_us
        until = time.strftime("%H:%M:%S", time.localtime(until_us / 1e6))
        super().__init__(
            f"account {name} is locked after {MAX_FAILED_ATTEMPTS} failed attempts until "
            f"{until}; wait, or ask an administrator to set a new password"
        )


class AccountDisabled(AuthError):
    pass


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    console: str

    @property
    def actor(self) -> Actor:
        return Actor(self.user.name, self.user.role, self.console)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def _now_us() -> int:
    return time.time_ns() // 1000


def set_password(store: EventStore, name: str, password: str, actor: Actor) -> None:
    """Set (or reset) a user's password; unlocks the account. Admins may set anyone's,
    others only their own."""
    if actor.name != name and actor.role is not Role.ADMIN:
        raise AuthError("only an administrator can set another user's password")
    digest = hash_password(password)
    now = _now_us()

    def write(conn: Connection) -> list[ev.NewEvent]:
        if conn.execute(select(s.users.c.name).where(s.users.c.name == name)).first() is None:
            raise NotFound(f"user {name} does not exist")
        values = {"password_hash": digest, "failed_attempts": 0, "locked_until_us": 0,
                  "changed_us": now}
        done = conn.execute(
            update(s.credentials).where(s.credentials.c.user_name == name).values(**values)
        )
        if done.rowcount == 0:
            conn.execute(insert(s.credentials).values(user_name=name, **values))
        return []

    store.record(actor, [ev.NewEvent(ev.USER_PASSWORD_SET, ev.subject("user", name),
                                     {"by": actor.name})], extra=write)


def create_user(
    store: EventStore, name: str, role: Role, display_name: str, password: str, actor: Actor
) -> None:
    """Create a user and set the password in one transaction: never a user without one."""
    digest = hash_password(password)
    now = _now_us()

    def body(ws: WorkingState, emit: Emit) -> AfterWrite:
        emit(decide(ws, CreateUser(name, role, display_name), actor))
        emit([ev.NewEvent(ev.USER_PASSWORD_SET, ev.subject("user", name), {"by": actor.name})])

        def credentials(conn: Connection) -> None:  # after the users row exists
            conn.execute(insert(s.credentials).values(
                user_name=name, password_hash=digest, failed_attempts=0, locked_until_us=0,
                changed_us=now))

        return credentials

    store.write(actor, body)


def login(store: EventStore, name: str, password: str, console: str) -> Session:
    """Check a password. Raises WrongPassword, AccountLocked or AccountDisabled (the
    failure is recorded first); returns the session on success."""
    name = name.strip().lower()
    user_row: Any = None
    cred: Any = None
    if USER_NAME.fullmatch(name):  # anything else cannot be a user: do not even look it up
        with store.engine.connect() as conn:
            user_row = conn.execute(
                select(s.users).where(s.users.c.name == name)
            ).mappings().first()
            cred = conn.execute(
                select(s.credentials).where(s.credentials.c.user_name == name)
            ).mappings().first()
    # whatever was typed must fit the log's columns (and PostgreSQL refuses NUL in text)
    label = name.replace("\x00", "")[:MAX_NAME_LENGTH]
    subj = ev.subject("user", label)
    who = Actor(label, _role_or_operator(user_row), console)
    now = _now_us()
    if user_row is None or cred is None:
        # same message as a (first) wrong password: do not tell which user names exist
        _hasher.hash("timing-equaliser")
        store.record(who, [ev.NewEvent(ev.USER_LOGIN_FAILED, subj, {"reason": "unknown user"})])
        raise WrongPassword(MAX_FAILED_ATTEMPTS - 1)
    user = User.from_dict(dict(user_row))
    if not user.active:
        store.record(who, [ev.NewEvent(ev.USER_LOGIN_FAILED, subj, {"reason": "disabled"})])
        raise AccountDisabled(f"account {name} is disabled; ask an administrator")
    if cred["locked_until_us"] > now:
        store.record(who, [ev.NewEvent(ev.USER_LOGIN_FAILED, subj, {"reason": "locked"})])
        raise AccountLocked(name, cred["locked_until_us"])
    try:
        _hasher.verify(cred["password_hash"], password)
        ok = True
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if ok:
        rehash = _hasher.check_needs_rehash(cred["password_hash"])
        new_hash = _hasher.hash(password) if rehash else None

        def reset(conn: Connection) -> list[ev.NewEvent]:
            values: dict[str, object] = {"failed_attempts": 0, "locked_until_us": 0}
            if new_hash:
                values["password_hash"] = new_hash
            conn.execute(update(s.credentials).where(s.credentials.c.user_name == name)
                         .values(**values))
            return []

        store.record(who, [ev.NewEvent(ev.USER_LOGIN_SUCCEEDED, subj, {})], extra=reset)
        return Session(user, console)

    outcome: dict[str, int] = {}

    def count_failure(conn: Connection) -> list[ev.NewEvent]:
        # re-read inside the write lock: two consoles failing at once both count
        row = conn.execute(
            select(s.credentials.c.failed_attempts, s.credentials.c.locked_until_us)
            .where(s.credentials.c.user_name == name)
        ).one()
        if int(row.locked_until_us) > now:
            # another console locked the account meanwhile: this failure must not lift it
            outcome.update(failed=int(row.failed_attempts), locked_until=int(row.locked_until_us))
            return []
        failed = int(row.failed_attempts) + 1
        locked_until = 0
        if failed >= MAX_FAILED_ATTEMPTS:
            locked_until, failed = now + LOCKOUT_S * 1_000_000, 0
        conn.execute(update(s.credentials).where(s.credentials.c.user_name == name)
                     .values(failed_attempts=failed, locked_until_us=locked_until))
        outcome.update(failed=failed, locked_until=locked_until)
        if locked_until:
            return [ev.NewEvent(ev.USER_LOCKED_OUT, subj, {"until_us": locked_until})]
        return []

    store.record(who, [ev.NewEvent(ev.USER_LOGIN_FAILED, subj, {"reason": "wrong password"})],
                 extra=count_failure)
    if outcome["locked_until"]:
        raise AccountLocked(name, outcome["locked_until"])
    raise WrongPassword(MAX_FAILED_ATTEMPTS - outcome["failed"])


def _role_or_operator(row: Any) -> Role:
    return Role.OPERATOR if row is None else Role(row["role"])
