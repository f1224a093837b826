"""The camera wall and incidents: the cameras nearest the incident selected (key N, or the
toolbar), and what a priority-1 incident does to the wall — fill a 2×2 with its cameras by
itself when the wall is idle, else a banner offering them (the rules: :mod:`.fill`). The wall
as it was is kept and one click brings it back.

:class:`WallIncidents` says it on the wall (the banner, the toolbar's action) and changes the
wall through :class:`Wall`, the part of :class:`~.wall.CameraWall` it uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from ...core.model import EXERCISE_LABEL, Incident
from .bar import WallBanner
from .fill import FILL_LAYOUT, FILL_TILES, Alert, FillPolicy, fill_cameras, purpose
from .layout import SavedWall


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraWall", text)


class Wall(Protocol):
    """What the incident part uses of the wall."""

    focused_slot: int | None

    def current_wall(self, name: str = "") -> SavedWall: ...
    def load(self, wall: SavedWall) -> None: ...
    def show_cameras(self, codes: Sequence[str | None], layout: str, *,
                     purpose: str | None = None) -> None: ...


class WallIncidents:
    def __init__(self, wall: Wall, banner: WallBanner, action: QAction,
                 nearest: Callable[[Incident], Sequence[str]] | None,
                 policy: FillPolicy | None = None) -> None:
        self._wall = wall
        self._banner = banner
        self._action = action  # the toolbar's "nearest cameras"
        self._nearest = nearest
        self.policy = policy if policy is not None else FillPolicy()
        self.incident: Incident | None = None  # the incident selected

    def set_incident(self, incident: Incident | None) -> None:
        """The incident selected on the map or in the queue (None: none)."""
        self.incident = incident
        self._action.setEnabled(incident is not None and self._nearest is not None)
        if incident is not None:
            self._action.setToolTip(_tr(
                "Fill a 2×2 with the four cameras best placed to see incident #{n} (key N)"
            ).format(n=incident.number))

    def show_nearest(self, incident: Incident) -> list[str]:
        """Fill a 2×2 with the incident's best four cameras (rank order, reading order); the
        wall as it was is kept for :meth:`restore_previous`. Returns the codes shown."""
        codes = list(self._nearest(incident))[:FILL_TILES] if self._nearest is not None else []
        if not codes:
            self._show_banner(_tr("No camera sees or is within 300 m of incident #{n}."
                                  ).format(n=incident.number), None, None)
            return []
        self.policy.filled(incident, self._wall.current_wall())
        self._wall.show_cameras(fill_cameras(codes), FILL_LAYOUT, purpose=purpose(incident))
        self._show_banner(_tr("Cameras nearest incident #{n} (priority {p})").format(
            n=incident.number, p=incident.priority), _tr("Back to the previous wall"),
            self.restore_previous, drill=incident.exercise)
        return codes

    def restore_previous(self) -> None:
        before = self.policy.back()
        self._banner.hide()
        if before is not None:
            self._wall.load(before)

    def alert(self, incident: Incident) -> bool:
        """A priority-1 incident arrived or was selected: its cameras fill the wall by
        themselves if the wall is idle, else the officer is offered them. Returns True when
        the wall was filled."""
        alert = self.policy.alert(incident, focused=self._wall.focused_slot is not None)
        if alert is Alert.FILL:
            return bool(self.show_nearest(incident))
        if alert is Alert.OFFER:
            self._show_banner(_tr("Priority-1 incident #{n}: the wall is in use and was not "
                                  "changed.").format(n=incident.number),
                              _tr("Show its cameras"), lambda: self.show_nearest(incident),
                              drill=incident.exercise)
        return False

    def on_nearest_triggered(self) -> None:
        if self.incident is not None:
            self.policy.touch()
            self.show_nearest(self.incident)

    def _show_banner(self, text: str, action: str | None,
                     do: Callable[[], object] | None, *, drill: bool = False) -> None:
        if drill:  # a drill's cameras are real cameras: say it is a drill (diễn tập)
            text = f"[{EXERCISE_LABEL.upper()}] {text}"
        self._banner.show_message(text, action, do)
