"""The officer's hands on the camera wall: tiles clicked (selected), double-clicked (focused
and back), cameras dropped on a tile or chosen in the list, a tile dragged onto another (their
cameras change places), and the keys — 1…6 the layouts, arrows the selection, Enter focus,
Esc back, Delete empties the selected tile, N the nearest cameras. Every use counts as a touch
(a priority-1 incident does not take a wall in use: :mod:`.incidents`).

A part of :class:`~.camera_wall.CameraWall` (mixed into it), kept apart to be read alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from .layout import LAYOUTS

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    from .layout import Cell
    from .streams import Slot, TileStreams

    _WallPart = QWidget
else:
    _WallPart = object

_MOVES = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0),
          Qt.Key.Key_Down: (1, 0)}


class WallInput(_WallPart):
    # what this part uses of the wall
    streams: TileStreams
    focused_slot: int | None
    nearest_action: QAction
    _slots: list[Slot]
    _cells: tuple[Cell, ...]

    if TYPE_CHECKING:
        @property
        def selected_slot(self) -> int: ...
        @selected_slot.setter
        def selected_slot(self, slot: int) -> None: ...
        def touch(self) -> None: ...
        def set_layout(self, key: str) -> None: ...
        def assign(self, slot: int, code: str | None, *, purpose: str | None = None) -> None: ...
        def focus(self, slot: int) -> None: ...
        def unfocus(self) -> None: ...
        def visible_slots(self) -> list[int]: ...
        def _apply(self) -> None: ...

    def _on_layout_chosen(self, key: str) -> None:
        self.touch()
        self.set_layout(key)

    def _on_tile_dropped(self, slot: int, code: str) -> None:
        self.touch()
        self.selected_slot = slot
        self.assign(slot, code)

    def _on_tiles_swapped(self, source: int, target: int) -> None:
        """A tile dragged onto another: their cameras change places."""
        self.touch()
        a, b = self._slots[source], self._slots[target]
        moves = ((source, b.code, b.purpose), (target, a.code, a.purpose))
        for i, code, purpose in moves:
            self.streams.set_camera(i, code, purpose)
        self.selected_slot = target
        self._apply()

    def _on_tile_clicked(self, slot: int) -> None:
        self.touch()
        self.selected_slot = slot
        self.setFocus()
        for i in self.visible_slots():
            self.streams.restyle(i)

    def _on_tile_double_clicked(self, slot: int) -> None:
        self.touch()
        if self.focused_slot is None:
            self.focus(slot)
        else:
            self.unfocus()

    def _on_list_activated(self, code: str) -> None:
        """A camera chosen in the list goes into the selected tile (the first empty one
        shown, if the selected one is hidden)."""
        self.touch()
        slot = self.selected_slot
        if slot not in self.visible_slots():
            empty = [i for i in self.visible_slots() if self._slots[i].code is None]
            slot = empty[0] if empty else self.visible_slots()[0]
        self.selected_slot = slot
        self.assign(slot, code)

    def _move_selection(self, drow: int, dcol: int) -> None:
        """Arrow keys: the selected tile moves to the neighbouring cell."""
        cells = self._cells
        here = cells[self.selected_slot] if self.selected_slot < len(cells) else cells[0]
        row, col = here.row + drow * (here.row_span if drow > 0 else 1), \
            here.col + dcol * (here.col_span if dcol > 0 else 1)
        for i, cell in enumerate(cells):
            if cell.row <= row < cell.row + cell.row_span \
                    and cell.col <= col < cell.col + cell.col_span:
                self.selected_slot = i
                break
        for i in self.visible_slots():
            self.streams.restyle(i)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        keys = list(LAYOUTS)
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_1 + len(keys) - 1 and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self._on_layout_chosen(keys[key - Qt.Key.Key_1])
        elif key == Qt.Key.Key_Escape and self.focused_slot is not None:
            self.touch()
            self.unfocus()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_tile_double_clicked(self.selected_slot)
        elif key in _MOVES and self.focused_slot is None:
            self.touch()
            self._move_selection(*_MOVES[Qt.Key(key)])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.touch()
            self.assign(self.selected_slot, None)
        elif key == Qt.Key.Key_N and self.nearest_action.isEnabled():
            self.nearest_action.trigger()
        else:
            super().keyPressEvent(event)
