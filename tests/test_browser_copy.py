"""A personal copy made in the browser from the published site (personalise.html) against ``build.py print``.

Debian's Chromium (Playwright) fills each page's form for every standard regimen of both shipped leaflets in
English, Polish and Arabic, prints it with ``page.pdf()``, and pdftotext reads both PDFs: the treatment sheet
and its alert cards must say exactly what ``build.py print --only treatment`` says for the same inputs. The
browser's print dialog cannot open headless, so each page's ``window.print`` is replaced before load with a
counter (the test checks the script asked to print); ``page.pdf()`` then prints with Chromium's own engine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from playwright.sync_api import Browser, Page
from test_browser import serve

NAME, REF, PRESCRIBER = "Alex Example", "MRN-4417", "Dr A Khan"
PERSONALISE = "personalise.html"
PRINT_STUB = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
REGIMENS = {
    "naltrexone": ("daily:50", "twice-daily:25", "mon:100,wed:100,fri:150"),
    "acamprosate": ("three-times-daily:666", "morning:666,midday:333,night:333"),
}
CASES = [
    (leaflet, lang, regimen)
    for leaflet, langs in (("naltrexone", ("en", "pl", "ar")), ("acamprosate", ("en",)))
    for lang in langs
    for regimen in REGIMENS[leaflet]
]
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
ALEFS = str.maketrans("أإآ", "ااا")  # a lam-alef ligature's alef comes back from Chromium's PDF with or without hamza
FOOTER_PT = 68  # the bottom margin, 24 mm, holds the running footer
TOKEN_SPLIT = re.compile(r"[\s():;,.،·]+")


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@contextmanager
def form_page(browser: Browser, url: str, width: int = 1024) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.add_init_script(PRINT_STUB)
    try:
        page.goto(url, wait_until="load")
        yield page
    finally:
        page.close()


def dates() -> tuple[date, date]:
    start = date.today() + timedelta(days=3)
    return start, start + timedelta(days=14)


def fill(page: Page, regimen: str, start: date, appointment: date) -> None:
    page.check(f'input[name="regimen"][value="{regimen}"]')
    page.fill("#start_date", start.isoformat())
    page.fill("#next_appointment", appointment.isoformat())
    page.select_option("#clinic", "example")
    page.fill("#name", NAME)
    page.fill("#prescriber", PRESCRIBER)
    page.fill("#ref", REF)


def pdf_pages(path: Path) -> list[str]:
    """Each page's text above its bottom margin: the running footer differs by design (the PDF numbers the
    sheet on its own; the browser's copy is one document)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+) pts", info).group(1))
    crop = ["-x", "0", "-y", "0", "-W", "2000", "-H", str(int(height - FOOTER_PT))]
    text = subprocess.run(["pdftotext", *crop, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def tokens(text: str) -> Counter:
    """The words and numbers of a text, whatever order pdftotext gives them in (right-to-left lines differ)."""
    text = unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS))
    return Counter(token for token in TOKEN_SPLIT.split(text) if token)


def characters(text: str) -> Counter:
    """Every character but spaces and marks: pdftotext splits Arabic words and places their vowel marks
    differently for the two renderers, but a missing or changed word still shows."""
    text = unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS)).translate(ALEFS)
    return Counter(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Mn")


def collapse(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(BIDI_CONTROLS))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(leaflet, lang, regimen) -> the text of ``build.py print --only treatment``, printed once."""
    folder = tmp_path_factory.mktemp("browser-copy-prints")
    start, appointment = dates()
    texts = {}

    def sheet(leaflet: str, lang: str, regimen: str) -> list[str]:
        if (leaflet, lang, regimen) not in texts:
            out = folder / f"{leaflet}-{lang}-{len(texts)}.pdf"
            result = run_cli("print", "--leaflet", leaflet, "--lang", lang, "--clinic", "example", "--regimen", regimen,
                             "--start-date", start, "--next-appointment", appointment, "--name", NAME,
                             "--prescriber", PRESCRIBER, "--ref", REF, "--only", "treatment",
                             "--output", folder, "--out", out)  # fmt: skip
            assert result.code == 0, result.err
            texts[leaflet, lang, regimen] = pdf_pages(out)
        return texts[leaflet, lang, regimen]

    return sheet


def browser_copy(browser: Browser, url: str, regimen: str, out: Path) -> tuple[list[str], str]:
    """Fill the form, submit it, print with Chromium; the PDF's pages and the label of the chosen regimen."""
    start, appointment = dates()
    with form_page(browser, url) as page:
        fill(page, regimen, start, appointment)
        label = page.evaluate("document.querySelector('input[name=regimen]:checked').labels[0].textContent")
        page.click("button[type=submit]")
        assert page.evaluate("window.__printed") == 1, "the script did not open the print dialog"
        page.pdf(path=out, prefer_css_page_size=True)
    return pdf_pages(out), label


@pytest.mark.parametrize(("leaflet", "lang", "regimen"), CASES)
def test_browser_copy_says_what_print_says(browser, site_url, printed, tmp_path, leaflet, lang, regimen):
    url = f"{site_url}{leaflet}/{lang}/personalise.html"
    pages, label = browser_copy(browser, url, regimen, tmp_path / "copy.pdf")
    sheet = printed(leaflet, lang, regimen)
    # The sheet and its alert cards come first; the leaflet follows from a new sheet of paper.
    copy_sheet = "\n".join(pages[: len(sheet)])
    expected = "\n".join(sheet)
    # The same text: the plan sentence, every day's doses, the dates, the printed-on line, the clinic's lines
    # and the alert cards (in the patient's language, then in English).
    assert characters(copy_sheet) == characters(expected)
    # The form's label is the sentence the sheet prints.
    assert characters(label) <= characters(expected)
    if lang != "ar":  # left to right, pdftotext keeps words whole and in order: the same words, each line whole
        assert tokens(copy_sheet) == tokens(expected)
        assert collapse(label) in collapse(expected)
        for line in expected.splitlines():
            assert collapse(line) in collapse(copy_sheet), line


# --- courses, and leaflets the form cannot serve, from the fixtures' medicines ------------------------------

COURSE_LEAFLETS = ("detoxin", "patchex", "depotin", "general-advice", "takehome")


@pytest.fixture(scope="module")
def course_site(tmp_path_factory) -> tuple[Path, Path]:
    """(content, site): a site of the fixtures' courses, a general leaflet and one supervised on chosen days."""
    content = tmp_path_factory.mktemp("course-content")
    for name in ("clinics", "countries.yaml"):
        source = FIXTURES / "medicines" / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, content / name)
    for leaflet in COURSE_LEAFLETS:
        shutil.copytree(FIXTURES / "medicines" / "leaflets" / leaflet, content / "leaflets" / leaflet)
    output = tmp_path_factory.mktemp("course-site")
    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0, result.err
    return content, output / "site"


@pytest.mark.parametrize("leaflet", ["detoxin", "patchex", "depotin"])
def test_a_course_is_laid_out_from_its_start_date_as_print_does(browser, course_site, tmp_path, leaflet):
    content, site = course_site
    url = (site / leaflet / "en" / PERSONALISE).as_uri()
    with form_page(browser, url) as page:
        regimen = page.get_attribute("#regimen", "value")
    pages, _ = browser_copy(browser, url, regimen, tmp_path / "copy.pdf")
    start, appointment = dates()
    out = tmp_path / "print.pdf"
    result = run_cli("print", "--content", content, "--leaflet", leaflet, "--lang", "en", "--clinic", "example",
                     "--regimen", regimen, "--start-date", start, "--next-appointment", appointment, "--name", NAME,
                     "--prescriber", PRESCRIBER, "--ref", REF, "--only", "treatment", "--output", tmp_path,
                     "--out", out)  # fmt: skip
    assert result.code == 0, result.err
    sheet = "\n".join(pdf_pages(out))
    copy_sheet = "\n".join(pages[: len(pdf_pages(out))])
    assert tokens(copy_sheet) == tokens(sheet)
    for line in sheet.splitlines():
        assert collapse(line) in collapse(copy_sheet), line
    assert f"{start:%A}, {start.day} {start:%B %Y}" in " ".join(copy_sheet.split())  # day 1 is the start date


def test_a_general_leaflet_prints_with_the_clinic_card_and_the_name_only(browser, course_site, tmp_path):
    _, site = course_site
    with form_page(browser, (site / "general-advice" / "en" / PERSONALISE).as_uri()) as page:
        fields = page.eval_on_selector_all("#personalise [name]", "els => [...new Set(els.map(e => e.name))]")
        page.select_option("#clinic", "dublin")
        page.click("button[type=submit]")
        assert page.evaluate("window.__printed") == 1
        printout = page.inner_text("#lf-printout")
    assert "regimen" not in fields and "start_date" not in fields and "name" in fields
    assert "Dublin" in printout and "In an emergency, call 112." in printout


def test_a_medicine_supervised_on_chosen_days_gets_no_form(browser, course_site):
    _, site = course_site
    with form_page(browser, (site / "takehome" / "en" / PERSONALISE).as_uri()) as page:
        has_form = page.evaluate("document.getElementById('personalise') !== null")
        text = page.inner_text("main")
    assert not has_form
    assert "build.py print --supervised" in text
