"""The dose guard: a regimen checked against what a medicine allows.

Every dose must be made of what is dispensed; ``max_per_day`` holds on every
day of a course and ``max_per_week`` in every 7-day window (a weekday pattern
is checked from every weekday it could start on); anything not among the
medicine's standard regimens needs confirmation. Every refusal is a
:class:`RegimenError` naming the medicine, and for a course the phase and day.
"""

from __future__ import annotations

from decimal import Decimal

from .course import CourseDay, Phase, Regimen, course_days, parse_course
from .dose_units import MAX_UNITS_PER_DOSE
from .medicine import LIQUID_STEP_ML, UNIT_NAMES, MedicineProfile
from .regimen import AS_NEEDED, DAY_NAMES, WEEKLY, DoseSchedule, Mg, RegimenError, format_mg

WINDOW = 7


def prescribe(spec: str, medicine: MedicineProfile, *, confirm_unusual: bool = False) -> Regimen:
    """Parse ``spec`` and check it against ``medicine``; refuse unsafe doses always, unusual ones unconfirmed."""
    regimen = parse_course(spec)
    for number, phase in enumerate(regimen.phases):
        _check_phase(regimen, number, phase, medicine)
    if regimen.weekly:
        _check_week(spec, regimen.weekly, medicine)
    else:
        _check_course(spec, regimen, medicine)
    standard = is_standard(regimen, medicine)
    if not standard and not confirm_unusual:
        listed = "; ".join(medicine.standard_regimens) or "none are set for it"
        raise RegimenError(
            spec,
            f"this is not one of the standard schedules for {medicine.name} ({listed}); "
            "check the prescription and add --confirm-unusual-dose if it is right",
        )
    return Regimen(regimen.spec, regimen.phases, standard)


def is_standard(regimen: Regimen, medicine: MedicineProfile) -> bool:
    """Whether ``regimen`` is one of the medicine's standard regimens. A weekday regimen started on another
    day keeps its rhythm (100, 100, 150 mg on Tuesday, Thursday and Saturday is Monday, Wednesday, Friday's)."""
    if regimen.weekly:
        return regimen.weekly.doses in standard_weeks(medicine)
    shape = _course_shape(regimen)
    return any(_course_shape(standard) == shape for standard in _standard_regimens(medicine))


def _standard_regimens(medicine: MedicineProfile) -> list[Regimen]:
    """The standard regimens that parse (one that does not is reported where the block is read)."""
    regimens = []
    for text in medicine.standard_regimens:
        try:
            regimens.append(parse_course(text))
        except RegimenError:
            continue
    return regimens


def standard_weeks(medicine: MedicineProfile) -> set[tuple]:
    weeks = set()
    for standard in _standard_regimens(medicine):
        schedule = standard.weekly
        if schedule is None:
            continue
        if schedule.pattern != WEEKLY:
            weeks.add(schedule.doses)
            continue
        weeks.update(schedule.doses[shift:] + schedule.doses[:shift] for shift in range(7))
    return weeks


def _course_shape(regimen: Regimen) -> tuple:
    return tuple((p.schedule.pattern, p.schedule.doses, p.schedule.interval, p.days) for p in regimen.phases)


def phase_label(regimen: Regimen, number: int) -> str:
    """'day 3 (four-times-daily:15): ' for a course; nothing for a regimen of one pattern."""
    if regimen.weekly or (len(regimen.phases) == 1 and regimen.phases[0].schedule.pattern == AS_NEEDED):
        return ""
    first = sum(phase.days or 0 for phase in regimen.phases[:number]) + 1
    return f"day {first} ({regimen.phases[number].schedule.spec}): "


def _check_phase(regimen: Regimen, number: int, phase: Phase, medicine: MedicineProfile) -> None:
    """Each dose of the phase made of what is dispensed; an as-needed dose only with a gap set."""
    where = phase_label(regimen, number)
    schedule = phase.schedule
    for mg in dict.fromkeys(mg for day in schedule.doses for mg in day):
        problem = dose_problem(mg, medicine)
        if problem:
            raise RegimenError(regimen.spec, f"{where}{format_mg(mg)} mg: {problem}")
    if schedule.pattern == AS_NEEDED:
        mg = schedule.doses[0][0]
        if medicine.min_hours_between is None:
            message = f"{medicine.name} has no medicine.min_hours_between, so it cannot be prescribed as needed"
            raise RegimenError(regimen.spec, f"{where}{message}")
        if mg > medicine.max_per_day_mg:
            raise RegimenError(regimen.spec, f"{where}{format_mg(mg)} mg {_more_than_a_day(medicine)}")


def dose_problem(mg: Mg, medicine: MedicineProfile) -> str:
    """Why one dose cannot be given from what is dispensed, or ''."""
    if medicine.form == "liquid":
        if Decimal(mg) % medicine.step_mg:
            examples = ", ".join(format_mg(medicine.step_mg * n) for n in (1, 2, 3))
            return (f"{medicine.describe()}; each dose must be a whole number of "
                    f"{format_mg(LIQUID_STEP_ML)} mL measures ({examples}, ... mg)")  # fmt: skip
        return ""
    if medicine.composition(mg) is not None:
        return ""
    if medicine.form == "injection":
        return f"{medicine.describe()}; each dose is one injection of {medicine.strengths_text('or')}"
    if len(medicine.strengths_mg) == 1:
        unit = "half tablets" if medicine.split == "half" else UNIT_NAMES[medicine.form]
        examples = ", ".join(format_mg(medicine.step_mg * n) for n in (1, 2, 3))
        return f"{medicine.describe()}; each dose must be a whole number of {unit} ({examples}, ... mg)"
    halves = " and half tablets" if medicine.split == "half" else ""
    return (f"{medicine.describe()}; no number of {UNIT_NAMES[medicine.form]}{halves} makes it "
            f"(at most {MAX_UNITS_PER_DOSE} in one dose)")  # fmt: skip


def _check_week(spec: str, schedule: DoseSchedule, medicine: MedicineProfile) -> None:
    """A regimen of one pattern without end: each weekday, and the week."""
    for index in schedule.dosing_days:
        total = schedule.day_total(index)
        if total > medicine.max_per_day_mg:
            raise RegimenError(spec, f"{format_mg(total)} mg {_where(schedule, index)} {_more_than_a_day(medicine)}")
    week_limit = medicine.max_per_week_mg
    if week_limit is not None and schedule.week_total > week_limit:
        raise RegimenError(
            spec,
            f"{format_mg(schedule.week_total)} mg a week is more than the {format_mg(week_limit)} mg "
            f"a week that {medicine.name} allows",
        )


def _check_course(spec: str, regimen: Regimen, medicine: MedicineProfile) -> None:
    """Every day of the course and every 7-day window, from every weekday it could start on."""
    open_days = 2 * WINDOW + max(phase.schedule.interval for phase in regimen.phases)
    for first_weekday in range(7) if regimen.by_weekday else (0,):
        days = list(course_days(regimen, first_weekday, open_days=open_days))
        started = f" (started on a {DAY_NAMES[first_weekday]})" if regimen.by_weekday else ""
        for day in days:
            if sum(day.doses) > medicine.max_per_day_mg:
                where = f"day {day.day + 1}{started} ({regimen.phases[day.phase].schedule.spec}): "
                raise RegimenError(spec, f"{where}{format_mg(sum(day.doses))} mg {_more_than_a_day(medicine)}")
        _check_windows(spec, days, medicine, started)


def _check_windows(spec: str, days: list[CourseDay], medicine: MedicineProfile, started: str) -> None:
    limit = medicine.max_per_week_mg
    if limit is None:
        return
    totals = [sum(day.doses) for day in days]
    for start in range(max(len(totals) - WINDOW + 1, 1)):
        window = sum(totals[start : start + WINDOW])
        if window > limit:
            end = min(start + WINDOW, len(totals))
            raise RegimenError(
                spec,
                f"days {start + 1} to {end}{started}: {format_mg(window)} mg in 7 days is more than the "
                f"{format_mg(limit)} mg a week that {medicine.name} allows",
            )


def _more_than_a_day(medicine: MedicineProfile) -> str:
    return f"is more than {format_mg(medicine.max_per_day_mg)} mg in one day"


def _where(schedule: DoseSchedule, index: int) -> str:
    doses = schedule.doses[index]
    if schedule.pattern == WEEKLY:
        return f"on {DAY_NAMES[index]}"
    if len(doses) == 2 and doses[0] == doses[1]:
        return f"a day (twice {format_mg(doses[0])} mg)"
    return "a day"
