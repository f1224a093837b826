"""The camera wall: live tiles in a layout (1, 2×2, 3×3, 4×4, 1 large + 5, 1 large + 7), a
camera list to drag from (the map's cameras drag too), a double-click to focus one camera on
its main stream, saved named walls, the cameras nearest an incident, and the decode budget.

What plays where is decided here, in one place (:meth:`CameraWall._apply`): a tile decodes
only while the officer can see it (the wall's dock shown and not a background tab, the window
not minimised, the tile in the current layout); the budget's plan says main stream,
sub-stream, snapshot or paused, and the tile says which.

Every live view is on the record: a tile that starts showing a camera writes
``StartLiveView``, and ``StopLiveView`` when it stops (camera removed or replaced, stream
switched, tile hidden, console closed), through the console's command path with the
officer's name and console. Snapshots and budget pauses do not open and close views: the
camera is still on the officer's wall.

Priority-1 incidents: a new one (or one selected) fills a 2×2 with its nearest cameras by
itself when the wall is idle — nobody has touched it for :data:`IDLE_S` seconds and no tile
is focused; the wall as it was is kept and one click brings it back. When an officer is
using the wall, it is not taken from them: a banner offers the incident's cameras instead.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHideEvent,
    QImage,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QInputDialog,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.commands import StartLiveView, StopLiveView
from ..core.model import Camera, Incident, StreamKind
from ..video.credentials import CredentialStore
from ..video.urls import UrlError, has_sub_stream, opened_url
from .camera_wall_bar import WallBanner, WallBar
from .camera_wall_budget import MAIN_PX_S, SUB_PX_S, DecodeBudget, Mode, Request, Want
from .camera_wall_layout import DEFAULT_LAYOUT, LAYOUTS, MAX_TILES, SavedWall, slots
from .camera_wall_list import CameraList
from .camera_wall_saved import WallSettings
from .camera_wall_tile import CameraTile, Look, describe

log = logging.getLogger(__name__)
_MOVES = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0),
          Qt.Key.Key_Down: (1, 0)}

IDLE_S = 60.0
"""A wall nobody has touched for this long may be filled by a priority-1 incident."""
SNAPSHOT_MAX_PLAY_S = 3.0  # a snapshot that brings no frame in this time is given up
HIDE_AFTER_MS = 300  # hidden this long, the wall pauses (not for a re-layout's flicker)
RESUME_BATCH = 4  # paused tiles resumed at once…
RESUME_EVERY_MS = 150  # …then the next ones this much later (16 tiles: all within 0.5 s)
RESUME_HOLD_S = 1.5  # while the selected tile waits for its first frame, others wait too
SNAPSHOTS_AT_ONCE = 2  # snapshots are staggered: a wall of them does not decode at once
NARROW_PX = 720  # narrower than this, the camera list starts hidden


class Player(Protocol):
    """What the wall needs of a stream player (``gvcommand.video.player.StreamPlayer``)."""

    frame_ready: Any  # Signal()
    state_changed: Any  # Signal(StreamState, str)

    @property
    def state(self) -> Any: ...
    @property
    def detail(self) -> str: ...
    @property
    def last_frame_us(self) -> int | None: ...

    def play(self, url: str, *, redacted: str) -> None: ...
    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def image(self) -> QImage | None: ...


StreamUrl = Callable[[Camera, StreamKind], tuple[str, str]]
"""A camera's live address for a stream, with credentials, and the same address redacted
(the only one ever shown or logged)."""


def make_player(parent: QObject) -> Player:
    """A libVLC player for a tile (gvcommand.video.player)."""
    from ..video.player import StreamPlayer

    return StreamPlayer(parent)


def live_address(credentials: Callable[[], CredentialStore] | None = None) -> StreamUrl:
    """Live addresses from the camera record (gvcommand.video.urls) with its credentials
    from the keyring or the encrypted store (opened when first needed)."""
    opened: list[CredentialStore] = []

    def address(camera: Camera, stream: StreamKind) -> tuple[str, str]:
        creds = None
        if camera.credential_ref:
            if not opened:
                if credentials is None:
                    raise UrlError(f"camera {camera.code}: no credential store")
                opened.append(credentials())
            creds = opened[0].get(camera.credential_ref)
            if creds is None:
                raise UrlError(f"camera {camera.code}: no credentials stored under "
                               f"{camera.credential_ref!r}")
        return opened_url(camera, stream, creds)

    return address


def _now_us() -> int:
    return time.time_ns() // 1000


def _state_name(state: object) -> str:
    return str(getattr(state, "name", state))


@dataclass(slots=True)
class _Slot:
    code: str | None = None
    player: Player | None = None
    url: str | None = None  # what the player was last told to play
    error: str | None = None  # the address could not be made (shown as a failure)
    mode: Mode | None = None
    view_id: str | None = None  # the open live view (audit)
    view_code: str | None = None
    view_stream: StreamKind | None = None
    purpose: str | None = None
    snap_started: float | None = None  # monotonic, while a snapshot plays
    snap_due: float = 0.0


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
        self._player_factory = player_factory
        self._stream_url = stream_url
        self._submit = submit
        self._nearest = nearest
        self._store = WallSettings(settings)
        self.budget = budget if budget is not None else self._store.budget()
        self.layout_key = DEFAULT_LAYOUT
        self.focused_slot: int | None = None
        self.selected_slot = 0
        self._slots = [_Slot() for _ in range(MAX_TILES)]
        self.tiles = [CameraTile(i) for i in range(MAX_TILES)]
        self.active = False  # the officer can see the wall
        self.on_screen = True  # not behind another tab (set by the dock)
        self.last_touch = -math.inf  # monotonic time of the officer's last use of the wall
        self.incident: Incident | None = None
        self.before: SavedWall | None = None  # the wall a nearest-cameras fill replaced
        self.shown_for: str | None = None  # the incident whose cameras fill the wall
        self._stopped = False
        self._watched: QWidget | None = None
        # addresses made once per camera version and stream (credentials come from the
        # keyring, which may be slow to ask)
        self._urls: dict[tuple[str, int, StreamKind], tuple[str, str]] = {}
        self._resumes: list[int] = []  # paused tiles waiting for their turn to resume
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(HIDE_AFTER_MS)
        self._hide_timer.timeout.connect(self._apply_hidden)
        self._hold_until = 0.0
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.setInterval(RESUME_EVERY_MS)
        self._resume_timer.timeout.connect(self._resume_some)

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

    # --- officer's actions (programmatic forms are used by tests and the main window) -----------
    def set_layout(self, key: str) -> None:
        if key not in LAYOUTS:
            raise ValueError(f"unknown layout {key!r}")
        self.layout_key = key
        self.focused_slot = None
        self._place_tiles()
        self.layout_changed.emit(key)

    def assign(self, slot: int, code: str | None, *, purpose: str | None = None) -> None:
        """Put camera ``code`` into ``slot`` (None empties it)."""
        s = self._slots[slot]
        if code is not None and code not in self._cameras():
            log.warning("camera %s is not in the registry (retired?): not shown", code)
            return
        if s.code != code:
            self._stop_player(s)
            s.code, s.error, s.snap_due = code, None, 0.0
        s.purpose = purpose
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
        self.budget = budget
        self._store.set_budget(budget)
        self.toolbar.show_budget(budget)
        self._apply()

    def load(self, wall: SavedWall) -> None:
        for i, code in enumerate(slots(wall.cameras)):
            s = self._slots[i]
            if code is not None and code not in self._cameras():
                code = None  # retired since the wall was saved
            if s.code != code:
                self._stop_player(s)
                s.code, s.error, s.snap_due = code, None, 0.0
            s.purpose = None
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

    # --- incidents -----------------------------------------------------------------------------
    def set_incident(self, incident: Incident | None) -> None:
        """The incident selected on the map or in the queue (None: none)."""
        self.incident = incident
        self.nearest_action.setEnabled(incident is not None and self._nearest is not None)
        if incident is not None:
            self.nearest_action.setToolTip(self.tr(
                "Fill a 2×2 with the four cameras best placed to see incident #{n}").format(
                n=incident.number))

    def show_nearest(self, incident: Incident) -> list[str]:
        """Fill a 2×2 with the incident's best four cameras (rank order, reading order); the
        wall as it was is kept for :meth:`restore_previous`. Returns the codes shown."""
        codes = list(self._nearest(incident))[:4] if self._nearest is not None else []
        if not codes:
            self._show_banner(self.tr("No camera sees or is within 300 m of incident #{n}."
                                      ).format(n=incident.number), None, None)
            return []
        if self.before is None:
            self.before = self.current_wall()
        purpose = f"vụ #{incident.number}"
        for i in range(4):
            s = self._slots[i]
            code = codes[i] if i < len(codes) else None
            if s.code != code:
                self._stop_player(s)
                s.code, s.error, s.snap_due = code, None, 0.0
            s.purpose = purpose if code is not None else None
        self.shown_for = incident.id
        self.set_layout("2x2")
        self._show_banner(self.tr("Cameras nearest incident #{n} (priority {p})").format(
            n=incident.number, p=incident.priority), self.tr("Back to the previous wall"),
            self.restore_previous)
        return codes

    def restore_previous(self) -> None:
        before, self.before = self.before, None
        self.shown_for = None
        self.banner.hide()
        if before is not None:
            self.load(before)

    def incident_alert(self, incident: Incident) -> bool:
        """A priority-1 incident arrived or was selected: its cameras fill the wall by
        themselves if the wall is idle, else the officer is offered them. Returns True when
        the wall was filled."""
        if incident.priority != 1 or incident.id == self.shown_for:
            return False
        if self.is_idle():
            return bool(self.show_nearest(incident))
        self._show_banner(self.tr("Priority-1 incident #{n}: the wall is in use and was not "
                                  "changed.").format(n=incident.number),
                          self.tr("Show its cameras"), lambda: self.show_nearest(incident))
        return False

    def is_idle(self) -> bool:
        return self.focused_slot is None and time.monotonic() - self.last_touch >= IDLE_S

    def touch(self) -> None:
        """The officer used the wall."""
        self.last_touch = time.monotonic()

    def _show_banner(self, text: str, action: str | None,
                     do: Callable[[], object] | None) -> None:
        self.banner.show_message(text, action, do)

    # --- cameras -------------------------------------------------------------------------------
    def refresh_cameras(self) -> None:
        """The registry changed: the list, and tiles whose camera was retired or edited."""
        cams = self._cameras()
        wards = self._ward_names()
        self.camera_list.set_cameras(sorted(cams.values(), key=lambda c: c.name), wards)
        for s in self._slots:
            if s.code is not None and s.code not in cams:
                self._stop_player(s)
                s.code = None
            elif s.code is not None:
                s.error = None
        self._urls.clear()  # an edited camera has new addresses or credentials
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
        self._resume_timer.stop()
        self._hide_timer.stop()
        for s in self._slots:
            self._close_view(s, "console closed")
            self._stop_player(s)
            close = getattr(s.player, "close", None)
            if close is not None:
                close()  # libVLC's player is released (off the GUI thread)

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

    # --- visibility ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        self._set_active()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._set_active()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.WindowStateChange:
            self._set_active()
        return super().eventFilter(watched, event)

    def set_on_screen(self, shown: bool) -> None:
        """Whether the wall's container shows it: a dock behind another dock's tab stays
        "visible" to Qt but is not on screen (QDockWidget.visibilityChanged tells)."""
        self.on_screen = shown
        self._set_active()

    def _set_active(self) -> None:
        active = (not self._stopped and self.on_screen and self.isVisible()
                  and not self.window().isMinimized())
        if active:
            self._hide_timer.stop()
            if not self.active:
                self.active = True
                self._apply()
        elif self.active and not self._hide_timer.isActive():
            if self._stopped:
                self._apply_hidden()
            else:
                # a dock re-laid out or a tab flicked through hides the wall for an instant:
                # decoding pauses (and the views close, on the record) only if it stays so
                self._hide_timer.start()

    def _apply_hidden(self) -> None:
        if not (not self._stopped and self.on_screen and self.isVisible()
                and not self.window().isMinimized()):
            self.active = False
            self._apply()

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
            n = 1
        else:
            lay = LAYOUTS[self.layout_key]
            for tile, cell in zip(self.tiles, lay.cells, strict=False):
                self.grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
            n = lay.grid
        for i in range(n):
            self.grid.setRowStretch(i, 1)
            self.grid.setColumnStretch(i, 1)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i in visible)
        self.layout_actions[self.layout_key].setChecked(True)  # triggered is not emitted
        self._apply()

    def _wants(self) -> list[Request]:
        """Tiles that would decode now, most important first."""
        if not self.active:
            return []
        if self.focused_slot is not None:
            order = [self.focused_slot]
            large = True
        else:
            order = self.visible_slots()
            large = LAYOUTS[self.layout_key].large
        cams = self._cameras()
        out = []
        for k, i in enumerate(order):
            cam = cams.get(self._slots[i].code or "")
            if cam is not None:
                # a camera with one address plays it for "sub" too: it costs a main stream
                sub = SUB_PX_S if has_sub_stream(cam) else MAIN_PX_S
                out.append(Request(i, Want.MAIN if large and k == 0 else Want.SUB, sub))
        return out

    def _apply(self) -> None:
        if self._stopped:
            return
        plan = self.budget.plan(self._wants())
        cams = self._cameras()
        wards = self._ward_names()
        for i, s in enumerate(self._slots):
            cam = cams.get(s.code) if s.code is not None else None
            tile = self.tiles[i]
            tile.set_camera(cam, wards.get(cam.ward or "", cam.ward or "") if cam else "")
            mode = plan.get(i)
            s.mode = mode
            if cam is None or mode is None:
                # hidden or empty: nothing decodes; the open view closes
                self._close_view(s, "hidden" if cam is not None else "closed")
                if s.player is not None and _state_name(s.player.state) not in (
                        "STOPPED", "PAUSED"):
                    s.player.pause()
                s.snap_started = None
            else:
                stream = StreamKind.MAIN if mode is Mode.MAIN else StreamKind.SUB
                self._open_view(s, cam.code, stream)
                self._drive(i, s, cam, mode)
            self._restyle(i)
        self._resume_some()

    def _resume_some(self) -> None:
        """Resume paused tiles a few at a time, the selected one first: a wall coming back
        (the grid after a focus, a dock shown again) starts its streams in batches, so the
        tile the officer was looking at is not queued behind fifteen others' starts."""
        self._resumes.sort(key=lambda i: i != self.selected_slot)
        chosen = self._slots[self.selected_slot].player
        if (chosen is not None and _state_name(chosen.state) == "CONNECTING"
                and self.selected_slot not in self._resumes
                and time.monotonic() < self._hold_until):
            # the tile just switched (back from focus) starts first; the others wait for
            # its first frame (at most RESUME_HOLD_S)
            self._resume_timer.start()
            return
        batch, self._resumes = self._resumes[:RESUME_BATCH], self._resumes[RESUME_BATCH:]
        for i in batch:
            s = self._slots[i]
            if (s.player is not None and s.mode is not None and s.mode.stream is not None
                    and s.mode is not Mode.SNAPSHOT and self.active
                    and _state_name(s.player.state) == "PAUSED"):
                s.player.resume()
        if self._resumes and not self._resume_timer.isActive():
            self._resume_timer.start()

    def _drive(self, i: int, s: _Slot, cam: Camera, mode: Mode) -> None:
        stream = StreamKind.MAIN if mode is Mode.MAIN else StreamKind.SUB
        if mode is Mode.PAUSED:
            if s.player is not None and _state_name(s.player.state) not in ("STOPPED",
                                                                               "PAUSED"):
                s.player.pause()
            s.snap_started = None
            return
        try:
            url, redacted = self._url(cam, stream)
        except Exception as exc:  # a bad record or missing credentials: the tile says so
            s.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.warning("camera %s: no %s stream address: %s", cam.code, stream.value,
                        s.error)
            self._stop_player(s)
            return
        s.error = None
        player = self._player(i, s)
        if mode is Mode.SNAPSHOT:
            if s.snap_started is None and _state_name(player.state) not in ("STOPPED",):
                player.stop()  # from live to snapshots: the next tick takes one
            return
        s.snap_started = None
        if s.url != url or _state_name(player.state) in ("STOPPED",):
            s.url = url
            log.info("camera %s on tile %d: %s", cam.code, i + 1, redacted)
            player.play(url, redacted=redacted)
            if i == self.selected_slot:
                self._hold_until = time.monotonic() + RESUME_HOLD_S
        elif _state_name(player.state) == "PAUSED" and i not in self._resumes:
            self._resumes.append(i)

    def _url(self, cam: Camera, stream: StreamKind) -> tuple[str, str]:
        key = (cam.code, cam.version, stream)
        if key not in self._urls:
            self._urls[key] = self._stream_url(cam, stream)
        return self._urls[key]

    def _player(self, i: int, s: _Slot) -> Player:
        if s.player is None:
            player = self._player_factory(self)
            player.frame_ready.connect(lambda i=i: self._on_frame(i))
            player.state_changed.connect(lambda *_a, i=i: self._restyle(i))
            s.player = player
        return s.player

    def _stop_player(self, s: _Slot) -> None:
        if s.player is not None and _state_name(s.player.state) != "STOPPED":
            s.player.stop()
        s.url = None
        s.snap_started = None

    # --- the record ----------------------------------------------------------------------------
    def _open_view(self, s: _Slot, code: str, stream: StreamKind) -> None:
        if s.view_id is not None and (s.view_code, s.view_stream) == (code, stream):
            return
        self._close_view(s, "switched")
        s.view_id, s.view_code, s.view_stream = uuid.uuid4().hex, code, stream
        self._record(StartLiveView(code, s.view_id, stream, s.purpose))

    def _close_view(self, s: _Slot, reason: str) -> None:
        if s.view_id is None or s.view_code is None:
            return
        self._record(StopLiveView(s.view_code, s.view_id, reason))
        s.view_id = s.view_code = s.view_stream = None

    def _record(self, command: object) -> None:
        if self._submit is not None:
            self._submit(command)

    # --- frames, clock, snapshots --------------------------------------------------------------
    def _on_frame(self, i: int) -> None:
        s = self._slots[i]
        if s.player is None:
            return
        image = s.player.image()
        now = _now_us()
        if s.mode is Mode.SNAPSHOT and s.snap_started is not None:
            if image is not None and not image.isNull():
                self.tiles[i].set_frame(image.copy(), now)
            s.snap_started = None
            s.snap_due = time.monotonic() + self.budget.snapshot_period_s
            s.player.stop()
            self._restyle(i)
            return
        self.tiles[i].set_frame(image, now)

    def _on_tick(self) -> None:
        now_us = _now_us()
        for tile in self.tiles:
            if tile.isVisible():
                tile.now_us = now_us
                tile.update()
        now = time.monotonic()
        playing = sum(1 for s in self._slots if s.snap_started is not None)
        for i, s in enumerate(self._slots):
            if s.mode is not Mode.SNAPSHOT or s.code is None or s.error is not None:
                continue
            if s.snap_started is not None and now - s.snap_started > SNAPSHOT_MAX_PLAY_S:
                # no frame in time: given up until the next one is due (the tile shows why)
                s.snap_started = None
                s.snap_due = now + self.budget.snapshot_period_s
                if s.player is not None:
                    s.player.stop()
                playing -= 1
            elif s.snap_started is None and now >= s.snap_due and playing < SNAPSHOTS_AT_ONCE:
                self._take_snapshot(i, s)
                playing += 1
        for i in self.visible_slots():
            self._restyle(i)

    def _take_snapshot(self, i: int, s: _Slot) -> None:
        cam = self._cameras().get(s.code or "")
        if cam is None:
            return
        try:
            url, redacted = self._url(cam, StreamKind.SUB)
        except Exception as exc:
            s.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return
        s.snap_started = time.monotonic()
        s.url = url
        self._player(i, s).play(url, redacted=redacted)

    def _restyle(self, i: int) -> None:
        s = self._slots[i]
        tile = self.tiles[i]
        tile.selected = i == self.selected_slot and self.focused_slot is None
        if s.code is None:
            tile.set_look(None, None)
            return
        look: Look
        if s.error is not None:
            look = describe("FAILED", s.error, 0, s.mode)
        elif s.player is None or s.mode is None:
            look = describe("PAUSED" if s.mode is None else "CONNECTING", "", 0, s.mode)
        else:
            state = _state_name(s.player.state)
            # the last frame this tile showed (the player's may be another camera's)
            last = tile.still_at_us if tile.image is not None else None
            look = describe(state, s.player.detail or "", last, s.mode,
                            still_at_us=tile.still_at_us,
                            snapshot_period_s=self.budget.snapshot_period_s)
        # the player's own words (redacted by it) for whoever needs the technical detail
        detail = s.error or (s.player.detail if s.player is not None else "")
        if tile.toolTip() != detail:
            tile.setToolTip(detail)
        tile.set_look(look, s.mode)

    # --- handlers ------------------------------------------------------------------------------
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
        moves = ((a, b.code, b.purpose), (b, a.code, a.purpose))
        for s, code, purpose in moves:
            if s.code != code:
                self._stop_player(s)
                s.code, s.error, s.snap_due = code, None, 0.0
            s.purpose = purpose
        self.selected_slot = target
        self._apply()

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

    def _on_tile_clicked(self, slot: int) -> None:
        self.touch()
        self.selected_slot = slot
        self.setFocus()
        for i in self.visible_slots():
            self._restyle(i)

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

    def _on_nearest_triggered(self) -> None:
        if self.incident is not None:
            self.touch()
            self.show_nearest(self.incident)

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
        if ok and name.strip():
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

    def _move_selection(self, drow: int, dcol: int) -> None:
        """Arrow keys: the selected tile moves to the neighbouring cell."""
        lay = LAYOUTS[self.layout_key]
        here = lay.cells[self.selected_slot] if self.selected_slot < lay.tiles \
            else lay.cells[0]
        row, col = here.row + drow * (here.row_span if drow > 0 else 1), \
            here.col + dcol * (here.col_span if dcol > 0 else 1)
        for i, cell in enumerate(lay.cells):
            if cell.row <= row < cell.row + cell.row_span \
                    and cell.col <= col < cell.col + cell.col_span:
                self.selected_slot = i
                break
        for i in self.visible_slots():
            self._restyle(i)

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
        else:
            super().keyPressEvent(event)
