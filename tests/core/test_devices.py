"""Position-reporting devices: given to a unit, handed to another at shift change, retired;
all of it in the log, the secret never."""

from __future__ import annotations

from gvcommand.core import commands as c
from gvcommand.core.errors import AlreadyExists, NotFound, PermissionDenied, ValidationError
from gvcommand.core.state import State

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk


def _desk() -> Desk:
    d = Desk()
    d.add_ward()
    d.add_unit("363-01")
    d.add_unit("363-02")
    return d


def test_register_hand_over_retire() -> None:
    d = _desk()
    (registered,) = d.run(c.RegisterDevice("phone-01", "363-01", has_secret=True), SUPERVISOR)
    assert registered.payload == {"device_id": "phone-01", "unit": "363-01", "has_secret": True}
    device = d.state.device("phone-01")
    assert device is not None and (device.unit, device.active, device.version) == (
        "363-01", True, 1)
    d.refuse(c.RegisterDevice("phone-01", "363-01", has_secret=True), SUPERVISOR, AlreadyExists)
    d.run(c.RegisterDevice("phone-01", "363-02", has_secret=True), ADMIN)  # shift change
    assert d.state.devices["phone-01"].unit == "363-02"
    (retired,) = d.run(c.RetireDevice("phone-01"), SUPERVISOR)
    assert retired.payload == {"unit": "363-02"}
    assert not d.state.devices["phone-01"].active
    d.refuse(c.RetireDevice("phone-01"), SUPERVISOR, ValidationError)
    d.run(c.RegisterDevice("phone-01", "363-02", has_secret=True), SUPERVISOR)  # found again
    assert d.state.devices["phone-01"].active
    restored = State.from_snapshot(d.state.to_snapshot())
    assert restored.comparable() == d.state.comparable()
    d.check_log()


def test_refusals() -> None:
    d = _desk()
    d.refuse(c.RegisterDevice("phone-01", "khongco"), SUPERVISOR, NotFound)
    d.refuse(c.RegisterDevice("phone 01", "363-01"), SUPERVISOR, ValidationError)
    d.refuse(c.RegisterDevice("", "363-01"), SUPERVISOR, ValidationError)
    d.refuse(c.RetireDevice("phone-01"), SUPERVISOR, NotFound)
    d.refuse(c.RegisterDevice("phone-01", "363-01"), OPERATOR, PermissionDenied)
