"""Patrol units at their last known position: symbol by force, colour by status (grey when
the fix is stale), call sign; the fix's accuracy as a faint circle and its heading as a short
line; speed, battery and the age of the fix on hover."""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QDateTime, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from gvcommand.core.model import EXERCISE_LABEL, EXERCISE_TAG, Force, Unit, UnitStatus

from .. import style
from .._projection import project
from ._labels import LabelsItem
from ._sprites import SpriteScatter, Style
from .base import Layer, spot_hit

HEADING_PX = 16.0  # the heading line, from the symbol's centre


def _tr(text: str) -> str:
    return QCoreApplication.translate("UnitsLayer", text)


def describe_fix(fix: object, stale: bool, now_us: int) -> str:
    """Speed, heading, accuracy, battery and age of a fix (a map.motion.UnitFix)."""
    parts = []
    speed = getattr(fix, "speed_kmh", None)
    heading = getattr(fix, "heading", None)
    accuracy = getattr(fix, "accuracy_m", None)
    battery = getattr(fix, "battery_pct", None)
    if speed is not None:
        parts.append(_tr("{speed:.0f} km/h").format(speed=speed))
    if heading is not None and (speed or 0) > 1:
        parts.append(_tr("heading {deg:.0f}°").format(deg=heading))
    if accuracy is not None:
        parts.append(_tr("±{m:.0f} m").format(m=accuracy))
    if battery is not None:
        parts.append(_tr("battery {pct:.0f}%").format(pct=battery))
    t_us = int(getattr(fix, "t_us", now_us))
    if stale:
        seen = QDateTime.fromMSecsSinceEpoch(t_us // 1000).toString("HH:mm")
        parts.append(_tr("no signal — last seen {hhmm}").format(hhmm=seen))
    else:
        age = max(0, (now_us - t_us) // 1_000_000)
        parts.append(_tr("fix {s} s ago").format(s=age) if age < 120
                     else _tr("fix {m} min ago").format(m=age // 60))
    return ", ".join(parts)


FORCES = list(style.FORCE_SYMBOLS)
STATUSES = list(style.UNIT_STATUS_COLOURS)


def unit_styles(palette: style.MapPalette) -> list[Style]:
    """One style for each (force, status), then a grey one per force for a unit whose fix
    is stale: see ``unit_style``."""
    pen = pg.mkPen(palette.symbol_outline, width=1.5)  # cosmetic: symbols are scaled
    return [(style.FORCE_SYMBOLS[f], style.UNIT_SIZE, pen,
             QBrush(QColor(style.UNIT_STATUS_COLOURS[st])))
            for f in FORCES for st in STATUSES] + [
        (style.FORCE_SYMBOLS[f], style.UNIT_SIZE, pen, QBrush(QColor(style.UNIT_STALE)))
        for f in FORCES]


def unit_style(force: Force, status: UnitStatus, stale: bool = False) -> int:
    """A unit's style index in ``unit_styles``."""
    if stale:
        return len(FORCES) * len(STATUSES) + FORCES.index(force)
    return FORCES.index(force) * len(STATUSES) + STATUSES.index(status)


class UnitsLayer(Layer):
    name = "units"
    clickable = True

    def __init__(self) -> None:
        super().__init__()
        self.scatter = SpriteScatter()
        self.rings = SpriteScatter()  # drill (diễn tập) units: a dashed violet ring
        self.labels = LabelsItem(max_labels=300)
        # accuracy circles (map metres) and heading lines (pixels: rebuilt on zoom), one path
        self.accuracy = QGraphicsPathItem()
        self.accuracy.setPen(QPen(Qt.PenStyle.NoPen))
        self.headings = QGraphicsPathItem()
        self.items = [self.accuracy, self.headings, self.scatter, self.rings, self.labels]
        self.units: dict[str, Unit] = {}
        self.fixes: Mapping[str, object] = {}
        self.stale: frozenset[str] = frozenset()
        self._xy: dict[str, tuple[float, float]] = {}
        self._pixel_m = 1.0
        self._heading_x = np.empty(0)  # units with a heading: where, and which way
        self._heading_y = np.empty(0)
        self._heading_rad = np.empty(0)
        self.apply_palette(style.DARK)

    def apply_palette(self, palette: style.MapPalette) -> None:
        self.accuracy.setBrush(QBrush(palette.accuracy_fill))
        heading_pen = QPen(QColor(palette.heading))
        heading_pen.setCosmetic(True)
        heading_pen.setWidthF(2.0)
        self.headings.setPen(heading_pen)
        self.labels.set_colours(palette.label_text, palette.label_halo,
                                palette.label_halo_alpha)
        self.scatter.set_styles(unit_styles(palette))
        self.rings.set_styles([
            (style.exercise_ring(), style.UNIT_SIZE + style.EXERCISE_RING_PAD_PX,
             pg.mkPen(palette.exercise, width=style.EXERCISE_RING_WIDTH_PX),
             QBrush(Qt.BrushStyle.NoBrush))])

    def set_units(self, units: list[Unit], positions: Mapping[str, tuple[float, float]], *,
                  stale: frozenset[str] = frozenset(),
                  fixes: Mapping[str, object] | None = None) -> None:
        """Units with a known (lon, lat) position; the others cannot be drawn. ``stale``:
        call signs whose fix is too old (grey); ``fixes``: the newest fix per call sign
        (map.motion.UnitFix) for accuracy, heading and the hover text."""
        placed = [u for u in units if u.call_sign in positions]
        self.units = {u.call_sign: u for u in placed}
        self.stale, self.fixes = stale, fixes or {}
        x, y = project([positions[u.call_sign][0] for u in placed],
                       [positions[u.call_sign][1] for u in placed])
        styles = [unit_style(u.force, u.status, u.call_sign in stale) for u in placed]
        self.scatter.set_points(x, y, styles, [u.call_sign for u in placed])
        drills = [k for k, u in enumerate(placed) if u.exercise]
        self.rings.set_points(x[drills], y[drills], [0] * len(drills),
                              [placed[k].call_sign for k in drills])
        self.labels.set_labels(x, y, [f"{u.call_sign} · {EXERCISE_TAG}" if u.exercise
                                      else u.call_sign for u in placed])
        self._xy = {u.call_sign: (float(px), float(py))
                    for u, px, py in zip(placed, x, y, strict=True)}
        # accuracy circles are in metres: drawn here, not again on every zoom
        circles = QPainterPath()
        heading_x, heading_y, heading_deg = [], [], []
        for call_sign, (ux, uy) in self._xy.items():
            fix = self.fixes.get(call_sign)
            if fix is None or call_sign in self.stale:
                continue
            accuracy = getattr(fix, "accuracy_m", None)
            if accuracy:
                circles.addEllipse(QRectF(ux - accuracy, uy - accuracy, 2 * accuracy,
                                          2 * accuracy))
            heading = getattr(fix, "heading", None)
            if heading is not None and (getattr(fix, "speed_kmh", None) or 0) > 1:
                heading_x.append(ux)
                heading_y.append(uy)
                heading_deg.append(heading)
        self.accuracy.setPath(circles)
        self._heading_x, self._heading_y = np.array(heading_x), np.array(heading_y)
        self._heading_rad = np.radians(np.array(heading_deg, dtype=float))
        self._draw_headings()

    def _draw_headings(self) -> None:
        """Heading lines are in pixels: drawn again when the zoom changes (numpy, one path)."""
        if not self._heading_x.size:
            if not self.headings.path().isEmpty():
                self.headings.setPath(QPainterPath())
            return
        length = HEADING_PX * self._pixel_m
        # from north, clockwise; the map's y points north
        ends_x = self._heading_x + length * np.sin(self._heading_rad)
        ends_y = self._heading_y + length * np.cos(self._heading_rad)
        xs = np.column_stack([self._heading_x, ends_x]).ravel()
        ys = np.column_stack([self._heading_y, ends_y]).ravel()
        self.headings.setPath(pg.arrayToQPath(xs, ys, connect="pairs"))

    def view_changed(self, view_rect: QRectF, pixel_m: float) -> None:
        if pixel_m > 0 and abs(pixel_m - self._pixel_m) > 1e-9 * max(1.0, pixel_m):
            self._pixel_m = pixel_m
            self._draw_headings()

    def hit(self, pos: QPointF) -> tuple[str, str, str] | None:
        call_sign = spot_hit(self.scatter, pos)
        if call_sign is None:
            return None
        unit = self.units[call_sign]
        text = f"{call_sign} — {unit.force.label} — {unit.status.label}"
        if unit.exercise:  # a drill unit must never be taken for one free for real work
            text = f"[{EXERCISE_LABEL.upper()}] {text}"
        fix = self.fixes.get(call_sign)
        if fix is not None:
            text += " — " + describe_fix(fix, call_sign in self.stale, time.time_ns() // 1000)
        return ("unit", call_sign, text)
