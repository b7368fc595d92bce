"""Medicines as clinics prescribe them, added as fixture content only, printed and batched.

tests/fixtures/medicines gains sublinga (2 mg and 8 mg tablets under the tongue), detoxin (5 mg and
10 mg capsules on a 7-day reducing course), depotin (an injection every 28 days), patchex (patches
stepping down), sprayol (a spray as needed) and takehome (a liquid supervised Monday to Saturday,
taken at home on Sunday). Each PDF is read back: its words with pdftotext, its pictograms' /Alt
texts from the structure tree.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from conftest import coming_monday, long_date, run_cli
from pdf_tables import plan_table
from test_alt_formats import back_translated, normalise
from test_medicines import CONTENT, pdftotext

START = coming_monday(1) + timedelta(days=3)  # a Thursday: day 1 is the start date, whatever the weekday
DETOX_COURSE = (
    "four-times-daily:20 for 2 days then four-times-daily:15 for 1 day then three-times-daily:10 for 2 days "
    "then twice-daily:10 for 1 day then night:10 for 1 day"
)
PATCH_COURSE = "daily:21 for 6 weeks then daily:14 for 2 weeks then daily:7 for 2 weeks"

# leaflet -> the print arguments after --leaflet
PRINTS = {
    "sublinga": ["--regimen", "daily:12"],
    "detoxin": ["--regimen", DETOX_COURSE, "--start-date", START.isoformat()],
    "depotin": ["--regimen", "every-28-days:300", "--start-date", START.isoformat()],
    "patchex": ["--regimen", PATCH_COURSE, "--start-date", START.isoformat()],
    "sprayol": ["--regimen", "as-needed:1"],
    "takehome": ["--regimen", "daily:60", "--supervised", "mon,tue,wed,thu,fri,sat"],
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TAKE_A_DOSE = re.compile(r"\btake (\d|no |none|each|every|your)")  # the verb of tablets, never of a patch


def print_one(folder, leaflet: str, *args):
    out = folder / f"{leaflet}.pdf"
    result = run_cli("print", "--content", CONTENT, "--output", folder / "output", "--leaflet", leaflet,
                     "--clinic", "example", "--out", out, *args)  # fmt: skip
    return out, result


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("courses")
    pdfs = {}
    for leaflet, args in PRINTS.items():
        pdfs[leaflet], result = print_one(folder, leaflet, *args)
        assert result.code == 0, result.err
    return pdfs


def test_several_strengths_make_each_dose_from_the_fewest_tablets(printed):
    text = pdftotext(printed["sublinga"])
    assert "Take 1 tablet of 8 mg and 2 tablets of 2 mg (12 mg) once a day, every day." in text
    assert "Put the tablets under your tongue and let them melt. Do not chew or swallow them." in text
    assert "6 tablets" not in text
    assert plan_table(printed["sublinga"]) == [
        ["Day", "Morning"],
        ["Every day", "1 tablet of 8 mg and 2 tablets of 2 mg (12 mg)"],
    ]


def test_a_reducing_course_is_laid_out_by_date_to_its_end(printed):
    text = pdftotext(printed["detoxin"])
    last = START + timedelta(days=6)
    assert f"Your course lasts 7 days, from {long_date(START)} to {long_date(last)}." in text
    assert f"The course ends on {long_date(last)}. After that, stop unless your clinic tells you otherwise." in text
    twenty, fifteen, ten = (
        "2 capsules of 10 mg (20 mg)",
        "1 capsule of 10 mg and 1 capsule of 5 mg (15 mg)",
        "1 capsule of 10 mg (10 mg)",
    )
    slots = [[twenty] * 4, [twenty] * 4, [fifteen] * 4, [ten, ten, ten, "–"], [ten, ten, ten, "–"],
             [ten, "–", ten, "–"], ["–", "–", "–", ten]]  # fmt: skip
    assert plan_table(printed["detoxin"]) == [["Date", "Morning", "Midday", "Evening", "Night"]] + [
        [long_date(START + timedelta(days=n)), *doses] for n, doses in enumerate(slots)
    ]
    assert "tablet" not in text.lower() and "other days" not in text


def test_an_injection_every_28_days_lists_the_next_three_dates(printed):
    text = pdftotext(printed["depotin"])
    assert "Have 1 injection (300 mg) every 28 days." in text
    assert "A nurse gives you each injection at the clinic." in text
    dates = [START + timedelta(days=28 * n) for n in range(3)]
    assert "Then carry on every 28 days until your clinic tells you to change or stop." in text
    assert plan_table(printed["depotin"]) == [["Date", "Morning"]] + [
        [long_date(day), "1 injection (300 mg)"] for day in dates
    ]
    lowered = text.lower()
    assert "tablet" not in lowered and "capsule" not in lowered and not TAKE_A_DOSE.search(lowered)


def test_patches_step_down_in_date_ranges(printed):
    text = pdftotext(printed["patchex"])
    first_end, second_end, last = (START + timedelta(days=n) for n in (41, 55, 69))
    assert f"Your course lasts 70 days, from {long_date(START)} to {long_date(last)}." in text
    assert f"The course ends on {long_date(last)}." in text
    second, third = START + timedelta(days=42), START + timedelta(days=56)
    assert plan_table(printed["patchex"]) == [
        ["Date", "Morning"],
        [f"{long_date(START)} to {long_date(first_end)} each day", "1 patch of 21 mg (21 mg)"],
        [f"{long_date(second)} to {long_date(second_end)} each day", "1 patch of 14 mg (14 mg)"],
        [f"{long_date(third)} to {long_date(last)} each day", "1 patch of 7 mg (7 mg)"],
    ]
    lowered = text.lower()
    assert "tablet" not in lowered and "capsule" not in lowered and not TAKE_A_DOSE.search(lowered)
    assert "Put a new patch on clean, dry skin each morning" in text


def test_as_needed_says_the_gap_and_the_most_in_a_day(printed):
    text = pdftotext(printed["sprayol"])
    assert "Use 1 spray (1 mg) only when you need it." in text
    assert "Leave at least 4 hours between doses." in text
    assert "No more than 4 doses (4 mg) in 24 hours." in text
    assert "tablet" not in text.lower()


def test_a_take_home_day_is_never_shown_as_supervised(printed):
    text = pdftotext(printed["takehome"])
    assert (
        "On Monday, Tuesday, Wednesday, Thursday, Friday and Saturday you take your dose in front of a pharmacist. "
        "On Sunday you take it at home." in text
    )
    week = [["Day", "Morning", "Where"]] + [[day, "60 ml (60 mg)", "With the pharmacist"] for day in DAY_NAMES[:6]]
    assert plan_table(printed["takehome"]) == week + [["Sunday", "60 ml (60 mg)", "At home"]]
    assert "You take each dose in front of a pharmacist" not in text


@pytest.mark.parametrize(
    ("leaflet", "args", "message"),
    [
        ("takehome", ["--regimen", "daily:60"], "supervised: required: takehome is supervised on some days; list "
         "them, e.g. 'mon,tue,wed,thu,fri,sat', or 'none' if every dose is taken at home"),
        ("sublinga", ["--regimen", "daily:12", "--supervised", "mon"], "supervised: only for a medicine supervised "
         "on some days (supervised: sometimes); sublinga is supervised never, so leave it out"),
        ("takehome", ["--regimen", "daily:60", "--supervised", "mon,fry"], "supervised: expected weekdays such as "
         "'mon,tue,wed,thu,fri,sat', or 'none', got 'fry'"),
        ("sublinga", ["--regimen", "daily:7", "--confirm-unusual-dose"], "regimen 'daily:7': 7 mg: sublinga comes "
         "as 2 mg and 8 mg tablets that cannot be split; no number of tablets makes it (at most 40 in one dose)"),
        ("detoxin", ["--regimen", "mon:10 for 1 week then daily:10", "--confirm-unusual-dose"], "start date: "
         "required: this course has doses on named weekdays, so its day 1 needs a date"),
        ("detoxin", ["--regimen", "daily:20 then daily:10 for 2 days"], "regimen 'daily:20 then daily:10 for 2 "
         "days': phase 1 ('daily:20') has no length, but another phase follows it; write e.g. 'daily:20 for 3 days "
         "then daily:10'"),
    ],
)  # fmt: skip
def test_refusals_name_what_to_fix_and_write_nothing(tmp_path, leaflet, args, message):
    out, result = print_one(tmp_path, leaflet, *args)
    assert (result.code, result.err) == (1, message + "\n")
    assert not out.exists()


def test_a_batch_of_every_new_form(tmp_path):
    rows = ["ref,leaflet,lang,clinic,regimen,start_date,supervised,name"]
    for n, (leaflet, args) in enumerate(PRINTS.items()):
        options = dict(zip(args[::2], args[1::2], strict=True))
        rows.append(f'R{n},{leaflet},en,example,"{options["--regimen"]}",{options.get("--start-date", "")},'
                    f'"{options.get("--supervised", "")}",Pat Row{n}')  # fmt: skip
    csv_path = tmp_path / "clinic.csv"
    csv_path.write_text("\n".join(rows) + "\n")
    result = run_cli("--content", CONTENT, "--output", tmp_path / "output", "batch", csv_path)
    assert result.code == 0, result.err
    texts = {leaflet: pdftotext(tmp_path / "output" / "print" / f"{leaflet}-en-R{n}.pdf")
             for n, leaflet in enumerate(PRINTS)}  # fmt: skip
    assert "Take 1 tablet of 8 mg and 2 tablets of 2 mg (12 mg)" in texts["sublinga"]
    assert "Your course lasts 7 days" in texts["detoxin"]
    assert "Have 1 injection (300 mg) every 28 days." in texts["depotin"]
    assert "Your course lasts 70 days" in texts["patchex"]
    assert "Use 1 spray (1 mg) only when you need it." in texts["sprayol"]
    assert "On Sunday you take it at home." in texts["takehome"]


def test_the_braille_plan_carries_the_course(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "site.yaml").write_text("braille:\n  en: en-ueb-g2.ctb\n")
    out = tmp_path / "plan.brf"
    result = run_cli("print", "--content", content, "--output", tmp_path / "output", "--leaflet", "detoxin",
                     "--clinic", "example", "--format", "braille", "--out", out, *PRINTS["detoxin"][0:2],
                     "--start-date", START.isoformat())  # fmt: skip
    assert result.code == 0, result.err
    back = back_translated(out, "en-ueb-g2.ctb")
    assert normalise("Your course lasts 7 days") in back
    day_three = long_date(START + timedelta(days=2))
    fifteen = "1 capsule of 10 mg and 1 capsule of 5 mg (15 mg"  # the same time slots as the printed plan
    assert normalise(f"{day_three}: Morning: {fifteen}") in back
    assert all(normalise(f"{slot}: {fifteen}") in back for slot in ("Midday", "Evening", "Night"))
    assert normalise("The course ends on") in back


def content_copy(tmp_path, edits: dict[str, tuple[str, str]]):
    """The fixture tree in ``tmp_path``, with text replaced in leaflets' leaflet.yaml files."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for leaflet, (old, new) in edits.items():
        path = content / "leaflets" / leaflet / "leaflet.yaml"
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return content


def test_print_shows_the_contents_warnings(tmp_path):
    content = content_copy(tmp_path, {"sublinga": ("  form: tablet\n", "  form: tablet\n  colour: white\n")})
    out = tmp_path / "s.pdf"
    result = run_cli("print", "--content", content, "--output", tmp_path / "output", "--leaflet", "sublinga",
                     "--clinic", "example", "--regimen", "daily:12", "--out", out)  # fmt: skip
    assert result.code == 0 and out.exists()
    assert "warning: medicine.colour: unknown field" in result.err


def test_check_keeps_the_warnings_when_there_are_errors(tmp_path):
    content = content_copy(
        tmp_path,
        {
            "sublinga": ("  form: tablet\n", "  form: tablet\n  colour: white\n"),
            "detoxin": ("max_per_day: 100 mg", "max_per_day: 100 g"),
        },
    )
    result = run_cli("check", "--content", content)
    assert result.code == 1
    assert "medicine.max_per_day: expected an amount in mg" in result.err
    assert "warning: medicine.colour: unknown field" in result.err
