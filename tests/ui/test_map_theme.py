"""The map follows the window's theme: the View menu's switch, and the theme remembered from
the last start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from gvcommand.core.model import Actor, Role
from gvcommand.map import style
from gvcommand.store.event_store import EventStore
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.shell import SETTINGS_THEME, Shell
from gvcommand.ui.theme import apply_theme

OFFICER = Actor("lan", Role.SUPERVISOR, "C1")


def near(colour: QColor, expected: str, tolerance: int = 6) -> bool:
    e = QColor(expected)
    return (abs(colour.red() - e.red()) + abs(colour.green() - e.green())
            + abs(colour.blue() - e.blue())) <= tolerance


def map_ground(window: MainWindow, qapp: QApplication) -> QColor:
    """A pixel of the map's ground, next to the north arrow's panel (no wards in this
    store: nothing else is drawn there)."""
    qapp.processEvents()
    image = window.map.grab().toImage()
    return QColor(image.pixel(image.width() // 2, 6))


@pytest.fixture
def shell(qapp: QApplication, store: EventStore, settings: QSettings,
          english: None) -> Iterator[Shell]:
    sh = Shell(qapp, store, OFFICER, settings=settings, language="en", theme="dark")
    sh.start()
    yield sh
    assert sh.window is not None
    sh.shutdown()
    sh.window.close()
    apply_theme(qapp, "dark")


def test_view_menu_switch_changes_the_map(shell: Shell, qapp: QApplication) -> None:
    window = shell.window
    assert window is not None
    assert near(map_ground(window, qapp), style.DARK.background)
    window.menu_actions["theme:light"].trigger()
    assert window.map.theme == "light"
    assert near(map_ground(window, qapp), style.LIGHT.background)
    window.menu_actions["theme:dark"].trigger()
    assert window.map.theme == "dark"
    assert near(map_ground(window, qapp), style.DARK.background)


def test_remembered_light_theme_gives_a_light_map_at_start(
    qapp: QApplication, store: EventStore, settings: QSettings, english: None
) -> None:
    settings.setValue(SETTINGS_THEME, "light")
    sh = Shell(qapp, store, OFFICER, settings=settings, language="en")
    window = sh.start()
    try:
        assert window.map.theme == "light"
        assert near(map_ground(window, qapp), style.LIGHT.background)
        # a language switch builds a new window: it keeps the light map
        window.menu_actions["language:vi"].trigger()
        assert sh.window is not None and sh.window is not window
        assert sh.window.map.theme == "light"
    finally:
        assert sh.window is not None
        sh.shutdown()
        sh.window.close()
        apply_theme(qapp, "dark")
        if sh._translator is not None:  # the Vietnamese catalogue the switch installed
            qapp.removeTranslator(sh._translator)

