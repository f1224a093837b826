"""Map frame times while panning and zooming a 1920×1080 offscreen map with 100k incidents,
1k units, 3k cameras (with view cones) and 16 wards, beside a like-for-like raw QPainter peer
in the same run.

A frame = change the view, then let Qt process the update that caused (exactly one paint of
the view a frame, counted), which runs everything a real frame runs: the range-changed
handlers (density/points switch), pyqtgraph's item painting, labels and the overlays. Every
step of the path both pans and zooms, so every frame is a full redraw at a new scale (nothing
drawn for an earlier frame can be reused): p95 is the cost of the heaviest views.

Two scenarios: the district (a view 2.6–10.4 km wide, where the incidents are a density
image) and the streets (0.5–1.9 km, where they are symbols, and cones and call signs show).

The peer (``RawMap``) draws what the map shows, on a plain QWidget of the same size, with no
Python per feature: the same outlines, the same pre-rendered symbols at the same positions
(one ``drawPixmapFragments`` call a layer), the same label sprites, the cameras' view cones
filled as their union and outlined (as the map does it: each cone written into a clear
layer, the layer blended once, the outlines one path), and at district scale the same
binning as one image. Only the scale bar and north arrow are the map's alone. The map's and
the peer's frames alternate, so a busy neighbour weighs on both alike; the peer draws the
view the map ended up with, and shows the incidents the same way (checked every frame).

The same peer without the cones is measured too and its ratio printed (no goal): the cones
cost the map ~2.5 ms a frame at street scale, as much as that peer's whole frame, so the
ratio against it mostly says how much the cones cost, not how much the map's machinery does.

Goals: p95 ≤ 16 ms a frame, and ≤ 2× the like-for-like peer's p95.

Run alone: ``python -m benchmarks.bench_map [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
import pyqtgraph.functions as fn
import shapely
from pyqtgraph.graphicsItems.ScatterPlotItem import SymbolAtlas
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QApplication, QWidget

from gvcommand.core.model import (
    Camera,
    CameraOwner,
    Force,
    Incident,
    IncidentSource,
    IncidentType,
    Unit,
    UnitStatus,
)
from gvcommand.geo.editions import BoundaryEdition, WardBoundary
from gvcommand.map import style
from gvcommand.map._projection import project
from gvcommand.map.canvas import MapCanvas
from gvcommand.map.layers._labels import label_sprites
from gvcommand.map.layers._sprites import Style
from gvcommand.map.layers.cameras import (
    CAMERA_OWNERS,
    CONES_MAX_M_PER_PX,
    ICONS_MAX_M_PER_PX,
    camera_styles,
    cone_coords,
)
from gvcommand.map.layers.incidents import (
    DENSITY_MAX_POINTS,
    DENSITY_WIDTH_M,
    _density_lut,
    density_grid,
    incident_style,
    incident_styles,
)
from gvcommand.map.layers.units import unit_style, unit_styles

from ._common import at_least, at_most, line, report

WIDTH, HEIGHT = 1920, 1080
LON0, LAT0, SPAN = 106.635, 10.815, 0.052  # Gò Vấp and a margin
GOAL_P95_MS = 16.0
NOW_US = 1_780_000_000_000_000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def make_data(incidents: int, units: int, cameras: int, seed: int = 7) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    step = SPAN / 4
    wards = []
    for i in range(4):
        for j in range(4):
            # segmentized boxes: real outlines have hundreds of vertices
            geom = shapely.segmentize(shapely.box(LON0 + j * step, LAT0 + i * step,
                                                  LON0 + (j + 1) * step,
                                                  LAT0 + (i + 1) * step), 0.0001)
            wards.append(WardBoundary(f"P{i * 4 + j + 1:02d}", f"Phường {i * 4 + j + 1}",
                                      geom))
    edition = BoundaryEdition("bench", __import__("datetime").date(2025, 7, 1), None,
                              tuple(wards))
    # incidents: 70 % around 40 hot spots (markets, junctions), 30 % spread out, over 7 days
    hot = rng.uniform([LON0, LAT0], [LON0 + SPAN, LAT0 + SPAN], size=(40, 2))
    n_hot = int(incidents * 0.7)
    pick = rng.integers(0, 40, n_hot)
    hot_pts = hot[pick] + rng.normal(0, 0.0015, size=(n_hot, 2))
    flat = rng.uniform([LON0, LAT0], [LON0 + SPAN, LAT0 + SPAN], size=(incidents - n_hot, 2))
    pts = np.vstack([hot_pts, flat])
    types = list(IncidentType)
    created = NOW_US - rng.integers(0, 7 * 24 * 3600 * 1_000_000, incidents)
    type_idx = rng.integers(0, len(types), incidents)
    prio = rng.integers(1, 5, incidents)
    incs = [Incident(f"i{k}", k, types[type_idx[k]], int(prio[k]), float(pts[k, 0]),
                     float(pts[k, 1]), IncidentSource.PHONE, created_us=int(created[k]))
            for k in range(incidents)]
    forces, statuses = list(Force), list(UnitStatus)
    unit_list = [Unit(f"U{k:04d}", forces[k % 4], status=statuses[k % 6]) for k in range(units)]
    upos = rng.uniform([LON0, LAT0], [LON0 + SPAN, LAT0 + SPAN], size=(units, 2))
    positions = {u.call_sign: (float(upos[k, 0]), float(upos[k, 1]))
                 for k, u in enumerate(unit_list)}
    cpos = rng.uniform([LON0, LAT0], [LON0 + SPAN, LAT0 + SPAN], size=(cameras, 2))
    owners = list(CameraOwner)
    cams = [Camera(f"C{k:04d}", f"Camera {k}", float(cpos[k, 0]), float(cpos[k, 1]),
                   owners[k % 3], azimuth_deg=float(rng.uniform(0, 360)), fov_deg=60.0,
                   range_m=80.0) for k in range(cameras)]
    return {"edition": edition, "incidents": incs, "units": unit_list,
            "positions": positions, "cameras": cams}


class RawMap(QWidget):
    """The like-for-like peer: what the map shows, drawn by QPainter directly on a plain
    widget of the same size, with no Python per feature.

    The same ward outlines (one antialiased cosmetic pixel); the incidents as the map shows
    them in that view (the same rule: wider than ``DENSITY_WIDTH_M`` or more than
    ``DENSITY_MAX_POINTS`` in view) either as the same pre-rendered symbols, stamped with
    one ``drawPixmapFragments`` call, or as the same binning (``density_grid``, coloured
    once through the same look-up table) drawn as one image; the cameras' view cones
    (``draw_cones``); the cameras' and units' same symbols (icons or dots at the map's
    threshold) and the same label sprites (ward names, call signs under the same limit).
    The symbol images come from the map's own style tables, rendered by the same atlas.
    Points are culled like the map's (sorted by x, one binary search). Not drawn here: the
    scale bar and north arrow, which the map pays for within its ratio."""

    def __init__(self, data: dict[str, object]) -> None:
        super().__init__()
        palette = style.DARK
        self.background = QColor(palette.background)
        self.outline_pen = QPen(QColor(palette.ward_outline), 1.0)
        self.outline_pen.setCosmetic(True)
        edition: BoundaryEdition = data["edition"]  # type: ignore[assignment]
        self.rings = []
        for w in edition.wards:
            x, y = project(*np.asarray(w.geometry.exterior.coords).T)
            self.rings.append(QPolygonF([QPointF(a, b) for a, b in zip(x, y, strict=True)]))
        incs: list[Incident] = data["incidents"]  # type: ignore[assignment]
        ix, iy = project([i.lon for i in incs], [i.lat for i in incs])
        types = {t: k for k, t in enumerate(style.INCIDENT_TYPES)}
        istyle = incident_style([types[i.type] for i in incs], [i.priority for i in incs])
        self.incidents = _Sprites(ix, iy, istyle, incident_styles(palette))
        grid = density_grid(ix, iy)
        assert grid is not None
        image, top, self.density_rect = grid
        argb, alpha = fn.makeARGB(image, lut=_density_lut(palette), levels=(0.0, top))
        self.density = fn.makeQImage(argb, alpha, transpose=False).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
        cams: list[Camera] = data["cameras"]  # type: ignore[assignment]
        cx, cy = project([c.lon for c in cams], [c.lat for c in cams])
        cstyle = [CAMERA_OWNERS.index(c.owner) for c in cams]
        self.cones = _Cones(cams, cx, cy, palette)
        self.draw_cones = True
        self.camera_icons = _Sprites(cx, cy, cstyle, camera_styles(palette, dots=False))
        self.camera_dots = _Sprites(cx, cy, cstyle, camera_styles(palette, dots=True))
        units: list[Unit] = data["units"]  # type: ignore[assignment]
        positions: dict[str, tuple[float, float]] = data["positions"]  # type: ignore[assignment]
        ux, uy = project([positions[u.call_sign][0] for u in units],
                         [positions[u.call_sign][1] for u in units])
        self.units = _Sprites(ux, uy, [unit_style(u.force, u.status) for u in units],
                              unit_styles(palette))
        self.unit_labels = _Labels(ux, uy, [u.call_sign for u in units], palette, 300,
                                   offset=10.0, bold=True, colour=palette.label_text)
        centres = [w.geometry.representative_point() for w in edition.wards]
        wx, wy = project([c.x for c in centres], [c.y for c in centres])
        self.ward_labels = _Labels(wx, wy, [w.name for w in edition.wards], palette, 100,
                                   offset=None, bold=False, colour=palette.ward_label)
        self.view = QRectF()
        self.paints = 0
        self.mode = "points"

    def paintEvent(self, event: QPaintEvent) -> None:
        v = self.view
        if v.isEmpty():
            return
        self.paints += 1
        sx = self.width() / v.width()
        transform = QTransform(sx, 0, 0, -sx, -v.left() * sx, v.bottom() * sx)
        p = QPainter(self)
        # a clip rect, though the widget clips anyway: Qt strokes a semi-transparent cosmetic
        # pen (the cones' outlines) 20× faster with one (4.8 → 0.24 ms here); the map's
        # items always have one (the view box clips them)
        p.setClipRect(self.rect())
        p.fillRect(self.rect(), self.background)
        p.setTransform(transform)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(self.outline_pen)
        for ring in self.rings:
            p.drawPolyline(ring)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.ward_labels.draw(p, transform, v)
        pixel_m = 1 / sx
        dense = v.width() > DENSITY_WIDTH_M or self.incidents.count_in(v) > DENSITY_MAX_POINTS
        self.mode = "density" if dense else "points"
        if dense:
            p.drawImage(self.density_rect, self.density)
        else:
            self.incidents.draw(p, transform, v)
        if self.draw_cones:
            self.cones.draw(p, transform, v)
        cameras = self.camera_dots if pixel_m > ICONS_MAX_M_PER_PX else self.camera_icons
        cameras.draw(p, transform, v)
        self.units.draw(p, transform, v)
        self.unit_labels.draw(p, transform, v)
        p.end()


class _Sprites:
    """Points stamped from an atlas of pre-rendered symbols (pyqtgraph's SymbolAtlas, the
    same images as the map's), culled to the view with one binary search on x."""

    def __init__(self, x: np.ndarray, y: np.ndarray, styles: object,
                 table: list[Style]) -> None:
        order = np.argsort(x, kind="stable")
        self.x, self.y = np.asarray(x, dtype=float)[order], np.asarray(y, dtype=float)[order]
        self.style = np.asarray(styles, dtype=np.intp)[order]
        self.order = order  # drawing order: the order the points were given
        self.atlas = SymbolAtlas()
        self.rects = np.asarray(self.atlas[table], dtype=float).reshape(-1, 4)
        self.pixmap = self.atlas.pixmap
        self.reach_px = float(self.rects[:, 2:4].max()) / 2
        self.fragments = pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def _in(self, v: QRectF, pad: float) -> np.ndarray:
        lo = int(np.searchsorted(self.x, v.left() - pad, side="left"))
        hi = int(np.searchsorted(self.x, v.right() + pad, side="right"))
        ys = self.y[lo:hi]
        band = np.flatnonzero((ys >= v.top() - pad) & (ys <= v.bottom() + pad)) + lo
        return band[np.argsort(self.order[band], kind="stable")]

    def count_in(self, v: QRectF) -> int:
        return int(self._in(v, 0.0).size)

    def draw(self, p: QPainter, t: QTransform, v: QRectF) -> None:
        sel = self._in(v, self.reach_px / t.m11())
        if sel.size == 0:
            return
        self.fragments.resize(sel.size)
        frags = self.fragments.ndarray()
        frags[:, 0] = t.m11() * self.x[sel] + t.m31()
        frags[:, 1] = t.m22() * self.y[sel] + t.m32()
        frags[:, 2:6] = self.rects[self.style[sel]]
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        p.save()
        p.resetTransform()
        p.drawPixmapFragments(*self.fragments.drawargs(), self.pixmap)
        p.restore()


class _Cones:
    """The cameras' view cones as the map fills them (their union: each cone written into a
    clear layer, the layer blended once) and outlines them (one cosmetic pixel), for the
    cameras within reach of the view; none beyond ``CONES_MAX_M_PER_PX``."""

    def __init__(self, cams: list[Camera], x: np.ndarray, y: np.ndarray,
                 palette: style.MapPalette) -> None:
        keep = [k for k, c in enumerate(cams)
                if c.azimuth_deg is not None and c.fov_deg and c.range_m]
        rings = cone_coords(x[keep], y[keep],
                            np.array([cams[k].azimuth_deg for k in keep], dtype=float),
                            np.array([min(cams[k].fov_deg or 0.0, 359.0) for k in keep]),
                            np.array([cams[k].range_m for k in keep], dtype=float))
        order = np.argsort(x[keep], kind="stable")
        self.x, self.y = x[keep][order], y[keep][order]
        self.reach = float(max((cams[k].range_m or 0.0) for k in keep)) if keep else 0.0
        self.rings = rings[order]
        self.polygons = []
        for ring in self.rings:
            polygon = fn.create_qpolygonf(len(ring))
            fn.ndarray_from_qpolygonf(polygon)[:] = ring
            self.polygons.append(polygon)
        self.brush = QBrush(palette.cone_fill)
        self.pen = QPen(palette.cone_line)
        self.pen.setCosmetic(True)
        self.layer = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)

    def draw(self, p: QPainter, t: QTransform, v: QRectF) -> None:
        if v.width() / WIDTH > CONES_MAX_M_PER_PX:
            return
        r = self.reach
        lo = int(np.searchsorted(self.x, v.left() - r, side="left"))
        hi = int(np.searchsorted(self.x, v.right() + r, side="right"))
        ys = self.y[lo:hi]
        sel = np.flatnonzero((ys >= v.top() - r) & (ys <= v.bottom() + r)) + lo
        if sel.size == 0:
            return
        chosen = [self.polygons[k] for k in sel]
        self.layer.fill(Qt.GlobalColor.transparent)
        layer = QPainter(self.layer)
        layer.setTransform(t)
        layer.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        layer.setPen(Qt.PenStyle.NoPen)
        layer.setBrush(self.brush)
        for polygon in chosen:
            layer.drawPolygon(polygon)
        layer.end()
        p.save()
        p.resetTransform()
        p.drawImage(0, 0, self.layer)
        p.restore()
        rings = np.concatenate([self.rings[sel], np.full((sel.size, 1, 2), np.nan)], axis=1)
        outline = pg.arrayToQPath(rings[:, :, 0].ravel(), rings[:, :, 1].ravel(),
                                  connect="finite")
        p.setPen(self.pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(outline)


class _Labels:
    """Labels pre-rendered once (``label_sprites``, as the map's), stamped beside their
    points (``offset`` pixels to the right) or centred on them, none when more than
    ``limit`` are in view."""

    def __init__(self, x: np.ndarray, y: np.ndarray, texts: list[str],
                 palette: style.MapPalette, limit: int, *, offset: float | None, bold: bool,
                 colour: str) -> None:
        font = QFont()
        font.setPointSizeF(9.0)
        font.setBold(bold)
        halo = QColor(palette.label_halo)
        halo.setAlpha(palette.label_halo_alpha)
        self.sprites = label_sprites(texts, font, QPen(QColor(colour)), halo)
        self.height = QFontMetricsF(font).height()
        self.x, self.y, self.limit, self.offset = x, y, limit, offset
        self.fragments = pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def draw(self, p: QPainter, t: QTransform, v: QRectF) -> None:
        inside = np.flatnonzero((self.x >= v.left()) & (self.x <= v.right())
                                & (self.y >= v.top()) & (self.y <= v.bottom()))
        if inside.size == 0 or inside.size > self.limit:
            return
        px = t.m11() * self.x[inside] + t.m31()
        py = t.m22() * self.y[inside] + t.m32()
        s = self.sprites
        left = px + self.offset if self.offset is not None else px - s.text_w[inside] / 2
        self.fragments.resize(inside.size)
        frags = self.fragments.ndarray()
        frags[:, 0] = np.floor(left - 3 + 0.5) + s.sprite_w[inside] / 2
        frags[:, 1] = np.floor(py - self.height / 2 + 0.5) + s.sprite_h / 2
        frags[:, 2:6] = s.src[inside]
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        p.save()
        p.resetTransform()
        p.drawPixmapFragments(*self.fragments.drawargs(), s.pixmap)
        p.restore()


def _frame(apply_view: Callable[[], None], painted: Callable[[], int],
           app: QCoreApplication) -> float:
    """One frame: change the view, then let Qt process events until the widget has painted
    and a further pass paints nothing more. A paint may queue work that paints again (it
    did: pyqtgraph moved the items in the paint, which dirtied the scene): that second paint
    belongs to the frame, and must not land in the next one, nor in the peer's."""
    t0 = time.perf_counter()
    before = painted()
    apply_view()
    for _ in range(1000):
        app.processEvents()
        if painted() > before:
            break
    while True:
        n = painted()
        app.processEvents()
        if painted() == n:
            break
    return time.perf_counter() - t0


def _path(centre: tuple[float, float], width_m: float, frames: int) -> list[QRectF]:
    """A pan across and a zoom in and out around ``centre``, ``frames`` steps."""
    x0, y0 = project([centre[0]], [centre[1]])
    rects = []
    for k in range(frames):
        phase = k / max(1, frames - 1)
        zoom = 1.0 + 0.6 * np.sin(phase * 2 * np.pi)  # zoom out and back in
        w = width_m * zoom
        h = w * HEIGHT / WIDTH
        dx = (phase - 0.5) * width_m * 0.8  # pan west to east
        dy = 0.15 * width_m * np.sin(phase * 4 * np.pi)
        rects.append(QRectF(x0[0] + dx - w / 2, y0[0] + dy - h / 2, w, h))
    return rects


def run(quick: bool, *, incidents: int = 100_000, units: int = 1_000,
        cameras: int = 3_000) -> dict[str, dict[str, float]]:
    app = QApplication.instance() or QApplication([])
    frames = 40 if quick else 200
    print(f"map: {incidents:,} incidents, {units:,} units, {cameras:,} cameras, 16 wards, "
          f"{WIDTH}×{HEIGHT} offscreen, {frames} frames a scenario, the map's and the peer's "
          "frames alternating", flush=True)
    t0 = time.perf_counter()
    data = make_data(incidents, units, cameras)
    canvas = MapCanvas()
    canvas.resize(WIDTH, HEIGHT + canvas.readout.sizeHint().height())
    canvas.show()
    app.processEvents()
    viewport = canvas.view.viewport()
    # the bottom row's height is the taller of the read-out and the button: make the map
    # itself exactly WIDTH × HEIGHT
    canvas.resize(WIDTH, canvas.height() + HEIGHT - viewport.height())
    canvas.set_wards(data["edition"])  # type: ignore[arg-type]
    canvas.set_incidents(data["incidents"])  # type: ignore[arg-type]
    canvas.set_units(data["units"], data["positions"])  # type: ignore[arg-type]
    canvas.set_cameras(data["cameras"])  # type: ignore[arg-type]
    app.processEvents()
    line("loading the data into the map", f"{time.perf_counter() - t0:.1f} s; map viewport "
         f"{viewport.width()}×{viewport.height()}")
    raw = RawMap(data)
    raw.resize(WIDTH, HEIGHT)
    raw.show()
    app.processEvents()

    paints = [0]
    original_draw = canvas.view.drawForeground

    def counting_draw(painter: QPainter, rect: QRectF) -> None:
        paints[0] += 1
        original_draw(painter, rect)

    canvas.view.drawForeground = counting_draw  # type: ignore[method-assign]

    centre = (LON0 + SPAN / 2, LAT0 + SPAN / 2)
    results: dict[str, dict[str, float]] = {}
    for name, width_m in (("district", 6500.0), ("streets", 1200.0)):
        rects = _path(centre, width_m, frames)
        times: dict[str, list[float]] = {"map": [], "peer": [], "bare": []}
        modes: list[tuple[str, str]] = []
        paints[0] = raw.paints = 0
        warm = 5
        for k, rect in enumerate(rects[:warm] + rects):
            # the map's frame, then the peer's over the view the map ended up with (the
            # view box keeps the aspect), with the cones and without: all see the same load
            t_map = _frame(lambda r=rect: canvas.view_box.setRange(r, padding=0),
                           lambda: paints[0], app)
            t_raw = {}
            for part, cones in (("peer", True), ("bare", False)):
                def set_raw(cones: bool = cones) -> None:
                    raw.view = canvas.view_box.viewRect()
                    raw.draw_cones = cones
                    raw.update()

                t_raw[part] = _frame(set_raw, lambda: raw.paints, app)
            if k >= warm:
                times["map"].append(t_map)
                times["peer"].append(t_raw["peer"])
                times["bare"].append(t_raw["bare"])
                modes.append((canvas.incidents.mode, raw.mode))
        map_paints, raw_paints = paints[0] - warm, (raw.paints - 2 * warm) / 2
        shown = Counter(m for m, _ in modes)
        differ = sum(a != b for a, b in modes)
        figures = {f"{part}_p{q}": _pct(t, q) * 1e3 for part, t in times.items()
                   for q in (50, 95)}
        m95, r95, b95 = figures["map_p95"], figures["peer_p95"], figures["bare_p95"]
        print(f"  {name} ({width_m:,.0f} m wide ×0.4–1.6; incidents drawn as "
              + ", ".join(f"{mode} in {n} frames" for mode, n in sorted(shown.items()))
              + ")", flush=True)
        report(f"{name}: paints by the map / by the peer (for {len(rects)} frames)",
               min(map_paints, raw_paints), "frames", at_least(len(rects), f"≥ {len(rects)}"),
               text=f"{map_paints} / {raw_paints:g}")
        report(f"{name}: frames where the peer showed the incidents otherwise", differ,
               "frames", at_most(0, "0"), text=str(differ))
        report(f"{name}: map frame, p95", m95, "ms", at_most(GOAL_P95_MS, "p95 ≤ 16 ms"),
               text=f"p50 {figures['map_p50']:.2f} ms, p95 {m95:.2f} ms")
        report(f"{name}: peer: raw QPainter, the same sprites, cones and image, p95", r95, "ms",
               text=f"p50 {figures['peer_p50']:.2f} ms, p95 {r95:.2f} ms")
        report(f"{name}: peer without the cones, p95", b95, "ms",
               text=f"p50 {figures['bare_p50']:.2f} ms, p95 {b95:.2f} ms")
        ratio = m95 / r95 if r95 else float("inf")
        report(f"{name}: map / peer, p95", ratio, "×", at_most(2.0, "≤ 2×"),
               text=f"{ratio:.2f}× (p50 {figures['map_p50'] / figures['peer_p50']:.2f}×)")
        bare = m95 / b95 if b95 else float("inf")
        report(f"{name}: map / peer without the cones, p95", bare, "×",
               text=f"{bare:.2f}× (p50 {figures['map_p50'] / figures['bare_p50']:.2f}×)")
        results[name] = figures
    canvas.close()
    canvas.deleteLater()
    raw.close()
    raw.deleteLater()
    app.processEvents()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_map", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer frames (a smoke check)")
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
