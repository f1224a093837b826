"""How the benchmarks report a figure: its goal's verdict, the load, and the JSON a run
writes (``python -m benchmarks --json FILE``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks import _common
from benchmarks.__main__ import write_json


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[_common.Figure]:
    fresh: list[_common.Figure] = []
    monkeypatch.setattr(_common, "FIGURES", fresh)
    return fresh


def test_goals_judge_the_value_and_nothing_measured_fails() -> None:
    assert _common.at_most(16, "p95 ≤ 16 ms").met(16.0)
    assert not _common.at_most(16, "").met(16.01)
    assert _common.at_least(24, "").met(24.0)
    assert not _common.at_least(24, "").met(23.9)
    assert not _common.Goal("<", 16.0).met(16.0)
    assert not _common.at_most(16, "").met(float("nan"))
    assert not _common.at_least(0, "").met(float("nan"))


def test_a_figure_is_printed_with_its_goal_verdict_and_load(
        figures: list[_common.Figure], capsys: pytest.CaptureFixture[str]) -> None:
    with _common.section("map"):
        slow = _common.report("streets: map frame, p95", 17.5, "ms",
                              _common.at_most(16, "p95 ≤ 16 ms"), text="p50 9.0 ms, p95 17.5 ms")
    plain = _common.report("loaded in", 0.5, "s")
    out = capsys.readouterr().out
    assert slow.bench == "map" and plain.bench == ""
    assert slow.verdict == "FAIL" and plain.verdict is None
    assert "p50 9.0 ms, p95 17.5 ms   goal: p95 ≤ 16 ms FAIL   [load " in out
    assert "0.50 s   [load " in out and "goal" not in out.splitlines()[1]
    assert not math.isnan(slow.load) and slow.load >= 0
    assert _common.failed() == [slow]


def test_the_json_holds_every_figure_and_the_run_verdict(
        figures: list[_common.Figure], tmp_path: Path) -> None:
    with _common.section("video"):
        _common.report("wall CPU / bare CPU", 1.1, "×", _common.at_most(1.2, "≤ 1.2×"))
        _common.report("camera switch, p95", float("nan"), "ms", _common.at_most(1000, ""),
                       text="no switch reached a frame")
    path = tmp_path / "bench.json"
    write_json(path, {"host": "test", "argv": ["--quick"]})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["host"] == "test" and doc["argv"] == ["--quick"] and doc["verdict"] == "FAIL"
    assert doc["failed"] == ["video: camera switch, p95"]
    ratio, switch = doc["figures"]
    assert ratio == {"bench": "video", "name": "wall CPU / bare CPU", "value": 1.1, "unit": "×",
                     "goal": {"op": "<=", "limit": 1.2, "text": "≤ 1.2×"}, "verdict": "PASS",
                     "load": ratio["load"], "text": "1.10 ×"}
    assert switch["value"] is None and switch["verdict"] == "FAIL"  # NaN is not JSON
