"""The map canvas: one ViewBox in EPSG:9210 metres, north up, locked aspect; one graphics
item per layer (wards, incidents, units, cameras, complex points); clicks, hover, cursor
coordinates, distance measuring, keyboard pan and zoom."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyproj
import pyqtgraph as pg
from PySide6.QtCore import (
    QEvent,
    QLocale,
    QMimeData,
    QObject,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QDrag, QKeyEvent, QMouseEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gvcommand.core.model import Camera, Incident, Unit
from gvcommand.geo.editions import BoundaryEdition

from . import style
from ._projection import project_point, unproject_point
from ._view import MapView, measure_path
from .basemap import TileSource
from .layers.base import Layer
from .layers.basemap import BasemapLayer
from .layers.cameras import CamerasLayer
from .layers.incidents import IncidentsLayer
from .layers.points import PointRow, PointsLayer
from .layers.roads import RoadRow, RoadsLayer
from .layers.tracks import TrackLayer, TrailsLayer
from .layers.units import UnitsLayer
from .layers.wards import WardsLayer

HOVER_RATE_HZ = 20
PAN_STEP = 0.2  # share of the view an arrow key moves it
ZOOM_STEP = 1.25
TIME_PRESETS_S = {"1h": 3600, "6h": 6 * 3600, "24h": 24 * 3600, "7d": 7 * 24 * 3600}
_GEOD = pyproj.Geod(ellps="WGS84")

# Gò Vấp, for a canvas that has no wards yet
DEFAULT_CENTRE = (106.665, 10.838)
DEFAULT_SPAN_M = 7000.0
CAMERA_MIME = "application/x-gvcommand-camera"
"""A drag carrying camera codes (UTF-8, one a line): from the map or the camera list onto a
tile of the camera wall."""


class MapCanvas(QWidget):
    feature_selected = Signal(str, str)  # kind ("unit", "incident", "camera", …), ident
    hovered = Signal(str)  # description of the feature under the cursor, "" for none
    cursor_moved = Signal(float, float, float, float)  # lon, lat, E, N (EPSG:9210)
    distance_measured = Signal(float)  # metres, geodesic
    layers_changed = Signal()  # visibility, opacity or order changed
    # a unit symbol dragged and dropped onto an incident: (call sign, incident id)
    dispatch_requested = Signal(str, str)
    # right click on a unit or an incident: kind, ident, global position for a menu
    context_requested = Signal(str, str, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_canvas")
        self.view = MapView()
        self.view.setObjectName("map_view")
        self.view.north_label = self.tr("N")
        self.view.key_handler = self._on_key_pressed
        self.view_box: pg.ViewBox = self.view.view_box
        self.readout = QLabel()
        self.readout.setObjectName("map_readout")
        self.readout.setContentsMargins(8, 3, 8, 3)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setText(self.tr("Move the pointer over the map for coordinates"))
        self.measure_button = QToolButton()
        self.measure_button.setObjectName("map_measure")
        self.measure_button.setText(self.tr("Measure distance"))
        self.measure_button.setToolTip(self.tr("Click two points on the map (key M; Esc ends)"))
        self.measure_button.setCheckable(True)
        self.measure_button.toggled.connect(self.set_measuring)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 4, 0)
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.measure_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.wards = WardsLayer()
        self.roads = RoadsLayer()
        self.incidents = IncidentsLayer()
        self.cameras = CamerasLayer()
        self.complex_points = PointsLayer()
        self.trails = TrailsLayer()
        self.track = TrackLayer()
        self.units = UnitsLayer()
        # bottom to top
        self._layers: dict[str, Layer] = {}
        for layer in (self.wards, self.roads, self.incidents, self.cameras, self.complex_points,
                      self.trails, self.track, self.units):
            self._layers[layer.name] = layer
            for item in layer.items:
                self.view_box.addItem(item)
        self._restack()
        # the base map is not in the reorderable stack: always the bottom
        self.basemap = BasemapLayer()
        self.view_box.addItem(self.basemap.item, ignoreBounds=True)
        self.basemap.attach(self.view)

        self.measuring = False
        self._measure_points: list[QPointF] = []
        self.last_distance_m: float | None = None
        self._measure_line = QGraphicsPathItem()
        pen = QPen(QColor(style.MEASURE), 2)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self._measure_line.setPen(pen)
        self._measure_line.setZValue(1000)
        self._measure_label = pg.TextItem("", color=style.MEASURE, anchor=(0, 1),
                                          fill=pg.mkBrush(style.OVERLAY_BACK))
        self._measure_label.setZValue(1001)
        self._measure_label.hide()
        self.view_box.addItem(self._measure_line, ignoreBounds=True)
        self.view_box.addItem(self._measure_label, ignoreBounds=True)

        # dragging a unit onto an incident: a dashed line from the unit to the pointer
        self._drag_unit: str | None = None
        self._drag_from: QPoint | None = None
        self._drag_start = QPointF()
        self.dragging = False
        self.drag_target: str | None = None  # the incident under the pointer while dragging
        self._drag_line = QGraphicsPathItem()
        drag_pen = QPen(QColor(style.MEASURE), 3)
        drag_pen.setCosmetic(True)
        drag_pen.setStyle(Qt.PenStyle.DashLine)
        self._drag_line.setPen(drag_pen)
        self._drag_line.setZValue(1002)
        self.view_box.addItem(self._drag_line, ignoreBounds=True)
        # a camera pressed: moved beyond the drag distance it leaves the map as a drag for
        # the camera wall; released where it was pressed it is selected
        self._drag_camera: str | None = None
        self.view.viewport().installEventFilter(self)

        scene = self.view.scene()
        scene.sigMouseClicked.connect(self._on_scene_clicked)
        # hover hit tests and the read-out at most HOVER_RATE_HZ times a second: the first
        # move at once, the last one of a burst when the timer runs out. The timer is a Qt
        # child of the canvas (pyqtgraph's SignalProxy is not: a garbage collection in a
        # database or feed thread could delete its timer from the wrong thread).
        self._hover_pending: QPointF | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(1000 // HOVER_RATE_HZ)
        self._hover_timer.timeout.connect(self._flush_hover)
        scene.sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.view_box.sigRangeChanged.connect(self._on_range_changed)
        self.hover_text = ""
        x, y = project_point(*DEFAULT_CENTRE)
        half = DEFAULT_SPAN_M / 2
        self.view_box.setRange(QRectF(x - half, y - half, 2 * half, 2 * half), padding=0)

    # --- data --------------------------------------------------------------------------------
    def set_wards(self, edition: BoundaryEdition | None, *, fit: bool = True) -> None:
        self.wards.set_edition(edition)
        if fit and edition is not None and edition.wards:
            self.view_box.setRange(self.wards.bounds(), padding=0.05)

    def set_roads(self, rows: Iterable[RoadRow]) -> None:
        """Streets as (name, road class, WGS 84 line) rows: above wards, below incidents."""
        self.roads.set_roads(rows)

    def set_ward_values(self, values: Mapping[str, float] | None, title: str = "") -> None:
        """Choropleth fill by ward code; a legend shows the range."""
        self.wards.set_values(values)
        rng = self.wards.value_range
        self.view.legend = (title, rng[0], rng[1]) if rng is not None else None
        self.view.viewport().update()

    def set_incidents(self, incidents: list[Incident]) -> None:
        self.incidents.set_incidents(incidents)

    def set_time_window(self, t0_us: int | None, t1_us: int | None) -> None:
        self.incidents.set_time_window(t0_us, t1_us)

    def set_time_preset(self, preset: str, now_us: int) -> None:
        """"1h", "6h", "24h" or "7d" before ``now_us``."""
        span = TIME_PRESETS_S[preset] * 1_000_000
        self.set_time_window(now_us - span, now_us)

    def set_units(self, units: list[Unit], positions: Mapping[str, tuple[float, float]], *,
                  stale: frozenset[str] = frozenset(),
                  fixes: Mapping[str, object] | None = None) -> None:
        self.units.set_units(units, positions, stale=stale, fixes=fixes)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.cameras.set_cameras(cameras)

    def set_complex_points(self, rows: Iterable[PointRow],
                           status_labels: Mapping[str, str] | None = None) -> None:
        """Điểm phức tạp as (code, name, lon, lat, status code) tuples."""
        self.complex_points.set_points(rows, status_labels)

    def set_basemap(self, source: TileSource | None) -> None:
        """Tiles under every layer (``XyzSource`` or ``MBTilesSource``), or none. The canvas
        takes the source: it dies with the canvas; one replaced is closed and deleted."""
        self.basemap.set_source(source)
        self.basemap.view_changed(self.view_box.viewRect(), self.view.metres_per_pixel())

    # --- layers ------------------------------------------------------------------------------
    def layer(self, name: str) -> Layer:
        return self._layers[name]

    def layer_order(self) -> list[str]:
        """Layer names, bottom first."""
        return list(self._layers)

    def set_layer_order(self, names: list[str]) -> None:
        if sorted(names) != sorted(self._layers):
            raise ValueError(f"layer order must name every layer once: {names}")
        self._layers = {n: self._layers[n] for n in names}
        self._restack()
        self.layers_changed.emit()

    def move_layer(self, name: str, steps: int) -> None:
        """Move a layer up (positive) or down (negative) the stack."""
        order = self.layer_order()
        i = order.index(name)
        j = min(len(order) - 1, max(0, i + steps))
        order.insert(j, order.pop(i))
        self.set_layer_order(order)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        self._layers[name].set_visible(visible)
        self.layers_changed.emit()

    def set_layer_opacity(self, name: str, opacity: float) -> None:
        self._layers[name].set_opacity(opacity)
        self.layers_changed.emit()

    def _restack(self) -> None:
        for i, layer in enumerate(self._layers.values()):
            layer.set_z(10.0 * i)

    # --- theme -------------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        return self.view.map_palette.name

    def set_theme(self, name: str) -> None:
        """"dark" or "light": the map's palette, to go with the window's theme. Every layer
        makes its pens, symbols and label atlases again, once; frames then cost the same."""
        palette = style.PALETTES[name]
        if palette is self.view.map_palette:
            return
        self.view.set_palette(palette)
        for layer in self._layers.values():
            layer.apply_palette(palette)
        for line in (self._measure_line, self._drag_line):
            pen = QPen(line.pen())
            pen.setColor(QColor(palette.measure))
            line.setPen(pen)
        self._measure_label.setColor(palette.measure)
        self._measure_label.fill = pg.mkBrush(palette.overlay_back)
        self._measure_label.update()

    # --- view --------------------------------------------------------------------------------
    def zoom_to_ward(self, code: str) -> None:
        self.view_box.setRange(self.wards.ward_bounds(code), padding=0.1)

    def view_rect(self) -> QRectF:
        return self.view_box.viewRect()

    def set_view(self, centre_lon: float, centre_lat: float, width_m: float) -> None:
        x, y = project_point(centre_lon, centre_lat)
        aspect = max(1, self.view.height()) / max(1, self.view.width())
        h = width_m * aspect
        self.view_box.setRange(QRectF(x - width_m / 2, y - h / 2, width_m, h), padding=0)

    def lonlat_to_widget(self, lon: float, lat: float) -> QPoint:
        """Where (lon, lat) is drawn, in this widget's pixels."""
        x, y = project_point(lon, lat)
        return self.map_to_widget(QPointF(x, y))

    def map_to_widget(self, pos: QPointF) -> QPoint:
        scene = self.view_box.mapViewToScene(pos)
        in_view = self.view.mapFromScene(scene)
        return self.view.mapTo(self, in_view)

    def widget_to_map(self, pos: QPoint) -> QPointF:
        scene = self.view.mapToScene(self.view.mapFrom(self, pos))
        return self.view_box.mapSceneToView(scene)

    def _on_range_changed(self, *_args: object) -> None:
        # pyqtgraph defers moving the items to the new range until the paint, and moving
        # them there marks the whole scene dirty again: every pan or zoom was painted twice
        # (the second paint identical). Moved now, the change and the move are one paint.
        self.view_box.updateMatrix()
        rect = self.view_box.viewRect()
        pixel_m = self.view.metres_per_pixel()
        for layer in self._layers.values():
            layer.view_changed(rect, pixel_m)
        self.basemap.view_changed(rect, pixel_m)

    def _on_key_pressed(self, ev: QKeyEvent) -> bool:
        key = ev.key()
        rect = self.view_box.viewRect()
        dx, dy = rect.width() * PAN_STEP, rect.height() * PAN_STEP
        moves = {Qt.Key.Key_Left: (-dx, 0.0), Qt.Key.Key_Right: (dx, 0.0),
                 Qt.Key.Key_Up: (0.0, dy), Qt.Key.Key_Down: (0.0, -dy)}
        if key in moves:
            self.view_box.translateBy(x=moves[key][0], y=moves[key][1])
            return True
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.view_box.scaleBy((1 / ZOOM_STEP, 1 / ZOOM_STEP))
            return True
        if key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.view_box.scaleBy((ZOOM_STEP, ZOOM_STEP))
            return True
        if key == Qt.Key.Key_Escape and self._drag_unit is not None:
            self.cancel_drag()
            return True
        if key == Qt.Key.Key_Escape and self.measuring:
            self.set_measuring(False)
            return True
        if key == Qt.Key.Key_M:
            self.set_measuring(not self.measuring)
            return True
        return False

    # --- pointer -----------------------------------------------------------------------------
    def feature_at(self, pos: QPointF) -> tuple[str, str, str] | None:
        """The top-most feature at ``pos`` (map metres): (kind, ident, description)."""
        for layer in reversed(self._layers.values()):
            if layer.visible and layer.opacity > 0:
                found = layer.hit(pos)
                if found is not None:
                    return found
        return None

    # A press on a unit is the canvas's, not the view box's: it does not pan. Released where
    # it was pressed it selects the unit (as a click would); moved beyond the drag distance it
    # draws a line, and released over an incident it asks for a dispatch. Elsewhere the view
    # box pans and clicks as before.
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.view.viewport():
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            return self._on_press(event)  # type: ignore[arg-type]
        if kind == QEvent.Type.MouseMove and self._drag_unit is not None:
            self._on_drag_move(event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._drag_unit is not None:
            self._on_drag_release(event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.MouseMove and self._drag_camera is not None:
            self._on_camera_drag_move(event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._drag_camera is not None:
            code, self._drag_camera = self._drag_camera, None
            self.feature_selected.emit("camera", code)
            return True
        if kind == QEvent.Type.ContextMenu:
            pos = self._viewport_to_map(event.pos())  # type: ignore[attr-defined]
            found = self.feature_at(pos)
            if found is not None and found[0] in ("unit", "incident"):
                self.context_requested.emit(found[0], found[1],
                                            event.globalPos())  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)

    def _viewport_to_map(self, pos: QPoint | QPointF) -> QPointF:
        return self.view_box.mapSceneToView(self.view.mapToScene(QPoint(int(pos.x()),
                                                                         int(pos.y()))))

    def _on_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self.measuring:
            return False
        pos = self._viewport_to_map(event.position())
        found = self.feature_at(pos)
        if found is not None and found[0] == "camera":
            self._drag_camera, self._drag_from = found[1], event.position().toPoint()
            return True
        if found is None or found[0] != "unit":
            return False
        self._drag_unit, self._drag_from = found[1], event.position().toPoint()
        self._drag_start = pos
        self.dragging, self.drag_target = False, None
        return True

    def _on_drag_move(self, event: QMouseEvent) -> None:
        assert self._drag_from is not None
        here = event.position().toPoint()
        if not self.dragging:
            if (here - self._drag_from).manhattanLength() < QApplication.startDragDistance():
                return
            self.dragging = True
            self.view.setCursor(Qt.CursorShape.DragMoveCursor)
        pos = self._viewport_to_map(here)
        found = self.feature_at(pos)
        self.drag_target = found[1] if found is not None and found[0] == "incident" else None
        self._drag_line.setPath(measure_path([self._drag_start, pos]))

    def _on_drag_release(self, event: QMouseEvent) -> None:
        unit, dragged, target = self._drag_unit, self.dragging, None
        if dragged:
            found = self.feature_at(self._viewport_to_map(event.position()))
            target = found[1] if found is not None and found[0] == "incident" else None
        self.cancel_drag()
        assert unit is not None
        if not dragged:
            self.feature_selected.emit("unit", unit)
        elif target is not None:
            self.dispatch_requested.emit(unit, target)

    def _on_camera_drag_move(self, event: QMouseEvent) -> None:
        assert self._drag_from is not None and self._drag_camera is not None
        if (event.position().toPoint() - self._drag_from).manhattanLength() \
                < QApplication.startDragDistance():
            return
        code, self._drag_camera = self._drag_camera, None
        mime = QMimeData()
        mime.setData(CAMERA_MIME, code.encode("utf-8"))
        mime.setText(code)
        self.start_drag(mime)

    def start_drag(self, mime: QMimeData) -> None:
        """Hand a camera to Qt's drag and drop (it returns when dropped or cancelled)."""
        drag = QDrag(self.view.viewport())
        drag.setMimeData(mime)
        # what is being carried, beside the pointer (the map's own symbol is too small)
        label = QLabel(mime.text())
        label.setStyleSheet(f"background: {style.OVERLAY_BACK}; color: {style.MEASURE}; "
                            "padding: 3px 6px; font-weight: bold;")
        label.adjustSize()
        drag.setPixmap(label.grab())
        drag.exec(Qt.DropAction.CopyAction)

    def cancel_drag(self) -> None:
        self._drag_unit, self._drag_from = None, None
        self.dragging, self.drag_target = False, None
        self._drag_line.setPath(measure_path([]))
        self.view.setCursor(Qt.CursorShape.CrossCursor if self.measuring
                            else Qt.CursorShape.ArrowCursor)

    def _on_scene_clicked(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        pos = self.view_box.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        if self.measuring:
            self._add_measure_point(pos)
            return
        found = self.feature_at(pos)
        if found is not None:
            self.feature_selected.emit(found[0], found[1])

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        if self._hover_timer.isActive():
            self._hover_pending = QPointF(scene_pos)
            return
        self._hover_timer.start()
        self._on_mouse_moved((scene_pos,))

    def _flush_hover(self) -> None:
        pending, self._hover_pending = self._hover_pending, None
        if pending is not None:
            self._hover_timer.start()
            self._on_mouse_moved((pending,))

    def _on_mouse_moved(self, args: tuple[QPointF]) -> None:
        scene_pos = args[0]
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return
        pos = self.view_box.mapSceneToView(scene_pos)
        self.show_coordinates(pos)
        found = self.feature_at(pos)
        text = found[2] if found is not None else ""
        if text != self.hover_text:
            self.hover_text = text
            self.view.setToolTip(text)
            self.hovered.emit(text)

    def show_coordinates(self, pos: QPointF) -> None:
        """Put the WGS 84 and VN-2000 coordinates of ``pos`` (map metres) in the read-out."""
        e, n = pos.x(), pos.y()
        lon, lat = unproject_point(e, n)
        self.readout.setText(self.tr("WGS 84: {lat}, {lon}  ·  VN-2000 TM-3 105°45′: "
                                     "E {e} m, N {n} m").format(
            lat=f"{lat:.6f}°", lon=f"{lon:.6f}°", e=f"{e:.2f}", n=f"{n:.2f}"))
        self.cursor_moved.emit(lon, lat, e, n)

    # --- measuring ---------------------------------------------------------------------------
    def set_measuring(self, on: bool) -> None:
        """Distance tool: click a start, click an end; the geodesic distance is shown."""
        self.measuring = on
        if self.measure_button.isChecked() != on:
            self.measure_button.setChecked(on)  # re-enters here once, harmlessly
        self._measure_points = []
        self._measure_line.setPath(measure_path([]))
        self._measure_label.hide()
        self.view.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def _add_measure_point(self, pos: QPointF) -> None:
        if len(self._measure_points) >= 2:
            self._measure_points = []
            self._measure_label.hide()
        self._measure_points.append(QPointF(pos))
        self._measure_line.setPath(measure_path(self._measure_points))
        if len(self._measure_points) == 2:
            a, b = self._measure_points
            lon1, lat1 = unproject_point(a.x(), a.y())
            lon2, lat2 = unproject_point(b.x(), b.y())
            metres = float(_GEOD.inv(lon1, lat1, lon2, lat2)[2])
            self.last_distance_m = metres
            self._measure_label.setText(self.tr("{metres} m").format(
                metres=QLocale().toString(round(metres))))
            self._measure_label.setPos(b)
            self._measure_label.show()
            self.distance_measured.emit(metres)
