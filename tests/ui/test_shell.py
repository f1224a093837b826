"""Switching language and theme from the View menu, as an officer would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.model import Actor, Role
from gvcommand.store.event_store import EventStore
from gvcommand.ui.shell import SETTINGS_LANGUAGE, SETTINGS_THEME, Shell
from gvcommand.ui.theme import apply_theme

OFFICER = Actor("lan", Role.SUPERVISOR, "C1")


@pytest.fixture
def shell(qapp: QApplication, qtbot: QtBot, store: EventStore, settings: QSettings,
          english: None) -> Iterator[Shell]:
    # `english` removed the default catalogue: the shell installs its own
    sh = Shell(qapp, store, OFFICER, display_name="Nguyễn Thị Lan", settings=settings,
               language="vi", theme="dark")
    sh.start()
    yield sh
    assert sh.window is not None
    sh.shutdown()
    sh.window.close()
    apply_theme(qapp, "dark")


def test_language_switch_rebuilds_the_window_in_the_other_language(
    shell: Shell, qtbot: QtBot, settings: QSettings
) -> None:
    first = shell.window
    assert first is not None
    assert first.event_log_dock.windowTitle() == "Nhật ký sự kiện"
    first.menu_actions["language:en"].trigger()
    second = shell.window
    assert second is not None and second is not first
    assert second.event_log_dock.windowTitle() == "Event log"
    assert not first.isVisible() and second.isVisible()
    assert second.menu_actions["language:en"].isChecked()
    assert settings.value(SETTINGS_LANGUAGE) == "en"
    qtbot.waitUntil(lambda: second.bridge.running)
    second.menu_actions["language:vi"].trigger()
    assert shell.window is not None
    assert shell.window.event_log_dock.windowTitle() == "Nhật ký sự kiện"
    # the session outlives its windows: what it says now reaches the new window only (a
    # slot of a deleted one would raise, and pytest-qt fails the test on it)
    session = shell.session
    assert session is not None and shell.window.session is session
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    session.positions.trails_changed.emit({"363-01": [(106.66, 10.83), (106.67, 10.83)]})
    session.positions.updated.emit({"363-01": (106.67, 10.83)}, frozenset(), {})
    session.changed.emit(frozenset({"unit", "incident", "camera", "complex_point", "ward",
                                    "position", "edition", "road_network", "place_set"}))
    session.connection_changed.emit(False, "lost")
    for name in ("roads", "places", "editions"):
        session.caches.changed.emit(name)
    assert shell.window.connection_label.text() == "● Mất kết nối — đang kết nối lại…"


def test_theme_switch_restyles_and_is_remembered(
    shell: Shell, qapp: QApplication, settings: QSettings
) -> None:
    assert shell.window is not None
    assert qapp.palette().window().color().lightness() < 60
    shell.window.menu_actions["theme:light"].trigger()
    assert qapp.palette().window().color().lightness() > 200
    assert qapp.palette().text().color().lightness() < 80  # dark text on a light ground
    assert settings.value(SETTINGS_THEME) == "light"
    assert shell.window.menu_actions["theme:light"].isChecked()
    grab = shell.window.statusBar().grab().toImage()
    assert grab.pixelColor(2, grab.height() // 2).lightness() > 180  # what the officer sees
    shell.window.menu_actions["theme:dark"].trigger()
    assert qapp.palette().window().color().lightness() < 60


def test_choices_come_back_at_the_next_start(
    qapp: QApplication, store: EventStore, settings: QSettings, english: None
) -> None:
    first_start = Shell(qapp, store, OFFICER, settings=settings)
    assert (first_start.language, first_start.theme) == ("vi", "dark")
    settings.setValue(SETTINGS_LANGUAGE, "en")
    settings.setValue(SETTINGS_THEME, "light")
    sh = Shell(qapp, store, OFFICER, settings=settings)
    assert (sh.language, sh.theme) == ("en", "light")
    settings.setValue(SETTINGS_THEME, "purple")  # a damaged setting falls back
    assert Shell(qapp, store, OFFICER, settings=settings).theme == "dark"


def test_basemap_choice(tmp_path, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    from gvcommand.map.basemap import BasemapError, XyzSource
    from gvcommand.ui.shell import make_basemap

    source = make_basemap("http://127.0.0.1:1/{z}/{x}/{y}.png", "© test")
    assert isinstance(source, XyzSource)
    source.deleteLater()
    with pytest.raises(BasemapError, match=r"neither an \.mbtiles file"):
        make_basemap("http://tiles.example/map.png")
    missing = tmp_path / "none.mbtiles"
    with pytest.raises(BasemapError, match=r"none\.mbtiles"):
        make_basemap(str(missing))
