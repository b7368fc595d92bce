"""What a medicine is, from the ``medicine:`` block of ``leaflet.yaml``.

The block is the only place that knows a medicine: its name, form, strength,
whether a tablet may be halved, its hard limits and its standard regimens.
:func:`prescribe` checks a regimen against it: every dose a whole number of the
smallest step, the limits refused always, anything else unusual needing
confirmation. A leaflet without the block is a general leaflet: it takes no
regimen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Problem
from .fields import check_bool, check_text, found, has_errors, read_fields
from .regimen import DAY_NAMES, WEEKLY, DoseSchedule, Mg, RegimenError, format_mg, parse_regimen
from .yaml_source import LineDict

FORMS = ("tablet", "capsule", "liquid")
SPLITS = ("none", "half")
LIQUID_STEP_ML = Decimal("0.5")  # what an oral syringe or measuring cup measures reliably
AMOUNT_RE = re.compile(r"([0-9]{1,6}(?:\.[0-9]{1,3})?) ?(mg|mg/ml)", re.IGNORECASE)


@dataclass(frozen=True)
class MedicineProfile:
    """One medicine, as its leaflet describes it. Amounts are in mg (per mL for a liquid)."""

    name: str
    form: str  # tablet | capsule | liquid
    strength_mg: Decimal
    split: str  # none | half (tablets only)
    max_per_day_mg: Decimal
    max_per_week_mg: Decimal | None
    standard_regimens: tuple[str, ...]
    supervised: bool

    @property
    def step_mg(self) -> Decimal:
        """The smallest dose that can be given: a unit, half a scored tablet, or 0.5 mL of a liquid."""
        if self.form == "liquid":
            return self.strength_mg * LIQUID_STEP_ML
        return self.strength_mg / 2 if self.split == "half" else self.strength_mg

    def units(self, mg: Mg) -> Decimal:
        """How many tablets or capsules (halves allowed where scored), or mL, make ``mg``."""
        return Decimal(mg) / self.strength_mg

    def describe(self) -> str:
        """'<name> comes as 20 mg scored tablets that can be halved', for messages."""
        strength = format_mg(_plain(self.strength_mg))
        if self.form == "liquid":
            return f"{self.name} comes as a liquid of {strength} mg in each mL"
        kind = "scored tablets that can be halved" if self.split == "half" else f"{self.form}s that cannot be split"
        return f"{self.name} comes as {strength} mg {kind}"


def prescribe(spec: str, medicine: MedicineProfile, *, confirm_unusual: bool = False) -> DoseSchedule:
    """Parse ``spec`` and check it against ``medicine``; refuse unsafe doses always, unusual ones unconfirmed."""
    schedule = parse_regimen(spec)
    _check_steps(spec, schedule, medicine)
    _check_limits(spec, schedule, medicine)
    standard = schedule.doses in standard_weeks(medicine)
    if not standard and not confirm_unusual:
        listed = "; ".join(medicine.standard_regimens) or "none are set for it"
        raise RegimenError(
            spec,
            f"this is not one of the standard schedules for {medicine.name} ({listed}); "
            "check the prescription and add --confirm-unusual-dose if it is right",
        )
    return DoseSchedule(schedule.spec, schedule.pattern, schedule.doses, standard, schedule.times)


def standard_weeks(medicine: MedicineProfile) -> set[tuple]:
    """The weeks of doses the standard regimens give; a weekday regimen started on another day counts too
    (100, 100, 150 mg on Tuesday, Thursday and Saturday keeps the rhythm of Monday, Wednesday, Friday)."""
    weeks = set()
    for text in medicine.standard_regimens:
        schedule = parse_regimen(text)
        if schedule.pattern != WEEKLY:
            weeks.add(schedule.doses)
            continue
        weeks.update(schedule.doses[shift:] + schedule.doses[:shift] for shift in range(7))
    return weeks


def _check_steps(spec: str, schedule: DoseSchedule, medicine: MedicineProfile) -> None:
    step = medicine.step_mg
    for mg in schedule.every_dose:
        if Decimal(mg) % step:
            examples = ", ".join(format_mg(_plain(step * n)) for n in (1, 2, 3))
            unit = {"tablet": "half tablets" if medicine.split == "half" else "tablets", "capsule": "capsules"}
            what = unit.get(medicine.form, f"{format_mg(_plain(LIQUID_STEP_ML))} mL measures")
            raise RegimenError(
                spec,
                f"{format_mg(mg)} mg: {medicine.describe()}; each dose must be a whole number of {what} "
                f"({examples}, ... mg)",
            )


def _check_limits(spec: str, schedule: DoseSchedule, medicine: MedicineProfile) -> None:
    limit = format_mg(_plain(medicine.max_per_day_mg))
    for index in schedule.dosing_days:
        total = schedule.day_total(index)
        if total > medicine.max_per_day_mg:
            where = _where(schedule, index)
            raise RegimenError(spec, f"{format_mg(total)} mg {where} is more than {limit} mg in one day")
    week_limit = medicine.max_per_week_mg
    if week_limit is not None and schedule.week_total > week_limit:
        raise RegimenError(
            spec,
            f"{format_mg(schedule.week_total)} mg a week is more than the {format_mg(_plain(week_limit))} mg "
            f"a week that {medicine.name} allows",
        )


def _where(schedule: DoseSchedule, index: int) -> str:
    doses = schedule.doses[index]
    if schedule.pattern == WEEKLY:
        return f"on {DAY_NAMES[index]}"
    if len(doses) == 2 and doses[0] == doses[1]:
        return f"a day (twice {format_mg(doses[0])} mg)"
    return "a day"


def _plain(value: Decimal) -> Mg:
    return int(value) if value == value.to_integral_value() else value


# --- reading the block ---------------------------------------------------------


def check_amount(value, per_ml: bool = False) -> Decimal:
    text = value if isinstance(value, str) else ""
    match = AMOUNT_RE.fullmatch(text.strip())
    unit = "mg/mL" if per_ml else "mg"
    if not match or (match.group(2).lower() == "mg/ml") != per_ml or Decimal(match.group(1)) <= 0:
        example = "1 mg/mL" if per_ml else "20 mg"
        raise ValueError(f'expected an amount in {unit} such as "{example}", got {text or found(value)}'[:160])
    return Decimal(match.group(1))


def check_choice(choices: tuple[str, ...]):
    def check(value) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {found(value)}"[:120])
        return value

    return check


def check_regimen_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("expected a list of regimens such as [daily:50, 'mon:100,wed:100,fri:150']")
    for item in value:
        try:
            parse_regimen(item)
        except RegimenError as error:
            raise ValueError(str(error)) from None
    return tuple(value)


FIELDS = {
    "name": (True, lambda value: check_text(value, 80)),
    "form": (True, check_choice(FORMS)),
    "strength": (True, lambda value: value),  # checked with the form: a liquid's strength is per mL
    "split": (False, check_choice(SPLITS)),
    "max_per_day": (True, check_amount),
    "max_per_week": (False, check_amount),
    "standard_regimens": (False, check_regimen_list),
    "supervised": (False, check_bool),
}


def read_medicine(data, label: str, line: int) -> tuple[MedicineProfile | None, list[Problem]]:
    """Validate the ``medicine:`` block (file:line, field, expected, found)."""
    if not isinstance(data, LineDict):
        return None, [Problem(label, "expected a mapping of name, form, strength, ...", line, "medicine")]
    values, problems = read_fields(data, label, FIELDS, "medicine.")
    form = values.get("form")
    if "strength" in values:
        try:
            values["strength"] = check_amount(values["strength"], per_ml=form == "liquid")
        except ValueError as exc:
            problems.append(Problem(label, str(exc), data.line_of("strength"), "medicine.strength"))
            del values["strength"]
    if "split" in values and form != "tablet":
        problems.append(Problem(label, f"only tablets can be split; remove it for a {form}", data.line_of("split"),
                                "medicine.split"))  # fmt: skip
    if has_errors(problems):
        return None, problems
    medicine = MedicineProfile(
        name=values["name"],
        form=form,
        strength_mg=values["strength"],
        split=values.get("split", "none"),
        max_per_day_mg=values["max_per_day"],
        max_per_week_mg=values.get("max_per_week"),
        standard_regimens=values.get("standard_regimens", ()),
        supervised=values.get("supervised", False),
    )
    return medicine, problems + _check_standard_regimens(medicine, data, label)


def _check_standard_regimens(medicine: MedicineProfile, data: LineDict, label: str) -> list[Problem]:
    """Each standard regimen must itself pass the medicine's steps and limits."""
    problems = []
    for spec in medicine.standard_regimens:
        try:
            prescribe(spec, medicine, confirm_unusual=True)
        except RegimenError as error:
            problems.append(Problem(label, str(error), data.line_of("standard_regimens"), "medicine.standard_regimens"))
    return problems
