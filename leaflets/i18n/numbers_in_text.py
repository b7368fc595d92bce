"""Numbers in a text, in any digits, each with the unit written after it: one reading for every use.

The translation check compares a translation's numbers and units with the English
(:mod:`.translation_checks`), and the audio speaks each dose as words with its
unit (:mod:`leaflets.render.audio`): both read the text with :func:`numbers_in`,
so "150 мг", "١٥٠ مغم" and "150 mg" are the same dose to both.

Units are recognised by their English symbols and names and by the language's
own CLDR (Babel) names, short, long and narrow, in every plural form: "mg",
"мг", "міліграмів", "مغم", "miligramów". Nothing here names a language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.units import format_unit, get_unit_name

NUMBER_RE = re.compile(r"\d+(?:[.,\u066b]\d+)?")  # any script's digits; a decimal point or comma (Arabic: ٫)
UNIT_AFTER_RE = re.compile(r"[\s\u00a0\u202f]*(%|[^\W\d_]+)")
UNIT_SYMBOLS = {
    "mass-milligram": "mg",
    "mass-gram": "g",
    "mass-microgram": "µg",
    "mass-kilogram": "kg",
    "volume-milliliter": "ml",
    "volume-liter": "l",
    "percent": "%",
}
UNITS = tuple(unit for unit in UNIT_SYMBOLS if unit != "percent")


@dataclass(frozen=True)
class NumberInText:
    start: int
    end: int  # after the unit, when there is one
    written: str  # the number as written: '150', '١٥٠', '2,5'
    unit: str  # its CLDR unit id ('mass-milligram', 'percent'), or ''

    @property
    def parts(self) -> tuple[int, ...]:
        """The whole number, then the decimals if any, as integers: (2, 5) for '2,5'."""
        return tuple(int("".join(str(unicodedata.digit(ch)) for ch in part)) for part in re.split(r"\D", self.written))

    @property
    def value(self) -> Decimal:
        """'2,5' -> 2.5, in any digits."""
        digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else "." for ch in self.written)
        return Decimal(digits)


@cache
def unit_names(lang: str) -> dict[str, str]:
    """Written unit names, lowercased ('mg', 'мг', 'miligramy', 'مغم') to their CLDR unit id."""
    names: dict[str, str] = {"%": "percent"}
    for locale in {"en", lang.replace("-", "_")}:
        for unit in UNITS:
            for length in ("short", "long", "narrow"):
                name = get_unit_name(unit, length=length, locale=locale)
                if name and name != unit.split("-")[0]:  # CLDR gives some languages' long name as 'mass'
                    names[name.lower()] = unit
                for count in (1, 2, 5, 1.5):
                    words = format_unit(count, unit, length=length, locale=locale)
                    for word in re.findall(r"[^\W\d_]+", words):
                        names.setdefault(word.lower(), unit)
    return names


def numbers_in(text: str, lang: str) -> list[NumberInText]:
    """Every number in ``text`` in order, whatever digits it is written in, with the unit written after it."""
    names = unit_names(lang)
    found = []
    for match in NUMBER_RE.finditer(text):
        after = UNIT_AFTER_RE.match(text, match.end())
        unit = names.get(after.group(1).lower(), "") if after else ""
        end = after.end() if unit else match.end()
        found.append(NumberInText(match.start(), end, match.group(), unit))
    return found


# The CLDR numbering systems some language uses by default or as its native digits, by the Unicode name of their
# zero (Babel names the systems but not their digits). A system not listed here is never usual.
SYSTEM_ZEROS = {
    "latn": "DIGIT ZERO", "arab": "ARABIC-INDIC DIGIT ZERO", "arabext": "EXTENDED ARABIC-INDIC DIGIT ZERO",
    "adlm": "ADLAM DIGIT ZERO", "beng": "BENGALI DIGIT ZERO", "cakm": "CHAKMA DIGIT ZERO",
    "deva": "DEVANAGARI DIGIT ZERO", "gujr": "GUJARATI DIGIT ZERO", "guru": "GURMUKHI DIGIT ZERO",
    "hmnp": "NYIAKENG PUACHUE HMONG DIGIT ZERO", "java": "JAVANESE DIGIT ZERO", "khmr": "KHMER DIGIT ZERO",
    "knda": "KANNADA DIGIT ZERO", "laoo": "LAO DIGIT ZERO", "mlym": "MALAYALAM DIGIT ZERO",
    "mong": "MONGOLIAN DIGIT ZERO", "mtei": "MEETEI MAYEK DIGIT ZERO", "mymr": "MYANMAR DIGIT ZERO",
    "nkoo": "NKO DIGIT ZERO", "olck": "OL CHIKI DIGIT ZERO", "orya": "ORIYA DIGIT ZERO",
    "tamldec": "TAMIL DIGIT ZERO", "telu": "TELUGU DIGIT ZERO", "thai": "THAI DIGIT ZERO",
    "tibt": "TIBETAN DIGIT ZERO", "vaii": "VAI DIGIT ZERO",
}  # fmt: skip


def digit_zeros(written: str) -> set[str]:
    """The zero of each numbering system a number's digits come from: {'0'} for '150', {'0', '٠'} for '15٠'."""
    return {chr(ord(ch) - unicodedata.digit(ch)) for ch in written if ch.isdigit()}


@cache
def usual_zeros(lang: str) -> frozenset[str]:
    """The digits usual for a language (CLDR): Latin, and its default and native systems (Arabic-Indic for ar)."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
        systems = {"latn", locale.default_numbering_system, locale.other_numbering_systems.get("native", "latn")}
    except (ValueError, LookupError):
        systems = {"latn"}
    return frozenset(unicodedata.lookup(SYSTEM_ZEROS[name]) for name in systems if name in SYSTEM_ZEROS)


def digits_problem(text: str, lang: str) -> str:
    """Why a number in a translation could be misread: its digits mix two systems, or are not the language's."""
    for number in numbers_in(text, lang):
        zeros = digit_zeros(number.written)
        if len(zeros) > 1:
            return f"the number '{number.written}' mixes digits of two numbering systems; write it in one"
        if not zeros <= usual_zeros(lang):
            return f"the number '{number.written}' is written in digits not usual for '{lang}'; use the usual digits"
    return ""
