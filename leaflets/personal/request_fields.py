"""The personal fields of a print request: the person's name, the prescriber, the dates.

The name and the prescriber are never echoed in a message; a date is, as it is not personal on its own.
"""

from __future__ import annotations

import unicodedata
from calendar import monthrange
from datetime import date, timedelta

from ..errors import ContentError, Problem
from ..source.fields import DATE_RE, shown
from ..source.regimen import DAYS

MAX_NAME_LENGTH = 80
MAX_STACKED_MARKS = 3  # accents on one letter: Vietnamese needs two, Hebrew pointing three
JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiner: part of Persian and Indic spellings
PLAUSIBLE_DAYS = 366  # a start date or appointment further from today is a typing mistake


def check_prescriber(prescriber: str) -> str:
    """Plain text of at most 80 characters; like the name, never echoed."""
    if len(prescriber) > MAX_NAME_LENGTH:
        raise ContentError([Problem("prescriber", f"longer than {MAX_NAME_LENGTH} characters; shorten it")])
    if any(ch in prescriber for ch in "<>") or any(unicodedata.category(ch)[0] == "C" for ch in prescriber):
        raise ContentError(
            [Problem("prescriber", "must be plain text without '<', '>', control or formatting characters")]
        )
    return prescriber


def parse_date(what: str, text: str, today: date | None = None) -> date | None:
    """A YYYY-MM-DD date within a year of today, or None for no date."""
    if not text:
        return None
    try:
        value = date.fromisoformat(text) if DATE_RE.match(text) else _bad_date(what, text)
    except ValueError:
        return _bad_date(what, text)
    today = today or date.today()
    earliest, latest = today - timedelta(days=PLAUSIBLE_DAYS), today + timedelta(days=PLAUSIBLE_DAYS)
    if not earliest <= value <= latest:
        message = f"expected a date within a year of today ({earliest} to {latest}), got '{value}'"
        raise ContentError([Problem(what, message)])
    return value


def _bad_date(what: str, text: str):
    match = DATE_RE.match(text)
    if match:  # the shape of a date, but no such day: say which month it is and how long it is
        year, month, day = (int(part) for part in text.split("-"))
        if 1 <= month <= 12 and day > 28:
            days = monthrange(year, month)[1]
            name = date(year, month, 1).strftime("%B")
            raise ContentError([Problem(what, f"{name} {year} has {days} days; got '{text}'")])
    raise ContentError([Problem(what, f"expected a date (YYYY-MM-DD), got {shown(text)}")])


def check_name(name: str) -> str:
    """The person's name for the alert card: plain text. Never echoed in messages."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if len(name) > MAX_NAME_LENGTH:
        raise ContentError([Problem("name", f"longer than {MAX_NAME_LENGTH} characters; shorten it")])
    if any(ch in name for ch in "<>") or any(_refused_in_name(name, index) for index in range(len(name))):
        raise ContentError([Problem("name", "must be plain text without '<', '>', control or formatting characters")])
    if _most_stacked_marks(name) > MAX_STACKED_MARKS:
        message = f"more than {MAX_STACKED_MARKS} accents or marks on one letter would be drawn over the card's text"
        raise ContentError([Problem("name", message)])
    return name


def _refused_in_name(name: str, index: int) -> bool:
    """Control, private-use and format characters; a joiner only between two letters."""
    char = name[index]
    if char in JOINERS:
        return not (0 < index < len(name) - 1 and _in_word(name[index - 1]) and _in_word(name[index + 1]))
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"}


def _in_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _most_stacked_marks(name: str) -> int:
    """The longest run of combining marks drawn on one letter (after NFC composition)."""
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char) in {"Mn", "Me"} else 0
        longest = max(longest, run)
    return longest


def parse_supervised_days(text: str) -> frozenset[int]:
    """'mon,tue,wed' into weekdays (0 is Monday); 'none' for every dose at home."""
    cleaned = text.strip().lower()
    if cleaned == "none":
        return frozenset()
    days: set[int] = set()
    for part in cleaned.split(","):
        key = part.strip()
        if key not in DAYS:
            message = f"expected weekdays such as 'mon,tue,wed,thu,fri,sat', or 'none', got {shown(part.strip())}"
            raise ContentError([Problem("supervised", message)])
        if DAYS.index(key) in days:
            raise ContentError([Problem("supervised", f"'{key}' is listed twice; give each day once")])
        days.add(DAYS.index(key))
    return frozenset(days)
