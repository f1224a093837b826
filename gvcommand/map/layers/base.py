"""What every map layer is: a name, one graphics item (occasionally a small fixed set, like
points plus their labels), visibility, opacity and a stacking order."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem

from .. import style
from ._sprites import SpriteScatter


class Layer:
    """Base class. ``items`` are added to the ViewBox once by the canvas; a layer changes
    their data, never adds or removes items while running."""

    name = "layer"
    clickable = False

    def __init__(self) -> None:
        self.items: list[QGraphicsItem] = []
        self._visible = True
        self._opacity = 1.0

    # --- common state -------------------------------------------------------------------
    @property
    def visible(self) -> bool:
        return self._visible

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        self._sync_visibility()

    @property
    def opacity(self) -> float:
        return self._opacity

    def set_opacity(self, opacity: float) -> None:
        self._opacity = min(1.0, max(0.0, float(opacity)))
        for item in self.items:
            item.setOpacity(self._opacity)

    def set_z(self, z: float) -> None:
        # items of one layer keep their relative order (fill below outline below labels)
        for i, item in enumerate(self.items):
            item.setZValue(z + i * 0.01)

    def _sync_visibility(self) -> None:
        for item in self.items:
            item.setVisible(self._visible)

    # --- hooks the canvas calls ------------------------------------------------------------
    def apply_palette(self, palette: style.MapPalette) -> None:
        """The map's theme changed: make pens, brushes and pre-rendered symbols and labels
        again in its colours (once; nothing of this is done per frame)."""

    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        """The visible area (map metres) or scale (metres per pixel) changed."""

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        """(kind, ident, description) of the feature under ``pos`` (map metres), or None."""
        return None


def spot_hit(scatter: pg.ScatterPlotItem | SpriteScatter, pos: QPointF) -> Any:
    """The data of the top-most spot of ``scatter`` under ``pos`` (its own coordinates)."""
    if isinstance(scatter, SpriteScatter):
        return scatter.id_at(pos)
    if not scatter.isVisible() or scatter.opacity() == 0:
        return None
    spots = scatter.pointsAt(pos)
    if len(spots) == 0:
        return None
    return spots[0].data()  # pointsAt lists the top-most (last drawn) first
