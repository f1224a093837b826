"""The interface's house, measured: no module of gvcommand.ui over 450 lines, and no circle
among its modules' imports (the layers contract in pyproject.toml keeps arrows from running
up between packages; this keeps the parts of ui from leaning on each other in a ring)."""

from __future__ import annotations

from pathlib import Path

import grimp
import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "gvcommand"
MAX_LINES = 450


def test_no_ui_module_is_over_450_lines() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in (PACKAGE / "ui").rglob("*.py")}
    assert len(sizes) > 30
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def ui_import_graph() -> nx.DiGraph:
    graph = grimp.build_graph("gvcommand")
    ui = nx.DiGraph()
    for module in graph.modules:
        if not module.startswith("gvcommand.ui"):
            continue
        ui.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            # a package's own __init__ gathering its modules is not a ring
            if imported.startswith("gvcommand.ui") and not module.startswith(imported + "."):
                ui.add_edge(module, imported)
    return ui


def test_no_circle_among_the_ui_modules() -> None:
    graph = ui_import_graph()
    assert graph.number_of_nodes() > 30
    assert list(nx.simple_cycles(graph)) == []
