"""Dispatch commands from the console: sent on the writer thread, answered on the main
thread, refusals told to the officer in plain words.

The console does not change its own state when a command succeeds: the events come back
through the change feed like anyone else's (ARCHITECTURE: no special case), so the board,
the map and a second console all show the same thing.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu, QWidget

from ..core import commands as c
from ..core.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
    VersionConflict,
)
from ..core.events import split_subject
from ..core.handlers import UnitBusy
from ..core.model import Actor, IncidentStatus, Unit, UnitStatus
from ..core.state import State
from ..core.transitions import UNIT_TRANSITIONS
from ..store.event_store import CommandResult, EventStore
from ..store.writer import CommandWriter

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dispatch", text)


def _status_label(code: str) -> str:
    for enum in (UnitStatus, IncidentStatus):
        try:
            return str(enum(code).label)
        except ValueError:
            continue
    return code


def explain(exc: BaseException, state: State | None = None) -> str:
    """What the officer reads when a command is refused: what happened, who did it, what to
    do. Nothing was written (a refused command writes nothing)."""
    if isinstance(exc, UnitBusy):
        unit = exc.unit
        inc = state.incident(unit.incident_id) if state and unit.incident_id else None
        where = (_tr(" to incident #{n}").format(n=inc.number) if inc is not None else "")
        if unit.status is UnitStatus.AVAILABLE:
            return _tr("Unit {unit} cannot be dispatched now. Choose another unit.").format(
                unit=unit.call_sign)
        return _tr("Unit {unit} is no longer available: {who} set it to “{status}”{where}. "
                   "Choose another unit.").format(
            unit=unit.call_sign, who=unit.status_by or _tr("another console"),
            status=unit.status.label, where=where)
    if isinstance(exc, VersionConflict):
        kind, ident = split_subject(exc.subject)
        what = (_tr("Unit {unit}").format(unit=ident) if kind == "unit"
                else _tr("Incident {ident}").format(ident=_incident_name(ident, state)))
        return _tr("{what} was just changed by {who} at another console. The board shows the "
                   "new state; look again and repeat if still needed. Nothing was changed."
                   ).format(what=what, who=exc.last_actor or _tr("someone"))
    if isinstance(exc, InvalidTransition):
        return _tr("{what} is “{current}”: it cannot go to “{target}”. Nothing was changed."
                   ).format(what=_subject_words(exc.what), current=_status_label(exc.current),
                            target=_status_label(exc.target))
    if isinstance(exc, PermissionDenied):
        return _tr("Your role may not do this. Ask the duty commander.")
    if isinstance(exc, NotFound):
        return _tr("Not found (deleted or not yet arrived at this console): {detail}").format(
            detail=str(exc))
    if isinstance(exc, ValidationError):
        return _tr("Refused: {detail}").format(detail=str(exc))
    if isinstance(exc, DomainError):
        return _tr("Refused: {detail}").format(detail=str(exc))
    return _tr("Could not reach the database: the order was not recorded. Try again "
               "({detail}).").format(detail=str(exc))


def _incident_name(ident: str, state: State | None) -> str:
    inc = state.incident(ident) if state is not None else None
    return f"#{inc.number}" if inc is not None else ident


def _subject_words(what: str) -> str:
    """Core says "Unit X" / "Incident #N"; the officer reads their own language."""
    if what.startswith("Unit "):
        return _tr("Unit {unit}").format(unit=what.removeprefix("Unit "))
    if what.startswith("Incident "):
        return _tr("Incident {ident}").format(ident=what.removeprefix("Incident "))
    return what


class CommandRunner(QObject):
    """Sends commands through the console's single writer; ``done`` or ``refused`` arrive on
    the main thread (``refused`` with the plain-words reason)."""

    done = Signal(object, object)  # command, CommandResult
    refused = Signal(object, str)  # command, what the officer reads
    _finished = Signal(object, object)  # command, Future (from the writer thread)

    def __init__(self, store: EventStore, actor: Actor, state: Callable[[], State],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self._store = store
        self._state = state
        self._writer: CommandWriter | None = None
        self._finished.connect(self._on_finished)

    def submit(self, command: c.Command) -> None:
        if self._writer is None:
            self._writer = CommandWriter(self._store, name="gvcommand-ui-writer").start()
        future = self._writer.submit(command, self.actor)
        future.add_done_callback(functools.partial(self._emit_finished, command))

    def _emit_finished(self, command: c.Command, future: Future[CommandResult]) -> None:
        # writer thread: the signal is queued to the main thread; a runner whose window
        # closed is gone
        with contextlib.suppress(RuntimeError):
            self._finished.emit(command, future)

    def _on_finished(self, command: c.Command, future: Future[CommandResult]) -> None:
        exc = future.exception()
        if exc is None:
            self.done.emit(command, future.result())
            return
        if not isinstance(exc, DomainError):
            log.warning("command %s failed: %s", type(command).__name__, exc)
        self.refused.emit(command, explain(exc, self._state()))

    def stop(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.stop()

    # --- the orders an officer gives ------------------------------------------------------------
    def dispatch(self, unit: Unit, incident_id: str) -> None:
        self.submit(c.DispatchUnit(incident_id, unit.call_sign, expected_version=unit.version))

    def set_status(self, unit: Unit, status: UnitStatus, reason: str | None = None) -> None:
        self.submit(c.SetUnitStatus(unit.call_sign, status, reason,
                                    expected_version=unit.version))


# Status changes an officer gives from the board or the map: (status, key, source text)
STATUS_ACTIONS: tuple[tuple[UnitStatus, str, str], ...] = (
    (UnitStatus.EN_ROUTE, "E", str(QT_TRANSLATE_NOOP("Dispatch", "En route"))),
    (UnitStatus.ON_SCENE, "S", str(QT_TRANSLATE_NOOP("Dispatch", "On scene"))),
    (UnitStatus.AVAILABLE, "A",
     str(QT_TRANSLATE_NOOP("Dispatch", "Available (cleared / back in service)"))),
    (UnitStatus.OUT_OF_SERVICE, "O", str(QT_TRANSLATE_NOOP("Dispatch", "Out of service…"))),
)
DISPATCH_KEY = "D"


def unit_menu(unit: Unit, parent: QWidget, *, on_dispatch: Callable[[], None],
              on_status: Callable[[UnitStatus], None]) -> QMenu:
    """Dispatch and the status changes the state machine allows from the unit's status (the
    others are shown disabled, so the officer sees they exist)."""
    menu = QMenu(parent)
    menu.setObjectName("unit_menu")
    menu.setTitle(unit.call_sign)
    act = menu.addAction(_tr("Dispatch to an incident…") + f"\t{DISPATCH_KEY}")
    act.setObjectName("dispatch")
    act.setEnabled(unit.status is UnitStatus.AVAILABLE)
    act.triggered.connect(on_dispatch)
    menu.addSeparator()
    allowed = UNIT_TRANSITIONS[unit.status]
    for status, key, text in STATUS_ACTIONS:
        act = menu.addAction(_tr(text) + f"\t{key}")
        act.setObjectName(f"status_{status.value}")
        act.setEnabled(status in allowed)
        act.triggered.connect(lambda _=False, s=status: on_status(s))
    return menu


def popup(menu: QMenu, at: QPoint) -> None:
    menu.popup(at)
