"""Track playback: the marker is where the unit was at the chosen moment (interpolated
between fixes), play advances at the chosen speed and stops at the end, an empty period
says so."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from gvcommand.map._projection import project_point
from gvcommand.map.layers.tracks import TrackLayer, TrackPoint
from gvcommand.ui.track_player import TrackPlayerDock

S = 1_000_000
T0 = 1_764_300_000 * S
TRACK = [TrackPoint(T0, 106.660, 10.830), TrackPoint(T0 + 60 * S, 106.662, 10.830),
         TrackPoint(T0 + 120 * S, 106.662, 10.832)]


@pytest.fixture
def dock(qtbot: QtBot) -> TrackPlayerDock:
    asked: list[tuple[str, int, int]] = []

    def load(call_sign: str, t0: int, t1: int, done: Callable[[list[TrackPoint]], None],
             failed: Callable[[str], None]) -> None:
        asked.append((call_sign, t0, t1))
        if call_sign == "KHONG-GHI":
            failed("mất kết nối cơ sở dữ liệu")
        else:
            done(TRACK if call_sign == "363-01" else [])

    layer = TrackLayer()
    widget = TrackPlayerDock(layer, load, now=lambda: QDateTime.fromSecsSinceEpoch(
        T0 // S + 3000))
    widget.asked = asked  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.set_units(["363-01", "HS-02"])
    return widget


def test_marker_follows_the_track(dock: TrackPlayerDock) -> None:
    assert not dock.play_button.isEnabled()
    dock.show_track()
    call, t0, t1 = dock.asked[-1]  # type: ignore[attr-defined]
    assert call == "363-01" and t1 - t0 == 3600 * S  # the last hour by default
    assert dock.play_button.isEnabled()
    assert dock.status_label.text() == "363-01: 3 vị trí"
    layer = dock.layer
    assert layer.marker.isVisible()
    start = project_point(106.660, 10.830)
    assert (layer.marker.pos().x(), layer.marker.pos().y()) == pytest.approx(start)
    dock.seek(T0 + 30 * S)  # half-way along the first leg
    a, b = project_point(106.660, 10.830), project_point(106.662, 10.830)
    assert layer.marker.pos().x() == pytest.approx((a[0] + b[0]) / 2, abs=0.01)
    assert dock.slider.value() == 250
    dock.slider.setValue(1000)
    end = project_point(106.662, 10.832)
    assert (layer.marker.pos().x(), layer.marker.pos().y()) == pytest.approx(end, abs=0.01)


def test_play_advances_at_the_chosen_speed_and_stops(dock: TrackPlayerDock) -> None:
    dock.show_track()
    dock.speed_combo.setCurrentIndex(dock.speed_combo.findData(60))
    dock.play_button.setChecked(True)
    assert dock.timer.isActive() and dock.play_button.text() == "Tạm dừng"
    dock.advance(0.5)  # half a second at 60×: 30 s of the track
    assert dock.t_us == T0 + 30 * S
    dock.advance(10)  # beyond the end
    assert dock.t_us == T0 + 120 * S
    assert not dock.play_button.isChecked() and not dock.timer.isActive()
    dock.play_button.setChecked(True)  # again: from the start
    assert dock.t_us == T0


def test_empty_period_and_bad_period(dock: TrackPlayerDock) -> None:
    dock.unit_combo.setCurrentText("HS-02")
    dock.show_track()
    assert dock.status_label.text() == "HS-02 không gửi vị trí nào trong khoảng thời gian này."
    assert not dock.play_button.isEnabled() and not dock.layer.marker.isVisible()
    dock.from_edit.setDateTime(dock.to_edit.dateTime().addSecs(60))
    asked = len(dock.asked)  # type: ignore[attr-defined]
    dock.show_track()
    assert dock.status_label.text() == "Thời điểm bắt đầu phải trước thời điểm kết thúc."
    assert len(dock.asked) == asked  # type: ignore[attr-defined]


def test_a_track_that_cannot_be_read_says_why(dock: TrackPlayerDock) -> None:
    dock.set_units(["KHONG-GHI"])
    dock.show_track()
    assert dock.status_label.text() == ("Không hiển thị được hành trình: mất kết nối cơ sở dữ "
                                        "liệu"), dock.status_label.text()
    assert not dock.play_button.isEnabled() and dock.load_button.isEnabled()
