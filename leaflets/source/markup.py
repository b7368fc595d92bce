"""Leaflet Markdown to sections of blocks, with translation hooks.

Python-Markdown parses the text. Two tree processors do our part:

- before inline processing, every text block (heading, paragraph, list item,
  callout title) is a *segment*: it is recorded for translators and may be
  replaced by its translation, still as Markdown;
- after it, the tree is split into ``##`` sections and each section into
  blocks: plain HTML, or a callout (``!!! warning "Title"``) that a template
  component renders.

Raw HTML, images, italics and non-https links are refused, and every HTML
fragment is sanitised with nh3 as a second line of defence. Control characters
and bidirectional overrides are refused in the text and its translations: they
can make a leaflet show something other than what its source says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..errors import Problem
from .hidden_characters import hidden_in_number
from .markdown_limits import check_markdown_limits, inline_problem

CALLOUT_KINDS = ("warning", "important", "information", "do", "dont")
SEGMENT_TAGS = {"h2", "h3", "h4", "p", "li"}
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "h3", "h4", "a", "br"}
ALLOWED_ATTRIBUTES = {"h3": {"id", "lang"}, "h4": {"id", "lang"}, "a": {"href"}, "p": {"lang"}, "li": {"lang"}}
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
ATTR_LIST_RE = re.compile(r"\s*\{:?\s*#([^\s{}]+)\s*\}\s*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line endings are fine
BIDI_OVERRIDE_RE = re.compile("[\u202a-\u202e]")  # embeddings and overrides; isolates are fine

Translate = Callable[[str, str], "str | None"]  # None: no current translation, keep English


@dataclass(frozen=True)
class Segment:
    """One translatable unit: its section and its Markdown source text."""

    section_id: str
    text: str


@dataclass(frozen=True)
class Block:
    """A piece of a section: plain HTML, or a callout with a title."""

    kind: str  # "html" or one of CALLOUT_KINDS
    html: Markup  # sanitised
    title: Markup = Markup("")


@dataclass(frozen=True)
class Section:
    section_id: str
    heading: Markup  # sanitised inline HTML
    blocks: tuple[Block, ...]
    line: int


@dataclass
class ParsedText:
    sections: list[Section] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


class _SegmentProcessor(Treeprocessor):
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
                translated = self.translate(section_id, text)
                too_big = inline_problem(translated or "")
                if too_big:
                    self.parsed.problems.append(Problem(self.label, f"translation of '{text[:40]}': {too_big}"))
                    translated = None
                if translated is None:
                    element.set("lang", "en")  # shown in English, and marked as such
                else:
                    element.text = translated + suffix
                    reason = unsafe_character(translated)
                    if reason:
                        self.parsed.problems.append(Problem(self.label, f"translation of '{text[:40]}': {reason}"))


def unsafe_character(text: str) -> str | None:
    """Why ``text`` cannot be shown as written, or None.

    An invisible control character, a bidi override or an invisible character inside a number.
    """
    match = CONTROL_RE.search(text)
    if match:
        return f"control character U+{ord(match.group()):04X} is not allowed; remove it"
    match = BIDI_OVERRIDE_RE.search(text)
    if match:
        char = match.group()
        return (
            f"bidirectional override U+{ord(char):04X} ({unicodedata.name(char)}) can make the text display "
            "differently from what it says; remove it"
        )
    return hidden_in_number(text)


def _check_characters(source: str, label: str, first_line: int, problems: list[Problem]) -> None:
    for number, line in enumerate(source.split("\n"), start=first_line):
        reason = unsafe_character(line)
        if reason:
            problems.append(Problem(label, reason, number))


def _split_attr_list(text: str) -> tuple[str, str]:
    match = ATTR_LIST_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()], " " + match.group(0).strip()


def _id_in(suffix: str) -> str:
    match = ATTR_LIST_RE.search(suffix)
    return match.group(1) if match else ""


class _SectionProcessor(Treeprocessor):
    """Splits the finished tree into sections and blocks."""

    def __init__(self, md, parsed: ParsedText):
        super().__init__(md)
        self.parsed = parsed
        self.raw_sections: list[tuple[Element, list[tuple[str, str, list[Element]]]]] = []

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
    def _add_block(blocks, element: Element) -> None:
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


def parse_markdown(source: str, label: str, translate: Translate | None = None, first_line: int = 1) -> ParsedText:
    """Parse leaflet Markdown into sections; problems are collected, not raised."""
    parsed = ParsedText(problems=check_markdown_limits(source, label, first_line))
    if parsed.problems:  # too big or too deep to parse safely: say so before trying
        return parsed
    _check_characters(source, label, first_line, parsed.problems)
    md = markdown.Markdown(extensions=["admonition", "attr_list", "sane_lists"], output_format="html")
    md.treeprocessors.register(_SegmentProcessor(md, translate, parsed, label), "leaflet_segments", 30)
    sections = _SectionProcessor(md, parsed)
    md.treeprocessors.register(sections, "leaflet_sections", -10)
    md.convert(source)
    lines = _Locator(source, first_line)
    _check_raw_html(md, lines, label, parsed)
    heading_lines = lines.heading_lines()
    for index, (heading, raw_blocks) in enumerate(sections.raw_sections):
        line = first_line
        if heading is not None:
            position = index - (sections.raw_sections[0][0] is None)
            found = (
                heading_lines[position] if position < len(heading_lines) else lines.find("".join(heading.itertext()))
            )
            line = found or first_line
        section = _build_section(md, heading, raw_blocks, label, line, lines, parsed.problems)
        if section is not None:
            parsed.sections.append(section)
    _check_unique_ids(parsed, label)
    return parsed


def _build_section(md, heading, raw_blocks, label, line, lines, problems) -> Section | None:
    if heading is None:
        problems.append(Problem(label, "text before the first '## ' heading; start each section with a heading", line))
        return None
    section_id = heading.get("id", "")
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
    blocks = []
    for kind, title, elements in raw_blocks:
        for element in elements:
            _check_element(element, label, lines, problems)
        if kind not in ("html", *CALLOUT_KINDS):
            problems.append(
                Problem(
                    label,
                    f"unknown callout type '{kind}'; use one of {', '.join(CALLOUT_KINDS)}",
                    lines.find(f"!!! {kind}") or line,
                )
            )
            continue
        html = _serialise(md, elements)
        blocks.append(Block(kind, html, _inner(_serialise_raw(md, title))))
    heading_html = _inner(_serialise_raw(md, to_html_string(heading)))
    return Section(section_id, heading_html, tuple(blocks), line)


def _check_element(element: Element, label: str, lines: _Locator, problems: list[Problem]) -> None:
    for node in element.iter():
        reason = REFUSED_TAGS.get(node.tag)
        if reason:
            problems.append(Problem(label, reason, lines.find(node.text or node.get("src") or "")))
        href = node.get("href") if node.tag == "a" else None
        if href is not None and not href.startswith(("https://", "mailto:", "tel:")):
            problems.append(
                Problem(label, f"link '{href}' must start with https://, mailto: or tel:", lines.find(href))
            )


def _check_raw_html(md, lines: _Locator, label: str, parsed: ParsedText) -> None:
    for raw in md.htmlStash.rawHtmlBlocks:
        raw = str(raw)
        if "<" in raw:
            snippet = normalise_space(raw)[:40]
            parsed.problems.append(
                Problem(label, f"raw HTML is not allowed ('{snippet}'); write plain Markdown", lines.find(raw[:20]))
            )


def _check_unique_ids(parsed: ParsedText, label: str) -> None:
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


def _serialise_raw(md, html: str) -> str:
    for processor in md.postprocessors:
        html = processor.run(html)
    return html


def _serialise(md, elements: list[Element]) -> str:
    html = "\n".join(to_html_string(element) for element in elements)
    return sanitise_html(_serialise_raw(md, html))


def sanitise_html(html: str) -> Markup:
    """Keep only the tags and attributes a leaflet needs."""
    return Markup(  # noqa: S704 - the nh3 allowlist makes it safe
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"https", "mailto", "tel"},
            link_rel=None,
        )
    )


def _inner(html: str) -> Markup:
    """The content of a heading or title element; an English fallback keeps its lang="en"."""
    match = re.match(r"^\s*<(\w+)([^>]*)>(.*)</\1>\s*$", html, re.DOTALL)
    inner = match.group(3) if match else html
    if match and 'lang="en"' in match.group(2):
        inner = f'<span lang="en">{inner}</span>'
    return Markup(nh3.clean(inner, tags={"strong", "br", "span"}, attributes={"span": {"lang"}}))  # noqa: S704


class _Locator:
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


DOSE_RE = re.compile(r"(?<![\w<])(\d+(?:[.,]\d+)?\s?mg)\b")


def isolate_ltr_runs(html: Markup) -> Markup:
    """Wrap doses such as '20 mg' in <bdi dir="ltr"> so they read the same in right-to-left text."""
    return Markup(DOSE_RE.sub(r'<bdi dir="ltr">\1</bdi>', str(html)))  # noqa: S704 - adds only our own tag
