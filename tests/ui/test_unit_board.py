"""The officers' dispatch work driven through the real window: drag a unit onto an incident
on the map, change status from the unit board by keyboard, overdue alerts (time driven by a
fake clock), a refused transition and a conflict told in plain words, and recommendations
ranked by road time with a stale unit last."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import shapely
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QSpinBox
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import (
    Actor,
    Force,
    IncidentSource,
    IncidentType,
    Role,
    Unit,
    UnitStatus,
)
from gvcommand.map._projection import project_point
from gvcommand.store.db import StoreError
from gvcommand.store.event_store import EventStore
from gvcommand.store.roads import RoadSegment, import_roads
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.session import SETTINGS_STALE
from gvcommand.ui.unit_board import SETTINGS_OVERDUE, UnitBoard

from .._screenshots import screenshot_path
from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]
OTHER = Actor("minh", Role.OPERATOR, "C2")
INCIDENT_AT = (106.665, 10.838)


def roster(store: EventStore, *units: tuple[str, Force]) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"),
                        *(c.AddUnit(cs, force, "p1") for cs, force in units)], ADMIN)
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, *INCIDENT_AT,
                                   IncidentSource.PHONE, "p1", "Quang Trung", "đánh nhau"),
                  OFFICER)


def viewport_pos(window: MainWindow, lon: float, lat: float) -> QPoint:
    x, y = project_point(lon, lat)
    return window.map.view.mapFromScene(window.map.view_box.mapViewToScene(QPointF(x, y)))


def mouse(window: MainWindow, kind: QEvent.Type, at: QPoint) -> None:
    vp = window.map.view.viewport()
    left = Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, QPointF(at), QPointF(vp.mapToGlobal(at)),
                     Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else left,
                     Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease
                     else left, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, ev)


def unit_status(store: EventStore, call_sign: str) -> UnitStatus:
    unit = store.projections().unit(call_sign)
    assert unit is not None
    return unit.status


def board_row(board: UnitBoard, call_sign: str) -> list[str]:
    item = board._items[call_sign]
    return [item.text(col) for col in range(board.tree.columnCount())]


def test_board_groups_units_by_force_and_colours_their_status(
        make_window: WindowFactory, store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363), ("HS-02", Force.HINH_SU), ("363-03", Force.TO_363))
    window = make_window(start=False)
    board = window.unit_board
    tree = board.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == [Force.TO_363.label, Force.HINH_SU.label]
    assert [tree.topLevelItem(0).child(i).text(0) for i in range(2)] == ["363-01", "363-03"]
    row = board_row(board, "HS-02")
    assert row[1] == "● " + UnitStatus.AVAILABLE.label
    assert board._items["HS-02"].foreground(1).color().name() == "#3dd68c"
    window.units_dock.show()
    window.units_dock.raise_()
    window.units_dock.grab().save(screenshot_path("gv_unit_board.png"))


def test_dispatch_by_dragging_a_unit_onto_an_incident(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363))
    window = make_window()
    window.live.set_positions({"363-01": (106.660, 10.835)})
    window.map.set_view(*INCIDENT_AT, 1500)
    a, b = viewport_pos(window, 106.660, 10.835), viewport_pos(window, *INCIDENT_AT)
    mouse(window, QEvent.Type.MouseButtonPress, a)
    for k in range(1, 6):
        mouse(window, QEvent.Type.MouseMove, a + (b - a) * (k / 5))
    assert window.map.drag_target == "i-1"
    window.grab().save(screenshot_path("gv_window_drag.png"))
    mouse(window, QEvent.Type.MouseButtonRelease, b)
    qtbot.waitUntil(lambda: board_row(window.unit_board, "363-01")[1]
                    == "● " + UnitStatus.DISPATCHED.label, timeout=5000)
    assert unit_status(store, "363-01") is UnitStatus.DISPATCHED
    assert board_row(window.unit_board, "363-01")[3].startswith("#1 ")
    inc = store.projections().incident("i-1")
    assert inc is not None and inc.status.value == "dispatched"


def test_status_changes_from_the_board_by_keyboard(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363), ("363-02", Force.TO_363))
    window = make_window()
    board = window.unit_board
    board.tree.setFocus()
    board.select("363-01")
    qtbot.keyClick(board.tree, Qt.Key.Key_Down)  # arrow keys pick the unit
    assert board.current_unit().call_sign == "363-02"  # type: ignore[union-attr]
    offered: list[str | None] = []
    board.ask_incident = (  # type: ignore[assignment]
        lambda unit, incidents: offered.append(board.preferred_incident) or incidents[0].id)
    window._on_map_feature_selected("incident", "i-1")  # offered first when dispatching
    qtbot.keyClick(board.tree, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: board.current_unit().status  # type: ignore[union-attr]
                    is UnitStatus.DISPATCHED, timeout=5000)
    assert offered == ["i-1"]
    for key, status in ((Qt.Key.Key_E, UnitStatus.EN_ROUTE), (Qt.Key.Key_S, UnitStatus.ON_SCENE),
                        (Qt.Key.Key_A, UnitStatus.AVAILABLE)):
        qtbot.keyClick(board.tree, key)
        qtbot.waitUntil(lambda s=status: board_row(board, "363-02")[1] == "● " + s.label,
                        timeout=5000)
    asked: list[str] = []
    board.ask_reason = lambda unit: asked.append(unit.call_sign) or "hỏng xe"  # type: ignore[func-returns-value]
    qtbot.keyClick(board.tree, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: unit_status(store, "363-02") is UnitStatus.OUT_OF_SERVICE,
                    timeout=5000)
    assert asked == ["363-02"]
    qtbot.waitUntil(lambda: board_row(board, "363-02")[4] == "hỏng xe (lan)", timeout=5000)
    # no reason: nothing is sent
    board.select("363-01")
    board.ask_reason = lambda unit: ""
    qtbot.keyClick(board.tree, Qt.Key.Key_O)
    assert "lý do" in board.message_label.text()
    assert unit_status(store, "363-01") is UnitStatus.AVAILABLE


def test_a_refused_transition_is_told_in_plain_words(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363))
    window = make_window()
    board = window.unit_board
    board.select("363-01")
    before = store.head()[0]
    qtbot.keyClick(board.tree, Qt.Key.Key_S)  # on scene, straight from available
    qtbot.waitUntil(lambda: UnitStatus.ON_SCENE.label in board.message_label.text(),
                    timeout=5000)
    text = board.message_label.text()
    assert "363-01" in text and UnitStatus.AVAILABLE.label in text
    assert "on-scene" not in text  # the officer's words, not the codes
    assert store.head()[0] == before  # nothing written
    assert window.statusBar().currentMessage() == text


def test_a_unit_another_console_took_is_told_with_who(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363))
    window = make_window()
    seen = window.live.state.unit("363-01")
    assert seen is not None
    stale_view = Unit.from_dict(seen.to_dict())  # what this console showed a moment ago
    store.execute(c.SetUnitStatus("363-01", UnitStatus.OUT_OF_SERVICE, "đổ xăng"), OTHER)
    before = store.head()[0]
    window.unit_board.dispatch(stale_view, "i-1")
    qtbot.waitUntil(lambda: "minh" in window.unit_board.message_label.text(), timeout=5000)
    assert "363-01" in window.unit_board.message_label.text()
    assert store.head()[0] == before
    assert unit_status(store, "363-01") is UnitStatus.OUT_OF_SERVICE


def test_overdue_alert_fires_once_with_a_fake_clock(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        settings: QSettings) -> None:
    roster(store, ("363-01", Force.TO_363))
    store.execute(c.DispatchUnit("i-1", "363-01"), OFFICER)
    window = make_window(start=False)
    board = window.unit_board
    window.live.apply_events(store.iter_events(window.live.last_seq))
    unit = window.live.state.unit("363-01")
    assert unit is not None and unit.status is UnitStatus.DISPATCHED
    since = unit.status_since_us
    board.tick(since + 2 * 60_000_000)
    assert board.overdue == [] and not board.alert_label.isVisible()
    with qtbot.waitSignal(board.alerted, timeout=1000) as blocker:
        board.tick(since + 3 * 60_000_000 + 5_000_000)  # dispatched, not en route, 3 min
    assert blocker.args == ["363-01", "dispatched", 185]
    assert board.alert_label.isVisible() and "363-01" in board.alert_label.text()
    assert board_row(board, "363-01")[2] == "03:05"
    fired: list[str] = []
    board.alerted.connect(lambda cs, _s, _t: fired.append(cs))
    board.tick(since + 4 * 60_000_000)
    assert fired == []  # once per status, not every second
    # the limit is the supervisor's to set, and kept
    board.set_overdue_minutes(UnitStatus.DISPATCHED, 5)
    assert float(settings.value(SETTINGS_OVERDUE + "dispatched")) == 5.0  # type: ignore[arg-type]
    again = UnitBoard(window.session, settings=settings, sound=False)
    again.tick(since + 4 * 60_000_000)
    assert again.overdue == []
    again.deleteLater()


def test_recommendations_rank_by_road_time_stale_last(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    # an "H": two avenues joined by one alley; the incident on the west avenue
    west = shapely.LineString([(106.650, 10.820), (106.650, 10.840)])
    east = shapely.LineString([(106.660, 10.820), (106.660, 10.840)])
    alley = shapely.LineString([(106.649, 10.830), (106.661, 10.830)])
    import_roads(store, name="H", source_sha256="c" * 64, actor=ADMIN, segments=[
        RoadSegment("Tây", "primary", 2200.0, shapely.to_wkb(west)),
        RoadSegment("Đông", "primary", 2200.0, shapely.to_wkb(east)),
        RoadSegment("Hẻm", "service", 1300.0, shapely.to_wkb(alley))])
    store.execute_many([c.AddWard("p1", "Phường 1"),
                        *(c.AddUnit(cs, Force.TO_363, "p1") for cs in ("A", "B", "C", "D"))],
                       ADMIN)
    store.execute(c.CreateIncident("i-1", IncidentType.FIGHT, 1, 106.650, 10.822,
                                   IncidentSource.PHONE, "p1"), OFFICER)
    window = make_window(start=False)
    panel = window.recommendations
    qtbot.waitUntil(lambda: panel.graph is not None, timeout=10000)
    assert panel.build_seconds is not None
    # B is nearer as the crow flies than A but must go round by the alley; C is nearest of
    # all but its position is stale; D has no position
    window.positions.updated.emit({"A": (106.650, 10.838), "B": (106.660, 10.826),
                          "C": (106.650, 10.823)}, frozenset({"C"}), {})
    window._on_map_feature_selected("incident", "i-1")
    # the first time for an incident, the road times are computed on a worker thread
    qtbot.waitUntil(lambda: not panel.computing, timeout=5000)
    assert panel.order == ["A", "B", "C", "D"]
    assert panel.estimates["A"].by_road and panel.estimates["B"].by_road
    rows = [[panel.tree.topLevelItem(i).text(col) for col in range(4)]
            for i in range(panel.tree.topLevelItemCount())]
    assert [r[1] for r in rows] == ["A", "B", "C", "D"]
    assert rows[0][2] == f"{panel.estimates['A'].seconds / 60:.1f}"
    assert "km" in rows[0][3]
    assert rows[2][3].startswith("vị trí cũ")  # stale, and says so
    assert rows[3][3] == "chưa có vị trí"
    panel.grab().save(screenshot_path("gv_recommendations.png"))
    # Enter sends the chosen unit (the first: A)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: unit_status(store, "A") is UnitStatus.DISPATCHED, timeout=5000)


# a popup menu on the offscreen platform: the test platform talking, as in conftest
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                           r"This plugin does not support grabbing the keyboard")
def test_context_menus_on_the_map(qtbot: QtBot, make_window: WindowFactory,
                                  store: EventStore) -> None:
    roster(store, ("363-01", Force.TO_363), ("363-02", Force.TO_363))
    window = make_window()
    window.live.set_positions({"363-01": (106.660, 10.835), "363-02": (106.664, 10.838)})
    window.map.set_view(*INCIDENT_AT, 1500)
    vp = window.map.view.viewport()

    def right_click(lon: float, lat: float) -> QMenu:
        at = viewport_pos(window, lon, lat)
        QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                     vp.mapToGlobal(at)))
        assert window.map_menu is not None
        return window.map_menu

    # on a unit: dispatch and the status changes its state allows
    menu = right_click(106.660, 10.835)
    actions = {a.objectName(): a for a in menu.actions() if a.objectName()}
    assert actions["dispatch"].isEnabled()
    assert not actions["status_en-route"].isEnabled()  # not dispatched yet
    assert actions["status_out-of-service"].isEnabled()
    window.unit_board.ask_incident = lambda unit, incidents: "i-1"
    actions["dispatch"].trigger()
    menu.close()
    qtbot.waitUntil(lambda: unit_status(store, "363-01") is UnitStatus.DISPATCHED, timeout=5000)
    qtbot.waitUntil(lambda: window.live.state.unit("363-01").status  # type: ignore[union-attr]
                    is UnitStatus.DISPATCHED, timeout=5000)
    menu = right_click(106.660, 10.835)
    en_route = next(a for a in menu.actions() if a.objectName() == "status_en-route")
    assert en_route.isEnabled()
    en_route.trigger()
    menu.close()
    qtbot.waitUntil(lambda: unit_status(store, "363-01") is UnitStatus.EN_ROUTE, timeout=5000)
    # on the incident: the recommended available units, nearest first
    menu = right_click(*INCIDENT_AT)
    sub = menu.actions()[0].menu()
    assert [a.objectName() for a in sub.actions()] == ["dispatch_363-02"]
    assert sub.actions()[0].text().startswith("363-02 — ")
    sub.actions()[0].trigger()
    menu.close()
    qtbot.waitUntil(lambda: unit_status(store, "363-02") is UnitStatus.DISPATCHED, timeout=5000)


def test_the_prompts_by_keyboard(qtbot: QtBot, make_window: WindowFactory,
                                 store: EventStore) -> None:
    """The real dialogs: the incident list (the selected incident first) and the reason."""
    roster(store, ("363-01", Force.TO_363))
    store.execute(c.CreateIncident("i-2", IncidentType.THEFT, 3, 106.67, 10.84,
                                   IncidentSource.PHONE, "p1", "Lê Đức Thọ"), OFFICER)
    window = make_window()
    board = window.unit_board
    qtbot.waitUntil(lambda: window.live.state.incident("i-2") is not None, timeout=5000)
    window._on_map_feature_selected("incident", "i-2")
    board.select("363-01")
    seen: list[str] = []

    def answer(text: str | None) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog.textValue())
        if text is not None:
            dialog.setTextValue(text)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, lambda: answer(None))
    qtbot.keyClick(board.tree, Qt.Key.Key_D)
    assert seen[0].startswith("#2 ")  # the selected incident offered first
    qtbot.waitUntil(lambda: unit_status(store, "363-01") is UnitStatus.DISPATCHED, timeout=5000)
    assert store.projections().unit("363-01").incident_id == "i-2"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: board.current_unit().status  # type: ignore[union-attr]
                    is UnitStatus.DISPATCHED, timeout=5000)
    QTimer.singleShot(0, lambda: answer("về trụ sở lấy hồ sơ"))
    qtbot.keyClick(board.tree, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: unit_status(store, "363-01") is UnitStatus.OUT_OF_SERVICE,
                    timeout=5000)
    assert store.projections().unit("363-01").status_reason == (  # type: ignore[union-attr]
        "về trụ sở lấy hồ sơ")


def test_a_lost_database_is_told_and_the_order_waits(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    roster(store, ("363-01", Force.TO_363))
    window = make_window()
    board = window.unit_board
    before = store.head()[0]

    def down(*_args: object, **_kwargs: object) -> None:
        raise StoreError("database unreachable")

    monkeypatch.setattr(store, "execute_group", down)
    unit = window.live.state.unit("363-01")
    assert unit is not None
    board.dispatch(unit, "i-1")
    qtbot.waitUntil(lambda: "cơ sở dữ liệu" in board.message_label.text(), timeout=5000)
    assert "363-01" in board.message_label.text() and "bộ đàm" in board.message_label.text()
    assert store.head()[0] == before  # nothing half done
    monkeypatch.undo()
    window.runner.retry_now()  # the database is back: the order goes (the timer does it too)
    qtbot.waitUntil(lambda: unit_status(store, "363-01") is UnitStatus.DISPATCHED,
                    timeout=5000)
    qtbot.waitUntil(lambda: not window.runner.waiting, timeout=5000)


def test_overdue_limits_are_set_in_a_dialog(qtbot: QtBot, make_window: WindowFactory,
                                            store: EventStore, settings: QSettings) -> None:
    roster(store, ("363-01", Force.TO_363))
    window = make_window(start=False)
    board = window.unit_board
    assert board.limits_button.text() == "Giới hạn quá giờ…"

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "overdue_dialog"
        dialog.findChild(QSpinBox, "overdue_on-scene").setValue(30)  # type: ignore[union-attr]
        dialog.findChild(QSpinBox, "overdue_out-of-service").setValue(0)  # type: ignore[union-attr]
        stale = dialog.findChild(QSpinBox, "stale_orders")
        assert stale is not None and stale.value() == 120  # the default: 2 min
        stale.setValue(90)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    board.limits_button.click()
    assert board.overdue_min[UnitStatus.ON_SCENE] == 30
    assert float(settings.value(SETTINGS_OVERDUE + "on-scene")) == 30.0  # type: ignore[arg-type]
    assert window.runner.stale_after_s == 90
    assert float(settings.value(SETTINGS_STALE)) == 90.0  # type: ignore[arg-type]
    # 0: out of service never alerts
    store.execute(c.SetUnitStatus("363-01", UnitStatus.OUT_OF_SERVICE, "hỏng xe"), OFFICER)
    window.live.apply_events(store.iter_events(window.live.last_seq))
    unit = window.live.state.unit("363-01")
    assert unit is not None
    board.tick(unit.status_since_us + 10 * 3600 * 1_000_000)
    assert board.overdue == []
