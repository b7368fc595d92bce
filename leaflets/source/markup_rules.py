"""What leaflet Markdown may not contain, each refusal naming its source line.

Raw HTML, images, italics, tables and non-https links are refused: the templates
render only what they can make accessible. Control characters and bidirectional
overrides are refused in the text and its translations: they can make a leaflet
show something other than what its source says.
"""

from __future__ import annotations

import re
import unicodedata
from xml.etree.ElementTree import Element

from ..errors import Problem
from .fields import BIDI_EMBEDDINGS, ID_RE, control_character
from .hidden_characters import hidden_in_number
from .sections import ParsedText

REFUSED_TAGS = {
    "img": "images are not supported in leaflet text",
    "em": "use **bold** for emphasis, not italics",
    "code": "code formatting is not supported in leaflet text",
    "pre": "indented code blocks are not supported; check the indentation",
    "table": "tables are not supported in leaflet text",
    "blockquote": "quotes ('>') are not supported in leaflet text",
    "hr": "horizontal rules are not supported in leaflet text",
    "h1": "use '## ' for section headings; the title comes from leaflet.yaml",
    "h5": "use at most '#### ' headings",
    "h6": "use at most '#### ' headings",
}
LINK_PREFIXES = ("https://", "mailto:", "tel:")


def normalise_space(text: str) -> str:
    return " ".join(text.split())


class Locator:
    """Finds source lines for messages about parsed elements."""

    def __init__(self, source: str, first_line: int):
        self.lines = source.splitlines()
        self.first_line = first_line

    def find(self, needle: str) -> int | None:
        needle = needle.strip()[:30]
        if not needle:
            return None
        for number, text in enumerate(self.lines):
            if needle in text:
                return number + self.first_line
        return None

    def heading_lines(self) -> list[int]:
        """Lines of '## ' headings, and of text underlined with '---' (Markdown makes that a heading too)."""
        found = []
        for number, text in enumerate(self.lines):
            if re.match(r"^##(?!#)", text):
                found.append(number)
            elif number and re.match(r"^-+ *$", text) and re.match(r"^(?!#)\s*\S", self.lines[number - 1]):
                found.append(number - 1)
        return [number + self.first_line for number in found]


def unsafe_character(text: str) -> str | None:
    """Why ``text`` cannot be shown as written, or None.

    An invisible control character, a bidi override or an invisible character inside a number.
    """
    char = control_character(text, allowed="\t\r", allow_isolates=True)  # tab and line endings are fine
    if char is None:
        return hidden_in_number(text)
    if char not in BIDI_EMBEDDINGS:
        return f"control character U+{ord(char):04X} is not allowed; remove it"
    return (
        f"bidirectional override U+{ord(char):04X} ({unicodedata.name(char)}) can make the text display "
        "differently from what it says; remove it"
    )


def check_characters(source: str, label: str, first_line: int, problems: list[Problem]) -> None:
    for number, line in enumerate(source.split("\n"), start=first_line):
        reason = unsafe_character(line)
        if reason:
            problems.append(Problem(label, reason, number))


def check_section_id(section_id: str, label: str, line: int, problems: list[Problem]) -> None:
    if not ID_RE.match(section_id):
        found = f"'{section_id}'" if section_id else "none"
        problems.append(
            Problem(
                label,
                f"section heading needs a stable id such as '## Side effects {{#side-effects}}' "
                f"(lowercase letters, digits, hyphens); found {found}",
                line,
            )
        )


def check_element(element: Element, label: str, lines: Locator, problems: list[Problem]) -> None:
    for node in element.iter():
        reason = REFUSED_TAGS.get(node.tag)
        if reason:
            problems.append(Problem(label, reason, lines.find(node.text or node.get("src") or "")))
        href = node.get("href") if node.tag == "a" else None
        if href is not None and not href.startswith(LINK_PREFIXES):
            problems.append(
                Problem(label, f"link '{href}' must start with https://, mailto: or tel:", lines.find(href))
            )


def check_raw_html(raw_blocks, lines: Locator, label: str, parsed: ParsedText) -> None:
    for raw in raw_blocks:
        raw = str(raw)
        if "<" in raw:
            snippet = normalise_space(raw)[:40]
            parsed.problems.append(
                Problem(label, f"raw HTML is not allowed ('{snippet}'); write plain Markdown", lines.find(raw[:20]))
            )


def check_unique_ids(parsed: ParsedText, label: str) -> None:
    seen: dict[str, int] = {}
    for section in parsed.sections:
        if section.section_id in seen:
            parsed.problems.append(
                Problem(
                    label,
                    f"section id '{section.section_id}' is used twice (also line {seen[section.section_id]})",
                    section.line,
                )
            )
        seen.setdefault(section.section_id, section.line)
