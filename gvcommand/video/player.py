"""A live stream player for one tile: libVLC decoding into a QImage, with a watchdog.

    player = StreamPlayer(parent)
    player.frame_ready.connect(tile.update)          # then paint player.image()
    player.state_changed.connect(tile.show_state)    # (StreamState, detail in plain words)
    player.play(url, redacted=redacted_url)

Everything that may block — starting or killing the FFmpeg relay, libVLC's stop — runs on
the player's own worker thread; the GUI thread only queues work and takes results as
queued signals. The watchdog (a GUI-thread timer) turns "no new frame for 2 s" into
STALLED ("last frame at hh:mm:ss"), then reconnects with backoff 1, 2, 4 … 30 s; while it
waits after an unreachable camera it knocks (a TCP connect, off-thread) every second, so a
camera that comes back is live again within seconds, not at the next backoff step.

Only `redacted` is ever logged or shown; the real URL goes to libVLC or to ffmpeg's
arguments and nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import socket
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from enum import StrEnum
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from ._frames import FrameSink, fit
from .engine import VideoUnavailable, VlcEngine, detect_rtsp_direct, ffmpeg_path, redact
from .relay import Failure, Relay, RelayEnd, container_for

log = logging.getLogger(__name__)

BACKOFF_S = (1, 2, 4, 8, 16, 30)
STALL_AFTER_S = 2.0
CONNECT_TIMEOUT_S = 10.0
TICK_MS = 250
KNOCK_EVERY_S = 1.0
SCHEMES = {"rtsp", "rtsps", "http", "https", "file"}
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}

# a few shared threads for the TCP knocks of every player (each lasts at most 0.5 s)
_KNOCKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="video-knock")
# and for ending attempts: ffmpeg's exit and libVLC's stop take tens of milliseconds each
_TEARDOWN = ThreadPoolExecutor(max_workers=4, thread_name_prefix="video-teardown")

# below ~100 ms of caching libVLC's clock falls behind the pipe under load and its decoder
# then drops frames for good ("more than 5 seconds of late video"): 16 tiles at 14 fps
RELAY_MEDIA_OPTIONS = {"mpegts": (":demux=ts", ":file-caching=150"),
                       "nut": (":file-caching=150",)}
DIRECT_MEDIA_OPTIONS = (":network-caching=300", ":rtsp-tcp")


class StreamState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    FAILED = "failed"
    PAUSED = "paused"
    STOPPED = "stopped"


@functools.cache
def _capabilities() -> tuple[bool, str | None]:
    """(libVLC plays RTSP itself, ffmpeg's path) — without loading libVLC."""
    return detect_rtsp_direct(), ffmpeg_path()


def check_url(url: str) -> str | None:
    """None when the player may try `url`; otherwise why not, in plain words (never
    quoting the URL itself, which may carry a password)."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return "empty or contains spaces"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "invalid host or port"
    if parts.scheme.lower() not in SCHEMES:
        return f"unsupported scheme {parts.scheme or '(none)'!r}"
    if parts.scheme.lower() != "file" and not parts.hostname:
        return "no host"
    if port is not None and not 0 < port < 65536:
        return "port out of range"
    return None


class _Bridge(QObject):
    """Signals emitted on other threads, received on the GUI thread (queued)."""

    posted = Signal(int, str, object)  # attempt generation, kind, payload


class _FramePump(QObject):
    """Takes the new frames of every playing player, on the GUI thread, 50 times a second
    (a frame waits 10 ms on average; 25 fps sources are never skipped)."""

    INTERVAL_MS = 20

    def __init__(self) -> None:
        super().__init__()
        self._players: weakref.WeakSet[StreamPlayer] = weakref.WeakSet()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)

    def add(self, player: StreamPlayer) -> None:
        self._players.add(player)
        if not self._timer.isActive():
            self._timer.start()

    def discard(self, player: StreamPlayer) -> None:
        self._players.discard(player)
        # at exit the pump (a module global) may be gone before the last players' Qt
        # objects, which call this when they are destroyed
        if not self._players and shiboken6.isValid(self._timer):
            self._timer.stop()

    @Slot()
    def _on_tick(self) -> None:
        for player in list(self._players):
            player._pump()


_PUMP: _FramePump | None = None

# every attempt under way, by player: a player deleted without stop() (its tile went away)
# or left running at exit still has its relay ended and its libVLC player stopped
_RUNNING: dict[int, _Attempt] = {}
_RUNNING_LOCK = threading.Lock()


def _end_of(key: int, *_destroyed: object) -> Future[None] | None:
    with _RUNNING_LOCK:
        attempt = _RUNNING.pop(key, None)
    return attempt.cancel() if attempt is not None else None


def _on_destroyed(key: int, ref: weakref.ref[StreamPlayer], *_args: object) -> None:
    player = ref()
    if player is not None:  # the Python side may outlive the Qt object: make it inert
        player._dead = True
        _frame_pump().discard(player)
    _end_of(key)


def close_all(timeout_s: float = 5.0) -> None:
    """Ends every player's stream (relays, libVLC players) and waits for it: at exit."""
    with _RUNNING_LOCK:
        keys = list(_RUNNING)
    ends = [e for e in (_end_of(k) for k in keys) if e is not None]
    deadline = time.monotonic() + timeout_s
    for end in ends:
        with contextlib.suppress(Exception):
            end.result(max(0.0, deadline - time.monotonic()))


def _frame_pump() -> _FramePump:
    global _PUMP
    if _PUMP is None:
        _PUMP = _FramePump()
    return _PUMP


class _Attempt:
    """One try at a stream: its own libVLC media player, frame sink and (maybe) relay.

    `open` runs on the player's worker thread; `cancel` (GUI thread) has it closed on the
    shared teardown threads, at once if it is open, else by `open` itself when it finishes:
    a camera switch never waits for the previous stream's relay to die."""

    def __init__(self, gen: int, sink: FrameSink,
                 post: Callable[[int, str, object], None]) -> None:
        self.gen, self.sink, self._post = gen, sink, post
        self.mp: Any = None
        self.relay: Relay | None = None
        self.relay_container = "mpegts"
        self._lock = threading.Lock()
        self._opened = self._cancelled = False
        self._closed: Future[None] = Future()

    def open(self, engine: VlcEngine | None, url: str, redacted: str, relayed: bool,
             probe: bool = False, container: str = "mpegts",
             box: tuple[int, int] | None = None) -> None:
        gen, post = self.gen, self._post
        try:
            with self._lock:
                if self._cancelled:
                    return
            if engine is None:
                engine = VlcEngine.shared()  # the first stream of the process loads libVLC
            import vlc

            self.mp = engine.media_player()
            self.sink.attach(self.mp)
            events = self.mp.event_manager()
            for event, kind in ((vlc.EventType.MediaPlayerEndReached, "vlc_ended"),
                                (vlc.EventType.MediaPlayerEncounteredError, "vlc_error")):
                # libVLC thread: post, nothing else (never call libVLC back from there)
                events.event_attach(event, lambda _e, k=kind: post(gen, k, None))
            if relayed:
                assert engine.ffmpeg is not None
                self.relay_container = container
                def on_codec(codec: str) -> None:  # the relay's stderr thread
                    if box is not None and self.relay is not None and self.relay.size:
                        self.sink.target = fit(self.relay.size, box)
                    post(gen, "codec", codec)

                self.relay = Relay(engine.ffmpeg, url, redacted,
                                   on_end=lambda end: post(gen, "relay_end", end),
                                   on_codec=on_codec, probe=probe, container=container)
                pipe = self.relay.start()
                media = engine.instance.media_new_fd(pipe.fileno())
                for option in RELAY_MEDIA_OPTIONS[container]:
                    media.add_option(option)
                log.info("%s: relaying through ffmpeg (pid %d): %s", redacted, self.relay.pid,
                         self.relay.logged_command)
                post(gen, "relay_pid", self.relay.pid)
            else:
                media = engine.instance.media_new(url)
                for option in DIRECT_MEDIA_OPTIONS:
                    media.add_option(option)
            self.mp.set_media(media)
            media.release()
            self.sink.accepting = True
            if self.mp.play() != 0:
                post(gen, "open_failed", "libVLC refused to start the stream")
        except OSError as exc:
            post(gen, "open_failed", f"cannot start the relay: {exc}")
        except VideoUnavailable as exc:
            post(gen, "unavailable", str(exc))
        finally:
            with self._lock:
                self._opened = True
                cancelled = self._cancelled
            if cancelled:
                self._close()

    def cancel(self) -> Future[None]:
        """Has the attempt closed off the GUI thread; the future is done once it is."""
        with self._lock:
            self._cancelled = True
            opened = self._opened
        self.sink.accepting = False
        if opened:
            _TEARDOWN.submit(self._close)
        return self._closed

    def _close(self) -> None:
        try:
            if self.relay is not None:
                self.relay.stop()  # first: libVLC sees the end of its pipe and stops at once
            if self.mp is not None:
                self.mp.stop()
                self.mp.release()
            if self.relay is not None:
                self.relay.close()
        finally:
            self._closed.set_result(None)


class StreamPlayer(QObject):
    """Plays one stream into `image()`; see the module docstring."""

    frame_ready = Signal()
    state_changed = Signal(object, str)

    def __init__(self, parent: QObject | None = None, *, instance: VlcEngine | None = None,
                 clock: Callable[[], float] = time.time,
                 stall_after_s: float = STALL_AFTER_S,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S,
                 backoff_s: tuple[float, ...] = BACKOFF_S) -> None:
        super().__init__(parent)
        self._engine = instance
        self._clock = clock
        self.stall_after_s, self.connect_timeout_s = stall_after_s, connect_timeout_s
        self.backoff_s = backoff_s
        self.state = StreamState.STOPPED
        self.detail = ""
        self.failure: Failure | None = None
        self.frames = 0  # frames decoded for this player (all attempts)
        # attempts started (each with its own relay when relayed): play() and resume()
        # start one; any other is a restart (a stall, a relay that ended, a codec switch)
        self.attempts = 0
        self.last_frame_us: int | None = None  # wall clock, µs since the epoch
        self.size: tuple[int, int] | None = None
        self.codec: str | None = None
        self.relay_pid: int | None = None
        self.redacted = ""
        self.relayed = False
        self._url = ""
        self._image: QImage | None = None
        self._gen = 0  # bumped by every attempt and teardown: stale results are dropped
        self._attempt_started = 0.0
        self._last_frame_mono = 0.0
        self._retries = 0
        self._reason = ""  # why the last attempt ended, in plain words
        self._retry_at: float | None = None
        self._next_knock = 0.0
        self._knocking = False
        self._attempt: _Attempt | None = None
        self._seen = 0  # the current attempt's frame count last taken
        self._probe = False  # relay with ffmpeg's stream probing (a camera's SDP is thin)
        self._box: tuple[int, int] | None = None  # set_display_size
        self._closing: set[Future[None]] = set()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="video-player")
        self._bridge = _Bridge()
        self._key = id(self)
        self._dead = False  # the Qt side is gone (deleted with its tile): ignore everything
        self.destroyed.connect(functools.partial(_on_destroyed, self._key, weakref.ref(self)))
        self._bridge.posted.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

    # --- public API (GUI thread) ----------------------------------------------------------

    def play(self, url: str, *, redacted: str) -> None:
        """Starts playing `url` (which may carry credentials); only `redacted` is shown."""
        self._teardown()
        self._url, self.redacted = url, redact(redacted)
        self._probe = False
        self._retries, self._retry_at, self.failure = 0, None, None
        self._image, self.size, self.codec, self.last_frame_us = None, None, None, None
        problem = check_url(url)
        if problem is not None:
            self._fail(Failure.MALFORMED_URL, f"{Failure.MALFORMED_URL.value}: {problem}")
            return
        # what this libVLC can do is known without it (its plugins, ffmpeg on PATH): the
        # instance itself (~0.1 s to load) is made by the first attempt, off this thread
        rtsp_direct, ffmpeg = (self._engine.rtsp_direct, self._engine.ffmpeg) \
            if self._engine is not None else _capabilities()
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        self.relayed = scheme in {"rtsp", "rtsps"} and not rtsp_direct
        if self.relayed and ffmpeg is None:
            self._fail(Failure.UNAVAILABLE, "this libVLC has no RTSP client and ffmpeg is "
                       "not installed to relay the stream")
            return
        self._start_attempt(StreamState.CONNECTING, "connecting")

    def stop(self) -> None:
        """Stops decoding and forgets the stream (the relay is ended off-thread)."""
        self._teardown()
        self._url = ""
        self._image = None
        self._retry_at = None
        self._set_state(StreamState.STOPPED, "stopped")

    def pause(self) -> None:
        """Stops decoding (a hidden tile) but keeps the stream and the last frame."""
        if self.state in {StreamState.STOPPED, StreamState.PAUSED} or not self._url:
            return
        if self.failure is not None and not self.failure.retry:
            return
        self._teardown()
        self._retry_at = None
        self._set_state(StreamState.PAUSED, "paused")

    def resume(self) -> None:
        if self.state is StreamState.PAUSED and self._url:
            self._retries, self.failure = 0, None
            self._start_attempt(StreamState.CONNECTING, "connecting")

    def set_display_size(self, width: int, height: int) -> None:
        """The most the tile shows (device pixels): a larger picture is scaled down to fit
        by libVLC while it converts it anyway, and painted 1:1 (painting 16 tiles scaled
        costs more). From the next start of the stream on (a play(), a resume(), a
        reconnect); 0×0 = the stream's own size. Relayed streams only (the relay tells the
        size before the first frame)."""
        self._box = (width, height) if width > 0 and height > 0 else None

    def image(self) -> QImage | None:
        """The last frame: a QImage of its own, safe to keep and paint."""
        return self._image

    def close(self, *, wait: bool = False) -> None:
        """Stops; the object is unusable afterwards. With wait, blocks until the relays
        have ended and libVLC let go of its players (tests, shutdown)."""
        self.stop()
        self._timer.stop()
        self._worker.shutdown(wait=wait)
        if wait:
            self.wait_idle(10)

    def wait_idle(self, timeout_s: float = 5.0) -> bool:
        """Blocks until queued starts and stops have run (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        with contextlib.suppress(Exception):  # a timeout, or an executor already shut down
            self._worker.submit(lambda: None).result(timeout_s)
        for closing in list(self._closing):
            try:
                closing.result(max(0.0, deadline - time.monotonic()))
            except Exception:  # a timeout: reported by the return value
                return False
        return True

    # --- attempts ---------------------------------------------------------------------------

    def _start_attempt(self, state: StreamState, detail: str) -> None:
        self._teardown()
        self._gen += 1
        gen = self._gen
        self.attempts += 1
        self._attempt_started = time.monotonic()
        self._retry_at = None
        attempt = _Attempt(gen, FrameSink(), self._bridge.posted.emit)
        self._seen = 0
        _frame_pump().add(self)
        self._attempt = attempt
        with _RUNNING_LOCK:
            _RUNNING[self._key] = attempt
        self._set_state(state, detail)
        self._timer.start()
        self._worker.submit(attempt.open, self._engine, self._url, self.redacted, self.relayed,
                            self._probe, container_for(self.codec), self._box)

    def _teardown(self) -> None:
        """Ends the current attempt off the GUI thread (a new one need not wait for it);
        its late frames and events carry its generation and are ignored."""
        self._gen += 1
        self.relay_pid = None
        _frame_pump().discard(self)
        attempt, self._attempt = self._attempt, None
        with _RUNNING_LOCK:
            if attempt is not None and _RUNNING.get(self._key) is attempt:
                del _RUNNING[self._key]
        if attempt is not None:
            closing = attempt.cancel()
            if closing is not None:
                self._closing.add(closing)
                closing.add_done_callback(self._closing.discard)

    # --- results (GUI thread) -----------------------------------------------------------------

    def _pump(self) -> None:
        """Called by the frame pump (GUI thread, 50 Hz): takes a new frame if there is one."""
        attempt = self._attempt
        if attempt is None or self._dead:
            _frame_pump().discard(self)
            return
        sink = attempt.sink
        count = sink.count
        if count == self._seen:
            return
        if sink.visible is None and attempt.mp is not None and sink.formats != sink.sized:
            # the picture's own size, without the decoder's padding (a quick getter; 0×0
            # until libVLC's video output is up: the frame waits for the next tick, a few
            # times at most, rather than show the padding rows)
            w, h = attempt.mp.video_get_size(0)
            if w and h:
                sink.visible = (int(w), int(h))
                sink.sized = sink.formats
            else:
                sink.size_tries += 1
                if sink.size_tries < 10:
                    return
        new, self._seen = count - self._seen, count
        image = sink.take()
        if image is None:
            return
        self._image = image
        self.frames += new  # decoded ones: two in one tick are both counted, one is shown
        self._last_frame_mono = sink.last_mono
        self.last_frame_us = int(self._clock() * 1_000_000)
        self.size = (image.width(), image.height())
        if self.state is not StreamState.LIVE:
            waited = time.monotonic() - self._attempt_started
            self._retries, self._retry_at, self.failure = 0, None, None
            self._set_state(StreamState.LIVE, f"live {self.size[0]}×{self.size[1]}"
                            f" (first frame after {waited:.1f} s)")
        self.frame_ready.emit()

    @Slot(int, str, object)
    def _on_event(self, gen: int, kind: str, payload: object) -> None:
        if self._dead:
            return
        if kind == "knock":
            self._knocking = False
            if payload and self._retry_at is not None and self._url:
                self._retry_now()
            return
        if gen != self._gen:
            return
        if kind == "relay_pid":
            self.relay_pid = int(payload)  # type: ignore[call-overload]
        elif kind == "codec":
            codec = str(payload)
            relayed_in = self._attempt.relay_container if self._attempt else "mpegts"
            self.codec = codec
            if container_for(codec) != relayed_in:
                # MPEG-TS cannot carry it: relay it again, in NUT, at once (not a failure)
                log.info("%s: %s stream: relaying in %s", self.redacted, codec,
                         container_for(codec))
                self._start_attempt(self.state, self.detail)
        elif kind == "relay_end":
            assert isinstance(payload, RelayEnd)
            if payload.needs_probe and not self._probe:
                self._probe = True  # this camera's SDP lacks the stream's parameters
                log.info("%s: relaying with stream probing from now on", self.redacted)
            self._attempt_failed(payload.failure, payload.detail)
        elif kind == "unavailable":
            self._fail(Failure.UNAVAILABLE, str(payload))
        elif kind == "open_failed":
            self._attempt_failed(Failure.RELAY_DIED, str(payload))
        elif kind in {"vlc_ended", "vlc_error"} and not self.relayed:
            had = self._attempt is not None and self._attempt.sink.count > 0
            failure = Failure.STREAM_ENDED if had else (
                Failure.UNREACHABLE if kind == "vlc_error" else Failure.NO_PICTURE)
            self._attempt_failed(failure, failure.value)

    def _attempt_failed(self, failure: Failure, reason: str) -> None:
        self._teardown()
        self.failure = failure
        if not failure.retry:
            self._fail(failure, reason)
            return
        self._schedule_retry(failure, reason)

    def _detail(self, *parts: str) -> str:
        """Since when the picture is frozen (a tile keeps saying it), then `parts`."""
        head = [f"last frame at {self._hms(self.last_frame_us)}"] \
            if self.last_frame_us is not None else []
        return "; ".join([*head, *(p for p in parts if p)])

    def _schedule_retry(self, failure: Failure | None, reason: str) -> None:
        delay = self.backoff_s[min(self._retries, len(self.backoff_s) - 1)]
        self._retries += 1
        self._reason = reason
        self._retry_at = time.monotonic() + delay
        self._next_knock = time.monotonic() + KNOCK_EVERY_S
        definitive = failure in {Failure.AUTHENTICATION, Failure.NOT_FOUND,
                                 Failure.UNSUPPORTED_CODEC}
        state = StreamState.FAILED if definitive else StreamState.RECONNECTING
        if not definitive and self.state in {StreamState.LIVE, StreamState.STALLED}:
            state = StreamState.STALLED  # the picture just stopped: say since when first
        self._set_state(state, self._detail(
            reason, f"attempt {self._retries}, next try in {delay:g} s"))
        self._timer.start()

    def _retry_now(self) -> None:
        state = StreamState.FAILED if self.state is StreamState.FAILED \
            else StreamState.RECONNECTING
        self._start_attempt(state, self._detail(self._reason,
                                                f"attempt {self._retries}, trying now"))

    def _fail(self, failure: Failure, detail: str) -> None:
        self._teardown()
        self.failure = failure
        self._retry_at = None
        self._timer.stop()
        self._set_state(StreamState.FAILED, detail)

    @Slot()
    def _on_tick(self) -> None:
        now = time.monotonic()
        if self._retry_at is not None:
            if now >= self._retry_at:
                self._retry_now()
            elif (self.failure is Failure.UNREACHABLE and not self._knocking
                  and now >= self._next_knock):
                self._next_knock = now + KNOCK_EVERY_S
                self._knock()
            return
        if self.state is StreamState.LIVE:
            if now - self._last_frame_mono > self.stall_after_s:
                self._schedule_retry(None, "")
        elif (self.state in {StreamState.CONNECTING, StreamState.RECONNECTING,
                             StreamState.FAILED} and self._url
              and now - self._attempt_started > self.connect_timeout_s):
            if self.codec is not None and container_for(self.codec) != "mpegts":
                failure = Failure.UNSUPPORTED_CODEC  # relayed, but libVLC shows nothing
                detail = f"{failure.value} ({self.codec})"
            elif self.codec is not None:
                failure = Failure.NO_PICTURE
                detail = (f"no picture after {self.connect_timeout_s:g} s "
                          f"({self.codec} stream arrives but nothing decodes)")
            else:
                failure = Failure.UNREACHABLE
                detail = f"no answer in {self.connect_timeout_s:g} s"
            self._attempt_failed(failure, detail)

    def _knock(self) -> None:
        parts = urllib.parse.urlsplit(self._url)
        host = parts.hostname
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
        if not host or not port:
            return
        self._knocking = True
        emit = self._bridge.posted.emit

        def knock() -> None:
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    ok = True
            except OSError:
                ok = False
            emit(-1, "knock", ok)

        _KNOCKS.submit(knock)

    # --- state --------------------------------------------------------------------------------

    @staticmethod
    def _hms(us: int) -> str:
        return datetime.fromtimestamp(us / 1_000_000).strftime("%H:%M:%S")

    def _set_state(self, state: StreamState, detail: str) -> None:
        if state is self.state and detail == self.detail:
            return
        old, self.state, self.detail = self.state, state, detail
        log.log(logging.WARNING if state in {StreamState.FAILED, StreamState.STALLED}
                else logging.INFO, "%s: %s -> %s (%s)", self.redacted or "(no stream)",
                old.value, state.value, detail)
        self.state_changed.emit(state, detail)
