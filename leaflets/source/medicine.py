"""What a medicine is, from the ``medicine:`` block of ``leaflet.yaml``.

The block is the only place that knows a medicine: its name, form, strengths,
whether a tablet may be halved, how it is taken, its hard limits and its
standard regimens. :mod:`leaflets.source.medicine_block` reads it;
:func:`leaflets.source.prescribing.prescribe` checks a regimen against it. A
leaflet without the block is a general leaflet: it takes no regimen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.lists import format_list

from .dose_units import Composition, compose
from .regimen import Mg, format_mg

COUNTED_FORMS = ("tablet", "capsule", "patch", "spray")  # a dose is a number of units
FORMS = ("tablet", "capsule", "liquid", "patch", "injection", "spray")
SPLITS = ("none", "half")
SUPERVISION = ("never", "always", "sometimes")
LIQUID_STEP_ML = Decimal("0.5")  # what an oral syringe or measuring cup measures reliably
UNIT_NAMES = {"tablet": "tablets", "capsule": "capsules", "patch": "patches", "injection": "injections",
              "spray": "sprays"}  # fmt: skip


@dataclass(frozen=True)
class MedicineProfile:
    """One medicine, as its leaflet describes it. Amounts are in mg (per mL for a liquid).

    ``strengths_mg`` lists what is dispensed, largest first; a liquid has one
    strength. ``supervision`` is ``never``, ``always`` or ``sometimes`` (the
    prescription names the supervised weekdays)."""

    name: str
    form: str  # one of FORMS
    strengths_mg: tuple[Decimal, ...]
    split: str  # none | half (tablets only)
    max_per_day_mg: Decimal
    max_per_week_mg: Decimal | None
    standard_regimens: tuple[str, ...]
    supervision: str = "never"
    how_to_take: str = ""
    min_hours_between: Decimal | None = None
    usual_time: str = "morning"  # the time slot of a dose with no named time (daily:D, weekdays, every N days)
    codes: tuple[str, ...] = ()  # 'system|code' (ATC, SNOMED CT, dm+d): how a FHIR prescription names it

    @property
    def supervised(self) -> bool:
        """Every dose is taken in front of a pharmacist or nurse."""
        return self.supervision == "always"

    @property
    def strength_mg(self) -> Decimal:
        """The smallest strength (a liquid's only one, per mL)."""
        return self.strengths_mg[-1]

    @property
    def step_mg(self) -> Decimal:
        """The smallest dose that can be given: a unit, half a scored tablet, or 0.5 mL of a liquid."""
        if self.form == "liquid":
            return self.strength_mg * LIQUID_STEP_ML
        return self.strength_mg / 2 if self.split == "half" else self.strength_mg

    def units(self, mg: Mg) -> Decimal:
        """How many units of the smallest strength make ``mg`` (mL for a liquid)."""
        return Decimal(mg) / self.strength_mg

    def composition(self, mg: Mg) -> Composition | None:
        """The units that make one dose, or None if what is dispensed cannot make it.

        An injection is one injection of a listed strength; a liquid is measured, never composed."""
        if self.form == "injection":
            return compose(mg, self.strengths_mg) if Decimal(mg) in self.strengths_mg else None
        if self.form == "liquid":
            return None
        return compose(mg, self.strengths_mg, halves=self.split == "half")

    def strengths_text(self, style: str = "standard") -> str:
        """'2 mg and 8 mg' ('2 mg or 8 mg' with style 'or'), for messages."""
        amounts = [f"{format_mg(s)} mg" for s in reversed(self.strengths_mg)]
        return format_list(amounts, style=style, locale="en")

    def describe(self) -> str:
        """'<name> comes as 20 mg scored tablets that can be halved', for messages."""
        strengths = self.strengths_text()
        if self.form == "liquid":
            return f"{self.name} comes as a liquid of {format_mg(self.strength_mg)} mg in each mL"
        if self.form == "tablet":
            kind = "scored tablets that can be halved" if self.split == "half" else "tablets that cannot be split"
        elif self.form == "injection":
            kind = "injections"
        else:
            kind = f"{UNIT_NAMES[self.form]} that cannot be split" if self.form == "capsule" else UNIT_NAMES[self.form]
        return f"{self.name} comes as {strengths} {kind}"
