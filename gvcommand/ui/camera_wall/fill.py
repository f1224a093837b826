"""When an incident's cameras fill the wall, and which ones. Plain Python (no Qt): the wall's
incident part (:mod:`.incidents`) shows what this decides.

- The cameras: those whose field of view holds the incident first, then those within 300 m,
  nearest first (:func:`gvcommand.analysis.cameras.rank_cameras`); the best four fill a 2×2
  in rank order, reading order.
- A priority-1 incident (new, or selected) fills the wall by itself when nobody has used the
  wall for :data:`IDLE_S` seconds and no tile is focused; otherwise the officer is offered its
  cameras (a banner) and the wall is not taken from them. An incident already on the wall is
  not offered again.
- The wall as it was before a fill is kept, once, so that one click brings it back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from enum import Enum

from ...analysis.cameras import best_four
from ...core.model import Camera, Incident
from .layout import SavedWall

IDLE_S = 60.0
"""A wall nobody has touched for this long may be filled by a priority-1 incident."""
FILL_LAYOUT = "2x2"
FILL_TILES = 4


def nearest_cameras(cameras: Iterable[Camera], incident: Incident) -> list[str]:
    """The codes of the (at most four) cameras best placed to see ``incident``."""
    return [c.code for c in best_four(cameras, incident.lon, incident.lat)]


def fill_cameras(codes: Sequence[str]) -> list[str | None]:
    """The cameras of the filled 2×2's tiles: the first four of ``codes``, in rank order,
    the tiles left over empty."""
    best = list(codes)[:FILL_TILES]
    return best + [None] * (FILL_TILES - len(best))


def purpose(incident: Incident) -> str:
    """Why the cameras are watched, on the record of their live views."""
    return f"vụ #{incident.number}"


class Alert(Enum):
    """What a priority-1 alert does to the wall."""

    NOTHING = "nothing"  # not priority 1, or its cameras are already on the wall
    FILL = "fill"  # the wall is idle: its cameras fill it
    OFFER = "offer"  # the wall is in use: its cameras are offered


class FillPolicy:
    """The officer's last use of the wall, the incident whose cameras fill it and the wall
    they replaced. ``clock`` is monotonic seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.last_touch = -math.inf  # the officer's last use of the wall (clock time)
        self.before: SavedWall | None = None  # the wall a fill replaced
        self.shown_for: str | None = None  # the incident whose cameras fill the wall

    def touch(self) -> None:
        """The officer used the wall."""
        self.last_touch = self._clock()

    def is_idle(self, *, focused: bool) -> bool:
        return not focused and self._clock() - self.last_touch >= IDLE_S

    def alert(self, incident: Incident, *, focused: bool) -> Alert:
        """A priority-1 incident arrived or was selected (``focused``: a tile of the wall
        is shown alone)."""
        if incident.priority != 1 or incident.id == self.shown_for:
            return Alert.NOTHING
        return Alert.FILL if self.is_idle(focused=focused) else Alert.OFFER

    def filled(self, incident: Incident, current: SavedWall) -> None:
        """``incident``'s cameras replaced ``current`` (kept unless an earlier fill's wall
        is: back goes to the officer's own wall)."""
        if self.before is None:
            self.before = current
        self.shown_for = incident.id

    def back(self) -> SavedWall | None:
        """The wall to bring back (None: none kept); the fill is over."""
        before, self.before, self.shown_for = self.before, None, None
        return before

    def forget(self) -> None:
        """The officer chose another wall: there is nothing to come back to."""
        self.before, self.shown_for = None, None
