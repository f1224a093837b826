"""The camera wall's toolbar (layouts, the camera list, nearest cameras, saved walls, the
decode budget) and its banner (a priority-1 incident, the nearest cameras shown, with the one
action that goes with it). Widgets only: the wall connects their actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QSignalBlocker
from PySide6.QtGui import QAction, QActionGroup, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolBar,
    QToolButton,
    QWidget,
)

from .. import theme
from .budget import DecodeBudget
from .layout import LAYOUTS

NARROW_BANNER_PX = 520


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraWall", text)


class WallBar(QToolBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_wall_toolbar")
        self.layout_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for n, (key, lay) in enumerate(LAYOUTS.items(), start=1):
            act = self.addAction(lay.label)
            act.setObjectName(f"layout_{key}")
            act.setCheckable(True)
            act.setToolTip(_tr("Layout {name} (key {key})").format(name=lay.label, key=n))
            group.addAction(act)
            self.layout_actions[key] = act
        self.addSeparator()
        self.list_action = self.addAction(_tr("Camera list"))
        self.list_action.setObjectName("camera_list_toggle")
        self.list_action.setCheckable(True)
        self.list_action.setChecked(True)
        self.list_action.setToolTip(_tr("Show or hide the camera list (cameras also drag "
                                        "from the map)"))
        self.nearest_action = self.addAction(_tr("Nearest cameras"))
        self.nearest_action.setObjectName("camera_nearest")
        self.nearest_action.setToolTip(_tr(
            "Fill a 2×2 with the four cameras best placed to see the selected incident "
            "(key N)"))
        self.nearest_action.setEnabled(False)
        self.addSeparator()
        self.walls_box = QComboBox()
        self.walls_box.setObjectName("camera_saved_walls")
        self.walls_box.setMinimumContentsLength(10)
        self.walls_box.setToolTip(_tr("Saved walls: choose one to show it"))
        self.addWidget(self.walls_box)
        self.save_action = self.addAction(_tr("Save…"))
        self.save_action.setObjectName("camera_save_wall")
        self.save_action.setToolTip(_tr("Save this wall under a name"))
        self.delete_action = self.addAction(_tr("Delete"))
        self.delete_action.setObjectName("camera_delete_wall")
        self.delete_action.setToolTip(_tr("Delete the saved wall chosen in the list"))
        self.addSeparator()
        self.budget_button = QToolButton()
        self.budget_button.setObjectName("camera_budget")
        self.addWidget(self.budget_button)

    def set_saved(self, names: Iterable[str], current: str | None = None) -> None:
        """The saved walls' names in the list (``current`` chosen), without choosing one."""
        blocker = QSignalBlocker(self.walls_box)
        self.walls_box.clear()
        self.walls_box.addItem(_tr("Saved walls…"), None)
        for name in sorted(names, key=str.casefold):
            self.walls_box.addItem(name, name)
        if current is not None:
            self.walls_box.setCurrentIndex(max(0, self.walls_box.findData(current)))
        del blocker
        self.delete_action.setEnabled(self.walls_box.count() > 1)

    def show_budget(self, budget: DecodeBudget) -> None:
        n, s = f"{budget.sub_streams:g}", f"{budget.snapshot_period_s:g}"
        self.budget_button.setText(_tr("Budget: {n} streams").format(n=n))
        self.budget_button.setToolTip(_tr(
            "Decode budget of this workstation: {n} sub-streams at 360p25 (a main stream "
            "counts as 9). Over it, tiles fall back to the sub-stream, then to a snapshot "
            "every {s} s, then pause — each tile says so.").format(n=n, s=s))


class WallBanner(QFrame):
    """A message across the wall in the alarm colour, with one action and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_banner")
        self.setStyleSheet(f"QFrame#camera_banner {{ background: {theme.ALARM}; }}"
                           f"QFrame#camera_banner QLabel {{ color: #ffffff; "
                           f"font-weight: bold; }}")
        self.label = QLabel()
        self.label.setObjectName("camera_banner_text")
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName("camera_banner_action")
        self.button.clicked.connect(self._on_action)
        close = QPushButton("×")
        close.setObjectName("camera_banner_close")
        close.setToolTip(_tr("Dismiss"))
        close.setFixedWidth(32)
        close.setStyleSheet("font-size: 16px; font-weight: bold;")
        close.clicked.connect(self.hide)
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(8, 4, 4, 4)
        self._row.addWidget(self.label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.button, 1)
        buttons.addWidget(close)
        self._row.addLayout(buttons)
        self.hide()
        self._do: Callable[[], object] | None = None

    def show_message(self, text: str, action: str | None = None,
                     do: Callable[[], object] | None = None) -> None:
        self.label.setText(text)
        self.button.setVisible(action is not None)
        self.button.setText(action or "")
        self._do = do
        self.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # in a narrow dock the message takes the whole width, the buttons go below it
        self._row.setDirection(QBoxLayout.Direction.TopToBottom
                               if event.size().width() < NARROW_BANNER_PX
                               else QBoxLayout.Direction.LeftToRight)

    def _on_action(self) -> None:
        do = self._do
        self.hide()
        if do is not None:
            do()
