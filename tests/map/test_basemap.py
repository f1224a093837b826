"""The base map as an officer sees it: tiles from a loopback XYZ server (solid colours, one
per tile) land where the slippy-map formula says, are cached on disk and shown offline, a dead
server leaves a notice and a working map, and a local MBTiles file (TMS rows) draws the same."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from gvcommand.map import basemap, style
from gvcommand.map.basemap import (
    BasemapError,
    MBTilesSource,
    XyzSource,
    metres_per_pixel,
    tile_corner,
    tile_of,
)
from gvcommand.map.canvas import MapCanvas

from .conftest import grid_edition, near, pixel, ward_centre

Grab = Callable[[MapCanvas, str], QImage]
CENTRE = (106.665, 10.838)
ATTRIBUTION = "© Thử nghiệm OpenStreetMap"


def tile_colour(x: int, y: int) -> QColor:
    """Neighbouring tiles differ by ≥ 53 in red or ≥ 97 in green."""
    return QColor((x * 53) % 200 + 40, (y * 97) % 200 + 40, 60 + 120 * ((x + y) % 2))


def png(colour: QColor, size: int = 256) -> bytes:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class TileServer:
    """http://127.0.0.1:<port>/{z}/{x}/{y}.png in a thread; every tile a solid colour."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[str] = []
        self.agents: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.agents.add(self.headers.get("User-Agent", ""))
                try:
                    _z, x, y = (int(p) for p in self.path.removesuffix(".png").split("/")[1:])
                except ValueError:
                    self.send_error(404)
                    return
                body = png(tile_colour(x, y))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[TileServer]:
    s = TileServer()
    yield s
    s.stop()


def free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"


def sample_points(canvas: MapCanvas) -> list[tuple[float, float, int, int]]:
    """(lon, lat, x, y): the centres of the visible tiles whose centre is well inside the view."""
    z = canvas.basemap.zoom
    assert z is not None
    points = []
    for _, x, y in canvas.basemap.visible_tiles:
        lon, lat = tile_corner(z, x + 0.5, y + 0.5)
        p = canvas.lonlat_to_widget(lon, lat)
        if 10 < p.x() < canvas.view.width() - 10 and 30 < p.y() < canvas.view.height() - 30:
            assert tile_of(lon, lat, z) == (x, y)
            points.append((lon, lat, x, y))
    return points


def tiles_arrive(qtbot: QtBot, canvas: MapCanvas) -> None:
    qtbot.waitUntil(lambda: canvas.basemap.visible_tiles and not canvas.basemap.missing_tiles(),
                    timeout=5000)


def assert_tiles_drawn(canvas: MapCanvas, image: QImage,
                       colour: Callable[[int, int], QColor] = tile_colour) -> int:
    points = sample_points(canvas)
    for *_, x, y in points:
        # also a point off the centre, in the tile's north-west quarter
        for dx, dy in ((0.5, 0.5), (0.2, 0.2)):
            plon, plat = tile_corner(canvas.basemap.zoom or 0, x + dx, y + dy)
            p = canvas.lonlat_to_widget(plon, plat)
            if 0 <= p.x() < image.width() and 0 <= p.y() < image.height():
                assert near(pixel(image, p.x(), p.y()), colour(x, y), 12), (x, y, dx, dy)
    return len(points)


def test_xyz_tiles_drawn_where_the_slippy_map_formula_puts_them(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, server: TileServer, tmp_path: Path
) -> None:
    canvas.set_view(*CENTRE, 3000)
    source = XyzSource(server.url, ATTRIBUTION, cache_dir=tmp_path, user_agent="gvcommand-test")
    canvas.set_basemap(source)
    tiles_arrive(qtbot, canvas)
    assert server.agents == {"gvcommand-test"}
    z = canvas.basemap.zoom
    assert z is not None
    # the tiles' pixels are within √2 of the screen's
    ratio = metres_per_pixel(z, CENTRE[1]) / canvas.view.metres_per_pixel()
    assert 0.7 < ratio < 1.42
    image = grab(canvas, "basemap_xyz")
    assert assert_tiles_drawn(canvas, image) >= 2
    # the view centre is in the tile the formula names
    cx, cy = tile_of(*CENTRE, z)
    p = canvas.lonlat_to_widget(*CENTRE)
    assert near(pixel(image, p.x(), p.y()), tile_colour(cx, cy), 12)
    # cached on disk, under <hash of the template>/z/x/y.png
    for key in canvas.basemap.visible_tiles:
        assert source.cache_path(*key).is_file()
        assert source.cache_path(*key).is_relative_to(tmp_path)
    # attribution shown over the map
    label = canvas.basemap.attribution_label
    assert label is not None and label.isVisible() and label.text() == ATTRIBUTION
    assert not canvas.basemap.notice_label.isVisible()


def test_cached_tiles_shown_with_the_server_gone(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, server: TileServer, tmp_path: Path
) -> None:
    canvas.set_view(*CENTRE, 3000)
    canvas.set_basemap(XyzSource(server.url, ATTRIBUTION, cache_dir=tmp_path))
    tiles_arrive(qtbot, canvas)
    server.stop()
    fetched = len(server.requests)

    second = MapCanvas()
    qtbot.addWidget(second)
    second.resize(800, 600)
    second.show()
    qtbot.waitExposed(second)
    second.set_view(*CENTRE, 3000)
    second.set_basemap(XyzSource(server.url, ATTRIBUTION, cache_dir=tmp_path, timeout_s=1))
    tiles_arrive(qtbot, second)
    assert len(server.requests) == fetched  # not one request: all from the disk cache
    image = grab(second, "basemap_offline")
    assert assert_tiles_drawn(second, image) >= 2
    assert not second.basemap.notice_label.isVisible()


def test_a_dead_server_leaves_a_notice_and_a_working_map(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, tmp_path: Path
) -> None:
    canvas.set_wards(grid_edition())
    source = XyzSource(closed_port_url(), ATTRIBUTION, cache_dir=tmp_path, timeout_s=1)
    with qtbot.waitSignal(source.status_changed, timeout=5000):
        canvas.set_basemap(source)
    notice = canvas.basemap.notice_label
    assert notice is not None
    qtbot.waitUntil(notice.isVisible, timeout=2000)
    assert "Base map could not be loaded" in notice.text()
    image = grab(canvas, "basemap_dead")
    # the wards are still drawn, on the plain background
    lon, lat = ward_centre(2, 1)
    p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
    assert near(pixel(image, p.x(), p.y()), style.BACKGROUND, 6)
    border = canvas.lonlat_to_widget(lon + 0.006, lat - 0.003)
    assert any(near(pixel(image, border.x() + dx, border.y()), style.WARD_OUTLINE, 90)
               for dx in (-1, 0, 1))
    # backing off: no new attempt before the retry delay
    assert source._retry_at > 0
    assert not list(tmp_path.rglob("*.png"))


def test_retried_after_a_backoff_once_the_server_is_back(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(basemap, "BACKOFF_FIRST_S", 0.3)
    port = free_port()
    canvas.set_view(*CENTRE, 3000)
    source = XyzSource(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", ATTRIBUTION,
                       cache_dir=tmp_path, timeout_s=1)
    with qtbot.waitSignal(source.status_changed, timeout=5000):
        canvas.set_basemap(source)
    assert canvas.basemap.notice_label.isVisible()
    server = TileServer(port)
    try:
        tiles_arrive(qtbot, canvas)
        qtbot.waitUntil(lambda: not canvas.basemap.notice_label.isVisible(), timeout=6000)
        assert assert_tiles_drawn(canvas, grab(canvas, "basemap_recovered")) >= 2
    finally:
        server.stop()


def test_a_silent_server_times_out_into_a_notice(qtbot: QtBot, canvas: MapCanvas,
                                                  tmp_path: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # accepts connections, never answers
    try:
        port = sock.getsockname()[1]
        source = XyzSource(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", ATTRIBUTION,
                           cache_dir=tmp_path, timeout_s=0.3)
        with qtbot.waitSignal(source.status_changed, timeout=5000) as blocker:
            canvas.set_basemap(source)
        assert blocker.args[0]
    finally:
        sock.close()


def build_mbtiles(path: Path, z: int, xs: range, ys: range,
                  colour: Callable[[int, int], QColor]) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
               "tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [
        ("name", "Gò Vấp thử"), ("format", "png"), ("minzoom", str(z)), ("maxzoom", str(z)),
        ("bounds", "106.6,10.79,106.73,10.88"), ("attribution", "© MBTiles thử")])
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [
        (z, x, (1 << z) - 1 - y, png(colour(x, y), 64)) for x in xs for y in ys])
    db.commit()
    db.close()


def test_mbtiles_rows_counted_from_the_south(qtbot: QtBot, canvas: MapCanvas, grab: Grab,
                                              tmp_path: Path) -> None:
    z = 15
    canvas.set_view(*CENTRE, 5000)  # three rows of z15 tiles in view
    x0, y0 = tile_of(CENTRE[0] - 0.03, CENTRE[1] + 0.03, z)
    x1, y1 = tile_of(CENTRE[0] + 0.03, CENTRE[1] - 0.03, z)

    def by_row(x: int, y: int) -> QColor:  # every row its own colour, columns alike
        return QColor(40 + (y * 71) % 180, 200 - (y * 37) % 150, 90)

    path = tmp_path / "govap.mbtiles"
    build_mbtiles(path, z, range(x0, x1 + 1), range(y0, y1 + 1), by_row)
    source = MBTilesSource(path)
    assert (source.name, source.min_zoom, source.max_zoom) == ("Gò Vấp thử", z, z)
    assert source.bounds == (106.6, 10.79, 106.73, 10.88)
    canvas.set_basemap(source)
    tiles_arrive(qtbot, canvas)
    assert canvas.basemap.zoom == z
    image = grab(canvas, "basemap_mbtiles")
    assert assert_tiles_drawn(canvas, image, by_row) >= 2
    assert len({y for *_, y in sample_points(canvas)}) >= 2  # more than one row checked
    assert canvas.basemap.attribution_label.text() == "© MBTiles thử"


def test_missing_or_corrupt_mbtiles_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.mbtiles"
    with pytest.raises(BasemapError, match=r"khong-co\.mbtiles"):
        MBTilesSource(missing)
    corrupt = tmp_path / "hong.mbtiles"
    corrupt.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(BasemapError, match=r"hong\.mbtiles"):
        MBTilesSource(corrupt)
    empty = tmp_path / "rong.mbtiles"
    sqlite3.connect(empty).close()
    with pytest.raises(BasemapError, match=r"rong\.mbtiles"):
        MBTilesSource(empty)


def test_basemap_opacity_visibility_and_bottom_of_the_stack(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, server: TileServer, tmp_path: Path
) -> None:
    canvas.set_wards(grid_edition())
    canvas.set_view(*CENTRE, 3000)
    canvas.set_basemap(XyzSource(server.url, ATTRIBUTION, cache_dir=tmp_path))
    tiles_arrive(qtbot, canvas)
    canvas.move_layer("wards", -10)
    assert canvas.basemap.item.zValue() < min(
        i.zValue() for layer in map(canvas.layer, canvas.layer_order()) for i in layer.items)
    image = grab(canvas, "basemap_wards")
    image.save("/tmp/gv_basemap.png")
    z = canvas.basemap.zoom or 0
    lon, lat = CENTRE
    x, y = tile_of(lon, lat, z)
    p = canvas.lonlat_to_widget(lon, lat)
    assert near(pixel(image, p.x(), p.y()), tile_colour(x, y), 12)

    canvas.basemap.set_opacity(0.0)
    assert near(pixel(grab(canvas, "basemap_clear"), p.x(), p.y()), style.BACKGROUND, 6)
    canvas.basemap.set_opacity(1.0)
    canvas.basemap.set_visible(False)
    assert near(pixel(grab(canvas, "basemap_hidden"), p.x(), p.y()), style.BACKGROUND, 6)
    assert not canvas.basemap.attribution_label.isVisible()
    canvas.basemap.set_visible(True)
    assert canvas.basemap.attribution_label.isVisible()
    canvas.set_basemap(None)
    assert near(pixel(grab(canvas, "basemap_none"), p.x(), p.y()), style.BACKGROUND, 6)
    assert not canvas.basemap.attribution_label.isVisible()


def test_beyond_the_file_s_levels_a_coarser_tile_is_magnified(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, tmp_path: Path
) -> None:
    canvas.set_view(*CENTRE, 3000)
    x0, y0 = tile_of(CENTRE[0] - 0.03, CENTRE[1] + 0.03, 14)
    x1, y1 = tile_of(CENTRE[0] + 0.03, CENTRE[1] - 0.03, 14)
    path = tmp_path / "z14.mbtiles"
    build_mbtiles(path, 14, range(x0, x1 + 1), range(y0, y1 + 1), tile_colour)
    db = sqlite3.connect(path)
    db.execute("UPDATE metadata SET value = '15' WHERE name = 'maxzoom'")  # z15 promised, absent
    db.commit()
    db.close()
    canvas.set_basemap(MBTilesSource(path))
    tiles_arrive(qtbot, canvas)
    assert canvas.basemap.zoom == 15
    image = grab(canvas, "basemap_overzoom")
    points = sample_points(canvas)
    assert len(points) >= 2
    for lon, lat, *_ in points:
        p = canvas.lonlat_to_widget(lon, lat)
        assert near(pixel(image, p.x(), p.y()), tile_colour(*tile_of(lon, lat, 14)), 12)


def test_default_cache_under_the_user_cache_and_memory_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://tile.example.invalid/{z}/{x}/{y}.png"
    source = XyzSource(url, ATTRIBUTION, cache_dir=None)
    assert source.cache_dir.parent == Path(platformdirs.user_cache_dir("gvcommand")) / "tiles"
    assert source.cache_path(15, 1, 2).relative_to(source.cache_dir) == Path("15/1/2.png")
    other = XyzSource(url.replace("example", "other"), ATTRIBUTION, cache_dir=None)
    assert other.cache_dir != source.cache_dir  # one directory per server

    monkeypatch.setattr(basemap, "MEMORY_TILES", 3)
    path = tmp_path / "lru.mbtiles"
    build_mbtiles(path, 15, range(10, 16), range(20, 21), tile_colour)
    mb = MBTilesSource(path)
    for x in range(10, 16):
        assert mb.tile(15, x, 20) is not None
    assert len(mb._memory) == 3  # the three most recent
    assert mb.cached(15, 15, 20) is not None and mb.cached(15, 10, 20) is None
