"""The camera wall: live tiles in a layout (1, 2×2, 3×3, 4×4, 1 large + 5, 1 large + 7), a
camera list to drag from (the map's cameras drag too), a double-click to focus one camera on
its main stream, saved named walls, the cameras nearest an incident, and the decode budget.

The wall decides what is shown (:meth:`CameraWall._apply`): a tile decodes only while the
officer can see it (the wall's dock shown and not a background tab, the window not
minimised, the tile in the current layout); :class:`~.streams.TileStreams` then plays it as
the budget's plan says — main stream, sub-stream, snapshot or paused — and the tile says
which.

Every live view is on the record: a tile that starts showing a camera writes
``StartLiveView``, and ``StopLiveView`` when it stops (camera removed or replaced, stream
switched, tile hidden, console closed), through the console's command path with the
officer's name and console. Snapshots and budget pauses do not open and close views: the
camera is still on the officer's wall.

This module holds what the wall shows (the layout, the focused and the selected tile, the
camera of every tile) and composes the parts it owns, each an object of its own that talks to
the wall through a small interface: the tiles' area (:class:`~.grid.TileGrid`), the players
(:class:`~.streams.TileStreams`), whether the officer can see the wall
(:class:`~.visibility.WallVisibility`), the officer's clicks, drags and keys
(:class:`~.controls.WallControls`), the incidents' cameras (:class:`~.incidents.WallIncidents`,
its rules in :mod:`.fill`) and the named walls (:class:`~.saved_walls.SavedWalls`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...core.model import Camera, Incident
from . import dialogs
from .bar import WallBanner, WallBar
from .budget import DecodeBudget, Mode
from .camera_list import CameraList
from .controls import WallControls
from .grid import TileGrid
from .incidents import WallIncidents
from .layout import DEFAULT_LAYOUT, LAYOUTS, MAX_TILES, Cell, SavedWall, slots
from .players import Player, StreamUrl, now_us
from .saved_walls import SavedWalls
from .streams import TileStreams
from .tile import CameraTile
from .visibility import WallVisibility
from .wall_settings import WallSettings

log = logging.getLogger(__name__)

NARROW_PX = 720  # narrower than this, the camera list starts hidden


class CameraWall(QWidget):
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
        self._stopped = False
        self.visibility = WallVisibility(self, self._apply)

        self._build()
        self.controls = WallControls(self, self.nearest_action)
        self.incidents = WallIncidents(self, self.banner, self.nearest_action, nearest)
        self.saved = SavedWalls(self, self, self.toolbar, self._store)
        self._connect()
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
        self.grid_host = TileGrid(self.tiles, self._place_tiles, self._size_players)
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

    def _connect(self) -> None:
        controls = self.controls
        for key, act in self.layout_actions.items():
            act.triggered.connect(lambda _=False, k=key: controls.on_layout_chosen(k))
        self.list_action.triggered.connect(self._on_list_toggled)
        self.nearest_action.triggered.connect(self.incidents.on_nearest_triggered)
        self.budget_button.clicked.connect(self._on_budget_clicked)
        self.camera_list.activated.connect(controls.on_list_activated)
        for tile in self.tiles:
            tile.dropped.connect(controls.on_tile_dropped)
            tile.swapped.connect(controls.on_tiles_swapped)
            tile.double_clicked.connect(controls.on_tile_double_clicked)
            tile.clicked.connect(controls.on_tile_clicked)

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

    @property
    def active(self) -> bool:
        """The officer can see the wall (its tiles may decode)."""
        return self.visibility.active

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The cells of the grid as arranged now (in its area)."""
        return self.grid_host.cells

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

    def restyle_shown(self) -> None:
        """The tiles shown say again what they show (the selection moved)."""
        for i in self.visible_slots():
            self.streams.restyle(i)

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

    def swap(self, source: int, target: int) -> None:
        """Tiles ``source`` and ``target`` exchange their cameras; ``target`` is selected."""
        a, b = self._slots[source], self._slots[target]
        moves = ((source, b.code, b.purpose), (target, a.code, a.purpose))
        for i, code, purpose in moves:
            self.streams.set_camera(i, code, purpose)
        self.selected_slot = target
        self._apply()

    def show_cameras(self, codes: Sequence[str | None], layout: str, *,
                     purpose: str | None = None) -> None:
        """``codes`` on the first tiles (watched for ``purpose``), in ``layout``."""
        for i, code in enumerate(codes):
            self.streams.set_camera(i, code, purpose if code is not None else None)
        self.set_layout(layout)

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

    # --- saved walls (SavedWalls) -------------------------------------------------------------
    def saved_walls(self) -> dict[str, SavedWall]:
        return self.saved.saved()

    def save_wall(self, name: str) -> None:
        self.saved.save(name)

    def delete_wall(self, name: str) -> None:
        self.saved.delete(name)

    def load_wall(self, name: str) -> bool:
        return self.saved.load(name)

    def show_saved(self, wall: SavedWall) -> None:
        """A saved wall chosen: shown, and no incident's fill to come back from."""
        self.incidents.policy.forget()
        self.load(wall)

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
        self.visibility.stop()
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

    # --- incidents (the incident part's own words: WallIncidents) -----------------------------
    def set_incident(self, incident: Incident | None) -> None:
        """The incident selected on the map or in the queue (None: none)."""
        self.incidents.set_incident(incident)

    def show_nearest(self, incident: Incident) -> list[str]:
        return self.incidents.show_nearest(incident)

    def restore_previous(self) -> None:
        self.incidents.restore_previous()

    def incident_alert(self, incident: Incident) -> bool:
        """A priority-1 incident: True when its cameras filled the wall (README)."""
        return self.incidents.alert(incident)

    def touch(self) -> None:
        """The officer used the wall."""
        self.incidents.policy.touch()

    @property
    def last_touch(self) -> float:
        """Monotonic time of the officer's last use of the wall."""
        return self.incidents.policy.last_touch

    @last_touch.setter
    def last_touch(self, at: float) -> None:
        self.incidents.policy.last_touch = at

    # --- visibility (WallVisibility), keys (WallControls) --------------------------------------
    def set_on_screen(self, shown: bool) -> None:
        """Whether the wall's container shows it (a dock behind another tab does not)."""
        self.visibility.set_on_screen(shown)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.controls.key_pressed(event.key(), event.modifiers()):
            super().keyPressEvent(event)

    # --- the one place that decides what plays -------------------------------------------------
    def _place_tiles(self) -> None:
        self.grid_host.place(LAYOUTS[self.layout_key], self.focused_slot)
        self.layout_actions[self.layout_key].setChecked(True)  # triggered is not emitted
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
        now = now_us()
        for tile in self.tiles:
            if tile.isVisible():
                tile.now_us = now
                tile.update()
        self.streams.tick(self.visible_slots())

    # --- toolbar handlers (the tiles', the list's and the keys': WallControls) ----------------
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

    def _on_budget_clicked(self) -> None:
        budget = dialogs.ask_budget(self, self.budget)
        if budget is not None:
            self.set_budget(budget)
