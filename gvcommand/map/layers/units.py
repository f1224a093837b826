"""Patrol units at their last known position: symbol by force, colour by status, call sign."""

from __future__ import annotations

from collections.abc import Mapping

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor

from gvcommand.core.model import Unit

from .. import style
from .._projection import project
from ._labels import LabelsItem
from ._sprites import SpriteScatter
from .base import Layer, spot_hit


class UnitsLayer(Layer):
    name = "units"
    clickable = True

    def __init__(self) -> None:
        super().__init__()
        self.scatter = SpriteScatter()
        self.labels = LabelsItem(max_labels=300)
        self.items = [self.scatter, self.labels]
        self.units: dict[str, Unit] = {}
        self._pen = pg.mkPen(style.LABEL_HALO, width=1.5)  # cosmetic: symbols are scaled
        # one style for each (force, status)
        self._forces = list(style.FORCE_SYMBOLS)
        self._statuses = list(style.UNIT_STATUS_COLOURS)
        self._style_index = {(f, st): i * len(self._statuses) + j
                             for i, f in enumerate(self._forces)
                             for j, st in enumerate(self._statuses)}
        self.scatter.set_styles([
            (style.FORCE_SYMBOLS[f], style.UNIT_SIZE, self._pen,
             QBrush(QColor(style.UNIT_STATUS_COLOURS[st])))
            for f in self._forces for st in self._statuses])

    def set_units(self, units: list[Unit],
                  positions: Mapping[str, tuple[float, float]]) -> None:
        """Units with a known (lon, lat) position; the others cannot be drawn."""
        placed = [u for u in units if u.call_sign in positions]
        self.units = {u.call_sign: u for u in placed}
        x, y = project([positions[u.call_sign][0] for u in placed],
                       [positions[u.call_sign][1] for u in placed])
        self.scatter.set_points(x, y, [self._style_index[(u.force, u.status)] for u in placed],
                                [u.call_sign for u in placed])
        self.labels.set_labels(x, y, [u.call_sign for u in placed])

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        call_sign = spot_hit(self.scatter, pos)
        if call_sign is None:
            return None
        unit = self.units[call_sign]
        return ("unit", call_sign, f"{call_sign} — {unit.force.label} — {unit.status.label}")
