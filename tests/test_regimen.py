"""Tests for parsing the naltrexone dosing regimen spec."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflets.errors import ContentError
from leaflets.regimen import DAYS, DoseSchedule, RegimenError, halves, parse_regimen

REST = ()
STANDARD_MESSAGE = (
    "this is not one of the standard schedules (50 mg daily; 25 mg twice daily; 100, 100 and 150 mg on three days "
    "a week); check the prescription and add --confirm-unusual-dose if it is right"
)
ALL_SEVEN_AT_50 = "mon:50,tue:50,wed:50,thu:50,fri:50,sat:50,sun:50"


def error_text(spec: str, **kwargs) -> str:
    with pytest.raises(RegimenError) as caught:
        parse_regimen(spec, **kwargs)
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
    schedule = parse_regimen(spec)
    assert schedule == DoseSchedule(spec=normalised, pattern=pattern, doses=doses, standard=True)


def test_day_totals_and_dosing_days():
    schedule = parse_regimen("mon:100,wed:100,fri:150")
    assert [schedule.day_total(i) for i in range(7)] == [100, 0, 100, 0, 150, 0, 0]
    assert schedule.dosing_days == [0, 2, 4]
    assert parse_regimen("twice-daily:25").day_total(3) == 50
    assert parse_regimen("daily:50").dosing_days == list(range(7))


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
    schedule = parse_regimen(spec)
    assert (schedule.spec, schedule.standard) == (normalised, True)


@pytest.mark.parametrize("spec", [ALL_SEVEN_AT_50, "SUN:50, sat:50,fri:50,thu:50,wed:50,tue:50,mon:50"])
def test_all_seven_days_at_50_is_the_daily_schedule(spec):
    assert parse_regimen(spec) == parse_regimen("daily:50")


def test_all_seven_days_alike_but_unusual_becomes_daily_and_stays_unusual():
    schedule = parse_regimen(ALL_SEVEN_AT_50.replace("50", "25"), confirm_unusual=True)
    assert (schedule.spec, schedule.pattern, schedule.standard) == ("daily:25", "daily", False)


# --- unusual schedules -------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        "daily:25",
        "daily:100",
        "twice-daily:50",
        "mon:100,wed:100",
        "mon:100,wed:150,fri:150",
        "mon:100,tue:100,wed:100,fri:150",
        "mon:50,tue:50,wed:50,thu:50,fri:50,sat:50",
        "mon:50,tue:50,wed:50,thu:50,fri:50,sat:50,sun:100",
    ],
)
def test_unusual_schedule_is_refused_without_confirmation(spec):
    assert error_text(spec) == f"regimen '{spec}': {STANDARD_MESSAGE}"


@pytest.mark.parametrize("spec", ["daily:25", "twice-daily:50", "mon:100,wed:100", "sun:150"])
def test_unusual_schedule_is_accepted_with_confirmation(spec):
    schedule = parse_regimen(spec, confirm_unusual=True)
    assert schedule.standard is False


def test_confirmed_weekly_schedule_keeps_its_doses():
    schedule = parse_regimen("tue:50,sat:125", confirm_unusual=True)
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
        ("daily:30", "30 mg is not a multiple of 25 mg (half a 50 mg tablet)"),
        ("mon:100,wed:110,fri:150", "110 mg is not a multiple of 25 mg (half a 50 mg tablet)"),
        ("daily:0", "0 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
        ("twice-daily:-25", "-25 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
        ("daily:abc", "expected a whole number of mg, got 'abc'"),
        ("daily:50mg", "expected a whole number of mg, got '50mg'"),
        ("mon:12.5", "expected a whole number of mg, got '12.5'"),
        ("mon:100:50", "expected a whole number of mg, got '100:50'"),
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
        "regimen 'weekly:50': unknown day or schedule 'weekly'; write 'daily:<mg>', 'twice-daily:<mg>' "
        "or day:mg pairs using mon, tue, wed, thu, fri, sat or sun"
    )


def test_repeated_day():
    assert error_text("mon:100,wed:100,MON:50") == (
        "regimen 'mon:100,wed:100,MON:50': Monday is listed twice; give each day once"
    )


@pytest.mark.parametrize("spec", ["", "   "])
def test_empty_spec(spec):
    assert error_text(spec) == (
        f"regimen '{spec}': no schedule given; write e.g. 'daily:50', 'twice-daily:25' or 'mon:100,wed:100,fri:150'"
    )


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
        f"regimen '{spec}': '{key}' cannot be combined with other entries; "
        f"write either '{key}:<mg>' alone or only day:mg pairs"
    )


def test_overlong_spec_is_refused_and_shown_cut_short():
    spec = "mon:100," * 30
    assert error_text(spec) == (
        f"regimen '{spec[:40]}...': longer than 200 characters; "
        "write e.g. 'daily:50', 'twice-daily:25' or 'mon:100,wed:100,fri:150'"
    )


def test_control_characters_are_escaped_in_messages():
    assert error_text("daily:5\n0") == "regimen 'daily:5\\n0': expected a whole number of mg, got '5\\n0'"


def test_regimen_error_is_a_content_error():
    assert issubclass(RegimenError, ContentError)


# --- halves ------------------------------------------------------------------


@pytest.mark.parametrize(("mg", "count"), [(25, 1), (50, 2), (100, 4), (150, 6)])
def test_halves(mg, count):
    assert halves(mg) == count


@pytest.mark.parametrize("mg", [0, -25, 30])
def test_halves_refuses_a_dose_that_is_not_whole_half_tablets(mg):
    with pytest.raises(ValueError, match=f"{mg} mg is not a whole number of half tablets"):
        halves(mg)


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
        schedule = parse_regimen(spec, confirm_unusual=confirm)
    except ContentError as error:
        assert str(error).startswith("regimen '")
        return
    assert len(schedule.doses) == 7
    assert all(mg > 0 and mg % 25 == 0 for day in schedule.doses for mg in day)
    assert all(schedule.day_total(i) <= 150 for i in range(7))
    assert schedule.standard or confirm
    assert parse_regimen(schedule.spec, confirm_unusual=confirm) == schedule


@given(spec=st.text(), confirm=st.booleans())
def test_arbitrary_text_is_parsed_or_refused_cleanly(spec, confirm):
    assert_parses_safely(spec, confirm)


@given(spec=near_valid_specs, confirm=st.booleans())
def test_near_valid_specs_are_parsed_or_refused_cleanly(spec, confirm):
    assert_parses_safely(spec, confirm)
