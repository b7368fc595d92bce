"""Shared fixtures: content trees in tmp_path, the CLI in-process, a built site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))

import build  # noqa: E402


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run build.py's main() in-process and capture what a user sees."""

    def run(*args: str) -> CliResult:
        try:
            code = build.main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_build_py(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run build.py in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def minimal_content(tmp_path) -> Path:
    """A copy of the smallest valid content tree, to break in a test."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("built")
    result = run_build_py("site", "--content", ROOT / "content", "--output", output)
    assert result.returncode == 0, result.stderr
    return output / "site"
