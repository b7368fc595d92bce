"""The command line: subcommands, global options in either place, exit codes."""

from __future__ import annotations

import pytest
from conftest import run_build_py


@pytest.mark.parametrize("command", [[], ["site"], ["check"]])
def test_help_for_every_command(cli, command):
    result = cli(*command, "--help")
    assert result.code == 0
    assert "--content DIR" in result.out
    assert "--strict" in result.out


@pytest.mark.parametrize("args", [["bogus"], ["check", "--nope"], ["--content"]])
def test_usage_errors_exit_2(cli, args):
    result = cli(*args)
    assert result.code == 2
    assert "usage: build.py" in result.err


@pytest.mark.parametrize("order", ["before", "after"])
def test_global_options_before_or_after_the_subcommand(cli, minimal_content, order):
    options = ["--content", minimal_content, "--strict"]
    args = [*options, "check"] if order == "before" else ["check", *options]
    result = cli(*args)
    assert result.code == 0, result.err
    assert "Content is valid: 1 leaflet(s)" in result.out


def test_content_error_from_a_fresh_process_has_no_traceback(minimal_content):
    (minimal_content / "leaflets" / "sample" / "leaflet.yaml").write_text("title: [\n")
    result = run_build_py("check", "--content", minimal_content)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "leaflet.yaml:2: invalid YAML" in result.stderr


def test_failed_build_leaves_previous_site_intact(cli, minimal_content, tmp_path):
    output = tmp_path / "out"
    assert cli("site", "--content", minimal_content, "--output", output).code == 0
    page = output / "site" / "sample" / "en" / "index.html"
    before = page.read_bytes()
    (minimal_content / "leaflets" / "sample" / "en.md").write_text("## Broken\n")
    result = cli("site", "--content", minimal_content, "--output", output)
    assert result.code == 1
    assert page.read_bytes() == before
    assert sorted(p.name for p in output.iterdir()) == ["site"]
