"""Translations: Vietnamese by default, complete, agreeing with the domain's own words, and
still loaded when the compiled catalogue is missing."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from gvcommand.app import parse_args
from gvcommand.core.model import Role
from gvcommand.store.url import parse
from gvcommand.ui import i18n
from gvcommand.ui.labels import database_mode_label, role_label

TS = i18n.TRANSLATIONS_DIR / "gvcommand_vi.ts"


def test_vietnamese_is_the_default_language() -> None:
    # no --lang: the language chosen last time (QSettings), else Vietnamese (test_shell.py)
    assert parse_args([]).lang is None
    assert i18n.DEFAULT_LANGUAGE == "vi"
    assert parse_args(["--lang", "en"]).lang == "en"


def test_every_string_is_translated() -> None:
    root = ET.parse(TS).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") in ("unfinished", "vanished",
                                                           "obsolete")]
    assert not unfinished
    # placeholders survive translation, or .format() would raise or drop a value
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        texts = [f.text or "" for f in translation.iter("numerusform")] or [translation.text]
        for text in texts:
            for placeholder in ("{console}", "{mode}", "{url}", "{name}",
                                "{time}", "{minutes}", "%n"):
                assert (placeholder in source) == (placeholder in (text or "")), (source, text)


def test_role_names_match_the_domain() -> None:
    for role in Role:
        assert role_label(role) == role.label


def test_database_modes() -> None:
    assert database_mode_label(parse("sqlite:///tmp/x.sqlite")) == "SQLite (nhúng)"
    assert database_mode_label(parse("postgresql+psycopg://u@h/db")) == (
        "PostgreSQL (dùng chung)")


def test_english_uses_the_source_strings(english: None) -> None:
    assert role_label(Role.SUPERVISOR) == "Supervisor"
    assert QCoreApplication.translate("Database", "SQLite (embedded)") == "SQLite (embedded)"


def test_missing_catalogue_is_compiled_at_start(
    qapp: QApplication, vietnamese: QTranslator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(TS, tmp_path / TS.name)  # a checkout where setup.sh has not run lrelease
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    qapp.removeTranslator(vietnamese)
    assert role_label(Role.ADMIN) == "Administrator"
    translator = i18n.install_translator(qapp, "vi")
    try:
        assert translator is not None
        assert Path(translator.filePath()).parent != tmp_path  # compiled into a temp dir
        assert role_label(Role.ADMIN) == "Quản trị"
    finally:
        qapp.removeTranslator(translator)


def test_without_lrelease_falls_back_to_english(
    qapp: QApplication, vietnamese: QTranslator, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copy(TS, tmp_path / TS.name)
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_lrelease", lambda: None)
    qapp.removeTranslator(vietnamese)
    assert i18n.install_translator(qapp, "vi") is None
    assert "stays in English" in caplog.text
    assert role_label(Role.ADMIN) == "Administrator"


def test_unknown_language_is_refused(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.install_translator(qapp, "fr")
