"""Incidents: points coloured by type and shaped by priority when zoomed in, a density image
of the same incidents when zoomed out; both restricted to a time window.

Why two representations: 100k scatter points cost 57–121 ms a frame here, the same data
binned into one image 12 ms (ARCHITECTURE.md, pitfalls).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage

from gvcommand.core.model import EXERCISE_LABEL, Incident

from .. import style
from .._projection import project
from ._sprites import SpriteScatter, Style
from .base import Layer, spot_hit

DENSITY_WIDTH_M = 3000.0
"""A view wider than this shows the density image."""
DENSITY_MAX_POINTS = 5000
"""More incidents than this in view also shows the density image."""
CELL_M = 40.0
"""Density cell size: about a city block."""
BLUR_CELLS = 2.0
"""Gaussian smoothing (in cells) so a hot spot reads as a glow, not a lone pixel."""


def _blur(image: npt.NDArray[np.float64], sigma: float) -> npt.NDArray[np.float64]:
    """Separable Gaussian blur with numpy only (two 1-D convolutions)."""
    radius = max(1, int(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    k /= k.sum()
    rows = np.apply_along_axis(np.convolve, 1, np.pad(image, ((0, 0), (radius, radius))),
                               k, mode="valid")
    return np.apply_along_axis(np.convolve, 0, np.pad(rows, ((radius, radius), (0, 0))),
                               k, mode="valid")


def _density_lut(palette: style.MapPalette = style.DARK) -> npt.NDArray[np.uint8]:
    """Transparent for empty cells, then the palette's ramp (dark map: dark red → orange →
    pale yellow; light map: pale orange → red → deep red)."""
    t = np.linspace(0.0, 1.0, 256)
    at = [s for s, _c in palette.density]
    r, g, b = (np.interp(t, at, [c[k] for _s, c in palette.density]) for k in range(3))
    a = np.interp(t, [0, 0.02, 0.3, 1], [0, 70, 150, 205])  # outlines stay visible
    lut = np.column_stack([r, g, b, a]).astype(np.uint8)
    lut[0, 3] = 0
    return lut


def incident_styles(palette: style.MapPalette) -> list[Style]:
    """One style for each (type, priority 1–4): an incident's style is
    ``type index * 4 + priority - 1`` (``incident_style``)."""
    pen = pg.mkPen(palette.symbol_outline, width=1.0)  # cosmetic: symbols are scaled
    return [(style.PRIORITY_SYMBOLS[p], style.PRIORITY_SIZES[p], pen,
             QBrush(QColor(style.INCIDENT_COLOURS[t])))
            for t in style.INCIDENT_TYPES for p in (1, 2, 3, 4)]


def incident_style(type_index: npt.ArrayLike, priority: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """The style index (into ``incident_styles``) of incidents by type index and priority."""
    return (np.asarray(type_index, dtype=np.intp) * 4
            + np.clip(np.asarray(priority, dtype=np.intp), 1, 4) - 1)


def drill_ring_styles(palette: style.MapPalette) -> list[Style]:
    """A drill's dashed ring, one style for each priority 1–4 (around its symbol's size)."""
    ring_pen = pg.mkPen(palette.exercise, width=style.EXERCISE_RING_WIDTH_PX)
    return [(style.exercise_ring(), style.PRIORITY_SIZES[p] + style.EXERCISE_RING_PAD_PX,
             ring_pen, QBrush(Qt.BrushStyle.NoBrush)) for p in (1, 2, 3, 4)]


def density_grid(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
                 ) -> tuple[npt.NDArray[np.float64], float, QRectF] | None:
    """Incidents at (x, y) map metres binned into ``CELL_M`` cells, smoothed, on a square-root
    scale: (image with rows from south to north, the value at the top of the colour scale,
    the rectangle in map metres the image covers); None for no incidents."""
    if x.size == 0:
        return None
    margin = CELL_M * (3 * BLUR_CELLS + 1)  # room for the glow around edge cells
    x0 = np.floor(x.min() / CELL_M) * CELL_M - margin
    y0 = np.floor(y.min() / CELL_M) * CELL_M - margin
    nx = int((x.max() + margin - x0) // CELL_M) + 1
    ny = int((y.max() + margin - y0) // CELL_M) + 1
    counts, _, _ = np.histogram2d(y, x, bins=(ny, nx),
                                  range=((y0, y0 + ny * CELL_M), (x0, x0 + nx * CELL_M)))
    # square root, and the top of the scale at the 99.5th percentile of the busy cells:
    # one market must not wash out every other street, nor every street glow alike
    image = np.sqrt(_blur(counts, BLUR_CELLS))
    busy = image[image > 0.05]
    top = float(np.percentile(busy, 99.5)) if busy.size else 1.0
    return image, top or 1.0, QRectF(x0, y0, nx * CELL_M, ny * CELL_M)


class DensityImage(pg.ImageItem):
    """An ImageItem whose QImage is premultiplied ARGB: Qt's raster engine scales and blends
    that format on its fast path; plain ARGB32 (what the lookup table gives) went through
    the generic path at ~16 ms a 1920×1080 frame here."""

    def render(self, *args: object, **kwargs: object) -> None:
        super().render(*args, **kwargs)
        premultiplied = QImage.Format.Format_ARGB32_Premultiplied
        if self.qimage is not None and self.qimage.format() != premultiplied:
            self.qimage = self.qimage.convertToFormat(premultiplied)


class IncidentsLayer(Layer):
    name = "incidents"
    clickable = True

    def __init__(self) -> None:
        super().__init__()
        self.scatter = SpriteScatter()
        # drills (diễn tập): a dashed ring around each drill incident's symbol
        self.rings = SpriteScatter()
        self.density = DensityImage(axisOrder="row-major")
        self.items = [self.density, self.scatter, self.rings]
        self.mode = "points"
        self.window: tuple[int, int] | None = None
        self._incidents: list[Incident] = []
        self._x = np.empty(0)
        self._y = np.empty(0)
        self._t = np.empty(0, dtype=np.int64)
        self._in_window = np.empty(0, dtype=bool)
        self._by_x = np.empty(0, dtype=np.intp)
        self._by_x_x = np.empty(0)
        self._view_rect = QRectF()
        self.apply_palette(style.DARK)
        self._type = np.empty(0, dtype=np.intp)
        self._prio = np.empty(0, dtype=np.intp)
        self._ids = np.empty(0, dtype=object)
        self._drill = np.empty(0, dtype=bool)
        self._points_area = QRectF()

    def apply_palette(self, palette: style.MapPalette) -> None:
        self.density.setLookupTable(_density_lut(palette))
        self.scatter.set_styles(incident_styles(palette))
        self.rings.set_styles(drill_ring_styles(palette))

    # --- data ----------------------------------------------------------------------------
    def set_incidents(self, incidents: list[Incident]) -> None:
        self._incidents = list(incidents)
        n = len(incidents)
        self._x, self._y = project([i.lon for i in incidents], [i.lat for i in incidents])
        # the time window is about when it happened; reports recorded later carry both
        self._t = np.fromiter((getattr(i, "occurred_us", 0) or i.created_us for i in incidents),
                              dtype=np.int64, count=n)
        types = {t: k for k, t in enumerate(style.INCIDENT_TYPES)}
        self._type = np.fromiter((types[i.type] for i in incidents), dtype=np.intp, count=n)
        self._prio = np.fromiter((i.priority for i in incidents), dtype=np.intp, count=n)
        self._ids = np.array([i.id for i in incidents], dtype=object)
        self._drill = np.fromiter((i.exercise for i in incidents), dtype=bool, count=n)
        self._refilter()

    def set_time_window(self, t0_us: int | None, t1_us: int | None) -> None:
        """Show incidents that happened in [t0, t1] (µs; ``occurred_us``, else
        ``created_us``); ``None`` for both shows them all."""
        self.window = None if t0_us is None or t1_us is None else (int(t0_us), int(t1_us))
        self._refilter()

    def _refilter(self) -> None:
        if self.window is None:
            self._in_window = np.ones(self._x.size, dtype=bool)
        else:
            t0, t1 = self.window
            self._in_window = (self._t >= t0) & (self._t <= t1)
        shown = np.flatnonzero(self._in_window)
        # the shown incidents sorted by x: counting or choosing those in a view is then a
        # binary search and a look at one band, not a pass over years of incidents
        self._by_x = shown[np.argsort(self._x[shown], kind="stable")]
        self._by_x_x = self._x[self._by_x]
        self._rebuild_density(shown)
        self._points_area = QRectF()  # the points must be chosen again
        self._choose_mode()

    def shown_ids(self) -> list[str]:
        """The incidents the time window lets through (drawn as points or as density)."""
        return [str(i) for i in self._ids[self._in_window]]

    def _update_points(self) -> None:
        """Give the scatter item the in-window incidents around the view only: its
        per-frame culling then looks at those, not at years of incidents. Chosen again when
        the view leaves the area they were chosen for (the view and half of it on every
        side); choosing costs ~1 ms for 100k incidents (numpy only, no per-point Python)."""
        view = self._view_rect
        if view.isNull() or self._points_area.contains(view):
            return
        area = view.adjusted(-view.width() / 2, -view.height() / 2,
                             view.width() / 2, view.height() / 2)
        sel = np.sort(self._shown_in(area))  # drawing order: the order they were given
        self.scatter.set_points(self._x[sel], self._y[sel],
                                incident_style(self._type[sel], self._prio[sel]),
                                self._ids[sel])
        drills = sel[self._drill[sel]]
        self.rings.set_points(self._x[drills], self._y[drills],
                              np.clip(self._prio[drills], 1, 4) - 1, self._ids[drills])
        self._points_area = area

    def _rebuild_density(self, index: npt.NDArray[np.intp]) -> None:
        # where incidents happen is a statistic: drills are not in it (as points they are)
        index = index[~self._drill[index]]
        grid = density_grid(self._x[index], self._y[index])
        if grid is None:
            self.density.clear()
            return
        image, top, rect = grid
        self.density.setImage(image, levels=(0.0, top), autoLevels=False)
        self.density.setRect(rect)

    # --- view ------------------------------------------------------------------------------
    def _shown_in(self, rect: QRectF) -> npt.NDArray[np.intp]:
        """Indices of the incidents of the time window in ``rect`` (in no useful order)."""
        lo = int(np.searchsorted(self._by_x_x, rect.left(), side="left"))
        hi = int(np.searchsorted(self._by_x_x, rect.right(), side="right"))
        band = self._by_x[lo:hi]
        y = self._y[band]
        return band[(y >= rect.top()) & (y <= rect.bottom())]

    def count_in(self, rect: QRectF) -> int:
        """Incidents of the time window whose position lies in ``rect``."""
        return int(self._shown_in(rect).size)

    def _count_in_view(self, rect: QRectF) -> int:
        """``count_in`` for the view, from the points chosen around it when it is still
        among them (every frame asks; those are far fewer than years of incidents)."""
        if self._points_area.contains(rect):
            return self.scatter.count_in(rect.left(), rect.right(), rect.top(), rect.bottom())
        return self.count_in(rect)

    @property
    def shown_count(self) -> int:
        return int(np.count_nonzero(self._in_window))

    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        self._view_rect = QRectF(view_rect)
        self._choose_mode()

    def _choose_mode(self) -> None:
        rect = self._view_rect
        dense = not rect.isNull() and (
            rect.width() > DENSITY_WIDTH_M or self._count_in_view(rect) > DENSITY_MAX_POINTS)
        self.mode = "density" if dense else "points"
        if self.mode == "points":
            self._update_points()
        self._sync_visibility()

    def _sync_visibility(self) -> None:
        self.scatter.setVisible(self.visible and self.mode == "points")
        self.rings.setVisible(self.visible and self.mode == "points")
        self.density.setVisible(self.visible and self.mode == "density")

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        ident = spot_hit(self.scatter, pos)
        if ident is None:
            return None
        incident = next(i for i in self._incidents if i.id == ident)
        text = f"#{incident.number} {incident.type.label} — P{incident.priority}"
        if incident.exercise:  # a drill must never be taken for a real incident
            text = f"[{EXERCISE_LABEL.upper()}] {text}"
        if incident.address:
            text += f" — {incident.address}"
        return ("incident", str(ident), text)
