"""How one medicine's doses are said and drawn in one language.

Tablets are counted (halves only where the tablet is scored), and so are
capsules, patches, injections and sprays; a medicine of several strengths says
which ("1 tablet of 8 mg and 2 tablets of 2 mg"). A liquid is measured in mL
with its mg in brackets. Units and numbers
are formatted by CLDR (Babel), so "mg" reads "мг" in Ukrainian and the decimal
separator follows the language. Pictogram geometry is worked out here, so the
template only draws shapes.
"""

from __future__ import annotations

from decimal import Decimal

from babel.lists import format_list
from babel.units import format_unit

from ..i18n.translator import Translator
from ..render.treatment_context import Pictogram
from ..source.languages import format_locale
from ..source.medicine import MedicineProfile

SHAPE_WIDTH = {"whole": 24, "scored": 24, "half": 14, "capsule": 34, "cup": 30, "patch": 26, "injection": 44,
               "spray": 18}  # fmt: skip
FORM_SHAPES = {"capsule": "capsule", "patch": "patch", "injection": "injection", "spray": "spray"}
GROUP_GAP = 10


class DoseWording:
    """Words and pictures for doses of ``medicine`` in ``lang``."""

    def __init__(self, medicine: MedicineProfile, lang: str, t: Translator):
        self.medicine, self.t = medicine, t
        self.locale = format_locale(lang)

    def dose(self, mg) -> str:
        """'100 mg', in the language's own unit and number format."""
        return format_unit(Decimal(mg), "mass-milligram", length="short", locale=self.locale)

    def volume(self, mg) -> str:
        return format_unit(self.medicine.units(mg), "volume-milliliter", length="short", locale=self.locale)

    def units(self, mg) -> str:
        """What to take: 'half a tablet', '2 tablets', '1 tablet of 8 mg and 2 tablets of 2 mg', '60 mL'."""
        if self.medicine.form == "liquid":
            return self.volume(mg)
        composition = self.medicine.composition(mg) or ()
        if len(self.medicine.strengths_mg) == 1 or self.medicine.form == "injection":  # one injection: its dose says it
            return self._count(sum(unit.count for unit in composition))
        parts = [self._count(unit.count, self.dose(unit.strength_mg)) for unit in composition]
        return format_list(parts, locale=self.locale)

    def _count(self, count: Decimal, strength: str = "") -> str:
        """'2 tablets', or with a strength '2 tablets of 2 mg' (halves for tablets only)."""
        t, whole, form = self.t, int(count), self.medicine.form
        if form == "tablet":
            return self._tablets(whole, bool(count % 1), strength)
        if strength:
            counted = {
                "capsule": lambda: t.ngettext("%(count)s capsule of %(strength)s", "%(count)s capsules of %(strength)s",
                                              whole, strength=strength),
                "patch": lambda: t.ngettext("%(count)s patch of %(strength)s", "%(count)s patches of %(strength)s",
                                            whole, strength=strength),
                "injection": lambda: t.ngettext("%(count)s injection of %(strength)s",
                                                "%(count)s injections of %(strength)s", whole, strength=strength),
                "spray": lambda: t.ngettext("%(count)s spray of %(strength)s", "%(count)s sprays of %(strength)s",
                                            whole, strength=strength),
            }  # fmt: skip
            return counted[form]()
        counted = {
            "capsule": lambda: t.ngettext("%(count)s capsule", "%(count)s capsules", whole),
            "patch": lambda: t.ngettext("%(count)s patch", "%(count)s patches", whole),
            "injection": lambda: t.ngettext("%(count)s injection", "%(count)s injections", whole),
            "spray": lambda: t.ngettext("%(count)s spray", "%(count)s sprays", whole),
        }
        return counted[form]()

    def _tablets(self, whole: int, half: bool, strength: str) -> str:
        t = self.t
        if strength:
            if whole == 0:
                return t.gettext("half a tablet of %(strength)s", strength=strength)
            if half:
                return t.ngettext("%(count)s and a half tablets of %(strength)s",
                                  "%(count)s and a half tablets of %(strength)s", whole, strength=strength)  # fmt: skip
            return t.ngettext("%(count)s tablet of %(strength)s", "%(count)s tablets of %(strength)s", whole,
                              strength=strength)  # fmt: skip
        if whole == 0:
            return t.gettext("half a tablet")
        if half:
            return t.ngettext("%(count)s and a half tablets", "%(count)s and a half tablets", whole)
        return t.ngettext("%(count)s tablet", "%(count)s tablets", whole)

    def amount(self, mg) -> str:
        """'2 tablets (100 mg)'; for a liquid the volume first: '60 mL (60 mg)'."""
        return self.t.gettext("%(units)s (%(dose)s)", units=self.units(mg), dose=self.dose(mg))

    def how_often(self, times: int) -> str:
        t = self.t
        return {1: t.gettext("once a day"), 2: t.gettext("twice a day"), 3: t.gettext("three times a day")}.get(
            times
        ) or t.gettext("four times a day")

    def at_time_phrase(self, time: str, text: str) -> str:
        """Part of a sentence: '2 tablets (666 mg) in the morning'."""
        t = self.t
        phrases = {
            "morning": t.gettext("%(amount)s in the morning", amount=text),
            "midday": t.gettext("%(amount)s at midday", amount=text),
            "evening": t.gettext("%(amount)s in the evening", amount=text),
            "night": t.gettext("%(amount)s at night", amount=text),
        }
        return phrases[time]

    def none_on_other_days(self) -> str:
        t, form = self.t, self.medicine.form
        other = {
            "tablet": lambda: t.gettext("Take no tablets on the other days."),
            "capsule": lambda: t.gettext("Take no capsules on the other days."),
            "patch": lambda: t.gettext("No new patch on the other days."),
            "injection": lambda: t.gettext("No injection on the other days."),
        }
        return other.get(form, lambda: t.gettext("Take none on the other days."))()

    def rest_day(self) -> str:
        t, form = self.t, self.medicine.form
        rest = {
            "tablet": lambda: t.gettext("Rest day: no tablet"),
            "capsule": lambda: t.gettext("Rest day: no capsule"),
            "patch": lambda: t.gettext("No new patch"),
            "injection": lambda: t.gettext("No injection"),
        }
        return rest.get(form, lambda: t.gettext("Rest day: none to take"))()

    def pictogram(self, mg) -> Pictogram:
        """Whole and half tablets, capsules, patches, an injection, sprays or a measuring cup for one dose."""
        shapes, x = [], 2
        for shape in self._shapes(mg):
            shapes.append((shape, x))
            x += SHAPE_WIDTH[shape]
        return Pictogram(tuple(shapes), x + GROUP_GAP)

    def _shapes(self, mg) -> list[str]:
        form = self.medicine.form
        if form == "liquid":
            return ["cup"]
        shapes = []
        for unit in self.medicine.composition(mg) or ():
            whole = int(unit.count)
            if form == "tablet" and self.medicine.split == "half":  # a scored tablet shows its score line
                shapes += ["scored"] * whole + (["half"] if unit.count % 1 else [])
            else:
                shapes += [FORM_SHAPES.get(form, "whole")] * whole
        return shapes
