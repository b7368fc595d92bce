"""Regimens as clinics prescribe them: several strengths, phases with an end, every N days, as needed.

Unit tests of the four steps (parse, prescribe, lay out, describe) and a property test that every
accepted course, laid out by date, keeps the medicine's limits and adds up to the sum of its phases.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflets.personal.course_calendar import DAY, FROM, RANGE, lay_out
from leaflets.source.course import course_days, parse_course
from leaflets.source.dose_units import UnitCount, compose
from leaflets.source.medicine import MedicineProfile
from leaflets.source.medicine_block import read_medicine
from leaflets.source.prescribing import prescribe
from leaflets.source.regimen import RegimenError
from leaflets.source.yaml_source import parse_yaml

D = Decimal


def profile(yaml_text: str) -> MedicineProfile:
    medicine, problems = read_medicine(parse_yaml(yaml_text, "leaflet.yaml"), "leaflet.yaml", 1)
    assert [p for p in problems if p.severity == "error"] == [] and medicine is not None, problems
    return medicine


SUBLINGUAL = profile("name: sublinga\nform: tablet\nstrengths: [2 mg, 8 mg]\nmax_per_day: 32 mg\n"
                     "standard_regimens: [daily:12]")  # fmt: skip
DETOX_COURSE = (
    "four-times-daily:20 for 2 days then four-times-daily:15 for 1 day then three-times-daily:10 for 2 days "
    "then twice-daily:10 for 1 day then night:10 for 1 day"
)
DETOX = profile(
    "name: detoxin\nform: capsule\nstrengths: [5 mg, 10 mg]\nmax_per_day: 100 mg\nmax_per_week: 500 mg\n"
    f"standard_regimens: ['{DETOX_COURSE}']"
)
LOADING = profile("name: loadin\nform: tablet\nstrength: 200 mg\nsplit: half\nmax_per_day: 800 mg\n"
                  "standard_regimens: ['daily:800 for 1 day then daily:600 for 1 day then daily:200']")  # fmt: skip
DEPOT = profile("name: depotin\nform: injection\nstrengths: [100 mg, 300 mg]\nmax_per_day: 300 mg\n"
                "standard_regimens: [every-28-days:300]")  # fmt: skip
SPRAY = profile("name: sprayol\nform: spray\nstrength: 1 mg\nmax_per_day: 4 mg\nmin_hours_between: 4\n"
                "standard_regimens: [as-needed:1]")  # fmt: skip


# --- composing a dose from what is dispensed ----------------------------------------------------


@pytest.mark.parametrize(
    ("mg", "strengths", "halves", "expected"),
    [
        (12, (2, 8), False, ((8, "1"), (2, "2"))),  # one 8 mg and two 2 mg, never six 2 mg
        (16, (2, 8), False, ((8, "2"),)),
        (6, (1, 3, 4), False, ((3, "2"),)),  # the fewest units, not the largest first greedily
        (15, (5, 10), False, ((10, "1"), (5, "1"))),
        (25, (50,), True, ((50, "0.5"),)),
        (75, (50,), True, ((50, "1.5"),)),
        ("1.2", ("0.4", "2"), False, ((D("0.4"), "3"),)),
    ],
)
def test_a_dose_is_the_fewest_units_largest_first(mg, strengths, halves, expected):
    composition = compose(D(str(mg)), tuple(D(str(s)) for s in strengths), halves=halves)
    assert composition == tuple(UnitCount(D(str(s)), D(c)) for s, c in expected)


@pytest.mark.parametrize(("mg", "strengths"), [(7, (2, 8)), (3, (2,)), (D("0.1"), (D("0.4"),))])
def test_a_dose_no_combination_makes_has_none(mg, strengths):
    assert compose(D(str(mg)), tuple(D(str(s)) for s in strengths)) is None


# --- the grammar of phases ----------------------------------------------------------------------


def test_phases_parse_with_lengths_in_days_and_weeks():
    regimen = parse_course("daily:21 for 6 weeks then daily:14 for 2 weeks then daily:7 for 14 days")
    assert [phase.days for phase in regimen.phases] == [42, 14, 14]
    assert regimen.ends and regimen.is_course and regimen.fixed_days == 70
    assert regimen.spec == "daily:21 for 42 days then daily:14 for 14 days then daily:7 for 14 days"


def test_a_last_phase_without_length_carries_on():
    regimen = parse_course("daily:800 for 1 day then daily:200")
    assert not regimen.ends and regimen.is_course and regimen.weekly is None


def test_one_pattern_without_end_is_a_week_as_before():
    regimen = parse_course("mon:100,wed:100,fri:150")
    assert not regimen.is_course and regimen.weekly.spec == "mon:100,wed:100,fri:150"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "daily:20 then daily:10 for 3 days",
            "phase 1 ('daily:20') has no length, but another phase follows it; "
            "write e.g. 'daily:20 for 3 days then daily:10'",
        ),
        ("daily:20 for 0 days then daily:10", "phase 1 ('daily:20 for 0 days') lasts 0 days; give it at least 1 day"),
        ("daily:20 for 2 days then dialy:10", "phase 2 ('dialy:10'): unknown day or schedule 'dialy'"),
        ("every-1-days:300", "every 1 days: expected a number of days from 2 to 90"),
        ("every-91-days:300", "every 91 days: expected a number of days from 2 to 90"),
        ("every-28-days:300,mon:100", "'every-28-days' cannot be combined with other kinds of entry"),
    ],
)
def test_malformed_phases_are_refused_with_the_phase_named(spec, message):
    with pytest.raises(RegimenError) as caught:
        parse_course(spec)
    assert message in str(caught.value)


# --- the guard ----------------------------------------------------------------------------------


def refusal(spec: str, medicine: MedicineProfile, confirm: bool = True) -> str:
    with pytest.raises(RegimenError) as caught:
        prescribe(spec, medicine, confirm_unusual=confirm)
    return str(caught.value)


def test_the_standard_detox_course_is_standard():
    regimen = prescribe(DETOX_COURSE, DETOX)
    assert regimen.standard and regimen.ends and regimen.fixed_days == 7


def test_a_dose_no_strength_makes_is_refused_naming_phase_and_strengths():
    spec = "four-times-daily:20 for 2 days then four-times-daily:12 for 1 day"
    assert refusal(spec, DETOX) == (
        f"regimen '{spec}': day 3 (four-times-daily:12): 12 mg: detoxin comes as 5 mg and 10 mg capsules that "
        "cannot be split; no number of capsules makes it (at most 40 in one dose)"
    )


def test_a_day_over_the_maximum_is_refused_even_confirmed():
    spec = "four-times-daily:20 for 2 days then four-times-daily:30 for 1 day"
    assert refusal(spec, DETOX) == (
        f"regimen '{spec}': day 3 (four-times-daily:30): 120 mg is more than 100 mg in one day"
    )


def test_a_window_over_the_weekly_maximum_is_refused_even_confirmed():
    spec = "four-times-daily:20 for 6 days then three-times-daily:10 for 1 day"  # 6 x 80 + 30 = 510 mg
    assert refusal(spec, DETOX) == (
        f"regimen '{spec}': days 1 to 7: 510 mg in 7 days is more than the 500 mg a week that detoxin allows"
    )


def test_a_window_spanning_two_phases_is_checked():
    spec = "four-times-daily:20 for 4 days then four-times-daily:20 for 3 days"  # 7 x 80 = 560 mg
    message = refusal(spec, DETOX)
    assert "days 1 to 7: 560 mg in 7 days is more than the 500 mg a week that detoxin allows" in message


def test_the_loading_dose_is_day_one_only():
    regimen = prescribe("daily:800 for 1 day then daily:600 for 1 day then daily:200", LOADING)
    days = list(course_days(regimen, first_weekday=3, open_days=7))  # a Thursday start is fine: day 1 is day 1
    assert [sum(day.doses) for day in days][:4] == [800, 600, 200, 200]
    assert sum(1 for day in days if sum(day.doses) == 800) == 1


def test_an_injection_is_one_injection_of_a_listed_strength():
    assert "each dose is one injection of 100 mg or 300 mg" in refusal("every-28-days:400", DEPOT)
    assert "each dose is one injection of 100 mg or 300 mg" in refusal("every-28-days:200", DEPOT)


def test_as_needed_needs_a_gap_between_doses():
    no_gap = profile("name: x\nform: spray\nstrength: 1 mg\nmax_per_day: 4 mg")
    assert "x has no medicine.min_hours_between, so it cannot be prescribed as needed" in refusal("as-needed:1", no_gap)
    assert prescribe("as-needed:1", SPRAY).standard


def test_unusual_course_needs_confirmation():
    spec = "four-times-daily:20 for 1 day then night:10 for 1 day"
    assert "not one of the standard schedules for detoxin" in refusal(spec, DETOX, confirm=False)
    assert not prescribe(spec, DETOX, confirm_unusual=True).standard


def test_every_bad_standard_regimen_is_reported():
    _medicine, problems = read_medicine(
        parse_yaml(
            "name: x\nform: tablet\nstrength: 10 mg\nmax_per_day: 20 mg\n"
            "standard_regimens: [daily:15, 'daily:30', dialy:10, daily:10]",
            "leaflet.yaml",
        ),
        "leaflet.yaml",
        1,
    )
    messages = [p.message for p in problems if p.field == "medicine.standard_regimens"]
    assert len(messages) == 3
    assert any("daily:15" in m for m in messages) and any("daily:30" in m for m in messages)
    assert any("dialy" in m for m in messages)


# --- laying out by date -------------------------------------------------------------------------


def test_a_course_is_laid_out_by_date_from_day_one():
    calendar = lay_out(prescribe(DETOX_COURSE, DETOX), date(2027, 1, 7))  # a Thursday
    assert [row.kind for row in calendar.rows] == [DAY] * 7
    assert calendar.date_of(calendar.rows[0].first) == date(2027, 1, 7)
    assert calendar.date_of(calendar.last_day) == date(2027, 1, 13)


def test_a_long_phase_is_one_row_with_its_dates():
    regimen = parse_course("daily:21 for 6 weeks then daily:14 for 2 weeks then daily:7")
    calendar = lay_out(regimen, date(2027, 1, 4))
    assert [(row.kind, row.first, row.last) for row in calendar.rows] == [
        (RANGE, 0, 41),
        (RANGE, 42, 55),
        (FROM, 56, None),
    ]
    assert calendar.last_day is None


def test_every_n_days_lists_the_next_three_dates():
    calendar = lay_out(parse_course("every-28-days:300"), date(2027, 1, 4))
    assert [calendar.date_of(row.first) for row in calendar.rows] == [
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
    ]


# --- the property: every accepted course keeps the limits and adds up ---------------------------

PATTERNS = st.sampled_from(["daily", "twice-daily", "three-times-daily", "four-times-daily", "night", "every-2-days",
                            "every-3-days"])  # fmt: skip
PHASE = st.tuples(PATTERNS, st.integers(1, 8).map(lambda n: n * 5), st.integers(1, 20))


@settings(max_examples=150, deadline=None)
@given(phases=st.lists(PHASE, min_size=1, max_size=5), open_end=st.booleans())
def test_every_accepted_course_keeps_its_limits_and_adds_up(phases, open_end):
    parts = [f"{pattern}:{mg} for {days} days" for pattern, mg, days in phases]
    if open_end:
        parts[-1] = parts[-1].split(" for ")[0]
    spec = " then ".join(parts)
    try:
        regimen = prescribe(spec, DETOX, confirm_unusual=True)
    except RegimenError as error:
        assert str(error).startswith("regimen '")
        return
    days = list(course_days(regimen, 0, open_days=21))
    totals = [sum(day.doses) for day in days]
    assert all(total <= DETOX.max_per_day_mg for total in totals)
    assert all(sum(totals[i : i + 7]) <= DETOX.max_per_week_mg for i in range(max(len(totals) - 6, 1)))
    fixed = sum(totals[: regimen.fixed_days])
    assert fixed == sum(_phase_total(phase) for phase in regimen.phases if phase.days)
    calendar = lay_out(regimen, date(2027, 1, 4))
    assert _calendar_total(calendar, regimen.fixed_days) == fixed


def _phase_total(phase) -> int:
    schedule = phase.schedule
    if schedule.pattern == "every-n-days":
        return -(-phase.days // schedule.interval) * sum(schedule.doses[0])
    return phase.days * sum(schedule.doses[0])


def _calendar_total(calendar, fixed_days: int) -> int:
    total = 0
    for row in calendar.rows:
        if row.kind == DAY and row.first < fixed_days:
            total += sum(row.doses)
        elif row.kind == RANGE:
            total += (row.last - row.first + 1) * sum(row.doses)
    return total


def test_the_plan_never_speaks_of_other_days_when_there_are_none():
    from leaflets.i18n.translator import english
    from leaflets.personal.dose_wording import DoseWording
    from leaflets.personal.plan_words import schedule_sentence

    words = DoseWording(DETOX, "en", english())
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    every_day = parse_course("mon:40,tue:35,wed:30,thu:25,fri:20,sat:15,sun:10").weekly
    some_days = parse_course("mon:40,wed:30").weekly
    assert "other days" not in schedule_sentence(every_day, names, "en", words)
    assert schedule_sentence(some_days, names, "en", words).endswith("Take no capsules on the other days.")
