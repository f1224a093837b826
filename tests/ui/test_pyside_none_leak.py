"""PySide6 6.12.0 on Python 3.11 leaked a reference to None on every QPainter call, which
aborts a live map or video wall with ``Fatal Python error: none_dealloc`` (ARCHITECTURE.md,
"Known pitfalls"). This guards the pin PySide6-Essentials<6.12 and any future upgrade."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

CALLS = 1_000
TOLERANCE = 100  # a leak shows as ~1 per call; unrelated allocations move it by a few


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qpainter_does_not_leak_none(qapp: QApplication) -> None:
    source = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
    source.fill(0xFF336699)
    target = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(target)
    try:
        painter.drawImage(0, 0, source)  # warm up: first-call caches are not a leak
        before = sys.getrefcount(None)
        for i in range(CALLS):
            painter.drawImage(i % 32, i % 32, source)
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after - before < TOLERANCE, (
        f"None's reference count grew by {after - before} over {CALLS} QPainter.drawImage "
        "calls: this PySide6 leaks None (see ARCHITECTURE.md); pin PySide6-Essentials<6.12"
    )
