"""The unit board's prompts: the reason a unit goes out of service, the incident to send a
unit to, and the limits dialog (minutes per status after which the supervisor is alerted,
and how long an order may wait for a lost database before it is dropped)."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QSpinBox,
    QWidget,
)

from ..core.model import Incident, Unit, UnitStatus

tr = functools.partial(QCoreApplication.translate, "UnitBoard")


def ask_overdue_limits(parent: QWidget, overdue_min: Mapping[UnitStatus, float],
                       stale_after_s: float) -> tuple[dict[UnitStatus, int], int] | None:
    """The limits the supervisor chose (minutes per status, seconds), None if cancelled.
    0 means never."""
    dialog = QDialog(parent)
    dialog.setObjectName("overdue_dialog")
    dialog.setWindowTitle(tr("Overdue limits"))
    form = QFormLayout(dialog)
    boxes: dict[UnitStatus, QSpinBox] = {}
    for status in overdue_min:
        box = QSpinBox()
        box.setObjectName(f"overdue_{status.value}")
        box.setRange(0, 24 * 60)
        box.setSuffix(tr(" min"))
        box.setSpecialValueText(tr("no alert"))
        box.setValue(round(overdue_min.get(status, 0)))
        form.addRow(status.label, box)
        boxes[status] = box
    stale = QSpinBox()
    stale.setObjectName("stale_orders")
    stale.setRange(0, 3600)
    stale.setSuffix(tr(" s"))
    stale.setSpecialValueText(tr("never"))
    stale.setValue(round(stale_after_s))
    stale.setToolTip(tr("A dispatch or status order that cannot reach the database "
                        "within this time is dropped (the officer is told to give "
                        "it by radio): an order applied late is wrong."))
    form.addRow(tr("Drop unsent orders after"), stale)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return {status: box.value() for status, box in boxes.items()}, stale.value()
    finally:
        dialog.deleteLater()


def ask_reason(parent: QWidget, unit: Unit) -> str | None:
    text, ok = QInputDialog.getText(
        parent, tr("Out of service"), tr("Why is {unit} out of service?").format(
            unit=unit.call_sign))
    return text if ok else None


def ask_incident(parent: QWidget, unit: Unit, incidents: list[Incident],
                 preferred: str | None) -> str | None:
    """The incident to send ``unit`` to (``preferred`` offered first), None if cancelled."""
    labels = [f"#{i.number} P{i.priority} {i.type.label} — {i.address or ''}"
              for i in incidents]
    first = next((n for n, i in enumerate(incidents) if i.id == preferred), 0)
    choice, ok = QInputDialog.getItem(
        parent, tr("Dispatch"), tr("Send {unit} to:").format(unit=unit.call_sign), labels,
        first, False)
    if not ok:
        return None
    return incidents[labels.index(choice)].id
