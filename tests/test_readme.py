"""The README tells the truth about the repository: every path its Layout section names
exists (a folder as a folder, a file as a file), and every top-level package and module of
gvcommand is named there."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
# a name at the start of a Layout line (two-space indent: inside the folder above)
ENTRY = re.compile(r"^( {0,2})(\S+)")


def layout_entries(readme: str) -> list[tuple[str, bool]]:
    """(path relative to the repository, a folder?) for each name the Layout block lists."""
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    entries: list[tuple[str, bool]] = []
    parent = ""
    for line in block.splitlines():
        match = ENTRY.match(line)
        if not line.strip() or match is None or line.startswith("   "):
            continue  # a description's continuation
        indent, name = match.groups()
        path = parent + name if indent else name
        if not indent:
            parent = name if name.endswith("/") else ""
        entries.append((path.rstrip("/"), name.endswith("/")))
    return entries


def problems(readme: str, root: Path = REPOSITORY) -> list[str]:
    found = []
    for path, folder in layout_entries(readme):
        target = root / path
        if folder and not target.is_dir():
            found.append(f"README names the folder {path}/, which is not there")
        elif not folder and not target.is_file():
            found.append(f"README names the file {path}, which is not there")
    return found


def test_every_path_the_layout_names_exists() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert len(layout_entries(readme)) > 20, "the Layout section was not found or not read"
    assert problems(readme) == []


def test_every_top_level_part_of_the_package_is_described() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    named = {path.removeprefix("gvcommand/") for path, _ in layout_entries(readme)
             if path.startswith("gvcommand/")}
    package = REPOSITORY / "gvcommand"
    parts = {p.name for p in package.iterdir()
             if (p / "__init__.py").is_file() or (p.suffix == ".py" and p.stem != "__init__")}
    assert parts - named == set(), f"not described in the README's Layout: {parts - named}"


def test_a_layout_naming_what_is_not_there_is_caught() -> None:
    readme = ("# x\n\n## Layout\n\n```\ngvcommand/\n  app.py     the console\n"
              "  recorder/  a recorder\n             (continued)\nscripts/   tools\n```\n")
    assert layout_entries(readme) == [("gvcommand", True), ("gvcommand/app.py", False),
                                      ("gvcommand/recorder", True), ("scripts", True)]
    assert problems(readme) == ["README names the folder gvcommand/recorder/, which is not "
                                "there"]
