"""Braille and audio in the build: caching, warnings, settings, sitemap, and the personal Braille plan.

Built from the small fixture leaflet (a few seconds of speech) with ``braille:`` and
``voices:`` added to its site.yaml; the personal plan from the real content.
"""

from __future__ import annotations

import hashlib
import stat

import pytest
from conftest import ROOT
from test_alt_formats import back_translated, ffprobe, normalise

from leaflets.render.braille import CELLS_PER_LINE, LINES_PER_PAGE, brf_pages

FORMATS = "braille:\n  en: en-ueb-g2.ctb\nvoices:\n  en: en-gb\n"
REGIMEN = "mon:100,wed:100,fri:150"


def sample_files(output):
    folder = output / "site" / "sample" / "en"
    return folder / "sample-en.brf", folder / "sample-en.mp3"


@pytest.fixture
def formats_content(minimal_content):
    (minimal_content / "site.yaml").write_text(FORMATS, encoding="utf-8")
    return minimal_content


def test_fixture_leaflet_gets_braille_and_audio(cli, formats_content, tmp_path):
    result = cli("site", "--content", formats_content, "--output", tmp_path, "--base-url", "https://example.org/l/")
    assert result.code == 0, result.err
    brf, mp3 = sample_files(tmp_path)
    assert "warning: opioid" not in back_translated(brf, "en-ueb-g2.ctb")
    assert "warning: take care this is a warning." in back_translated(brf, "en-ueb-g2.ctb")
    probe = ffprobe(mp3)
    assert [c["tags"]["title"] for c in probe["chapters"]] == [
        "Sample leaflet",
        "About",
        "Safety",
        "Contact",
        "Sources",
    ]
    assert 4 < float(probe["format"]["duration"]) < 90  # a paragraph a section, the help lines and the footer
    assert stat.S_IMODE(brf.stat().st_mode) == stat.S_IMODE(mp3.stat().st_mode) == 0o644
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/l/sample/en/sample-en.brf</loc>" in sitemap
    assert "<loc>https://example.org/l/sample/en/sample-en.mp3</loc>" in sitemap
    page = (tmp_path / "site" / "sample" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Braille, BRF file for embossers and braille displays (1\u00a0kB)" in page  # a no-break space before units
    assert "Audio, MP3 file (1 minute, " in page and "\u00a0kB)" in page


def test_unchanged_text_is_neither_transcribed_nor_spoken_again(cli, formats_content, tmp_path):
    assert cli("site", "--content", formats_content, "--output", tmp_path).code == 0
    brf, mp3 = sample_files(tmp_path)
    inodes = brf.stat().st_ino, mp3.stat().st_ino
    # A page-only change (the font order) renders the page again but reuses the Braille and audio.
    fonts = "fonts:\n  default: [DejaVu Sans, Noto Sans]\n"
    (formats_content / "site.yaml").write_text(FORMATS + fonts, encoding="utf-8")
    second = cli("site", "--content", formats_content, "--output", tmp_path)
    assert "1 rendered, 0 unchanged" in second.out
    assert (brf.stat().st_ino, mp3.stat().st_ino) == inodes  # hard links to the previous build's files
    assert "Audio, MP3 file (1 minute, " in (brf.parent / "index.html").read_text(encoding="utf-8")
    # New words: both are made again.
    text = formats_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a warning.", "This is a new warning."), encoding="utf-8")
    assert cli("site", "--content", formats_content, "--output", tmp_path).code == 0
    assert brf.stat().st_ino != inodes[0] and mp3.stat().st_ino != inodes[1]
    assert "this is a new warning." in back_translated(brf, "en-ueb-g2.ctb")


def test_two_clean_builds_give_identical_braille_and_audio(cli, formats_content, tmp_path):
    digests = []
    for name in ("one", "two"):
        assert cli("site", "--content", formats_content, "--output", tmp_path / name).code == 0
        digests.append([hashlib.sha256(path.read_bytes()).hexdigest() for path in sample_files(tmp_path / name)])
    assert digests[0] == digests[1]


@pytest.mark.parametrize(
    ("settings", "warning"),
    [
        (
            "voices:\n  en: zz-nosuch\n",
            "sample/en: warning: no audio version in 'en': espeak-ng has no voice 'zz-nosuch'",
        ),
        ("voices:\n  pl: pl\n", "sample/en: warning: no audio version: 'voices' in site.yaml has no 'en'"),
        ("braille:\n  pl: pl.tbl\n", "sample/en: warning: no Braille version: 'braille' in site.yaml has no 'en'"),
        (
            "braille:\n  en: en-gb-comp8.ctb\n",
            "sample/en: warning: no Braille version in 'en': Braille table 'en-gb-comp8.ctb' writes 'A' (U+0041)",
        ),
        (
            "braille:\n  en: no-such-table.ctb\n",
            "sample/en: warning: no Braille version in 'en': Braille table 'no-such-table.ctb' is not installed",
        ),
    ],
    ids=["unknown-voice", "no-voice", "no-table", "8-dot-table", "missing-table"],
)
def test_a_language_without_a_working_table_or_voice_is_left_out_with_a_warning(
    cli, minimal_content, tmp_path, settings, warning
):
    (minimal_content / "site.yaml").write_text(settings, encoding="utf-8")
    result = cli("site", "--content", minimal_content, "--output", tmp_path)
    assert result.code == 0
    assert warning in result.err
    brf, mp3 = sample_files(tmp_path)
    assert not brf.exists() and not mp3.exists()
    strict = cli("site", "--strict", "--content", minimal_content, "--output", tmp_path)
    assert strict.code == 1 and warning.replace(": warning: ", ": error: ") in strict.err
    assert (tmp_path / "site" / "sample" / "en" / "index.html").exists()  # the previous site is intact


def test_a_table_name_that_is_not_a_name_is_refused(cli, minimal_content, tmp_path):
    (minimal_content / "site.yaml").write_text("braille:\n  en: ../../etc/passwd\n", encoding="utf-8")
    result = cli("site", "--content", minimal_content, "--output", tmp_path)
    assert result.code == 1
    assert "site.yaml:1: braille: en: expected a table or voice name such as 'en-ueb-g2.ctb' or 'en-gb'" in result.err
    assert not (tmp_path / "site").exists()


def test_without_settings_there_are_no_braille_or_audio_files(cli, minimal_content, tmp_path):
    result = cli("site", "--content", minimal_content, "--output", tmp_path)
    assert result.code == 0 and "warning" not in result.err
    files = sorted(p.name for p in (tmp_path / "site" / "sample" / "en").iterdir())
    assert files == ["index.html", "personalise.html", "sample-en-large-print.pdf", "sample-en.pdf"]


# --- print --format braille ----------------------------------------------------------


def print_braille(cli, output, *extra):
    return cli(
        "print", "--content", ROOT / "content", "--output", output, "--leaflet", "naltrexone", "--clinic", "example",
        "--regimen", REGIMEN, "--start-date", "2027-01-04", "--format", "braille", *extra,
    )  # fmt: skip


def test_personal_braille_plan_is_private_and_reads_back(cli, tmp_path):
    result = print_braille(cli, tmp_path, "--lang", "en", "--name", "Alex Example")
    assert result.code == 0, result.err
    path = tmp_path / "print" / result.out.split("/")[-1].strip()
    assert path.suffix == ".brf" and path.parent == tmp_path / "print"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    back = back_translated(path, "en-ueb-g2.ctb")
    sentence = "Take 2 tablets (100 mg) on Monday, 2 tablets (100 mg) on Wednesday and 3 tablets (150 mg) on Friday."
    assert normalise(sentence) in back
    assert "tuesday: rest day: no tablet" in back and "friday: morning: 3 tablets (150 mg" in back
    assert "start date: monday, 4 january 2027" in back
    assert "urgent or out of hours: 0113 496 0999" in back and "in an emergency, call 999." in back
    assert "alex" not in back and "example clinic" not in back.replace("example recovery clinic", "")
    for page in brf_pages(path.read_bytes()):
        assert len(page) <= LINES_PER_PAGE and all(len(line) <= CELLS_PER_LINE for line in page)


def test_personal_braille_plan_in_polish_uses_the_polish_words(cli, tmp_path):
    result = print_braille(cli, tmp_path, "--lang", "pl")
    assert result.code == 0, result.err
    back = back_translated(tmp_path / "print" / result.out.split("/")[-1].strip(), "pl.tbl")
    assert "poniedziałek" in back and normalise("100 mg") in back


def test_personal_braille_refused_where_there_is_no_table(cli, tmp_path):
    result = print_braille(cli, tmp_path, "--lang", "ro")
    assert result.code == 1
    assert result.err.strip() == "content/site.yaml: braille: no Braille table for 'ro'; add one"
    assert not any((tmp_path / "print").glob("*")) if (tmp_path / "print").exists() else True
