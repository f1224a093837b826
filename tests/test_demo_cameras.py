"""The demo's cameras stream from the demo's loopback RTSP server: generic cameras with
/camNNN and /camNNN/sub on the port $GVCOMMAND_DEMO_RTSP_PORT says at seeding time."""

from __future__ import annotations

import re

import pytest

from gvcommand.core import commands as c
from gvcommand.core.handlers import decide
from gvcommand.core.model import Actor, Camera, CameraVendor, Role, Ward
from gvcommand.core.state import State
from gvcommand.demo.cameras import DEMO_RTSP_PORT_ENV, add_cameras
from gvcommand.demo.district import build_layout
from gvcommand.store.db import StoreError
from gvcommand.video import urls


def _cameras(monkeypatch: pytest.MonkeyPatch, port: str | None) -> list[c.AddCamera]:
    if port is None:
        monkeypatch.delenv(DEMO_RTSP_PORT_ENV, raising=False)
    else:
        monkeypatch.setenv(DEMO_RTSP_PORT_ENV, port)
    layout = build_layout(7)
    return add_cameras(layout, layout.editions.editions[-1])


def test_demo_cameras_are_generic_loopback_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    cams = _cameras(monkeypatch, None)
    assert len(cams) == 120
    for n, cmd in enumerate(cams, start=1):
        assert cmd.vendor is CameraVendor.GENERIC
        assert cmd.main_url == f"rtsp://127.0.0.1:8554/cam{n:03d}"
        assert cmd.sub_url == f"rtsp://127.0.0.1:8554/cam{n:03d}/sub"
        assert cmd.address and re.match(r"^\d", cmd.address)
    # every record passes the core's checks (as seeding runs them)
    state = State()
    for ward in {cmd.ward for cmd in cams}:
        state.wards[str(ward)] = Ward(str(ward), str(ward))
    sup = Actor("demo", Role.SUPERVISOR, "seed")
    for cmd in cams[:10]:
        assert decide(state, cmd, sup)
    camera = Camera(
        cams[4].code, cams[4].name, cams[4].lon, cams[4].lat, vendor=cams[4].vendor,
        main_url=cams[4].main_url, sub_url=cams[4].sub_url)
    assert urls.live_url(camera, "sub") == "rtsp://127.0.0.1:8554/cam005/sub"


def test_demo_port_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    cams = _cameras(monkeypatch, "18554")
    assert cams[0].main_url == "rtsp://127.0.0.1:18554/cam001"
    with pytest.raises(StoreError, match="not a TCP port"):
        _cameras(monkeypatch, "80a")
