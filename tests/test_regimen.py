"""Tests for the regimen grammar and each medicine's dose guard (leaflets.regimen, leaflets.medicine)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflets.errors import ContentError
from leaflets.source.medicine import MedicineProfile
from leaflets.source.medicine_block import read_medicine
from leaflets.source.prescribing import prescribe
from leaflets.source.regimen import DAYS, EXAMPLES, DoseSchedule, RegimenError
from leaflets.source.yaml_source import parse_yaml

REST = ()


def profile(yaml_text: str) -> MedicineProfile:
    medicine, problems = read_medicine(parse_yaml(yaml_text, "leaflet.yaml"), "leaflet.yaml", 1)
    assert problems == [] and medicine is not None
    return medicine


NALTREXONE = profile(
    """
name: naltrexone
form: tablet
strength: 50 mg
split: half
max_per_day: 150 mg
max_per_week: 350 mg
standard_regimens: [daily:50, twice-daily:25, 'mon:100,wed:100,fri:150']
"""
)
ACAMPROSATE = profile(
    """
name: acamprosate
form: tablet
strength: 333 mg
split: none
max_per_day: 1998 mg
standard_regimens: [three-times-daily:666, 'morning:666,midday:333,night:333']
"""
)
METHADONE = profile(
    """
name: methadone
form: liquid
strength: 1 mg/mL
max_per_day: 120 mg
standard_regimens: []
supervised: true
"""
)
STANDARD_MESSAGE = (
    "this is not one of the standard schedules for naltrexone (daily:50; twice-daily:25; mon:100,wed:100,fri:150); "
    "check the prescription and add --confirm-unusual-dose if it is right"
)
STEP_MESSAGE = (
    "naltrexone comes as 50 mg scored tablets that can be halved; each dose must be a whole number of half tablets "
    "(25, 50, 75, ... mg)"
)
ALL_SEVEN_AT_50 = "mon:50,tue:50,wed:50,thu:50,fri:50,sat:50,sun:50"


def parse(spec: str, medicine: MedicineProfile = NALTREXONE, confirm_unusual: bool = False) -> DoseSchedule:
    """The week of a regimen of one pattern without end, marked standard or not."""
    regimen = prescribe(spec, medicine, confirm_unusual=confirm_unusual)
    assert regimen.weekly is not None, spec
    return replace(regimen.weekly, standard=regimen.standard)


def error_text(spec: str, medicine: MedicineProfile = NALTREXONE, **kwargs) -> str:
    with pytest.raises(RegimenError) as caught:
        parse(spec, medicine, **kwargs)
    assert caught.value.lines() == [str(caught.value)]
    return str(caught.value)


# --- the three standard regimens ---------------------------------------------


@pytest.mark.parametrize(
    ("spec", "normalised", "pattern", "doses"),
    [
        ("daily:50", "daily:50", "daily", ((50,),) * 7),
        ("twice-daily:25", "twice-daily:25", "twice-daily", ((25, 25),) * 7),
        (
            "mon:100,wed:100,fri:150",
            "mon:100,wed:100,fri:150",
            "weekly",
            ((100,), REST, (100,), REST, (150,), REST, REST),
        ),
        (
            "sat:150,tue:100,thu:100",
            "tue:100,thu:100,sat:150",
            "weekly",
            (REST, (100,), REST, (100,), REST, (150,), REST),
        ),
    ],
)
def test_standard_regimens_parse_to_doses_per_day(spec, normalised, pattern, doses):
    schedule = parse(spec)
    assert schedule == DoseSchedule(spec=normalised, pattern=pattern, doses=doses, standard=True)


def test_day_totals_and_dosing_days():
    schedule = parse("mon:100,wed:100,fri:150")
    assert [schedule.day_total(i) for i in range(7)] == [100, 0, 100, 0, 150, 0, 0]
    assert schedule.dosing_days == [0, 2, 4]
    assert parse("twice-daily:25").day_total(3) == 50
    assert parse("daily:50").dosing_days == list(range(7))


@pytest.mark.parametrize(
    ("spec", "normalised"),
    [
        ("DAILY:50", "daily:50"),
        ("  Twice-Daily : 25 ", "twice-daily:25"),
        (" Mon : 100 ,WED:100,  fri:150 ", "mon:100,wed:100,fri:150"),
        ("daily:050", "daily:50"),
    ],
)
def test_case_and_whitespace_are_tolerated(spec, normalised):
    schedule = parse(spec)
    assert (schedule.spec, schedule.standard) == (normalised, True)


@pytest.mark.parametrize("spec", [ALL_SEVEN_AT_50, "SUN:50, sat:50,fri:50,thu:50,wed:50,tue:50,mon:50"])
def test_all_seven_days_at_50_is_the_daily_schedule(spec):
    assert parse(spec) == parse("daily:50")


def test_all_seven_days_alike_but_unusual_becomes_daily_and_stays_unusual():
    schedule = parse(ALL_SEVEN_AT_50.replace("50", "25"), confirm_unusual=True)
    assert (schedule.spec, schedule.pattern, schedule.standard) == ("daily:25", "daily", False)


# --- unusual schedules -------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        "daily:25",
        "mon:150,thu:150",
        "mon:25,wed:25",
        "mon:100,wed:100",
        "mon:100,wed:100,fri:100",
        "mon:100,tue:100,fri:150",
        "mon:50,tue:50,wed:50,thu:50,fri:50,sat:50",
        "mon:50,tue:50,wed:50,thu:50,fri:50,sat:25,sun:75",
    ],
)
def test_unusual_schedule_is_refused_without_confirmation(spec):
    assert error_text(spec) == f"regimen '{spec}': {STANDARD_MESSAGE}"


@pytest.mark.parametrize("spec", ["daily:25", "mon:100,wed:100", "sun:150", "mon:50,wed:50,fri:50,sun:50"])
def test_unusual_schedule_is_accepted_with_confirmation(spec):
    schedule = parse(spec, confirm_unusual=True)
    assert schedule.standard is False


def test_confirmed_weekly_schedule_keeps_its_doses():
    schedule = parse("tue:50,sat:125", confirm_unusual=True)
    assert schedule.doses == (REST, (50,), REST, REST, REST, (125,), REST)
    assert schedule.spec == "tue:50,sat:125"


# --- refusals, one per message -----------------------------------------------


@pytest.mark.parametrize("confirm", [False, True])
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("mon:100,wed:100,fri:250", "250 mg on Friday is more than 150 mg in one day"),
        ("daily:175", "175 mg a day is more than 150 mg in one day"),
        ("twice-daily:100", "200 mg a day (twice 100 mg) is more than 150 mg in one day"),
    ],
)
def test_more_than_150_mg_in_a_day_is_refused_even_with_confirmation(spec, message, confirm):
    assert error_text(spec, confirm_unusual=confirm) == f"regimen '{spec}': {message}"


@pytest.mark.parametrize("confirm", [False, True])
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("daily:30", f"30 mg: {STEP_MESSAGE}"),
        ("mon:100,wed:110,fri:150", f"110 mg: {STEP_MESSAGE}"),
        ("daily:0", "0 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
        ("twice-daily:-25", "-25 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
        ("daily:abc", "expected a number of mg, got 'abc'"),
        ("daily:50mg", "expected a number of mg, got '50mg'"),
        ("mon:12.5", f"12.5 mg: {STEP_MESSAGE}"),
        ("mon:100:50", "expected a number of mg, got '100:50'"),
    ],
)
def test_dose_that_is_not_whole_half_tablets_is_refused(spec, message, confirm):
    assert error_text(spec, confirm_unusual=confirm) == f"regimen '{spec}': {message}"


def test_unknown_day():
    assert error_text("mon:100,fry:100") == (
        "regimen 'mon:100,fry:100': unknown day 'fry'; use mon, tue, wed, thu, fri, sat or sun"
    )


def test_unknown_schedule_on_its_own():
    assert error_text("weekly:50") == (
        "regimen 'weekly:50': unknown day or schedule 'weekly'; write 'daily:<mg>', 'twice-daily:<mg>', "
        "times of day such as 'morning:<mg>' or day:mg pairs using mon, tue, wed, thu, fri, sat or sun"
    )


def test_repeated_day():
    assert error_text("mon:100,wed:100,MON:50") == (
        "regimen 'mon:100,wed:100,MON:50': Monday is listed twice; give each day once"
    )


@pytest.mark.parametrize("spec", ["", "   "])
def test_empty_spec(spec):
    assert error_text(spec) == (f"regimen '{spec}': no schedule given; write e.g. {EXAMPLES}")


@pytest.mark.parametrize("spec", ["mon:100,wed:100,fri:150,", ",daily:50", "mon:100,,fri:150", "mon:100, ,fri:150"])
def test_empty_entry(spec):
    assert error_text(spec) == (
        f"regimen '{spec}': empty entry (a stray comma?); separate day:mg pairs with single commas, "
        "e.g. 'mon:100,wed:100,fri:150'"
    )


@pytest.mark.parametrize(("spec", "entry"), [("daily50", "daily50"), ("mon:100, wed 100", "wed 100")])
def test_missing_colon(spec, entry):
    assert error_text(spec) == (
        f"regimen '{spec}': '{entry}' has no ':'; write each entry as day:mg, e.g. 'mon:100' or 'daily:50'"
    )


@pytest.mark.parametrize(("spec", "key"), [("daily:50,mon:100", "daily"), ("mon:100,twice-daily:25", "twice-daily")])
def test_repeating_pattern_mixed_with_other_entries(spec, key):
    assert error_text(spec) == (
        f"regimen '{spec}': '{key}' cannot be combined with other kinds of entry; "
        f"write '{key}:<mg>' alone, or only times of day, or only day:mg pairs"
    )


def test_overlong_spec_is_refused_and_shown_cut_short():
    spec = "mon:100," * 60
    assert error_text(spec) == (f"regimen '{spec[:40]}...': longer than 400 characters; write e.g. {EXAMPLES}")


def test_control_characters_are_escaped_in_messages():
    assert error_text("daily:5\n0") == "regimen 'daily:5\\n0': expected a number of mg, got '5\\n0'"


def test_regimen_error_is_a_content_error():
    assert issubclass(RegimenError, ContentError)


# --- properties --------------------------------------------------------------

_keys = st.sampled_from([*DAYS, *(d.upper() for d in DAYS), "daily", "twice-daily", "Daily", "fry", "", "x"])
_doses = st.one_of(
    st.integers(min_value=-2, max_value=8).map(lambda halves_count: str(25 * halves_count)),
    st.integers(min_value=-200, max_value=400).map(str),
    st.sampled_from(["", "abc", "50mg", "12.5", "1e2", "+50", " 75 ", "0x32", "٥٠"]),
)
_pair = st.tuples(_keys, _doses).map(":".join)
_week = st.lists(st.sampled_from(DAYS), unique=True, min_size=1, max_size=7).flatmap(
    lambda days: st.tuples(*(_doses.map(lambda mg, day=day: f"{day}:{mg}") for day in days)).map(",".join)
)
_junk = st.text(alphabet="monwedfri:,0123456789 -", max_size=12)
near_valid_specs = st.one_of(_week, _pair, st.lists(st.one_of(_pair, _junk), max_size=9).map(",".join))


def assert_parses_safely(spec: str, confirm: bool) -> None:
    try:
        schedule = parse(spec, confirm_unusual=confirm)
    except ContentError as error:
        assert str(error).startswith("regimen '")
        return
    assert len(schedule.doses) == 7
    assert all(mg > 0 and mg % 25 == 0 for day in schedule.doses for mg in day)
    assert all(schedule.day_total(i) <= 150 for i in range(7))
    assert schedule.week_total <= 350
    assert schedule.standard or confirm
    assert parse(schedule.spec, confirm_unusual=confirm) == schedule


@given(spec=st.text(), confirm=st.booleans())
def test_arbitrary_text_is_parsed_or_refused_cleanly(spec, confirm):
    assert_parses_safely(spec, confirm)


@given(spec=near_valid_specs, confirm=st.booleans())
def test_near_valid_specs_are_parsed_or_refused_cleanly(spec, confirm):
    assert_parses_safely(spec, confirm)


# --- the medicine decides: steps, limits, standard regimens ------------------------


def test_three_a_week_on_consecutive_days_is_not_the_standard_schedule():
    assert error_text("mon:100,tue:100,wed:150") == f"regimen 'mon:100,tue:100,wed:150': {STANDARD_MESSAGE}"


@pytest.mark.parametrize("confirm", [False, True])
@pytest.mark.parametrize(
    ("spec", "total"),
    [("daily:150", 1050), ("daily:100", 700), ("twice-daily:50", 700), (ALL_SEVEN_AT_50[:-2] + "75", 375)],
)
def test_a_week_over_the_medicines_limit_is_refused_even_with_confirmation(spec, total, confirm):
    assert error_text(spec, confirm_unusual=confirm) == (
        f"regimen '{spec}': {total} mg a week is more than the 350 mg a week that naltrexone allows"
    )


@pytest.mark.parametrize("confirm", [False, True])
def test_unscored_tablets_need_whole_tablets(confirm):
    assert error_text("daily:50", ACAMPROSATE, confirm_unusual=confirm) == (
        "regimen 'daily:50': 50 mg: acamprosate comes as 333 mg tablets that cannot be split; each dose must be "
        "a whole number of tablets (333, 666, 999, ... mg)"
    )


@pytest.mark.parametrize(
    ("spec", "doses", "times"),
    [
        ("three-times-daily:666", (666, 666, 666), ()),
        ("morning:666,midday:333,night:333", (666, 333, 333), ("morning", "midday", "night")),
        ("Night:333, MORNING:666 ,midday:333", (666, 333, 333), ("morning", "midday", "night")),
    ],
)
def test_acamprosate_standard_regimens(spec, doses, times):
    schedule = parse(spec, ACAMPROSATE)
    assert (schedule.standard, schedule.doses, schedule.times) == (True, (doses,) * 7, times)


def test_naltrexone_schedules_are_unusual_for_acamprosate():
    assert error_text("daily:666", ACAMPROSATE) == (
        "regimen 'daily:666': this is not one of the standard schedules for acamprosate "
        "(three-times-daily:666; morning:666,midday:333,night:333); "
        "check the prescription and add --confirm-unusual-dose if it is right"
    )


def test_acamprosate_day_limit():
    assert error_text("four-times-daily:666", ACAMPROSATE, confirm_unusual=True) == (
        "regimen 'four-times-daily:666': 2664 mg a day is more than 1998 mg in one day"
    )


def test_a_liquid_is_measured_in_half_millilitres():
    schedule = parse("daily:62.5", METHADONE, confirm_unusual=True)
    assert schedule.doses == ((Decimal("62.5"),),) * 7
    assert METHADONE.units(Decimal("62.5")) == Decimal("62.5")
    assert error_text("daily:60.25", METHADONE, confirm_unusual=True) == (
        "regimen 'daily:60.25': 60.25 mg: methadone comes as a liquid of 1 mg in each mL; each dose must be a whole "
        "number of 0.5 mL measures (0.5, 1, 1.5, ... mg)"
    )


def test_a_medicine_with_no_standard_regimens_needs_confirmation_for_any():
    assert "none are set for it" in error_text("daily:60", METHADONE)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "name: x\nform: pill\nstrength: 5 mg\nmax_per_day: 5 mg",
            "medicine.form: expected one of tablet, capsule, liquid, patch, injection, spray, got 'pill'",
        ),
        (
            "name: x\nform: liquid\nstrength: 5 mg\nmax_per_day: 5 mg",
            'medicine.strength: expected an amount in mg/mL such as "1 mg/mL", got 5 mg',
        ),
        (
            "name: x\nform: tablet\nstrength: 5 g\nmax_per_day: 5 mg",
            'medicine.strength: expected an amount in mg such as "20 mg", got 5 g',
        ),
        (
            "name: x\nform: capsule\nstrength: 5 mg\nsplit: half\nmax_per_day: 5 mg",
            "medicine.split: only tablets can be split; remove it for a capsule",
        ),
        ("name: x\nform: tablet\nstrength: 5 mg", "medicine.max_per_day: required field is missing"),
        (
            "name: x\nform: tablet\nstrength: 5 mg\nmax_per_day: 10 mg\nstandard_regimens: [daily:15]",
            "medicine.standard_regimens: regimen 'daily:15': 15 mg a day is more than 10 mg in one day",
        ),
    ],
)
def test_medicine_block_problems_name_the_field(yaml_text, message):
    _medicine, problems = read_medicine(parse_yaml(yaml_text, "leaflet.yaml"), "leaflet.yaml", 1)
    assert message in [f"{p.field}: {p.message}" for p in problems]
