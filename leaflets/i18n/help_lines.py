"""Help-line names (``content/countries.yaml``) in the page's language, through the templates' catalog.

Each name is a message with the context "help line" and a comment naming its country and phone number, so
a translator keeps the service's own name. A name not yet translated (or whose translation is fuzzy or
changes a number) is shown in English, marked as such: a help line is never dropped, and its number is not
in the message, so it always shows. Unlike the templates' own strings, a missing name does not withhold the
language (the build warns, an error under ``--strict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..source.content import SOURCE_LANGUAGE
from ..source.countries import Country
from ..source.translation_state import TemplateStrings

HELP_LINE_CONTEXT = "help line"
TRANSLATOR_COMMENT = "Help line in {code}, phone {phone}: keep the service's own name, translate its description"


@dataclass(frozen=True)
class ShownHelpLine:
    """One help line as a page shows it."""

    name: str
    lang: str  # the language ``name`` is in: the page's, or "en" while it is not translated
    phone: str
    tel_uri: str


def help_line_messages(countries: Mapping[str, Country]) -> list[tuple[str, str]]:
    """Every help-line name, in the table's order, with its comment for the translator."""
    return [
        (line.name, TRANSLATOR_COMMENT.format(code=code, phone=line.phone))
        for code, country in countries.items()
        for line in country.helplines
    ]


def shown_help_lines(country: Country, t: TemplateStrings) -> tuple[ShownHelpLine, ...]:
    """The country's help lines in ``t``'s language; an untranslated name stays English and says so."""
    shown = []
    for line in country.helplines:
        name = t.pgettext(HELP_LINE_CONTEXT, line.name)
        lang = t.lang if name != line.name else SOURCE_LANGUAGE
        shown.append(ShownHelpLine(name, lang, line.phone, line.tel_uri))
    return tuple(shown)


def help_lines_in_english(country: Country | None, t: TemplateStrings) -> bool:
    """Whether a page in ``t``'s language showing ``country``'s help lines shows a name in English."""
    if t.lang == SOURCE_LANGUAGE or country is None:
        return False
    return any(line.lang == SOURCE_LANGUAGE for line in shown_help_lines(country, t))
