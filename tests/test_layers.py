"""The package's imports point one way: down the layers of pyproject.toml, and never round in a cycle.

``lint-imports`` checks the layers contract; grimp's import graph (lazy imports inside functions
included) must have no strongly connected component, that is no set of modules that import each other,
however indirectly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp
from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run_lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package in ``folder``, with that folder's pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself), sorted."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:  # Tarjan's algorithm; the package is far too small for the recursion limit
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1 or graph.direct_import_exists(importer=module, imported=module):
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_lint_imports_keeps_the_layers_contract():
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The pipeline in one-way layers KEPT" in result.stdout
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_lint_imports_fails_on_an_upward_import(tmp_path):
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("")
    (package / "low.py").write_text("from . import high\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "layered"\n\n[[tool.importlinter.contracts]]\n'
        'name = "Down only"\ntype = "layers"\ncontainers = ["layered"]\nlayers = ["high", "low"]\n'
    )
    result = run_lint_imports(tmp_path)
    assert result.returncode == 1
    assert "Down only BROKEN" in result.stdout
    assert "layered.low -> layered.high" in result.stdout


def test_the_package_has_no_import_cycle():
    graph = grimp.build_graph("leaflets")
    files = {path.relative_to(ROOT).with_suffix("") for path in (ROOT / "leaflets").rglob("*.py")}
    modules = {".".join(path.parts[:-1] if path.name == "__init__" else path.parts) for path in files}
    assert graph.modules == modules  # the graph is of this tree's package, every module of it
    assert import_cycles(graph) == []


def test_a_cycle_through_three_modules_is_found():
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d"), ("p.e", "p.e")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["p.a", "p.b", "p.c"], ["p.e"]]
