"""Translator workflow and the rules the build enforces for translations."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, fill_catalog

LEAFLET_PO = "leaflets/sample/translations/pl.po"
TEMPLATES_PO = "translations/pl.po"


@pytest.fixture
def translated_content(cli, minimal_content):
    """The minimal tree with a complete (mechanical) Polish translation."""
    meta = minimal_content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text() + "languages: [en, pl]\n")
    assert cli("translations", "update", "--content", minimal_content).code == 0
    fill_catalog(minimal_content / LEAFLET_PO)
    fill_catalog(minimal_content / TEMPLATES_PO)
    return minimal_content


def messages(path):
    with path.open("rb") as handle:
        return {(m.context, m.id): m for m in read_po(handle, locale="pl") if m.id}


def test_update_creates_catalogs_with_every_segment(cli, translated_content):
    catalog = messages(translated_content / LEAFLET_PO)
    assert ("about", "This is a sample leaflet.") in catalog
    assert ("safety", "Take care") in catalog
    assert ("metadata", "Sample leaflet") in catalog
    templates = messages(translated_content / TEMPLATES_PO)
    assert (None, ("%(count)s tablet", "%(count)s tablets")) in templates


def test_edit_to_one_paragraph_makes_exactly_that_segment_fuzzy(cli, translated_content):
    text = translated_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a warning.", "This is a stronger warning."))
    assert cli("translations", "update", "--content", translated_content).code == 0
    catalog = messages(translated_content / LEAFLET_PO)
    fuzzy = [key for key, message in catalog.items() if message.fuzzy]
    assert fuzzy == [("safety", "This is a stronger warning.")]
    changed = catalog[("safety", "This is a stronger warning.")]
    assert changed.string == "[pl] This is a warning."
    assert all(m.string.startswith("[pl] ") for key, m in catalog.items() if key not in fuzzy)
    assert '#| msgid "This is a warning."' in (translated_content / LEAFLET_PO).read_text()


def test_removed_segment_becomes_obsolete(cli, translated_content):
    text = translated_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a sample leaflet.\n", ""))
    cli("translations", "update", "--content", translated_content)
    assert ("about", "This is a sample leaflet.") not in messages(translated_content / LEAFLET_PO)
    assert '#~ msgid "This is a sample leaflet."' in (translated_content / LEAFLET_PO).read_text()


def test_translated_language_is_built_with_its_own_words(cli, translated_content, tmp_path):
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert result.code == 0, result.err
    html = (tmp_path / "site" / "sample" / "pl" / "index.html").read_text()
    assert '<html lang="pl" dir="ltr"' in html
    assert "[pl] This is a sample leaflet." in html
    assert "[pl] Skip to main content" in html
    assert "[pl] Draft translation: not yet checked by a qualified medical translator." in html
    assert (tmp_path / "site" / "sample" / "pl" / "sample-pl.pdf").stat().st_size > 1000
    assert "not yet reviewed by a qualified medical translator" in result.err


def test_reviewed_translation_is_not_marked_draft(cli, translated_content, tmp_path):
    meta = translated_content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text() + "translation_reviews:\n  pl: A. Translator, 2026-11-01\n")
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert result.code == 0, result.err
    html = (tmp_path / "site" / "sample" / "pl" / "index.html").read_text()
    assert "Draft translation" not in html
    assert "not yet reviewed" not in result.err


def make_fuzzy(path, msgid):
    """Flag a message fuzzy, as a translator's tool would: before its msgctxt, if it has one."""
    text = path.read_text()
    match = re.search(rf'(msgctxt "[^"\n]*"\n)?msgid "{re.escape(msgid)}"\n', text)
    assert match, msgid
    path.write_text(text[: match.start()] + "#, fuzzy\n" + text[match.start() :])


def test_fuzzy_safety_segment_keeps_language_out_of_site_and_print(cli, translated_content, tmp_path):
    make_fuzzy(translated_content / LEAFLET_PO, "This is a warning.")
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert result.code == 0
    assert not (tmp_path / "site" / "sample" / "pl").exists()
    assert (tmp_path / "site" / "sample" / "en" / "index.html").exists()
    assert "warning: sample in 'pl' is not published: safety text not translated or out of date" in result.err
    assert "safety: This is a warning." in result.err

    strict = cli("site", "--strict", "--content", translated_content, "--output", tmp_path / "strict")
    assert strict.code == 1
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").rglob("*.html"))

    (translated_content / "clinics").mkdir()
    (translated_content / "clinics" / "example.yaml").write_bytes(
        (ROOT / "content" / "clinics" / "example.yaml").read_bytes()
    )
    out = tmp_path / "p.pdf"
    refused = cli(
        "print",
        "--content",
        translated_content,
        "--output",
        tmp_path,
        "--leaflet",
        "sample",
        "--lang",
        "pl",
        "--clinic",
        "example",
        "--regimen",
        "daily:50",
        "--out",
        out,
    )
    assert refused.code == 1
    assert "language 'pl': refused: safety text not translated or out of date" in refused.err
    assert "safety: This is a warning." in refused.err
    assert not out.exists()


def test_untranslated_ordinary_segment_is_shown_in_marked_english(cli, translated_content, tmp_path):
    path = translated_content / LEAFLET_PO
    path.write_text(path.read_text().replace('msgstr "[pl] Ask your clinic."', 'msgstr ""'))
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert result.code == 0
    html = (tmp_path / "site" / "sample" / "pl" / "index.html").read_text()
    assert '<p lang="en">Ask your clinic.</p>' in html
    assert "[pl] Some parts of this leaflet are not yet translated and are shown in English." in html
    assert "1 segment(s) not translated or fuzzy are shown in English, e.g. 'contact: Ask your clinic.'" in result.err
    assert cli("site", "--strict", "--content", translated_content, "--output", tmp_path).code == 1


def test_incomplete_template_catalog_withholds_the_language(cli, translated_content, tmp_path):
    make_fuzzy(translated_content / TEMPLATES_PO, "Your clinic")
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert not (tmp_path / "site" / "sample" / "pl").exists()
    assert "1 template string(s) not translated or fuzzy, e.g. 'contact card: Your clinic'" in result.err


def line_of(path, text):
    """The 1-based line of a file where ``text`` first appears."""
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_markup_in_a_translation_is_refused_with_its_line(cli, translated_content):
    path = translated_content / LEAFLET_PO
    path.write_text(path.read_text().replace('msgstr "[pl] Ask your clinic."', 'msgstr "<script>alert()</script>"'))
    result = cli("check", "--content", translated_content)
    assert result.code == 1
    line = line_of(path, 'msgstr "<script>')
    assert f"{path}:{line}: raw HTML is not allowed ('<script>alert()</script>'); write plain Markdown" in result.err


def test_broken_po_file_is_a_content_error_at_the_broken_line(cli, translated_content):
    (translated_content / LEAFLET_PO).write_text('msgid "x"\nmsgstr "y"\nthis is not PO\n')
    result = cli("check", "--content", translated_content)
    assert result.code == 1
    expected = f"{translated_content / LEAFLET_PO}:3: invalid PO file: expected a keyword and a quoted string, got 'this is not PO'"
    assert expected in result.err.splitlines()


def test_status_table(cli, translated_content):
    make_fuzzy(translated_content / LEAFLET_PO, "This is a warning.")
    path = translated_content / LEAFLET_PO
    path.write_text(path.read_text().replace('msgstr "[pl] Ask your clinic."', 'msgstr ""'))
    result = cli("translations", "status", "--content", translated_content)
    assert result.code == 0
    lines = [line.split() for line in result.out.splitlines()]
    assert lines[0][:6] == ["catalog", "lang", "total", "translated", "fuzzy", "untranslated"]
    sample = next(line for line in lines if line[0] == "sample")
    total = int(sample[2])
    assert sample[1:6] == ["pl", str(total), str(total - 2), "1", "1"]
    assert sample[6] == "0" and sample[-1] == "1"  # numbers differ, safety not current
    words_total, words_translated, words_fuzzy, words_untranslated = map(int, sample[7:11])
    assert (words_fuzzy, words_untranslated) == (4, 3)  # "This is a warning.", "Ask your clinic."
    assert words_total == words_translated + 7
    templates = next(line for line in lines if line[0] == "templates")
    assert templates[3] == templates[2] and templates[4:6] == ["0", "0"] and templates[-1] == "0"
    assert "safety not current: sample pl: safety: This is a warning." in result.out.splitlines()


def test_language_with_no_font_for_its_script_is_an_error(cli, minimal_content, tmp_path):
    (minimal_content / "site.yaml").write_text("fonts:\n  default: [DejaVu Sans]\n")
    text = minimal_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a sample leaflet.", "This is a sample leaflet. 漢字"))
    result = cli("site", "--content", minimal_content, "--output", tmp_path)
    assert result.code == 1
    assert (
        "sample (en, standard): character '漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22) in language 'en' is in none of the fonts "
        "tried: DejaVu Sans; install the Debian package fonts-noto-cjk and add a font that has it in content/site.yaml"
    ) in result.err.splitlines()
    assert not (tmp_path / "site").exists()


def test_configured_font_that_is_not_installed_is_an_error(cli, minimal_content, tmp_path):
    (minimal_content / "site.yaml").write_text("fonts:\n  default: [Noto Sans Imaginary]\n")
    result = cli("site", "--content", minimal_content, "--output", tmp_path)
    assert result.code == 1
    assert (
        "sample (en, standard): font(s) not installed: Noto Sans Imaginary; install them or change fonts in content/site.yaml"
        in result.err
    )


# The real sample translations: plural forms, right to left, endonyms.


@pytest.fixture(scope="module")
def real_prints(weekly_prints):
    """lang -> the text of the session's personalised PDF, as pdftotext reads it."""
    texts = {}
    for lang in ("pl", "ar", "ro"):
        text = subprocess.run(["pdftotext", str(weekly_prints[lang]), "-"], capture_output=True, text=True, check=True)
        texts[lang] = " ".join(re.sub("[\u202a-\u202e\u2066-\u2069]", "", text.stdout).split())  # bidi marks
    return texts


def test_polish_plural_forms(real_prints):
    text = real_prints["pl"]
    assert "2 tabletki" in text
    assert "3 tabletki" in text
    assert "poniedziałek" in text.lower()


def test_romanian_plural_forms(real_prints):
    text = real_prints["ro"]
    assert "2 comprimate" in text
    assert "3 comprimate" in text
    assert "luni" in text.lower()


def test_arabic_pdf_has_arabic_script_and_forms(real_prints):
    text = real_prints["ar"]
    assert len(re.findall(r"[\u0600-\u06FF]", text)) > 500
    assert "الاثنين" in text
    assert "قرص" in text or "أقراص" in text


def test_non_english_alert_card_is_bilingual(real_prints):
    for lang in ("pl", "ar", "ro"):
        assert "I take naltrexone, an opioid blocker." in real_prints[lang]
        assert "Opioid painkillers may not work for me." in real_prints[lang]


def test_new_english_safety_text_withholds_the_language_even_before_update(cli, translated_content, tmp_path):
    text = translated_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a warning.", "This is a warning.\n\n    Never double a dose."))
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert not (tmp_path / "site" / "sample" / "pl").exists()
    assert "safety: Never double a dose." in result.err
    status = cli("translations", "status", "--content", translated_content)
    sample = next(line.split() for line in status.out.splitlines() if line.startswith("sample"))
    assert [sample[4], sample[5], sample[-1]] == ["0", "1", "1"]  # fuzzy, untranslated, safety not current


def test_oversized_po_file_is_refused(cli, translated_content):
    path = translated_content / LEAFLET_PO
    path.write_text(path.read_text() + "# padding\n" * 500_000)
    result = cli("check", "--content", translated_content)
    assert result.code == 1
    assert f"{path}: file is larger than 4194304 bytes; is it the right file?" in result.err


def translate_a_safety_dose_as_another(cli, content: Path) -> None:
    """The English warning says 150 mg; the Polish translation says 500 mg."""
    text = content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a warning.", "Never take more than 150 mg."))
    cli("translations", "update", "--content", content)
    fill_catalog(content / LEAFLET_PO)
    path = content / LEAFLET_PO
    path.write_text(path.read_text().replace("[pl] Never take more than 150 mg.", "[pl] Never take more than 500 mg."))


def test_translation_that_changes_a_number_is_not_current(cli, translated_content, tmp_path):
    translate_a_safety_dose_as_another(cli, translated_content)
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert not (tmp_path / "site" / "sample" / "pl").exists()
    assert "safety: Never take more than 150 mg." in result.err


def test_status_counts_a_changed_number_apart_from_fuzzy(cli, translated_content):
    """A translator can tell a segment whose numbers differ from one whose English changed."""
    translate_a_safety_dose_as_another(cli, translated_content)
    result = cli("translations", "status", "--format", "csv", "--content", translated_content)
    sample = next(row for row in csv.DictReader(result.out.splitlines()) if row["catalog"] == "sample")
    assert (sample["fuzzy"], sample["numbers differ"], sample["words numbers differ"]) == ("0", "1", "6")
    assert sample["safety not current"] == "1"
    table = cli("translations", "status", "--content", translated_content).out.splitlines()
    assert "numbers differ from the English: sample pl: safety: Never take more than 150 mg." in table


def test_template_translation_that_drops_a_placeholder_withholds_the_language(cli, translated_content, tmp_path):
    path = translated_content / TEMPLATES_PO
    text = path.read_text()
    assert 'msgstr "[pl] %(units)s (%(dose)s)"' in text
    path.write_text(text.replace('msgstr "[pl] %(units)s (%(dose)s)"', 'msgstr "[pl] %(units)s"'))
    result = cli("site", "--content", translated_content, "--output", tmp_path)
    assert not (tmp_path / "site" / "sample" / "pl").exists()
    assert "1 template string(s) not translated or fuzzy, e.g. '-: %(units)s (%(dose)s)'" in result.err


def test_status_as_csv_for_a_spreadsheet(cli, translated_content):
    import csv

    make_fuzzy(translated_content / LEAFLET_PO, "This is a warning.")
    result = cli("translations", "status", "--format", "csv", "--content", translated_content)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(result.out.splitlines()))
    assert list(rows[0]) == [
        "catalog", "lang", "total", "translated", "fuzzy", "untranslated", "numbers differ",
        "words total", "words translated", "words fuzzy", "words untranslated", "words numbers differ",
        "safety not current",
    ]  # fmt: skip
    sample = next(row for row in rows if row["catalog"] == "sample")
    assert (sample["lang"], sample["fuzzy"], sample["words fuzzy"], sample["safety not current"]) == (
        "pl",
        "1",
        "4",
        "1",
    )
    assert int(sample["words total"]) == int(sample["words translated"]) + 4
    assert int(sample["total"]) == int(sample["translated"]) + 1
    templates = next(row for row in rows if row["catalog"] == "templates")
    assert templates["translated"] == templates["total"] and templates["words untranslated"] == "0"


def test_update_reports_each_file(cli, minimal_content):
    meta = minimal_content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text() + "languages: [en, pl]\n")
    first = cli("translations", "update", "--content", minimal_content)
    folder = minimal_content / "leaflets" / "sample" / "translations"
    assert f"created {folder / 'pl.po'}" in first.out.splitlines()
    assert f"created {folder / 'sample.pot'}" in first.out.splitlines()
    text = minimal_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("Ask your clinic.", "Ask your clinic.\n\nCall us."))
    second = cli("translations", "update", "--content", minimal_content)
    assert f"updated {folder / 'pl.po'} (1 new, 0 fuzzy, 0 obsolete)" in second.out.splitlines()
    assert f"unchanged {minimal_content / 'translations' / 'pl.po'}" in second.out.splitlines()
