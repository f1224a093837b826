"""Base-map tile sources: an XYZ (slippy-map) server with a disk cache, or a local MBTiles
file. Both hand out decoded ``QImage`` tiles by Web-Mercator (z, x, y), never blocking the UI:
network fetches go through a ``QNetworkAccessManager`` (asynchronous on the main thread),
local reads are a few hundred microseconds.

A source says when new tiles arrived (``changed``) and when it cannot load (``status_changed``
with a human sentence, "" once it works again); the map stays usable either way.

Lifetime. A source is a QObject with children that belong to the GUI thread (the network
manager, its replies, the retry timer). Left to Python, such an object is deleted by whichever
thread happens to run the cyclic garbage collector, and Qt crashes or warns ("Timers cannot be
stopped from another thread"). So a source is never left to Python: the base-map layer takes
it as a Qt child (it dies with the map view, on the GUI thread) and ``close()``s and
``deleteLater()``s it when it is replaced. ``close()`` stops everything: replies in flight are
disconnected, aborted and deleted, the retry timer stops, nothing is signalled afterwards.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

TileKey = tuple[int, int, int]  # z, x, y (XYZ: y = 0 at the north)

MEMORY_TILES = 512  # decoded tiles kept in memory (256×256 ARGB: 256 KiB each)
MAX_IN_FLIGHT = 6
BACKOFF_FIRST_S = 2.0
BACKOFF_MAX_S = 300.0


class BasemapError(Exception):
    """A base map cannot be opened; the message names the file or server."""


class TileSource(QObject):
    """What the base-map layer needs from a source."""

    changed = Signal()  # tiles arrived, or a retry is due: repaint and ask again
    status_changed = Signal(str)  # a notice for the officer, "" when all is well

    def __init__(
        self, attribution: str, min_zoom: int, max_zoom: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.attribution = attribution
        self.min_zoom = int(min_zoom)
        self.max_zoom = int(max_zoom)
        self.status = ""
        self._memory: OrderedDict[TileKey, QImage | None] = OrderedDict()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop for good: nothing is loaded or signalled afterwards (tiles in memory stay)."""
        self._closed = True

    def tile(self, z: int, x: int, y: int) -> QImage | None:
        """The tile if it is at hand; otherwise None, and it is fetched (``changed`` follows)."""
        key = (z, x, y)
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        if self._closed:
            return None
        return self._load(key)

    def cached(self, z: int, x: int, y: int) -> QImage | None:
        """The tile if it is in memory; never fetches."""
        return self._memory.get((z, x, y))

    def has_tile(self, z: int, x: int, y: int) -> bool:
        """True once the tile is known: loaded, or known not to exist."""
        return (z, x, y) in self._memory

    def _remember(self, key: TileKey, image: QImage | None) -> None:
        self._memory[key] = image
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_TILES:
            self._memory.popitem(last=False)

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)

    def _load(self, key: TileKey) -> QImage | None:
        raise NotImplementedError


def _decode(data: bytes) -> QImage | None:
    image = QImage.fromData(QByteArray(data))
    if image.isNull():
        return None
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


class XyzSource(TileSource):
    """Tiles from ``url_template`` ("https://…/{z}/{x}/{y}.png"), cached on disk under
    ``cache_dir``/<hash of the template>/z/x/y.png; cached tiles never touch the network.

    After a failure the source waits ``backoff_first_s`` (doubling up to ``backoff_max_s``)
    before it asks the server again; ``clock`` (seconds, monotonic) is there for tests."""

    def __init__(
        self,
        url_template: str,
        attribution: str,
        cache_dir: Path | None = None,
        min_zoom: int = 0,
        max_zoom: int = 19,
        user_agent: str = "gvcommand",
        timeout_s: float = 10.0,
        parent: QObject | None = None,
        *,
        backoff_first_s: float = BACKOFF_FIRST_S,
        backoff_max_s: float = BACKOFF_MAX_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(attribution, min_zoom, max_zoom, parent)
        self.url_template = url_template
        base = (
            Path(cache_dir)
            if cache_dir is not None
            else Path(platformdirs.user_cache_dir("gvcommand")) / "tiles"
        )
        digest = hashlib.sha256(url_template.encode()).hexdigest()[:16]
        self.cache_dir = base / digest
        self.user_agent = user_agent
        self.timeout_ms = max(1, round(timeout_s * 1000))
        self._network = QNetworkAccessManager(self)
        self._queue: list[TileKey] = []
        self._in_flight: dict[TileKey, QNetworkReply] = {}
        self.backoff_first_s = backoff_first_s
        self.backoff_max_s = max(backoff_first_s, backoff_max_s)
        self._clock = clock
        self._backoff_s = 0.0
        self._retry_at = 0.0
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self.retry_now)

    @property
    def backoff_s(self) -> float:
        """The current wait after a failure (0 while the server answers)."""
        return self._backoff_s

    @property
    def backing_off(self) -> bool:
        """True while waiting before the next attempt."""
        return self._clock() < self._retry_at

    def retry_now(self) -> None:
        """Ask the server again now (the retry timer calls this when the wait is over)."""
        if self._closed:
            return
        self._retry_timer.stop()
        self._retry_at = 0.0  # a coarse timer may fire a little early
        self.changed.emit()  # the layer asks again for what it still lacks

    def close(self) -> None:
        if self._closed:
            return
        super().close()
        self._retry_timer.stop()
        self._drop_replies()
        self._network.clearConnectionCache()  # idle connections to the server end now

    def cache_path(self, z: int, x: int, y: int) -> Path:
        return self.cache_dir / str(z) / str(x) / f"{y}.png"

    def _load(self, key: TileKey) -> QImage | None:
        path = self.cache_path(*key)
        if path.is_file():
            image = _decode(path.read_bytes())
            if image is not None:
                self._remember(key, image)
                return image
        if self.backing_off:
            return None  # backing off after a failure; the retry timer asks again
        if key not in self._in_flight and key not in self._queue:
            self._queue.append(key)
        self._pump()
        return None

    def _pump(self) -> None:
        while self._queue and len(self._in_flight) < MAX_IN_FLIGHT:
            key = self._queue.pop()  # newest first: the view the officer looks at now
            z, x, y = key
            url = self.url_template.format(z=z, x=x, y=y, s="a")
            request = QNetworkRequest(QUrl(url))
            request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, self.user_agent)
            request.setTransferTimeout(self.timeout_ms)
            # the reply is a child of our network manager (it dies with this source, on the
            # GUI thread); a bound slot, not a lambda, so Qt drops the connection with us
            reply = self._network.get(request)
            self._in_flight[key] = reply
            reply.setProperty("tile_key", list(key))
            reply.finished.connect(self._on_reply_finished)

    def _on_reply_finished(self) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        reply.deleteLater()
        z, x, y = (int(v) for v in reply.property("tile_key"))
        key = (z, x, y)
        if self._closed or self._in_flight.get(key) is not reply:
            return  # dropped (closed, or another tile failed) before it finished
        del self._in_flight[key]
        self._finished(key, reply)

    def _drop_replies(self) -> None:
        """Forget every fetch: disconnected first, so aborting calls nothing back."""
        replies = list(self._in_flight.values())
        self._in_flight.clear()
        self._queue.clear()
        for reply in replies:
            reply.finished.disconnect(self._on_reply_finished)
            reply.abort()
            reply.deleteLater()

    def _finished(self, key: TileKey, reply: QNetworkReply) -> None:
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        if reply.error() == QNetworkReply.NetworkError.NoError:
            data = bytes(reply.readAll().data())
            image = _decode(data)
            if image is None:
                self._failed(
                    QCoreApplication.translate("Basemap", "tile {key} is not an image").format(
                        key="/".join(map(str, key))
                    )
                )
                return
            self._store(key, data)
            self._remember(key, image)
            self._backoff_s = 0.0
            self._set_status("")
            self.changed.emit()
        elif status == 404:
            self._remember(key, None)  # no tile there: not an outage
            self.changed.emit()
        else:
            self._failed(reply.errorString())
        self._pump()

    def _store(self, key: TileKey, data: bytes) -> None:
        path = self.cache_path(*key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # a name of its own: two consoles of one user share the cache directory
            fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                           suffix=".part")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(partial, path)
            except OSError:
                Path(partial).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a full or read-only disk costs the cache, not the map

    def _failed(self, reason: str) -> None:
        self._backoff_s = min(self.backoff_max_s, max(self.backoff_first_s, self._backoff_s * 2))
        self._retry_at = self._clock() + self._backoff_s
        self._drop_replies()  # the server is down for the others too
        self._set_status(
            QCoreApplication.translate("Basemap", "Base map could not be loaded: {reason}").format(
                reason=reason
            )
        )
        self._retry_timer.start(round(self._backoff_s * 1000))


class MBTilesSource(TileSource):
    """Tiles from an MBTiles 1.3 file (SQLite; rows counted from the south, TMS)."""

    def __init__(self, path: Path | str, parent: QObject | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise BasemapError(f"MBTiles file not found: {self.path}")
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            rows = self._db.execute("SELECT name, value FROM metadata").fetchall()
            self._db.execute(
                "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1"
            ).fetchall()
        except sqlite3.Error as e:
            raise BasemapError(f"not a readable MBTiles file: {self.path} ({e})") from e
        self.metadata = {str(k): str(v) for k, v in rows}
        try:
            zooms = self._db.execute(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles"
            ).fetchone()
            min_zoom = int(self.metadata.get("minzoom", zooms[0] if zooms[0] is not None else 0))
            max_zoom = int(self.metadata.get("maxzoom", zooms[1] if zooms[1] is not None else 0))
            bounds = self.metadata.get("bounds")
            self.bounds = (
                tuple(float(v) for v in bounds.split(","))
                if bounds
                else (-180.0, -85.0511, 180.0, 85.0511)
            )
            if len(self.bounds) != 4:
                raise ValueError(f"bounds {bounds!r}")
        except (ValueError, sqlite3.Error) as e:
            raise BasemapError(f"bad metadata in MBTiles file {self.path}: {e}") from e
        self.name = self.metadata.get("name", self.path.stem)
        self.format = self.metadata.get("format", "png")
        super().__init__(self.metadata.get("attribution", ""), min_zoom, max_zoom, parent)

    def _load(self, key: TileKey) -> QImage | None:
        z, x, y = key
        try:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, (1 << z) - 1 - y),
            ).fetchone()
        except sqlite3.Error as e:
            self._set_status(
                QCoreApplication.translate(
                    "Basemap", "Base map could not be loaded: {reason}"
                ).format(reason=f"{self.path.name}: {e}")
            )
            return None
        image = _decode(bytes(row[0])) if row is not None else None
        self._remember(key, image)
        return image

    def close(self) -> None:
        super().close()
        self._db.close()


# --- Web-Mercator tile arithmetic -------------------------------------------------------------
def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The (x, y) of the XYZ tile at zoom ``z`` that holds (lon, lat)."""
    n = 1 << z
    lat_r = math.radians(max(-85.0511, min(85.0511, lat)))
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return min(n - 1, max(0, x)), min(n - 1, max(0, y))


def tile_corner(z: int, x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of the north-west corner of tile (x, y); fractional x, y allowed."""
    n = 1 << z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / n))))
    return lon, lat


def metres_per_pixel(z: int, lat: float) -> float:
    """Ground size of one pixel of a 256-pixel tile at zoom ``z`` and latitude ``lat``."""
    return 156543.03392 * math.cos(math.radians(lat)) / (1 << z)
