"""Braille and audio say what the web page says (issue #25, hazard H52).

The page's text is read from the built HTML (``built_site``): the visible text
of ``<main>`` and the page footer, block by block, as a sighted reader sees it.
Left out, because they are about the web page and not the leaflet:

- the language switcher, the downloads list and the "Other formats" line (which
  link to the other files), the clinic staff's link to the personalise page and
  the table of contents (the section headings again);
- what only a printed page shows (``lf-print-only``: blank lines to write a
  clinic's details on) and what screen readers skip (``aria-hidden`` marks).

The BRF is back-translated with liblouis through the BRF display table, as the
build writes it; the audio's chapters are compared as text (what espeak-ng is
given), and their lengths measured once with ffprobe.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import ROOT
from test_alt_formats import LEAFLET, SITE_YAML, TABLES, VOICES, back_translated, ffprobe, normalise

from leaflets.i18n.localise import load_content
from leaflets.i18n.translator import english
from leaflets.paths import TEMPLATES_DIR
from leaflets.render.audio import audio_chapters, sentence, spoken
from leaflets.render.braille import braille_cells, brf_pages, leaflet_items, lou_translate, to_brf
from leaflets.render.html import make_environment, render_leaflet_page
from leaflets.render.page_context import PageOptions
from leaflets.render.spoken_text import ContactDetails, leaflet_plain_text
from leaflets.source.clinic import load_clinic, with_emergency_number
from leaflets.source.countries import read_countries

LEFT_OUT = {
    "lf-language-switcher",
    "lf-downloads",
    "lf-other-formats",
    "lf-personalise-link",
    "lf-contents",
    "lf-print-only",
    "lf-qr-code",
}
BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "dt", "dd"}
WORD_RE = re.compile(r"\w+")


class PageText(HTMLParser):
    """The visible text of a page's <main> and <footer>, as blocks: (section id, kind, text, phone numbers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str]] = []  # tag, whether its text is read, its language
        self.english: list[str] = []  # text marked lang="en" inside a page in another language
        self.blocks: list[dict] = []
        self.section = ""
        self.current: dict | None = None
        self.in_phone = False

    def reading(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "meta", "link", "img", "input"):
            if tag == "br" and self.current is not None:
                self._flush()
                self.current = {"section": self.section, "tag": "p", "text": [], "phones": []}
            return
        classes = set((attrs.get("class") or "").split())
        parent = self.stack[-1][1] if self.stack else False
        read = (parent or tag in ("main", "footer")) and not (classes & LEFT_OUT) and attrs.get("aria-hidden") != "true"
        read = read and tag not in ("script", "style", "template")
        lang = attrs.get("lang") or (self.stack[-1][2] if self.stack else "")
        self.stack.append((tag, read, lang))
        if not read:
            return
        if tag == "section":
            self.section = attrs.get("aria-labelledby", "")
        elif tag == "footer":
            self.section = "sources"
        if tag in BLOCKS:
            self._flush()
            self.current = {"section": self.section, "tag": tag, "text": [], "phones": []}
        if tag == "a" and (attrs.get("href") or "").startswith("tel:"):
            self.in_phone = True

    def handle_endtag(self, tag):
        if tag in BLOCKS and self.reading():
            self._flush()
        if tag == "a":
            self.in_phone = False
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.reading() and self.current is not None:
            self.current["text"].append(data)
            if self.stack[-1][2] == "en":
                self.english.append(data)
            if self.in_phone:
                self.current["phones"].append(data.strip())

    def _flush(self):
        if self.current is not None:
            text = " ".join("".join(self.current["text"]).split())
            if text:
                self.blocks.append({**self.current, "text": text})
        self.current = None


def page_text(lang: str, built_site) -> PageText:
    parser = PageText()
    parser.feed((built_site / LEAFLET / lang / "index.html").read_text(encoding="utf-8"))
    return parser


def page_blocks(lang: str, built_site) -> list[dict]:
    return page_text(lang, built_site).blocks


def page_lines(blocks: list[dict]) -> list[dict]:
    """A definition list's term and value as one line ("Phone: 0161 ..."), as the contact card reads."""
    lines: list[dict] = []
    for block in blocks:
        if block["tag"] == "dd" and lines and lines[-1]["tag"] == "dt":
            lines[-1] = {**block, "text": f"{lines[-1]['text']}: {block['text']}"}
        else:
            lines.append(block)
    return lines


def braille_lines(text, table: str) -> list[str]:
    """Each item of the leaflet's Braille in cells, unwrapped."""
    return braille_cells([item.text for item in leaflet_items(text)], table)


def words(text: str) -> list[str]:
    return WORD_RE.findall(normalise(text))


@pytest.fixture(scope="module")
def tree():
    return load_content(ROOT / "content")


def plain_text(tree, lang):
    """The leaflet's text as the site build makes it: the real content has no default clinic, so its pages
    show the site country's help lines."""
    assert not SITE_YAML.get("default_clinic")
    country = read_countries(ROOT / "content")[0][SITE_YAML.get("country", "GB")]
    leaflet = next(item for item in tree.leaflets if item.leaflet_id == LEAFLET)
    translator = english() if lang == "en" else tree.translators[lang]
    return leaflet, leaflet_plain_text(leaflet, lang, translator, ContactDetails(None, country, country.emergency))


# --- Braille -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_brf_carries_the_pages_words_phone_numbers_draft_notice_and_review_date(built_site, lang):
    """At least 97% of the page's words back-translate. English inside another language's page (help line
    names, sources, the publisher) is brailled with the page's table, letter by letter; an Arabic table reads
    those cells back as Arabic letters, so those words are looked for as the cells the table gives them."""
    page = page_text(lang, built_site)
    blocks = page.blocks
    path = built_site / LEAFLET / lang / f"{LEAFLET}-{lang}.brf"
    back = back_translated(path, TABLES[lang])
    brf_words = set(WORD_RE.findall(back))
    english = Counter(word for text in page.english for word in words(text)) if lang != "en" else Counter()
    body = " ".join(line for brf_page in brf_pages(path.read_bytes()) for line in brf_page[1:])
    cells = lou_translate(list(english), TABLES[lang]) if english else []
    for word, word_cells in zip(list(english), cells, strict=True):
        assert to_brf(word_cells) in body, word
    page_words = [word for block in blocks for word in words(block["text"])]
    for word, count in english.items():  # checked above, as cells
        for _ in range(count):
            page_words.remove(word)
    found = sum(word in brf_words for word in page_words)
    missing = sorted({word for word in page_words if word not in brf_words})
    assert found / len(page_words) >= 0.97, f"{found} of {len(page_words)} words; missing: {missing}"
    phones = {phone for block in blocks for phone in block["phones"]}
    assert {"999", "111", "0300 123 6600", "116 123"} <= phones  # the site's country (GB) has no default clinic
    for phone in phones:
        assert normalise(phone) in back, phone
    statuses = [block["text"] for block in blocks if block["text"].startswith(("Draft", "مسودة", "Wersja robocza"))]
    footer = [block["text"] for block in blocks if block["section"] == "sources"]
    for line in footer[:2] + statuses:  # the review dates, and every draft notice
        assert normalise(line) in back, line


# --- Audio -------------------------------------------------------------------------


def chapter_from_page(lines: list[dict], lang: str) -> str:
    """A section of the page as the audio should say it: each line a sentence, numbers as words, the page's
    phone numbers (its tel: links) digit by digit."""
    return "\n".join(sentence(spoken(line["text"], lang, tuple(line["phones"]))) for line in lines)


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_each_audio_chapter_says_its_page_section(built_site, tree, lang):
    _leaflet, text = plain_text(tree, lang)
    lines = page_lines(page_blocks(lang, built_site))
    chapters = audio_chapters(text)[1:]  # the first: the title and what stands under it
    sections = list(dict.fromkeys(line["section"] for line in lines if line["section"]))
    assert [section.section_id for section in text.sections] == sections
    for section, chapter in zip(text.sections, chapters, strict=True):
        own = [line for line in lines if line["section"] == section.section_id]
        if section.section_id == "sources":  # the footer's heading (Sources) names the chapter, so comes first
            own = [line for line in own if line["tag"] == "h2"] + [line for line in own if line["tag"] != "h2"]
        assert chapter.text == chapter_from_page(own, lang), section.section_id


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_the_audio_intro_says_what_stands_under_the_title(built_site, tree, lang):
    """The title, the summary, the line under it (version and review date; its one word "Draft" is said in full
    in the last chapter) and the notices."""
    leaflet, text = plain_text(tree, lang)
    header = [line["text"] for line in page_lines(page_blocks(lang, built_site)) if not line["section"]]
    translator = tree.translators.get(lang) if lang != "en" else None
    draft = translator.pgettext("running footer", "Draft") if translator else "Draft"
    title, summary, meta, *notices = header
    expected = [title, summary] + [part for part in meta.split(" · ") if part != draft] + notices
    assert list(text.intro) == expected
    assert audio_chapters(text)[0].text == chapter_from_page([{"text": line, "phones": []} for line in expected], lang)


def test_contact_chapter_lasts_as_long_as_its_help_lines_take_to_say(built_site, tree):
    """The English 'Who to contact' chapter now carries the help lines: longer than the 17 s the audit heard."""
    _leaflet, text = plain_text(tree, "en")
    probe = ffprobe(built_site / LEAFLET / "en" / f"{LEAFLET}-en.mp3")
    chapters = {chapter["tags"]["title"]: chapter for chapter in probe["chapters"]}
    contact = chapters["Who to contact"]
    seconds = float(contact["end_time"]) - float(contact["start_time"])
    said = next(c for c in audio_chapters(text) if c.title == "Who to contact").text
    assert "zero three zero zero one two three six six zero zero" in said
    assert seconds > 30, seconds
    assert 80 <= len(said.split()) / (seconds / 60) <= 220  # words a minute: the whole text is spoken
    assert "Sources" in chapters


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_default_clinics_card_is_said_and_brailled_as_the_page_shows_it(tree, lang):
    """With a default clinic the page shows its card, not the help lines: so do the audio and the Braille."""
    profile, _warnings = load_clinic("example", ROOT / "content")
    clinic = with_emergency_number(profile, ROOT / "content")
    leaflet = next(item for item in tree.leaflets if item.leaflet_id == LEAFLET)
    translator = english() if lang == "en" else tree.translators[lang]
    options = PageOptions(clinic=clinic, emergency=clinic.emergency_number, web=True)
    parser = PageText()
    parser.feed(render_leaflet_page(make_environment(TEMPLATES_DIR), leaflet, lang, options, translator))
    text = leaflet_plain_text(leaflet, lang, translator, ContactDetails(clinic, None, clinic.emergency_number))
    contact_id = leaflet.contact_section or text.sections[-2].section_id
    index = next(i for i, section in enumerate(text.sections) if section.section_id == contact_id)
    own = [line for line in page_lines(parser.blocks) if line["section"] == contact_id]
    assert audio_chapters(text)[index + 1].text == chapter_from_page(own, lang)
    said = audio_chapters(text)[index + 1].text
    if lang == "en":  # the urgent line, digit by digit
        assert "Urgent or out of hours: zero one one three four nine six zero nine nine nine." in said
    back = normalise(" ".join(lou_translate([to_brf(c) for c in braille_lines(text, TABLES[lang])], TABLES[lang],
                                            backward=True)))  # fmt: skip
    for phone in (clinic.phone.national, clinic.urgent_phone.national, clinic.key_worker_phone.national, "999"):
        assert normalise(phone) in back, phone


@pytest.mark.parametrize(
    ("text", "phones", "said"),
    [
        ("SAMHSA National Helpline: 1-800-662-4357", ("1-800-662-4357",),
         "SAMHSA National Helpline: one eight zero zero six six two four three five seven"),
        ("HSE Drugs and Alcohol Helpline: 1800 459 459", ("1800 459 459",),
         "HSE Drugs and Alcohol Helpline: one eight zero zero four five nine four five nine"),
        ("NICE technology appraisal TA115", (), "NICE technology appraisal TA one one five"),
    ],
)  # fmt: skip
def test_marked_phone_numbers_are_said_digit_by_digit_however_written(text, phones, said):
    assert spoken(text, "en", phones) == said
