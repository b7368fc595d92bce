"""Reading the ``medicine:`` block of ``leaflet.yaml`` into a :class:`MedicineProfile`.

Each problem is one line: file, line, ``medicine.<field>``, expected, found.
Every standard regimen must itself pass the medicine's guard, and every bad
one is reported.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import Problem
from .fields import check_bool, check_text, found, has_errors, read_fields
from .medicine import FORMS, SPLITS, MedicineProfile
from .prescribing import prescribe
from .regimen import TIMES, RegimenError
from .yaml_source import LineDict

AMOUNT_RE = re.compile(r"([0-9]{1,6}(?:\.[0-9]{1,3})?) ?(mg|mg/ml)", re.IGNORECASE)
MAX_STRENGTHS = 6
MAX_HOURS = Decimal(72)
CODE_RE = re.compile(r"[A-Za-z0-9:/._#{}-]{1,200}")


def check_amount(value, per_ml: bool = False) -> Decimal:
    text = value if isinstance(value, str) else ""
    match = AMOUNT_RE.fullmatch(text.strip())
    unit = "mg/mL" if per_ml else "mg"
    if not match or (match.group(2).lower() == "mg/ml") != per_ml or Decimal(match.group(1)) <= 0:
        example = "1 mg/mL" if per_ml else "20 mg"
        raise ValueError(f'expected an amount in {unit} such as "{example}", got {text or found(value)}'[:160])
    return Decimal(match.group(1))


def check_strengths(value) -> tuple[Decimal, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of amounts such as [2 mg, 8 mg], got {found(value)}"[:160])
    if len(value) > MAX_STRENGTHS:
        raise ValueError(f"expected at most {MAX_STRENGTHS} strengths, got {len(value)}")
    amounts = [check_amount(item) for item in value]
    if len(set(amounts)) != len(amounts):
        raise ValueError("each strength must be listed once")
    return tuple(sorted(amounts, reverse=True))


def check_choice(choices: tuple[str, ...]):
    def check(value) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {found(value)}"[:120])
        return value

    return check


def check_supervised(value) -> str:
    if value == "sometimes":
        return value
    try:
        return "always" if check_bool(value) else "never"
    except ValueError:
        raise ValueError(f"expected true, false or sometimes, got {found(value)}"[:120]) from None


def check_hours(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_HOURS:
        raise ValueError(f"expected a whole number of hours from 1 to {MAX_HOURS}, such as 4, got {found(value)}"[:120])
    return Decimal(value)


def check_codes(value) -> tuple[str, ...]:
    """``system|code`` entries, e.g. ``http://www.whocc.no/atc|N07BB04``: how a prescription names the medicine."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a list of system|code entries such as ['http://www.whocc.no/atc|N07BB04']")
    for item in value:
        system, _, code = item.partition("|") if isinstance(item, str) else ("", "", "")
        if not CODE_RE.fullmatch(system) or not code or not CODE_RE.fullmatch(code) or ":" not in system:
            raise ValueError(f"expected system|code such as 'http://www.whocc.no/atc|N07BB04', got {found(item)}"[:160])
    if len(set(value)) != len(value):
        raise ValueError("each code must be listed once")
    return tuple(value)


def check_regimen_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("expected a list of regimens such as [daily:50, 'mon:100,wed:100,fri:150']")
    return tuple(value)


FIELDS = {
    "name": (True, lambda value: check_text(value, 80)),
    "form": (True, check_choice(FORMS)),
    "strength": (False, lambda value: value),  # checked with the form: a liquid's strength is per mL
    "strengths": (False, check_strengths),
    "split": (False, check_choice(SPLITS)),
    "max_per_day": (True, check_amount),
    "max_per_week": (False, check_amount),
    "standard_regimens": (False, check_regimen_list),
    "supervised": (False, check_supervised),
    "how_to_take": (False, lambda value: check_text(value, 300)),
    "min_hours_between": (False, check_hours),
    "usual_time": (False, check_choice(TIMES)),
    "codes": (False, check_codes),
}


def read_medicine(data, label: str, line: int) -> tuple[MedicineProfile | None, list[Problem]]:
    """Validate the ``medicine:`` block (file:line, field, expected, found)."""
    if not isinstance(data, LineDict):
        return None, [Problem(label, "expected a mapping of name, form, strength, ...", line, "medicine")]
    values, problems = read_fields(data, label, FIELDS, "medicine.")
    form = values.get("form")
    problems += _read_strength(data, label, values, form)
    if "split" in values and form != "tablet":
        problems.append(Problem(label, f"only tablets can be split; remove it for a {form}", data.line_of("split"),
                                "medicine.split"))  # fmt: skip
    if has_errors(problems):
        return None, problems
    medicine = MedicineProfile(
        name=values["name"],
        form=form,
        strengths_mg=values["strengths"],
        split=values.get("split", "none"),
        max_per_day_mg=values["max_per_day"],
        max_per_week_mg=values.get("max_per_week"),
        standard_regimens=values.get("standard_regimens", ()),
        supervision=values.get("supervised", "never"),
        how_to_take=values.get("how_to_take", ""),
        min_hours_between=values.get("min_hours_between"),
        usual_time=values.get("usual_time", "morning"),
        codes=values.get("codes", ()),
    )
    return medicine, problems + _check_standard_regimens(medicine, data, label)


def _read_strength(data: LineDict, label: str, values: dict, form) -> list[Problem]:
    """``strength:`` (one) or ``strengths:`` (several; not for a liquid), into ``values['strengths']``."""
    if "strength" in values and "strengths" in values:
        message = "give strength (one) or strengths (a list), not both"
        return [Problem(label, message, data.line_of("strengths"), "medicine.strengths")]
    if "strengths" in values:
        if form == "liquid":
            message = "a liquid has one strength; write strength: <amount> mg/mL"
            return [Problem(label, message, data.line_of("strengths"), "medicine.strengths")]
        return []
    if "strength" not in data:
        return [Problem(label, "required field is missing (or strengths: [..])", data.start_line, "medicine.strength")]
    if "strength" not in values:
        return []
    try:
        values["strengths"] = (check_amount(values.pop("strength"), per_ml=form == "liquid"),)
    except ValueError as exc:
        return [Problem(label, str(exc), data.line_of("strength"), "medicine.strength")]
    return []


def _check_standard_regimens(medicine: MedicineProfile, data: LineDict, label: str) -> list[Problem]:
    """Each standard regimen must itself pass the medicine's steps and limits; every bad one is reported."""
    problems = []
    for spec in medicine.standard_regimens:
        try:
            prescribe(spec, medicine, confirm_unusual=True)
        except RegimenError as error:
            problems.append(Problem(label, str(error), data.line_of("standard_regimens"), "medicine.standard_regimens"))
    return problems
