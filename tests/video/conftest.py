"""Fixtures for the video tests: a real GStreamer RTSP server on loopback serving the
generated H.264 clips, and real libVLC players (relayed through a real ffmpeg where this
libVLC has no RTSP client). They skip, saying why, only where those are not installed, and
fail where they are missing in CI (scripts/setup.sh installs them there); a server that is
installed but does not start is an error, never a skip."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator

import pytest

from gvcommand.video.engine import VlcEngine
from gvcommand.video.player import StreamPlayer
from gvcommand.video.rtsp_server import RtspServer

from .._needs import libvlc, started, unavailable


@pytest.fixture(scope="session")
def engine() -> VlcEngine:
    return libvlc()


@pytest.fixture(scope="session")
def rtsp_server() -> Iterator[RtspServer]:
    """One server for the session's tests that do not kill it."""
    server = started(RtspServer(cameras=8))
    yield server
    server.stop()


@pytest.fixture
def own_server() -> Iterator[RtspServer]:
    """A server of the test's own, to kill and restart."""
    server = started(RtspServer(cameras=2))
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


@pytest.fixture
def relayed(engine: VlcEngine, monkeypatch: pytest.MonkeyPatch) -> VlcEngine:
    """The engine relaying RTSP through ffmpeg for this test even where libVLC has an RTSP
    client of its own (as GVCOMMAND_VIDEO_RELAY=always makes it): the relay's own tests
    test the relay everywhere instead of passing or skipping where there is none."""
    if engine.ffmpeg is None:
        unavailable("ffmpeg (the RTSP relay) is not installed")
    monkeypatch.setattr(engine, "rtsp_direct", False)
    return engine
