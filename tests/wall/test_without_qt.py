"""The camera wall's plain parts load and pass their tests with Qt, libVLC and pyqtgraph made
unimportable, as where only their own dependencies are installed: this folder's tests run in
a child process that blocks them (pytest-qt, which imports Qt as pytest starts, is left out).
import-linter's contract on the same modules (pyproject.toml) keeps their imports so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAIN = ["gvcommand.ui.camera_wall.layout", "gvcommand.ui.camera_wall.budget",
         "gvcommand.ui.camera_wall.fill", "gvcommand.ui.camera_wall.wall_settings"]

_BLOCKED = f"""
import sys
for name in ("PySide6", "shiboken6", "vlc", "pyqtgraph"):
    sys.modules[name] = None
import pytest
code = pytest.main(["tests/wall", "-q", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
                    "-p", "no:randomly", "--ignore", "tests/wall/test_without_qt.py",
                    "-W", "ignore::pytest.PytestConfigWarning"])
leaked = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "vlc", "pyqtgraph")
          and sys.modules[m] is not None]
missing = [m for m in {PLAIN!r} if m not in sys.modules]
print("LEAKED", leaked, "MISSING", missing)
sys.exit(code or (1 if leaked or missing else 0))
"""


def test_the_plain_parts_are_tested_without_qt() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run([sys.executable, "-c", _BLOCKED], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    assert "LEAKED [] MISSING []" in result.stdout
