"""What a test needs from outside the project: the shared real-world data beside the
repository, and system packages (libVLC, ffmpeg, GStreamer's RTSP server for the system python3).

Where one is missing a test skips, saying what is missing, on a developer's machine; under
``CI=true`` (where scripts/setup.sh installs everything and the data is checked out) the same
absence is a failure: a test that silently skips there measures nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from gvcommand.video.engine import VlcEngine
    from gvcommand.video.rtsp_server import RtspServer

REPOSITORY = Path(__file__).resolve().parents[1]
# ../shared/data next to the repository root (the centre's shared real-world samples)
SHARED_DATA = REPOSITORY.parent / "shared" / "data"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason`` here; fail with it in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must be present in CI)", pytrace=False)
    pytest.skip(reason)


def present(path: Path) -> Path:
    """``path`` (under SHARED_DATA); missing, the test skips (fails in CI) naming it.

    Tests say what they read with ``@pytest.mark.shared_data(PATH, ...)``: tests/conftest.py
    checks the paths before the test's other fixtures are made."""
    if not path.exists():
        unavailable(f"shared data absent: {path} (../shared/data beside the repository)")
    return path


def shared_data(*parts: str) -> Path:
    """``../shared/data/<parts>``, present (else skipped, or failed in CI)."""
    return present(SHARED_DATA.joinpath(*parts))


def gst_rtsp_python() -> str:
    """The system python3 that runs GStreamer's RTSP server (the loopback test cameras);
    missing, the test skips (fails in CI)."""
    from gvcommand.video.rtsp_server import system_python

    python = system_python()
    if python is None:
        unavailable("GStreamer's RTSP server is not installed for the system python3 "
                    "(python3-gi gir1.2-gst-rtsp-server-1.0; scripts/setup.sh installs them)")
    return python


def libvlc() -> VlcEngine:
    """The shared libVLC engine, able to play RTSP (itself, or relayed through ffmpeg);
    missing, the test skips (fails in CI)."""
    from gvcommand.video.engine import VideoUnavailable, VlcEngine

    try:
        engine = VlcEngine.shared()
    except VideoUnavailable as exc:
        unavailable(f"libVLC is not installed: {exc}")
    if not engine.rtsp_direct and engine.ffmpeg is None:
        unavailable("this libVLC has no RTSP client and ffmpeg (the relay) is not installed")
    return engine


def started(server: RtspServer) -> RtspServer:
    """``server`` started. Only a missing system package (GStreamer's RTSP server, ffmpeg to
    make the clips) skips (fails in CI); a server that is installed but does not start is
    an error of ours and raises."""
    gst_rtsp_python()
    if shutil.which("ffmpeg") is None:
        unavailable("ffmpeg is not installed: no clips for the loopback RTSP server")
    server.start()
    return server
