"""The map benchmark runs and reports the map beside its like-for-like raw QPainter peer
(small data): every figure with its goal and a verdict that follows from the value."""

from __future__ import annotations

import math

import pytest
from PySide6.QtWidgets import QApplication

from benchmarks import _common, bench_map


def test_benchmark_runs_small(qapp: QApplication, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "FIGURES", [])  # this run's figures only
    with _common.section("map"):
        results = bench_map.run(True, incidents=2_000, units=20, cameras=30)
    out = capsys.readouterr().out
    figures = {f.name: f for f in _common.FIGURES}
    assert set(results) == {"district", "streets"}
    for scene, times in results.items():
        assert set(times) == {f"{part}_p{q}" for part in ("map", "peer", "bare")
                              for q in (50, 95)}
        assert all(0 < v < 1000 for v in times.values())
        # the measurement itself: every frame painted by both, the incidents shown alike
        painted = figures[f"{scene}: paints by the map / by the peer (for 40 frames)"]
        assert painted.value >= 40 and painted.verdict == "PASS"
        differ = figures[f"{scene}: frames where the peer showed the incidents otherwise"]
        assert differ.value == 0 and differ.verdict == "PASS"
        # the judged figures are the returned times, and their verdicts follow the goals
        frame = figures[f"{scene}: map frame, p95"]
        assert frame.value == pytest.approx(times["map_p95"])
        assert frame.verdict == ("PASS" if frame.value <= 16.0 else "FAIL")
        ratio = figures[f"{scene}: map / peer, p95"]
        assert ratio.value == pytest.approx(times["map_p95"] / times["peer_p95"])
        assert ratio.verdict == ("PASS" if ratio.value <= 2.0 else "FAIL")
        assert ratio.goal is not None and ratio.goal.limit == 2.0
        assert figures[f"{scene}: map / peer without the cones, p95"].verdict is None
        assert all(f.bench == "map" and not math.isnan(f.load) for f in figures.values())
        assert f"{scene}: map / peer, p95" in out and f"goal: ≤ 2× {ratio.verdict}" in out
    # zoomed out beyond 3 km the incidents are the density image; in the streets, symbols
    lines = {text.split(" (")[0].strip(): text for text in out.splitlines() if " m wide " in text}
    assert "incidents drawn as density in " in lines["district"]
    assert lines["streets"].endswith("incidents drawn as points in 40 frames)")
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]
