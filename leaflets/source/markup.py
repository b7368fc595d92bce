"""Leaflet Markdown to sections of blocks, with translation hooks.

Python-Markdown parses the text; our tree processors (``markdown_tree.py``)
record the segments translators see and split the tree into ``##`` sections of
blocks. What the text may not contain is refused by ``markup_rules.py``, naming
the line, and every HTML fragment is sanitised (``html_sanitise.py``) as a
second line of defence. Right-to-left pages keep doses whole with
``bidi_isolation.py``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import markdown
from markdown.serializers import to_html_string

from ..errors import Problem
from .bidi_isolation import isolate_ltr_runs
from .html_sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, inner_html, sanitise_html
from .markdown_limits import check_markdown_limits
from .markdown_tree import RawBlock, SectionProcessor, SegmentProcessor
from .markup_rules import (
    Locator,
    check_characters,
    check_element,
    check_raw_html,
    check_section_id,
    check_unique_ids,
    normalise_space,
    unsafe_character,
)
from .sections import CALLOUT_KINDS, Block, ParsedText, Section, Segment, Translate

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "CALLOUT_KINDS",
    "Block",
    "ParsedText",
    "Section",
    "Segment",
    "Translate",
    "isolate_ltr_runs",
    "normalise_space",
    "parse_markdown",
    "sanitise_html",
    "unsafe_character",
]

EXTENSIONS = ["admonition", "attr_list", "sane_lists"]


def parse_markdown(source: str, label: str, translate: Translate | None = None, first_line: int = 1) -> ParsedText:
    """Parse leaflet Markdown into sections; problems are collected, not raised."""
    parsed = ParsedText(problems=check_markdown_limits(source, label, first_line))
    if parsed.problems:  # too big or too deep to parse safely: say so before trying
        return parsed
    check_characters(source, label, first_line, parsed.problems)
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    md.treeprocessors.register(SegmentProcessor(md, translate, parsed, label), "leaflet_segments", 30)
    sections = SectionProcessor(md)
    md.treeprocessors.register(sections, "leaflet_sections", -10)
    md.convert(source)
    lines = Locator(source, first_line)
    check_raw_html(md.htmlStash.rawHtmlBlocks, lines, label, parsed)
    heading_lines = lines.heading_lines()
    starts_with_text = bool(sections.raw_sections) and sections.raw_sections[0][0] is None
    for index, (heading, raw_blocks) in enumerate(sections.raw_sections):
        line = _heading_line(heading, index - starts_with_text, heading_lines, lines) or first_line
        section = _build_section(md, heading, raw_blocks, label, line, lines, parsed.problems)
        if section is not None:
            parsed.sections.append(section)
    check_unique_ids(parsed, label)
    return parsed


def _heading_line(heading: Element | None, position: int, heading_lines: list[int], lines: Locator) -> int | None:
    """The source line of the ``position``-th heading; None for text before the first."""
    if heading is None:
        return None
    if position < len(heading_lines):
        return heading_lines[position]
    return lines.find("".join(heading.itertext()))


def _build_section(md, heading, raw_blocks: list[RawBlock], label, line, lines, problems) -> Section | None:
    if heading is None:
        problems.append(Problem(label, "text before the first '## ' heading; start each section with a heading", line))
        return None
    section_id = heading.get("id", "")
    check_section_id(section_id, label, line, problems)
    blocks = []
    for kind, title, elements in raw_blocks:
        for element in elements:
            check_element(element, label, lines, problems)
        if kind in ("html", *CALLOUT_KINDS):
            blocks.append(Block(kind, _serialise(md, elements), inner_html(_postprocessed(md, title))))
        else:
            message = f"unknown callout type '{kind}'; use one of {', '.join(CALLOUT_KINDS)}"
            problems.append(Problem(label, message, lines.find(f"!!! {kind}") or line))
    heading_html = inner_html(_postprocessed(md, to_html_string(heading)))
    return Section(section_id, heading_html, tuple(blocks), line)


def _postprocessed(md, html: str) -> str:
    for processor in md.postprocessors:
        html = processor.run(html)
    return html


def _serialise(md, elements: list[Element]) -> str:
    html = "\n".join(to_html_string(element) for element in elements)
    return sanitise_html(_postprocessed(md, html))
