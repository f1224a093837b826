"""The console's default layout on a control-room screen: the incident queue and the unit
board side by side in time (one above the other, neither behind a tab), wide enough for the
queue's columns; the camera wall under the layers; a layout the officer changed comes back
as left; View → Reset the layout puts everything back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.unit_board import release_reason

WindowFactory = Callable[..., MainWindow]


def settled(qtbot: QtBot, window: MainWindow) -> None:
    """The window shown, its default layout (posted by the first show) applied or its saved
    one restored, and the docks' geometry laid out from it."""
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window._layout_sized and not window.default_layout_pending,
                    timeout=5000)
    QApplication.sendPostedEvents()  # the layout requests the docks' sizes posted


def test_first_start_fills_the_screen_with_queue_and_board_both_in_view(
        qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    settled(qtbot, window)
    # the test screen is 1920×1080, like the control room's monitors
    assert window.width() >= 1900 and window.height() >= 1000
    queue, board = window.incidents_dock, window.units_dock
    assert window.tabifiedDockWidgets(queue) == []  # not one behind the other
    for dock in (queue, board, window.camera_wall_dock, window.layers_dock,
                 window.event_log_dock):
        assert dock.isVisible() and not dock.visibleRegion().isEmpty(), dock.objectName()
    assert window.dockWidgetArea(queue) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(board) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert queue.geometry().bottom() <= board.geometry().top()  # the queue above the board
    assert queue.width() >= 520  # number, priority, age, type, status and ward in view
    assert window.map.width() >= 0.4 * window.width()  # the map stays the centre
    wall, layers = window.camera_wall_dock, window.layers_dock
    assert window.dockWidgetArea(wall) == Qt.DockWidgetArea.RightDockWidgetArea
    assert wall.height() > layers.height()
    # the side columns run the whole height; the log lies under the map only
    log = window.event_log_dock
    assert log.geometry().left() >= queue.geometry().right()
    assert log.geometry().right() <= wall.geometry().left()


def test_the_officers_layout_is_kept_and_reset_restores_the_default(
        qtbot: QtBot, make_window: WindowFactory, settings: QSettings) -> None:
    window = make_window()
    settled(qtbot, window)
    default_width = window.incidents_dock.width()
    window.tabifyDockWidget(window.incidents_dock, window.units_dock)  # the officer's choice
    window.camera_wall_dock.hide()
    window.close()
    again = make_window()
    settled(qtbot, again)
    assert again.tabifiedDockWidgets(again.incidents_dock) == [again.units_dock]
    assert not again.camera_wall_dock.isVisible()
    again.menu_actions["layout:reset"].trigger()
    QApplication.sendPostedEvents()
    assert again.tabifiedDockWidgets(again.incidents_dock) == []
    assert again.camera_wall_dock.isVisible()
    assert abs(again.incidents_dock.width() - default_width) <= 40


def test_a_unit_freed_by_the_core_reads_in_the_interfaces_language(english: None) -> None:
    assert release_reason("incident #12 cleared") == "incident #12 cleared"
    assert release_reason("hỏng xe") == "hỏng xe"


def test_a_unit_freed_by_the_core_reads_in_vietnamese() -> None:
    assert release_reason("incident #12 cleared") == "vụ #12 đã xử lý xong"
    assert release_reason("incident #7 cancelled") == "vụ #7 đã hủy"
    assert release_reason("incident #7 cancelled by phone") == "incident #7 cancelled by phone"
