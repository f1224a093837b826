"""Recommended units for the selected incident: available units ranked by travel time along
the roads (straight line × detour where there are none), stale positions last and marked.

The road graph is built once on a worker thread (about a second for the OSM roads of Gò
Vấp) and again when a new network is imported; until it is ready, the straight line."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..analysis.routing import DETOUR_FACTOR, Estimate, RoadGraph, rank, straight
from ..core.model import EXERCISE_TAG, Incident, UnitStatus
from ..map.style import EXERCISE_COLOUR, UNIT_STALE
from .dispatch import CommandRunner
from .session import ConsoleSession, Road

log = logging.getLogger(__name__)
RANK, CALL, MINUTES, HOW = range(4)


def build_graph(roads: Iterable[Road]) -> tuple[RoadGraph, float]:
    """The road graph of ``roads`` and the seconds it took."""
    t0 = time.perf_counter()
    graph = RoadGraph((r.geometry, r.road_class) for r in roads)
    return graph, time.perf_counter() - t0


def _prepared(graph: RoadGraph, target: tuple[float, float]) -> tuple[float, float]:
    graph.prepare(target)
    return target


class DispatchRecommendations(QWidget):
    def __init__(self, session: ConsoleSession, runner: CommandRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recommendations")
        self.session = session
        self._state = lambda: session.live.state
        self.runner = runner if runner is not None else session.commands
        self.graph: RoadGraph | None = None
        self.build_seconds: float | None = None
        self.incident_id: str | None = None
        self.positions: Mapping[str, tuple[float, float]] = {}
        self.stale: frozenset[str] = frozenset()
        self.order: list[str] = []  # call signs as listed
        self.estimates: dict[str, Estimate] = {}
        self.left_out = 0  # free units not listed: on a drill for a real incident, or real
        self.title = QLabel(self.tr("Select an incident to see the nearest units."))
        self.title.setObjectName("recommend_title")
        self.title.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("recommend_tree")
        self.tree.setHeaderLabels([self.tr("#"), self.tr("Unit"), self.tr("Minutes"),
                                   self.tr("Estimate")])
        self.tree.setRootIsDecorated(False)
        self.tree.itemActivated.connect(lambda _item, _col: self.dispatch_current())
        self.dispatch_button = QPushButton(self.tr("Dispatch the chosen unit (Enter)"))
        self.dispatch_button.setObjectName("recommend_dispatch")
        self.dispatch_button.clicked.connect(self.dispatch_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.dispatch_button)
        # the first ranking for an incident needs its shortest-path tree: computed on the
        # session's pool, the straight line shown meanwhile
        self._preparing: set[tuple[float, float]] = set()
        self.computing = False
        session.changed.connect(self._on_changed)
        session.caches.changed.connect(self._on_cache)
        session.positions.updated.connect(self._on_positions)
        self.build_graph()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "unit" in kinds or "incident" in kinds:
            self.refresh()
        elif "position" in kinds:
            self.set_positions(self.session.live.positions, self.stale)

    def _on_cache(self, name: str) -> None:
        if name == "roads":
            self.build_graph()

    def _on_positions(self, positions: Mapping[str, tuple[float, float]],
                      stale: frozenset[str], _fixes: object) -> None:
        self.set_positions(positions, stale)

    def build_graph(self) -> None:
        """(Re)build the road graph of the newest network on the session's pool."""
        roads = list(self.session.caches.roads)  # none: an empty graph (straight lines)
        self.session.tasks.read(lambda: build_graph(roads), self._on_graph_built,
                                lambda exc: log.warning("road graph not built: %s", exc),
                                owner=self, what="building the road graph")

    def _on_graph_built(self, built: tuple[RoadGraph, float]) -> None:
        graph, seconds = built
        self.graph, self.build_seconds = graph, seconds
        log.info("road graph: %d nodes, built in %.2f s", graph.graph.number_of_nodes(),
                 seconds)
        self.refresh()

    def _on_tree_ready(self, target: tuple[float, float]) -> None:
        self._preparing.discard(target)
        self.refresh()

    def set_incident(self, incident_id: str | None) -> None:
        self.incident_id = incident_id
        self.refresh()

    def set_positions(self, positions: Mapping[str, tuple[float, float]],
                      stale: frozenset[str]) -> None:
        moved = stale != self.stale or set(positions) != set(self.positions)
        self.positions, self.stale = positions, stale
        if moved:
            self.refresh()

    def refresh(self) -> None:
        state = self._state()
        inc = state.incident(self.incident_id) if self.incident_id else None
        self.tree.clear()
        self.order, self.estimates = [], {}
        if inc is None or inc.status.terminal:
            self.title.setText(self.tr("Select an incident to see the nearest units."))
            return
        target = (inc.lon, inc.lat)
        # a drill gets drill units, a real incident real ones (the core refuses the rest):
        # a real unit is never offered to a drill, even when no drill unit is free
        free = [u for u in state.units.values() if u.status is UnitStatus.AVAILABLE]
        available = [u.call_sign for u in free if u.exercise == inc.exercise]
        self.left_out = len(free) - len(available)
        placed = {k: self.positions[k] for k in available if k in self.positions}
        graph = self.graph
        self.computing = graph is not None and not graph.ready_for(target)
        if graph is not None and self.computing and target not in self._preparing:
            self._preparing.add(target)
            self.session.tasks.read(lambda: _prepared(graph, target), self._on_tree_ready,
                                    lambda exc: log.warning("road tree not built: %s", exc),
                                    owner=self, what="a shortest-path tree")
        if graph is not None and not self.computing:
            self.estimates = graph.estimates(placed, target)
        else:
            self.estimates = {k: straight(v, target) for k, v in placed.items()}
        stale = [k for k in self.estimates if k in self.stale]
        self.order = rank(self.estimates, stale) + sorted(
            k for k in available if k not in placed)
        self.title.setText(self._title(inc) if not self.computing else self.tr(
            "{title} — computing times by road…").format(title=self._title(inc)))
        self.title.setStyleSheet(f"color: {EXERCISE_COLOUR};" if inc.exercise else "")
        for n, call_sign in enumerate(self.order, start=1):
            est = self.estimates.get(call_sign)
            item = QTreeWidgetItem([str(n), call_sign, "", ""])
            item.setData(CALL, Qt.ItemDataRole.UserRole, call_sign)
            if inc.exercise:
                item.setText(CALL, f"{call_sign} · {EXERCISE_TAG}")
                item.setForeground(CALL, QBrush(QColor(EXERCISE_COLOUR)))
            if est is None:
                item.setText(HOW, self.tr("no position"))
            else:
                item.setText(MINUTES, f"{est.seconds / 60:.1f}")
                how = (self.tr("by road, {km:.1f} km").format(km=est.metres / 1000)
                       if est.by_road else
                       self.tr("straight line ×{f}").format(f=DETOUR_FACTOR))
                if call_sign in self.stale:
                    how = self.tr("position stale — {how}").format(how=how)
                item.setText(HOW, how)
            if est is None or call_sign in self.stale:
                for col in range(4):
                    item.setForeground(col, QBrush(QColor(UNIT_STALE)))
            item.setToolTip(HOW, item.text(HOW))
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _title(self, inc: Incident) -> str:
        if inc.exercise and not self.order:
            return self.tr("#{n} is a drill (diễn tập) and no unit on the drill is free: a "
                           "supervisor puts units on the drill first (real units are not "
                           "sent to drills)").format(n=inc.number)
        if inc.exercise:
            return self.tr("DRILL #{n} {type}: nearest units on the drill").format(
                n=inc.number, type=inc.type.label)
        title = self.tr("Nearest available units for #{n} {type}").format(
            n=inc.number, type=inc.type.label)
        if self.left_out:
            title += " " + self.tr("({count} on a drill not listed)").format(
                count=self.left_out)
        return title

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.dispatch_current()
            return
        super().keyPressEvent(event)

    def dispatch_current(self) -> None:
        item = self.tree.currentItem()
        state = self._state()
        unit = state.unit(item.data(CALL, Qt.ItemDataRole.UserRole)) if item else None
        if unit is not None and self.incident_id is not None:
            self.runner.dispatch(unit, self.incident_id)
