"""Load and validate the content tree: every leaflet, every language.

Everything is read and checked before anything is written. Problems are
collected across all files and raised together as one :class:`ContentError`;
warnings are returned (or raised too, under ``strict``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ContentError, Problem
from .content_files import content_file_problems
from .fields import check_text, found, has_errors, is_id, raise_problems, read_fields
from .markdown_limits import MAX_MARKDOWN_BYTES
from .markup import Section, Translate, parse_markdown
from .medicine import MedicineProfile
from .medicine_block import read_medicine
from .metadata import LeafletMeta, build_meta
from .translation_state import LanguageState, TemplateStrings
from .yaml_source import LineDict, load_yaml_file, parse_yaml, read_text

SOURCE_LANGUAGE = "en"
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)
FRONT_MATTER_FIELDS = {"title": (False, check_text), "summary": (False, check_text)}
# leaflet.yaml keys read here rather than by metadata: what personalised copies show.
PERSONAL_KEYS = ("medicine", "alert_card", "contact_section")
MAX_CARD_LINES = 4


@dataclass(frozen=True)
class AlertCardContent:
    """The alert card's own words, from leaflet.yaml (translated in the leaflet's catalog)."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LeafletText:
    """A leaflet's text in one language, ready for the templates."""

    lang: str
    title: str
    summary: str
    sections: tuple[Section, ...]
    feedback_contact: str = ""
    medicine_name: str = ""
    alert_card: AlertCardContent | None = None
    how_to_take: str = ""  # the medicine block's own sentence, translated as safety text


@dataclass
class Leaflet:
    leaflet_id: str
    meta: LeafletMeta
    folder: Path
    source_markdown: str
    source_label: str
    texts: dict[str, LeafletText] = field(default_factory=dict)  # publishable languages only
    medicine: MedicineProfile | None = None  # None: a general leaflet, which takes no regimen
    alert_card: AlertCardContent | None = None  # None: personalised copies print no alert card
    contact_section: str = ""  # the section the clinic card follows; "" puts it after the last
    languages: dict[str, LanguageState] = field(default_factory=dict)  # what the build knows of each translation

    @property
    def source_path(self) -> Path:
        return self.folder / f"{SOURCE_LANGUAGE}.md"


@dataclass
class ContentTree:
    content_dir: Path
    leaflets: list[Leaflet]
    warnings: list[Problem]
    translators: dict[str, TemplateStrings] = field(default_factory=dict)  # lang -> the templates' strings


def read_content(
    content_dir: Path, *, today: date | None = None, strict: bool = False
) -> tuple[ContentTree, list[Problem]]:
    """Read every leaflet under ``content_dir/leaflets`` in English; the tree and every problem found."""
    today = today or date.today()
    leaflets_dir = content_dir / "leaflets"
    if not leaflets_dir.is_dir():
        raise ContentError([Problem(str(content_dir), "no 'leaflets' folder here; is --content right?")])
    raise_problems(content_file_problems(content_dir), strict)  # before reading anything through a link
    leaflets, problems = [], []
    for folder in sorted(p for p in leaflets_dir.iterdir() if p.is_dir()):
        leaflet, found = load_leaflet(folder, today)
        problems.extend(found)
        if leaflet is not None:
            leaflets.append(leaflet)
    if not leaflets and not problems:
        problems.append(Problem(str(leaflets_dir), "no leaflets found; add <leaflet-id>/leaflet.yaml and en.md"))
    return ContentTree(content_dir, leaflets, []), problems


def keep_warnings(tree: ContentTree, problems: list[Problem], strict: bool) -> ContentTree:
    """Raise every error (every warning too, under strict); the tree keeps the rest as its warnings."""
    raise_problems(problems, strict)
    tree.warnings = [p for p in problems if p.severity != "error"]
    return tree


def load_leaflet(folder: Path, today: date) -> tuple[Leaflet | None, list[Problem]]:
    """Load one leaflet folder: metadata plus the English source text."""
    if not is_id(folder.name):
        return None, [Problem(str(folder), "leaflet folder names use lowercase letters, digits and hyphens")]
    problems: list[Problem] = []
    meta_label = str(folder / "leaflet.yaml")
    meta, english, personal = None, None, {}
    try:
        data = load_yaml_file(folder / "leaflet.yaml", meta_label)
        personal, found = read_personal(data, meta_label)
        problems.extend(found)
        meta, found = build_meta(data, meta_label, today)
        problems.extend(found)
    except ContentError as exc:
        problems.extend(exc.problems)
    try:
        english = load_text(folder / f"{SOURCE_LANGUAGE}.md", SOURCE_LANGUAGE)
    except ContentError as exc:
        problems.extend(exc.problems)
    if meta is None or english is None:
        return None, problems
    text, source = english
    problems.extend(_check_safety_sections(meta, text, meta_label))
    problems.extend(
        _check_contact_section(personal.get("contact_section", ""), text, meta_label, data.line_of("contact_section"))
    )
    leaflet = Leaflet(folder.name, meta, folder, source, str(folder / f"{SOURCE_LANGUAGE}.md"), **personal)
    leaflet.texts[SOURCE_LANGUAGE] = _with_defaults(text, meta, leaflet)
    return leaflet, problems


def read_personal(data, label: str) -> tuple[dict, list[Problem]]:
    """Take the medicine, alert card and contact section out of leaflet.yaml and check them."""
    if not isinstance(data, LineDict):
        return {}, []  # build_meta reports it
    lines = {key: data.line_of(key) for key in PERSONAL_KEYS}
    raw = {key: data.pop(key) for key in PERSONAL_KEYS if key in data}
    values, problems = {}, []
    if "medicine" in raw:
        values["medicine"], found = read_medicine(raw["medicine"], label, lines["medicine"])
        problems.extend(found)
    checks = {"alert_card": _alert_card, "contact_section": _section_id}
    for key, check in checks.items():
        if key in raw:
            try:
                values[key] = check(raw[key])
            except ValueError as exc:
                problems.append(Problem(label, str(exc), lines[key], key))
    return values, problems


def _alert_card(value) -> AlertCardContent:
    if not isinstance(value, LineDict) or set(value) != {"title", "lines"} or not isinstance(value["lines"], list):
        raise ValueError("expected 'title' (text) and 'lines' (a list of short sentences)")
    if not 1 <= len(value["lines"]) <= MAX_CARD_LINES:
        raise ValueError(f"expected 1 to {MAX_CARD_LINES} lines, got {len(value['lines'])}")
    return AlertCardContent(check_text(value["title"], 120), tuple(check_text(line, 160) for line in value["lines"]))


def _section_id(value) -> str:
    if not is_id(value):
        raise ValueError(f"expected a section id such as contact, got {found(value)}")
    return value


def _check_contact_section(section_id: str, text: LeafletText, label: str, line: int) -> list[Problem]:
    if not section_id or section_id in {s.section_id for s in text.sections}:
        return []
    return [Problem(label, f"'{section_id}' is not a section id in the English text", line, "contact_section")]


def load_text(
    path: Path, lang: str, translate: Translate | None = None, label: str | None = None
) -> tuple[LeafletText, str]:
    """Read a Markdown file with optional front matter into a LeafletText.

    With ``translate``, problems in translated text are reported against ``label`` (the PO file).
    """
    source = read_text(path, str(path), MAX_MARKDOWN_BYTES).replace("\r\n", "\n").replace("\r", "\n")  # any line ends
    body, front, first_line = split_front_matter(source, str(path))
    parsed = parse_markdown(body, label or str(path), translate, first_line)
    if parsed.problems:
        raise ContentError(parsed.problems)
    if not parsed.sections:
        raise ContentError(
            [Problem(label or str(path), "no sections found; start each section with '## Heading {#id}'")]
        )
    text = LeafletText(lang, front.get("title", ""), front.get("summary", ""), tuple(parsed.sections))
    return text, source


def split_front_matter(source: str, label: str) -> tuple[str, dict, int]:
    """Return (body, front-matter values, first body line)."""
    match = FRONT_MATTER_RE.match(source)
    if not match:
        if source.startswith("---"):
            raise ContentError([Problem(label, "front matter starts with '---' but has no closing '---' line", 1)])
        return source, {}, 1
    # A leading newline keeps YAML line numbers equal to file line numbers.
    data = parse_yaml("\n" + (match.group(1) or "{}"), label) or LineDict()
    values, problems = read_fields(data, label, FRONT_MATTER_FIELDS)
    if has_errors(problems):
        raise ContentError(problems)
    first_line = source[: match.end()].count("\n") + 1
    return source[match.end() :], values, first_line


def _check_safety_sections(meta: LeafletMeta, text: LeafletText, label: str) -> list[Problem]:
    known = {s.section_id for s in text.sections}
    return [
        Problem(label, f"'{sid}' is not a section id in the English text", None, "safety_sections")
        for sid in meta.safety_sections
        if sid not in known
    ]


def _with_defaults(text: LeafletText, meta: LeafletMeta, leaflet: Leaflet) -> LeafletText:
    return LeafletText(
        text.lang,
        text.title or meta.title,
        text.summary or meta.summary,
        text.sections,
        meta.feedback_contact,
        leaflet.medicine.name if leaflet.medicine else "",
        leaflet.alert_card,
        leaflet.medicine.how_to_take if leaflet.medicine else "",
    )
