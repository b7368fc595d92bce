"""The text layer of Arabic PDFs: what copy, search and text tools (pdftotext, pypdf) read.

Screen readers read the structure tree (tested in test_pdf_structure.py). Other tools
read the glyphs and their ToUnicode map. Each Arabic word of the catalogs that is on
the page must come out of both tools whole, letters compared without vowel marks
(where the marks land depends on the tool).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
import pypdf
import pytest
from babel.messages.pofile import read_po
from conftest import ROOT
from pdf_checker import tree_text
from weasyprint import HTML

from leaflets.render.pdf import PdfRenderer
from leaflets.render.pdf_text_map import entries_of, fill_empty_text_maps
from leaflets.render.pdf_text_order import draw_in_reading_order
from leaflets.source.site_config import load_site_config

CATALOGS = [
    ROOT / "content" / "translations" / "ar.po",
    ROOT / "content" / "leaflets" / "naltrexone" / "translations" / "ar.po",
]
MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # harakat, superscript alef, tatweel, Quranic marks
LETTERS = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
SAMPLE = "علاجًا مفاجئًا وتُسمّى بعدُ الأفيونية"  # words of the leaflet with marks, and a lam-alef
MIXED = "تناول جرعاتك كما يلي: 2 قرصان (100 مغم) يوم الاثنين و2 قرصان (100 مغم) يوم الأربعاء"  # a dose sentence


def tokens(text: str) -> list[str]:
    """Arabic words and numbers in reading order, without vowel marks or punctuation."""
    return re.findall(
        r"[\u0621-\u064a\u0671-\u06d3]+|[0-9\u0660-\u0669]+", MARKS.sub("", unicodedata.normalize("NFKC", text))
    )


def arabic_words(text: str) -> list[str]:
    """The Arabic words of a text, letters only: marks and tatweel dropped, presentation forms unfolded."""
    return LETTERS.findall(MARKS.sub("", unicodedata.normalize("NFKC", text)))


def catalog_words() -> set[str]:
    words: set[str] = set()
    for path in CATALOGS:
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id:
                    words.update(word for string in strings for word in arabic_words(string or ""))
    return words


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def page_words(path: Path) -> set[str]:
    """The words the page says, read through the structure tree (the logical text)."""
    return set(arabic_words(tree_text(path)))


def lost_words(expected: set[str], extracted: str) -> set[str]:
    """Words not found whole. A word glued to its neighbour with nothing between (pypdf joins right-to-left
    table cells on one baseline) still counts as whole: its letters are there, in order, uninterrupted."""
    found = arabic_words(extracted)
    whole = set(found)
    return {word for word in expected - whole if not any(word in other for other in found)}


@pytest.fixture(scope="module")
def arabic_pdfs(site_with_base_url, weekly_prints) -> dict[str, Path]:
    folder = site_with_base_url / "naltrexone" / "ar"
    return {
        "standard": folder / "naltrexone-ar.pdf",
        "large-print": folder / "naltrexone-ar-large-print.pdf",
        "personalised": weekly_prints["ar"],
    }


@pytest.mark.parametrize("variant", ["standard", "large-print", "personalised"])
def test_every_arabic_catalog_word_on_the_page_survives_pypdf(arabic_pdfs, variant):
    expected = catalog_words() & page_words(arabic_pdfs[variant])
    assert len(expected) > 300
    assert lost_words(expected, pypdf_text(arabic_pdfs[variant])) == set()


@pytest.mark.parametrize("variant", ["standard", "large-print", "personalised"])
def test_every_arabic_catalog_word_on_the_page_survives_pdftotext(arabic_pdfs, variant):
    expected = catalog_words() & page_words(arabic_pdfs[variant])
    assert len(expected) > 300
    assert lost_words(expected, pdftotext(arabic_pdfs[variant])) == set()


def _raw_pdf(text: str) -> bytes:
    html = f'<html lang="ar" dir="rtl"><body style="font-family: Noto Naskh Arabic; font-size: 20pt"><p>{text}</p>'
    return HTML(string=html).write_pdf()


def _fixed(data: bytes, *, reordered: bool) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fill_empty_text_maps(pdf)
        if reordered:
            draw_in_reading_order(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_mark_is_never_given_its_clusters_letter(tmp_path):
    """WeasyPrint gives the tanwin the text of the first cluster it is drawn in ("ئً" in "مفاجئًا"), so every
    later tanwin gained a ئ ("علاجًا" read "علاجئًا"). Each glyph now maps to its own letter."""
    path = tmp_path / "sample.pdf"
    path.write_bytes(_fixed(_raw_pdf(SAMPLE), reordered=False))
    with pikepdf.open(path) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        entries = re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", font.ToUnicode.read_bytes())
    texts = [bytes.fromhex(text.decode()).decode("utf-16-be") for _, text in entries]
    mixed = [text for text in texts if MARKS.search(text) and LETTERS.search(text)]
    assert mixed == []
    assert arabic_words(pypdf_text(path)).count("ئ") == 0
    assert "علاجا" in arabic_words(pypdf_text(path))


def _same_drawing(before: Path, after: Path) -> bool:
    images = []
    for path in (before, after):
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-singlefile", str(path), str(path.with_suffix(""))])
        images.append(path.with_suffix(".pgm").read_bytes())
    return images[0] == images[1]


def _before_and_after(tmp_path: Path, text: str) -> tuple[Path, Path]:
    raw = _raw_pdf(text)
    before, after = tmp_path / "before.pdf", tmp_path / "after.pdf"
    before.write_bytes(_fixed(raw, reordered=False))
    after.write_bytes(_fixed(raw, reordered=True))
    return before, after


def test_vowel_marks_leave_words_whole_and_the_page_unchanged(tmp_path):
    """poppler split a word at each mark moved onto its letter; pypdf must still read every mark in place."""
    before, after = _before_and_after(tmp_path, SAMPLE)
    assert set(arabic_words(SAMPLE)) - set(arabic_words(pdftotext(before)))  # poppler split some
    assert arabic_words(pdftotext(after)) == arabic_words(SAMPLE)  # "علاجا": the letters, as a search types them
    assert pypdf_text(after).split() == SAMPLE.split()  # every mark in place
    assert _same_drawing(before, after)  # pixel for pixel


def test_a_line_mixing_arabic_and_numbers_reads_in_order_and_looks_the_same(tmp_path):
    """pypdf kept a line's runs in drawing order (left to right): the dose sentence read backwards by runs."""
    before, after = _before_and_after(tmp_path, MIXED)
    assert tokens(pypdf_text(before)) != tokens(MIXED)
    assert tokens(pypdf_text(after)) == tokens(MIXED)
    assert tokens(pdftotext(after)) == tokens(MIXED)
    assert _same_drawing(before, after)


def test_the_personalised_dose_sentence_reads_in_order_in_pypdf(arabic_pdfs):
    """The dose sentence of the treatment sheet, as the structure tree says it, is in pypdf's text word for word."""
    said = tokens(tree_text(arabic_pdfs["personalised"]))
    start = said.index("تناول")
    sentence = said[start : said.index("الأخرى", start) + 1]
    assert len(sentence) > 20 and {"100", "150"} <= set(sentence)
    extracted = tokens(pypdf_text(arabic_pdfs["personalised"]))
    found = [extracted[at : at + len(sentence)] for at in range(len(extracted)) if extracted[at] == "تناول"]
    assert sentence in found


def test_the_upstream_reproduction_still_shows_the_defect():
    """docs/upstream/weasyprint_tounicode_repro.py exits 1 while WeasyPrint maps a glyph to its cluster's text.
    When an upgrade fixes it, this fails: post the news on the issue and drop the correction in pdf_text_map."""
    script = ROOT / "docs" / "upstream" / "weasyprint_tounicode_repro.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "glyphs mapped to nothing: ['0244']" in result.stdout


def _words_and_numbers(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+|[\u0621-\u064a]+|[0-9]+", MARKS.sub("", unicodedata.normalize("NFKC", text)))


def test_a_line_reads_in_its_own_direction(tmp_path):
    """An Arabic word inside an English sentence stays in its place; an Arabic range of numbers keeps its order
    (digits count as right to left for the signs between them, as the bidi algorithm has it)."""
    english = "The Arabic word علاج (treatment) means 50 - 100 here."
    arabic = "خذ 50 - 100 مغم، أو 0.5 قرص."
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Directions</title></head><body><main>'
        f'<p>{english}</p><p lang="ar" dir="rtl">{arabic}</p></main></body></html>'
    )
    renderer = PdfRenderer([tmp_path], load_site_config(ROOT / "content"))
    path = tmp_path / "directions.pdf"
    path.write_bytes(renderer.render_pdf(html, tmp_path, "directions", "en"))
    lines = pypdf_text(path).splitlines()
    assert _words_and_numbers(lines[0]) == _words_and_numbers(english)
    assert _words_and_numbers(lines[1]) == _words_and_numbers(arabic)


@pytest.mark.parametrize("family", ["Noto Kufi Arabic", "Noto Sans Arabic"])
def test_a_letter_only_a_substitution_reaches_keeps_its_text(tmp_path, family):
    """In these fonts no code point selects the medial ئ: its text comes from the installed font's GSUB,
    and the tanwin that took its cluster's "ئً" gives the letter back only then."""
    html = f'<html lang="ar" dir="rtl"><p style="font: 20pt \'{family}\'">{SAMPLE} أسئلة</p></html>'
    path = tmp_path / "font.pdf"
    path.write_bytes(_fixed(HTML(string=html).write_pdf(), reordered=True))
    with pikepdf.open(path) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        assert str(font.BaseFont).endswith(family.replace(" ", "-"))
        texts = entries_of(font.ToUnicode.read_bytes()).values()
    assert "" not in texts
    assert pypdf_text(path).split() == f"{SAMPLE} أسئلة".split()


def _broken(path: Path, tmp_path: Path, change) -> Path:
    with pikepdf.open(path) as pdf:
        change(pdf)
        out = tmp_path / "broken.pdf"
        pdf.save(out)
    return out


def _content(pdf) -> bytes:
    return pdf.pages[0].Contents.read_bytes()


BREAKAGES = {
    "font size 0": lambda pdf: pdf.pages[0].__setattr__(
        "Contents", pdf.make_stream(re.sub(rb"[0-9.]+ Tf", b"0 Tf", _content(pdf)))
    ),
    "odd hex in the map": lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).ToUnicode.write(
        next(iter(pdf.pages[0].Resources.Font.values())).ToUnicode.read_bytes().replace(b"<0020>", b"<020>")
    ),
    "map that is a name": lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).__setitem__(
        "/ToUnicode", pikepdf.Name.Identity
    ),
    "widths cut short": lambda pdf: (
        next(iter(pdf.pages[0].Resources.Font.values())).DescendantFonts[0].__setitem__("/W", pikepdf.Array([4]))
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_pdf_the_fixes_cannot_read_is_left_as_it_is(tmp_path, breakage):
    raw = tmp_path / "raw.pdf"
    raw.write_bytes(_raw_pdf(SAMPLE))
    broken = _broken(raw, tmp_path, BREAKAGES[breakage])
    with pikepdf.open(broken) as pdf:
        before = _content(pdf)
        fill_empty_text_maps(pdf)
        draw_in_reading_order(pdf)
        assert _content(pdf) == before
