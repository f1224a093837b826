"""Real libVLC plays real H.264 from the real loopback RTSP server into a StreamPlayer.

Timeouts are the issue's promises (stalled shown within 3 s, live again within 5 s of the
camera's return): a wait that runs out is a failure, not a measurement."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gvcommand.video.engine import VlcEngine, redact
from gvcommand.video.player import StreamPlayer, StreamState
from gvcommand.video.relay import Failure
from gvcommand.video.rtsp_server import RtspServer

from .._ports import refusing_port
from .._screenshots import screenshot_path

pytestmark = pytest.mark.slow
FIRST_FRAME_MS = 10_000  # generous: a loaded CI machine; switch times are a benchmark


class Recorder:
    def __init__(self, player: StreamPlayer) -> None:
        self.states: list[tuple[StreamState, str]] = []
        player.state_changed.connect(lambda s, d: self.states.append((s, d)))

    def saw(self, state: StreamState) -> bool:
        return any(s is state for s, _ in self.states)


class Screen(QWidget):
    """What a tile does with a player: paint its latest frame when told."""

    def __init__(self, player: StreamPlayer) -> None:
        super().__init__()
        self.player = player
        self.painted = 0
        self.resize(QSize(320, 180))
        player.frame_ready.connect(self.update)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        image = self.player.image()
        if image is None:
            p.fillRect(self.rect(), QColor("black"))
        else:
            p.drawImage(self.rect(), image)
            self.painted += 1
        p.end()


def spread(image: QImage) -> tuple[int, float]:
    """(distinct colours, variance of grey) over a 16×16 grid of samples."""
    greys, colours = [], set()
    for i in range(16):
        for j in range(16):
            c = image.pixelColor(image.width() * i // 16, image.height() * j // 16)
            colours.add(c.rgb())
            greys.append((c.red() + c.green() + c.blue()) / 3)
    mean = sum(greys) / len(greys)
    return len(colours), sum((g - mean) ** 2 for g in greys) / len(greys)


def test_real_h264_from_loopback_rtsp_reaches_a_painted_widget(
        qtbot: QtBot, rtsp_server: RtspServer,
        make_player: Callable[..., StreamPlayer]) -> None:
    player = make_player()
    seen = Recorder(player)
    screen = Screen(player)
    qtbot.addWidget(screen)
    screen.show()
    player.play(rtsp_server.url("cam001/sub"), redacted="cam001/sub")
    assert player.state is StreamState.CONNECTING
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    qtbot.waitUntil(lambda: player.frames >= 25 and screen.painted >= 5, timeout=5000)
    assert player.size == (640, 360)  # the picture, not the decoder's padded buffer
    assert player.last_frame_us is not None
    image = player.image()
    assert image is not None and image.size() == QSize(640, 360)
    colours, variance = spread(image)
    assert colours > 20 and variance > 500, (colours, variance)  # a picture, not a flat fill
    grabbed = screen.grab().toImage()
    colours, variance = spread(grabbed)
    assert colours > 20 and variance > 500, (colours, variance)
    grabbed.save(screenshot_path("gv_video_player_frame.png"))
    assert [s for s, _ in seen.states][:2] == [StreamState.CONNECTING, StreamState.LIVE]
    if player.relayed:  # where this libVLC has no RTSP client: through a live ffmpeg
        assert player.relay_pid is not None and os.path.exists(f"/proc/{player.relay_pid}")
    else:
        assert player.relay_pid is None


def test_a_display_size_has_libvlc_scale_the_picture_to_fit(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        relayed: VlcEngine) -> None:
    player = make_player()
    player.set_display_size(400, 400)  # a square box: the 16:9 picture fits its width
    player.play(rtsp_server.url("cam003/sub"), redacted="cam003/sub")
    assert player.relayed  # the stream's size is known from the relay
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    assert player.size == (400, 224)  # 16:9, even
    image = player.image()
    assert image is not None and spread(image)[1] > 500
    player.set_display_size(0, 0)  # the stream's own size, from its next start on
    player.pause()
    player.resume()
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    assert player.size == (640, 360)


def test_frames_keep_coming_across_the_clip_loop_point(
        qtbot: QtBot, rtsp_server: RtspServer,
        make_player: Callable[..., StreamPlayer]) -> None:
    # the clips last 6 s: 8 s of frames at 25 fps crosses the loop point at least once
    player = make_player()
    seen = Recorder(player)
    player.play(rtsp_server.url("cam002/sub"), redacted="cam002/sub")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    start = player.frames
    qtbot.waitUntil(lambda: player.frames - start >= 200, timeout=14_000)
    assert not seen.saw(StreamState.STALLED), seen.states


def test_server_killed_shows_stalled_within_3_s_and_live_within_5_s_of_its_return(
        qtbot: QtBot, own_server: RtspServer,
        make_player: Callable[..., StreamPlayer]) -> None:
    player = make_player()
    seen = Recorder(player)
    player.play(own_server.url("cam001/sub"), redacted="cam001/sub")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    qtbot.waitUntil(lambda: player.frames >= 10, timeout=5000)
    port = own_server.port
    own_server.kill()
    qtbot.waitUntil(lambda: seen.saw(StreamState.STALLED), timeout=3000)
    stalled = next(d for s, d in seen.states if s is StreamState.STALLED)
    assert "last frame at" in stalled
    # the camera stays away long enough for the watchdog to back off at least once
    qtbot.waitUntil(lambda: player.state is StreamState.RECONNECTING
                    and player.failure is Failure.UNREACHABLE, timeout=5000)
    frozen_at = player.frames
    own_server.start()
    assert own_server.port == port
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=5000)
    qtbot.waitUntil(lambda: player.frames > frozen_at + 5, timeout=2000)
    assert player.size == (640, 360)  # the new attempt's picture, cropped like the first
    assert "stream ended" in stalled or "unreachable" in stalled


def test_a_relay_that_dies_shows_stalled_with_the_reason_then_plays_again(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        relayed: VlcEngine) -> None:
    player = make_player()
    seen = Recorder(player)
    player.play(rtsp_server.url("cam005/sub"), redacted="cam005/sub")
    assert player.relayed
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    assert player.attempts == 1
    pid = player.relay_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: seen.saw(StreamState.STALLED), timeout=3000)
    stalled = next(d for s, d in seen.states if s is StreamState.STALLED)
    assert "relay stopped; ffmpeg was killed (signal 9)" in stalled
    assert "last frame at" in stalled
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE and player.relay_pid != pid,
                    timeout=5000)
    assert player.attempts >= 2  # the restart is counted (the benchmarks report them)


def test_wrong_path_fails_as_not_found(qtbot: QtBot, rtsp_server: RtspServer,
                                       make_player: Callable[..., StreamPlayer]) -> None:
    player = make_player()
    player.play(rtsp_server.url("no-such-camera"), redacted="x")
    qtbot.waitUntil(lambda: player.failure is not None, timeout=FIRST_FRAME_MS)
    assert player.failure is Failure.NOT_FOUND
    assert player.state is StreamState.FAILED
    assert "not found" in player.detail and "next try in" in player.detail


def test_nobody_listening_is_unreachable_and_retried(
        qtbot: QtBot, make_player: Callable[..., StreamPlayer]) -> None:
    with refusing_port() as port:  # nobody listens there, and nobody can start to
        player = make_player()
        seen = Recorder(player)
        player.play(f"rtsp://127.0.0.1:{port}/cam001", redacted="x")
        qtbot.waitUntil(lambda: player.failure is not None, timeout=FIRST_FRAME_MS)
        assert player.failure is Failure.UNREACHABLE
        assert player.state is StreamState.RECONNECTING
        assert "attempt 1, next try in 1 s" in player.detail
        qtbot.waitUntil(lambda: "attempt 2" in player.detail, timeout=5000)
        assert not seen.saw(StreamState.LIVE)


def test_a_host_that_takes_the_connection_but_never_answers_is_unreachable(
        qtbot: QtBot, make_player: Callable[..., StreamPlayer]) -> None:
    import socket

    with socket.socket() as silent:  # accepts connections (backlog), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        player = make_player()
        player.play(f"rtsp://127.0.0.1:{silent.getsockname()[1]}/cam", redacted="x")
        qtbot.waitUntil(lambda: player.failure is not None, timeout=FIRST_FRAME_MS)
        assert player.failure is Failure.UNREACHABLE
        assert player.state is StreamState.RECONNECTING


def test_wrong_password_fails_as_authentication_and_never_shows_it(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Wr0ng-S3cret"
    url = rtsp_server.url("secure").replace("rtsp://", f"rtsp://{rtsp_server.user}:{secret}@")
    player = make_player()
    seen = Recorder(player)
    player.play(url, redacted=redact(url))
    qtbot.waitUntil(lambda: player.failure is not None, timeout=FIRST_FRAME_MS)
    assert player.failure is Failure.AUTHENTICATION
    assert player.state is StreamState.FAILED
    assert "authentication failed" in player.detail
    # the relay's command line is logged, redacted; the secret is nowhere
    assert any("ffmpeg" in r.getMessage()
               and f"rtsp://{rtsp_server.user}:***@127.0.0.1" in r.getMessage()
               for r in caplog.records)
    assert secret not in caplog.text
    assert all(secret not in d for _, d in seen.states)


def test_right_password_plays_and_is_not_logged(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = rtsp_server.url("secure").replace(
        "rtsp://", f"rtsp://{rtsp_server.user}:{rtsp_server.password}@")
    player = make_player()
    player.play(url, redacted=url)  # even a careless caller's `redacted` is redacted
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    player.stop()
    assert rtsp_server.password not in caplog.text
    assert rtsp_server.password not in player.redacted


@pytest.mark.parametrize("url", ["", "not a url", "rtsp://", "rtsp://host:99999/x",
                                 "ftp://127.0.0.1/cam", "rtsp://127.0.0.1:8554/a b"])
def test_malformed_url_is_refused_before_anything_starts(
        url: str, make_player: Callable[..., StreamPlayer]) -> None:
    player = make_player()
    player.play(url, redacted="x")
    assert player.state is StreamState.FAILED  # at once, synchronously
    assert player.failure is Failure.MALFORMED_URL
    assert player.detail.startswith("malformed URL")
    assert player.relay_pid is None


def test_mjpeg_is_relayed_in_nut_and_plays(qtbot: QtBot, rtsp_server: RtspServer,
                                           make_player: Callable[..., StreamPlayer],
                                           relayed: VlcEngine) -> None:
    # MPEG-TS cannot carry MJPEG: the player learns the codec from the relay and relays it
    # again in NUT, without a failure in between
    player = make_player()
    seen = Recorder(player)
    player.play(rtsp_server.url("mjpeg"), redacted="mjpeg")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    qtbot.waitUntil(lambda: player.frames >= 5, timeout=5000)
    assert player.size == (320, 240)
    assert not seen.saw(StreamState.FAILED) and not seen.saw(StreamState.RECONNECTING)
    assert player.relayed and player.codec == "mjpeg"


def test_a_stream_nothing_can_read_fails_as_unsupported_codec(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        relayed: VlcEngine) -> None:
    player = make_player()
    player.play(rtsp_server.url("x-gst"), redacted="x-gst")
    assert player.relayed  # FFmpeg is what finds no video stream it can read
    qtbot.waitUntil(lambda: player.failure is not None, timeout=FIRST_FRAME_MS)
    assert player.failure is Failure.UNSUPPORTED_CODEC
    assert player.state is StreamState.FAILED
    assert "unsupported codec (no video stream FFmpeg can read)" in player.detail


def test_h265_plays_through_the_relay(qtbot: QtBot, rtsp_server: RtspServer,
                                      make_player: Callable[..., StreamPlayer],
                                      relayed: VlcEngine) -> None:
    player = make_player()
    player.play(rtsp_server.url("hevc"), redacted="hevc")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    qtbot.waitUntil(lambda: player.frames >= 5, timeout=5000)
    assert player.size == (320, 180)
    assert player.relayed and player.codec == "hevc"
    image = player.image()
    assert image is not None and spread(image)[0] > 5  # the SMPTE bars, not a flat fill


def test_pause_stops_decoding_and_the_relay_resume_plays_again(
        qtbot: QtBot, rtsp_server: RtspServer, make_player: Callable[..., StreamPlayer],
        relayed: VlcEngine) -> None:
    player = make_player()
    player.play(rtsp_server.url("cam003/sub"), redacted="cam003/sub")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    pid = player.relay_pid
    assert pid is not None and os.path.exists(f"/proc/{pid}")
    player.pause()
    assert player.state is StreamState.PAUSED
    assert player.wait_idle(10)  # the teardown ran on the player's thread
    assert not os.path.exists(f"/proc/{pid}")  # ended and reaped: no orphan ffmpeg
    frames = player.frames
    qtbot.wait(600)  # 15 frames' worth: none may come while paused
    assert player.frames == frames
    assert player.image() is not None  # the tile keeps its last picture
    player.resume()
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    qtbot.waitUntil(lambda: player.frames > frames + 5, timeout=3000)


def test_stop_ends_the_relay_process(qtbot: QtBot, rtsp_server: RtspServer,
                                     make_player: Callable[..., StreamPlayer],
                                     relayed: VlcEngine) -> None:
    player = make_player()
    player.play(rtsp_server.url("cam004/sub"), redacted="cam004/sub")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    pid = player.relay_pid
    assert pid is not None and os.path.exists(f"/proc/{pid}")
    player.stop()
    assert player.state is StreamState.STOPPED and player.image() is None
    assert player.wait_idle(10)
    assert not os.path.exists(f"/proc/{pid}")


def test_a_player_deleted_without_stop_ends_its_relay(
        qtbot: QtBot, rtsp_server: RtspServer, relayed: VlcEngine) -> None:
    import shiboken6
    from PySide6.QtCore import QObject

    from gvcommand.video.player import close_all

    tile = QObject()
    player = StreamPlayer(tile, instance=relayed)
    player.play(rtsp_server.url("cam006/sub"), redacted="cam006/sub")
    qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
    pid = player.relay_pid
    assert pid is not None and os.path.exists(f"/proc/{pid}")  # a relay running …
    tile.deleteLater()  # the tile goes, and its player with it, never told to stop
    qtbot.waitUntil(lambda: not shiboken6.isValid(player), timeout=5000)
    qtbot.waitUntil(lambda: not os.path.exists(f"/proc/{pid}"), timeout=5000)  # … ended, reaped
    close_all()


def test_close_all_ends_every_stream(qtbot: QtBot, rtsp_server: RtspServer,
                                     make_player: Callable[..., StreamPlayer],
                                     relayed: VlcEngine) -> None:
    from gvcommand.video.player import close_all

    players = [make_player() for _ in range(2)]
    for n, player in enumerate(players):
        player.play(rtsp_server.url(f"cam00{n + 7}/sub"), redacted="x")
    qtbot.waitUntil(lambda: all(p.state is StreamState.LIVE for p in players),
                    timeout=FIRST_FRAME_MS)
    pids = [p.relay_pid for p in players]
    assert all(pid is not None and os.path.exists(f"/proc/{pid}") for pid in pids)
    close_all()
    assert not [pid for pid in pids if os.path.exists(f"/proc/{pid}")]


def test_http_streams_are_played_by_libvlc_directly(
        qtbot: QtBot, tmp_path: Path, make_player: Callable[..., StreamPlayer]) -> None:
    import functools
    import http.server
    import subprocess
    import threading

    from gvcommand.video.clips import ensure_clips

    clip = next(p for p in ensure_clips() if p.name.endswith("_sub.h264"))
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-r", "25", "-i", str(clip),
                    "-c", "copy", "-f", "mpegts", str(tmp_path / "clip.ts")], check=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *_a: None  # type: ignore[attr-defined]
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        player = make_player()
        player.play(f"http://127.0.0.1:{httpd.server_address[1]}/clip.ts", redacted="clip")
        assert not player.relayed
        qtbot.waitUntil(lambda: player.state is StreamState.LIVE, timeout=FIRST_FRAME_MS)
        qtbot.waitUntil(lambda: player.frames >= 10, timeout=5000)
        assert player.relay_pid is None and player.size == (640, 360)
        player.stop()
        httpd.shutdown()



def test_a_player_destroyed_after_the_frame_pump_at_exit_raises_nothing(qapp: object) -> None:
    """At interpreter exit the frame pump's timer can be deleted before the last players'
    Qt objects, whose destruction tells the pump (seen as a traceback after 'gvcommand
    stopped' when a console quit with cameras on its wall)."""
    import shiboken6

    from gvcommand.video import player as player_module

    pump = player_module._FramePump()
    tile = StreamPlayer()
    pump.add(tile)
    shiboken6.delete(pump._timer)
    pump.discard(tile)  # raised RuntimeError: Internal C++ object (QTimer) already deleted
    assert len(pump._players) == 0
    tile.close(wait=True)


def test_the_test_servers_password_is_made_for_it_and_kept_off_its_command_line(
        rtsp_server: RtspServer) -> None:
    assert rtsp_server.process is not None
    with open(f"/proc/{rtsp_server.process.pid}/cmdline", "rb") as f:
        cmdline = f.read().decode()
    assert rtsp_server.password not in cmdline  # `ps` would show it
    assert RtspServer().password != RtspServer().password  # not a fixed one
