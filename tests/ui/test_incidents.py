"""Incident intake, the queue and the detail, driven through the real window: a click on
the map places the incident, the ward comes from the edition in force, likely duplicates are
offered for linking, the gazetteer finds streets without accents, the queue sorts, colours,
ticks and marks drills, and a lost database keeps the report to send again."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import (
    Actor,
    Force,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    Role,
    UnitStatus,
)
from gvcommand.map._projection import project_point
from gvcommand.store.boundaries import WardPolygon, import_edition
from gvcommand.store.db import StoreUnavailable
from gvcommand.store.event_store import EventStore
from gvcommand.store.roads import RoadSegment, import_roads
from gvcommand.ui.incidents_dock import (
    EXERCISE_COLOUR,
    ID_ROLE,
    STATUS_COLOURS,
    IncidentQueueModel,
)
from gvcommand.ui.main_window import MainWindow

from .._screenshots import screenshot_path
from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]
LON0, LAT0, STEP = 106.645, 10.825, 0.01
SUPERVISOR = Actor("hung", Role.SUPERVISOR, "C2")


def setup_area(store: EventStore) -> None:
    """Two wards side by side (in the edition in force and in the roster) and a street."""
    wards = []
    for k, name in enumerate(("Hạnh Thông", "An Nhơn")):
        geom = shapely.box(LON0 + k * STEP, LAT0, LON0 + (k + 1) * STEP, LAT0 + STEP)
        wards.append(WardPolygon(f"W{k + 1}", name, 1.2, shapely.to_wkb(geom)))
        store.execute(c.AddWard(f"W{k + 1}", name), SUPERVISOR)
    import_edition(store, name="hiện hành", valid_from="2025-07-01", valid_to=None,
                   source_sha256="b" * 64, wards=wards, actor=ADMIN)
    line = shapely.LineString([(LON0 + 0.002, LAT0 + 0.005), (LON0 + 0.018, LAT0 + 0.005)])
    import_roads(store, name="OSM", source_sha256="c" * 64, actor=ADMIN, segments=[
        RoadSegment("Quang Trung", "primary", 1750.0, shapely.to_wkb(line))])


def viewport_pos(window: MainWindow, lon: float, lat: float) -> QPoint:
    x, y = project_point(lon, lat)
    return window.map.view.mapFromScene(window.map.view_box.mapViewToScene(QPointF(x, y)))


def incident_ids(store: EventStore) -> list[str]:
    return sorted(i for i in store.projections().incidents)


def create(store: EventStore, ident: str, lon: float, lat: float, *, priority: int = 2,
           type_: IncidentType = IncidentType.SNATCH_THEFT, exercise: bool = False) -> None:
    store.execute(c.CreateIncident(ident, type_, priority, lon, lat, IncidentSource.PHONE,
                                   address=f"Địa chỉ {ident}", exercise=exercise), OFFICER)


def test_create_an_incident_by_clicking_the_map(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    window = make_window()
    window.map.set_view(LON0 + STEP, LAT0 + STEP / 2, 2500)
    intake = window.open_intake()
    qtbot.waitExposed(intake)
    assert window.incidents_dock.isVisible()
    lon, lat = LON0 + 0.004, LAT0 + 0.004  # in Hạnh Thông
    qtbot.mouseClick(window.map.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(window, lon, lat))
    assert intake.location is not None
    assert abs(intake.location[0] - lon) < 2e-5 and abs(intake.location[1] - lat) < 2e-5
    assert intake.ward_label.text() == "Hạnh Thông"
    intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.FIGHT))
    intake.priority_box.setCurrentIndex(0)
    intake.caller_edit.setText("Nguyễn Văn A")  # QTest types ASCII only
    qtbot.keyClicks(intake.callback_edit, "goi sau")
    qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    assert intake.isVisible() and "điện thoại" in intake.error_label.text()
    intake.callback_edit.clear()
    qtbot.keyClicks(intake.callback_edit, "0903 123 456")
    intake.narrative_edit.insertPlainText("Hai nhóm thanh niên đánh nhau trước quán")
    intake.grab().save(screenshot_path("gv_incident_intake.png"))
    qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.incidents_dock.model.rowCount() == 1, timeout=5000)
    [inc] = store.projections().incidents.values()
    assert (inc.type, inc.priority, inc.ward) == (IncidentType.FIGHT, 1, "W1")
    assert (inc.caller_name, inc.callback_number) == ("Nguyễn Văn A", "0903 123 456")
    assert window.intake is None  # closed (and deleted)
    # the new incident is selected and its detail shows the caller to a supervisor
    qtbot.waitUntil(lambda: "Nguyễn Văn A" in window.incidents_dock.detail_title.text(),
                    timeout=3000)


def test_a_place_outside_every_ward_needs_a_reason(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    window = make_window()
    intake = window.open_intake()
    intake.crs_box.setCurrentIndex(0)
    qtbot.keyClicks(intake.coord_a, f"{LAT0 + 0.05}")
    qtbot.keyClicks(intake.coord_b, f"{LON0 + 0.005}")
    qtbot.keyClick(intake.coord_b, Qt.Key.Key_Return)
    assert intake.ward_code is None and intake.outside_reason.isVisible()
    assert not intake.error_label.isVisible()  # Enter set the place and did nothing else
    qtbot.waitUntil(intake.isActiveWindow, timeout=2000)
    qtbot.keyClick(intake.narrative_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert intake.isVisible() and intake.error_label.isVisible()
    intake.outside_reason.setText("Giáp ranh, người báo đứng bên này")
    qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(incident_ids(store)) == 1, timeout=5000)
    [inc] = store.projections().incidents.values()
    assert inc.ward is None and "Giáp ranh" in inc.summary


def test_vn2000_coordinates(qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    setup_area(store)
    window = make_window(start=False)
    intake = window.open_intake()
    intake.crs_box.setCurrentIndex(1)
    # the reference point of ARCHITECTURE.md: WGS84 (106.665, 10.838)
    qtbot.keyClicks(intake.coord_a, "599850.583")
    qtbot.keyClicks(intake.coord_b, "1198688.945")
    qtbot.mouseClick(intake.coord_button, Qt.MouseButton.LeftButton)
    assert intake.location is not None
    assert abs(intake.location[0] - 106.665) < 1e-6 and abs(intake.location[1] - 10.838) < 1e-6
    intake.reject()


def test_gazetteer_search_without_accents(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    window = make_window(start=False)
    intake = window.open_intake()
    qtbot.keyClicks(intake.search_edit, "quang trung")
    assert intake.search_results.isVisible()
    assert intake.search_results.item(0).text().startswith("Quang Trung")
    qtbot.keyClick(intake.search_edit, Qt.Key.Key_Return)
    assert intake.location is not None and intake.address_edit.text() == "Quang Trung"
    # Enter chose the place; it did not record the incident (that is Ctrl+Enter)
    assert intake.isVisible()
    qtbot.wait(100)
    assert incident_ids(store) == []
    assert intake.ward_label.text() in ("Hạnh Thông", "An Nhơn")
    intake.search_edit.clear()
    qtbot.keyClicks(intake.search_edit, "an nhon")
    assert intake.search_results.item(0).text().startswith("An Nhơn")
    intake.search_edit.clear()
    qtbot.keyClicks(intake.search_edit, "duong khong ton tai")
    assert intake.search_results.count() == 1
    assert intake.search_results.item(0).data(Qt.ItemDataRole.UserRole) is None
    intake.reject()


def test_duplicate_warning_and_link_instead(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    lon, lat = LON0 + 0.004, LAT0 + 0.004
    create(store, "first", lon, lat)
    window = make_window()
    intake = window.open_intake()
    intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.SNATCH_THEFT))
    intake.set_location(lon + 0.001, lat)  # ~110 m away
    assert intake.duplicate_box.isVisible()
    assert intake.duplicate_list.count() == 1
    assert "#1" in intake.duplicate_list.item(0).text()
    # another type: no warning; a drill: no warning
    intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.FIGHT))
    assert not intake.duplicate_box.isVisible()
    intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.SNATCH_THEFT))
    intake.exercise_box.setChecked(True)
    assert not intake.duplicate_box.isVisible()
    assert intake.windowTitle().endswith("DIỄN TẬP")
    intake.exercise_box.setChecked(False)
    intake.narrative_edit.insertPlainText("Người dân gọi lần hai")
    intake.grab().save(screenshot_path("gv_incident_intake_duplicate.png"))
    qtbot.mouseClick(intake.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.projections().incidents["first"].linked_reports == 1,
                    timeout=5000)
    assert incident_ids(store) == ["first"]
    kinds = [e.kind for e in store.events_of("incident:first")]
    assert kinds[-1] == "incident.report_linked"


def test_queue_sorts_colours_ticks_and_marks_drills(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    create(store, "a-low", LON0 + 0.003, LAT0 + 0.003, priority=4)
    create(store, "b-urgent", LON0 + 0.013, LAT0 + 0.003, priority=1,
           type_=IncidentType.FIGHT)
    create(store, "c-drill", LON0 + 0.006, LAT0 + 0.006, priority=2, exercise=True,
           type_=IncidentType.ROBBERY)
    window = make_window()
    dock = window.incidents_dock
    qtbot.waitUntil(lambda: dock.model.rowCount() == 3, timeout=3000)

    def order() -> list[str]:
        return [dock.proxy.index(r, 0).data(ID_ROLE) for r in range(dock.proxy.rowCount())]

    assert order() == ["b-urgent", "c-drill", "a-low"]  # by priority
    dock.view.sortByColumn(IncidentQueueModel.AGE, Qt.SortOrder.AscendingOrder)
    assert order() == ["c-drill", "b-urgent", "a-low"]  # youngest first
    dock.view.sortByColumn(IncidentQueueModel.AGE, Qt.SortOrder.DescendingOrder)
    assert order() == ["a-low", "b-urgent", "c-drill"]  # oldest first
    # the drill is marked
    row = order().index("c-drill")
    kind = dock.proxy.index(row, IncidentQueueModel.TYPE)
    assert kind.data().startswith("DIỄN TẬP")
    number = dock.proxy.index(row, IncidentQueueModel.NUMBER)
    assert number.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(EXERCISE_COLOUR)
    assert "Diễn tập" in number.data(Qt.ItemDataRole.ToolTipRole)
    assert "DIỄN TẬP" not in dock.proxy.index(order().index("a-low"),
                                              IncidentQueueModel.TYPE).data()
    # coloured by status; a dispatch recolours the row
    assert dock.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == QColor(
        STATUS_COLOURS[IncidentStatus.NEW])
    store.execute(c.AddUnit("363-01", Force.TO_363), SUPERVISOR)
    store.execute(c.DispatchUnit("b-urgent", "363-01"), OFFICER)

    def colour_of(ident: str) -> QColor:
        r = order().index(ident)
        return dock.proxy.index(r, 0).data(Qt.ItemDataRole.BackgroundRole).color()

    qtbot.waitUntil(lambda: colour_of("b-urgent") == QColor(
        STATUS_COLOURS[IncidentStatus.DISPATCHED]), timeout=3000)
    # ages tick with the clock
    age = dock.proxy.index(0, IncidentQueueModel.AGE)
    dock.tick(time.time_ns() // 1000 + 125_000_000)
    assert dock.proxy.index(0, IncidentQueueModel.AGE).data() in ("02:05", "02:06")
    del age
    # selecting in the queue selects on the map (the window's selection) and shows the detail
    dock.select("b-urgent")
    assert window.selected == ("incident", "b-urgent")
    qtbot.waitUntil(lambda: "363-01" in "".join(
        dock.units_list.item(i).text() for i in range(dock.units_list.count())), timeout=3000)
    store.execute(c.SetUnitStatus("363-01", UnitStatus.EN_ROUTE), OFFICER)
    store.execute(c.SetUnitStatus("363-01", UnitStatus.ON_SCENE), OFFICER)
    qtbot.waitUntil(lambda: dock.units_list.count() == 1 and "có mặt" in
                    dock.units_list.item(0).text(), timeout=3000)
    line = dock.units_list.item(0).text()
    assert line.index("điều động") < line.index("đang đến") < line.index("có mặt"), line
    # and selecting on the map selects in the queue
    window.map.feature_selected.emit("incident", "c-drill")
    assert dock.view.currentIndex().data(ID_ROLE) == "c-drill"
    assert "DIỄN TẬP" in dock.detail_title.text()
    window.grab().save(screenshot_path("gv_incident_queue_window.png"))
    dock.grab().save(screenshot_path("gv_incident_queue.png"))


def test_notes_are_appended(qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    setup_area(store)
    create(store, "inc", LON0 + 0.003, LAT0 + 0.003)
    window = make_window()
    dock = window.incidents_dock
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1, timeout=3000)
    dock.select("inc")
    dock.note_edit.setText("Đã liên hệ lại người báo")
    qtbot.keyClick(dock.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("Đã liên hệ lại" in dock.history_list.item(i).text()
                                for i in range(dock.history_list.count())), timeout=5000)
    assert dock.note_edit.text() == ""


def test_caller_hidden_from_a_role_that_may_not_see_it(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    store.execute(c.CreateIncident("inc", IncidentType.THEFT, 3, LON0 + 0.003, LAT0 + 0.003,
                                   IncidentSource.PHONE, caller_name="Trần B",
                                   callback_number="0903000111"), OFFICER)
    window = make_window(actor=ADMIN, display_name="Quản trị")
    window.incidents_dock.select("inc")
    text = window.incidents_dock.detail_title.text()
    assert "Trần B" not in text and "0903000111" not in text


def test_a_lost_database_keeps_the_report_and_sends_it_later(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore, monkeypatch: object
) -> None:
    setup_area(store)
    window = make_window()
    real = store.execute_group
    down = {"on": True}

    def flaky(items: object) -> object:
        if down["on"]:
            raise StoreUnavailable("lost the database while writing")
        return real(items)  # type: ignore[arg-type]

    store.execute_group = flaky  # type: ignore[method-assign]
    window.runner._retry.setInterval(200)
    intake = window.open_intake()
    intake.set_location(LON0 + 0.004, LAT0 + 0.004)
    qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    banner = window.incidents_dock.banner
    qtbot.waitUntil(banner.isVisible, timeout=3000)
    assert "1" in banner.text() and window.runner.pending
    window.grab().save(screenshot_path("gv_incident_lost_connection.png"))
    down["on"] = False
    qtbot.waitUntil(lambda: len(incident_ids(store)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)
    assert not window.runner.pending


def test_the_event_log_masks_the_caller_for_a_role_that_may_not_see_it(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore, tmp_path: object
) -> None:
    setup_area(store)
    store.execute(c.CreateIncident("inc", IncidentType.THEFT, 3, LON0 + 0.003, LAT0 + 0.003,
                                   IncidentSource.PHONE, caller_name="Trần B",
                                   callback_number="0903000111"), OFFICER)
    for actor, shown in ((ADMIN, False), (OFFICER, True)):
        window = make_window(actor=actor, display_name=actor.name)
        model = window.event_model
        qtbot.waitUntil(lambda m=model: any(
            m.data(m.index(r, 0)) is not None and "incident:inc" in str(
                m.data(m.index(r, m.SUBJECT))) for r in range(m.rowCount())), timeout=3000)
        texts = [model.data(model.index(r, model.KIND), Qt.ItemDataRole.ToolTipRole)
                 for r in range(model.rowCount())]
        created = next(t for t in texts if t and '"number"' in t)
        assert ("0903000111" in created) is shown and ("Trần B" in created) is shown
        window.close()


def test_a_refused_report_is_told_in_the_panel(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    lon, lat = LON0 + 0.004, LAT0 + 0.004
    create(store, "first", lon, lat)
    window = make_window()
    intake = window.open_intake()
    intake.type_box.setCurrentIndex(intake.type_box.findData(IncidentType.SNATCH_THEFT))
    intake.set_location(lon, lat)
    assert intake.duplicate_list.count() == 1
    # another console cancels it while the officer is still talking to the caller
    store.execute(c.CancelIncident("first", "Báo nhầm"), SUPERVISOR)
    qtbot.mouseClick(intake.link_button, Qt.MouseButton.LeftButton)
    banner = window.incidents_dock.banner
    qtbot.waitUntil(banner.isVisible, timeout=3000)
    assert banner.text().startswith("Bị từ chối")
    assert not window.runner.pending  # refused, not kept for a retry


def test_a_drill_is_marked_on_the_map(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    create(store, "drill", LON0 + 0.006, LAT0 + 0.006, exercise=True)
    create(store, "real", LON0 + 0.014, LAT0 + 0.006)
    window = make_window(start=False)
    window.map.set_view(LON0 + STEP, LAT0 + STEP / 2, 2500)
    for ident, lon, marked in (("drill", LON0 + 0.006, True), ("real", LON0 + 0.014, False)):
        found = window.map.feature_at(QPointF(*project_point(lon, LAT0 + 0.006)))
        assert found is not None and found[1] == ident
        assert found[2].startswith("[DIỄN TẬP]") is marked


def test_closing_with_reports_waiting_asks_first(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(start=False)

    def down(*_args: object) -> object:
        raise StoreUnavailable("lost the database while writing")

    monkeypatch.setattr(store, "execute_group", down)
    report = c.CreateIncident("x", IncidentType.THEFT, 3, LON0, LAT0, IncidentSource.PHONE)
    window.runner._retry.setInterval(60_000)  # no resend in flight when it is cancelled
    window.runner.submit(report)
    qtbot.waitUntil(lambda: window.runner.pending == [report], timeout=3000)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", answer)
    window.close()
    assert window.isVisible() and "1" in asked[0]
    assert window.runner.cancel(report) and not window.runner.pending
    window.close()
    assert not window.isVisible()
