"""The two Python-Markdown tree processors that turn leaflet Markdown into our sections.

- Before inline processing, every text block (heading, paragraph, list item,
  callout title) is a *segment*: it is recorded for translators and may be
  replaced by its translation, still as Markdown.
- After it, the tree is split into ``##`` sections and each section into
  blocks: plain HTML, or a callout (``!!! warning "Title"``) that a template
  component renders.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor

from ..errors import Problem
from .markdown_limits import inline_problem
from .markup_rules import normalise_space, unsafe_character
from .sections import ParsedText, Segment, Translate

SEGMENT_TAGS = {"h2", "h3", "h4", "p", "li"}
ATTR_LIST_RE = re.compile(r"\s*\{:?\s*#([^\s{}]+)\s*\}\s*$")
RawBlock = tuple[str, str, list[Element]]  # kind ("html" or a callout's), title HTML, elements


class SegmentProcessor(Treeprocessor):
    """Records each text block as a segment and swaps in its translation."""

    def __init__(self, md, translate: Translate | None, parsed: ParsedText, label: str):
        super().__init__(md)
        self.translate = translate
        self.parsed = parsed
        self.label = label

    def run(self, root: Element) -> None:
        section_id = ""
        for element in root.iter():
            if element.tag not in SEGMENT_TAGS or not (element.text or "").strip():
                continue
            text, suffix = _split_attr_list(normalise_space(element.text))
            if element.tag == "h2":
                section_id = _id_in(suffix)
            if not text or "\x02" in text:  # empty, or a stashed raw-HTML placeholder
                continue
            self.parsed.segments.append(Segment(section_id, text))
            if self.translate is not None:
                self._translate(element, section_id, text, suffix)

    def _translate(self, element: Element, section_id: str, text: str, suffix: str) -> None:
        translated = self.translate(section_id, text)
        too_big = inline_problem(translated or "")
        if too_big:
            self.parsed.problems.append(Problem(self.label, f"translation of '{text[:40]}': {too_big}"))
            translated = None
        if translated is None:
            element.set("lang", "en")  # shown in English, and marked as such
            return
        element.text = translated + suffix
        reason = unsafe_character(translated)
        if reason:
            self.parsed.problems.append(Problem(self.label, f"translation of '{text[:40]}': {reason}"))


def _split_attr_list(text: str) -> tuple[str, str]:
    match = ATTR_LIST_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()], " " + match.group(0).strip()


def _id_in(suffix: str) -> str:
    match = ATTR_LIST_RE.search(suffix)
    return match.group(1) if match else ""


class SectionProcessor(Treeprocessor):
    """Splits the finished tree into sections (a heading, or None before the first) and their blocks."""

    def __init__(self, md):
        super().__init__(md)
        self.raw_sections: list[tuple[Element | None, list[RawBlock]]] = []

    def run(self, root: Element) -> Element:
        for element in list(root):
            if element.tag == "h2":
                self.raw_sections.append((element, []))
            elif not self.raw_sections:
                self.raw_sections.append((None, [("html", "", [element])]))
            else:
                self._add_block(self.raw_sections[-1][1], element)
            root.remove(element)
        return root

    @staticmethod
    def _add_block(blocks: list[RawBlock], element: Element) -> None:
        classes = (element.get("class") or "").split()
        if element.tag == "div" and "admonition" in classes:
            kind = next((c for c in classes if c != "admonition"), "")
            title_el = element[0] if len(element) and element[0].get("class") == "admonition-title" else None
            title = to_html_string(title_el) if title_el is not None else ""
            body = [child for child in element if child is not title_el]
            blocks.append((kind, title, body))
        elif blocks and blocks[-1][0] == "html":
            blocks[-1][2].append(element)
        else:
            blocks.append(("html", "", [element]))
