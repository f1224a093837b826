"""Live unit motion: a new fix glides the symbol there, late fixes are ignored, a unit that
misses two of its usual reports is stale, trails keep the last minutes."""

from __future__ import annotations

import pytest

from gvcommand.map.motion import DEFAULT_INTERVAL_S, Motion, UnitFix

S = 1_000_000
T = 1_764_300_000 * S


def test_glide_and_late_fixes() -> None:
    m = Motion(glide_s=1.0)
    assert m.update("363-01", UnitFix(106.660, 10.830, T), now_s=100.0)
    assert m.position("363-01", 100.0) == (106.660, 10.830)  # the first fix: at once
    assert m.update("363-01", UnitFix(106.662, 10.830, T + 10 * S), now_s=200.0)
    assert m.gliding(200.5)
    assert m.position("363-01", 200.5) == pytest.approx((106.661, 10.830))
    assert m.position("363-01", 201.0) == (106.662, 10.830)
    assert not m.gliding(201.0)
    # a fix from before the last one moves nothing
    assert not m.update("363-01", UnitFix(106.0, 10.0, T + 5 * S), now_s=202.0)
    assert m.position("363-01", 203.0) == (106.662, 10.830)
    # a new fix while gliding starts from where the symbol is
    m.update("363-01", UnitFix(106.664, 10.830, T + 20 * S), now_s=300.0)
    m.position("363-01", 300.5)
    m.update("363-01", UnitFix(106.664, 10.832, T + 30 * S), now_s=300.5)
    assert m.position("363-01", 300.5) == pytest.approx((106.663, 10.830))


def test_staleness_follows_the_units_own_interval() -> None:
    m = Motion()
    m.update("A", UnitFix(106.66, 10.83, T), now_s=0)
    assert m.interval_s("A") == DEFAULT_INTERVAL_S  # too few reports to know
    assert not m.stale("A", T + 59 * S) and m.stale("A", T + 61 * S)
    for i in range(1, 5):  # then every 10 s
        m.update("A", UnitFix(106.66, 10.83, T + i * 10 * S), now_s=i)
    assert m.interval_s("A") == 10.0
    assert not m.stale("A", T + 40 * S + 19 * S)
    assert m.stale("A", T + 40 * S + 21 * S)
    assert m.age_s("A", T + 45 * S) == 5.0


def test_trails_keep_the_last_minutes() -> None:
    m = Motion(trail_s=60)
    for i in range(10):
        m.update("A", UnitFix(106.66 + i / 1000, 10.83, T + i * 15 * S), now_s=i)
    trail = m.trails(T + 9 * 15 * S)["A"]
    assert len(trail) == 5  # the fixes of the last 60 s (15 s apart)
    assert trail[0][0] == pytest.approx(106.665) and trail[-1][0] == pytest.approx(106.669)
