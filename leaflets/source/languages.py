"""Languages: BCP 47 tags checked against CLDR (Babel), names, direction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from .fields import found

TAG_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, e.g. "pt-BR"
    endonym: str  # the language's name for itself, e.g. "Polski"
    direction: str  # "ltr" or "rtl"


def check_language_tag(value) -> str:
    """Return a valid BCP 47 tag that CLDR knows, or raise ValueError."""
    if not isinstance(value, str) or not TAG_RE.match(value):
        raise ValueError(f"expected a BCP 47 language tag such as 'en' or 'pt-BR', got {found(value)}")
    try:
        babel_locale(value)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"'{value}' is not a language CLDR knows") from None
    return value


@cache
def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


@cache
def format_locale(tag: str, region: str = "GB") -> Locale:
    """The locale for dates and numbers: the language as used in the clinic's region, where CLDR has it."""
    locale = babel_locale(tag)
    if locale.territory is None and f"{locale.language}_{region}" in locale_identifiers():
        return Locale.parse(f"{locale.language}_{region}")
    return locale


@cache
def language(tag: str) -> Language:
    locale = babel_locale(tag)
    endonym = locale.get_display_name(locale) or tag
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(tag, endonym[:1].upper() + endonym[1:], direction)
