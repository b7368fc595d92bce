"""Invisible characters inside numbers.

A zero-width space, soft hyphen, word joiner or other format character (or a
combining mark) between two digits is invisible on the page: "1\u200b50 mg"
reads as 150 mg, while a search, a reviewer's diff and the translation number
check see 1 and 50. Such a character is refused in leaflet text, metadata,
translations and clinic profiles. Next to a number but outside it (a
right-to-left mark before "150 mg" in Arabic) it is fine.
"""

from __future__ import annotations

import unicodedata

# Format, combining (non-spacing and enclosing), private-use and unassigned characters draw nothing of their own.
HIDDEN_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Co", "Cn"})
# What may join the digits of one number: "1,500", "1.5", "9:00", "2-3". A space is a visible gap: after it, a
# right-to-left mark before a number ("step 2. \u200f150 mg") is outside the number.
SEPARATORS = frozenset(".,:/'-\u2019\u2013")
MAX_GAP = 3


def hidden_in_number(text: str) -> str | None:
    """Why ``text`` hides a character inside a number, or None."""
    if text.isascii():
        return None
    for index, char in enumerate(text):
        if _is_hidden(char) and _digit_beside(text, index, -1) and _digit_beside(text, index, 1):
            name = unicodedata.name(char, "unnamed")
            return f"invisible character U+{ord(char):04X} ({name}) inside a number; remove it"
    return None


def _is_hidden(char: str) -> bool:
    return not char.isascii() and unicodedata.category(char) in HIDDEN_CATEGORIES


def _digit_beside(text: str, index: int, step: int) -> bool:
    """Whether the nearest visible character before (step -1) or after (+1) ``index`` is a digit."""
    position = index + step
    while 0 <= position < len(text) and abs(position - index) <= MAX_GAP:
        char = text[position]
        if char.isdigit():
            return True
        if not (char in SEPARATORS or _is_hidden(char)):
            return False
        position += step
    return False
