"""Passwords, login and lockout against a real database (SQLite and PostgreSQL).

Every attempt must leave an event; the password and its hash must never reach the log; the
failure counter must hold when several consoles fail at once.
"""

from __future__ import annotations

import threading
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import NotFound, ValidationError
from gvcommand.core.model import Actor, Role
from gvcommand.store import auth, open_store
from gvcommand.store import schema as s
from gvcommand.store.auth import (
    LOCKOUT_S,
    MAX_FAILED_ATTEMPTS,
    AccountDisabled,
    AccountLocked,
    AuthError,
    WrongPassword,
    login,
    set_password,
)
from gvcommand.store.event_store import EventStore

from .conftest import ADMIN

PASSWORD = "correct horse battery"
WRONG = "incorrect horse"
# cheap argon2id parameters for speed; the production ones are checked where it matters
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_hasher", CHEAP)


def _make_user(
    store: EventStore, name: str = "alice", role: Role = Role.OPERATOR, password: str = PASSWORD
) -> None:
    store.execute(c.CreateUser(name, role, name.title()), ADMIN)
    set_password(store, name, password, ADMIN)


def _credentials(store: EventStore, name: str = "alice") -> dict[str, object] | None:
    with store.engine.connect() as conn:
        row = (
            conn.execute(select(s.credentials).where(s.credentials.c.user_name == name))
            .mappings()
            .first()
        )
    return None if row is None else dict(row)


def _events(store: EventStore) -> list[ev.StoredEvent]:
    return list(store.iter_events())


def _events_after(store: EventStore, seq: int) -> list[ev.StoredEvent]:
    return list(store.iter_events(seq))


def _now_us() -> int:
    return time.time_ns() // 1000


def _lock(store: EventStore, name: str = "alice", console: str = "console-X") -> AccountLocked:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(WrongPassword):
            login(store, name, WRONG, console)
    with pytest.raises(AccountLocked) as locked:
        login(store, name, WRONG, console)
    return locked.value


# --- storage of passwords ------------------------------------------------------------------


def test_password_is_argon2id_and_never_in_the_log(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher())  # the production parameters
    _make_user(store, "alice")
    _make_user(store, "bob")  # the same password: the salt must make the hashes differ
    login(store, "alice", PASSWORD, "console-1")
    with pytest.raises(WrongPassword):
        login(store, "alice", "a guess at it", "console-1")

    alice, bob = _credentials(store, "alice"), _credentials(store, "bob")
    assert alice is not None and bob is not None
    digest = str(alice["password_hash"])
    assert digest.startswith("$argon2id$")
    params = dict(p.split("=") for p in digest.split("$")[3].split(","))
    assert int(params["m"]) >= 64 * 1024 and int(params["t"]) >= 2  # not weakened
    assert digest != bob["password_hash"]
    assert PasswordHasher().verify(digest, PASSWORD)

    events = _events(store)
    assert {e.kind for e in events} >= {
        ev.USER_CREATED,
        ev.USER_PASSWORD_SET,
        ev.USER_LOGIN_SUCCEEDED,
        ev.USER_LOGIN_FAILED,
    }
    for e in events:
        row = " ".join([e.actor, e.console, e.kind, e.subject, e.payload_json])
        for secret in (PASSWORD, "a guess at it", digest, str(bob["password_hash"])):
            assert secret not in row, f"event {e.seq} ({e.kind}) carries a secret"
        # not even the salt+hash part of the encoded hash
        assert digest.rsplit("$", 2)[-1] not in e.payload_json
    password_set = [e for e in events if e.kind == ev.USER_PASSWORD_SET]
    assert [(e.subject, e.payload, e.actor) for e in password_set] == [
        ("user:alice", {"by": "admin1"}, "admin1"),
        ("user:bob", {"by": "admin1"}, "admin1"),
    ]


def test_login_upgrades_a_hash_made_with_weaker_parameters(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_user(store)  # hashed with CHEAP
    old = _credentials(store)
    assert old is not None
    strong = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", strong)
    before = store.head()[0]

    login(store, "alice", PASSWORD, "console-1")

    new = _credentials(store)
    assert new is not None
    assert new["password_hash"] != old["password_hash"]
    assert "$m=2048,t=2,p=1$" in str(new["password_hash"])
    assert not strong.check_needs_rehash(str(new["password_hash"]))
    assert strong.verify(str(new["password_hash"]), PASSWORD)
    # the rehash is part of the login record, not an event of its own
    assert [e.kind for e in _events_after(store, before)] == [ev.USER_LOGIN_SUCCEEDED]
    assert str(new["password_hash"]) not in _events_after(store, before)[0].payload_json


# --- login ---------------------------------------------------------------------------------


def test_login_succeeds_and_is_recorded_with_user_and_console(store: EventStore) -> None:
    _make_user(store, "alice", Role.SUPERVISOR)
    before = store.head()[0]

    session = login(store, "  Alice ", PASSWORD, "console-7")

    assert session.user.name == "alice"
    assert session.user.role is Role.SUPERVISOR
    assert session.console == "console-7"
    assert session.actor == Actor("alice", Role.SUPERVISOR, "console-7")
    new = _events_after(store, before)
    assert [(e.kind, e.subject, e.actor, e.console) for e in new] == [
        (ev.USER_LOGIN_SUCCEEDED, "user:alice", "alice", "console-7")
    ]
    assert store.head()[0] == before + 1
    assert store.verify().ok


def test_wrong_passwords_count_down_then_lock(store: EventStore) -> None:
    _make_user(store)
    before = store.head()[0]

    remaining = []
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(WrongPassword) as wrong:
            login(store, "alice", WRONG, "console-2")
        remaining.append(wrong.value.remaining)
        assert f"{wrong.value.remaining} attempt(s) left" in str(wrong.value)
    assert remaining == [4, 3, 2, 1]

    t0 = _now_us()
    with pytest.raises(AccountLocked) as locked:
        login(store, "alice", WRONG, "console-2")
    assert "locked" in str(locked.value)

    cred = _credentials(store)
    assert cred is not None
    until = int(cred["locked_until_us"])  # type: ignore[call-overload]
    assert until == locked.value.until_us
    # locked for LOCKOUT_S from the 5th failure (allow for slow machines)
    assert t0 + LOCKOUT_S * 1_000_000 <= until <= _now_us() + LOCKOUT_S * 1_000_000

    new = _events_after(store, before)
    assert [e.kind for e in new] == [ev.USER_LOGIN_FAILED] * 5 + [ev.USER_LOCKED_OUT]
    assert all(e.actor == "alice" and e.console == "console-2" for e in new)
    assert all(e.subject == "user:alice" for e in new)
    assert [e.payload["reason"] for e in new[:5]] == ["wrong password"] * 5
    assert new[-1].payload == {"until_us": until}
    # the lock-out is in the same transaction as the 5th failure: one timestamp
    assert new[-1].ts_us == new[-2].ts_us


def test_locked_account_refuses_the_right_password_and_records_it(store: EventStore) -> None:
    _make_user(store)
    locked = _lock(store)
    before = store.head()[0]
    cred_before = _credentials(store)

    with pytest.raises(AccountLocked) as again:
        login(store, "alice", PASSWORD, "console-3")
    assert again.value.until_us == locked.until_us

    new = _events_after(store, before)
    assert [(e.kind, e.payload, e.console) for e in new] == [
        (ev.USER_LOGIN_FAILED, {"reason": "locked"}, "console-3")
    ]
    # refused attempts while locked neither extend nor lift the lock
    assert _credentials(store) == cred_before
    # and no second lock-out event
    assert sum(e.kind == ev.USER_LOCKED_OUT for e in _events(store)) == 1


@pytest.mark.parametrize("how", ["sql", "clock"])
def test_lock_expires_and_the_counter_restarts(
    store: EventStore, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _make_user(store)
    _lock(store)
    if how == "sql":
        with store.engine.begin() as conn:
            conn.execute(
                update(s.credentials)
                .where(s.credentials.c.user_name == "alice")
                .values(locked_until_us=_now_us() - 1_000_000)
            )
    else:
        later = _now_us() + (LOCKOUT_S + 1) * 1_000_000
        monkeypatch.setattr(auth, "_now_us", lambda: later)

    # the counter starts again from zero: not locked on the next failure
    with pytest.raises(WrongPassword) as wrong:
        login(store, "alice", WRONG, "console-1")
    assert wrong.value.remaining == MAX_FAILED_ATTEMPTS - 1

    session = login(store, "alice", PASSWORD, "console-1")
    assert session.user.name == "alice"
    cred = _credentials(store)
    assert cred is not None
    assert cred["failed_attempts"] == 0
    assert cred["locked_until_us"] == 0


def test_success_resets_the_failure_counter(store: EventStore) -> None:
    _make_user(store)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(WrongPassword):
            login(store, "alice", WRONG, "console-1")
    login(store, "alice", PASSWORD, "console-1")
    with pytest.raises(WrongPassword) as wrong:
        login(store, "alice", WRONG, "console-1")
    assert wrong.value.remaining == MAX_FAILED_ATTEMPTS - 1


# --- setting passwords ---------------------------------------------------------------------


def test_admin_setting_a_password_unlocks_the_account(store: EventStore) -> None:
    _make_user(store)
    _lock(store)
    before = store.head()[0]

    set_password(store, "alice", "a brand new one", ADMIN)

    cred = _credentials(store)
    assert cred is not None
    assert cred["failed_attempts"] == 0
    assert cred["locked_until_us"] == 0
    new = _events_after(store, before)
    assert [(e.kind, e.subject, e.actor, e.payload) for e in new] == [
        (ev.USER_PASSWORD_SET, "user:alice", "admin1", {"by": "admin1"})
    ]
    assert login(store, "alice", "a brand new one", "console-1").user.name == "alice"
    with pytest.raises(WrongPassword):
        login(store, "alice", PASSWORD, "console-1")  # the old one no longer works


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.AUDITOR])
def test_non_admin_cannot_set_another_users_password(store: EventStore, role: Role) -> None:
    _make_user(store, "alice")
    _make_user(store, "bob", role)
    bob = Actor("bob", role, "console-B")
    head = store.head()
    cred = _credentials(store, "alice")

    with pytest.raises(AuthError, match="administrator"):
        set_password(store, "alice", "bob knows it now", bob)

    assert store.head() == head
    assert _credentials(store, "alice") == cred
    assert login(store, "alice", PASSWORD, "console-A").user.name == "alice"


def test_user_can_set_their_own_password(store: EventStore) -> None:
    _make_user(store, "alice")
    alice = Actor("alice", Role.OPERATOR, "console-A")
    before = store.head()[0]

    set_password(store, "alice", "my own new secret", alice)

    new = _events_after(store, before)
    assert [(e.kind, e.actor, e.console, e.payload) for e in new] == [
        (ev.USER_PASSWORD_SET, "alice", "console-A", {"by": "alice"})
    ]
    assert login(store, "alice", "my own new secret", "console-A").user.name == "alice"
    with pytest.raises(WrongPassword):
        login(store, "alice", PASSWORD, "console-A")


def test_setting_a_password_for_a_missing_user_writes_nothing(store: EventStore) -> None:
    head = store.head()
    with pytest.raises(NotFound):
        set_password(store, "ghost", PASSWORD, ADMIN)
    assert store.head() == head
    assert _credentials(store, "ghost") is None


def test_short_passwords_are_refused_and_nothing_is_written(store: EventStore) -> None:
    store.execute(c.CreateUser("carol", Role.OPERATOR), ADMIN)
    head = store.head()

    with pytest.raises(ValidationError, match="8 characters"):
        set_password(store, "carol", "7chars!", ADMIN)
    assert store.head() == head
    assert _credentials(store, "carol") is None

    set_password(store, "carol", "8chars!!", ADMIN)  # exactly the minimum is accepted
    cred = _credentials(store, "carol")
    head = store.head()
    with pytest.raises(ValidationError):
        set_password(store, "carol", "", Actor("carol", Role.OPERATOR, "console-A"))
    assert store.head() == head
    assert _credentials(store, "carol") == cred
    assert login(store, "carol", "8chars!!", "console-A").user.name == "carol"


# --- who may not log in ---------------------------------------------------------------------


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(store: EventStore) -> None:
    _make_user(store, "alice")
    store.execute(c.CreateUser("nopass", Role.OPERATOR), ADMIN)  # no password yet

    with pytest.raises(WrongPassword) as wrong:
        login(store, "alice", WRONG, "console-1")
    before = store.head()[0]
    with pytest.raises(WrongPassword) as unknown:
        login(store, "mallory", WRONG, "console-1")
    with pytest.raises(WrongPassword) as no_password:
        login(store, "nopass", WRONG, "console-1")

    assert str(unknown.value) == str(wrong.value)
    assert unknown.value.remaining == wrong.value.remaining
    assert str(no_password.value) == str(wrong.value)
    new = _events_after(store, before)
    assert [(e.kind, e.subject, e.console, e.payload) for e in new] == [
        (ev.USER_LOGIN_FAILED, "user:mallory", "console-1", {"reason": "unknown user"}),
        (ev.USER_LOGIN_FAILED, "user:nopass", "console-1", {"reason": "unknown user"}),
    ]
    # nothing was created for the unknown name
    assert _credentials(store, "mallory") is None


@pytest.mark.parametrize(
    "name",
    ["x" * 100, "Robert'); DROP TABLE users;--", "ü" * 40, "ali\x00ce"],
    ids=["long", "quote", "non-ascii", "nul"],
)
def test_any_typed_user_name_is_refused_and_recorded(store: EventStore, name: str) -> None:
    """Whatever is typed in the user-name box gets WrongPassword, on PostgreSQL too
    (whose columns have a length limit), and the attempt is in the log."""
    before = store.head()[0]
    with pytest.raises(WrongPassword):
        login(store, name, WRONG, "console-1")
    new = _events_after(store, before)
    assert [e.kind for e in new] == [ev.USER_LOGIN_FAILED]
    assert len(new[0].actor) <= s.events.c.actor.type.length
    assert len(new[0].subject) <= s.events.c.subject.type.length
    assert store.verify().ok


def test_disabled_user_is_refused_even_with_the_right_password(store: EventStore) -> None:
    _make_user(store)
    with store.engine.begin() as conn:
        conn.execute(update(s.users).where(s.users.c.name == "alice").values(active=False))
    before = store.head()[0]

    with pytest.raises(AccountDisabled, match="disabled"):
        login(store, "alice", PASSWORD, "console-4")

    new = _events_after(store, before)
    assert [(e.kind, e.subject, e.actor, e.console, e.payload) for e in new] == [
        (ev.USER_LOGIN_FAILED, "user:alice", "alice", "console-4", {"reason": "disabled"})
    ]


# --- concurrency ----------------------------------------------------------------------------


def test_two_consoles_failing_at_once_lock_after_five_failures_in_all(db_url: str) -> None:
    setup = open_store(db_url, upgrade=True)
    try:
        _make_user(setup)
        before = setup.head()[0]
    finally:
        setup.engine.dispose()

    consoles = ["console-A", "console-B"]
    barrier = threading.Barrier(len(consoles))
    lock = threading.Lock()
    wrong_remaining: list[int] = []
    locked: list[str] = []
    errors: list[BaseException] = []

    def attack(console: str) -> None:
        st = open_store(db_url, upgrade=False)
        try:
            barrier.wait(timeout=30)
            for _ in range(3 * MAX_FAILED_ATTEMPTS):
                try:
                    login(st, "alice", WRONG, console)
                except WrongPassword as exc:
                    with lock:
                        wrong_remaining.append(exc.remaining)
                except AccountLocked:
                    with lock:
                        locked.append(console)
                    return
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            st.engine.dispose()

    threads = [threading.Thread(target=attack, args=(name,)) for name in consoles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    # each failure was counted once: 4 warnings in all, then both consoles see the lock
    assert sorted(wrong_remaining) == [1, 2, 3, 4]
    assert sorted(locked) == consoles
    check = open_store(db_url, upgrade=False)
    try:
        cred = _credentials(check)
        assert cred is not None
        assert int(cred["locked_until_us"]) > _now_us()  # type: ignore[call-overload]
        new = _events_after(check, before)
        assert sum(e.kind == ev.USER_LOCKED_OUT for e in new) == 1
        failed = [e for e in new if e.kind == ev.USER_LOGIN_FAILED]
        assert len(failed) == len(wrong_remaining) + len(locked)
        assert {e.console for e in failed} == set(consoles)
        with pytest.raises(AccountLocked):
            login(check, "alice", PASSWORD, "console-C")
        assert check.verify().ok
    finally:
        check.engine.dispose()
