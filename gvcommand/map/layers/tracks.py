"""Where units have been: a fading trail of the last minutes behind each live unit, and a
unit's recorded track played back with a marker at the chosen moment."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsPathItem

from .. import style
from .._projection import project
from .base import Layer

MARKER_PX = 14.0


@dataclass(frozen=True, slots=True)
class TrackPoint:
    t_us: int
    lon: float
    lat: float


def _path(xs: Sequence[float], ys: Sequence[float]) -> QPainterPath:
    path = QPainterPath()
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if i == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    return path


class TrailsLayer(Layer):
    """The last minutes of every live unit, one path for all (cosmetic pen)."""

    name = "trails"

    def __init__(self) -> None:
        super().__init__()
        self.item = QGraphicsPathItem()
        self.items = [self.item]
        self.trails: dict[str, list[tuple[float, float]]] = {}
        self.apply_palette(style.DARK)

    def apply_palette(self, palette: style.MapPalette) -> None:
        pen = QPen(QColor(palette.trail))
        pen.setCosmetic(True)
        pen.setWidthF(2.0)
        pen.setStyle(Qt.PenStyle.DotLine)
        self.item.setPen(pen)

    def set_trails(self, trails: Mapping[str, Sequence[tuple[float, float]]]) -> None:
        """(lon, lat) points per call sign, oldest first."""
        path = QPainterPath()
        self.trails = {}
        for call_sign, points in trails.items():
            if len(points) < 2:
                continue
            xs, ys = project([p[0] for p in points], [p[1] for p in points])
            self.trails[call_sign] = list(zip(xs.tolist(), ys.tolist(), strict=True))
            path.addPath(_path(xs.tolist(), ys.tolist()))
        self.item.setPath(path)


class TrackLayer(Layer):
    """One unit's recorded track and a marker where it was at the playback time."""

    name = "track"

    def __init__(self) -> None:
        super().__init__()
        self.line = QGraphicsPathItem()
        self.marker = QGraphicsEllipseItem(-MARKER_PX / 2, -MARKER_PX / 2, MARKER_PX, MARKER_PX)
        self.marker.setFlag(QGraphicsEllipseItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.marker.setVisible(False)
        self.apply_palette(style.DARK)
        self.items = [self.line, self.marker]
        self.points: list[TrackPoint] = []
        self._xy: list[tuple[float, float]] = []
        self._times: list[int] = []
        self.call_sign = ""

    def apply_palette(self, palette: style.MapPalette) -> None:
        pen = QPen(QColor(palette.track))
        pen.setCosmetic(True)
        pen.setWidthF(3.0)
        self.line.setPen(pen)
        self.marker.setBrush(QBrush(QColor(palette.track)))
        marker_pen = QPen(QColor(palette.symbol_outline))
        marker_pen.setWidthF(2.0)
        self.marker.setPen(marker_pen)

    def set_track(self, call_sign: str, points: Sequence[TrackPoint]) -> None:
        self.call_sign = call_sign
        self.points = sorted(points, key=lambda p: p.t_us)
        self._times = [p.t_us for p in self.points]
        xs, ys = project([p.lon for p in self.points], [p.lat for p in self.points])
        self._xy = list(zip(xs.tolist(), ys.tolist(), strict=True))
        self.line.setPath(_path(xs.tolist(), ys.tolist()) if len(self.points) > 1
                          else QPainterPath())
        self.marker.setVisible(False)

    def position_at(self, t_us: int) -> tuple[float, float] | None:
        """Map position at ``t_us``, interpolated between the fixes around it; None outside
        the track."""
        if not self.points or not self._times[0] <= t_us <= self._times[-1]:
            return None
        i = bisect.bisect_right(self._times, t_us)
        if i >= len(self._times):
            return self._xy[-1]
        t0, t1 = self._times[i - 1], self._times[i]
        (x0, y0), (x1, y1) = self._xy[i - 1], self._xy[i]
        f = 0.0 if t1 == t0 else (t_us - t0) / (t1 - t0)
        return x0 + (x1 - x0) * f, y0 + (y1 - y0) * f

    def set_time(self, t_us: int) -> None:
        where = self.position_at(t_us)
        self.marker.setVisible(where is not None and self.visible)
        if where is not None:
            self.marker.setPos(QPointF(*where))

    def _sync_visibility(self) -> None:
        self.line.setVisible(self._visible)
        self.marker.setVisible(self._visible and self.marker.isVisible())
