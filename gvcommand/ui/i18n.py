"""Loading the interface language. Source strings are English; Vietnamese is the default.

The compiled catalogue (``resources/translations/gvcommand_vi.qm``) is built by
scripts/setup.sh and is not in git. A checkout run without it compiles the ``.ts`` source
into a temporary directory at start, so a developer never sees an English console by
surprise.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from ..resource_files import in_source_checkout, resource

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = resource("translations")
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_LOCALES = {"vi": QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
            "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}

# Temporary directories holding catalogues compiled at start; kept for the process lifetime
# because Qt may memory-map the .qm file instead of reading it.
_compiled_dirs: list[tempfile.TemporaryDirectory[str]] = []


def install_translator(app: QCoreApplication, lang: str = DEFAULT_LANGUAGE) -> QTranslator | None:
    """Install the catalogue for ``lang`` on ``app``; English needs none.

    Returns the installed translator (a child of ``app``, which keeps it alive), or None when
    the source strings are used: for English, or when no catalogue could be loaded (logged).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    QLocale.setDefault(_LOCALES[lang])
    if lang == "en":
        return None
    qm = find_catalogue(lang)
    if qm is None:
        log.warning("no %s translation could be loaded; the interface stays in English", lang)
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        log.warning("cannot load the translation %s; the interface stays in English", qm)
        return None
    app.installTranslator(translator)
    return translator


def find_catalogue(lang: str) -> Path | None:
    """The compiled catalogue among the resources, else one compiled now from the .ts. In a
    source checkout a catalogue older than its .ts (edited since) is compiled again; an
    installation trusts the one it was built with (unpacking sets the files' times)."""
    qm = TRANSLATIONS_DIR / f"gvcommand_{lang}.qm"
    ts = qm.with_suffix(".ts")
    outdated = (ts.is_file() and qm.is_file() and in_source_checkout()
                and qm.stat().st_mtime < ts.stat().st_mtime)
    if qm.is_file() and not outdated:
        return qm
    if not ts.is_file():
        return qm if qm.is_file() else None
    compiled = _compile(ts)
    if compiled is not None:
        return compiled
    return qm if qm.is_file() else None  # an outdated catalogue beats none


def _lrelease() -> str | None:
    beside_python = Path(sys.executable).with_name("pyside6-lrelease")
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def _compile(ts: Path) -> Path | None:
    tool = _lrelease()
    if tool is None:
        log.warning("%s is not compiled and pyside6-lrelease is not available", ts.name)
        return None
    tmp = tempfile.TemporaryDirectory(prefix="gvcommand-qm-", ignore_cleanup_errors=True)
    out = Path(tmp.name) / ts.with_suffix(".qm").name
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(out)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot compile %s with %s: %s", ts.name, tool, exc)
        tmp.cleanup()
        return None
    _compiled_dirs.append(tmp)
    log.info("compiled %s at start (run scripts/setup.sh to do it once)", ts.name)
    return out
