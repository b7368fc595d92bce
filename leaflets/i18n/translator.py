"""Translations of the templates' own strings (gettext, CLDR plural rules).

English is the source language and needs no catalog. Other languages read
``content/translations/templates/<lang>.po`` with Babel; its plural rules
come from CLDR, so ``ngettext`` picks Polish "tabletka/tabletki/tabletek".
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass

from babel.support import NullTranslations


@dataclass
class Translator:
    """Looks up template strings for one language and fills in values."""

    lang: str
    translations: gettext_module.NullTranslations

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def pgettext(self, context: str, message: str, **values) -> str:
        """A short string with a context (msgctxt), so "Clinic" as a label and as a heading can differ."""
        text = self.translations.pgettext(context, message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"count": count, **values}


def english() -> Translator:
    return Translator("en", NullTranslations())
