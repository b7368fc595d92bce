"""A MedicationRequest's ``dosageInstruction`` as a regimen in the grammar, or a refusal naming the FHIR path.

The mapping is total: each element of a ``Dosage`` is used or refused (:func:`fhir_timing.refuse_unread`).

- Lines with the same ``sequence`` are one phase: their times of day, or their weekdays, are combined
  (Monday and Wednesday 100 mg in one line, Friday 150 mg in another). Sequences follow each other in
  order; each but the last needs a length (``boundsDuration``). Without ``sequence`` all lines are one phase.
- ``doseAndRate``: one ``doseQuantity`` (:mod:`.fhir_dose`), ``type`` only ``ordered``; ``doseRange`` and
  rates are refused.
- ``asNeededBoolean`` true: ``as-needed:D``, with no timing but a length (the sheet prints the medicine's
  own gap and daily limit); ``asNeededCodeableConcept`` is refused.
- ``maxDosePerPeriod`` (per day or week) is refused when looser than the medicine's limit or than the plan
  itself; for an as-needed dose, when it differs from the limit the sheet prints.
  ``maxDosePerAdministration`` and ``maxDosePerLifetime`` are refused.
- The prescriber's words (``text``, ``patientInstruction``, and the words of ``additionalInstruction``,
  ``route``, ``site`` and ``method``) are kept to print as "As prescribed: ..." beside the plan.

The regimen then goes through the same guard as a typed one (:func:`.prescribing.prescribe`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .course import Regimen, course_days, parse_course
from .fhir_dose import FhirRefusal, quantity_mg
from .fhir_timing import MODIFIER, LineTiming, as_needed_timing, line_timing, refuse_unread
from .medicine import MedicineProfile
from .regimen import REPEATS, Mg, format_mg

DOSAGE_USED = ("sequence", "text", "additionalInstruction", "patientInstruction", "timing", "asNeededBoolean",
               "site", "route", "method", "doseAndRate", "maxDosePerPeriod")  # fmt: skip
DOSAGE_REFUSED = {
    "modifierExtension": MODIFIER,
    "asNeededCodeableConcept": "as needed for a stated reason cannot be printed yet; ask for asNeededBoolean",
    "maxDosePerAdministration": "a most per dose cannot be printed as a plan; ask for one dose",
    "maxDosePerLifetime": "a most in a lifetime cannot be printed as a plan",
}
DOSE_REFUSED = {
    "doseRange": "a range of doses cannot be printed as one plan; ask the prescriber for one dose",
    "rateRatio": "a rate cannot be printed as doses to take; ask for a dose and its timing",
    "rateRange": "a rate cannot be printed as doses to take; ask for a dose and its timing",
    "rateQuantity": "a rate cannot be printed as doses to take; ask for a dose and its timing",
}
NAMES = {count: name for name, count in REPEATS.items()}
MAX_WORDS = 400  # the prescriber's words, as printed under the plan
PER = {("d", 1): 1, ("h", 24): 1, ("wk", 1): 7, ("d", 7): 7}  # maxDosePerPeriod's denominator, in days


@dataclass(frozen=True)
class DosagePlan:
    """The regimen in the grammar, the first day the prescription gives, and the prescriber's words."""

    spec: str
    start: date | None
    words: str


@dataclass(frozen=True)
class _Line:
    path: str
    mg: Mg
    timing: LineTiming


def dosage_plan(
    lines: list, medicine: MedicineProfile, path: str = "MedicationRequest.dosageInstruction"
) -> DosagePlan:
    """Map every dosage line, combine the lines of each sequence and join the sequences into phases."""
    if not lines:
        raise FhirRefusal(path, "no dosage instruction: nothing says how much to take or when")
    mapped = [_line(line, f"{path}[{index}]", medicine) for index, line in enumerate(lines)]
    groups = _sequences(lines, mapped, path)
    phases = [_phase(group, last=number == len(groups) - 1) for number, group in enumerate(groups)]
    spec = " then ".join(phases)
    regimen = parse_course(spec)
    for number, group in enumerate(groups):
        for line in group:
            _check_cap(lines[mapped.index(line)], line, regimen, number, medicine)
    return DosagePlan(spec, _start(groups), _words(lines, path))


def _line(line, path: str, medicine: MedicineProfile) -> _Line:
    refuse_unread(line, path, DOSAGE_USED, DOSAGE_REFUSED)
    mg = _dose(line, path, medicine)
    if line.asNeededBoolean:
        return _Line(path, mg, as_needed_timing(line.timing, f"{path}.timing"))
    if line.timing is None:
        raise FhirRefusal(f"{path}.timing", "no timing: when to take the dose is not said")
    return _Line(path, mg, line_timing(line.timing, f"{path}.timing"))


def _dose(line, path: str, medicine: MedicineProfile) -> Mg:
    doses = line.doseAndRate or []
    if len(doses) != 1:
        where = f"{path}.doseAndRate" + (f"[{1}]" if doses else "")
        raise FhirRefusal(where, "expected exactly one dose (doseAndRate with a doseQuantity)")
    dose, where = doses[0], f"{path}.doseAndRate[0]"
    refuse_unread(dose, where, ("type", "doseQuantity"), DOSE_REFUSED)
    if dose.type is not None and [c.code for c in dose.type.coding or []] != ["ordered"]:
        raise FhirRefusal(f"{where}.type", "expected the ordered dose (type 'ordered'), not a calculated one")
    if dose.doseQuantity is None:
        raise FhirRefusal(f"{where}.doseQuantity", "no dose: expected a doseQuantity")
    return quantity_mg(dose.doseQuantity, f"{where}.doseQuantity", medicine)


def _sequences(lines: list, mapped: list[_Line], path: str) -> list[list[_Line]]:
    """The lines grouped by sequence, in order; all in one group when none has a sequence."""
    numbers = [line.sequence for line in lines]
    if all(number is None for number in numbers):
        return [mapped]
    if None in numbers:
        index = numbers.index(None)
        raise FhirRefusal(f"{path}[{index}].sequence", "other lines have a sequence and this one has none")
    return [[m for m, n in zip(mapped, numbers, strict=True) if n == number] for number in sorted(set(numbers))]


def _phase(group: list[_Line], *, last: bool) -> str:
    """One phase in the grammar: the pattern of its lines combined, and its length."""
    lengths = {line.timing.days for line in group}
    if len(lengths) > 1:
        raise FhirRefusal(f"{group[1].path}.timing.repeat", "the lines of one sequence have different lengths")
    days = lengths.pop()
    if days is None and not last:
        message = "another sequence follows, so this one needs a length (boundsDuration)"
        raise FhirRefusal(f"{group[0].path}.timing.repeat.boundsDuration", message)
    pattern = _pattern(group)
    return pattern if days is None else f"{pattern} for {days} {'day' if days == 1 else 'days'}"


def _pattern(group: list[_Line]) -> str:
    first = group[0]
    if len(group) == 1:
        return _single(first)
    if any(line.timing.kind == "as-needed" for line in group):
        raise FhirRefusal(group[1].path, "an as-needed dose cannot be combined with another line in a sequence")
    kinds = {line.timing.kind for line in group}
    if kinds not in ({"times"}, {"weekdays"}):
        message = (f"cannot be combined with {first.path} in one sequence: combine times of day (when) "
                   "or weekdays (dayOfWeek), one dose each")  # fmt: skip
        raise FhirRefusal(group[1].path, message)
    by_slot: dict[str, Mg] = {}
    for line in group:
        for slot in line.timing.slots:
            if slot in by_slot:
                raise FhirRefusal(f"{line.path}.timing.repeat", f"{slot} is given by two lines of one sequence")
            by_slot[slot] = line.mg
    order = ("morning", "midday", "evening", "night", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return ",".join(f"{slot}:{format_mg(by_slot[slot])}" for slot in order if slot in by_slot)


def _single(line: _Line) -> str:
    dose, timing = format_mg(line.mg), line.timing
    if timing.kind == "as-needed":
        return f"as-needed:{dose}"
    if timing.kind == "per-day":
        return f"{NAMES[timing.count]}:{dose}"
    if timing.kind == "every-n":
        return f"every-{timing.interval}-days:{dose}"
    return ",".join(f"{slot}:{dose}" for slot in timing.slots)


def _start(groups: list[list[_Line]]) -> date | None:
    """boundsPeriod.start, given on the first sequence only (its lines agreeing)."""
    for number, group in enumerate(groups):
        for line in group:
            if line.timing.start and number > 0:
                message = "a later sequence's dates follow from the first; give its length as boundsDuration"
                raise FhirRefusal(f"{line.path}.timing.repeat.boundsPeriod", message)
    starts = {line.timing.start for line in groups[0] if line.timing.start}
    if len(starts) > 1:
        raise FhirRefusal(f"{groups[0][1].path}.timing.repeat.boundsPeriod.start", "the lines start on different days")
    return starts.pop() if starts else None


def _check_cap(line, mapped: _Line, regimen: Regimen, phase: int, medicine: MedicineProfile) -> None:
    """maxDosePerPeriod: never looser than the medicine's limit, never below the plan; as needed, the same as the
    limit the sheet prints."""
    cap = line.maxDosePerPeriod
    if cap is None:
        return
    path = f"{mapped.path}.maxDosePerPeriod"
    if cap.numerator is None or cap.denominator is None:
        raise FhirRefusal(path, "expected an amount per day or per week")
    mg = Decimal(quantity_mg(cap.numerator, f"{path}.numerator", medicine))
    days = PER.get((cap.denominator.code, cap.denominator.value))
    if days is None:
        raise FhirRefusal(f"{path}.denominator", "expected a most per day (1 d or 24 h) or per week (1 wk)")
    limit = medicine.max_per_day_mg if days == 1 else (medicine.max_per_week_mg or medicine.max_per_day_mg * 7)
    if mg > limit:
        message = f"{format_mg(mg)} mg is looser than the {format_mg(limit)} mg that {medicine.name} allows"
        raise FhirRefusal(path, message)
    if mapped.timing.kind == "as-needed":
        if days != 1 or mg != medicine.max_per_day_mg:
            message = (f"the sheet prints the most in a day as {format_mg(medicine.max_per_day_mg)} mg, the "
                       f"medicine's limit; another most ({format_mg(mg)} mg) cannot be printed")  # fmt: skip
            raise FhirRefusal(path, message)
        return
    totals = [sum(d.doses) for d in course_days(regimen, 0, open_days=28) if d.phase == phase]
    most = max((sum(totals[i : i + days]) for i in range(max(len(totals) - days + 1, 1))), default=0)
    if most > mg:
        raise FhirRefusal(path, f"the plan itself gives {format_mg(most)} mg, more than this most of {format_mg(mg)}")


def _words(lines: list, path: str) -> str:
    """The prescriber's words, each once, in order."""
    words: list[str] = []
    for index, line in enumerate(lines):
        where = f"{path}[{index}]"
        texts = [(f"{where}.text", line.text), (f"{where}.patientInstruction", line.patientInstruction)]
        for name in ("additionalInstruction", "route", "site", "method"):
            concepts = getattr(line, name)
            concepts = concepts if isinstance(concepts, list) else [concepts] if concepts else []
            texts += [(f"{where}.{name}", _concept_words(c, f"{where}.{name}")) for c in concepts]
        for element, text in texts:
            if text and any(unicodedata.category(ch)[0] == "C" for ch in text):
                raise FhirRefusal(element, "holds control or formatting characters; expected plain text")
            if text and " ".join(text.split()) not in words:
                words.append(" ".join(text.split()))
    joined = "; ".join(words)
    if len(joined) > MAX_WORDS:
        raise FhirRefusal(f"{path}[0].text", f"the prescriber's words are over {MAX_WORDS} characters; shorten them")
    return joined


def _concept_words(concept, path: str) -> str:
    """A coded instruction's words: its text, else its coding's display; a code alone cannot be shown."""
    text = concept.text or next((c.display for c in concept.coding or [] if c.display), "")
    if not text:
        raise FhirRefusal(path, "a code without words (text or display); the sheet shows the prescriber's words")
    return text
