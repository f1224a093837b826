"""The questions the camera wall's toolbar asks the officer: a name to save the wall under
(and whether to replace a wall saved under it), whether to delete a saved wall, and this
workstation's decode budget. Each answers None or False when the officer cancels."""

from __future__ import annotations

from collections.abc import Container

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from .budget import DecodeBudget


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraWall", text)


def ask_wall_name(parent: QWidget, current: str, saved: Container[str]) -> str | None:
    """The name to save the wall under (``current`` offered); a name in ``saved`` only if
    the officer agrees to replace that wall."""
    name, ok = QInputDialog.getText(parent, _tr("Save the wall"), _tr("Name of this wall:"),
                                    text=current)
    name = name.strip()
    if not ok or not name:
        return None
    if name in saved and QMessageBox.question(
            parent, _tr("Save the wall"),
            _tr("A wall named “{name}” is already saved. Replace it?").format(
                name=name)) != QMessageBox.StandardButton.Yes:
        return None
    return name


def confirm_delete(parent: QWidget, name: str) -> bool:
    answer = QMessageBox.question(parent, _tr("Delete the wall"),
                                  _tr("Delete the saved wall “{name}”?").format(name=name))
    return answer == QMessageBox.StandardButton.Yes


def ask_budget(parent: QWidget, budget: DecodeBudget) -> DecodeBudget | None:
    """This workstation's decode budget, in sub-streams (the snapshot period kept)."""
    n, ok = QInputDialog.getDouble(
        parent, _tr("Decode budget"),
        _tr("How many sub-streams (640×360, 25 fps) this workstation may decode at "
            "once (a main stream counts as 9):"), budget.sub_streams, 0, 200, 1)
    return DecodeBudget.of_sub_streams(n, budget.snapshot_period_s) if ok else None
