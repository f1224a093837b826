"""Fixtures for the Qt tests: offscreen platform, a fresh SQLite store, throw-away settings,
and the Vietnamese interface the console starts with."""

from __future__ import annotations

import os

# before anything imports Qt: no display is needed or wanted in tests
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import json
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.model import Actor, Role
from gvcommand.store import open_store
from gvcommand.store.event_store import EventStore
from gvcommand.ui.i18n import install_translator
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.session import BACKLOG_EVENTS, WRITER_NAME, ConsoleSession

from ..store.conftest import PG_ENV, PgServer

ADMIN = Actor("quantri", Role.ADMIN, "C0")
OFFICER = Actor("lan", Role.SUPERVISOR, "C1")
OFFICER_NAME = "Nguyễn Thị Lan"


# The offscreen platform says this whenever a shown window's layout changes its minimum size;
# it is the test platform talking, not the code (xcb and Windows support size hints).
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def qapp_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A 1920×1080 offscreen screen (the default is 800×800, smaller than the window's
    minimum size, so Qt would clamp restored geometry), like the control room's monitors."""
    args = [sys.argv[0]]
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        config = tmp_path_factory.mktemp("qpa") / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "control-room", "x": 0, "y": 0, "width": 1920, "height": 1080,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        args += ["-platform", f"offscreen:configfile={config}"]
    return args


@pytest.fixture(scope="session", autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever a test forgets to pass, QSettings never writes to the real user's files."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))


@pytest.fixture(autouse=True)
def vietnamese(qapp: QApplication) -> Iterator[QTranslator | None]:
    """The console's default language, as app.main installs it."""
    translator = install_translator(qapp, "vi")
    assert translator is not None, "the Vietnamese catalogue did not load"
    yield translator
    qapp.removeTranslator(translator)
    translator.deleteLater()


@pytest.fixture
def english(qapp: QApplication, vietnamese: QTranslator) -> None:
    """The interface as ``--lang en`` shows it: the English source strings."""
    qapp.removeTranslator(vietnamese)
    install_translator(qapp, "en")


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    """No window left open and no feed thread left running after a test (pytest-qt closes the
    widgets registered with qtbot before fixtures are torn down). What they deleteLater()'d
    is deleted here, on the GUI thread, and the garbage collected here too: left pending, a
    window would die in whichever later test spins an event loop, or in whatever thread the
    collector happens to run (a feed, a database pool)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    feeds = [t.name for t in threading.enumerate()
             if t.name in ("gvcommand-ui-feed", "position-feed", WRITER_NAME)
             or t.name.startswith("gvcommand-read")]
    visible = [w.objectName() or type(w).__name__ for w in qapp.topLevelWidgets()
               if w.isVisible()]
    assert not feeds, f"session threads still running: {feeds}"
    assert not visible, f"top-level widgets left open: {visible}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    st = open_store(f"sqlite:///{tmp_path}/t.sqlite", upgrade=True)
    yield st
    st.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def backend_store(backend: str, tmp_path: Path,
                  request: pytest.FixtureRequest) -> Iterator[EventStore]:
    """A store on SQLite and on PostgreSQL (a module uses it as its ``store``)."""
    if backend == "sqlite":
        st = open_store(f"sqlite:///{tmp_path}/t.sqlite", upgrade=True)
        yield st
        st.engine.dispose()
        return
    server: PgServer = request.getfixturevalue("pg")
    url = server.fresh()
    st = open_store(url, upgrade=True)
    yield st
    st.engine.dispose()
    server.drop(url)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "gvcommand.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def session(store: EventStore, settings: QSettings) -> Iterator[ConsoleSession]:
    """A console session of OFFICER on the store, for a widget tested on its own."""
    s = open_session(store, OFFICER, settings)
    yield s
    s.stop()


def open_session(store: EventStore, actor: Actor, settings: QSettings) -> ConsoleSession:
    """A console session as the shell makes one: its shared data read before a window."""
    session = ConsoleSession(store, actor, settings=settings)
    session.wait_ready()
    return session


@pytest.fixture
def make_window(
    qtbot: QtBot, store: EventStore, settings: QSettings
) -> Iterator[Callable[..., MainWindow]]:
    """Build, show and start a main window; pytest-qt closes it (which stops its feed).

    The windows are kept referenced until teardown: pytest-qt holds only weak references, and
    a window collected with the test's locals would never be closed.
    """
    windows: list[MainWindow] = []

    def make(*, demo: bool = False, actor: Actor = OFFICER, display_name: str = OFFICER_NAME,
             start: bool = True, backlog: int = BACKLOG_EVENTS,
             **kwargs: object) -> MainWindow:
        session = ConsoleSession(store, actor, settings=settings, backlog=backlog)
        session.wait_ready()
        window = MainWindow(session, display_name=display_name, demo=demo,
                            owns_session=True, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        if start:
            window.start()
        return window

    yield make
    for window in windows:  # one closed by pytest-qt has stopped its session already
        window.session.stop()


@pytest.fixture(scope="module")
def pg(request: pytest.FixtureRequest) -> Iterator[PgServer]:
    """Fresh PostgreSQL databases for one test module, made from a migrated template of its
    own (named after the module, so modules and the store tests never share one)."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: run the tests through scripts/test.sh")
        pytest.skip(f"no PostgreSQL for tests: set {PG_ENV} (scripts/test.sh does)")
    server = PgServer(url)
    server.base += "_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:12]
    server.template = f"{server.base}_tpl"
    server.prepare_template()
    yield server
    server.drop_all()
