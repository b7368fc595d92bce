"""A language added as content only, end to end: Ukrainian, a sample translation in ``tests/fixtures/ukrainian``
(every entry of the leaflet's catalog and of the templates' catalog translated, written outside the code).

A table that cannot make a BRF (liblouis 3.24's ``uk.utb`` has no braille for 'є', 'і' and 'ї') stops
``check --strict`` and ``site --strict`` with the same line; with ``uk: none`` the language is published with
its audio, whose doses are said as words, and a personal copy in Ukrainian has its plural forms.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_print import pdftotext

from leaflets.i18n.localise import load_content
from leaflets.render.audio import audio_chapters
from leaflets.render.spoken_text import leaflet_plain_text

FIXTURES = Path(__file__).parent / "fixtures"
BRAILLE_REFUSED = (
    "dosetab/uk: error: no Braille version in 'uk': Braille table 'uk.utb' has no braille for 'є' (U+0454), "
    "'і' (U+0456) and 'ї' (U+0457), which a BRF (6-dot) cannot hold; set 'uk: none' under braille: in site.yaml, "
    "or choose another table (installed for uk: uk.utb (literary), uk-comp.utb (computer, 8-dot))"
)


def ukrainian_content(folder: Path) -> Path:
    """The medicines fixture's clinics and countries, with the Ukrainian leaflet, catalogs and site.yaml."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "medicines", content, ignore=shutil.ignore_patterns("leaflets"))
    shutil.copytree(FIXTURES / "ukrainian", content, dirs_exist_ok=True)
    return content


@pytest.fixture
def content(tmp_path) -> Path:
    return ukrainian_content(tmp_path)


def without_braille_for_ukrainian(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("  uk: uk.utb\n", "  uk: none\n"), encoding="utf-8")


def test_the_fixture_is_a_complete_and_current_translation(cli, content):
    """As the coordinator would: `update` finds nothing to add, `status` nothing left to do. (After a new
    template string, translate it in tests/fixtures/ukrainian/translations/uk.po too.)"""
    update = cli("translations", "update", "--content", content)
    assert update.code == 0, update.err
    for catalog in ("translations/uk.po", "leaflets/dosetab/translations/uk.po"):
        assert f"unchanged {content / catalog}" in update.out.splitlines(), update.out
    status = cli("translations", "status", "--format", "csv", "--content", content)
    rows = [line.split(",") for line in status.out.splitlines()[1:]]
    assert [(row[0], row[1]) for row in rows] == [("dosetab", "uk"), ("templates", "uk")]
    assert all(row[2] == row[3] and row[4:7] == ["0", "0", "0"] for row in rows), status.out


def test_check_and_site_refuse_a_table_that_cannot_make_a_brf_with_the_same_line(cli, content, tmp_path):
    check = cli("check", "--strict", "--content", content, "--output", tmp_path / "out")
    site = cli("site", "--strict", "--content", content, "--output", tmp_path / "out")
    assert check.code == site.code == 1
    assert [line for line in check.err.splitlines() if "Braille" in line] == [BRAILLE_REFUSED], check.err
    assert [line for line in site.err.splitlines() if "Braille" in line] == [BRAILLE_REFUSED], site.err
    assert not (tmp_path / "out" / "site").exists()


def test_with_none_the_language_is_published_with_its_audio(cli, content, tmp_path):
    without_braille_for_ukrainian(content)
    assert cli("check", "--strict", "--content", content, "--output", tmp_path).code == 0
    site = cli("site", "--strict", "--content", content, "--output", tmp_path)
    assert site.code == 0, site.err
    folder = tmp_path / "site" / "dosetab" / "uk"
    assert (folder / "dosetab-uk.mp3").stat().st_size > 10_000
    assert (
        not (folder / "dosetab-uk.brf").exists() and (tmp_path / "site" / "dosetab" / "en" / "dosetab-en.brf").exists()
    )
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'lang="uk"' in page and "dosetab-uk.mp3" in page and "Ніколи не приймайте більше ніж 300" in page


def test_the_audio_says_each_dose_as_words_in_ukrainian(content):
    tree = load_content(content)
    [leaflet] = tree.leaflets
    spoken = " ".join(
        chapter.text for chapter in audio_chapters(leaflet_plain_text(leaflet, "uk", tree.translators["uk"]))
    )
    assert "п'ятдесят міліграмів" in spoken and "триста міліграмів" in spoken
    assert "мг" not in spoken.split() and "50" not in spoken and "300" not in spoken
    assert "дев'ять дев'ять дев'ять" in spoken  # the emergency number, digit by digit


def test_a_personal_copy_in_ukrainian_has_its_plural_forms(cli, content, tmp_path):
    without_braille_for_ukrainian(content)
    out = tmp_path / "copy.pdf"
    result = cli("print", "--content", content, "--output", tmp_path / "output", "--leaflet", "dosetab",
                 "--lang", "uk", "--clinic", "example", "--regimen", "mon:50,wed:100,fri:250",
                 "--start-date", "2027-01-04", "--next-appointment", "2027-01-18", "--out", out)  # fmt: skip
    assert result.code == 0, result.err
    text = " ".join(pdftotext(out).split())
    assert "1 таблетка" in text and "2 таблетки" in text and "5 таблеток" in text, text
    assert "Ніколи не приймайте більше ніж 300 мг за один день." in text
