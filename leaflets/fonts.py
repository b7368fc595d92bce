"""Font coverage: every character a page shows must be in a configured font.

Fonts are found through fontconfig (``fc-match``) and their character maps
read with fontTools, once per process. A page with a character no configured
font has is refused before rendering: no fallback fonts, no tofu boxes.
"""

from __future__ import annotations

import subprocess
import unicodedata
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from fontTools.ttLib import TTFont

from .errors import BuildError, Problem

IGNORED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"}


@cache
def font_file(family: str) -> Path | None:
    """The file fontconfig uses for a family, or None when it is not installed."""
    result = subprocess.run(
        ["fc-match", "--format=%{family}\n%{file}", f"{family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2:
        return None
    families = {name.strip().lower() for name in lines[0].split(",")}
    return Path(lines[1]) if family.lower() in families else None


@cache
def characters_in(family: str) -> frozenset[int]:
    path = font_file(family)
    if path is None:
        return frozenset()
    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


class _VisibleText(HTMLParser):
    """Text that is drawn on the page (not head, style or SVG titles)."""

    SKIP = {"head", "style", "script", "title"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP and self.depth > 0

    def handle_data(self, data):
        if not self.depth:
            self.chars.update(data)


def check_coverage(html: str, lang: str, families: tuple[str, ...], label: str) -> None:
    """Raise BuildError naming each character no configured font can draw."""
    missing_fonts = [family for family in families if font_file(family) is None]
    if missing_fonts:
        problem = (
            f"font(s) not installed: {', '.join(missing_fonts)}; install them or change fonts in content/site.yaml"
        )
        raise BuildError([Problem(label, problem)])
    parser = _VisibleText()
    parser.feed(html)
    covered = frozenset().union(*(characters_in(family) for family in families))
    missing = sorted(ch for ch in parser.chars if ord(ch) not in covered and not _invisible(ch))
    if missing:
        problems = [
            Problem(
                label,
                f"character '{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}) in language '{lang}' "
                f"is in none of the fonts tried: {', '.join(families)}; add a font that has it in content/site.yaml",
            )
            for ch in missing[:10]
        ]
        raise BuildError(problems)


def forget_fonts() -> None:
    """Drop what this process has learned about installed fonts."""
    font_file.cache_clear()
    characters_in.cache_clear()


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in IGNORED or unicodedata.category(ch) in {"Cc", "Cf"}
