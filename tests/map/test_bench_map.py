"""The map benchmark runs and reports both the map and the raw QPainter peer (small data)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from benchmarks import bench_map


def test_benchmark_runs_small(qapp: QApplication, capsys: pytest.CaptureFixture[str]) -> None:
    results = bench_map.run(True, incidents=2_000, units=20, cameras=30)
    out = capsys.readouterr().out
    assert "district (density)" in out and "streets (points)" in out
    assert "raw QPainter drawPoints" in out and "raw QPainter sprites" in out
    assert "goals: p95" in out and ("PASS" in out or "FAIL" in out)
    for figures in results.values():
        assert set(figures) == {"map_p50", "map_p95", "raw_p50", "raw_p95", "sprites_p50",
                                "sprites_p95"}
        assert all(v > 0 for v in figures.values())
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]
