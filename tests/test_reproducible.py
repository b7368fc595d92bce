"""Atomic and reproducible output.

A build that is killed part-way leaves the previous site complete and unchanged (pages are
rendered into a staging folder that is swapped in only at the end), and two clean builds of
the same content are byte for byte the same, HTML and PDF.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from conftest import ROOT

# Every published leaflet language of the real content: two PDFs each (standard and large print).
LEAFLET_LANGUAGES = [
    (folder.name, lang)
    for folder in sorted((ROOT / "content" / "leaflets").iterdir())
    for lang in yaml.safe_load((folder / "leaflet.yaml").read_text(encoding="utf-8")).get("languages", ["en"])
]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


def start_build(output: Path, content: Path = ROOT / "content", **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "site", "--content", str(content), "--output", str(output)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )


def test_killed_build_leaves_the_previous_site_complete(built_site, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(built_site, output / "site")  # no manifest beside it, so every page is rendered again
    before = snapshot(output / "site")
    for leaflet_id, lang in LEAFLET_LANGUAGES:
        names = {f"{leaflet_id}/{lang}/{name}" for name in ("index.html", f"{leaflet_id}-{lang}.pdf")}
        assert names <= set(before), f"the previous site is not complete for {lang}"
    build = start_build(output)
    deadline = time.monotonic() + 120
    while not list(output.glob(".site-new-*/**/*.pdf")):
        assert build.poll() is None, f"the build ended before a PDF reached the staging folder: {build.stderr.read()}"
        assert time.monotonic() < deadline, "no PDF reached the staging folder in 120 s"
        time.sleep(0.02)
    build.send_signal(signal.SIGKILL)
    build.communicate(timeout=30)
    assert build.returncode == -signal.SIGKILL
    assert snapshot(output / "site") == before
    assert [p.name for p in output.iterdir() if p.name == "site" or p.name.startswith(".site-old-")] == ["site"]


def test_two_clean_builds_are_byte_identical(tmp_path):
    """Two builds at once (so both see the same templates and styles): one from a copy of the
    content in another folder, with another hash seed and time zone."""
    content = tmp_path / "elsewhere" / "content"
    shutil.copytree(ROOT / "content", content)
    builds = [
        start_build(tmp_path / "first"),
        start_build(tmp_path / "second", content, PYTHONHASHSEED="12345", TZ="Pacific/Kiritimati"),
    ]
    for build in builds:
        _out, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
    first, second = snapshot(tmp_path / "first" / "site"), snapshot(tmp_path / "second" / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    pdfs = [name for name in first if name.endswith(".pdf")]
    assert len(pdfs) == 2 * len(LEAFLET_LANGUAGES)
