"""Where the files the application loads that are not Python live (``resources/`` at the
top of the repository: translations, themes, icons), found the same way in a source
checkout, an installed wheel and a frozen build:

- a frozen build (PyInstaller) unpacks them to ``<sys._MEIPASS>/resources``;
- a wheel carries them inside the package, as ``gvcommand/resources`` (setup.py copies the
  folder there when it builds);
- a source checkout (and an editable install) reads ``resources/`` beside the package.

Each location is recognised by its ``README.md``, so an empty folder left behind is never
taken for one.
"""

from __future__ import annotations

import sys
from pathlib import Path

MARKER = "README.md"
PACKAGE = Path(__file__).resolve().parent


def candidates() -> list[Path]:
    found = []
    frozen = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen:
        found.append(Path(frozen) / "resources")
    found.append(PACKAGE / "resources")  # an installed wheel
    found.append(PACKAGE.parent / "resources")  # a source checkout
    return found


def resources_dir() -> Path:
    """The folder of the application's resources (FileNotFoundError naming where it looked
    if there is none: an installation that lost them)."""
    for folder in candidates():
        if (folder / MARKER).is_file():
            return folder
    raise FileNotFoundError("the application's resources are missing; looked in: "
                            + ", ".join(str(p) for p in candidates()))


def in_source_checkout() -> bool:
    """Whether the resources are a checkout's own folder (edited in place), not a copy
    made by an installation."""
    try:
        return resources_dir() == PACKAGE.parent / "resources"
    except FileNotFoundError:
        return False


def resource(*parts: str) -> Path:
    """A path under the resources folder (it may not exist: a catalogue not compiled)."""
    return resources_dir().joinpath(*parts)
