"""Ward boundaries: every outline in one path, an optional choropleth fill, ward names."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gvcommand.geo.editions import BoundaryEdition

from .. import style
from .._projection import project
from ._labels import LabelsItem
from .base import Layer


def _rings(geometry: shapely.Geometry) -> list[np.ndarray]:
    polygons = getattr(geometry, "geoms", [geometry])
    rings: list[np.ndarray] = []
    for polygon in polygons:
        rings.append(np.asarray(polygon.exterior.coords))
        rings += [np.asarray(r.coords) for r in polygon.interiors]
    return rings


def _path(rings: list[tuple[np.ndarray, np.ndarray]]) -> QPainterPath:
    """All rings as one path: NaN between rings, drawn with connect='finite'."""
    if not rings:
        return QPainterPath()
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for x, y in rings:
        xs += [x, np.array([np.nan])]
        ys += [y, np.array([np.nan])]
    path = pg.arrayToQPath(np.concatenate(xs[:-1]), np.concatenate(ys[:-1]), connect="finite")
    path.setFillRule(Qt.FillRule.OddEvenFill)  # holes stay holes
    return path


class _WardsItem(pg.GraphicsObject):
    """Fills (one brush per ward) then every outline as one path, in one paint call."""

    def __init__(self) -> None:
        super().__init__()
        self.outline = QPainterPath()
        self.fills: list[tuple[QPainterPath, QBrush]] = []
        self._pen = QPen()
        self.set_colour(style.WARD_OUTLINE)

    def set_colour(self, outline: str) -> None:
        self._pen = QPen(QColor(outline))
        # one pixel whatever the zoom: a cosmetic pen wider than 1 px goes through Qt's
        # stroker and cost 60-80 ms a frame for Gò Vấp's outlines (benchmarks/bench_map.py)
        self._pen.setCosmetic(True)
        self._pen.setWidthF(1.0)
        self.update()

    def set_paths(self, outline: QPainterPath, fills: list[tuple[QPainterPath, QBrush]]) -> None:
        self.prepareGeometryChange()
        self.outline = outline
        self.fills = fills
        self.update()

    def boundingRect(self) -> QRectF:
        return self.outline.boundingRect()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # shared borders are nearly but not exactly vertical in TM-3: without antialiasing
        # they would show one-pixel steps that read as gaps
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        for path, brush in self.fills:
            painter.fillPath(path, brush)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._pen)
        painter.drawPath(self.outline)


class WardsLayer(Layer):
    name = "wards"

    def __init__(self) -> None:
        super().__init__()
        self.item = _WardsItem()
        # one item for every ward name: TextItems cost ~2.5 ms a frame for 16 wards
        self.labels = LabelsItem(max_labels=100, centred=True, colour=style.WARD_LABEL,
                                 bold=False)
        self.items = [self.item, self.labels]
        self.edition: BoundaryEdition | None = None
        self._ward_paths: dict[str, QPainterPath] = {}
        self._ward_bounds: dict[str, QRectF] = {}
        self.values: dict[str, float] = {}
        self.value_range: tuple[float, float] | None = None
        self.palette = style.DARK

    def apply_palette(self, palette: style.MapPalette) -> None:
        self.palette = palette
        self.item.set_colour(palette.ward_outline)
        self.labels.set_colours(palette.ward_label, palette.label_halo,
                                palette.label_halo_alpha)
        self._restyle()

    def set_edition(self, edition: BoundaryEdition | None) -> None:
        self.edition = edition
        self._ward_paths.clear()
        self._ward_bounds.clear()
        all_rings: list[tuple[np.ndarray, np.ndarray]] = []
        label_x: list[float] = []
        label_y: list[float] = []
        for ward in edition.wards if edition else ():
            rings = [project(r[:, 0], r[:, 1]) for r in _rings(ward.geometry)]
            all_rings += rings
            path = _path(rings)
            self._ward_paths[ward.code] = path
            self._ward_bounds[ward.code] = path.boundingRect()
            centre = ward.geometry.representative_point()
            x, y = project([centre.x], [centre.y])
            label_x.append(float(x[0]))
            label_y.append(float(y[0]))
        self.labels.set_labels(label_x, label_y,
                               [w.name for w in edition.wards] if edition else [])
        self._outline = _path(all_rings)
        self._restyle()

    def set_values(self, values: Mapping[str, float] | None) -> None:
        """Choropleth: fill each ward by its value (``None`` or {} clears the fill)."""
        self.values = dict(values or {})
        self._restyle()

    def _restyle(self) -> None:
        fills: list[tuple[QPainterPath, QBrush]] = []
        known = [v for c, v in self.values.items() if c in self._ward_paths]
        if known:
            lo, hi = min(known), max(known)
            self.value_range = (lo, hi)
            for code, value in self.values.items():
                if code in self._ward_paths:
                    t = 0.5 if hi == lo else (value - lo) / (hi - lo)
                    colour = style.choropleth_colour(t, self.palette)
                    fills.append((self._ward_paths[code], QBrush(colour)))
        else:
            self.value_range = None
        self.item.set_paths(getattr(self, "_outline", QPainterPath()), fills)

    def ward_bounds(self, code: str) -> QRectF:
        if code not in self._ward_bounds:
            raise KeyError(f"no ward {code!r} on the map")
        return self._ward_bounds[code]

    def bounds(self) -> QRectF:
        return self.item.boundingRect()

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        if not self.visible or self.edition is None:
            return None
        for ward in self.edition.wards:
            path = self._ward_paths.get(ward.code)
            if path is not None and path.contains(pos):
                value = self.values.get(ward.code)
                text = ward.name if value is None else f"{ward.name}: {value:g}"
                return ("ward", ward.code, text)
        return None
