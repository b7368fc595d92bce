"""Is a translation faithful to its English? Placeholders, format syntax, numbers and units.

- Format syntax: where a message is %-formatted (it has ``%(name)s``
  placeholders, or it is a plural), every ``%`` in each translation must start
  a placeholder or be ``%%``. A bare ``%`` is an error with the msgstr's line:
  it would fail at render time.
- Placeholders: a translation keeps exactly the English placeholders.
- Numbers: the sequence of numbers, each with its unit (mg, g, ml, % ... in
  English or in the language's CLDR names, "150 мг" = "150 mg"), must be the
  English sequence in the same order. "150 mg" to "150 g", or the doses
  "100, 100, 150" reordered as "150, 100, 100", counts as not translated.

A deliberate difference (a date written differently, say) is accepted only
with a translator's comment in the PO entry that the build can read, and it
still warns::

    # numbers-differ: the Polish date format writes the day first
    msgid "..."
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers_in_text import UNIT_SYMBOLS, numbers_in

NOTE_MARKER = "numbers-differ:"
PLACEHOLDER_RE = re.compile(r"%\(\w+\)s")
FORMAT_RE = re.compile(r"%(?:\(\w+\)[sd]|%)")


@dataclass(frozen=True)
class Fidelity:
    faithful: bool  # False: treat the message as not translated
    warning: str = ""  # a noted, accepted difference


def strings_of(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids_of(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def is_formatted(message) -> bool:
    """Messages the code %-formats: with placeholders, or plurals (which always get a count)."""
    return isinstance(message.id, tuple) or bool(PLACEHOLDER_RE.search(ids_of(message)[0]))


def format_error(text: str) -> str | None:
    """Why a %-formatted translation would fail, or None."""
    position = text.find("%")
    while position != -1:
        spec = FORMAT_RE.match(text, position)
        if spec is None:
            snippet = text[max(0, position - 15) : position + 15]
            return f"a '%' that is not a placeholder ('{snippet}'); write '%%' for a percent sign, or %(name)s"
        position = text.find("%", spec.end())
    return None


def number_units(text: str, lang: str) -> list[tuple[int, str]]:
    """Every number in order, whatever digits it is written in, with the unit written after it ('' if none);
    a decimal counts as its two parts, the unit after the second ('2,5 mg' is the English '2.5 mg')."""
    pairs = []
    for number in numbers_in(text, lang):
        *whole, last = number.parts
        pairs += [(part, "") for part in whole] + [(last, number.unit)]
    return pairs


def describe(pairs: list[tuple[int, str]]) -> str:
    """'100 mg, 150 mg, 2' for a message."""
    return ", ".join(f"{value} {UNIT_SYMBOLS.get(unit, '')}".strip() for value, unit in pairs) or "none"


def translator_note(message) -> str:
    for comment in message.user_comments:
        if comment.strip().startswith(NOTE_MARKER):
            return comment.strip()[len(NOTE_MARKER) :].strip() or "(no reason given)"
    return ""


def fidelity(message, lang: str) -> Fidelity:
    """Placeholders kept and numbers with units in the English order; a noted difference warns."""
    ids, strings = ids_of(message), strings_of(message)
    wanted = sorted(set(PLACEHOLDER_RE.findall(ids[-1])))
    if any(sorted(set(PLACEHOLDER_RE.findall(text))) != wanted for text in strings):
        return Fidelity(False)
    if len(ids) > 1:  # plural forms carry their numbers in placeholders
        return Fidelity(True)
    english = number_units(ids[0], "en")
    for text in strings:
        found = number_units(text, lang)
        if found == english:
            continue
        note = translator_note(message)
        if not note:
            return Fidelity(False)
        return Fidelity(
            True,
            f"numbers differ from the English ({describe(english)}; translation: {describe(found)}); "
            f"accepted because of the translator's note: {note}",
        )
    return Fidelity(True)
