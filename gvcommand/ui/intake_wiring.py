"""The main window's incident intake: the intake dialog (one at a time) and the gazetteer it
looks addresses up in (streets, wards, complex points and imported places by name), built when
first needed and again after what it holds has changed."""

from __future__ import annotations

import logging
from collections.abc import Callable

import shapely
from PySide6.QtWidgets import QWidget

from ..analysis.gazetteer import COMPLEX_POINT, WARD, Gazetteer
from ..core.commands import Command
from ..core.state import State
from ..geo.editions import BoundaryEdition
from ..map.canvas import MapCanvas
from ..store.db import StoreError
from ..store.event_store import EventStore
from ..store.places import load_places
from ..store.roads import load_roads
from .incident_intake import IncidentIntake

log = logging.getLogger(__name__)


class IntakeWiring:
    def __init__(self, store: EventStore, state: Callable[[], State],
                 edition: Callable[[], BoundaryEdition | None], map_canvas: MapCanvas,
                 submit: Callable[[Command], None], window: QWidget) -> None:
        self._store = store
        self._state = state
        self._edition = edition
        self._map = map_canvas
        self._submit = submit
        self._window = window  # the dialog's parent
        self.intake: IncidentIntake | None = None
        self._gazetteer: Gazetteer | None = None

    def forget_gazetteer(self) -> None:
        """What the gazetteer holds has changed: it is built again when next needed."""
        self._gazetteer = None

    def gazetteer(self) -> Gazetteer:
        """Streets, wards, complex points and imported places by name (built when first
        needed)."""
        if self._gazetteer is None:
            g = Gazetteer()
            try:
                stored = load_roads(self._store)
            except StoreError as exc:
                log.warning("cannot read the road network for the gazetteer: %s", exc)
                stored = None
            if stored is not None:
                g.add_streets((s.name, s.road_class, shapely.from_wkb(s.wkb))
                              for s in stored[1])
            edition = self._edition()
            if edition is not None:
                g.add_areas(WARD, ((w.code, w.name, w.geometry) for w in edition.wards))
            g.add_points(COMPLEX_POINT, ((p.code, p.name, p.lon, p.lat)
                                         for p in self._state().complex_points.values()))
            try:
                g.add_places((p.name, p.kind, p.lon, p.lat) for p in load_places(self._store))
            except StoreError as exc:
                log.warning("cannot read the places for the gazetteer: %s", exc)
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
