"""Font coverage: every character a page shows must be in a configured font.

Fonts are found through fontconfig (``fc-match``) and their character maps
read with fontTools, once per process. A page with a character no configured
font has is refused before rendering: no fallback fonts, no tofu boxes.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from fontTools.ttLib import TTFont

from ..errors import BuildError, Problem

IGNORED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"}


@cache
def font_file(family: str, style: str = "Regular") -> Path | None:
    """The file fontconfig uses for a family (in a style), or None when it is not installed."""
    result = subprocess.run(
        ["fc-match", "--format=%{family}\n%{file}", f"{family}:style={style}"],
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
    """Text that is drawn on the page (not head, style or SVG titles), by the language of its element."""

    SKIP = {"head", "style", "script", "title"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, lang: str):
        super().__init__()
        self.depth = 0
        self.langs = [lang]
        self.chars: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang") or self.langs[-1])

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP and self.depth > 0
        if tag not in self.VOID and len(self.langs) > 1:
            self.langs.pop()

    def handle_data(self, data):
        if not self.depth:
            self.chars.setdefault(self.langs[-1], set()).update(data)


# The Debian package with a Noto font for each script (by the start of the Unicode character name).
FONT_PACKAGES = {
    ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC", "FULLWIDTH"): "fonts-noto-cjk",
    ("ARABIC", "HEBREW", "DEVANAGARI", "BENGALI", "TAMIL", "THAI", "ETHIOPIC", "ARMENIAN", "GEORGIAN",
     "GUJARATI", "GURMUKHI", "KANNADA", "MALAYALAM", "TELUGU", "SINHALA", "KHMER", "LAO", "MYANMAR"): "fonts-noto-core",
}  # fmt: skip


def font_package(ch: str) -> str:
    """The Debian package that has a font for a character's script, or ''."""
    name = unicodedata.name(ch, "")
    return next((package for prefixes, package in FONT_PACKAGES.items() if name.startswith(prefixes)), "")


def coverage_problems(
    html: str, lang: str, families: tuple[str, ...], label: str, font_stack: Callable[[str], tuple] | None = None
) -> list[Problem]:
    """One problem per font not installed, or per character (at most 10) no configured font can draw.

    Text inside an element with another ``lang`` (a language's own name in the switcher) is drawn
    with that language's fonts, ``font_stack(tag)``.
    """
    parser = _VisibleText(lang)
    parser.feed(html)
    stacks = {tag: families if tag == lang or font_stack is None else font_stack(tag) for tag in parser.chars}
    missing_fonts = sorted({family for stack in stacks.values() for family in stack if font_file(family) is None})
    if missing_fonts:
        problem = (
            f"font(s) not installed: {', '.join(missing_fonts)}; install them or change fonts in content/site.yaml"
        )
        return [Problem(label, problem)]
    problems = []
    for tag, chars in parser.chars.items():
        covered = frozenset().union(*(characters_in(family) for family in stacks[tag]))
        missing = sorted(ch for ch in chars if ord(ch) not in covered and not _invisible(ch))
        problems += [
            Problem(
                label,
                f"character '{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}) in language '{tag}' "
                f"is in none of the fonts tried: {', '.join(stacks[tag])}; {_remedy(ch)}",
            )
            for ch in missing
        ]
    return problems[:10]


def drawable(text: str, families: tuple[str, ...]) -> bool:
    """Whether the fonts ``families`` can draw every visible character of ``text``."""
    covered = frozenset().union(*(characters_in(family) for family in families))
    return all(ord(ch) in covered or _invisible(ch) for ch in text)


def _remedy(ch: str) -> str:
    package = font_package(ch)
    install = f"install the Debian package {package} and " if package else ""
    return f"{install}add a font that has it in content/site.yaml"


def check_coverage(
    html: str, lang: str, families: tuple[str, ...], label: str, font_stack: Callable[[str], tuple] | None = None
) -> None:
    """Raise BuildError naming each character no configured font can draw."""
    problems = coverage_problems(html, lang, families, label, font_stack)
    if problems:
        raise BuildError(problems)


def forget_fonts() -> None:
    """Drop what this process has learned about installed fonts."""
    font_file.cache_clear()
    characters_in.cache_clear()


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in IGNORED or unicodedata.category(ch) in {"Cc", "Cf"}
