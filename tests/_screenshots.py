"""Where tests save the pictures a person looks at (besides the asserts on their pixels)."""

from __future__ import annotations

import os
from pathlib import Path

SCREENSHOTS_ENV = "GVCOMMAND_SCREENSHOTS"


def screenshot_path(name: str) -> str:
    """``$GVCOMMAND_SCREENSHOTS/<name>``: tests/conftest.py points it into the session's
    pytest temporary directory unless it is set, and prints it at the end of the session."""
    folder = os.environ.get(SCREENSHOTS_ENV)
    if not folder:
        raise RuntimeError(f"${SCREENSHOTS_ENV} is not set (tests/conftest.py sets it)")
    Path(folder).mkdir(parents=True, exist_ok=True)
    return str(Path(folder) / name)
