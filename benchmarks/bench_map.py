"""Map frame times while panning and zooming a 1920×1080 offscreen map with 100k incidents,
1k units, 3k cameras (with view cones) and 16 wards, beside raw QPainter drawing the same
points in the same run.

A frame = change the view, then let Qt process the update that caused (exactly one paint of
the view a frame, counted), which runs everything a real frame runs: the range-changed
handlers (density/points switch), pyqtgraph's item painting, labels and the overlays. Every
step of the path both pans and zooms, so every frame is a full redraw at a new scale (nothing
drawn for an earlier frame can be reused): p95 is the cost of the heaviest views. Two raw
peers draw the ward outlines and every point in view, in the same run, on a plain QWidget of
the same size, with no Python per point:

- ``drawPoints``: one ``QPainter.drawPoints`` call per layer with a wide round antialiased pen
  (the peer the goal "≤ 2× raw QPainter" is judged against);
- ``sprites``: one pre-rendered dot per layer stamped with one ``drawPixmapFragments`` call per
  layer — what a careful raw QPainter program would do, and the harder floor.

Neither peer draws symbols by type, labels, cones or the density image; the map does.

Run alone: ``python -m benchmarks.bench_map [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
import pyqtgraph.functions as fn
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
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


LAYER_DOTS = (("#f76b15", 8), ("#52a9ff", 10), ("#3dd68c", 14))
"""Colour and pixel size of the raw peers' incident, camera and unit dots."""


def _dot(colour: str, size: int) -> QPixmap:
    image = QImage(size + 2, size + 2, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(QRectF(1, 1, size, size))
    p.end()
    return QPixmap.fromImage(image)


class RawMap(QWidget):
    """The peer: the same outlines and points, drawn by QPainter directly, either with
    ``drawPoints`` (``mode="points"``) or stamped from a dot pixmap (``mode="sprites"``)."""

    def __init__(self, data: dict[str, object], mode: str = "points") -> None:
        super().__init__()
        self.mode = mode
        self.dots = [_dot(c, s) for c, s in LAYER_DOTS]
        self.fragments = pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)
        edition: BoundaryEdition = data["edition"]  # type: ignore[assignment]
        self.rings = []
        for w in edition.wards:
            x, y = project(*np.asarray(w.geometry.exterior.coords).T)
            self.rings.append(QPolygonF([QPointF(a, b) for a, b in zip(x, y, strict=True)]))
        incs: list[Incident] = data["incidents"]  # type: ignore[assignment]
        self.ix, self.iy = project([i.lon for i in incs], [i.lat for i in incs])
        pos = list(data["positions"].values())  # type: ignore[attr-defined]
        self.ux, self.uy = project([p[0] for p in pos], [p[1] for p in pos])
        cams: list[Camera] = data["cameras"]  # type: ignore[assignment]
        self.cx, self.cy = project([c.lon for c in cams], [c.lat for c in cams])
        self.view = QRectF()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        v = self.view
        if v.isEmpty():
            return
        self.paints += 1
        sx = self.width() / v.width()
        transform = QTransform(sx, 0, 0, -sx, -v.left() * sx, v.bottom() * sx)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(style.BACKGROUND))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setTransform(transform)
        pen = QPen(QColor(style.WARD_OUTLINE), 1.0)  # as the map draws them
        pen.setCosmetic(True)
        p.setPen(pen)
        for ring in self.rings:
            p.drawPolyline(ring)
        for (xs, ys), (colour, size), dot in zip(
                ((self.ix, self.iy), (self.cx, self.cy), (self.ux, self.uy)), LAYER_DOTS,
                self.dots, strict=True):
            inside = ((xs >= v.left()) & (xs <= v.right()) & (ys >= v.top())
                      & (ys <= v.bottom()))
            count = int(np.count_nonzero(inside))
            if count == 0:
                continue
            if self.mode == "sprites":
                self.fragments.resize(count)
                frags = self.fragments.ndarray()
                frags[:, 0] = (xs[inside] - v.left()) * sx
                frags[:, 1] = (v.bottom() - ys[inside]) * sx
                frags[:, 2:6] = (0, 0, dot.width(), dot.height())
                frags[:, 6:10] = (1, 1, 0, 1)
                p.resetTransform()
                p.drawPixmapFragments(*self.fragments.drawargs(), dot)
                p.setTransform(transform)
                continue
            polygon = fn.create_qpolygonf(count)  # filled from numpy, no Python loop
            buffer = fn.ndarray_from_qpolygonf(polygon)
            buffer[:, 0], buffer[:, 1] = xs[inside], ys[inside]
            dot = QPen(QColor(colour), size)
            dot.setCosmetic(True)
            dot.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(dot)
            p.drawPoints(polygon)
        p.end()


def _frames(view_rects: list[QRectF], apply_view: Callable[[QRectF], None],
            app: QApplication) -> list[float]:
    """One frame: change the view, then let Qt process the update it caused. Measured here,
    that is exactly one paint of the view per frame (a forced ``repaint()`` before
    ``processEvents()`` paints twice: the scene queues its own update)."""
    times = []
    for rect in view_rects:
        t0 = time.perf_counter()
        apply_view(rect)
        app.processEvents()
        times.append(time.perf_counter() - t0)
    return times


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


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run(quick: bool, *, incidents: int = 100_000, units: int = 1_000,
        cameras: int = 3_000) -> dict[str, dict[str, float]]:
    app = QApplication.instance() or QApplication([])
    frames = 40 if quick else 200
    print(f"map: {incidents:,} incidents, {units:,} units, {cameras:,} cameras, 16 wards, "
          f"{WIDTH}×{HEIGHT} offscreen, {frames} frames a scenario", flush=True)
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
    print(f"  loading the data into the map: {time.perf_counter() - t0:.1f} s; map viewport "
          f"{viewport.width()}×{viewport.height()}", flush=True)
    raws = {mode: RawMap(data, mode) for mode in ("points", "sprites")}
    for raw in raws.values():
        raw.resize(WIDTH, HEIGHT)
        raw.show()
    app.processEvents()

    def set_map(rect: QRectF) -> None:
        canvas.view_box.setRange(rect, padding=0)

    def setter(raw: RawMap) -> Callable[[QRectF], None]:
        def set_raw(rect: QRectF) -> None:
            raw.view = rect
            raw.update()
        return set_raw

    paints = [0]
    original_draw = canvas.view.drawForeground

    def counting_draw(painter: QPainter, rect: QRectF) -> None:
        paints[0] += 1
        original_draw(painter, rect)

    canvas.view.drawForeground = counting_draw  # type: ignore[method-assign]

    centre = (LON0 + SPAN / 2, LAT0 + SPAN / 2)
    results: dict[str, dict[str, float]] = {}
    for name, width_m in (("district (density)", 6500.0), ("streets (points)", 1200.0)):
        rects = _path(centre, width_m, frames)
        _frames(rects[:5], set_map, app)  # warm-up
        paints[0] = 0
        for raw in raws.values():
            raw.paints = 0
        map_t = _frames(rects, set_map, app)
        mode = canvas.incidents.mode
        raw_t = {m: _frames(rects, setter(raw), app) for m, raw in raws.items()}
        drawn = [paints[0]] + [raw.paints for raw in raws.values()]
        if min(drawn) < len(rects):
            print(f"  warning: {drawn} paints (map, drawPoints, sprites) for {len(rects)} "
                  "frames: some frames were not drawn", flush=True)
        figures = {"map_p50": _pct(map_t, 50) * 1e3, "map_p95": _pct(map_t, 95) * 1e3,
                   "raw_p50": _pct(raw_t["points"], 50) * 1e3,
                   "raw_p95": _pct(raw_t["points"], 95) * 1e3,
                   "sprites_p50": _pct(raw_t["sprites"], 50) * 1e3,
                   "sprites_p95": _pct(raw_t["sprites"], 95) * 1e3}
        m95 = figures["map_p95"]
        ratio = m95 / figures["raw_p95"] if figures["raw_p95"] else float("inf")
        ratio_sprites = m95 / figures["sprites_p95"] if figures["sprites_p95"] else float("inf")
        print(f"  {name} (incidents drawn as {mode}):", flush=True)
        print(f"    map                       p50 {figures['map_p50']:7.2f} ms  "
              f"p95 {m95:7.2f} ms", flush=True)
        print(f"    raw QPainter drawPoints   p50 {figures['raw_p50']:7.2f} ms  "
              f"p95 {figures['raw_p95']:7.2f} ms   map/raw p95 {ratio:5.2f}×", flush=True)
        print(f"    raw QPainter sprites      p50 {figures['sprites_p50']:7.2f} ms  "
              f"p95 {figures['sprites_p95']:7.2f} ms   map/raw p95 {ratio_sprites:5.2f}×",
              flush=True)
        print(f"    goals: p95 ≤ {GOAL_P95_MS:.0f} ms {_verdict(m95 <= GOAL_P95_MS)}; "
              f"≤ 2× raw drawPoints {_verdict(ratio <= 2.0)}; "
              f"(≤ 2× raw sprites {_verdict(ratio_sprites <= 2.0)})", flush=True)
        results[name] = figures
    canvas.close()
    canvas.deleteLater()
    for raw in raws.values():
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
