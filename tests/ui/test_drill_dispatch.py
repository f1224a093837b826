"""Drills (diễn tập) on the dispatch screens: the recommendations for a real incident never
list a unit on a drill (and say how many were left out), those for a drill list only units
on it, marked, and say what to do when there is none; Enter sends the drill unit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.model import (
    Actor,
    Force,
    Incident,
    IncidentSource,
    IncidentType,
    Role,
    Unit,
    UnitStatus,
)
from gvcommand.map._projection import project_point
from gvcommand.map.style import EXERCISE_COLOUR
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow

from .._screenshots import screenshot_path
from .conftest import ADMIN, OFFICER

WindowFactory = Callable[..., MainWindow]


def test_recommendations_keep_drills_and_real_work_apart(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("363-02", Force.TO_363, "p1"),
                        c.AddUnit("DT-01", Force.PHUONG, "p1", exercise=True)], ADMIN)
    store.execute(c.CreateIncident("real", IncidentType.FIGHT, 1, 106.650, 10.822,
                                   IncidentSource.PHONE, "p1"), OFFICER)
    store.execute(c.CreateIncident("drill", IncidentType.FIGHT, 2, 106.655, 10.825,
                                   IncidentSource.PATROL, "p1", exercise=True), OFFICER)
    window = make_window(start=False)
    panel = window.recommendations
    qtbot.waitUntil(lambda: panel.graph is not None, timeout=10000)
    # the drill unit is the nearest to both
    window.positions.updated.emit({"363-01": (106.650, 10.830), "363-02": (106.640, 10.840),
                          "DT-01": (106.651, 10.823)}, frozenset(), {})

    def rows() -> list[list[str]]:
        return [[panel.tree.topLevelItem(i).text(col) for col in range(4)]
                for i in range(panel.tree.topLevelItemCount())]

    window._on_map_feature_selected("incident", "real")
    qtbot.waitUntil(lambda: not panel.computing, timeout=5000)
    assert panel.order == ["363-01", "363-02"]
    assert panel.title.text().endswith("(không liệt kê 1 tổ đang diễn tập)")

    window._on_map_feature_selected("incident", "drill")
    qtbot.waitUntil(lambda: not panel.computing, timeout=5000)
    assert panel.order == ["DT-01"]
    assert [r[1] for r in rows()] == ["DT-01 · DT"]
    assert panel.title.text().startswith("DIỄN TẬP #2")
    panel.grab().save(screenshot_path("gv_recommendations_drill.png"))
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)

    def status(call_sign: str) -> UnitStatus | None:
        unit = store.projections().unit(call_sign)
        return unit.status if unit else None

    qtbot.waitUntil(lambda: status("DT-01") is UnitStatus.DISPATCHED, timeout=5000)


def test_a_drill_with_no_drill_unit_free_is_offered_no_real_one(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("DT-01", Force.PHUONG, "p1", exercise=True)], ADMIN)
    store.execute(c.SetUnitStatus("DT-01", UnitStatus.OFF_DUTY), OFFICER)
    store.execute(c.CreateIncident("drill", IncidentType.FIGHT, 2, 106.655, 10.825,
                                   IncidentSource.PATROL, "p1", exercise=True), OFFICER)
    window = make_window(start=False)
    panel = window.recommendations
    qtbot.waitUntil(lambda: panel.graph is not None, timeout=10000)
    window.positions.updated.emit({"363-01": (106.650, 10.830)}, frozenset(), {})
    window._on_map_feature_selected("incident", "drill")
    qtbot.waitUntil(lambda: not panel.computing, timeout=5000)
    assert panel.order == [] and panel.tree.topLevelItemCount() == 0
    assert "chỉ huy trực đưa tổ vào diễn tập trước" in panel.title.text()


def test_the_event_log_names_the_drill_event_in_vietnamese() -> None:
    from PySide6.QtCore import QCoreApplication

    from gvcommand.core import events as ev
    from gvcommand.ui.event_log_model import KIND_LABELS

    label = KIND_LABELS[ev.UNIT_EXERCISE_CHANGED]
    assert QCoreApplication.translate("EventLogDock", label) == "Tổ vào/ra diễn tập"


def _drill_roster(store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("DT-01", Force.TO_363, "p1", exercise=True)], ADMIN)
    store.execute(c.CreateIncident("real", IncidentType.FIGHT, 1, 106.650, 10.822,
                                   IncidentSource.PHONE, "p1"), OFFICER)
    store.execute(c.CreateIncident("drill", IncidentType.FIGHT, 2, 106.655, 10.825,
                                   IncidentSource.PATROL, "p1", exercise=True), OFFICER)


# a popup menu on the offscreen platform: the test platform talking, as in test_unit_board
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                           r"This plugin does not support grabbing the keyboard")
def test_the_board_tags_drill_units_and_a_supervisor_moves_them(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore) -> None:
    _drill_roster(store)
    window = make_window()  # a supervisor's console
    board = window.unit_board
    drill, real = board._items["DT-01"], board._items["363-01"]
    assert drill.text(0) == "DT-01 · DT" and real.text(0) == "363-01"
    assert drill.foreground(0).color() == QColor(EXERCISE_COLOUR) and drill.font(0).italic()
    assert real.foreground(0).color() != QColor(EXERCISE_COLOUR) and not real.font(0).italic()
    assert "diễn tập" in drill.toolTip(0)
    window.units_dock.show()
    window.units_dock.grab().save(screenshot_path("gv_unit_board_drill.png"))

    # dispatching from the board offers a drill unit the drills only, a real unit real work
    offered: dict[str, list[str]] = {}

    def ask(unit: Unit, incidents: list[Incident]) -> None:
        offered[unit.call_sign] = [i.id for i in incidents]

    board.ask_incident = ask  # type: ignore[assignment,method-assign]
    board.dispatch(window.live.state.units["DT-01"])
    board.dispatch(window.live.state.units["363-01"])
    assert offered == {"DT-01": ["drill"], "363-01": ["real"]}
    # sent anyway (a drag on the map names the incident): refused, said in the officer's words
    board.dispatch(window.live.state.units["DT-01"], "real")
    qtbot.waitUntil(lambda: "là vụ thật" in board.message_label.text(), timeout=5000)
    assert board.message_label.text() == (
        "DT-01 đang diễn tập, vụ #1 là vụ thật: điều tổ thật khác, hoặc đề nghị chỉ huy trực "
        "cho DT-01 thôi diễn tập trước. Chưa có gì bị thay đổi.")

    # the supervisor puts the real unit on the drill from its menu
    board.select("363-01")
    board._on_context_menu(board.tree.visualItemRect(real).center())
    action = board.menu.findChild(QAction, "exercise")
    assert action is not None and action.text() == "Đưa vào diễn tập"
    board.menu.close()
    action.trigger()
    qtbot.waitUntil(lambda: board._items["363-01"].text(0) == "363-01 · DT", timeout=5000)
    unit = store.projections().unit("363-01")
    assert unit is not None and unit.exercise
    board._on_context_menu(board.tree.visualItemRect(board._items["363-01"]).center())
    back = board.menu.findChild(QAction, "exercise")
    assert back is not None and back.text() == "Thôi diễn tập, trở lại nhiệm vụ thật"
    board.menu.close()

    # the unit's menu on the map offers the same
    window.live.set_positions({"DT-01": (106.655, 10.830)})
    window.map.set_view(106.655, 10.830, 1500)
    vp = window.map.view.viewport()
    x, y = project_point(106.655, 10.830)
    at = window.map.view.mapFromScene(window.map.view_box.mapViewToScene(QPointF(x, y)))
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                 vp.mapToGlobal(at)))
    assert window.map_menu is not None
    on_map = window.map_menu.findChild(QAction, "exercise")
    assert on_map is not None and on_map.text() == "Thôi diễn tập, trở lại nhiệm vụ thật"
    window.map_menu.close()

    # back on real duty: the row is plain again
    back.trigger()
    qtbot.waitUntil(lambda: board._items["363-01"].text(0) == "363-01", timeout=5000)
    row = board._items["363-01"]
    assert row.foreground(0).color() != QColor(EXERCISE_COLOUR) and not row.font(0).italic()


@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                           r"This plugin does not support grabbing the keyboard")
def test_an_operator_is_not_offered_the_drill_switch(
        make_window: WindowFactory, store: EventStore) -> None:
    _drill_roster(store)
    window = make_window(actor=Actor("minh", Role.OPERATOR, "C2"))
    board = window.unit_board
    board.select("363-01")
    board._on_context_menu(board.tree.visualItemRect(board._items["363-01"]).center())
    assert board.menu.findChild(QAction, "exercise") is None
    board.menu.close()
