"""The base map as an officer sees it: tiles from a loopback XYZ server (solid colours, one
per tile) land where the slippy-map formula says, are cached on disk and shown offline, a dead
server leaves a notice and a working map, and a local MBTiles file (TMS rows) draws the same.
A source the map drops, or that dies with its map, never calls back, whatever thread the garbage
collector runs in."""

from __future__ import annotations

import gc
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

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

from .._ports import refusing_port, reserved_port
from .._screenshots import screenshot_path
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


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the request threads: none outlives a test

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def hang_up(self) -> None:
        """End every connection: a client may hold one open without asking anything (Qt
        keeps idle connections for two minutes), and its request thread would wait for it."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


HOLD_S = 60.0  # at most this long an answer waits for the test's hold


class TileServer:
    """http://127.0.0.1:<port>/{z}/{x}/{y}.png in a thread; every tile a solid colour.

    ``hold``: answers wait until it is set (fetches stay in flight meanwhile).
    ``collect_garbage``: every request runs the garbage collector in its own thread first, as
    Python may do in any thread that allocates; Qt objects must not be freed there."""

    def __init__(self, port: int = 0, *, hold: threading.Event | None = None,
                 collect_garbage: bool = False) -> None:
        self.requests: list[str] = []
        self.answered = 0  # requests handled to the end (answered, or the client had gone)
        self.agents: set[str] = set()
        self.hold = hold
        self.collect_garbage = collect_garbage
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.agents.add(self.headers.get("User-Agent", ""))
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client aborted the fetch
                finally:
                    server.answered += 1

            def _answer(self) -> None:
                if server.collect_garbage:
                    gc.collect()
                if server.hold is not None:
                    server.hold.wait(HOLD_S)
                try:
                    # the last three parts: a prefix before them tells clients apart
                    _z, x, y = (int(p) for p in self.path.removesuffix(".png").split("/")[-3:])
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

        self.httpd = _HTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self._stopped = False

    def all_answered(self) -> bool:
        return self.answered == len(self.requests)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.hold is not None:
            self.hold.set()
        self.httpd.shutdown()
        self.httpd.hang_up()
        self.httpd.server_close()  # joins the request threads
        self.thread.join(10)


@pytest.fixture
def server() -> Iterator[TileServer]:
    s = TileServer()
    yield s
    s.stop()


def url_of(port: int) -> str:
    return f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


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
    # generous: returns as soon as they are there, and a loaded CI machine is slow
    qtbot.waitUntil(lambda: canvas.basemap.visible_tiles and not canvas.basemap.missing_tiles(),
                    timeout=20000)


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
    clock = FakeClock()
    with refusing_port() as port:
        source = XyzSource(url_of(port), ATTRIBUTION, cache_dir=tmp_path,
                           backoff_first_s=60, backoff_max_s=100, clock=clock)
        with qtbot.waitSignal(source.status_changed, timeout=10000):
            canvas.set_basemap(source)
        notice = canvas.basemap.notice_label
        assert notice is not None
        qtbot.waitUntil(notice.isVisible, timeout=5000)
        assert "Base map could not be loaded" in notice.text()
        image = grab(canvas, "basemap_dead")
        # the wards are still drawn, on the plain background
        lon, lat = ward_centre(2, 1)
        p = canvas.lonlat_to_widget(lon - 0.003, lat - 0.003)
        assert near(pixel(image, p.x(), p.y()), style.BACKGROUND, 6)
        border = canvas.lonlat_to_widget(lon + 0.006, lat - 0.003)
        assert any(near(pixel(image, border.x() + dx, border.y()), style.WARD_OUTLINE, 90)
                   for dx in (-1, 0, 1))
        assert not list(tmp_path.rglob("*.png"))
        # backing off: nothing is asked before the wait is over, however often the map repaints
        assert (source.backoff_s, source.backing_off) == (60, True)
        assert not source._in_flight
        canvas.basemap.source_changed()
        assert not source._in_flight
        # each failure doubles the wait, up to the maximum
        source.retry_now()
        qtbot.waitUntil(lambda: source.backoff_s == 100, timeout=10000)
        assert notice.isVisible() and source.backing_off


def test_retried_after_the_backoff_once_the_server_is_back(
    qtbot: QtBot, canvas: MapCanvas, grab: Grab, tmp_path: Path
) -> None:
    clock = FakeClock()
    canvas.set_view(*CENTRE, 3000)
    with reserved_port() as port:  # refused until the server comes back; no one else's
        source = XyzSource(url_of(port), ATTRIBUTION, cache_dir=tmp_path,
                           backoff_first_s=60, clock=clock)
        with qtbot.waitSignal(source.status_changed, timeout=10000):
            canvas.set_basemap(source)
        assert canvas.basemap.notice_label.isVisible()
        server = TileServer(port)  # listening there now: the reservation may go
    try:
        clock.now += 59  # the server is back, but the wait is not over: not asked yet
        canvas.basemap.source_changed()
        grab(canvas, "basemap_waiting")
        assert source.backing_off and not source._in_flight and not server.requests
        clock.now += 2  # the wait is over (time drives this test, not sleeping)
        assert not source.backing_off
        source.retry_now()  # what the retry timer does when it fires
        tiles_arrive(qtbot, canvas)
        qtbot.waitUntil(lambda: not canvas.basemap.notice_label.isVisible(), timeout=5000)
        assert source.backoff_s == 0
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


def test_a_closed_source_ignores_replies_that_finish_later(qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    hold = threading.Event()
    server = TileServer(hold=hold)
    # fetches outlast the server's hold: none times out (and emits) before the close
    source = XyzSource(server.url, ATTRIBUTION, cache_dir=tmp_path, timeout_s=2 * HOLD_S)
    try:
        heard: list[object] = []
        source.changed.connect(lambda: heard.append("changed"))
        source.status_changed.connect(heard.append)
        for x in range(3):
            assert source.tile(15, 26000 + x, 15000) is None
        qtbot.waitUntil(lambda: len(server.requests) == 3, timeout=20000)  # in flight
        source.close()
        assert source.closed and not source._in_flight
        hold.set()  # the server answers now, into fetches that were dropped
        qtbot.waitUntil(server.all_answered, timeout=20000)
        qtbot.wait(300)
        assert heard == []
        assert not source.has_tile(15, 26000, 15000) and not list(tmp_path.rglob("*.png"))
        assert source.tile(15, 26000, 15000) is None and len(server.requests) == 3
        source.retry_now()  # a closed source does not start again
        assert heard == [] and not source._in_flight
    finally:
        server.stop()
        source.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_dropped_source_dies_with_its_map_on_the_gui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """What crashed CI: a source left to Python was freed by the garbage collector in a
    tile-server thread, with its fetches and retry timer alive (Qt: "Timers cannot be stopped
    from another thread", then a segmentation fault). The canvas must own its source: a
    replaced one is closed and deleted at once, the last one dies with the map."""
    hold = threading.Event()
    server = TileServer(hold=hold, collect_garbage=True)
    try:
        canvas = MapCanvas()
        canvas.resize(800, 600)
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.set_view(*CENTRE, 3000)
        heard: list[object] = []

        def requests_of(name: str) -> int:
            return sum(1 for path in list(server.requests) if path.startswith(f"/{name}/"))

        # each source's requests known by their path, and fetches that outlast the server's
        # hold: nothing times out (and emits) while the sources live, however slow the run
        first, second = (
            XyzSource(server.url.replace("/{z}/", f"/{name}/{{z}}/"), ATTRIBUTION,
                      cache_dir=tmp_path / name, timeout_s=2 * HOLD_S)
            for name in ("first", "second"))
        for source in (first, second):
            source.changed.connect(lambda: heard.append("changed"))
            source.status_changed.connect(heard.append)
        canvas.set_basemap(first)
        qtbot.waitUntil(lambda: requests_of("first") >= 3, timeout=20000)
        canvas.set_basemap(second)  # replaced with fetches in flight: closed at once
        assert first.closed and not first._in_flight
        qtbot.waitUntil(lambda: requests_of("second") >= 3, timeout=20000)
        assert second._in_flight
        # the window goes as the shell drops one: close(), deleteLater(), event loop
        canvas.close()
        canvas.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not Shiboken.isValid(first)  # deleted here, on the GUI thread …
        assert not Shiboken.isValid(second)  # … with the map, fetches and all
        del canvas, first, second, source
        collector = threading.Thread(target=gc.collect)  # the garbage, in another thread
        collector.start()
        collector.join()
        hold.set()  # the server answers the dead sources' fetches (collecting garbage first)
        qtbot.waitUntil(server.all_answered, timeout=20000)
        qtbot.wait(300)
        assert heard == []
    finally:
        server.stop()


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
    image.save(screenshot_path("gv_basemap.png"))
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
