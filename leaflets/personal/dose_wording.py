"""How one medicine's doses are said and drawn in one language.

Tablets are counted (halves only where the tablet is scored), capsules are
counted, a liquid is measured in mL with its mg in brackets. Units and numbers
are formatted by CLDR (Babel), so "mg" reads "мг" in Ukrainian and the decimal
separator follows the language. Pictogram geometry is worked out here, so the
template only draws shapes.
"""

from __future__ import annotations

from decimal import Decimal

from babel.units import format_compound_unit, format_unit

from ..i18n.translator import Translator
from ..render.treatment_context import Pictogram
from ..source.languages import format_locale
from ..source.medicine import MedicineProfile

SHAPE_WIDTH = {"whole": 24, "scored": 24, "half": 14, "capsule": 34, "cup": 30}
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
        """What to take: 'half a tablet', '2 tablets', '1 and a half tablets', '2 capsules', '60 mL'."""
        t, count = self.t, self.medicine.units(mg)
        if self.medicine.form == "liquid":
            return self.volume(mg)
        whole, half = int(count), count % 1
        if self.medicine.form == "capsule":
            return t.ngettext("%(count)s capsule", "%(count)s capsules", whole)
        if whole == 0:
            return t.gettext("half a tablet")
        if half:
            return t.ngettext("%(count)s and a half tablets", "%(count)s and a half tablets", whole)
        return t.ngettext("%(count)s tablet", "%(count)s tablets", whole)

    def amount(self, mg) -> str:
        """'2 tablets (100 mg)'; for a liquid the volume first: '60 mL (60 mg)'."""
        return self.t.gettext("%(units)s (%(dose)s)", units=self.units(mg), dose=self.dose(mg))

    def repeated(self, text: str, times: int) -> str:
        if times == 2:
            return self.t.gettext("%(amount)s, twice", amount=text)
        return self.t.ngettext("%(amount)s, %(count)s time", "%(amount)s, %(count)s times", times, amount=text)

    def how_often(self, times: int) -> str:
        t = self.t
        return {1: t.gettext("once a day"), 2: t.gettext("twice a day"), 3: t.gettext("three times a day")}.get(
            times
        ) or t.gettext("four times a day")

    def at_time(self, time: str, text: str) -> str:
        """A table line: 'Morning: 2 tablets'."""
        t = self.t
        labels = {
            "morning": t.gettext("Morning: %(amount)s", amount=text),
            "midday": t.gettext("Midday: %(amount)s", amount=text),
            "evening": t.gettext("Evening: %(amount)s", amount=text),
            "night": t.gettext("Night: %(amount)s", amount=text),
        }
        return labels[time]

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
        if form == "tablet":
            return t.gettext("Take no tablets on the other days.")
        if form == "capsule":
            return t.gettext("Take no capsules on the other days.")
        return t.gettext("Take none on the other days.")

    def rest_day(self) -> str:
        t, form = self.t, self.medicine.form
        if form == "tablet":
            return t.gettext("Rest day: no tablet")
        if form == "capsule":
            return t.gettext("Rest day: no capsule")
        return t.gettext("Rest day: none to take")

    def column_heading(self) -> str:
        t, strength = self.t, self.strength()
        if self.medicine.form == "tablet":
            return t.gettext("Tablets (%(strength)s)", strength=strength)
        if self.medicine.form == "capsule":
            return t.gettext("Capsules (%(strength)s)", strength=strength)
        return t.gettext("Amount to measure (%(strength)s)", strength=strength)

    def strength(self) -> str:
        """'20 mg', or a liquid's '1 mg/mL'."""
        if self.medicine.form == "liquid":
            return format_compound_unit(
                self.medicine.strength_mg,
                "mass-milligram",
                denominator_unit="volume-milliliter",
                length="short",
                locale=self.locale,
            )
        return self.dose(self.medicine.strength_mg)

    def pictogram(self, mg, times: int = 1) -> Pictogram:
        """Whole and half tablets, capsules or a measuring cup for one dose, drawn ``times`` times."""
        group = self._shapes(self.medicine.units(mg))
        shapes, x = [], 2
        for _ in range(times):
            for shape in group:
                shapes.append((shape, x))
                x += SHAPE_WIDTH[shape]
            x += GROUP_GAP
        if times == 1:
            label = self.t.gettext("%(units)s, %(dose)s", units=self.units(mg), dose=self.dose(mg))
        else:
            units = self.repeated(self.units(mg), times)  # "half a tablet, twice, 25 mg each time"
            label = self.t.gettext("%(units)s, %(dose)s each time", units=units, dose=self.dose(mg))
        return Pictogram(tuple(shapes), x, label)

    def _shapes(self, count: Decimal) -> list[str]:
        if self.medicine.form == "liquid":
            return ["cup"]
        if self.medicine.form == "capsule":
            return ["capsule"] * int(count)
        if self.medicine.split == "half":  # a scored tablet shows its score line
            return ["scored"] * int(count) + (["half"] if count % 1 else [])
        return ["whole"] * int(count)
