"""The camera wall: live tiles in a layout (1, 2×2, 3×3, 4×4, 1 large + 5, 1 large + 7), a
camera list to drag from (the map's cameras drag too), a double-click to focus one camera on
its main stream, saved named walls, the cameras nearest an incident, and the decode budget.

The wall decides what is shown (:meth:`CameraWall._apply`): a tile decodes only while the
officer can see it (the wall's dock shown and not a background tab, the window not
minimised, the tile in the current layout); :class:`~.streams.TileStreams`
then plays it as the budget's plan says — main stream, sub-stream, snapshot or paused — and
the tile says which.

Every live view is on the record: a tile that starts showing a camera writes
``StartLiveView``, and ``StopLiveView`` when it stops (camera removed or replaced, stream
switched, tile hidden, console closed), through the console's command path with the
officer's name and console. Snapshots and budget pauses do not open and close views: the
camera is still on the officer's wall.

The wall is read in parts: this module holds its tiles' placement, what it shows, the saved
walls and the toolbar; :mod:`.incidents` the nearest cameras and priority-1
incidents, :mod:`.visibility` when the officer can see it, and
:mod:`.controls` the clicks, drags and keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QInputDialog,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Camera, Incident
from .bar import WallBanner, WallBar
from .budget import DecodeBudget, Mode
from .camera_list import CameraList
from .controls import WallInput
from .incidents import WallIncidents
from .layout import DEFAULT_LAYOUT, LAYOUTS, MAX_TILES, SavedWall, arranged, slots
from .saved import WallSettings
from .streams import (
    Player,
    StreamUrl,
    TileStreams,
    _now_us,
    live_address,
    make_player,
)
from .tile import CameraTile
from .visibility import WallVisibility

# the players and addresses are made here for whoever builds a wall (the dock, the tests)
__all__ = ["CameraWall", "Player", "StreamUrl", "live_address", "make_player"]

log = logging.getLogger(__name__)

NARROW_PX = 720  # narrower than this, the camera list starts hidden


class CameraWall(WallIncidents, WallVisibility, WallInput, QWidget):
    layout_changed = Signal(str)

    def __init__(self, cameras: Callable[[], Mapping[str, Camera]],
                 ward_names: Callable[[], Mapping[str, str]],
                 player_factory: Callable[[QObject], Player],
                 stream_url: StreamUrl, *,
                 submit: Callable[[object], None] | None = None,
                 nearest: Callable[[Incident], Sequence[str]] | None = None,
                 settings: QSettings | None = None,
                 budget: DecodeBudget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_wall")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._cameras = cameras
        self._ward_names = ward_names
        self._store = WallSettings(settings)
        self.layout_key = DEFAULT_LAYOUT
        self.focused_slot: int | None = None
        self.tiles = [CameraTile(i) for i in range(MAX_TILES)]
        self.streams = TileStreams(
            self.tiles, cameras, ward_names, player_factory, stream_url, submit,
            budget if budget is not None else self._store.budget(), self)
        self._slots = self.streams.slots
        self._init_incidents(nearest)
        self._stopped = False
        self._init_visibility()

        self._build()
        for tile in self.tiles:
            tile.dropped.connect(self._on_tile_dropped)
            tile.swapped.connect(self._on_tiles_swapped)
            tile.double_clicked.connect(self._on_tile_double_clicked)
            tile.clicked.connect(self._on_tile_clicked)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_tick)
        self._clock.start()
        self.refresh_cameras()
        self._restore_current()
        self._place_tiles()

    # --- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        self.toolbar = WallBar()
        for key, act in self.toolbar.layout_actions.items():
            act.triggered.connect(lambda _=False, k=key: self._on_layout_chosen(k))
        self.toolbar.list_action.triggered.connect(self._on_list_toggled)
        self.toolbar.nearest_action.triggered.connect(self._on_nearest_triggered)
        self.toolbar.walls_box.activated.connect(self._on_saved_wall_chosen)
        self.toolbar.save_action.triggered.connect(self._on_save_triggered)
        self.toolbar.delete_action.triggered.connect(self._on_delete_triggered)
        self.toolbar.budget_button.clicked.connect(self._on_budget_clicked)
        self.toolbar.show_budget(self.budget)
        # the toolbar's parts by name (the dock, the tests and the handlers use them)
        self.layout_actions = self.toolbar.layout_actions
        self.list_action = self.toolbar.list_action
        self.nearest_action = self.toolbar.nearest_action
        self.walls_box = self.toolbar.walls_box
        self.save_action = self.toolbar.save_action
        self.delete_action = self.toolbar.delete_action
        self.budget_button = self.toolbar.budget_button
        self.banner = WallBanner()
        self.banner_label = self.banner.label
        self.banner_button = self.banner.button

        self.camera_list = CameraList()
        self.camera_list.activated.connect(self._on_list_activated)
        self.grid_host = QWidget()
        self.grid_host.setObjectName("camera_grid")
        self.grid_host.installEventFilter(self)
        self._cells = LAYOUTS[self.layout_key].cells
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(3)
        for tile in self.tiles:
            tile.setParent(self.grid_host)
            tile.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("camera_wall_splitter")
        self.splitter.addWidget(self.camera_list)
        self.splitter.addWidget(self.grid_host)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 800])
        self._list_chosen = False  # the officer showed or hid the list: leave it so
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.toolbar.set_saved(self._store.saved())

    @property
    def selected_slot(self) -> int:
        """The tile the keyboard and the camera list act on."""
        return self.streams.selected_slot

    @selected_slot.setter
    def selected_slot(self, slot: int) -> None:
        self.streams.selected_slot = slot

    @property
    def budget(self) -> DecodeBudget:
        return self.streams.budget

    # --- what the wall shows -------------------------------------------------------------------
    def camera_at(self, slot: int) -> str | None:
        return self._slots[slot].code

    def player_at(self, slot: int) -> Player | None:
        return self._slots[slot].player

    def mode_at(self, slot: int) -> Mode | None:
        return self._slots[slot].mode

    def url_at(self, slot: int) -> str | None:
        """The address the tile's player was told to open (with credentials: never log it)."""
        return self._slots[slot].url

    def view_at(self, slot: int) -> str | None:
        return self._slots[slot].view_id

    def visible_slots(self) -> list[int]:
        if self.focused_slot is not None:
            return [self.focused_slot]
        return list(range(LAYOUTS[self.layout_key].tiles))

    def current_wall(self, name: str = "") -> SavedWall:
        return SavedWall(name, self.layout_key, tuple(s.code for s in self._slots))

    # --- officer's actions (programmatic forms are used by tests and the main window) ----------
    def set_layout(self, key: str) -> None:
        if key not in LAYOUTS:
            raise ValueError(f"unknown layout {key!r}")
        self.layout_key = key
        self.focused_slot = None
        self._place_tiles()
        self.layout_changed.emit(key)

    def assign(self, slot: int, code: str | None, *, purpose: str | None = None) -> None:
        """Put camera ``code`` into ``slot`` (None empties it)."""
        if code is not None and code not in self._cameras():
            log.warning("camera %s is not in the registry (retired?): not shown", code)
            return
        self.streams.set_camera(slot, code, purpose)
        if code is None and slot == self.focused_slot:
            self.unfocus()
        self._apply()

    def focus(self, slot: int) -> None:
        """Show one tile alone, on the camera's main stream."""
        if self._slots[slot].code is None:
            return
        self.focused_slot = slot
        self.selected_slot = slot
        self._place_tiles()

    def unfocus(self) -> None:
        if self.focused_slot is not None:
            self.focused_slot = None
            self._place_tiles()

    def set_budget(self, budget: DecodeBudget) -> None:
        self.streams.budget = budget
        self._store.set_budget(budget)
        self.toolbar.show_budget(budget)
        self._apply()

    def load(self, wall: SavedWall) -> None:
        cams = self._cameras()
        for i, code in enumerate(slots(wall.cameras)):
            # a camera retired since the wall was saved leaves its tile empty
            self.streams.set_camera(i, code if code in cams else None)
        self.set_layout(wall.layout)

    # --- saved walls ---------------------------------------------------------------------------
    def saved_walls(self) -> dict[str, SavedWall]:
        return self._store.saved()

    def save_wall(self, name: str) -> None:
        name = name.strip()
        if self._store.save(self.current_wall(name)):
            self.toolbar.set_saved(self._store.saved(), name)

    def delete_wall(self, name: str) -> None:
        self._store.delete(name)
        self.toolbar.set_saved(self._store.saved())

    def load_wall(self, name: str) -> bool:
        wall = self._store.saved().get(name)
        if wall is None:
            return False
        self.before, self.shown_for = None, None
        self.load(wall)
        return True

    # --- cameras -------------------------------------------------------------------------------
    def refresh_cameras(self) -> None:
        """The registry changed: the list, and tiles whose camera was retired or edited."""
        cams = self._cameras()
        wards = self._ward_names()
        self.camera_list.set_cameras(sorted(cams.values(), key=lambda c: c.name), wards)
        for i, s in enumerate(self._slots):
            if s.code is not None and s.code not in cams:
                self.streams.set_camera(i, None)
        self.streams.clear_urls()  # an edited camera has new addresses or credentials
        self._apply()

    # --- shutdown ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop every player and close every open view on the record (console closed);
        the wall is kept for the next start. Safe to call twice."""
        if self._stopped:
            return
        self._save_current()
        self._stopped = True
        self._clock.stop()
        self._hide_timer.stop()
        self.streams.shutdown()

    def _save_current(self) -> None:
        self._store.set_last(self.current_wall())

    def _restore_current(self) -> None:
        wall = self._store.last()
        if wall is None:
            return
        cams = self._cameras()
        for i, code in enumerate(slots(wall.cameras)):
            self._slots[i].code = code if code in cams else None
        self.layout_key = wall.layout

    # --- events watched: the window (camera_wall_visibility), the tiles' area ------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.WindowStateChange:
            self._set_active()
        elif (watched is self.grid_host and event.type() == QEvent.Type.Resize
              and self.focused_slot is None):
            size = self.grid_host.size()
            if arranged(LAYOUTS[self.layout_key], size.width(), size.height())[0] \
                    != self._cells:
                self._place_tiles()  # the area's shape asks for another arrangement
            else:
                QTimer.singleShot(0, self._size_players)  # once the tiles have their sizes
        return super().eventFilter(watched, event)

    # --- the one place that decides what plays -------------------------------------------------
    def _place_tiles(self) -> None:
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for i in range(self.grid.rowCount()):
            self.grid.setRowStretch(i, 0)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        visible = set(self.visible_slots())
        if self.focused_slot is not None:
            self.grid.addWidget(self.tiles[self.focused_slot], 0, 0)
            rows = cols = 1
        else:
            cells, rows, cols = arranged(LAYOUTS[self.layout_key], self.grid_host.width(),
                                         self.grid_host.height())
            self._cells = cells
            for tile, cell in zip(self.tiles, cells, strict=False):
                self.grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
        for i in range(rows):
            self.grid.setRowStretch(i, 1)
        for i in range(cols):
            self.grid.setColumnStretch(i, 1)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i in visible)
        self.layout_actions[self.layout_key].setChecked(True)  # triggered is not emitted
        self.grid.activate()  # the tiles' sizes now: players are told them as they start
        self._apply()

    def _size_players(self) -> None:
        for i in self.visible_slots():
            self.streams.size_player(i)

    def _apply(self) -> None:
        if self._stopped:
            return
        focused = self.focused_slot is not None
        self.streams.apply(self.visible_slots(), active=self.active, focused=focused,
                           large=focused or LAYOUTS[self.layout_key].large)

    def _on_tick(self) -> None:
        now_us = _now_us()
        for tile in self.tiles:
            if tile.isVisible():
                tile.now_us = now_us
                tile.update()
        self.streams.tick(self.visible_slots())

    # --- toolbar handlers (the tiles', the list's and the keys': camera_wall_input) ------------
    def _on_list_toggled(self, shown: bool) -> None:
        self._list_chosen = True
        self.camera_list.setVisible(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._list_chosen:
            # a narrow wall (docked beside the map) gives its width to the tiles
            wide = event.size().width() >= NARROW_PX
            self.camera_list.setVisible(wide)
            self.list_action.setChecked(wide)

    def _on_saved_wall_chosen(self, index: int) -> None:
        name = self.walls_box.itemData(index)
        if name:
            self.touch()
            self.load_wall(name)

    def _on_save_triggered(self) -> None:
        self.touch()
        current = self.walls_box.currentData() or ""
        name, ok = QInputDialog.getText(self, self.tr("Save the wall"),
                                        self.tr("Name of this wall:"), text=current)
        name = name.strip()
        if not ok or not name:
            return
        if name in self.saved_walls() and QMessageBox.question(
                self, self.tr("Save the wall"),
                self.tr("A wall named “{name}” is already saved. Replace it?").format(
                    name=name)) != QMessageBox.StandardButton.Yes:
            return
        self.save_wall(name)

    def _on_delete_triggered(self) -> None:
        name = self.walls_box.currentData()
        if not name:
            return
        answer = QMessageBox.question(self, self.tr("Delete the wall"),
                                      self.tr("Delete the saved wall “{name}”?").format(
                                          name=name))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_wall(name)

    def _on_budget_clicked(self) -> None:
        n, ok = QInputDialog.getDouble(
            self, self.tr("Decode budget"),
            self.tr("How many sub-streams (640×360, 25 fps) this workstation may decode at "
                    "once (a main stream counts as 9):"), self.budget.sub_streams, 0, 200, 1)
        if ok:
            self.set_budget(DecodeBudget.of_sub_streams(n, self.budget.snapshot_period_s))

