"""The application's resources (resources/: translations, themes, icons) are found where
the application runs: in this source checkout, in an installed wheel (built here, installed
into a folder of its own, imported there from outside the checkout) and in a frozen build's
layout (PyInstaller's ``sys._MEIPASS``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gvcommand import resource_files

REPOSITORY = Path(__file__).resolve().parents[1]
# what an installation needs of them: the catalogue (source and compiled), the style
# sheet, the icon
NEEDED = ("translations/gvcommand_vi.ts", "translations/gvcommand_vi.qm",
          "themes/console.qss", "icons/gvcommand.svg")
PROBE = ("import json, sys; from gvcommand import resource_files as r; "
         "from gvcommand.ui import i18n, theme; "
         "print(json.dumps([str(r.resources_dir()), str(i18n.find_catalogue('vi')), "
         "len(theme.STYLESHEET)]))")


def test_a_source_checkout_reads_the_folder_beside_the_package() -> None:
    assert resource_files.resources_dir() == REPOSITORY / "resources"
    for name in NEEDED:
        assert resource_files.resource(*name.split("/")).is_file(), name


def test_missing_resources_say_where_they_were_looked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resource_files, "PACKAGE", tmp_path / "site" / "gvcommand")
    (tmp_path / "site" / "gvcommand" / "resources").mkdir(parents=True)  # empty: not one
    with pytest.raises(FileNotFoundError, match="resources are missing; looked in"):
        resource_files.resources_dir()


def _probe(python_path: Path, cwd: Path, *, frozen: Path | None = None) -> list[object]:
    import json

    code = PROBE
    if frozen is not None:
        code = f"import sys; sys.frozen = True; sys._MEIPASS = {str(frozen)!r}; " + code
    env = {**os.environ, "PYTHONPATH": str(python_path), "PYTHONNOUSERSITE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_an_installed_wheel_and_a_frozen_build_find_them(tmp_path: Path) -> None:
    # the wheel, built from a copy of the checkout (no build output left in the repository)
    source = tmp_path / "source"
    shutil.copytree(REPOSITORY, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("gvcommand-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    for name in NEEDED:
        assert f"gvcommand/resources/{name}" in inside, name

    # installed into a folder of its own and run from elsewhere: its own copy is found
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # what pip does with a pure-Python wheel's files
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found, catalogue, qss = _probe(site, elsewhere)
    assert found == str(site / "gvcommand" / "resources")
    assert catalogue == str(site / "gvcommand" / "resources" / "translations" /
                            "gvcommand_vi.qm")
    assert isinstance(qss, int) and qss > 500

    # a frozen build: PyInstaller unpacks the data next to the code, under _MEIPASS
    bundle = tmp_path / "bundle"
    shutil.copytree(site / "gvcommand", bundle / "gvcommand",
                    ignore=shutil.ignore_patterns("resources"))
    shutil.copytree(REPOSITORY / "resources", bundle / "resources")
    found, catalogue, _ = _probe(bundle, elsewhere, frozen=bundle)
    assert found == str(bundle / "resources")
    assert catalogue == str(bundle / "resources" / "translations" / "gvcommand_vi.qm")
