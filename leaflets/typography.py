"""Typography applied to every rendered page: a number never parts from its unit.

A no-break space (U+00A0) replaces the space between a number and the unit
after it ("50 mg", "245 kB"), in every language and inside bidi isolates, so a
line break can no longer fall between them ("(100 / mg)"). Only text is
changed: tags, attributes, styles and scripts are left alone.
"""

from __future__ import annotations

import re

NO_BREAK_SPACE = "\u00a0"
UNITS = ("mg", "mcg", "µg", "g", "kg", "ml", "mL", "l", "mm", "cm", "km", "kB", "MB", "GB", "%", "°C", "pt")
NUMBER_THEN_UNIT = re.compile(r"(?<=\d)[ \u202f]+(?=(?:" + "|".join(map(re.escape, UNITS)) + r")(?!\w))")
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
RAW_TEXT_TAGS = re.compile(r"<(/?)(style|script)\b", re.IGNORECASE)


def bind_numbers_to_units(text: str) -> str:
    """Plain text with a no-break space between each number and its unit."""
    return NUMBER_THEN_UNIT.sub(NO_BREAK_SPACE, text)


def bind_units_in_html(html: str) -> str:
    """The same for every text node of an HTML document (not inside style or script)."""
    parts = TAG_OR_TEXT.split(html)
    raw = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = RAW_TEXT_TAGS.match(part)
            if match:
                raw = not match.group(1)
        elif not raw:
            parts[index] = bind_numbers_to_units(part)
    return "".join(parts)
