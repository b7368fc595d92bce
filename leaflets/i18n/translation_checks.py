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
- Digits: each number is written in one numbering system, one usual for the
  language (CLDR: Latin, and the language's default and native digits, so
  Arabic-Indic for ar but never for pl). "5٠ mg" reads as 50 to a parser and as
  "5·" to a patient: it counts as changed.
- Markup: a translation has the English links (the same targets, as many) and
  its ``**`` emphasis markers balance; otherwise it counts as changed.

A deliberate number difference (a date written differently, say) is accepted
only with a translator's comment in the PO entry that the build can read, and
it still warns::

    # numbers-differ: the Polish date format writes the day first
    msgid "..."

In a safety section a translator's note is not enough: the change needs the
clinical owner's sign-off in ``leaflet.yaml`` (``number_changes:``, with the
language, the segment and who approved it), and it still warns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .numbers_in_text import UNIT_SYMBOLS, digits_problem, numbers_in

NOTE_MARKER = "numbers-differ:"
PLACEHOLDER_RE = re.compile(r"%\(\w+\)s")
FORMAT_RE = re.compile(r"%(?:\(\w+\)[sd]|%)")
# A Markdown link's target, an autolink, or a bare web address.
LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)|<((?:https?|mailto|tel):[^>\s]+)>|(?<![(<])\b(https?://[^\s)\]>]+)")


@dataclass(frozen=True)
class Fidelity:
    faithful: bool  # False: treat the message as not translated
    warning: str = ""  # a noted, accepted difference; or, when not faithful, why (one line for the translator)
    kind: str = "numbers"  # what differs: "numbers" (numbers, units, digits) or "markup" (links, emphasis)


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


def fidelity(message, lang: str, safety_contexts=frozenset(), approvals: tuple = ()) -> Fidelity:
    """Placeholders kept, digits usual and unmixed, links and emphasis as in the English, and numbers with units in
    the English order; a noted difference warns (in a safety section, only one ``approvals`` lists:
    (segment start, approved by) pairs from ``number_changes``)."""
    ids, strings = ids_of(message), strings_of(message)
    wanted = sorted(set(PLACEHOLDER_RE.findall(ids[-1])))
    if any(sorted(set(PLACEHOLDER_RE.findall(text))) != wanted for text in strings):
        return Fidelity(False)
    for text in strings:
        if problem := digits_problem(text, lang):
            return Fidelity(False, f"{problem}: counts as not translated")
        if problem := markup_problem(ids[-1], text):
            return Fidelity(False, f"{problem}: counts as not translated", "markup")
    if len(ids) > 1:  # plural forms carry their numbers in placeholders
        return Fidelity(True)
    english = number_units(ids[0], "en")
    for text in strings:
        found = number_units(text, lang)
        if found == english:
            continue
        differ = f"numbers differ from the English ({describe(english)}; translation: {describe(found)})"
        if approver := approved_by(ids[0], approvals):
            return Fidelity(True, f"{differ}; accepted: approved by {approver} (number_changes in leaflet.yaml)")
        note = translator_note(message)
        if not note:
            return Fidelity(False)
        if message.context in safety_contexts:
            return Fidelity(False, f"{differ} in a safety section: a translator's note cannot accept that; the "
                                   "clinical owner's sign-off goes in leaflet.yaml under number_changes "
                                   "(lang, segment, approved_by)")  # fmt: skip
        return Fidelity(True, f"{differ}; accepted because of the translator's note: {note}")
    return Fidelity(True)


def approved_by(english: str, approvals: tuple) -> str:
    """Who signed off a number change in this segment: the first (segment start, approver) whose start it has."""
    text = " ".join(english.split())
    return next((who for start, who in approvals if text.startswith(" ".join(start.split()))), "")


def link_targets(text: str) -> Counter:
    return Counter(next(group for group in match.groups() if group) for match in LINK_RE.finditer(text))


def markup_problem(english: str, text: str) -> str:
    """Links the English does not have (or lacks), or emphasis that does not balance; '' if neither."""
    theirs, ours = link_targets(text), link_targets(english)
    if theirs != ours:
        added, dropped = sorted(theirs - ours), sorted(ours - theirs)
        what = "; ".join(part for part in (f"adds {', '.join(added)}" if added else "",
                                           f"drops {', '.join(dropped)}" if dropped else "") if part)  # fmt: skip
        return f"its links are not the English ones ({what}); keep the English links, no more and no fewer"
    if text.count("**") % 2 and not english.count("**") % 2:
        return "its '**' emphasis markers do not balance (one is never closed); close each one"
    return ""
