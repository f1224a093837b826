"""Everything is in pyproject.toml; this file only puts the top-level ``resources/`` folder
(translations, themes, icons: see resources/README.md) into the wheel, inside the package as
``gvcommand/resources/``, where gvcommand.resource_files looks for it in an installation."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "resources"
        target = Path(self.build_lib) / "gvcommand" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.tmp", "__pycache__"))


setup(cmdclass={"build_py": BuildWithResources})
