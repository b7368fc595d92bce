"""The real English leaflet, built into a temporary folder and read back as a person or tool would."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

FACTS = (
    yaml.safe_load((ROOT.parent / "shared" / "seed" / "facts.yaml").read_text())
    if (ROOT.parent / "shared" / "seed" / "facts.yaml").exists()
    else None
)
FACT_TERMS = yaml.safe_load((ROOT / "tests" / "fact_terms.yaml").read_text())
HEADINGS = [
    "What naltrexone is",
    "Before you start",
    "How to take it",
    "Side effects",
    "Good points and drawbacks",
    "Important safety information",
    "Staying away from drugs",
    "Who to contact",
]


def pdf_path(site: Path) -> Path:
    return site / "naltrexone" / "en" / "naltrexone-en.pdf"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.lower().replace("\u00ad", "").split())


def test_pdf_is_tagged_with_a_title(built_site):
    info = subprocess.run(["pdfinfo", str(pdf_path(built_site))], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Naltrexone tablets to help you stay off opioids$", info, re.MULTILINE)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE)


def test_pdf_embeds_every_font_with_unicode_map(built_site):
    fonts = subprocess.run(["pdffonts", str(pdf_path(built_site))], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        columns = row.split()
        assert columns[-5:-2] == ["yes", "yes", "yes"], f"font not embedded, subset and mapped: {row}"


def test_every_seed_fact_is_in_the_pdf(built_site):
    text = flat(pdf_text(pdf_path(built_site)))
    if FACTS is not None:
        assert {fact["id"] for fact in FACTS} == set(FACT_TERMS), "fact_terms.yaml must cover every seed fact"
    missing = {fid: [t for t in terms if t not in text] for fid, terms in FACT_TERMS.items()}
    assert {fid: terms for fid, terms in missing.items() if terms} == {}


def test_pdf_headings_appear_in_order(built_site):
    lines = [line.strip() for line in pdf_text(pdf_path(built_site)).splitlines()]
    found = [line for line in lines if line in HEADINGS]
    assert found == HEADINGS


def test_pdf_page_footer_shows_version_review_date_and_page_count(built_site):
    text = pdf_text(pdf_path(built_site))
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Next review due: 25 November 2027\n" in page  # its own line: it never wraps
        assert f"Version 0.1 · Draft · Page {number} of {len(pages)}" in page


class Outline(HTMLParser):
    """Collects headings, the html element's attributes and footer text."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.html_attrs: dict = {}
        self.in_footer = False
        self.footer_text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "footer":
            self.in_footer = True

    def handle_endtag(self, tag):
        if tag == "footer":
            self.in_footer = False

    def handle_data(self, data):
        if self.in_footer:
            self.footer_text += data


@pytest.fixture(scope="module")
def outline(built_site) -> Outline:
    parser = Outline()
    parser.feed((built_site / "naltrexone" / "en" / "index.html").read_text(encoding="utf-8"))
    return parser


def test_html_language_and_direction(outline):
    assert outline.html_attrs["lang"] == "en"
    assert outline.html_attrs["dir"] == "ltr"


def test_html_has_one_h1_and_no_skipped_heading_levels(outline):
    assert outline.headings.count(1) == 1
    assert outline.headings[0] == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"


def test_html_review_footer(outline):
    footer = " ".join(outline.footer_text.split())
    assert "Page last reviewed: 25 November 2026" in footer
    assert "Next review due: 25 November 2027" in footer
    assert "Version 0.1" in footer
    assert "NICE technology appraisal TA115" in footer


def test_site_build_reports_what_it_wrote(site_build):
    output, result = site_build
    assert result.returncode == 0, result.stderr
    assert f"in {output / 'site'}" in result.stdout
    assert len(list((output / "site" / "assets").glob("leaflet.??????????.css"))) == 1  # fingerprinted
