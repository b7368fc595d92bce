"""A leaflet as plain text in reading order, for Braille and audio.

The sanitised HTML of each section (paragraphs, lists, sub-headings, callouts)
becomes a list of :class:`TextBlock`: what a Braille transcriber or a reader
would set apart. Callouts are introduced by their kind ("Warning: ...") with
the same template strings the web page uses for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from ..i18n.translator import Translator
from ..source.content import Leaflet
from .html import format_long_date

CALLOUT_LABELS = {"warning": "Warning", "important": "Important", "information": "Information"}
DO_DONT_TITLES = {"do": "Do", "dont": "Don't"}


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "heading" (a sub-heading or callout title), "paragraph" or "item"
    text: str
    marker: str = ""  # "1." for an ordered list item; "" otherwise


@dataclass(frozen=True)
class TextSection:
    section_id: str
    heading: str
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True)
class LeafletPlainText:
    lang: str
    title: str
    intro: tuple[str, ...]  # the title, version and review date, as sentences
    sections: tuple[TextSection, ...]


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


def leaflet_plain_text(leaflet: Leaflet, lang: str, t: Translator) -> LeafletPlainText:
    """The leaflet in ``lang`` as plain text: intro (title, version, review date) and sections."""
    text = leaflet.texts[lang]
    meta = leaflet.meta
    intro = (
        text.title,
        t.gettext("Version %(version)s", version=meta.version),
        t.gettext("Next review due: %(date)s", date=format_long_date(meta.next_review, lang)),
    )
    sections = tuple(
        TextSection(section.section_id, inline_text(section.heading), section_blocks(section, t))
        for section in text.sections
    )
    return LeafletPlainText(lang, text.title, intro, sections)
