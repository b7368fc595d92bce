"""The command line: subcommands, global options in either place, exit codes."""

from __future__ import annotations

import os

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
    assert sorted(p.name for p in output.iterdir()) == [".site-manifest.json", "site"]


def test_rebuild_renders_only_what_changed(cli, minimal_content, tmp_path):
    meta = minimal_content / "leaflets" / "sample" / "leaflet.yaml"
    second = minimal_content / "leaflets" / "other"
    second.mkdir()
    (second / "leaflet.yaml").write_text(meta.read_text().replace("Sample leaflet", "Other leaflet"))
    (second / "en.md").write_text((minimal_content / "leaflets" / "sample" / "en.md").read_text())
    output = tmp_path / "out"
    first = cli("site", "--content", minimal_content, "--output", output)
    assert "2 rendered, 0 unchanged" in first.out
    other_pdf = output / "site" / "other" / "en" / "other-en.pdf"
    inode = other_pdf.stat().st_ino
    assert "0 rendered, 2 unchanged" in cli("site", "--content", minimal_content, "--output", output).out
    text = minimal_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a sample leaflet.", "This is an edited leaflet."))
    third = cli("site", "--content", minimal_content, "--output", output)
    assert "1 rendered, 1 unchanged" in third.out
    assert "edited" in (output / "site" / "sample" / "en" / "index.html").read_text()
    assert other_pdf.stat().st_ino == inode  # reused (hard-linked), not rewritten


def test_template_or_style_change_rebuilds_everything(cli, minimal_content, tmp_path, monkeypatch):
    from leaflets.publish import manifest, site_stamp

    output = tmp_path / "out"
    cli("site", "--content", minimal_content, "--output", output)
    real = manifest.shared_key
    monkeypatch.setattr(manifest, "shared_key", lambda: real() + "-changed-template")
    monkeypatch.setattr(site_stamp, "environment_hash", lambda: "changed")  # nor may the whole-site stamp match
    assert "1 rendered, 0 unchanged" in cli("site", "--content", minimal_content, "--output", output).out


def test_leftovers_of_a_killed_swap_are_recovered_and_cleared(cli, minimal_content, tmp_path):
    output = tmp_path / "out"
    assert cli("site", "--content", minimal_content, "--output", output).code == 0
    # A build killed between its two renames: the site sits in an old-copy folder, a staging folder remains.
    old = output / ".site-old-x"
    old.mkdir()
    (output / "site").rename(old / "site")
    (output / ".site-new-y").mkdir()
    (output / ".site-manifest.json").unlink()
    from leaflets.publish.output import clear_leftovers

    clear_leftovers(output / "site")
    assert (output / "site" / "sample" / "en" / "index.html").is_file()
    assert sorted(p.name for p in output.iterdir()) == ["site"]
    assert cli("site", "--content", minimal_content, "--output", output).code == 0
    assert sorted(p.name for p in output.iterdir()) == [".site-manifest.json", "site"]


def test_a_second_build_into_the_same_folder_waits_its_turn(cli, minimal_content, tmp_path):
    from leaflets.publish.output import build_lock

    output = tmp_path / "out"
    with build_lock(output):
        result = cli("site", "--content", minimal_content, "--output", output)
    assert result.code == 1
    assert result.err.strip() == f"{output}: another build is writing here; wait for it to finish"
    assert cli("site", "--content", minimal_content, "--output", output).code == 0


def test_out_naming_a_folder_is_a_clear_error(cli, tmp_path):
    result = cli(
        "print",
        "--leaflet",
        "naltrexone",
        "--clinic",
        "example",
        "--regimen",
        "daily:50",
        "--output",
        tmp_path / "out",
        "--out",
        tmp_path,
    )
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "check the path" in result.err


def test_an_unchanged_site_is_reported_again_without_writing(cli, minimal_content, tmp_path):
    output = tmp_path / "out"
    first = cli("site", "--content", minimal_content, "--output", output)
    page = output / "site" / "sample" / "en" / "index.html"
    before = page.stat().st_mtime_ns
    again = cli("site", "--content", minimal_content, "--output", output)
    assert again.out.endswith("0 rendered, 1 unchanged; 0 file(s) written\n"), again.out
    assert again.err == first.err  # the same warnings, said again
    assert page.stat().st_mtime_ns == before


def test_a_changed_content_file_or_a_missing_site_file_runs_the_build(cli, minimal_content, tmp_path):
    output = tmp_path / "out"
    cli("site", "--content", minimal_content, "--output", output)
    source = next(minimal_content.glob("leaflets/*/leaflet.yaml"))
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same bytes: its pages are reused
    assert "0 file(s) written" not in cli("site", "--content", minimal_content, "--output", output).out
    page = output / "site" / "sample" / "en" / "index.html"
    page.unlink()
    cli("site", "--content", minimal_content, "--output", output)
    assert page.is_file()
