"""What the map shows of the console's session: the wards of the boundary edition in
force, the newest streets, incidents, units where they are (gliding, stale ones marked),
cameras and complex points, each layer redrawn only when what it draws changed; and the
time window the layers dock chose."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject

from ..geo.editions import BoundaryEdition
from ..map.canvas import MapCanvas
from .session import ConsoleSession

log = logging.getLogger(__name__)


class MapBinding(QObject):
    def __init__(self, session: ConsoleSession, canvas: MapCanvas,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.map = session, canvas
        self.edition: BoundaryEdition | None = None
        self.stale: frozenset[str] = frozenset()
        self.fixes: dict[str, object] = {}
        session.changed.connect(self.refresh)
        session.caches.changed.connect(self._on_cache)
        session.positions.updated.connect(self._on_positions)
        # through a slot of this object (the window's child): the connection ends with the
        # window, while the session lives on (a change of language opens a new window)
        session.positions.trails_changed.connect(self._on_trails)
        self.show_wards()
        self.show_roads()
        self.refresh(frozenset({"incident", "unit", "camera", "complex_point"}))

    def refresh(self, kinds: frozenset[str]) -> None:
        """Redraw only the layers whose entities changed."""
        live = self.session.live
        if "incident" in kinds:
            self.map.set_incidents(live.incidents())
        if "unit" in kinds or "position" in kinds:
            self.map.set_units(live.units(), live.positions, stale=self.stale,
                               fixes=self.fixes)
        if "camera" in kinds:
            self.map.set_cameras(live.cameras())
        if "complex_point" in kinds:
            self.map.set_complex_points(*live.complex_points())

    def _on_cache(self, name: str) -> None:
        if name == "editions":
            self.show_wards()
        elif name == "roads":
            self.show_roads()

    def show_wards(self) -> None:
        """The wards of the boundary edition in force today (Vietnam's calendar day)."""
        edition = self.session.caches.edition_for()
        if edition is not None and (self.edition is None or edition.name != self.edition.name):
            self.edition = edition
            self.map.set_wards(edition)

    def show_roads(self) -> None:
        roads = self.session.caches.roads
        if roads:
            self.map.set_roads((r.name, r.road_class, r.geometry) for r in roads)

    def _on_positions(self, positions: dict[str, tuple[float, float]],
                      stale: frozenset[str], fixes: dict[str, object]) -> None:
        self.stale, self.fixes = stale, fixes
        self.map.set_units(self.session.live.units(), positions, stale=stale, fixes=fixes)

    def _on_trails(self, trails: dict[str, list[tuple[float, float]]]) -> None:
        self.map.trails.set_trails(trails)

    def set_time_preset(self, preset: str, custom: tuple[int, int] | None = None) -> None:
        """The layers' time window: all, a custom period, or one sliding with the clock."""
        if preset == "all":
            self.map.set_time_window(None, None)
        elif preset == "custom":
            if custom is not None:
                self.map.set_time_window(*custom)
        else:
            self.map.set_time_preset(preset, time.time_ns() // 1000)
