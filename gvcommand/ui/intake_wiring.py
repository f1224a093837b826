"""The main window's incident intake: the intake dialog (one at a time) and the gazetteer it
looks addresses up in (streets, wards, complex points and imported places by name), built when
first needed and again after what it holds has changed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ..analysis.gazetteer import COMPLEX_POINT, WARD, Gazetteer
from ..geo.editions import BoundaryEdition
from ..map.canvas import MapCanvas
from .incident_intake import IncidentIntake
from .session import ConsoleSession

log = logging.getLogger(__name__)


class IntakeWiring(QObject):
    """Parented to the window: its subscriptions to the session end with it."""

    def __init__(self, session: ConsoleSession,
                 edition: Callable[[], BoundaryEdition | None], map_canvas: MapCanvas,
                 window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._state = lambda: session.live.state
        self._edition = edition
        self._map = map_canvas
        self._submit = session.commands.submit
        self._window = window  # the dialog's parent
        self.intake: IncidentIntake | None = None
        self._gazetteer: Gazetteer | None = None
        # what the gazetteer holds changed: built again when next needed
        session.caches.changed.connect(self._window_forgets)
        session.changed.connect(self._on_changed)

    def _window_forgets(self, _name: str) -> None:
        self.forget_gazetteer()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"edition", "road_network", "complex_point", "place_set"}:
            self.forget_gazetteer()

    def forget_gazetteer(self) -> None:
        """What the gazetteer holds has changed: it is built again when next needed."""
        self._gazetteer = None

    def gazetteer(self) -> Gazetteer:
        """Streets, wards, complex points and imported places by name (built when first
        needed, from what the session's caches hold)."""
        if self._gazetteer is None:
            caches = self._session.caches
            g = Gazetteer()
            g.add_streets((r.name, r.road_class, r.geometry) for r in caches.roads)
            edition = self._edition()
            if edition is not None:
                g.add_areas(WARD, ((w.code, w.name, w.geometry) for w in edition.wards))
            g.add_points(COMPLEX_POINT, ((p.code, p.name, p.lon, p.lat)
                                         for p in self._state().complex_points.values()))
            g.add_places((p.name, p.kind, p.lon, p.lat) for p in caches.places)
            self._gazetteer = g
        return self._gazetteer

    def open_intake(self) -> IncidentIntake:
        """The intake dialog (one at a time: a second request brings it forward)."""
        if self.intake is not None and self.intake.isVisible():
            self.intake.raise_()
            self.intake.activateWindow()
            return self.intake
        intake = IncidentIntake(self._state, self._edition,
                                gazetteer=self.gazetteer(), map_canvas=self._map,
                                parent=self._window)
        intake.submitted.connect(self._submit)
        intake.finished.connect(self._on_intake_finished)
        self.intake = intake
        intake.show()
        intake.activateWindow()  # keyboard-first: typing goes to the form at once
        return intake

    def _on_intake_finished(self) -> None:
        intake, self.intake = self.intake, None
        if intake is not None:
            intake.deleteLater()
