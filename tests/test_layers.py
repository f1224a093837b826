"""The architecture's rules, checked in the test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs pytest on tests/core with Qt, SQL and VLC made unimportable, as in an environment
# where only the core's own dependencies are installed.
_BLOCKED = """
import sys
for name in ("PySide6", "shiboken6", "sqlalchemy", "psycopg", "alembic", "vlc", "argon2"):
    sys.modules[name] = None
import pytest
code = pytest.main(["tests/core", "-q", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
                    "-W", "ignore::pytest.PytestConfigWarning"])
leaked = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "sqlalchemy", "vlc")
          and sys.modules[m] is not None]
print("LEAKED", leaked)
sys.exit(code or (1 if leaked else 0))
"""


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_core_tests_pass_without_qt_sql_or_vlc() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run([sys.executable, "-c", _BLOCKED], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    assert "LEAKED []" in result.stdout


def test_every_top_level_module_is_in_a_layer() -> None:
    """A module or package added at the top of gvcommand gets its place in the layers
    contract (import-linter checks only the modules a contract names)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"]
                  if c["type"] == "layers" and not c.get("containers")]
    named = {name.strip(" ()") for layer in contract["layers"]
             for name in layer.replace(":", "|").split("|")}
    package = ROOT / "gvcommand"
    top = {f"gvcommand.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    top |= {f"gvcommand.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert top - named == set(), f"not in the layers contract: {sorted(top - named)}"
    assert named - top == set(), f"named in the layers contract, not there: {sorted(named - top)}"
