"""The camera wall's tiles' area: the tiles of a layout in their cells, arranged for the
area's shape (:func:`~.layout.arranged`: four in a column in a narrow dock), or one tile
alone (focused); the others hidden. When the area's new shape asks for another arrangement,
the wall is told (``reshaped``) and places the tiles again; when it does not, the tiles keep
their cells and the wall is told once they have their new sizes (``resized``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from .layout import DEFAULT_LAYOUT, LAYOUTS, Cell, Layout, arranged
from .tile import CameraTile


class TileGrid(QWidget):
    def __init__(self, tiles: list[CameraTile], reshaped: Callable[[], None],
                 resized: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_grid")
        self.tiles = tiles
        self._reshaped, self._resized = reshaped, resized
        self._layout: Layout = LAYOUTS[DEFAULT_LAYOUT]
        self._focused: int | None = None
        self.cells: tuple[Cell, ...] = self._layout.cells  # as arranged now
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(3)
        for tile in tiles:
            tile.setParent(self)
            tile.hide()

    def place(self, lay: Layout, focused: int | None) -> None:
        """``lay``'s tiles in their cells, or tile ``focused`` alone; the others hidden.
        The tiles have their sizes on return (players are told them as they start)."""
        self._layout, self._focused = lay, focused
        grid = self.grid
        for tile in self.tiles:
            grid.removeWidget(tile)
        for i in range(grid.rowCount()):
            grid.setRowStretch(i, 0)
        for i in range(grid.columnCount()):
            grid.setColumnStretch(i, 0)
        if focused is not None:
            grid.addWidget(self.tiles[focused], 0, 0)
            rows = cols = 1
            visible = {focused}
        else:
            cells, rows, cols = arranged(lay, self.width(), self.height())
            self.cells = cells
            for tile, cell in zip(self.tiles, cells, strict=False):
                grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
            visible = set(range(lay.tiles))
        for i in range(rows):
            grid.setRowStretch(i, 1)
        for i in range(cols):
            grid.setColumnStretch(i, 1)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i in visible)
        grid.activate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._focused is not None:
            return
        if arranged(self._layout, self.width(), self.height())[0] != self.cells:
            self._reshaped()  # the area's shape asks for another arrangement
        else:
            QTimer.singleShot(0, self._resized)  # once the tiles have their sizes
