"""Fixtures for every test: nothing a test does lands in the real user's home, and nothing
one test changes in the process (Qt's default locale) reaches the next.

- ``HOME`` and the XDG directories (cache, config, data, state) point into this session's
  pytest temporary directory, for the tests and every process they start: logs, the embedded
  databases, settings, camera credentials and tile caches stay there. The OS keyring is
  "none" (a test that wants one installs its own); an existing ``~/.pgpass`` is still read
  (``PGPASSFILE``), so PostgreSQL logins work as before.
- The generated video clips are cached in pytest's cache directory (``.pytest_cache`` in the
  repository), under a digest of how they are made, so that a session does not spend ten
  seconds of both cores making them again, and clips made otherwise are never used;
  ``$GVCOMMAND_CLIPS_DIR``, when set, is used instead.
- Screenshots saved for a person to look at go to ``$GVCOMMAND_SCREENSHOTS``, by default
  ``screenshots/`` in this session's pytest temporary directory (pytest keeps the last three);
  the session's summary says where.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._needs import present
from ._ports import refusing_port, reserved_port
from ._screenshots import SCREENSHOTS_ENV

CLIPS_ENV = "GVCOMMAND_CLIPS_DIR"
_screenshots: list[Path] = []


def _clips_dir(config: pytest.Config, factory: pytest.TempPathFactory) -> Path:
    from gvcommand.video.clips import recipe

    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    if cache is None:
        return factory.mktemp("clips")
    return Path(cache.mkdir(f"gvcommand-clips-{recipe()}"))


@pytest.fixture(scope="session", autouse=True)
def _private_home(pytestconfig: pytest.Config,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    pgpass = Path.home() / ".pgpass"  # the real one, before HOME moves
    with pytest.MonkeyPatch.context() as mp:
        if "PGPASSFILE" not in os.environ and pgpass.is_file():
            mp.setenv("PGPASSFILE", str(pgpass))
        mp.setenv("HOME", str(home))
        for var, sub in (("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config"),
                         ("XDG_DATA_HOME", ".local/share"), ("XDG_STATE_HOME", ".local/state")):
            mp.setenv(var, str(home / sub))
        mp.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        if not os.environ.get(CLIPS_ENV):
            mp.setenv(CLIPS_ENV, str(_clips_dir(pytestconfig, tmp_path_factory)))
        screenshots = os.environ.get(SCREENSHOTS_ENV) or str(
            tmp_path_factory.getbasetemp() / "screenshots")
        mp.setenv(SCREENSHOTS_ENV, screenshots)
        _screenshots.append(Path(screenshots))
        yield home


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared_data(*paths): the test reads these files or directories of "
        "../shared/data (tests/_needs.SHARED_DATA); missing, it skips, or fails under CI=true")


@pytest.fixture(autouse=True)
def _shared_data(request: pytest.FixtureRequest) -> None:
    for mark in request.node.iter_markers("shared_data"):
        for path in mark.args:
            present(Path(path))


@pytest.fixture(autouse=True)
def _qt_default_locale() -> Iterator[None]:
    """Qt's default locale (the console's language sets it) as it was before the test."""
    qtcore = sys.modules.get("PySide6.QtCore")
    before = qtcore.QLocale() if qtcore is not None else None  # QLocale(): the default
    yield
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        qtcore.QLocale.setDefault(before if before is not None else qtcore.QLocale.system())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in _screenshots:
        if folder.is_dir() and any(folder.iterdir()):
            terminalreporter.write_line(f"screenshots: {folder}")


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port nobody listens on, and nobody can start to, for the whole test."""
    with refusing_port() as port:
        yield port


@pytest.fixture(name="reserved_port")
def _reserved_port() -> Iterator[int]:
    """A loopback port kept for the whole test, for a server of the test's own to listen on
    (with SO_REUSEADDR), go away and come back on; see tests/_ports.py."""
    with reserved_port() as port:
        yield port
