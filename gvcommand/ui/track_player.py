"""Play a unit's recorded track on the map: pick the unit and the period, then play, pause,
change the speed or drag the time slider; the marker shows where the unit was."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ..map.layers.tracks import TrackLayer, TrackPoint

# (call sign, from µs, to µs, done(points), failed(reason)): the points or the reason come
# later, on the main thread (the session reads them on its pool)
TrackLoader = Callable[[str, int, int, Callable[[Sequence[TrackPoint]], None],
                        Callable[[str], None]], None]
SPEEDS = (1, 10, 60, 300)
TICK_MS = 100  # ≤ 10 repaints a second
SLIDER_STEPS = 1000
FORMAT = "dd/MM/yyyy HH:mm"


class TrackPlayerDock(QDockWidget):
    def __init__(self, layer: TrackLayer, load: TrackLoader, parent: QWidget | None = None,
                 *, now: Callable[[], QDateTime] = QDateTime.currentDateTime) -> None:
        super().__init__(self.tr("Track playback"), parent)
        self.setObjectName("track_dock")
        self.layer, self.load = layer, load
        self.t0_us = self.t1_us = self.t_us = 0
        body = QWidget()
        outer = QVBoxLayout(body)
        form = QFormLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("track_unit")
        form.addRow(self.tr("Unit:"), self.unit_combo)
        start = now()
        self.from_edit = self._edit("track_from", start.addSecs(-3600))
        self.to_edit = self._edit("track_to", start)
        form.addRow(self.tr("From:"), self.from_edit)
        form.addRow(self.tr("To:"), self.to_edit)
        self.load_button = QPushButton(self.tr("Show track"))
        self.load_button.setObjectName("track_load")
        self.load_button.clicked.connect(self.show_track)
        form.addRow(self.load_button)
        outer.addLayout(form)
        controls = QHBoxLayout()
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setObjectName("track_play")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._on_play)
        self.speed_combo = QComboBox()
        self.speed_combo.setObjectName("track_speed")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed}×", speed)
        self.speed_combo.setCurrentIndex(2)
        controls.addWidget(self.play_button)
        controls.addWidget(self.speed_combo)
        outer.addLayout(controls)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("track_slider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.valueChanged.connect(self._on_slider)
        outer.addWidget(self.slider)
        self.time_label = QLabel()
        self.time_label.setObjectName("track_time")
        self.status_label = QLabel(self.tr("Choose a unit and a period."))
        self.status_label.setObjectName("track_status")
        self.status_label.setWordWrap(True)
        outer.addWidget(self.time_label)
        outer.addWidget(self.status_label)
        outer.addStretch(1)
        self.setWidget(body)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._set_enabled(False)

    def _edit(self, name: str, value: QDateTime) -> QDateTimeEdit:
        edit = QDateTimeEdit(value)
        edit.setObjectName(name)
        edit.setDisplayFormat(FORMAT)
        edit.setCalendarPopup(True)
        return edit

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.play_button, self.speed_combo, self.slider):
            widget.setEnabled(on)

    def set_units(self, call_signs: Sequence[str]) -> None:
        current = self.unit_combo.currentText()
        self.unit_combo.clear()
        self.unit_combo.addItems(list(call_signs))
        if current in call_signs:
            self.unit_combo.setCurrentText(current)

    # --- loading -------------------------------------------------------------------------
    def show_track(self) -> None:
        self.play_button.setChecked(False)
        call_sign = self.unit_combo.currentText()
        t0 = self.from_edit.dateTime().toMSecsSinceEpoch() * 1000
        t1 = self.to_edit.dateTime().toMSecsSinceEpoch() * 1000
        if not call_sign:
            self.status_label.setText(self.tr("Choose a unit first."))
            return
        if t0 >= t1:
            self.status_label.setText(self.tr("The start must be before the end."))
            return
        self.load_button.setEnabled(False)
        self.status_label.setText(self.tr("Reading the track…"))
        self.load(call_sign, t0, t1,
                  lambda points: self._on_loaded(call_sign, list(points)), self._on_failed)

    def _on_failed(self, reason: str) -> None:
        self.load_button.setEnabled(True)
        self._set_enabled(False)
        self.status_label.setText(self.tr("The track cannot be shown: {reason}")
                                  .format(reason=reason))

    def _on_loaded(self, call_sign: str, points: list[TrackPoint]) -> None:
        self.load_button.setEnabled(True)
        self.layer.set_track(call_sign, points)
        if not points:
            self._set_enabled(False)
            self.time_label.clear()
            self.status_label.setText(self.tr("{unit} sent no position in this period.")
                                      .format(unit=call_sign))
            return
        self.t0_us, self.t1_us = points[0].t_us, points[-1].t_us
        self._set_enabled(True)
        self.status_label.setText(self.tr("{unit}: {count} positions").format(
            unit=call_sign, count=len(points)))
        self.seek(self.t0_us)

    # --- time ----------------------------------------------------------------------------
    def seek(self, t_us: int) -> None:
        self.t_us = min(max(t_us, self.t0_us), self.t1_us)
        span = max(1, self.t1_us - self.t0_us)
        self.slider.blockSignals(True)
        self.slider.setValue(round((self.t_us - self.t0_us) / span * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.layer.set_time(self.t_us)
        moment = QDateTime.fromMSecsSinceEpoch(self.t_us // 1000)
        self.time_label.setText(moment.toString("HH:mm:ss  dd/MM/yyyy"))

    def _on_slider(self, value: int) -> None:
        self.seek(self.t0_us + round((self.t1_us - self.t0_us) * value / SLIDER_STEPS))

    def _on_play(self, playing: bool) -> None:
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        if playing and self.t_us >= self.t1_us:
            self.seek(self.t0_us)  # from the start again
        if playing:
            self.timer.start()
        else:
            self.timer.stop()

    def advance(self, seconds: float) -> None:
        """Move playback on by ``seconds`` of wall time at the chosen speed."""
        speed = int(self.speed_combo.currentData())
        self.seek(self.t_us + round(seconds * speed * 1_000_000))
        if self.t_us >= self.t1_us:
            self.play_button.setChecked(False)

    def _tick(self) -> None:
        self.advance(TICK_MS / 1000)
