"""The officer's hands on the camera wall: tiles clicked (selected), double-clicked (focused
and back), cameras dropped on a tile or chosen in the list, a tile dragged onto another (their
cameras change places), the layout buttons, and the keys — 1…6 the layouts, arrows the
selection, Enter focus, Esc back, Delete empties the selected tile, N the nearest cameras.
Every use counts as a touch (a priority-1 incident does not take a wall in use: :mod:`.fill`).

:class:`WallControls` turns each of these into the wall's own operations (:class:`Wall`, the
part of :class:`~.wall.CameraWall` it uses); the wall connects the signals to it and hands
it its key presses.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from .layout import LAYOUTS, Cell, neighbour

_MOVES = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0),
          Qt.Key.Key_Down: (1, 0)}
_LAYOUT_KEYS = list(LAYOUTS)  # 1…6


class Wall(Protocol):
    """What the controls use of the wall."""

    focused_slot: int | None
    selected_slot: int

    @property
    def cells(self) -> tuple[Cell, ...]: ...
    def touch(self) -> None: ...
    def set_layout(self, key: str) -> None: ...
    def assign(self, slot: int, code: str | None, *, purpose: str | None = None) -> None: ...
    def swap(self, source: int, target: int) -> None: ...
    def camera_at(self, slot: int) -> str | None: ...
    def focus(self, slot: int) -> None: ...
    def unfocus(self) -> None: ...
    def visible_slots(self) -> list[int]: ...
    def restyle_shown(self) -> None: ...
    def setFocus(self) -> None: ...


class WallControls:
    def __init__(self, wall: Wall, nearest: QAction) -> None:
        self._wall = wall
        self._nearest = nearest  # the toolbar's "nearest cameras" (key N)

    def on_layout_chosen(self, key: str) -> None:
        self._wall.touch()
        self._wall.set_layout(key)

    def on_tile_dropped(self, slot: int, code: str) -> None:
        wall = self._wall
        wall.touch()
        wall.selected_slot = slot
        wall.assign(slot, code)

    def on_tiles_swapped(self, source: int, target: int) -> None:
        """A tile dragged onto another: their cameras change places."""
        self._wall.touch()
        self._wall.swap(source, target)

    def on_tile_clicked(self, slot: int) -> None:
        wall = self._wall
        wall.touch()
        wall.selected_slot = slot
        wall.setFocus()
        wall.restyle_shown()

    def on_tile_double_clicked(self, slot: int) -> None:
        wall = self._wall
        wall.touch()
        if wall.focused_slot is None:
            wall.focus(slot)
        else:
            wall.unfocus()

    def on_list_activated(self, code: str) -> None:
        """A camera chosen in the list goes into the selected tile (the first empty one
        shown, if the selected one is hidden)."""
        wall = self._wall
        wall.touch()
        slot = wall.selected_slot
        shown = wall.visible_slots()
        if slot not in shown:
            empty = [i for i in shown if wall.camera_at(i) is None]
            slot = empty[0] if empty else shown[0]
        wall.selected_slot = slot
        wall.assign(slot, code)

    def key_pressed(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """A key pressed on the wall; False when it is not the wall's (it goes on to the
        wall's parent)."""
        wall = self._wall
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_1 + len(_LAYOUT_KEYS) - 1 and not modifiers & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.on_layout_chosen(_LAYOUT_KEYS[key - Qt.Key.Key_1])
        elif key == Qt.Key.Key_Escape and wall.focused_slot is not None:
            wall.touch()
            wall.unfocus()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.on_tile_double_clicked(wall.selected_slot)
        elif key in _MOVES and wall.focused_slot is None:
            wall.touch()
            wall.selected_slot = neighbour(wall.cells, wall.selected_slot,
                                           *_MOVES[Qt.Key(key)])
            wall.restyle_shown()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            wall.touch()
            wall.assign(wall.selected_slot, None)
        elif key == Qt.Key.Key_N and self._nearest.isEnabled():
            self._nearest.trigger()
        else:
            return False
        return True
