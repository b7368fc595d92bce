"""Shared fixtures: content trees in tmp_path, the CLI in-process, a built site."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))

import build  # noqa: E402


class CliResult(NamedTuple):
    code: int
    out: str
    err: str


def run_cli(*args) -> CliResult:
    """build.py's main() in-process, capturing what a user sees; usable from any fixture scope."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = build.main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    """build.py in-process, as a fixture."""
    return run_cli


def fill_catalog(path: Path, lang: str = "pl") -> None:
    """Translate every message of a PO file mechanically as '[pl] <English>' (placeholders kept)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(f"[{lang}] {message.id[1]}" for _ in range(catalog.num_plurals))
        else:
            message.string = f"[{lang}] {message.id}"
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, include_previous=True)


def coming_monday(weeks_ahead: int = 1) -> date:
    """A Monday ``weeks_ahead`` weeks from this week's: a date that print accepts (within a year of today)."""
    today = date.today()
    return today + timedelta(days=7 * weeks_ahead - today.weekday())


def long_date(day: date) -> str:
    """A date as an English leaflet prints it: 'Monday, 3 March 2025'."""
    return f"{day:%A}, {day.day} {day:%B %Y}"


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


# --- builds of the real content, made once per session and shared by every test file --------------------

SITE_BASE_URL = "https://leaflets.example.org/clinic/"  # a site published in a subfolder
WEEKLY_REGIMEN = "mon:100,wed:100,fri:150"
REAL_LANGS = ("en", "pl", "ar", "ro")
# The naltrexone alert card's English copy, printed under a translated card.
ALERT_CARD_EN = ("I take naltrexone, an opioid blocker.", "Opioid painkillers may not work for me.")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """(output folder, the finished process): ``build.py site`` of the real content, once, as a user runs it."""
    output = tmp_path_factory.mktemp("built")
    result = run_build_py("site", "--content", ROOT / "content", "--output", output)
    assert result.returncode == 0, result.stderr
    return output, result


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The real content built once into a temporary output folder."""
    return site_build[0] / "site"


@pytest.fixture(scope="session")
def site_with_base_url(tmp_path_factory) -> Path:
    """The real content built once with ``--base-url``: canonical links, a sitemap, QR codes on the PDFs."""
    output = tmp_path_factory.mktemp("site-with-base-url")
    result = run_build_py("site", "--content", ROOT / "content", "--output", output, "--base-url", SITE_BASE_URL)
    assert result.returncode == 0, result.stderr
    return output / "site"


@pytest.fixture(scope="session")
def weekly_prints(tmp_path_factory) -> dict[str, Path]:
    """lang -> the personalised naltrexone PDF (weekly regimen, example clinic), printed once by ``build.py print``."""
    output = tmp_path_factory.mktemp("weekly-prints")
    paths = {}
    for lang in REAL_LANGS:
        paths[lang] = output / f"personalised-{lang}.pdf"
        args = ("--leaflet", "naltrexone", "--lang", lang, "--clinic", "example", "--regimen", WEEKLY_REGIMEN)
        result = run_cli("print", *args, "--output", output, "--out", paths[lang])
        assert result.code == 0, result.err
    return paths


CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session: Playwright's sync API allows one instance per thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
