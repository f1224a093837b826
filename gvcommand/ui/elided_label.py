"""A label that shortens its text instead of widening the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """A label that shortens its text with "…" instead of forcing the window wider (database
    paths can be long). ``prefix`` is never shortened; the full text stays in the tooltip."""

    def __init__(self, prefix: str = "", text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prefix = prefix
        self._text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self._advance(prefix + "…") + self._slack())
        self._elide()

    def full_text(self) -> str:
        return self._prefix + self._text

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _advance(self, text: str) -> int:
        return QFontMetrics(self.font()).horizontalAdvance(text)

    def _slack(self) -> int:
        # style sheet padding is not in contentsMargins; leave room for it
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 20

    def _elide(self) -> None:
        room = max(0, self.width() - self._slack() - self._advance(self._prefix))
        self.setText(self._prefix + QFontMetrics(self.font()).elidedText(
            self._text, Qt.TextElideMode.ElideMiddle, room))
        self.setToolTip(self.full_text())
