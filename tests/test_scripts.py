"""The developer scripts: they parse, are executable, and the PostgreSQL they provide works."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from ._needs import unavailable

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPTS = [
    ROOT / "scripts" / "setup.sh",
    ROOT / "scripts" / "start.sh",
    ROOT / "scripts" / "test.sh",
    ROOT / ".ci" / "run",
]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_parses_and_is_executable(script: pathlib.Path) -> None:
    assert os.access(script, os.X_OK), f"chmod +x {script.relative_to(ROOT)}"
    subprocess.run(["bash", "-n", str(script)], check=True)


def test_scripts_pass_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        unavailable("shellcheck is not installed (scripts/setup.sh --dev installs it)")
    result = subprocess.run(
        ["shellcheck", *map(str, SCRIPTS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_setup_help_and_bad_argument() -> None:
    setup = str(ROOT / "scripts" / "setup.sh")
    shown = subprocess.run(["bash", setup, "--help"], capture_output=True, text=True, check=True)
    assert "Usage: scripts/setup.sh [--dev]" in shown.stdout
    refused = subprocess.run(["bash", setup, "--nope"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert "unknown argument" in refused.stderr


@pytest.mark.postgres
def test_provided_postgres_database_answers() -> None:
    """scripts/test.sh exports GVCOMMAND_TEST_PG_URL for a fresh database: it must answer."""
    url = os.environ.get("GVCOMMAND_TEST_PG_URL")
    if not url:
        unavailable("GVCOMMAND_TEST_PG_URL is not set (run the tests with scripts/test.sh)")
    import psycopg

    parts = urlsplit(url)
    assert parts.scheme == "postgresql+psycopg"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        database, version = conn.execute(
            "SELECT current_database(), current_setting('server_version_num')::int"
        ).fetchone()  # type: ignore[misc]
    assert database == parts.path.lstrip("/")
    assert version >= 130000
