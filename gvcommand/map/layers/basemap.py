"""The base map under every other layer: Web-Mercator tiles drawn into EPSG:9210 metres.

Each tile is drawn with the affine map that takes its north-west, north-east and south-west
corners (Mercator → WGS 84 → EPSG:9210) to where they belong; over a tile of a district-scale
zoom the residual of that approximation is far below a pixel, and neighbouring tiles share
corners exactly, so there are no seams. The attribution and any loading notice sit in small
labels over the map view.

The layer owns its source (see ``gvcommand.map.basemap``): the source becomes a Qt child of the
tiles item, so it is deleted with the map view on the GUI thread, never by the garbage collector
in some other thread; a replaced source is closed and deleted at once.
"""

from __future__ import annotations

import math
import weakref

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QLabel, QStyleOptionGraphicsItem, QWidget

from .. import style
from .._projection import project_point, unproject_point
from ..basemap import TileKey, TileSource, metres_per_pixel, tile_corner, tile_of
from .base import Layer

TILE_PX = 256  # tiles of another size are scaled to it
ANCESTOR_LEVELS = 4  # how many zoom levels up a missing tile is looked for
MAX_TILES = 96  # a 4K screen at a zoom between two levels needs ~60
BASEMAP_Z = -100.0  # below every data layer, whatever their order


class _TilesItem(pg.GraphicsObject):
    def __init__(self, layer: BasemapLayer) -> None:
        super().__init__()
        # weak: no layer <-> item cycle, which only the garbage collector could break
        self._layer_ref = weakref.ref(layer)
        self._bounds = QRectF()

    @property
    def _layer(self) -> BasemapLayer | None:
        return self._layer_ref()

    def set_bounds(self, rect: QRectF) -> None:
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    # the source's signals land on this QObject (bound slots, no lambdas): its connections
    # end with the view, like the source itself, which is this item's Qt child
    def on_source_changed(self) -> None:
        layer = self._layer
        if layer is not None:
            layer.source_changed()

    def on_source_status(self, _text: str) -> None:
        layer = self._layer
        if layer is not None:
            layer.update_overlay()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        layer = self._layer
        source = layer.source if layer is not None else None
        if layer is None or source is None:
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for key in layer.visible_tiles:
            image = source.tile(*key)
            part = None
            if image is None:
                # still loading, or no such tile: the part of a coarser tile that covers it
                found = layer.ancestor(key)
                if found is None:
                    continue
                image, part = found
            painter.save()
            painter.setTransform(layer.tile_transform(key), combine=True)
            if part is None:
                painter.drawImage(QRectF(0, 0, TILE_PX, TILE_PX), image)
            else:
                painter.drawImage(QRectF(0, 0, TILE_PX, TILE_PX), image, part)
            painter.restore()


class _Overlay(QObject):
    """Attribution (bottom right) and notice (top left) labels kept in place over a widget."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.host = host
        sheet = (f"color: {style.OVERLAY_TEXT}; background: rgba(27, 31, 36, 200); "
                 "padding: 1px 4px; font-size: 8pt;")
        self.attribution = QLabel(host)
        self.attribution.setObjectName("map_attribution")
        self.attribution.setStyleSheet(sheet)
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.notice = QLabel(host)
        self.notice.setObjectName("map_basemap_notice")
        self.notice.setStyleSheet(sheet.replace(style.OVERLAY_TEXT, style.MEASURE))
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.attribution.hide()
        self.notice.hide()
        host.installEventFilter(self)

    def set_texts(self, attribution: str, notice: str) -> None:
        for label, text in ((self.attribution, attribution), (self.notice, notice)):
            label.setText(text)
            label.adjustSize()
            label.setVisible(bool(text))
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        w, h = self.host.width(), self.host.height()
        a = self.attribution
        a.move(max(0, w - a.width()), max(0, h - a.height()))
        self.notice.move(8, 8)
        a.raise_()
        self.notice.raise_()


class BasemapLayer(Layer):
    name = "basemap"

    def __init__(self) -> None:
        super().__init__()
        self.item = _TilesItem(self)
        self.items = [self.item]
        self.source: TileSource | None = None
        self.zoom: int | None = None
        self.visible_tiles: list[TileKey] = []
        self._view_rect = QRectF()
        self._pixel_m = 0.0
        self._overlay: _Overlay | None = None
        self._transforms: dict[TileKey, tuple[int, int, QTransform]] = {}
        self.set_z(BASEMAP_Z)

    def attach(self, host: QWidget) -> None:
        """Show the attribution and notices over ``host`` (the map view)."""
        self._overlay = _Overlay(host)
        self.update_overlay()

    @property
    def attribution_label(self) -> QLabel | None:
        return self._overlay.attribution if self._overlay is not None else None

    @property
    def notice_label(self) -> QLabel | None:
        return self._overlay.notice if self._overlay is not None else None

    def set_source(self, source: TileSource | None) -> None:
        """Show tiles from ``source`` (None: no base map). The layer takes the source: it
        becomes a Qt child of the tiles item and dies with the view; the source it replaces
        is closed (fetches aborted, nothing signalled any more) and deleted."""
        old = self.source
        if old is source:
            self._recompute()
            return
        self.source = source
        self._transforms.clear()
        if old is not None:
            old.changed.disconnect(self.item.on_source_changed)
            old.status_changed.disconnect(self.item.on_source_status)
            old.close()
            old.deleteLater()
        if source is not None:
            source.setParent(self.item)
            source.changed.connect(self.item.on_source_changed)
            source.status_changed.connect(self.item.on_source_status)
        self._recompute()
        self.update_overlay()

    def set_z(self, z: float) -> None:
        super().set_z(BASEMAP_Z)  # always the bottom layer

    def _sync_visibility(self) -> None:
        super()._sync_visibility()
        self.update_overlay()

    # --- view ----------------------------------------------------------------------------
    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        self._view_rect = QRectF(view_rect)
        self._pixel_m = pixel_m
        self._recompute()

    def missing_tiles(self) -> list[TileKey]:
        """Visible tiles the source has not delivered yet."""
        if self.source is None:
            return []
        return [k for k in self.visible_tiles if not self.source.has_tile(*k)]

    def choose_zoom(self, pixel_m: float, lat: float) -> int:
        """The zoom whose tile pixels are closest (in log scale) to the view's pixels."""
        assert self.source is not None
        if pixel_m <= 0 or not math.isfinite(pixel_m):
            return self.source.min_zoom
        z = round(math.log2(metres_per_pixel(0, lat) / pixel_m))
        return min(self.source.max_zoom, max(self.source.min_zoom, z))

    def _recompute(self) -> None:
        rect = self._view_rect
        if self.source is None or rect.isEmpty():
            self.zoom = None
            self.visible_tiles = []
            self.item.set_bounds(QRectF() if self.source is None else rect)
            return
        corners = [unproject_point(p.x(), p.y()) for p in
                   (rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight())]
        lons = [c[0] for c in corners]
        lats = [c[1] for c in corners]
        z = self.choose_zoom(self._pixel_m, (min(lats) + max(lats)) / 2)
        x0, y0 = tile_of(min(lons), max(lats), z)  # north-west
        x1, y1 = tile_of(max(lons), min(lats), z)  # south-east
        while (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES and z > self.source.min_zoom:
            z -= 1
            x0, y0, x1, y1 = x0 // 2, y0 // 2, x1 // 2, y1 // 2
        self.zoom = z
        self.visible_tiles = [(z, x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
        if self.visible:
            for key in self.visible_tiles:
                self.source.tile(*key)  # ask for them now, not at the next paint
        self.item.set_bounds(rect)

    def tile_transform(self, key: TileKey) -> QTransform:
        """Tile pixels (0..TILE_PX) → map metres for tile ``key``."""
        cached = self._transforms.get(key)
        if cached is not None:
            return cached
        z, x, y = key
        nw = project_point(*tile_corner(z, x, y))
        ne = project_point(*tile_corner(z, x + 1, y))
        sw = project_point(*tile_corner(z, x, y + 1))
        t = QTransform((ne[0] - nw[0]) / TILE_PX, (ne[1] - nw[1]) / TILE_PX,
                       (sw[0] - nw[0]) / TILE_PX, (sw[1] - nw[1]) / TILE_PX, nw[0], nw[1])
        if len(self._transforms) > 4 * MAX_TILES:
            self._transforms.clear()
        self._transforms[key] = t
        return t

    def ancestor(self, key: TileKey) -> tuple[QImage, QRectF] | None:
        """A coarser tile covering ``key`` and the part of it (its pixels) that does.

        Tiles in memory only while ``key`` is loading; when the source has no ``key`` at
        all (beyond an MBTiles file's levels) the parent is fetched: over-zooming."""
        source = self.source
        if source is None:
            return None
        z, x, y = key
        known_missing = source.has_tile(z, x, y)
        for up in range(1, min(ANCESTOR_LEVELS, z - source.min_zoom) + 1):
            pz, px, py = z - up, x >> up, y >> up
            image = (source.tile(pz, px, py) if known_missing
                     else source.cached(pz, px, py))
            if image is None:
                if known_missing and not source.has_tile(pz, px, py):
                    return None  # being fetched; drawn when it arrives
                continue
            n = 1 << up
            w, h = image.width() / n, image.height() / n
            return image, QRectF((x - (px << up)) * w, (y - (py << up)) * h, w, h)
        return None

    # --- source signals ------------------------------------------------------------------
    def source_changed(self) -> None:
        if self.visible and self.source is not None:
            for key in self.missing_tiles():
                self.source.tile(*key)  # re-ask after a retry delay
        self.item.update()

    def update_overlay(self) -> None:
        if self._overlay is None:
            return
        if self.source is None or not self.visible:
            self._overlay.set_texts("", "")
        else:
            self._overlay.set_texts(self.source.attribution, self.source.status)
