"""A FHIR dose (``doseQuantity``, a ``maxDosePerPeriod`` numerator) as mg of the leaflet's medicine.

UCUM mass units (``mg``, ``g``, ``ug``) convert exactly. A count of the medicine's own units
(tablets, capsules, patches, sprays, injections; mL of a liquid) is multiplied by its strength,
and only where the medicine has one strength: a count of "tablets" of a medicine dispensed as
2 mg and 8 mg tablets could be either, so it is refused. A unit must be coded (``system`` and
``code``): a unit written only as text is refused. Every refusal is a :class:`FhirRefusal` that
names the element's FHIR path.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import ContentError, Problem
from .medicine import UNIT_NAMES, MedicineProfile
from .regimen import Mg

UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
MASS_IN_MG = {"mg": Decimal(1), "g": Decimal(1000), "ug": Decimal("0.001")}
# Units of presentation: SNOMED CT (dm+d's units) and UCUM annotations, to the form they count.
FORM_UNITS = {
    (SNOMED, "428673006"): "tablet",  # Tablet (unit of product usage)
    (SNOMED, "732936001"): "tablet",  # Tablet (unit of presentation)
    (SNOMED, "428641000"): "capsule",  # Capsule (unit of product usage)
    (SNOMED, "258773002"): "liquid",  # mL
    (UCUM, "ml"): "liquid",
    (UCUM, "{tbl}"): "tablet",
    (UCUM, "{tablet}"): "tablet",
    (UCUM, "{capsule}"): "capsule",
    (UCUM, "{patch}"): "patch",
    (UCUM, "{spray}"): "spray",
    (UCUM, "{injection}"): "injection",
}
MAX_DECIMALS = 2  # the regimen grammar's


class FhirRefusal(ContentError):
    """A prescription this tool will not print, naming the FHIR element that stops it."""

    def __init__(self, path: str, message: str):
        super().__init__([Problem(path=path, message=message)])


def quantity_mg(quantity, path: str, medicine: MedicineProfile) -> Mg:
    """``quantity`` (a FHIR Quantity) in mg of ``medicine``."""
    if quantity.comparator:
        raise FhirRefusal(f"{path}.comparator", "a dose 'at most' or 'at least' is not one dose; ask for one dose")
    if quantity.value is None or quantity.value <= 0:
        raise FhirRefusal(f"{path}.value", "expected a dose more than 0")
    value = Decimal(str(quantity.value))
    system, code = quantity.system or "", quantity.code or ""
    if not system or not code:
        where = f"{path}.system" if not system else f"{path}.code"
        raise FhirRefusal(where, "the unit is not coded; expected UCUM mg or g, or a coded unit such as a tablet")
    if system == UCUM and code in MASS_IN_MG:
        return _checked(value * MASS_IN_MG[code], path)
    form = FORM_UNITS.get((system, code.lower() if system == UCUM else code))
    if form is None:
        message = (f"unit '{code[:40]}' of {system[:60]} is not a unit this tool knows; expected UCUM mg or g, "
                   "or a tablet, capsule, mL, patch, spray or injection")  # fmt: skip
        raise FhirRefusal(f"{path}.code", message)
    return _checked(value * _strength(form, path, medicine), path)


def _strength(form: str, path: str, medicine: MedicineProfile) -> Decimal:
    """The mg in one counted unit; refused for another form or where several strengths are dispensed."""
    if form != medicine.form:
        wanted = "mL" if medicine.form == "liquid" else UNIT_NAMES[medicine.form]
        counted = "mL" if form == "liquid" else UNIT_NAMES[form]
        raise FhirRefusal(f"{path}.code", f"a dose in {counted}, but {medicine.name} is dosed in {wanted}")
    if len(medicine.strengths_mg) > 1:
        message = (f"a number of {UNIT_NAMES[form]} is ambiguous: {medicine.name} comes as "
                   f"{medicine.strengths_text()}; ask for the dose in mg")  # fmt: skip
        raise FhirRefusal(f"{path}.code", message)
    return medicine.strength_mg


def _checked(mg: Decimal, path: str) -> Mg:
    if -mg.normalize().as_tuple().exponent > MAX_DECIMALS:
        raise FhirRefusal(f"{path}.value", f"{mg.normalize()} mg has more than {MAX_DECIMALS} decimals")
    return int(mg) if mg == mg.to_integral_value() else mg.normalize()
