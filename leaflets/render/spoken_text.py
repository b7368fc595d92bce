"""A leaflet as plain text in reading order, for Braille and audio: what the web page says.

The sanitised HTML of each section (paragraphs, lists, sub-headings, callouts)
becomes a list of :class:`TextBlock`: what a Braille transcriber or a reader
would set apart. Callouts are introduced by their kind ("Warning: ...") with
the same template strings the web page uses for screen readers.

Around the sections come the parts the page's components add, with the same
translated strings (templates/leaflet.html and its components notice,
contact_card, help_lines and review_footer): the summary and notices under the
title, the contact block (the clinic's card, or the country's emergency number
and help lines) at the end of the contact section, and the review footer
(dates, version, draft notices, sources) as a last section. Phone numbers are
marked, so the audio says them digit by digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from ..i18n.help_lines import help_lines_in_english, shown_help_lines
from ..i18n.translator import Translator
from ..source.clinic import ClinicProfile
from ..source.content import Leaflet
from ..source.countries import Country
from .html import format_long_date, is_draft_translation

CALLOUT_LABELS = {"warning": "Warning", "important": "Important", "information": "Information"}
DO_DONT_TITLES = {"do": "Do", "dont": "Don't"}
DRAFT_TRANSLATION = "Draft translation: not yet checked by a qualified medical translator."


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "heading" (a sub-heading or callout title), "paragraph", "item" or "line" (of an address)
    text: str
    marker: str = ""  # "1." for an ordered list item; "" otherwise
    phones: tuple[str, ...] = ()  # phone numbers in the text, as written: said digit by digit


@dataclass(frozen=True)
class ContactDetails:
    """Who to contact, as the web page shows it: the default clinic's card, else the site country's emergency
    number and help lines (``help_country``), else the emergency number alone."""

    clinic: ClinicProfile | None = None
    help_country: Country | None = None
    emergency: str = ""


@dataclass(frozen=True)
class TextSection:
    section_id: str
    heading: str
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True)
class LeafletPlainText:
    lang: str
    title: str
    intro: tuple[str, ...]  # the title, summary, version, review date and notices, as sentences
    sections: tuple[TextSection, ...]  # the leaflet's sections, the contact block in its own, then the footer


class _BlockParser(HTMLParser):
    """Collects text blocks from the leaflet's allow-listed HTML."""

    BLOCK_TAGS = {"p": "paragraph", "li": "item", "h3": "heading", "h4": "heading"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self.lists: list[list] = []  # [ordered, count] for each open list
        self.current: list[str] | None = None
        self.kind = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag == "ol", 0])
        elif tag in self.BLOCK_TAGS:
            self._flush()
            self.current, self.kind = [], self.BLOCK_TAGS[tag]
        elif tag == "br" and self.current is not None:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCK_TAGS:
            self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current or []).split())
        if text:
            marker = ""
            if self.kind == "item" and self.lists:
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}." if self.lists[-1][0] else ""
            self.blocks.append(TextBlock(self.kind, text, marker))
        self.current = None


def html_blocks(html: str) -> list[TextBlock]:
    parser = _BlockParser()
    parser.feed(str(html))
    parser.close()
    parser._flush()
    return parser.blocks


def inline_text(html: str) -> str:
    """The text of an inline fragment such as a heading."""
    parser = _BlockParser()
    parser.current = []
    parser.feed(str(html))
    return " ".join("".join(parser.current).split())


def section_blocks(section, t: Translator) -> tuple[TextBlock, ...]:
    blocks: list[TextBlock] = []
    for block in section.blocks:
        if block.kind != "html":
            title = inline_text(block.title) or t.gettext(DO_DONT_TITLES.get(block.kind, ""))
            label = CALLOUT_LABELS.get(block.kind)
            blocks.append(TextBlock("heading", f"{t.gettext(label)}: {title}" if label else title))
        blocks.extend(html_blocks(block.html))
    return tuple(blocks)


def help_line_blocks(country: Country, t: Translator) -> list[TextBlock]:
    """components/help_lines: the emergency number, the national help lines and a word about the clinic.
    A help line's name is the page's: translated, or English while it is not (Braille and the voice then
    carry the English as it is written; the number follows either way)."""
    blocks = [
        TextBlock("heading", t.gettext("Where to get help")),
        TextBlock("paragraph", t.gettext("In an emergency, call %(number)s.", number=country.emergency),
                  phones=(country.emergency,)),
    ]  # fmt: skip
    lines = shown_help_lines(country, t)
    blocks += [TextBlock("item", f"{line.name}: {line.phone}", phones=(line.phone,)) for line in lines]
    blocks.append(
        TextBlock(
            "paragraph", t.gettext("For questions about your treatment, call the clinic that gave you this leaflet.")
        )
    )
    return blocks


def clinic_card_blocks(clinic: ClinicProfile, lang: str, t: Translator) -> list[TextBlock]:
    """components/contact_card with a clinic: each label and its value, a line each."""
    blocks = [TextBlock("heading", t.pgettext("contact card", "Your clinic"))]
    if clinic.urgent_phone:
        number = clinic.urgent_phone.national
        blocks.append(TextBlock("paragraph", f"{t.gettext('Urgent or out of hours:')} {number}", phones=(number,)))

    def line(label: str, value: str, phone: bool = False) -> None:
        blocks.append(
            TextBlock("item", f"{t.pgettext('contact card', label)}: {value}", phones=(value,) if phone else ())
        )

    def lines(label: str, values: tuple[str, ...]) -> None:  # an address: a line each, as on the card
        line(label, values[0])
        blocks.extend(TextBlock("line", value) for value in values[1:])

    line("Clinic", clinic.name)
    line("Phone", clinic.phone.national, phone=True)
    if clinic.key_worker_phone:
        line("Key worker", clinic.key_worker_phone.national, phone=True)
    if clinic.email:
        line("Email", clinic.email)
    lines("Opening hours", clinic.opening_hours_for(lang).lines)
    lines("Address", clinic.address_for(lang).lines)
    if clinic.website:
        line("Website", clinic.website)
    return blocks


def contact_blocks(contact: ContactDetails, lang: str, t: Translator) -> list[TextBlock]:
    """The contact block the web page shows at the end of the contact section."""
    if contact.clinic:
        blocks = clinic_card_blocks(contact.clinic, lang, t)
        emergency = contact.clinic.emergency_number  # the clinic's country, as on the card
    elif contact.help_country:
        return help_line_blocks(contact.help_country, t)
    else:
        blocks, emergency = [], contact.emergency
    if emergency:
        blocks.append(TextBlock("paragraph", t.gettext("In an emergency, call %(number)s.", number=emergency),
                                phones=(emergency,)))  # fmt: skip
    return blocks


def review_section(leaflet: Leaflet, lang: str, t: Translator) -> TextSection:
    """components/review_footer, as the last section: its heading (Sources) first, then the dates, version,
    draft notices, the feedback line and the sources."""
    meta = leaflet.meta
    blocks = [
        TextBlock(
            "paragraph", t.gettext("Page last reviewed: %(date)s", date=format_long_date(meta.last_reviewed, lang))
        ),
        TextBlock("paragraph", t.gettext("Next review due: %(date)s", date=format_long_date(meta.next_review, lang))),
        TextBlock("paragraph", f"{t.gettext('Version %(version)s', version=meta.version)} · {meta.publisher}"),
    ]
    if meta.needs_clinical_review:
        blocks.append(TextBlock("paragraph", t.gettext("Draft: this leaflet still needs review by a clinician.")))
    if is_draft_translation(meta, lang):
        blocks.append(TextBlock("paragraph", t.gettext(DRAFT_TRANSLATION)))
    feedback = leaflet.texts[lang].feedback_contact or meta.feedback_contact
    if feedback:
        blocks.append(TextBlock("paragraph", feedback))
    blocks += [TextBlock("item", source.title) for source in meta.sources]
    return TextSection("sources", t.pgettext("review footer", "Sources"), tuple(blocks))


def leaflet_plain_text(
    leaflet: Leaflet, lang: str, t: Translator, contact: ContactDetails | None = None
) -> LeafletPlainText:
    """The leaflet in ``lang`` as the web page says it: intro (title, summary, version, review date and the
    notices under the title), the sections with the contact block in the contact section, then the footer."""
    text = leaflet.texts[lang]
    meta = leaflet.meta
    intro = [
        text.title,
        text.summary,
        t.gettext("Version %(version)s", version=meta.version),
        t.gettext("Next review due: %(date)s", date=format_long_date(meta.next_review, lang)),
    ]
    contact = contact or ContactDetails()
    help_country = None if contact.clinic else contact.help_country
    if getattr(leaflet.languages.get(lang), "english_fallback", False) or help_lines_in_english(help_country, t):
        intro.append(t.gettext("Some parts of this leaflet are not yet translated and are shown in English."))
    if is_draft_translation(meta, lang):
        intro.append(t.gettext(DRAFT_TRANSLATION))
    contact_at = leaflet.contact_section or text.sections[-1].section_id
    sections = []
    for section in text.sections:
        blocks = section_blocks(section, t)
        if section.section_id == contact_at:
            blocks += tuple(contact_blocks(contact, lang, t))
        sections.append(TextSection(section.section_id, inline_text(section.heading), blocks))
    sections.append(review_section(leaflet, lang, t))
    return LeafletPlainText(lang, text.title, tuple(filter(None, intro)), tuple(sections))
