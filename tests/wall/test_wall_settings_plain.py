"""What a workstation keeps of its camera walls, without Qt: named walls, the last wall and
the decode budget, written to anything with QSettings' value/setValue (here a dict); an
unreadable entry is skipped, never a reason not to start."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gvcommand.ui.camera_wall.budget import DecodeBudget
from gvcommand.ui.camera_wall.layout import SavedWall
from gvcommand.ui.camera_wall.wall_settings import (
    SETTINGS_BUDGET,
    SETTINGS_CURRENT,
    SETTINGS_SAVED,
    WallSettings,
)


class Settings:
    """QSettings' value/setValue over a dict."""

    def __init__(self, **values: Any) -> None:
        self.values = dict(values)

    def value(self, key: str, /, defaultValue: Any = None) -> Any:
        return self.values.get(key, defaultValue)

    def setValue(self, key: str, value: Any, /) -> None:
        self.values[key] = value


def test_named_walls_round_trip_and_are_deleted() -> None:
    settings = Settings()
    store = WallSettings(settings)
    night = SavedWall("Chợ Gò Vấp — ca đêm", "1+5", ("C05", None, "C07"))
    assert store.save(night)
    assert store.save(SavedWall("Ngày", "2x2", ("C01",)))
    again = WallSettings(settings)  # the next start reads the same settings
    assert again.saved() == {night.name: night, "Ngày": SavedWall("Ngày", "2x2", ("C01",))}
    assert again.delete("Ngày") and not again.delete("Ngày")
    assert list(WallSettings(settings).saved()) == [night.name]
    assert not store.save(SavedWall("  ", "2x2", ()))  # a wall has a name


def test_unreadable_walls_are_skipped() -> None:
    good = {"layout": "3x3", "cameras": ["C01"]}
    settings = Settings(**{SETTINGS_SAVED: json.dumps(
        {"ok": good, "bad layout": {"layout": "9x9", "cameras": []}, "not a wall": 3})})
    assert WallSettings(settings).saved() == {"ok": SavedWall("ok", "3x3", ("C01",))}
    assert WallSettings(Settings(**{SETTINGS_SAVED: "{not json"})).saved() == {}
    assert WallSettings(Settings(**{SETTINGS_SAVED: "[1, 2]"})).saved() == {}


def test_the_last_wall_comes_back() -> None:
    settings = Settings()
    store = WallSettings(settings)
    assert store.last() is None
    store.set_last(SavedWall("", "3x3", (None, None, None, None, "C06")))
    assert WallSettings(settings).last() == SavedWall("", "3x3", (None, None, None, None, "C06"))
    settings.values[SETTINGS_CURRENT] = '{"layout": "nope"}'
    assert WallSettings(settings).last() is None


def test_the_budget_is_kept_in_sub_streams() -> None:
    settings = Settings()
    store = WallSettings(settings)
    assert store.budget() == DecodeBudget()  # 16 sub-streams on 2 cores
    store.set_budget(DecodeBudget.of_sub_streams(7))
    assert settings.values[SETTINGS_BUDGET] == pytest.approx(7)
    assert WallSettings(settings).budget().sub_streams == pytest.approx(7)
    settings.values[SETTINGS_BUDGET] = "2.5"  # an INI file gives text back
    assert WallSettings(settings).budget().sub_streams == pytest.approx(2.5)
    settings.values[SETTINGS_BUDGET] = "many"
    assert WallSettings(settings).budget() == DecodeBudget()


def test_without_settings_nothing_is_kept() -> None:
    store = WallSettings(None)
    assert not store.save(SavedWall("x", "2x2", ()))
    store.set_last(SavedWall("", "2x2", ()))
    store.set_budget(DecodeBudget.of_sub_streams(3))
    assert store.saved() == {} and store.last() is None and store.budget() == DecodeBudget()
