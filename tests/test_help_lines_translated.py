"""Help lines in the page's language (issue #25): each help line's name in content/countries.yaml is a message
of the templates' catalog (context "help line"), shown, brailled and said in the page's language; one not yet
translated is shown in English, marked lang="en" and isolated, and never dropped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT
from test_alt_formats import LEAFLET, TABLES, back_translated, normalise
from test_alt_formats_equivalence import plain_text
from test_language_end_to_end import ukrainian_content
from test_print import pdftotext
from test_site import parse_html

from leaflets.i18n.help_lines import shown_help_lines
from leaflets.i18n.localise import load_content
from leaflets.i18n.workflow import update_catalogs
from leaflets.paths import TEMPLATES_DIR
from leaflets.render.audio import audio_chapters
from leaflets.render.braille import brf_pages, lou_translate, to_brf
from leaflets.render.html import make_environment, render_leaflet_page
from leaflets.render.page_context import PageOptions
from leaflets.render.spoken_text import ContactDetails, leaflet_plain_text
from leaflets.source.countries import load_countries

GB_LINES = load_countries(ROOT / "content")["GB"].helplines  # the real site's country, with no default clinic
NEW_LINE = '    - name: Example Helpline for testing, day and night\n      phone: "0800 123 4567"\n'
NEW_NAME = "Example Helpline for testing, day and night"


def catalog_names(catalog: Path, lang: str) -> dict[str, str]:
    """Each help line's English name and its translation in ``catalog``."""
    with catalog.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    return {line.name: messages.get(line.name, context="help line").string for line in GB_LINES}


def help_line_items(page: Path) -> list:
    [block] = [div for div in parse_html(page).find_all("div") if div.attrs.get("class") == "lf-help-lines"]
    return block.find_all("li")


def with_a_new_help_line(content: Path) -> None:
    countries = content / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace('      phone: "116 123"\n', '      phone: "116 123"\n' + NEW_LINE, 1))


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_the_web_page_shows_each_help_line_in_its_language(built_site, lang):
    names = catalog_names(ROOT / "content" / "translations" / f"{lang}.po", lang)
    items = help_line_items(built_site / LEAFLET / lang / "index.html")
    assert [item.text().replace(" :", ":") for item in items] == [
        f"{names[line.name]}: {line.phone}" for line in GB_LINES
    ]
    assert all(item.attrs.get("lang") is None and not item.find_all("bdi", lang="en") for item in items)
    assert all(names[line.name] != line.name for line in GB_LINES)


@pytest.mark.parametrize(("lang", "words"), [("ar", "مساعدة طبية عاجلة"), ("pl", "pilna pomoc medyczna")])
def test_the_page_printed_from_a_browser_has_the_translated_help_lines(built_site, browser, tmp_path, lang, words):
    """Printed from the browser, a page keeps its help lines (the site's own PDFs leave lines to write on)."""
    page = browser.new_page()
    page.goto((built_site / LEAFLET / lang / "index.html").as_uri())
    page.pdf(path=tmp_path / "printed.pdf")
    page.close()
    text = " ".join(pdftotext(tmp_path / "printed.pdf").split())
    assert words in text and "0300 123 6600" in text
    assert "urgent medical help" not in text and "free and confidential drug advice" not in text


def test_the_arabic_braille_and_audio_carry_the_arabic_help_line_names(built_site):
    tree = load_content(ROOT / "content")
    names = catalog_names(ROOT / "content" / "translations" / "ar.po", "ar")
    _leaflet, text = plain_text(tree, "ar")
    said = " ".join(chapter.text for chapter in audio_chapters(text))
    brf = built_site / LEAFLET / "ar" / f"{LEAFLET}-ar.brf"
    back = back_translated(brf, TABLES["ar"])
    body = " ".join(line for page in brf_pages(brf.read_bytes()) for line in page[1:])
    for line in GB_LINES:
        english_description = line.name.split(", ", 1)[-1]
        arabic_description = names[line.name].split("، ", 1)[-1]
        assert arabic_description in said and english_description not in said
        assert normalise(arabic_description) in back, arabic_description
        [cells] = lou_translate([english_description], TABLES["ar"])
        assert to_brf(cells) not in body, english_description


def test_a_help_line_added_to_countries_yaml_is_extracted_with_its_context_and_comment(cli, tmp_path):
    content = ukrainian_content(tmp_path)
    with_a_new_help_line(content)
    result = cli("translations", "update", "--content", content)
    assert result.code == 0, result.err
    assert f"updated {content / 'translations' / 'uk.po'} (1 new, 0 fuzzy, 0 obsolete)" in result.out.splitlines()
    with (content / "translations" / "templates.pot").open("rb") as handle:
        message = read_po(handle).get(NEW_NAME, context="help line")
    assert message is not None and message.locations == [("countries.yaml", None)]
    assert message.auto_comments == [
        "Help line in GB, phone 0800 123 4567: keep the service's own name, translate its description"
    ]
    status = cli("translations", "status", "--format", "csv", "--content", content)
    [row] = [line.split(",") for line in status.out.splitlines() if line.startswith("templates,uk,")]
    assert row[5] == "1" and row[-1] == "0"  # one untranslated, and it does not count as safety text


def test_an_untranslated_help_line_is_shown_in_marked_english_and_the_language_stays(cli, tmp_path):
    content = ukrainian_content(tmp_path)
    with_a_new_help_line(content)
    assert cli("translations", "update", "--content", content).code == 0
    tree = load_content(content)
    [leaflet] = tree.leaflets
    assert "uk" in leaflet.texts and not leaflet.languages["uk"].withheld_because
    country = load_countries(content)["GB"]
    options = PageOptions(help_country=country, emergency=country.emergency, web=True)
    html = render_leaflet_page(make_environment(TEMPLATES_DIR), leaflet, "uk", options, tree.translators["uk"])
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    items = help_line_items(tmp_path / "page.html")
    assert len(items) == 4 and "Samaritans, якщо вам важко впоратися" in items[2].text()
    [english] = items[3].find_all("bdi")[:1]
    assert english.attrs == {"lang": "en", "dir": "ltr"} and english.text() == NEW_NAME
    assert "0800 123 4567" in items[3].text()
    assert "Деякі частини цієї листівки ще не перекладено, їх показано англійською." in html  # the notice
    text = leaflet_plain_text(leaflet, "uk", tree.translators["uk"], ContactDetails(None, country, "999"))
    said = " ".join(chapter.text for chapter in audio_chapters(text))
    assert NEW_NAME in said  # Braille and audio keep the English name: never dropped
    line = (
        f"{content / 'translations' / 'uk.po'}: %s: 1 help-line name(s) not translated or fuzzy are shown in "
        f"English, e.g. 'help line: {NEW_NAME}'"
    )
    assert line % "warning" in cli("check", "--content", content, "--output", tmp_path / "out").err.splitlines()
    strict = cli("check", "--strict", "--content", content, "--output", tmp_path / "out")
    assert strict.code == 1 and strict.err.splitlines() == [line % "error"]


def test_an_untranslated_help_line_on_an_arabic_page_is_isolated(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    with_a_new_help_line(content)
    update_catalogs(content)
    tree = load_content(content)
    leaflet = next(item for item in tree.leaflets if item.leaflet_id == LEAFLET)
    country = load_countries(content)["GB"]
    options = PageOptions(help_country=country, emergency=country.emergency, web=True)
    html = render_leaflet_page(make_environment(TEMPLATES_DIR), leaflet, "ar", options, tree.translators["ar"])
    assert f'<li><bdi lang="en" dir="ltr">{NEW_NAME}</bdi>: <a href="tel:08001234567">' in html


def test_a_help_line_translation_that_changes_its_number_stays_english(tmp_path):
    content = ukrainian_content(tmp_path)
    catalog = content / "translations" / "uk.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "NHS 111, термінова', 'msgstr "NHS 112, термінова'), encoding="utf-8")
    tree = load_content(content)
    [first, *_] = shown_help_lines(load_countries(content)["GB"], tree.translators["uk"])
    assert (first.name, first.lang) == ("NHS 111, urgent medical help that is not an emergency", "en")


def test_markup_in_a_help_line_translation_is_refused_with_its_line(cli, tmp_path):
    content = ukrainian_content(tmp_path)
    catalog = content / "translations" / "uk.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "Samaritans, ', 'msgstr "<b>Samaritans</b>, '), encoding="utf-8")
    line = next(n for n, row in enumerate(catalog.read_text().splitlines(), 1) if "<b>Samaritans" in row)
    result = cli("check", "--content", content, "--output", tmp_path / "out")
    assert result.code == 1
    assert (
        f"{catalog}:{line}: help line 'Samaritans, if you are struggling to cope': "
        "must be plain text; remove '<' and '>'"
    ) in result.err.splitlines(), result.err
