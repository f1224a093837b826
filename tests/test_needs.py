"""What a missing outside dependency does to a test: a skip saying what is missing on a
developer's machine, a failure under CI=true (tests/_needs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._needs import in_ci, present


@pytest.mark.parametrize(("value", "ci"), [("", False), ("0", False), ("false", False),
                                           ("true", True), ("1", True), ("yes", True)])
def test_ci_is_read_from_the_environment(value: str, ci: bool,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is ci


def test_missing_shared_data_skips_with_its_path_and_fails_in_ci(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere.csv"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"shared data absent: {missing}"):
        present(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        present(missing)
    assert present(tmp_path) == tmp_path
