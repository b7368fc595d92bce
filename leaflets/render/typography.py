"""Typography applied to every rendered page: a number never parts from its unit.

A no-break space (U+00A0) replaces the space between a number and the unit
after it ("20 mg", "100 مغم", "245 kB"), in every language and inside bidi
isolates, so a line break can no longer fall between them ("(100 / mg)").
Units are the SI symbols below plus the page language's own short unit names
from CLDR (Babel), the same ones the dose wording uses. Only text is changed:
tags, attributes, styles and scripts are left alone.
"""

from __future__ import annotations

import re
from functools import cache

from babel.units import format_unit

from ..source.languages import format_locale

NO_BREAK_SPACE = "\u00a0"
UNITS = ("mg", "mcg", "µg", "g", "kg", "ml", "mL", "l", "mm", "cm", "km", "kB", "MB", "GB", "%", "°C", "pt")
CLDR_UNITS = (
    "mass-milligram",
    "mass-microgram",
    "mass-gram",
    "volume-milliliter",
    "length-millimeter",
    "digital-kilobyte",
    "digital-megabyte",
)
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
RAW_TEXT_TAGS = re.compile(r"<(/?)(style|script)\b", re.IGNORECASE)


@cache
def unit_symbols(lang: str) -> tuple[str, ...]:
    """The SI symbols and the language's CLDR short unit names that follow a number ("مغم")."""
    symbols = set(UNITS)
    for unit in CLDR_UNITS:
        text = format_unit(7, unit, length="short", locale=format_locale(lang))
        before, _, after = text.partition("7")
        if after.strip() and not before.strip():
            symbols.add(after.strip(" \u00a0\u202f"))
    return tuple(sorted(symbols, key=len, reverse=True))


@cache
def _number_then_unit(lang: str) -> re.Pattern:
    units = "|".join(map(re.escape, unit_symbols(lang)))
    return re.compile(r"(?<=\d)[ \u202f]+(?=(?:" + units + r")(?!\w))")


def bind_numbers_to_units(text: str, lang: str = "en") -> str:
    """Plain text with a no-break space between each number and its unit."""
    return _number_then_unit(lang).sub(NO_BREAK_SPACE, text)


def bind_units_in_html(html: str, lang: str = "en") -> str:
    """The same for every text node of an HTML document (not inside style or script)."""
    parts = TAG_OR_TEXT.split(html)
    raw = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = RAW_TEXT_TAGS.match(part)
            if match:
                raw = not match.group(1)
        elif not raw:
            parts[index] = bind_numbers_to_units(part, lang)
    return "".join(parts)
