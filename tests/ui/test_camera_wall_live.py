"""The wall end to end: GStreamer's RTSP server on loopback plays the generated H.264 clips,
real libVLC (through the FFmpeg relay where Debian's libVLC has no RTSP client) decodes them
into the wall's tiles. Frames arrive and the grabbed tiles are not blank; focus plays the
main stream (1280×720), the grid the sub-stream (640×360); hidden tiles pause; a camera
whose server dies shows frozen, one with a codec the relay cannot carry shows failed.

Screenshots (looked at by a person, not only by asserts): gv_wall_live_2x2.png,
gv_wall_live_4x4.png … in $GVCOMMAND_SCREENSHOTS (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.model import Camera, StreamKind
from gvcommand.ui.camera_wall.budget import DecodeBudget
from gvcommand.ui.camera_wall.look import AMBER, clock
from gvcommand.ui.camera_wall.players import live_address, make_player
from gvcommand.ui.camera_wall.wall import CameraWall
from gvcommand.video import rtsp_server as rtsp
from gvcommand.video.player import StreamPlayer, StreamState

from .._needs import libvlc, started
from .._screenshots import screenshot_path

LIVE_TIMEOUT_MS = 20_000  # first frames of many streams at once on 2 shared cores


@pytest.fixture(scope="module")
def server() -> Iterator[rtsp.RtspServer]:
    """The loopback cameras, and libVLC to play them: a missing system package skips here
    and fails in CI; a server that is installed but does not start is an error."""
    libvlc()
    srv = started(rtsp.RtspServer(cameras=16))
    yield srv
    srv.stop()


def camera(code: str, main: str, sub: str | None) -> Camera:
    return Camera(code, f"Camera {code}", 106.665, 10.838, ward="P01",
                  main_url=main, sub_url=sub)


def cameras_of(srv: rtsp.RtspServer, n: int) -> dict[str, Camera]:
    return {f"cam{k:03d}": camera(f"cam{k:03d}", srv.url(f"cam{k:03d}"),
                                  srv.url(f"cam{k:03d}/sub"))
            for k in range(1, n + 1)}


@pytest.fixture
def make_wall(qtbot: QtBot, settings: QSettings) -> Iterator[Callable[..., CameraWall]]:
    walls: list[CameraWall] = []

    def make(cams: dict[str, Camera], **kwargs: object) -> CameraWall:
        wall = CameraWall(lambda: cams, lambda: {"P01": "Phường 1"}, make_player,
                          live_address(), settings=settings, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(wall)
        walls.append(wall)
        wall.resize(1280, 760)
        wall.show()
        qtbot.waitExposed(wall)
        return wall

    yield make
    for wall in walls:
        wall.shutdown()
        for i in range(16):
            p = wall.player_at(i)
            if isinstance(p, StreamPlayer):
                p.wait_idle()


def players(wall: CameraWall, slots: range | list[int]) -> list[StreamPlayer]:
    out = []
    for i in slots:
        p = wall.player_at(i)
        assert isinstance(p, StreamPlayer)
        out.append(p)
    return out


def width(p: StreamPlayer) -> int:
    return p.size[0] if p.size is not None else 0


def not_blank(image: QImage) -> bool:
    """More than a handful of distinct colours: a picture, not a fill or a black tile."""
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    return len(colours) > 20


def tile_image(wall: CameraWall, slot: int) -> QImage:
    QApplication.processEvents()
    tile = wall.tiles[slot]
    return tile.grab(tile.frame_rect()).toImage()


def test_live_frames_arrive_in_the_tiles_and_focus_plays_the_main_stream(
        qtbot: QtBot, server: rtsp.RtspServer, make_wall: Callable[..., CameraWall]) -> None:
    wall = make_wall(cameras_of(server, 4))
    for i in range(4):
        wall.assign(i, f"cam{i + 1:03d}")
    ps = players(wall, range(4))
    qtbot.waitUntil(lambda: all(p.state is StreamState.LIVE and p.frames >= 5 for p in ps),
                    timeout=LIVE_TIMEOUT_MS)
    # the grid plays sub-streams (640 wide, scaled down by libVLC to the tile if smaller)
    assert all(0 < width(p) <= 640 for p in ps)
    for i in range(4):
        assert not_blank(tile_image(wall, i)), f"tile {i + 1} is blank"
        assert "LIVE" in wall.tiles[i].look.badge or "TRỰC TIẾP" in wall.tiles[i].look.badge
    wall._on_tick()
    wall.grab().save(screenshot_path("gv_wall_live_2x2.png"))

    # focus: the main stream (1280×720: wider than any sub-stream in the large tile), alone;
    # the others pause
    wall.focus(2)
    assert wall.url_at(2) == server.url("cam003")
    qtbot.waitUntil(lambda: ps[2].state is StreamState.LIVE and width(ps[2]) > 640,
                    timeout=LIVE_TIMEOUT_MS)
    assert [p.state for p in (ps[0], ps[1], ps[3])] == [StreamState.PAUSED] * 3
    assert not_blank(tile_image(wall, 2))
    wall.grab().save(screenshot_path("gv_wall_live_focus.png"))
    wall.unfocus()
    qtbot.waitUntil(lambda: all(p.state is StreamState.LIVE for p in ps)
                    and 0 < width(ps[2]) <= 640, timeout=LIVE_TIMEOUT_MS)

    # hidden: the wall's dock closed -> nothing decodes; shown again -> live again
    frames = [p.frames for p in ps]
    wall.hide()
    qtbot.waitUntil(lambda: all(p.state is StreamState.PAUSED for p in ps), timeout=2000)
    wall.show()
    qtbot.waitUntil(lambda: all(p.state is StreamState.LIVE and p.frames > f + 3
                                for p, f in zip(ps, frames, strict=True)),
                    timeout=LIVE_TIMEOUT_MS)


def test_a_4x4_wall_with_a_frozen_and_a_failed_camera(
        qtbot: QtBot, server: rtsp.RtspServer, make_wall: Callable[..., CameraWall]) -> None:
    lone = rtsp.RtspServer(cameras=1)  # one camera's own server, to kill
    lone.start()
    try:
        cams = cameras_of(server, 14)
        cams["frozen"] = camera("frozen", lone.url("cam001"), lone.url("cam001/sub"))
        cams["nosuch"] = camera("nosuch", server.url("nosuch"), None)  # 404
        wall = make_wall(cams, budget=DecodeBudget.of_sub_streams(40))
        wall.set_layout("4x4")
        codes = [*(f"cam{k:03d}" for k in range(1, 15)), "frozen", "nosuch"]
        for i, code in enumerate(codes):
            wall.assign(i, code)
        ps = players(wall, range(16))
        qtbot.waitUntil(lambda: all(p.state is StreamState.LIVE for p in ps[:15]),
                        timeout=LIVE_TIMEOUT_MS * 2)
        qtbot.waitUntil(lambda: ps[15].state is StreamState.FAILED, timeout=LIVE_TIMEOUT_MS)
        lone.kill()
        # frozen within 3 s (the watchdog's goal), then called again: either way the tile
        # says the picture is frozen and since when
        qtbot.waitUntil(lambda: ps[14].state in (StreamState.STALLED,
                                                 StreamState.RECONNECTING), timeout=5000)
        wall._on_tick()
        wall.grab().save(screenshot_path("gv_wall_live_4x4.png"))
        frozen, failed = wall.tiles[14].look, wall.tiles[15].look
        assert frozen is not None and frozen.dim and frozen.border is not None
        assert frozen.colour == AMBER and clock(wall.tiles[14].still_at_us) in frozen.badge
        assert failed is not None and failed.border is not None
        assert "not found" in failed.badge or "không tìm thấy" in failed.badge
        assert "ffmpeg" not in failed.badge  # the technical line is in the tooltip only
        assert "404" in wall.tiles[15].toolTip()
        for i in (0, 7, 13):
            assert not_blank(tile_image(wall, i))
        assert wall.url_at(0) == server.url("cam001/sub")
        assert wall.url_at(15) == server.url("nosuch")  # no sub-stream: its one address
    finally:
        lone.stop()


def test_addresses_with_credentials_are_opened_but_only_shown_redacted(
        qtbot: QtBot, server: rtsp.RtspServer, make_wall: Callable[..., CameraWall],
        caplog: pytest.LogCaptureFixture) -> None:
    from gvcommand.video.urls import Credentials

    class Store:
        description = "test store"

        def get(self, ref: str) -> Credentials | None:
            return Credentials("admin", "s3cr3t@pass") if ref == "cam-1" else None

    cam = Camera("cam001", "Cổng chợ", 106.665, 10.838, main_url=server.url("cam001"),
                 sub_url=server.url("cam001/sub"), credential_ref="cam-1")
    url, shown = live_address(lambda: Store())(cam, StreamKind.SUB)  # type: ignore[arg-type]
    assert "s3cr3t" in url.replace("%40", "@") and "s3cr3t" not in shown
    caplog.set_level("DEBUG")
    wall = CameraWall(lambda: {"cam001": cam}, dict, make_player,
                      live_address(lambda: Store()))  # type: ignore[arg-type]
    qtbot.addWidget(wall)
    wall.show()
    wall.assign(0, "cam001")
    p = players(wall, [0])[0]
    qtbot.waitUntil(lambda: p.state is StreamState.LIVE, timeout=LIVE_TIMEOUT_MS)
    wall.shutdown()
    p.wait_idle()
    text = caplog.text
    assert "admin:***@" in text
    assert "s3cr3t" not in text and "s3cr3t%40pass" not in text
    assert not any("s3cr3t" in str(t.look) for t in wall.tiles)


def test_bad_cameras_each_say_why_on_their_tile(
        qtbot: QtBot, server: rtsp.RtspServer, make_wall: Callable[..., CameraWall],
        caplog: pytest.LogCaptureFixture, refused_port: int) -> None:
    """Wrong password, a codec nothing here decodes, a host that does not answer, a
    malformed stored address: each tile says why, in the officer's words; the right
    password plays; no password reaches the log or the tiles."""
    from gvcommand.video.urls import Credentials

    dead = refused_port  # nothing listens there during the test

    class Store:
        description = "test store"

        def get(self, ref: str) -> Credentials | None:
            return {"good": Credentials(server.user, server.password),
                    "bad": Credentials(server.user, "wrong-Pa55")}.get(ref)

    def cam(code: str, url: str, ref: str | None = None) -> Camera:
        return Camera(code, code, 106.665, 10.838, main_url=url, sub_url=url,
                      credential_ref=ref)

    cams = {c.code: c for c in (
        cam("goodpw", server.url("secure"), "good"),
        cam("badpw", server.url("secure"), "bad"),
        cam("xgst", server.url("x-gst")),
        cam("dead", f"rtsp://127.0.0.1:{dead}/cam001"),
    )}
    caplog.set_level("INFO")
    wall = CameraWall(lambda: cams, dict, make_player,
                      live_address(lambda: Store()))  # type: ignore[arg-type]
    qtbot.addWidget(wall)
    wall.resize(1280, 760)
    wall.show()
    for i, code in enumerate(cams):
        wall.assign(i, code)
    ps = players(wall, range(4))
    qtbot.waitUntil(lambda: ps[0].state is StreamState.LIVE
                    and ps[1].state is StreamState.FAILED
                    and ps[2].state is StreamState.FAILED
                    and ps[3].state in (StreamState.RECONNECTING, StreamState.FAILED),
                    timeout=LIVE_TIMEOUT_MS)
    wall._on_tick()
    wall.grab().save(screenshot_path("gv_wall_live_bad.png"))
    looks = [wall.tiles[i].look for i in range(4)]
    assert all(look is not None for look in looks)
    assert "mật khẩu" in looks[1].badge  # wrong user name or password
    assert "định dạng" in looks[2].badge or "video" in looks[2].badge  # format unsupported
    assert "không kết nối được" in (looks[3].message or "")  # unreachable
    wall.shutdown()
    for p in ps:
        p.wait_idle()
    assert server.password not in caplog.text and "wrong-Pa55" not in caplog.text
    assert not any("wrong-Pa55" in (t.toolTip() + str(t.look)) for t in wall.tiles)
