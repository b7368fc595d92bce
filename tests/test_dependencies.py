"""Every third-party package the code imports is declared in pyproject.toml.

The package and build.py against [project] dependencies; tests/ and bench/ against those plus the
``test`` extra. Imports anywhere in a file count, lazy ones inside functions too. A module is mapped
to the distribution that installs it (``fontTools`` -> fonttools, ``yaml`` -> PyYAML).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REQUIREMENT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def distribution_key(name: str) -> str:
    """A distribution's name as PEP 503 compares them: 'PyYAML' and 'pyyaml', 'import_linter' and 'import-linter'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    requirements = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        requirements += PYPROJECT["project"]["optional-dependencies"][extra]
    return {distribution_key(REQUIREMENT_NAME_RE.match(requirement).group()) for requirement in requirements}


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the absolute imports in a file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def undeclared(files: list[Path], allowed: set[str], local: set[str], root: Path = ROOT) -> list[str]:
    """'path: imports module (distribution), which pyproject.toml does not declare', one per import."""
    distributions = packages_distributions()
    problems = []
    for path in files:
        for module in sorted(imported_modules(path) - set(sys.stdlib_module_names) - local - {"__future__"}):
            owners = {distribution_key(name) for name in distributions.get(module, [])}
            if not owners & allowed:
                installed_by = ", ".join(sorted(owners)) or "no installed distribution"
                problems.append(f"{path.relative_to(root)}: imports {module} ({installed_by}), which is not declared")
    return problems


def local_modules() -> set[str]:
    """Our own top-level modules: the package, build.py, and the helpers tests import from each other."""
    return {"leaflets"} | {
        path.stem for folder in (ROOT, ROOT / "tests", ROOT / "bench") for path in folder.glob("*.py")
    }


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_the_package_imports_only_declared_dependencies():
    files = [*python_files("leaflets"), ROOT / "build.py"]
    assert len(files) > 50
    assert undeclared(files, declared(), local_modules()) == []


def test_tests_and_bench_import_only_declared_dependencies():
    files = python_files("tests", "bench")
    assert ROOT / "bench" / "run.py" in files
    assert undeclared(files, declared("test"), local_modules()) == []


@pytest.mark.parametrize(
    ("source", "module", "distribution"),
    [
        ("import tinycss2\n", "tinycss2", "tinycss2"),  # installed for WeasyPrint, not declared by us
        ("def later():\n    from lxml import etree\n", "lxml", "lxml"),  # a lazy import counts too
        ("import yaml, fontTools.ttLib\nimport no_such_module_anywhere\n", "no_such_module_anywhere", None),
    ],
)
def test_an_undeclared_import_is_reported(tmp_path, source, module, distribution):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    installed_by = distribution or "no installed distribution"
    assert undeclared([path], declared(), local_modules(), root=tmp_path) == [
        f"probe.py: imports {module} ({installed_by}), which is not declared"
    ]


def test_distribution_names_compare_as_pep_503_says():
    assert distribution_key("PyYAML") == distribution_key("pyyaml") == "pyyaml"
    assert distribution_key("import_linter") == distribution_key("Import.Linter") == "import-linter"
