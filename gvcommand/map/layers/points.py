"""A generic point layer: complex points (điểm phức tạp) and anything shaped like them,
given as (code, name, lon, lat, status) tuples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor

from .. import style
from .._projection import project
from ._labels import LabelsItem
from ._sprites import SpriteScatter
from .base import Layer, spot_hit

PointRow = tuple[str, str, float, float, str]


class PointsLayer(Layer):
    clickable = True

    def __init__(self, name: str = "complex_points", kind: str = "complex_point") -> None:
        super().__init__()
        self.name = name
        self.kind = kind
        self.scatter = SpriteScatter()
        self.labels = LabelsItem(max_labels=150, point_size=8.5)
        self.items = [self.scatter, self.labels]
        self.points: dict[str, PointRow] = {}
        self.status_labels: dict[str, str] = {}
        self._pen = pg.mkPen(style.DARK.symbol_outline, width=1.5)  # cosmetic: symbols scale
        self._colours: list[str] = []

    def apply_palette(self, palette: style.MapPalette) -> None:
        self._pen = pg.mkPen(palette.symbol_outline, width=1.5)
        self.labels.set_colours(palette.label_text, palette.label_halo,
                                palette.label_halo_alpha)
        self._restyle()

    def _restyle(self) -> None:
        self.scatter.set_styles([("t", style.POINT_SIZE, self._pen, QBrush(QColor(c)))
                                 for c in self._colours])

    def set_points(self, rows: Iterable[PointRow],
                   status_labels: Mapping[str, str] | None = None) -> None:
        """``status_labels`` turn status codes into the words shown on hover."""
        rows = list(rows)
        self.status_labels = dict(status_labels or {})
        self.points = {r[0]: r for r in rows}
        x, y = project([r[2] for r in rows], [r[3] for r in rows])
        colours = [style.POINT_STATUS_COLOURS.get(r[4], style.POINT_DEFAULT_COLOUR)
                   for r in rows]
        distinct = sorted(set(colours))
        if distinct != self._colours:  # one style a colour
            self._colours = distinct
            self._restyle()
        index = {c: i for i, c in enumerate(distinct)}
        self.scatter.set_points(x, y, [index[c] for c in colours], [r[0] for r in rows])
        self.labels.set_labels(x, y, [r[1] for r in rows])

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        code = spot_hit(self.scatter, pos)
        if code is None:
            return None
        _code, name, _lon, _lat, status = self.points[code]
        return (self.kind, code, f"{name} ({self.status_labels.get(status, status)})")
