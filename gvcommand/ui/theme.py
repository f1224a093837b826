"""The dark control-room theme: low glare at 3 a.m., nothing pure white, status colours that
stay distinguishable on a dim screen."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Named so widgets (status labels, badges) use the same colours as the palette.
BACKGROUND = "#1b1f24"
SURFACE = "#23282e"
BASE = "#15181c"
ALTERNATE = "#1d2126"
TEXT = "#d5dbe2"  # light grey, not white: less glare in a dark room
MUTED = "#8b96a3"
BORDER = "#3a424c"
ACCENT = "#3d6fa3"
OK = "#4caf6a"
ALARM = "#e0564f"
WARN = "#e0a030"

STYLESHEET = f"""
QToolTip {{ color: {TEXT}; background: {SURFACE}; border: 1px solid {BORDER}; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QStatusBar::item {{ border: none; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QHeaderView::section {{
    background: {SURFACE}; color: {TEXT}; padding: 4px 6px;
    border: none; border-right: 1px solid {BORDER}; border-bottom: 1px solid {BORDER};
}}
QTableView {{ gridline-color: {BORDER}; selection-background-color: {ACCENT}; }}
QLineEdit {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 3px; padding: 4px 6px;
}}
QLineEdit:focus {{ border-color: {ACCENT}; }}
QPushButton {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 3px; padding: 5px 14px;
}}
QPushButton:default {{ border-color: {ACCENT}; }}
QPushButton:hover {{ background: #2c333b; }}
QLabel#demo_badge, QLabel#demo_banner {{
    background: {WARN}; color: #1b1f24; font-weight: bold; border-radius: 3px;
}}
QLabel#demo_banner {{ padding: 4px 8px; border-radius: 0; }}
QLabel#login_error {{ color: {ALARM}; }}
QLabel#login_info {{ color: {MUTED}; }}
"""


def dark_palette() -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: BACKGROUND,
        roles.WindowText: TEXT,
        roles.Base: BASE,
        roles.AlternateBase: ALTERNATE,
        roles.Text: TEXT,
        roles.Button: SURFACE,
        roles.ButtonText: TEXT,
        roles.BrightText: ALARM,
        roles.Highlight: ACCENT,
        roles.HighlightedText: TEXT,
        roles.ToolTipBase: SURFACE,
        roles.ToolTipText: TEXT,
        roles.PlaceholderText: MUTED,
        roles.Link: "#6fa8dc",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor(MUTED))
    return p


def apply_dark_theme(app: QApplication) -> None:
    # Fusion draws the same on every platform and honours the palette fully.
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLESHEET)
