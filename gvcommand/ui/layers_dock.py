"""The layers panel: which map layers are shown, how opaque, in which order, and which
incidents (by time window)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..map.canvas import MapCanvas
from .legend import LegendBox

# (preset key, source text); keys are MapCanvas.TIME_PRESETS_S plus "all"
TIME_PRESETS = (
    ("all", QT_TRANSLATE_NOOP("LayersDock", "All open incidents")),
    ("1h", QT_TRANSLATE_NOOP("LayersDock", "Last hour")),
    ("6h", QT_TRANSLATE_NOOP("LayersDock", "Last 6 hours")),
    ("24h", QT_TRANSLATE_NOOP("LayersDock", "Last 24 hours")),
    ("7d", QT_TRANSLATE_NOOP("LayersDock", "Last 7 days")),
    ("custom", QT_TRANSLATE_NOOP("LayersDock", "Custom period…")),
)
CUSTOM_FORMAT = "dd/MM/yyyy HH:mm"


def layer_title(name: str) -> str:
    titles = {
        "wards": QCoreApplication.translate("LayersDock", "Ward boundaries"),
        "roads": QCoreApplication.translate("LayersDock", "Roads"),
        "incidents": QCoreApplication.translate("LayersDock", "Incidents"),
        "cameras": QCoreApplication.translate("LayersDock", "Cameras"),
        "complex_points": QCoreApplication.translate("LayersDock", "Complex points"),
        "units": QCoreApplication.translate("LayersDock", "Patrol units"),
        "trails": QCoreApplication.translate("LayersDock", "Trails (last 10 minutes)"),
        "track": QCoreApplication.translate("LayersDock", "Track playback"),
    }
    return titles.get(name, name)


class LayersDock(QDockWidget):
    time_preset_changed = Signal(str)  # a preset key; "custom" once a valid period is applied

    def __init__(self, canvas: MapCanvas, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Map layers"), parent)
        self.setObjectName("layers_dock")
        self.canvas = canvas
        body = QWidget()
        outer = QVBoxLayout(body)
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        outer.addLayout(self._grid)
        form = QFormLayout()
        self.time_combo = QComboBox()
        self.time_combo.setObjectName("time_window")
        for key, text in TIME_PRESETS:
            self.time_combo.addItem(QCoreApplication.translate("LayersDock", text), key)
        self.time_combo.currentIndexChanged.connect(self._on_time_changed)
        form.addRow(self.tr("Incidents shown:"), self.time_combo)
        # a custom period: from/to in local time, applied with a button so that a half-typed
        # date does not redraw the map at every keystroke
        now = QDateTime.currentDateTime()
        self.custom_from = self._datetime_edit("time_from", now.addDays(-1))
        self.custom_to = self._datetime_edit("time_to", now)
        self.custom_apply = QToolButton()
        self.custom_apply.setObjectName("time_apply")
        self.custom_apply.setText(self.tr("Apply"))
        self.custom_apply.clicked.connect(self._apply_custom)
        self.custom_error = QLabel()
        self.custom_error.setObjectName("time_error")
        self.custom_error.setWordWrap(True)
        self.custom_error.setStyleSheet("color: #ff8a80;")
        self.custom_box = QWidget()
        custom_form = QFormLayout(self.custom_box)
        custom_form.setContentsMargins(0, 0, 0, 0)
        self._from_label = QLabel(self.tr("From:"))
        self._to_label = QLabel(self.tr("To:"))
        custom_form.addRow(self._from_label, self.custom_from)
        custom_form.addRow(self._to_label, self.custom_to)
        custom_form.addRow(self.custom_error, self.custom_apply)
        self.custom_box.setVisible(False)
        self._custom_window: tuple[int, int] | None = None
        form.addRow(self.custom_box)
        outer.addLayout(form)
        self.legend = LegendBox()
        outer.addWidget(self.legend)
        outer.addStretch(1)
        scroll = QScrollArea()  # the legend makes the panel taller than a small screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self.checkboxes: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self.up_buttons: dict[str, QToolButton] = {}
        self.down_buttons: dict[str, QToolButton] = {}
        self._rows: list[QWidget] = []
        self._build_rows()

    @property
    def time_preset(self) -> str:
        return str(self.time_combo.currentData())

    @property
    def custom_window(self) -> tuple[int, int] | None:
        """The applied custom period in µs since the epoch (UTC), or None before one is."""
        return self._custom_window

    def _datetime_edit(self, name: str, value: QDateTime) -> QDateTimeEdit:
        edit = QDateTimeEdit(value)
        edit.setObjectName(name)
        edit.setDisplayFormat(CUSTOM_FORMAT)
        edit.setCalendarPopup(True)
        return edit

    def _apply_custom(self) -> None:
        t0 = self.custom_from.dateTime().toMSecsSinceEpoch() * 1000
        t1 = self.custom_to.dateTime().toMSecsSinceEpoch() * 1000
        if t0 >= t1:
            self.custom_error.setText(self.tr("The start must be before the end."))
            return
        self.custom_error.clear()
        self._custom_window = (t0, t1)
        self.time_preset_changed.emit("custom")

    def _build_rows(self) -> None:
        for widget in self._rows:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._rows = []
        order = list(reversed(self.canvas.layer_order()))  # top of the stack first
        for row, name in enumerate(order):
            layer = self.canvas.layer(name)
            box = QCheckBox(layer_title(name))
            box.setObjectName(f"layer_visible_{name}")
            box.setChecked(layer.visible)
            box.toggled.connect(lambda on, n=name: self.canvas.set_layer_visible(n, on))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"layer_opacity_{name}")
            slider.setRange(0, 100)
            slider.setValue(round(layer.opacity * 100))
            slider.setToolTip(self.tr("Opacity"))
            slider.valueChanged.connect(
                lambda v, n=name: self.canvas.set_layer_opacity(n, v / 100))
            up = QToolButton()
            up.setArrowType(Qt.ArrowType.UpArrow)
            up.setToolTip(self.tr("Draw above"))
            up.setEnabled(row > 0)
            up.clicked.connect(lambda _=False, n=name: self._move(n, +1))
            down = QToolButton()
            down.setArrowType(Qt.ArrowType.DownArrow)
            down.setToolTip(self.tr("Draw below"))
            down.setEnabled(row < len(order) - 1)
            down.clicked.connect(lambda _=False, n=name: self._move(n, -1))
            for col, widget in enumerate((box, slider, up, down)):
                self._grid.addWidget(widget, row, col)
                self._rows.append(widget)
            self.checkboxes[name], self.sliders[name] = box, slider
            self.up_buttons[name], self.down_buttons[name] = up, down

    def row_order(self) -> list[str]:
        """Layer names as the panel lists them, top of the map first."""
        names = []
        for row in range(self._grid.rowCount()):
            item = self._grid.itemAtPosition(row, 0)
            if item is not None and isinstance(item.widget(), QCheckBox):
                names.append(item.widget().objectName().removeprefix("layer_visible_"))
        return names

    def _move(self, name: str, steps: int) -> None:
        self.canvas.move_layer(name, steps)
        self._build_rows()

    def _on_time_changed(self, _index: int) -> None:
        custom = self.time_preset == "custom"
        self.custom_box.setVisible(custom)
        if custom:
            self._apply_custom()
        else:
            self.time_preset_changed.emit(self.time_preset)


def placeholder_dock(title: str, object_name: str, parent: QWidget | None = None) -> QDockWidget:
    """A dock that says what will live there, so the layout can be arranged already."""
    dock = QDockWidget(title, parent)
    dock.setObjectName(object_name)
    label = QLabel(QCoreApplication.translate("LayersDock", "Coming in a later version."))
    label.setObjectName(f"{object_name}_placeholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setEnabled(False)  # drawn in the muted colour
    dock.setWidget(label)
    return dock
