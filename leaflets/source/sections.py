"""What leaflet Markdown parses into: sections of blocks, and the segments translators see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..errors import Problem

CALLOUT_KINDS = ("warning", "important", "information", "do", "dont")

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
