"""The camera wall and incidents: the cameras nearest the incident selected (key N, or the
toolbar), and what a priority-1 incident does to the wall.

A new priority-1 incident (or one selected) fills a 2×2 with its nearest cameras by itself
when the wall is idle — nobody has touched it for :data:`IDLE_S` seconds and no tile is
focused; the wall as it was is kept and one click brings it back. When an officer is using the
wall, it is not taken from them: a banner offers the incident's cameras instead.

A part of :class:`~.camera_wall.CameraWall` (mixed into it), kept apart to be read alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ...core.model import EXERCISE_LABEL, Incident
from .layout import SavedWall

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    from .bar import WallBanner
    from .streams import TileStreams

    _WallPart = QWidget
else:
    _WallPart = object

IDLE_S = 60.0
"""A wall nobody has touched for this long may be filled by a priority-1 incident."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraWall", text)


class WallIncidents(_WallPart):
    # what this part uses of the wall
    streams: TileStreams
    banner: WallBanner
    nearest_action: QAction
    focused_slot: int | None

    if TYPE_CHECKING:
        def set_layout(self, key: str) -> None: ...
        def current_wall(self, name: str = "") -> SavedWall: ...
        def load(self, wall: SavedWall) -> None: ...

    def _init_incidents(self, nearest: Callable[[Incident], Sequence[str]] | None) -> None:
        self._nearest = nearest
        self.last_touch = -math.inf  # monotonic time of the officer's last use of the wall
        self.incident: Incident | None = None
        self.before: SavedWall | None = None  # the wall a nearest-cameras fill replaced
        self.shown_for: str | None = None  # the incident whose cameras fill the wall

    def set_incident(self, incident: Incident | None) -> None:
        """The incident selected on the map or in the queue (None: none)."""
        self.incident = incident
        self.nearest_action.setEnabled(incident is not None and self._nearest is not None)
        if incident is not None:
            self.nearest_action.setToolTip(_tr(
                "Fill a 2×2 with the four cameras best placed to see incident #{n} (key N)"
            ).format(n=incident.number))

    def show_nearest(self, incident: Incident) -> list[str]:
        """Fill a 2×2 with the incident's best four cameras (rank order, reading order); the
        wall as it was is kept for :meth:`restore_previous`. Returns the codes shown."""
        codes = list(self._nearest(incident))[:4] if self._nearest is not None else []
        if not codes:
            self._show_banner(_tr("No camera sees or is within 300 m of incident #{n}."
                                  ).format(n=incident.number), None, None)
            return []
        if self.before is None:
            self.before = self.current_wall()
        purpose = f"vụ #{incident.number}"
        for i in range(4):
            code = codes[i] if i < len(codes) else None
            self.streams.set_camera(i, code, purpose if code is not None else None)
        self.shown_for = incident.id
        self.set_layout("2x2")
        self._show_banner(_tr("Cameras nearest incident #{n} (priority {p})").format(
            n=incident.number, p=incident.priority), _tr("Back to the previous wall"),
            self.restore_previous, drill=incident.exercise)
        return codes

    def restore_previous(self) -> None:
        before, self.before = self.before, None
        self.shown_for = None
        self.banner.hide()
        if before is not None:
            self.load(before)

    def incident_alert(self, incident: Incident) -> bool:
        """A priority-1 incident arrived or was selected: its cameras fill the wall by
        themselves if the wall is idle, else the officer is offered them. Returns True when
        the wall was filled."""
        if incident.priority != 1 or incident.id == self.shown_for:
            return False
        if self.is_idle():
            return bool(self.show_nearest(incident))
        self._show_banner(_tr("Priority-1 incident #{n}: the wall is in use and was not "
                              "changed.").format(n=incident.number),
                          _tr("Show its cameras"), lambda: self.show_nearest(incident),
                          drill=incident.exercise)
        return False

    def is_idle(self) -> bool:
        return self.focused_slot is None and time.monotonic() - self.last_touch >= IDLE_S

    def touch(self) -> None:
        """The officer used the wall."""
        self.last_touch = time.monotonic()

    def _show_banner(self, text: str, action: str | None,
                     do: Callable[[], object] | None, *, drill: bool = False) -> None:
        if drill:  # a drill's cameras are real cameras: say it is a drill (diễn tập)
            text = f"[{EXERCISE_LABEL.upper()}] {text}"
        self.banner.show_message(text, action, do)

    def _on_nearest_triggered(self) -> None:
        if self.incident is not None:
            self.touch()
            self.show_nearest(self.incident)
