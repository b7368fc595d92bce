"""What the build knows about each translation, as data the content carries: i18n fills it in.

``TemplateStrings`` is what pages ask of a language's translator (i18n.translator.Translator is one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..errors import Problem


class TemplateStrings(Protocol):
    lang: str

    def gettext(self, message: str, **values) -> str: ...

    def pgettext(self, context: str, message: str, **values) -> str: ...

    def ngettext(self, singular: str, plural: str, count: int, **values) -> str: ...


@dataclass
class CatalogStatus:
    """How complete one language's catalog is, in messages and in English words."""

    total: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)  # "context: msgid" of each fuzzy message
    untranslated: list[str] = field(default_factory=list)
    numbers_differ: list[str] = field(default_factory=list)  # translated, but a number or unit is not the English
    safety_not_current: list[str] = field(default_factory=list)
    words: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("total", "translated", "fuzzy", "untranslated", "numbers differ"), 0)
    )
    problems: list[Problem] = field(default_factory=list)  # warnings: numbers that differ, with their lines

    @property
    def gaps(self) -> list[str]:
        """Every message shown in English instead: fuzzy, untranslated, or with numbers that differ."""
        return self.fuzzy + self.numbers_differ + self.untranslated

    @property
    def complete(self) -> bool:
        return not self.gaps


@dataclass
class LanguageState:
    """What the build knows about one translation of one leaflet."""

    lang: str
    status: CatalogStatus | None = None
    withheld_because: list[str] = field(default_factory=list)
    english_fallback: bool = False
    reviewed_by: str = ""
