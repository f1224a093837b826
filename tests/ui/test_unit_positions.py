"""Patrol positions reach the window: fixes the AVL service stored appear on the map within
a poll, glide from one fix to the next, and a unit that stops reporting turns grey."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from gvcommand.core import commands as c
from gvcommand.core.fix import Fix
from gvcommand.core.model import Force
from gvcommand.map._projection import project_point
from gvcommand.store.event_store import EventStore
from gvcommand.store.positions import store_fixes
from gvcommand.ui.main_window import MainWindow

from .conftest import ADMIN

WindowFactory = Callable[..., MainWindow]


def test_positions_arrive_glide_and_go_stale(qtbot: QtBot, make_window: WindowFactory,
                                             store: EventStore) -> None:
    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1"),
                        c.AddUnit("HS-02", Force.HINH_SU, "p1")], ADMIN)
    now_us = time.time_ns() // 1000
    window = make_window()
    qtbot.waitUntil(lambda: window.positions.bridge._feed is not None, timeout=5000)
    store_fixes(store.engine, [
        (Fix("phone-1", now_us - 2_000_000, 106.660, 10.830, "osmand", speed_kmh=25.0,
             heading=90.0, accuracy_m=10.0, battery_pct=77.0), "363-01"),
        (Fix("phone-2", now_us - 900_000_000, 106.670, 10.840, "osmand"), "HS-02")])
    qtbot.waitUntil(lambda: set(window.map.units.units) == {"363-01", "HS-02"}, timeout=3000)
    x, y = project_point(106.660, 10.830)
    kind, ident, text = window.map.units.hit(QPointF(x, y)) or ("", "", "")
    assert (kind, ident) == ("unit", "363-01")
    assert "25 km/h" in text and "pin 77%" in text
    # HS-02's fix is 15 minutes old: grey, "no signal" (checked within a clock tick)
    qtbot.waitUntil(lambda: window.map.units.stale == frozenset({"HS-02"}), timeout=3000)
    # a new fix: the symbol glides there (10 Hz) and the timer rests once it arrived
    store_fixes(store.engine, [(Fix("phone-1", now_us, 106.662, 10.830, "osmand"), "363-01")])
    qtbot.waitUntil(lambda: window.positions._timer.isActive(), timeout=3000)
    # (the way between is map.motion's, tested there on a clock; here the wall clock runs)
    qtbot.waitUntil(lambda: not window.positions._timer.isActive(), timeout=3000)
    assert window.live.positions["363-01"] == (106.662, 10.830)


def test_trails_and_track_playback_from_the_store(qtbot: QtBot, make_window: WindowFactory,
                                                  store: EventStore) -> None:
    from PySide6.QtCore import QDateTime

    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1")],
                       ADMIN)
    now_us = time.time_ns() // 1000
    store_fixes(store.engine, [
        (Fix("phone-1", now_us - (60 - i * 10) * 1_000_000, 106.660 + i / 1000, 10.830,
             "osmand"), "363-01") for i in range(6)])
    window = make_window()
    # the trail: every fix the console saw (here: the newest only, at start), then more
    qtbot.waitUntil(lambda: "363-01" in window.map.units.units, timeout=3000)
    store_fixes(store.engine, [(Fix("phone-1", now_us, 106.667, 10.830, "osmand"), "363-01")])
    qtbot.waitUntil(lambda: len(window.map.trails.trails.get("363-01", [])) == 2, timeout=3000)
    assert not window.map.trails.item.path().isEmpty()
    # playback of the last minutes from the positions table
    dock = window.track_dock
    dock.unit_combo.setCurrentText("363-01")
    dock.from_edit.setDateTime(QDateTime.fromMSecsSinceEpoch((now_us - 120_000_000) // 1000))
    dock.to_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(now_us // 1000 + 60_000))
    dock.load_button.click()
    assert not dock.load_button.isEnabled()  # read on the session's pool, not here
    qtbot.waitUntil(lambda: dock.status_label.text() == "363-01: 7 vị trí", timeout=5000)
    (viewed,) = store.events_of("track:363-01")  # the look is on the record, by whom
    assert (viewed.kind, viewed.actor, viewed.payload["purpose"]) == (
        "track.viewed", window.actor.name, "view")
    assert window.map.track.marker.isVisible()
    x, y = project_point(106.660, 10.830)
    marker = window.map.track.marker.pos()
    assert abs(marker.x() - x) < 0.01 and abs(marker.y() - y) < 0.01


def test_no_record_no_track(qtbot: QtBot, make_window: WindowFactory, store: EventStore,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    from gvcommand.store.db import StoreUnavailable

    store.execute_many([c.AddWard("p1", "Phường 1"), c.AddUnit("363-01", Force.TO_363, "p1")],
                       ADMIN)
    window = make_window(start=False)

    def refuse(*_args: object) -> None:
        raise StoreUnavailable("the database does not answer")

    monkeypatch.setattr(window.session.store, "execute", refuse)
    dock = window.track_dock
    dock.unit_combo.setCurrentText("363-01")
    dock.load_button.click()
    qtbot.waitUntil(lambda: dock.status_label.text() == (
        "Không hiển thị được hành trình: the database does not answer"), timeout=5000)
    assert not dock.play_button.isEnabled()
