"""How easy the English text of each leaflet is to read.

Two standard measures, for the whole leaflet and for each ``##`` section: the
Flesch-Kincaid grade (a US school grade; lower is easier) and Flesch reading ease
(0 to 100; higher is easier), computed from their published formulas as textstat
0.7.13 computes them (``flesch.py``), with syllables from the CMU Pronouncing
Dictionary and Pyphen (``syllables.py``). Targets for patient information: grade
at most 7 and ease at least 60. A leaflet or a section that misses either target
is a *warning*, so ``check --strict`` fails.

The text is what a reader sees: tags are stripped from each section's HTML and
every heading, callout title, paragraph and list item counts as a sentence of
its own (a full stop is added where it does not end with ``.``, ``!`` or ``?``),
so a bullet list does not run together into one endless sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..errors import Problem
from ..source.content import SOURCE_LANGUAGE, Leaflet
from ..source.markup import Section
from .flesch import flesch_kincaid_grade, flesch_reading_ease, word_count
from .syllables import add_pronunciations

MAX_GRADE = 7.0
MIN_EASE = 60.0
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4"}
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
SHOWN_SENTENCE_LENGTH = 70
LONGEST_LISTED = 3


@dataclass(frozen=True)
class Score:
    """Readability of some text: its grade, its ease and its sentences, longest first."""

    label: str  # "whole leaflet" or a section id
    grade: float
    ease: float
    longest: tuple[str, ...]
    line: int | None = None

    @property
    def meets_targets(self) -> bool:
        return self.grade <= MAX_GRADE and self.ease >= MIN_EASE


@dataclass(frozen=True)
class ReadabilityReport:
    """One leaflet's English text, whole and section by section."""

    leaflet_id: str
    path: str
    whole: Score
    sections: tuple[Score, ...]

    @property
    def problems(self) -> list[Problem]:
        """A warning for the whole text and for every section that misses a target."""
        return [
            Problem(self.path, _advice(score), score.line, score.label, "warning")
            for score in (self.whole, *self.sections)
            if not score.meets_targets
        ]


class _BlockText(HTMLParser):
    """Collects the text of each paragraph, list item and heading as its own block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag in ("ul", "ol"):
            self._close()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._close()

    def handle_data(self, data):
        self.current.append(data)

    def close(self):
        super().close()
        self._close()

    def _close(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def plain_blocks(html: str) -> list[str]:
    """The text of each block in an HTML fragment, tags stripped and whitespace collapsed."""
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return parser.blocks


def as_sentence(block: str) -> str:
    """A block ends a sentence: add a full stop unless it ends with one (or '!' or '?')."""
    return block if block.endswith((".", "!", "?")) else block + "."


def section_blocks(section: Section) -> list[str]:
    """The heading, then every callout title, paragraph and list item of a section."""
    html = [f"<h2>{section.heading}</h2>"]
    for block in section.blocks:
        if block.title:
            html.append(f"<h3>{block.title}</h3>")
        html.append(str(block.html))
    return plain_blocks("\n".join(html))


def score_text(label: str, blocks: list[str], line: int | None = None) -> Score:
    """Score blocks of plain text (each one or more sentences)."""
    text = " ".join(as_sentence(block) for block in blocks)
    sentences = [sentence for block in blocks for sentence in SENTENCE_END_RE.split(block)]
    longest = sorted(sentences, key=lambda sentence: -word_count(sentence))
    return Score(label, flesch_kincaid_grade(text), flesch_reading_ease(text), tuple(longest), line)


def assess_leaflet(leaflet: Leaflet) -> ReadabilityReport:
    """Score a leaflet's English text, whole and per section."""
    add_pronunciations(leaflet.folder.parent.parent)  # content/leaflets/<id> -> content
    sections = leaflet.texts[SOURCE_LANGUAGE].sections
    blocks = {section.section_id: section_blocks(section) for section in sections}
    whole = score_text("whole leaflet", [block for found in blocks.values() for block in found])
    scores = tuple(score_text(section.section_id, blocks[section.section_id], section.line) for section in sections)
    return ReadabilityReport(leaflet.leaflet_id, leaflet.source_label, whole, scores)


def format_report(report: ReadabilityReport) -> str:
    """A table a person can read: one row per section, with its longest sentence."""
    width = max(len(score.label) for score in (report.whole, *report.sections))
    lines = [
        f"Readability of {report.path} (targets: grade <= {MAX_GRADE:g}, ease >= {MIN_EASE:g})",
        f"  {'section':<{width}}  grade   ease  longest sentence",
    ]
    for score in (*report.sections, report.whole):
        mark = "" if score.meets_targets else "  <- misses a target"
        lines.append(
            f"  {score.label:<{width}}  {score.grade:5.1f}  {score.ease:5.1f}  "
            f"{_sentence_excerpt(score.longest[0])}{mark}"
        )
    lines.append("  longest sentences:")
    lines += [f"    {_sentence_excerpt(sentence, full=True)}" for sentence in report.whole.longest[:LONGEST_LISTED]]
    return "\n".join(lines)


def _advice(score: Score) -> str:
    words = word_count(score.longest[0])
    return (
        f"reading grade {score.grade:.1f} (target at most {MAX_GRADE:g}), reading ease {score.ease:.1f} "
        f"(target at least {MIN_EASE:g}); use shorter sentences and shorter words. "
        f"Longest sentence ({words} words): '{score.longest[0]}'"
    )


def _sentence_excerpt(sentence: str, full: bool = False) -> str:
    words = word_count(sentence)
    short = full or len(sentence) <= SHOWN_SENTENCE_LENGTH
    text = sentence if short else sentence[: SHOWN_SENTENCE_LENGTH - 1] + "…"
    return f"({words} words) {text}"
