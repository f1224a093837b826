"""Dispatch from the console: the orders an officer gives on a unit (board, map), as a menu
that offers only what the state machine allows.

Commands go through the console's one command path (``commands.ConsoleCommands``, known
here by its old name ``CommandRunner``). The console does not change its own state when a
command succeeds: the events come back through the change feed like anyone else's
(ARCHITECTURE: no special case), so the board, the map and a second console all show the
same thing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint
from PySide6.QtWidgets import QMenu, QWidget

from ..core.model import Unit, UnitStatus
from ..core.transitions import UNIT_TRANSITIONS
from .command_words import explain
from .session import ConsoleCommands

CommandRunner = ConsoleCommands  # the name the board and the recommendations know it by
__all__ = ["DISPATCH_KEY", "STATUS_ACTIONS", "CommandRunner", "ConsoleCommands", "explain",
           "popup", "unit_menu"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dispatch", text)


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
              on_status: Callable[[UnitStatus], None],
              waiting: list[tuple[str, Callable[[], None]]] | None = None,
              on_exercise: Callable[[bool], None] | None = None) -> QMenu:
    """Dispatch and the status changes the state machine allows from the unit's status (the
    others are shown disabled, so the officer sees they exist). ``waiting``: the unit's
    orders waiting for the database, each offered for cancelling (its words, the canceller).
    ``on_exercise``: put the unit on a drill (diễn tập, True) or back on real duty (False);
    given only to the roles that may (supervisors)."""
    menu = QMenu(parent)
    menu.setObjectName("unit_menu")
    menu.setTitle(unit.call_sign)
    for n, (what, cancel) in enumerate(waiting or []):
        act = menu.addAction(QCoreApplication.translate(
            "ConsoleCommands", "Cancel the waiting order: {what}").format(what=what))
        act.setObjectName(f"cancel_waiting_{n}")
        act.triggered.connect(lambda _=False, f=cancel: f())
    if waiting:
        menu.addSeparator()
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
    if on_exercise is not None:
        menu.addSeparator()
        act = menu.addAction(_tr("Back to real duty (off the drill)") if unit.exercise
                             else _tr("Put on a drill (diễn tập)"))
        act.setObjectName("exercise")
        act.triggered.connect(lambda _=False, on=not unit.exercise: on_exercise(on))
    return menu


def popup(menu: QMenu, at: QPoint) -> None:
    menu.popup(at)
