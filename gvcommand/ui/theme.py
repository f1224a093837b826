"""Control-room themes. Dark (the default): low glare at 3 a.m., nothing pure white, status
colours that stay distinguishable on a dim screen. Light: for daylight rooms and printouts
of the screen. Status colours (OK, WARN, ALARM) are the same in both."""

from __future__ import annotations

import string

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ..resource_files import resource

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

def _stylesheet(TEXT: str, SURFACE: str, BORDER: str, BASE: str, ACCENT: str,
                HOVER: str, MUTED: str) -> str:
    """resources/themes/console.qss with this theme's colours."""
    template = string.Template(resource("themes", "console.qss").read_text(encoding="utf-8"))
    return template.substitute(text=TEXT, surface=SURFACE, border=BORDER, base=BASE,
                               accent=ACCENT, hover=HOVER, muted=MUTED, warn=WARN,
                               alarm=ALARM)


STYLESHEET = _stylesheet(TEXT, SURFACE, BORDER, BASE, ACCENT, "#2c333b", MUTED)


# the light theme: off-white surfaces (no pure white either), dark grey text
LIGHT = {
    "background": "#e9ecef", "surface": "#dde1e6", "base": "#f4f5f7", "alternate": "#e6e9ed",
    "text": "#1f2429", "muted": "#5d6670", "border": "#b5bcc5", "accent": "#2f6aa8",
    "hover": "#cfd5dc",
}
LIGHT_STYLESHEET = _stylesheet(LIGHT["text"], LIGHT["surface"], LIGHT["border"], LIGHT["base"],
                               LIGHT["accent"], LIGHT["hover"], LIGHT["muted"])
THEMES = ("dark", "light")


def dark_palette() -> QPalette:
    return _palette(BACKGROUND, TEXT, BASE, ALTERNATE, SURFACE, ACCENT, MUTED, "#6fa8dc")


def light_palette() -> QPalette:
    c = LIGHT
    return _palette(c["background"], c["text"], c["base"], c["alternate"], c["surface"],
                    c["accent"], c["muted"], "#1f5c99", highlighted_text="#f4f5f7")


def _palette(window: str, text: str, base: str, alternate: str, surface: str, accent: str,
             muted: str, link: str, *, highlighted_text: str | None = None) -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: window,
        roles.WindowText: text,
        roles.Base: base,
        roles.AlternateBase: alternate,
        roles.Text: text,
        roles.Button: surface,
        roles.ButtonText: text,
        roles.BrightText: ALARM,
        roles.Highlight: accent,
        roles.HighlightedText: highlighted_text or text,
        roles.ToolTipBase: surface,
        roles.ToolTipText: text,
        roles.PlaceholderText: muted,
        roles.Link: link,
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor(muted))
    return p


def apply_theme(app: QApplication, name: str) -> None:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    # Fusion draws the same on every platform and honours the palette fully.
    app.setStyle("Fusion")
    if name == "light":
        app.setPalette(light_palette())
        app.setStyleSheet(LIGHT_STYLESHEET)
    else:
        app.setPalette(dark_palette())
        app.setStyleSheet(STYLESHEET)


def apply_dark_theme(app: QApplication) -> None:
    apply_theme(app, "dark")
