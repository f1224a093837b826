"""What plays on each tile of the camera wall, decided in one place
(:meth:`TileStreams.apply`): the budget's plan for the tiles shown (main stream, sub-stream,
snapshot, paused), the players driven to it (paused tiles resumed a few at a time, the
selected one first; snapshots taken in turn), every live view on the record
(``StartLiveView`` / ``StopLiveView``), and each tile's look from its player's state.

The wall (:mod:`.wall`) decides which tiles are shown, and whether the officer can see them;
this owns the players (:mod:`.players`) and the tiles' looks (:mod:`.look`).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from ...core.commands import StartLiveView, StopLiveView
from ...core.model import Camera, StreamKind
from ...video.urls import has_sub_stream
from .budget import MAIN_PX_S, SUB_PX_S, DecodeBudget, Mode, Request, Want
from .look import Look, describe
from .players import Player, StreamUrl, now_us
from .tile import CameraTile

log = logging.getLogger("gvcommand.ui.camera_wall")

SNAPSHOT_MAX_PLAY_S = 3.0  # a snapshot that brings no frame in this time is given up
RESUME_BATCH = 4  # paused tiles resumed at once…
RESUME_EVERY_MS = 150  # …then the next ones this much later (16 tiles: all within 0.5 s)
RESUME_HOLD_S = 1.5  # while the selected tile waits for its first frame, others wait too
SNAPSHOTS_AT_ONCE = 2  # snapshots are staggered: a wall of them does not decode at once


def _state_name(state: object) -> str:
    return str(getattr(state, "name", state))


@dataclass(slots=True)
class Slot:
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


class TileStreams(QObject):
    def __init__(self, tiles: list[CameraTile], cameras: Callable[[], Mapping[str, Camera]],
                 ward_names: Callable[[], Mapping[str, str]],
                 player_factory: Callable[[QObject], Player], stream_url: StreamUrl,
                 submit: Callable[[object], None] | None, budget: DecodeBudget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tiles = tiles
        self.slots = [Slot() for _ in tiles]
        self.budget = budget
        self.selected_slot = 0
        self.order: list[int] = []
        self.large = False
        self.active = False
        self.focused = False
        self._cameras = cameras
        self._ward_names = ward_names
        self._player_factory = player_factory
        self._stream_url = stream_url
        self._submit = submit
        self._stopped = False
        # addresses made once per camera version and stream (credentials come from the
        # keyring, which may be slow to ask)
        self._urls: dict[tuple[str, int, StreamKind], tuple[str, str]] = {}
        self._resumes: list[int] = []  # paused tiles waiting for their turn to resume
        self._hold_until = 0.0
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.setInterval(RESUME_EVERY_MS)
        self._resume_timer.timeout.connect(self._resume_some)

    def set_camera(self, i: int, code: str | None, purpose: str | None = None) -> None:
        """Camera ``code`` on tile ``i`` (None: empty); the next :meth:`apply` plays it."""
        s = self.slots[i]
        if s.code != code:
            self.stop_player(s)
            s.code, s.error, s.snap_due = code, None, 0.0
        s.purpose = purpose

    def size_player(self, i: int) -> None:
        """Tell tile ``i``'s player the most it shows: libVLC scales a larger picture down
        while converting it anyway, and the tile paints it 1:1 (from the stream's next
        start: a play, a resume, a reconnect)."""
        player = self.slots[i].player
        fit = getattr(player, "set_display_size", None)
        if fit is not None:
            tile = self.tiles[i]
            dpr = tile.devicePixelRatioF()
            fit(round(tile.width() * dpr), round(tile.height() * dpr))

    def clear_urls(self) -> None:
        """The registry changed: addresses and credentials are made again."""
        self._urls.clear()
        for s in self.slots:
            s.error = None

    def shutdown(self) -> None:
        """Every open view closed on the record (console closed), every player stopped and
        released."""
        self._stopped = True
        self._resume_timer.stop()
        for s in self.slots:
            self.close_view(s, "console closed")
            self.stop_player(s)
            close = getattr(s.player, "close", None)
            if close is not None:
                close()  # libVLC's player is released (off the GUI thread)

    def _wants(self) -> list[Request]:
        """Tiles that would decode now, most important first."""
        if not self.active:
            return []
        order, large = self.order, self.large
        cams = self._cameras()
        out = []
        for k, i in enumerate(order):
            cam = cams.get(self.slots[i].code or "")
            if cam is not None:
                # a camera with one address plays it for "sub" too: it costs a main stream
                sub = SUB_PX_S if has_sub_stream(cam) else MAIN_PX_S
                out.append(Request(i, Want.MAIN if large and k == 0 else Want.SUB, sub))
        return out

    def apply(self, order: list[int], *, large: bool, active: bool, focused: bool) -> None:
        """Decide and do: ``order`` the tiles shown, most important first (``large``: the
        first is the large or focused one, on the main stream); ``active``: the officer can
        see the wall."""
        self.order, self.large, self.active, self.focused = order, large, active, focused
        if self._stopped:
            return
        plan = self.budget.plan(self._wants())
        cams = self._cameras()
        wards = self._ward_names()
        for i, s in enumerate(self.slots):
            cam = cams.get(s.code) if s.code is not None else None
            tile = self.tiles[i]
            tile.set_camera(cam, wards.get(cam.ward or "", cam.ward or "") if cam else "")
            mode = plan.get(i)
            s.mode = mode
            if cam is None or mode is None:
                # hidden or empty: nothing decodes; the open view closes
                self.close_view(s, "hidden" if cam is not None else "closed")
                if s.player is not None and _state_name(s.player.state) not in (
                        "STOPPED", "PAUSED"):
                    s.player.pause()
                s.snap_started = None
            else:
                stream = StreamKind.MAIN if mode is Mode.MAIN else StreamKind.SUB
                self._open_view(s, cam.code, stream)
                self._drive(i, s, cam, mode)
            self.restyle(i)
        self._resume_some()

    def _resume_some(self) -> None:
        """Resume paused tiles a few at a time, the selected one first: a wall coming back
        (the grid after a focus, a dock shown again) starts its streams in batches, so the
        tile the officer was looking at is not queued behind fifteen others' starts."""
        self._resumes.sort(key=lambda i: i != self.selected_slot)
        chosen = self.slots[self.selected_slot].player
        if (chosen is not None and _state_name(chosen.state) == "CONNECTING"
                and self.selected_slot not in self._resumes
                and time.monotonic() < self._hold_until):
            # the tile just switched (back from focus) starts first; the others wait for
            # its first frame (at most RESUME_HOLD_S)
            self._resume_timer.start()
            return
        batch, self._resumes = self._resumes[:RESUME_BATCH], self._resumes[RESUME_BATCH:]
        for i in batch:
            s = self.slots[i]
            if (s.player is not None and s.mode is not None and s.mode.stream is not None
                    and s.mode is not Mode.SNAPSHOT and self.active
                    and _state_name(s.player.state) == "PAUSED"):
                self.size_player(i)
                s.player.resume()
        if self._resumes and not self._resume_timer.isActive():
            self._resume_timer.start()

    def _drive(self, i: int, s: Slot, cam: Camera, mode: Mode) -> None:
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
            self.stop_player(s)
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
            self.size_player(i)
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

    def _player(self, i: int, s: Slot) -> Player:
        if s.player is None:
            player = self._player_factory(self)
            player.frame_ready.connect(lambda i=i: self._on_frame(i))
            player.state_changed.connect(lambda *_a, i=i: self.restyle(i))
            s.player = player
        return s.player

    def stop_player(self, s: Slot) -> None:
        if s.player is not None and _state_name(s.player.state) != "STOPPED":
            s.player.stop()
        s.url = None
        s.snap_started = None

    # --- the record ----------------------------------------------------------------------------
    def _open_view(self, s: Slot, code: str, stream: StreamKind) -> None:
        if s.view_id is not None and (s.view_code, s.view_stream) == (code, stream):
            return
        self.close_view(s, "switched")
        s.view_id, s.view_code, s.view_stream = uuid.uuid4().hex, code, stream
        self._record(StartLiveView(code, s.view_id, stream, s.purpose))

    def close_view(self, s: Slot, reason: str) -> None:
        if s.view_id is None or s.view_code is None:
            return
        self._record(StopLiveView(s.view_code, s.view_id, reason))
        s.view_id = s.view_code = s.view_stream = None

    def _record(self, command: object) -> None:
        if self._submit is not None:
            self._submit(command)

    # --- frames, clock, snapshots --------------------------------------------------------------
    def _on_frame(self, i: int) -> None:
        s = self.slots[i]
        if s.player is None:
            return
        image = s.player.image()
        now = now_us()
        if s.mode is Mode.SNAPSHOT and s.snap_started is not None:
            if image is not None and not image.isNull():
                self.tiles[i].set_frame(image.copy(), now)
            s.snap_started = None
            s.snap_due = time.monotonic() + self.budget.snapshot_period_s
            s.player.stop()
            self.restyle(i)
            return
        self.tiles[i].set_frame(image, now)

    def tick(self, shown: list[int]) -> None:
        """Once a second: snapshots taken and given up; the ``shown`` tiles' looks."""
        now = time.monotonic()
        playing = sum(1 for s in self.slots if s.snap_started is not None)
        for i, s in enumerate(self.slots):
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
        for i in shown:
            self.restyle(i)

    def _take_snapshot(self, i: int, s: Slot) -> None:
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
        player = self._player(i, s)
        self.size_player(i)
        player.play(url, redacted=redacted)

    def restyle(self, i: int) -> None:
        s = self.slots[i]
        tile = self.tiles[i]
        tile.selected = i == self.selected_slot and not self.focused
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
