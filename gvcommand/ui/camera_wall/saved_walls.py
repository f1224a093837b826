"""The camera wall's named walls, on its toolbar: choose one in the list to show it, save the
wall as it is under a name (asking before replacing another), delete the one chosen. They
are kept per workstation (:class:`~.wall_settings.WallSettings`)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from . import dialogs
from .bar import WallBar
from .layout import SavedWall
from .wall_settings import WallSettings


class Wall(Protocol):
    """What the saved walls use of the wall."""

    def touch(self) -> None: ...
    def current_wall(self, name: str = "") -> SavedWall: ...
    def show_saved(self, wall: SavedWall) -> None: ...


class SavedWalls:
    def __init__(self, wall: Wall, parent: QWidget, bar: WallBar, store: WallSettings) -> None:
        self._wall = wall
        self._parent = parent  # the dialogs' (the wall)
        self._bar = bar
        self._store = store
        bar.set_saved(store.saved())
        bar.walls_box.activated.connect(self._on_chosen)
        bar.save_action.triggered.connect(self._on_save_triggered)
        bar.delete_action.triggered.connect(self._on_delete_triggered)

    def saved(self) -> dict[str, SavedWall]:
        return self._store.saved()

    def save(self, name: str) -> None:
        name = name.strip()
        if self._store.save(self._wall.current_wall(name)):
            self._bar.set_saved(self._store.saved(), name)

    def delete(self, name: str) -> None:
        self._store.delete(name)
        self._bar.set_saved(self._store.saved())

    def load(self, name: str) -> bool:
        wall = self._store.saved().get(name)
        if wall is None:
            return False
        self._wall.show_saved(wall)
        return True

    def _on_chosen(self, index: int) -> None:
        name = self._bar.walls_box.itemData(index)
        if name:
            self._wall.touch()
            self.load(name)

    def _on_save_triggered(self) -> None:
        self._wall.touch()
        name = dialogs.ask_wall_name(self._parent, self._bar.walls_box.currentData() or "",
                                     self.saved())
        if name is not None:
            self.save(name)

    def _on_delete_triggered(self) -> None:
        name = self._bar.walls_box.currentData()
        if name and dialogs.confirm_delete(self._parent, name):
            self.delete(name)
