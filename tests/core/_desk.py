"""A tiny in-memory store for the core tests: decide, seal, apply.

Imports only gvcommand.core and pytest (CI runs tests/core without PySide6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from gvcommand.core import commands as c
from gvcommand.core.events import StoredEvent, check_payload, seal, verify_chain
from gvcommand.core.handlers import decide
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role
from gvcommand.core.state import State, apply, replay

OPERATOR = Actor("lan", Role.OPERATOR, "console-1")
OPERATOR_2 = Actor("minh", Role.OPERATOR, "console-2")
SUPERVISOR = Actor("hung", Role.SUPERVISOR, "console-3")
ADMIN = Actor("quantri", Role.ADMIN, "admin-console")
AUDITOR = Actor("thanhtra", Role.AUDITOR, "console-4")

START_TS_US = 1_750_000_000_000_000
TICK_US = 1_000


@dataclass
class Desk:
    """Runs commands like the store would: one decide, then check, seal and apply each event."""

    state: State = field(default_factory=State)
    log: list[StoredEvent] = field(default_factory=list)
    ts_us: int = START_TS_US

    def run(self, command: c.Command, actor: Actor) -> list[StoredEvent]:
        decided = decide(self.state, command, actor)
        stored: list[StoredEvent] = []
        for new in decided:
            check_payload(new.kind, new.payload)  # every decided event is its kind's record
            self.ts_us += TICK_US
            sealed = seal(
                self.state.last_seq + 1,
                self.ts_us,
                actor.name,
                actor.console,
                new,
                self.state.last_hash,
            )
            apply(self.state, sealed)
            self.log.append(sealed)
            stored.append(sealed)
        return stored

    def refuse(
        self, command: c.Command, actor: Actor, error: type[Exception]
    ) -> pytest.ExceptionInfo[Any]:
        """Run a command that must be refused with exactly ``error``; check nothing changed."""
        before = self.state.comparable()
        logged = len(self.log)
        with pytest.raises(error) as info:
            self.run(command, actor)
        assert type(info.value) is error, f"expected {error.__name__}, got {info.value!r}"
        assert len(self.log) == logged, "a refused command wrote events"
        assert self.state.comparable() == before, "a refused command changed the state"
        return info

    def check_log(self) -> None:
        """The log verifies and replays to the live state."""
        report = verify_chain(self.log)
        assert report.ok, report.reason
        assert report.head_seq == len(self.log)
        assert replay(self.log).comparable() == self.state.comparable()

    # --- shortcuts ---------------------------------------------------------------------
    def add_ward(self, code: str = "P1", name: str = "Phường 1") -> None:
        self.run(c.AddWard(code, name), SUPERVISOR)

    def add_unit(
        self, call_sign: str, force: Force = Force.TO_363, ward: str | None = None,
        *, exercise: bool = False,
    ) -> None:
        self.run(c.AddUnit(call_sign, force, ward, exercise=exercise), SUPERVISOR)

    def create_incident(
        self,
        incident_id: str,
        *,
        priority: int = 2,
        ward: str | None = None,
        actor: Actor = OPERATOR,
        exercise: bool = False,
    ) -> None:
        self.run(
            c.CreateIncident(
                incident_id,
                IncidentType.SNATCH_THEFT,
                priority,
                106.6797,
                10.8387,
                IncidentSource.PHONE,
                ward=ward,
                address="12 Quang Trung, Phường 10",
                summary="Cướp giật điện thoại",
                exercise=exercise,
            ),
            actor,
        )


def kinds(events: list[StoredEvent]) -> list[str]:
    return [e.kind for e in events]
