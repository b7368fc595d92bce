"""What each piece of a tagged PDF came from in the HTML, recorded while WeasyPrint writes it.

WeasyPrint numbers marked content (MCIDs) and creates structure elements
without saying which HTML element each came from, and offers no hook to ask.
So while one PDF is written (and only then: a context variable guards it),
two of its functions are wrapped to note the layout box behind each MCID and
each structure element. The boxes are then turned into plain facts (text,
language, decorative or not, page margin) that :mod:`leaflets.render.pdf_structure`
uses to fix the structure tree. If WeasyPrint renames these functions the
import below fails loudly rather than writing untagged fixes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import weasyprint.pdf as weasyprint_pdf
import weasyprint.pdf.tags as weasyprint_tags
from weasyprint.formatting_structure import boxes


@dataclass(frozen=True)
class Run:
    """One marked-content sequence: the text of one text box, or a figure."""

    text: str  # logical order, as in the HTML
    lang: str
    decorative: bool  # inside aria-hidden="true"
    margin: str  # "Header" / "Footer" for page-margin text, else ""


@dataclass(frozen=True)
class ElementFacts:
    """The HTML element behind one structure element."""

    identity: int  # the same for every piece of an element split across pages
    tag: str
    lang: str
    scope: str  # a th's scope attribute


@dataclass
class MarkedContent:
    """Everything recorded for one PDF."""

    runs: dict[tuple[int, int], Run] = field(default_factory=dict)  # (page index, MCID)
    elements: dict[int, ElementFacts] = field(default_factory=dict)  # structure element object number
    links: dict[int, str] = field(default_factory=dict)  # link annotation object number -> description


@dataclass
class _Recording:
    page_tags: list[dict] = field(default_factory=list)  # per page: box -> {"mcid": n}
    element_boxes: dict[int, object] = field(default_factory=dict)


_RECORDING: ContextVar[_Recording | None] = ContextVar("leaflet_pdf_recording", default=None)
_original_add_tags = weasyprint_pdf.add_tags
_original_build_box_tree = weasyprint_tags._build_box_tree


def _recording_add_tags(pdf, document, pdf_version, page_streams):
    recording = _RECORDING.get()
    if recording is not None:
        recording.page_tags = [dict(stream._tags) for stream in page_streams]
    return _original_add_tags(pdf, document, pdf_version, page_streams)


def _recording_build_box_tree(box, *args):
    recording = _RECORDING.get()
    for element in _original_build_box_tree(box, *args):
        if recording is not None:
            recording.element_boxes.setdefault(element.number, box)
        yield element


weasyprint_pdf.add_tags = _recording_add_tags
weasyprint_tags._build_box_tree = _recording_build_box_tree


@contextmanager
def recording_marked_content(document, root_element) -> Iterator[MarkedContent]:
    """Record, while ``document.write_pdf`` runs inside the block, where each mark came from."""
    recording = _Recording()
    marked = MarkedContent()
    token = _RECORDING.set(recording)
    try:
        yield marked
    finally:
        _RECORDING.reset(token)
    html = HtmlFacts(root_element)
    margins = _margin_boxes(document)
    for page_index, tags in enumerate(recording.page_tags):
        for box, tag in tags.items():
            marked.runs[(page_index, tag["mcid"])] = _run(box, html, margins.get(id(box), ""))
    for number, box in recording.element_boxes.items():
        element = getattr(box, "element", None)
        if element is not None:
            marked.elements[number] = html.element_facts(element)
    marked.links = _link_descriptions(document, html)


class HtmlFacts:
    """Language, hiding and link text of HTML elements (ElementTree has no parent pointers)."""

    def __init__(self, root):
        self.root = root
        self.parents = {child: parent for parent in root.iter() for child in parent}
        self.default_lang = root.get("lang", "")

    def ancestors(self, element) -> Iterator:
        while element is not None:
            yield element
            element = self.parents.get(element)

    def lang(self, element) -> str:
        return next((item.get("lang") for item in self.ancestors(element) if item.get("lang")), self.default_lang)

    def hidden(self, element) -> bool:
        return any(item.get("aria-hidden") == "true" for item in self.ancestors(element))

    def element_facts(self, element) -> ElementFacts:
        return ElementFacts(id(element), _local_name(element.tag), self.lang(element), element.get("scope", ""))

    def link_description(self, element) -> str:
        anchor = next((item for item in self.ancestors(element) if _local_name(item.tag) == "a"), element)
        label = anchor.get("aria-label") or anchor.get("title") or "".join(anchor.itertext())
        return " ".join(label.split())


def _run(box, html: HtmlFacts, margin: str) -> Run:
    text = box.text if isinstance(box, boxes.TextBox) else ""
    element = getattr(box, "element", None)
    if element is None:
        return Run(text, html.default_lang, False, margin)
    return Run(text, html.lang(element), html.hidden(element), margin)


def _margin_boxes(document) -> dict[int, str]:
    """id(box) -> "Header" / "Footer" for every box in a page margin."""
    found = {}
    for page in document.pages:
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox):
                kind = "Header" if margin.at_keyword.startswith("@top") else "Footer"
                found.update((id(box), kind) for box in margin.descendants())
    return found


def _link_descriptions(document, html: HtmlFacts) -> dict[int, str]:
    descriptions = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and box.element is not None:
                descriptions[annotation.number] = html.link_description(box.element)
    return descriptions


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def needs_actual_text(text: str) -> bool:
    """Shaped or right-to-left text, whose glyphs do not map back to the logical text one to one."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") or unicodedata.category(ch) in ("Mn", "Mc") for ch in text)
