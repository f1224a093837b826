"""Incident intake: one keyboard-first dialog for a new report.

Type, priority, source, then the place: a click on the map (the dialog is not modal, the
map stays live), coordinates (WGS 84 or VN-2000 TM-3), or a street / ward / place from the
gazetteer. The ward comes from the boundary edition in force; a place outside every ward is
allowed with a reason. An open incident of the same type close by and recent is shown as a
likely duplicate, and the report can be linked to it instead of opening a new incident.

The dialog only builds the command (``submitted``); the incident panel sends it. Its id is
made once per dialog, so a retry after a lost connection is the same incident, not two.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..analysis.gazetteer import Gazetteer, Place
from ..core import commands as c
from ..core.duplicates import possible_duplicates
from ..core.handlers import PHONE
from ..core.model import EXERCISE_LABEL, Incident, IncidentSource, IncidentType
from ..core.state import State
from ..geo import crs
from ..geo.editions import VIETNAM_TZ, BoundaryEdition
from ..map.canvas import MapCanvas
from . import theme
from .incidents_dock import EXERCISE_COLOUR
from .intake_place import kind_label, parse_coordinates
from .intake_when import parse_happened
from .labels import poi_kind_label

WGS84, VN2000 = "wgs84", "vn2000"


class IncidentIntake(QDialog):
    submitted = Signal(object)  # the command: CreateIncident or LinkReport

    def __init__(self, state: Callable[[], State], edition: Callable[[], BoundaryEdition | None],
                 *, gazetteer: Gazetteer | None = None, map_canvas: MapCanvas | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_intake")
        self.setWindowTitle(self.tr("New incident"))
        self.setModal(False)  # the map must stay clickable
        self._state = state
        self._edition = edition
        self._gazetteer = gazetteer
        self._map = map_canvas
        self.incident_id = str(uuid.uuid4())
        self.location: tuple[float, float] | None = None
        self.ward_code: str | None = None
        self.duplicates: list[tuple[Incident, float]] = []

        self.type_box = QComboBox()
        self.type_box.setObjectName("intake_type")
        for t in IncidentType:
            self.type_box.addItem(t.label, t)
        self.priority_box = QComboBox()
        self.priority_box.setObjectName("intake_priority")
        for p, text in ((1, self.tr("1 — urgent")), (2, self.tr("2 — high")),
                        (3, self.tr("3 — normal")), (4, self.tr("4 — low"))):
            self.priority_box.addItem(text, p)
        self.priority_box.setCurrentIndex(1)
        self.source_box = QComboBox()
        self.source_box.setObjectName("intake_source")
        for s in IncidentSource:
            self.source_box.addItem(s.label, s)

        # --- where ---------------------------------------------------------------------------
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("intake_search")
        self.search_edit.setPlaceholderText(self.tr("Street, ward or place (no accents needed)"))
        self.search_results = QListWidget()
        self.search_results.setObjectName("intake_search_results")
        self.search_results.setMaximumHeight(90)
        self.search_results.hide()
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.search_edit.returnPressed.connect(self._on_search_return)
        self.search_results.itemActivated.connect(self._on_place_chosen)
        self.search_results.itemClicked.connect(self._on_place_chosen)

        self.crs_box = QComboBox()
        self.crs_box.setObjectName("intake_crs")
        self.crs_box.addItem(self.tr("WGS 84 (lat, lon)"), WGS84)
        self.crs_box.addItem(self.tr("VN-2000 TM-3 105°45′ (E, N)"), VN2000)
        self.coord_a = QLineEdit()
        self.coord_a.setObjectName("intake_coord_a")
        self.coord_b = QLineEdit()
        self.coord_b.setObjectName("intake_coord_b")
        for edit in (self.coord_a, self.coord_b):
            edit.returnPressed.connect(self._on_coordinates_entered)
        self.crs_box.currentIndexChanged.connect(self._on_crs_changed)
        coords = QHBoxLayout()
        coords.addWidget(self.crs_box)
        coords.addWidget(self.coord_a)
        coords.addWidget(self.coord_b)
        self.coord_button = QPushButton(self.tr("Set"))
        self.coord_button.setObjectName("intake_coord_set")
        self.coord_button.setAutoDefault(False)
        self.coord_button.clicked.connect(self._on_coordinates_entered)
        coords.addWidget(self.coord_button)
        self.location_label = QLabel(self.tr("No location yet: click the map, search, or type "
                                             "coordinates."))
        self.location_label.setObjectName("intake_location")
        self.location_label.setWordWrap(True)
        self.ward_label = QLabel("—")
        self.ward_label.setObjectName("intake_ward")
        self.outside_reason = QLineEdit()
        self.outside_reason.setObjectName("intake_outside_reason")
        self.outside_reason.setPlaceholderText(
            self.tr("Outside every ward: say why it is taken here"))
        self.outside_reason.hide()
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("intake_address")
        self.address_edit.setMaxLength(300)

        # --- when ----------------------------------------------------------------------------
        # a report often comes after the fact ("my motorbike was taken an hour ago"): the
        # statistics count when it happened, the response times when it was reported
        self.when_edit = QLineEdit()
        self.when_edit.setObjectName("intake_when")
        self.when_edit.setPlaceholderText(
            self.tr("just now — or hh:mm, or minutes ago (e.g. 40), or dd/mm hh:mm"))
        self.when_edit.textChanged.connect(self._on_when_changed)
        self.when_label = QLabel()
        self.when_label.setObjectName("intake_when_meaning")
        when_row = QHBoxLayout()
        when_row.addWidget(self.when_edit, 1)
        when_row.addWidget(self.when_label)

        # --- who, what -----------------------------------------------------------------------
        self.caller_edit = QLineEdit()
        self.caller_edit.setObjectName("intake_caller")
        self.caller_edit.setMaxLength(100)  # the core's limits, so nothing is refused later
        self.callback_edit = QLineEdit()
        self.callback_edit.setObjectName("intake_callback")
        self.callback_edit.setMaxLength(24)
        self.narrative_edit = QPlainTextEdit()
        self.narrative_edit.setObjectName("intake_narrative")
        self.narrative_edit.setTabChangesFocus(True)
        self.narrative_edit.setMinimumHeight(70)
        self.exercise_box = QCheckBox(self.tr("Exercise (drill) — not a real incident"))
        self.exercise_box.setObjectName("intake_exercise")
        self.exercise_box.toggled.connect(self._check_duplicates)
        self.exercise_box.toggled.connect(self._on_exercise_toggled)

        # --- likely duplicates -------------------------------------------------------------
        self.duplicate_box = QGroupBox(self.tr("Possible duplicate"))
        self.duplicate_box.setObjectName("intake_duplicates")
        self.duplicate_box.setStyleSheet(f"QGroupBox {{ color: {theme.WARN}; }}")
        self.duplicate_list = QListWidget()
        self.duplicate_list.setObjectName("intake_duplicate_list")
        self.duplicate_list.setMaximumHeight(70)
        self.link_button = QPushButton(self.tr("&Link to the selected incident instead"))
        self.link_button.setObjectName("intake_link")
        self.link_button.setAutoDefault(False)
        self.link_button.clicked.connect(self._on_link)
        dup_layout = QVBoxLayout(self.duplicate_box)
        dup_layout.addWidget(self.duplicate_list)
        dup_layout.addWidget(self.link_button)
        self.duplicate_box.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("intake_error")
        self.error_label.setStyleSheet(f"color: {theme.ALARM}; font-weight: bold;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Type"), self.type_box)
        form.addRow(self.tr("&Priority"), self.priority_box)
        form.addRow(self.tr("S&ource"), self.source_box)
        form.addRow(self.tr("&Find a place"), self.search_edit)
        form.addRow("", self.search_results)
        coords_label = QLabel(self.tr("Coor&dinates"))
        coords_label.setBuddy(self.coord_a)
        form.addRow(coords_label, coords)
        form.addRow(self.tr("Location"), self.location_label)
        form.addRow(self.tr("Ward"), self.ward_label)
        form.addRow("", self.outside_reason)
        form.addRow(self.tr("&Address"), self.address_edit)
        when_label = QLabel(self.tr("&Happened"))
        when_label.setBuddy(self.when_edit)
        form.addRow(when_label, when_row)
        form.addRow(self.tr("&Caller"), self.caller_edit)
        form.addRow(self.tr("Call&back number"), self.callback_edit)
        form.addRow(self.tr("&Narrative"), self.narrative_edit)
        form.addRow("", self.exercise_box)

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("&Record incident"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("intake_ok")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._on_accept)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.duplicate_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.type_box.currentIndexChanged.connect(self._check_duplicates)
        self._on_crs_changed()
        if self._map is not None:
            self._map.view.scene().sigMouseClicked.connect(self._on_map_clicked)
        self.finished.connect(self._disconnect_map)
        self.type_box.setFocus()
        self.resize(560, self.sizeHint().height())

    def _on_exercise_toggled(self, on: bool) -> None:
        # a drill must be unmistakable before it is recorded, not only after
        title = self.tr("New incident")
        self.setWindowTitle(f"{title} — {EXERCISE_LABEL.upper()}" if on else title)
        self.exercise_box.setStyleSheet(
            f"color: {EXERCISE_COLOUR}; font-weight: bold;" if on else "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the field it is pressed in (a search picks its first place,
        # coordinates are set), never "record" through the default button: that is
        # Ctrl+Enter or the button itself
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            event.accept()
            return
        super().keyPressEvent(event)

    # --- location ------------------------------------------------------------------------------
    def set_location(self, lon: float, lat: float, how: str = "") -> None:
        self.location = (lon, lat)
        e, n = crs.from_wgs84(crs.VN2000_TM3_HCMC, lon, lat)
        self.location_label.setWordWrap(False)  # two fixed lines: a wrapped label gets clipped
        self.location_label.setText(f"{lat:.6f}°, {lon:.6f}°" + (f"  ({how})" if how else "")
                                    + f"\nVN-2000: E {e:.1f}, N {n:.1f}")
        edition = self._edition()
        ward = edition.ward_at(lon, lat) if edition is not None else None
        self.ward_code = ward.code if ward is not None else None
        if ward is not None:
            self.ward_label.setText(ward.name)
            self.ward_label.setStyleSheet("")
            self.outside_reason.hide()
        else:
            self.ward_label.setText(self.tr("Outside every ward of the boundary edition in force"))
            self.ward_label.setStyleSheet(f"color: {theme.WARN}; font-weight: bold;")
            self.outside_reason.show()
        self._check_duplicates()

    def _on_map_clicked(self, ev: object) -> None:
        if not self.isVisible() or self._map is None or self._map.measuring:
            return
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        pos: QPointF = self._map.view_box.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        lon, lat = crs.to_wgs84(crs.VN2000_TM3_HCMC, float(pos.x()), float(pos.y()))
        self.set_location(float(lon), float(lat), self.tr("map"))

    def _disconnect_map(self) -> None:
        if self._map is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the map went first
                self._map.view.scene().sigMouseClicked.disconnect(self._on_map_clicked)
            self._map = None

    def _on_crs_changed(self) -> None:
        if self.crs_box.currentData() == WGS84:
            self.coord_a.setPlaceholderText(self.tr("latitude, e.g. 10.8387"))
            self.coord_b.setPlaceholderText(self.tr("longitude, e.g. 106.6797"))
        else:
            self.coord_a.setPlaceholderText(self.tr("E (m), e.g. 601234.5"))
            self.coord_b.setPlaceholderText(self.tr("N (m), e.g. 1198700.0"))

    def _on_coordinates_entered(self) -> None:
        try:
            lon, lat = parse_coordinates(self.coord_a.text(), self.coord_b.text(),
                                         vn2000=self.crs_box.currentData() != WGS84)
        except ValueError as exc:
            self._error(str(exc))
            return
        self._error("")
        self.set_location(lon, lat, self.tr("coordinates"))

    # --- gazetteer -----------------------------------------------------------------------------
    def _on_search_changed(self, text: str) -> None:
        self.search_results.clear()
        if self._gazetteer is None or len(text.strip()) < 2:
            self.search_results.hide()
            return
        places = self._gazetteer.search(text, limit=12)
        for place in places:
            what = (poi_kind_label(place.detail) if place.kind == "poi" and place.detail
                    else self._kind_label(place.kind))
            item = QListWidgetItem(f"{place.name}  ·  {what}")
            item.setData(Qt.ItemDataRole.UserRole, place)
            self.search_results.addItem(item)
        if not places:
            item = QListWidgetItem(self.tr("Nothing found by that name"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.search_results.addItem(item)
        self.search_results.show()

    def _on_search_return(self) -> None:
        first = self.search_results.item(0)
        if first is not None and first.data(Qt.ItemDataRole.UserRole) is not None:
            self._on_place_chosen(first)

    def _on_place_chosen(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(place, Place):
            return
        if not self.address_edit.text().strip():
            self.address_edit.setText(place.name)
        self.search_results.hide()
        self.set_location(place.lon, place.lat, place.name)
        if self._map is not None:
            self._map.set_view(place.lon, place.lat, max(800.0, self._map.view_rect().width()
                                                         / 2))

    def _kind_label(self, kind: str) -> str:
        return kind_label(kind)

    # --- duplicates ----------------------------------------------------------------------------
    def _check_duplicates(self) -> None:
        self.duplicate_list.clear()
        self.duplicates = []
        if self.location is not None:
            now_us = time.time_ns() // 1000
            self.duplicates = possible_duplicates(
                self._state().incidents.values(), IncidentType(self.type_box.currentData()),
                *self.location, now_us, exercise=self.exercise_box.isChecked())
        for inc, metres in self.duplicates:
            minutes = max(0, (time.time_ns() // 1000 - inc.created_us) // 60_000_000)
            item = QListWidgetItem(self.tr("#{number} {type} — {metres} m away, {minutes} min "
                                           "ago, {status}").format(
                number=inc.number, type=inc.type.label, metres=round(metres), minutes=minutes,
                status=inc.status.label))
            item.setData(Qt.ItemDataRole.UserRole, inc.id)
            self.duplicate_list.addItem(item)
        self.duplicate_box.setVisible(bool(self.duplicates))
        if self.duplicates:
            self.duplicate_list.setCurrentRow(0)

    def _on_link(self) -> None:
        item = self.duplicate_list.currentItem()
        if item is None or self.location is None:
            return
        self.submitted.emit(c.LinkReport(
            item.data(Qt.ItemDataRole.UserRole), IncidentSource(self.source_box.currentData()),
            self.narrative_edit.toPlainText().strip(), *self.location,
            caller_name=self.caller_edit.text().strip() or None,
            callback_number=self.callback_edit.text().strip() or None))
        self.accept()

    # --- when ---------------------------------------------------------------------------------
    def _on_when_changed(self) -> None:
        text = self.when_edit.text().strip()
        if not text:
            self.when_label.setText("")
            return
        try:
            when_us = parse_happened(text, time.time_ns() // 1000)
        except ValueError as exc:
            self.when_label.setText(str(exc))
            self.when_label.setStyleSheet(f"color: {theme.ALARM};")
            return
        self.when_label.setStyleSheet("")
        at = dt.datetime.fromtimestamp(when_us / 1e6, VIETNAM_TZ)
        ago = max(0, (time.time_ns() // 1000 - when_us) // 60_000_000)
        self.when_label.setText(self.tr("{time}, {minutes} min ago").format(
            time=at.strftime("%H:%M %d/%m"), minutes=ago))

    # --- recording -----------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def command(self) -> c.CreateIncident | None:
        """The command the form describes, or None (and the reason shown) if incomplete."""
        if self.location is None:
            self._error(self.tr("Give the location: click the map, search a street, or type "
                                "coordinates."))
            return None
        callback = self.callback_edit.text().strip()
        if callback and not PHONE.fullmatch(callback):
            self._error(self.tr("The callback number is not a telephone number (digits, "
                                "spaces, +, -, brackets)."))
            self.callback_edit.setFocus()
            return None
        occurred_us = None
        if self.when_edit.text().strip():
            try:
                occurred_us = parse_happened(self.when_edit.text(), time.time_ns() // 1000)
            except ValueError as exc:
                self._error(self.tr("When it happened: {reason}").format(reason=exc))
                self.when_edit.setFocus()
                return None
        narrative = self.narrative_edit.toPlainText().strip()
        if self.ward_code is None:
            reason = self.outside_reason.text().strip()
            if not reason:
                self._error(self.tr("The location is outside every ward: say why it is taken."))
                self.outside_reason.setFocus()
                return None
            narrative = (narrative + "\n" if narrative else "") + self.tr(
                "[Outside every ward: {reason}]").format(reason=reason)
        state = self._state()
        return c.CreateIncident(
            self.incident_id, IncidentType(self.type_box.currentData()),
            int(self.priority_box.currentData()),
            *self.location, IncidentSource(self.source_box.currentData()),
            ward=self.ward_code if self.ward_code and state.ward(self.ward_code) else None,
            address=self.address_edit.text().strip() or None, summary=narrative,
            caller_name=self.caller_edit.text().strip() or None,
            callback_number=self.callback_edit.text().strip() or None,
            exercise=self.exercise_box.isChecked(), occurred_us=occurred_us)

    def _on_accept(self) -> None:
        command = self.command()
        if command is None:
            return
        self._error("")
        self.submitted.emit(command)
        self.accept()
