"""Fixtures for the video tests: a real GStreamer RTSP server on loopback serving the
generated H.264 clips, and real libVLC players (relayed through a real ffmpeg where this
libVLC has no RTSP client). They skip, saying why, only where those are not installed
(scripts/setup.sh installs them, so in CI they run)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator

import pytest

from gvcommand.video.engine import VideoUnavailable, VlcEngine
from gvcommand.video.player import StreamPlayer
from gvcommand.video.rtsp_server import RtspServer, RtspServerUnavailable


@pytest.fixture(scope="session")
def engine() -> VlcEngine:
    try:
        engine = VlcEngine.shared()
    except VideoUnavailable as exc:
        pytest.skip(f"libVLC is not installed: {exc}")
    if not engine.rtsp_direct and engine.ffmpeg is None:
        pytest.skip("this libVLC has no RTSP client and ffmpeg (the relay) is not installed")
    return engine


def _start(server: RtspServer) -> RtspServer:
    try:
        server.start()
    except RtspServerUnavailable as exc:
        pytest.skip(f"no loopback RTSP server: {exc}")
    return server


@pytest.fixture(scope="session")
def rtsp_server() -> Iterator[RtspServer]:
    """One server for the session's tests that do not kill it."""
    server = _start(RtspServer(cameras=8))
    yield server
    server.stop()


@pytest.fixture
def own_server() -> Iterator[RtspServer]:
    """A server of the test's own, to kill and restart."""
    server = _start(RtspServer(cameras=2))
    yield server
    server.stop()


@pytest.fixture
def make_player(qapp: object, engine: VlcEngine) -> Iterator[Callable[[], StreamPlayer]]:
    """Players closed at the end of the test, their relays ended and waited for."""
    made: list[StreamPlayer] = []

    def make(**kwargs: object) -> StreamPlayer:
        player = StreamPlayer(instance=engine, **kwargs)  # type: ignore[arg-type]
        made.append(player)
        return player

    yield make
    for player in made:
        player.close(wait=True)
