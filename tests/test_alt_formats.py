"""Braille (BRF) and audio (MP3) versions, read back as a person or a tool would.

BRF files are back-translated with liblouis (``lou_translate --backward``) and
their page geometry measured; MP3 files are measured with ffprobe (duration,
chapters) and their words checked with espeak-ng's own phoneme output.
The real content is built once (``built_site``); rebuild and warning checks use
the small fixture, with a one-paragraph leaflet, so they speak only seconds.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from leaflets.i18n.localise import load_content
from leaflets.i18n.numbers_in_text import UNITS, numbers_in
from leaflets.i18n.translation_checks import number_units
from leaflets.i18n.translator import english
from leaflets.publish.alt_formats import FormatFile
from leaflets.publish.site_builder import format_download
from leaflets.render.audio import audio_chapters, spoken
from leaflets.render.braille import (
    BLANK,
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    BrailleUnavailable,
    braille_cells,
    brf_pages,
    lou_translate,
    wrap,
)
from leaflets.render.braille_tables import installed_tables
from leaflets.render.spoken_text import leaflet_plain_text

SITE_YAML = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
TABLES = {lang: table for lang, table in SITE_YAML["braille"].items() if table != "none"}  # "none": deliberately none
VOICES = SITE_YAML["voices"]
LEAFLET = "naltrexone"
LANGS = yaml.safe_load((ROOT / "content" / "leaflets" / LEAFLET / "leaflet.yaml").read_text())["languages"]
FACT_TERMS = yaml.safe_load((ROOT / "tests" / "fact_terms.yaml").read_text(encoding="utf-8"))
SAFETY_FACTS = ["opioid-free-first", "painkillers", "overdose-risk", "sedated-detox", "dose-three-weekly"]


@pytest.fixture(scope="module")
def tree():
    return load_content(ROOT / "content")


def plain_text(tree, lang):
    translator = english() if lang == "en" else tree.translators[lang]
    leaflet = next(item for item in tree.leaflets if item.leaflet_id == LEAFLET)
    return leaflet, leaflet_plain_text(leaflet, lang, translator)


def normalise(text: str) -> str:
    """Lowercase, one space, Western digits (Arabic-Indic digits come back from the Arabic table),
    no combining marks: liblouis's Arabic back-translation puts a shadda before its letter, not after;
    one kind of bracket."""
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace(")", "(")  # Polish braille writes both brackets with one cell (dots 2-3-5-6)
    return " ".join(text.lower().split())


def back_translated(path: Path, table: str) -> str:
    body = [line for page in brf_pages(path.read_bytes()) for line in page[1:]]  # line 1: the page number
    return normalise(" ".join(lou_translate(body, table, backward=True)))


def ffprobe(path: Path) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


# --- Braille ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_brf_back_translates_to_every_safety_sentence(built_site, tree, lang):
    leaflet, text = plain_text(tree, lang)
    back = back_translated(built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.brf", TABLES[lang])
    safety = [s for s in text.sections if s.section_id in leaflet.meta.safety_sections]
    assert safety
    for section in safety:
        assert normalise(section.heading) in back
        for block in section.blocks:
            assert normalise(block.text) in back, block.text


def test_english_brf_carries_the_safety_facts(built_site):
    back = back_translated(built_site / LEAFLET / "en" / f"{LEAFLET}-en.brf", TABLES["en"])
    for fact in SAFETY_FACTS:
        for term in FACT_TERMS[fact]:
            assert term in back, (fact, term)
    assert "warning: opioid painkillers will not work" in back  # callouts introduced by their kind


def test_english_brf_is_contracted_ueb_grade_2(built_site):
    data = (built_site / LEAFLET / "en" / f"{LEAFLET}-en.brf").read_text(encoding="ascii")
    assert ",Y W N GET HI<4" in data  # "You will not get high." with the wordsigns for you, will, not
    assert "#AJJ MG" in data  # 100 mg: number sign, then a-j-j


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_brf_page_geometry(built_site, lang):
    data = (built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.brf").read_bytes()
    assert data.endswith(b"\r\n\f") and b"\n\r" not in data.replace(b"\r\n", b"")
    assert all(0x20 <= byte <= 0x5F or byte in b"\r\n\f" for byte in data), "only BRF (North American Braille ASCII)"
    pages = brf_pages(data)
    assert len(pages) > 3
    numbers = lou_translate([page[0].strip() for page in pages], TABLES[lang], backward=True)
    assert [normalise(n) for n in numbers] == [str(n) for n in range(1, len(pages) + 1)]
    for page in pages:
        assert len(page) <= LINES_PER_PAGE
        assert all(len(line) <= CELLS_PER_LINE for line in page)
        assert len(page[0]) == CELLS_PER_LINE  # the page number ends at the right margin
    assert sum(len(page) == LINES_PER_PAGE for page in pages) >= len(pages) // 2  # pages are filled


def test_brf_headings_are_centred_between_blank_lines(built_site, tree):
    _leaflet, text = plain_text(tree, "en")
    lines = [
        line for page in brf_pages((built_site / LEAFLET / "en" / f"{LEAFLET}-en.brf").read_bytes()) for line in page
    ]
    heading = next(i for i, line in enumerate(lines) if line.strip() == ",IMPORTANT SAFETY 9=MA;N")
    left = len(lines[heading]) - len(lines[heading].lstrip())
    assert abs(left - (CELLS_PER_LINE - len(lines[heading].strip())) // 2) <= 1
    assert lines[heading - 1] == "" and lines[heading + 1] == ""
    assert lines[heading + 2].startswith("    ,W>N+3")  # the callout title, from cell 5


def test_list_items_keep_their_own_lines(built_site):
    back_lines = lou_translate(
        [line for page in brf_pages((built_site / LEAFLET / "en" / f"{LEAFLET}-en.brf").read_bytes()) for line in page],
        TABLES["en"],
        backward=True,
    )
    for item in ("headache", "feeling dizzy (dizziness)", "feeling sleepy (drowsiness)"):
        assert item in [line.strip() for line in back_lines]


def test_wrap_breaks_only_between_words():
    cells = BLANK.join(["\u2801" * 12] * 5)
    lines = wrap(cells, 2, 0)
    assert [len(line) for line in lines] == [40, 25]  # 2 + 12 + 1 + 12 + 1 + 12 cells, then the rest
    assert all(BLANK * 2 not in line.strip(BLANK) for line in lines)


def test_romanian_has_no_braille_because_liblouis_has_no_6_dot_table(built_site):
    assert "ro" not in TABLES  # ro.tbl is 8-dot computer braille: digits would be lost on a 6-dot embosser
    assert not (built_site / LEAFLET / "ro" / f"{LEAFLET}-ro.brf").exists()


# --- Audio -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_audio_duration_matches_its_text_and_has_a_chapter_per_section(built_site, tree, lang):
    _leaflet, text = plain_text(tree, lang)
    probe = ffprobe(built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.mp3")
    words = sum(len(chapter.text.split()) for chapter in audio_chapters(text))
    minutes = float(probe["format"]["duration"]) / 60
    assert 80 <= words / minutes <= 220, f"{words} words in {minutes:.1f} minutes"
    chapters = probe["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [text.title] + [s.heading for s in text.sections]
    assert float(chapters[0]["start_time"]) == 0
    for before, after in zip(chapters, chapters[1:], strict=False):
        assert before["end_time"] == after["start_time"] and float(after["end_time"]) > float(after["start_time"]) + 2
    assert abs(float(chapters[-1]["end_time"]) - float(probe["format"]["duration"])) < 1.0
    assert probe["format"]["tags"]["title"] == text.title


def test_audio_intro_names_leaflet_version_and_review_date(tree):
    _leaflet, text = plain_text(tree, "en")
    intro = audio_chapters(text)[0].text
    assert intro == (
        "Naltrexone tablets to help you stay off opioids.\nWhat naltrexone is, how to take it, its side effects, "
        "important safety information and ways to stay away from drugs.\nVersion zero point one.\n"
        "Next review due: twenty-five November two thousand and twenty-seven."
    )


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "one hundred milligrams"),
        ("pl", "sto miligramów"),
        ("ro", "o sută de miligrame"),
        ("ar", "مائة مليغرام"),
    ],
)
def test_doses_are_spoken_as_words(lang, said):
    assert spoken("100 mg", lang) == said


@pytest.mark.parametrize(
    ("lang", "text", "said"),
    [
        ("uk", "100 мг", "сто міліграмів"),
        ("uk", "Приймайте 50 мг.", "Приймайте п'ятдесят міліграмів."),
        ("uk", "2 мг", "два міліграми"),
        ("uk", "1 мг", "один міліграм"),
        ("ar", "150 مغم", "مائة و خمسون مليغرام"),
        ("ar", "١٥٠ مغم", "مائة و خمسون مليغرام"),  # Arabic-Indic digits
        ("pl", "100 mg", "sto miligramów"),
        ("pl", "5 ml", "pięć mililitrów"),
        ("en", "100 mg", "one hundred milligrams"),
    ],
)
def test_doses_in_the_languages_own_unit_words_are_spoken_as_words(lang, text, said):
    """The unit as the translator wrote it ("мг", "مغم"), not only a Latin "mg": never digit by digit."""
    assert spoken(text, lang) == said


@pytest.mark.parametrize(("lang", "text"), [("uk", "100 мг"), ("ar", "١٥٠ مغم"), ("pl", "2,5 mg"), ("en", "5 ml")])
def test_audio_and_the_translation_check_read_the_same_dose(lang, text):
    """One reading of numbers and units: what the check compares with the English is what the voice says."""
    [number] = numbers_in(text, lang)
    assert number_units(text, lang)[-1] == (number.parts[-1], number.unit) and number.unit in UNITS
    assert not re.search(r"\d", spoken(text, lang))


def test_emergency_and_phone_numbers_are_said_digit_by_digit():
    assert spoken("In an emergency, call 999.", "en") == "In an emergency, call nine nine nine."
    assert spoken("Ring 0161 496 0000.", "en") == "Ring zero one six one four nine six zero zero zero zero."


@pytest.mark.parametrize(
    ("lang", "text", "said"),
    [
        (
            "en",
            "Version 0.1, 25 November 2027",
            "Version zero point one, twenty-five November two thousand and twenty-seven",
        ),
        ("en", "2.5 mg", "two point five milligrams"),
        ("pl", "2,5 mg", "dwa przecinek pięć miligrama"),
        ("ar", "2.5 mg", "2.5 مليغرام"),  # num2words has no Arabic word for the point: espeak-ng reads the digits
    ],
)
def test_other_numbers_are_spoken_as_words(lang, text, said):
    assert spoken(text, lang) == said


def test_arabic_speech_is_repeatable(tree):
    """espeak-ng's Arabic reading of digits ('999') differs from run to run; words do not."""
    _leaflet, text = plain_text(tree, "ar")
    index = next(i for i, section in enumerate(text.sections) if any("999" in b.text for b in section.blocks))
    chapter = audio_chapters(text)[index + 1]  # the contact section's chapter (after the introduction)
    runs = {
        subprocess.run(
            ["espeak-ng", "-v", VOICES["ar"], "-b", "1", "--stdout", chapter.text], capture_output=True
        ).stdout
        for _ in range(3)
    }
    assert len(runs) == 1


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_no_dose_reaches_the_voice_as_digits_and_letters(tree, lang):
    _leaflet, text = plain_text(tree, lang)
    assert any(re.search(r"\d\s?mg\b", block.text) for s in text.sections for block in s.blocks)
    for chapter in audio_chapters(text):
        assert not re.search(r"\d\s?mg\b", chapter.text), chapter.text


def test_espeak_says_milligrams_not_letters(tree):
    """Round trip through espeak-ng's phonemes: the dose chapter says 'milligrams', never 'em gee'."""
    _leaflet, text = plain_text(tree, "en")
    whole = " ".join(chapter.text for chapter in audio_chapters(text))
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", VOICES["en"], whole], capture_output=True, text=True, check=True
    ).stdout
    assert "m'IlIgr" in phonemes and "h'VndrI2d" in phonemes
    assert "EmdZ" not in phonemes  # what espeak-ng says for "mg"
    assert "d'0t" not in phonemes  # "dot": a full stop read out


# --- On the page, in the sitemap, in the manifest ----------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_page_lists_braille_and_audio_with_size_and_duration(built_site, lang):
    html = (built_site / LEAFLET / lang / "index.html").read_text(encoding="utf-8")
    assert (f'href="{LEAFLET}-{lang}.brf"' in html) == (lang in TABLES)
    assert f'href="{LEAFLET}-{lang}.mp3"' in html
    audio = re.search(rf'href="{LEAFLET}-{lang}.mp3" download>([^<]*)<', html).group(1).replace("\u00a0", " ")
    minutes = round(float(ffprobe(built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.mp3")["format"]["duration"]) / 60)
    assert str(minutes) in audio and "MP3" in audio
    mp3 = built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.mp3"
    assert format_download(FormatFile("audio", mp3.name, mp3.stat().st_size), lang).size in audio


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_audio_is_speech_throughout(built_site, lang):
    """Loud enough, never clipped, and no silence of 2 seconds or more (a chapter that failed to speak)."""
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "info", "-i", str(built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.mp3")]
        + ["-af", "volumedetect,silencedetect=noise=-50dB:d=2", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    mean = float(re.search(r"mean_volume: (-?[\d.]+) dB", result.stderr).group(1))
    assert -30 < mean < -10
    assert "silence_start" not in result.stderr


@pytest.mark.parametrize(
    ("table_text", "reason"),
    [
        ("include no-such-include.uti\nletter a 1\n", "Cannot resolve table 'no-such-include.uti'"),
        ("lettr a 1\n", "{table}:1: error: opcode 'lettr' not defined."),
    ],
    ids=["missing-include", "unknown-opcode"],
)
def test_a_table_liblouis_cannot_compile_is_named_with_its_first_error(tmp_path, table_text, reason):
    table = tmp_path / "broken.utb"
    table.write_text(table_text, encoding="utf-8")
    with pytest.raises(BrailleUnavailable) as caught:
        lou_translate(["a"], str(table))
    assert str(caught.value) == f"Braille table '{table}' cannot be compiled by liblouis: " + reason.format(table=table)


@pytest.mark.parametrize(
    ("table", "text", "problem"),
    [  # fmt: skip
        (
            "uk.utb",
            "їжак і єнот",
            "Braille table 'uk.utb' has no braille for 'є' (U+0454), 'і' (U+0456) and 'ї' (U+0457)",
        ),
        ("en-gb-comp8.ctb", "Take 2", "Braille table 'en-gb-comp8.ctb' writes 'T' (U+0054) as an 8-dot cell"),
        (
            "ro.tbl",
            "Luați comprimate",  # the page numbers' digits are tried too
            "Braille table 'ro.tbl' writes 'L' (U+004C), '1' (U+0031), '2' (U+0032), '3' (U+0033), '4' (U+0034), "
            "'5' (U+0035) and 4 more as an 8-dot cell",
        ),
    ],
)
def test_a_cell_a_brf_cannot_hold_is_named_by_its_letter_once(table, text, problem):
    with pytest.raises(BrailleUnavailable) as caught:
        braille_cells([text, text], table)
    assert str(caught.value) == problem + ", which a BRF (6-dot) cannot hold"


def test_the_tables_installed_for_a_language_come_from_liblouis_metadata():
    assert [str(table) for table in installed_tables("uk")] == ["uk.utb (literary)", "uk-comp.utb (computer, 8-dot)"]
    assert [str(table) for table in installed_tables("ro")] == ["ro.tbl (computer, 8-dot)"]
    assert installed_tables("zz") == []
