"""The map legend: what each colour and symbol means (incident types and priorities, forces
and unit statuses, camera owners), drawn with the map's own colours and symbols."""

from __future__ import annotations

from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ..core.model import CameraOwner, Force, IncidentType, UnitStatus
from ..map import style

ICON_PX = 16


def symbol_icon(symbol: str | QPainterPath, fill: str | QColor, size: float = 12.0) -> QPixmap:
    """A map symbol as the map draws it: the path scaled to ``size`` pixels, filled, with the
    dark halo outline."""
    path = symbol if isinstance(symbol, QPainterPath) else Symbols[symbol]
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QPointF(ICON_PX / 2, ICON_PX / 2))
    painter.scale(size, size)
    pen = QPen(QColor(style.LABEL_HALO))
    pen.setCosmetic(True)
    pen.setWidthF(1.2)
    painter.setPen(pen)
    painter.setBrush(QBrush(QColor(fill)))
    painter.drawPath(path)
    painter.end()
    return pixmap


def drill_icon(symbol: str, fill: str, size: float = 9.0) -> QPixmap:
    """A symbol inside the map's dashed violet drill (diễn tập) ring."""
    pixmap = symbol_icon(symbol, fill, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QPointF(ICON_PX / 2, ICON_PX / 2))
    ring = ICON_PX - 2.0
    painter.scale(ring, ring)
    pen = QPen(QColor(style.EXERCISE_COLOUR))
    pen.setCosmetic(True)
    pen.setWidthF(style.EXERCISE_RING_WIDTH_PX)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(style.exercise_ring())
    painter.end()
    return pixmap


class LegendBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Legend"), parent)
        self.setObjectName("map_legend")
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}  # key → (icon, text)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        outer.addLayout(grid)
        self._grid = grid
        neutral = "#c8d0d8"
        self._heading(self.tr("Incidents (colour: type)"))
        for kind in IncidentType:
            self._row(f"incident:{kind.value}", symbol_icon("o", style.INCIDENT_COLOURS[kind]),
                      kind.label)
        self._heading(self.tr("Priority (symbol)"))
        for priority in (1, 2, 3):
            text = {1: self.tr("1 — most urgent"), 2: self.tr("2"),
                    3: self.tr("3–4")}[priority]
            self._row(f"priority:{priority}",
                      symbol_icon(style.PRIORITY_SYMBOLS[priority], neutral,
                                  min(14.0, style.PRIORITY_SIZES[priority])), text)
        self._heading(self.tr("Patrol units (symbol: force)"))
        for force in Force:
            self._row(f"force:{force.value}", symbol_icon(style.FORCE_SYMBOLS[force], neutral),
                      force.label)
        self._heading(self.tr("Unit status (colour)"))
        for status in UnitStatus:
            self._row(f"status:{status.value}",
                      symbol_icon("s", style.UNIT_STATUS_COLOURS[status]), status.label)
        self._row("status:stale", symbol_icon("s", style.UNIT_STALE),
                  self.tr("No recent position (grey)"))
        self._heading(self.tr("Drills (diễn tập): dashed violet ring"))
        self._row("exercise:incident", drill_icon("o", style.INCIDENT_COLOURS[IncidentType.FIGHT]),
                  self.tr("Drill incident (not a real one)"))
        self._row("exercise:unit", drill_icon("s", style.UNIT_STATUS_COLOURS[UnitStatus.AVAILABLE]),
                  self.tr("Unit on a drill (label “· DT”): not sent to real incidents"))
        self._heading(self.tr("Cameras (colour: owner)"))
        for owner in CameraOwner:
            self._row(f"camera:{owner.value}", symbol_icon(style.camera_symbol(),
                                                           style.CAMERA_OWNER_COLOURS[owner]),
                      owner.label)

    def _heading(self, text: str) -> None:
        label = QLabel(f"<b>{text}</b>")
        self._grid.addWidget(label, self._grid.rowCount(), 0, 1, 2)

    def _row(self, key: str, icon: QPixmap, text: str) -> None:
        row = self._grid.rowCount()
        icon_label = QLabel()
        icon_label.setPixmap(icon)
        icon_label.setFixedSize(ICON_PX, ICON_PX)
        text_label = QLabel(text)
        self._grid.addWidget(icon_label, row, 0)
        self._grid.addWidget(text_label, row, 1)
        self.rows[key] = (icon_label, text_label)
