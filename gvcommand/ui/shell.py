"""The running console: one main window, its language and its theme.

Changing the language rebuilds the window (every label is made through tr() when built),
keeping the layout through QSettings; changing the theme restyles the running application
and the map.
Both choices are remembered for the next start.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from ..core.model import Actor
from ..map.basemap import BasemapError, MBTilesSource, TileSource, XyzSource
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, install_translator
from .main_window import MainWindow
from .session import ConsoleSession, Database
from .theme import THEMES, apply_theme

log = logging.getLogger(__name__)

SETTINGS_LANGUAGE = "ui/language"
SETTINGS_THEME = "ui/theme"


class Shell(QObject):
    def __init__(
        self,
        app: QApplication,
        store: Database,
        actor: Actor,
        *,
        display_name: str = "",
        demo: bool = False,
        settings: QSettings | None = None,
        language: str | None = None,
        theme: str | None = None,
        basemap: str | None = None,
        basemap_attribution: str = "",
    ) -> None:
        super().__init__()
        self.app = app
        self.store = store
        self.actor = actor
        self.display_name = display_name
        self.demo = demo
        self.settings = settings if settings is not None else QSettings("gvcommand", "gvcommand")
        self.language = language or str(self.settings.value(SETTINGS_LANGUAGE, DEFAULT_LANGUAGE))
        if self.language not in LANGUAGES:
            self.language = DEFAULT_LANGUAGE
        self.theme = theme or str(self.settings.value(SETTINGS_THEME, "dark"))
        if self.theme not in THEMES:
            self.theme = "dark"
        self.basemap = basemap
        self.basemap_attribution = basemap_attribution
        self._translator: QTranslator | None = None
        self.window: MainWindow | None = None
        self.session: ConsoleSession | None = None

    def start(self) -> MainWindow:
        self._translator = install_translator(self.app, self.language)
        apply_theme(self.app, self.theme)
        # the console's session: the state, the shared data and the threads, for every
        # window this shell opens (a change of language opens a new one on the same session)
        self.session = ConsoleSession(self.store, self.actor, settings=self.settings)
        self.session.wait_ready()
        self.window = self._open()
        return self.window

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.shutdown()
        if self.session is not None:
            self.session.stop()  # after the window: its views' records go out first
        # the catalogue is the shell's: left installed it would translate whatever the
        # process shows next (another shell, a test's window in another language)
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator.deleteLater()
            self._translator = None

    def set_theme(self, name: str) -> None:
        if name not in THEMES:
            raise ValueError(f"unknown theme {name!r}")
        self.theme = name
        apply_theme(self.app, name)
        self.settings.setValue(SETTINGS_THEME, name)
        if self.window is not None:
            self.window.set_theme_checked(name)
            # the map has its own palette for each theme: the window's alone would leave a
            # night map in a daylight room
            self.window.map.set_theme(name)
        log.info("theme: %s", name)

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        if lang == self.language and self.window is not None:
            return
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator.deleteLater()
        self._translator = install_translator(self.app, lang)
        self.language = lang
        self.settings.setValue(SETTINGS_LANGUAGE, lang)
        old = self.window
        if old is not None:
            old.shutdown()  # saves the layout the new window restores
        self.window = self._open()
        if old is not None:
            old.close()
            old.deleteLater()
        log.info("language: %s", lang)

    def _open(self) -> MainWindow:
        assert self.session is not None
        window = MainWindow(self.session, display_name=self.display_name,
                            demo=self.demo, theme_name=self.theme, language=self.language)
        window.theme_requested.connect(self.set_theme)
        window.language_requested.connect(self.set_language)
        window.map.set_theme(self.theme)
        if self.basemap:
            window.map.set_basemap(make_basemap(self.basemap, self.basemap_attribution))
        window.show()
        window.start()
        return window


def make_basemap(spec: str, attribution: str = "") -> TileSource:
    """An MBTiles file (works offline) or an XYZ URL template with {z}/{x}/{y}."""
    if spec.lower().endswith(".mbtiles"):
        return MBTilesSource(spec)
    if not all(part in spec for part in ("{z}", "{x}", "{y}")):
        raise BasemapError(
            f"base map '{spec}' is neither an .mbtiles file nor a tile URL with {{z}}/{{x}}/{{y}}"
        )
    return XyzSource(spec, attribution)
