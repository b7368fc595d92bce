"""The treatment sheet (`print --only treatment`) fits as a patient reads it, and its tick chart counts the doses.

For every standard regimen of every shipped leaflet, in every published language, on A4 and Letter: the
plan, the clinic's card and the "Printed on" line are on page 1; in large print, on the first two pages.
The alert cards start a new page and the sheet has an even number of pages, so printed duplex it is one
sheet of paper (or two). Read back from the PDF: its text per page and its tagged tables.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURES, ROOT, coming_monday, run_cli
from pdf_tables import pdf_tables, plan_pages

from leaflets.personal.session import PrintRequest, PrintSession
from leaflets.render.html import format_long_date
from leaflets.source.languages import language

CLINIC_PHONE = "0113 496 0000"  # only on the clinic's card
STANDARD = [
    ("naltrexone", regimen, lang)
    for regimen in ("daily:50", "twice-daily:25", "mon:100,wed:100,fri:150")
    for lang in ("en", "pl", "ar", "ro")
] + [("acamprosate", regimen, "en") for regimen in ("three-times-daily:666", "morning:666,midday:333,night:333")]
START = coming_monday(1)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    opened = {paper: PrintSession(ROOT / "content", tmp_path_factory.mktemp(paper), paper=paper)
              for paper in ("a4", "letter")}  # fmt: skip
    yield opened
    for session in opened.values():
        session.close()


def sheet(session: PrintSession, tmp: Path, leaflet: str, regimen: str, lang: str, **extra) -> Path:
    request = PrintRequest(leaflet, lang, "example", regimen, start_date=str(START), only="treatment", **extra)
    path = tmp / f"{leaflet}-{lang}-{regimen.replace(':', '_').replace(',', '_')}-{extra}.pdf"
    path.write_bytes(session.render(session.prepare(request)))
    return path


def page_text(pdf: Path, first: int, last: int) -> str:
    args = ["pdftotext", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def printed_on(lang: str) -> str:
    text = format_long_date(date.today(), lang)
    return text if language(lang).direction == "ltr" else str(date.today().year)  # RTL text extracts reordered


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(("leaflet", "regimen", "lang"), STANDARD)
def test_the_plan_the_clinic_card_and_the_printed_on_line_are_on_page_one(sessions, tmp_path, paper, leaflet,
                                                                          regimen, lang):  # fmt: skip
    pdf = sheet(sessions[paper], tmp_path, leaflet, regimen, lang)
    first = page_text(pdf, 1, 1)
    assert CLINIC_PHONE in first and printed_on(lang) in first
    assert plan_pages(pdf) == {1} and CLINIC_PHONE not in page_text(pdf, 2, page_count(pdf))
    assert page_count(pdf) % 2 == 0


@pytest.mark.parametrize(("leaflet", "regimen", "lang"), STANDARD)
def test_in_large_print_they_take_at_most_two_pages(sessions, tmp_path, leaflet, regimen, lang):
    pdf = sheet(sessions["a4"], tmp_path, leaflet, regimen, lang, large_print=True)
    first_two = page_text(pdf, 1, 2)
    assert CLINIC_PHONE in first_two and printed_on(lang) in first_two and plan_pages(pdf) <= {1, 2}
    assert page_count(pdf) % 2 == 0


def test_the_alert_cards_start_a_new_page(sessions, tmp_path):
    pdf = sheet(sessions["a4"], tmp_path, "naltrexone", "daily:50", "en")
    assert "Alert card" not in page_text(pdf, 1, 1) and "Alert card" in page_text(pdf, 2, 2)


# --- the tick chart -------------------------------------------------------------------------------------------

DETOX = (
    "four-times-daily:20 for 2 days then four-times-daily:15 for 1 day then three-times-daily:10 for 2 days "
    "then twice-daily:10 for 1 day then night:10 for 1 day"
)


def tick_cells(pdf: Path) -> list[str]:
    """The doses the tick chart (the sheet's second table) asks to tick, in order: one box each."""
    [_plan, chart] = pdf_tables(pdf)
    return [text for row in chart[1:] for tag, text in row[1:] if tag == "TD" and text != "–"]


def print_sheet(tmp_path: Path, *args) -> tuple[Path, object]:
    out = tmp_path / "sheet.pdf"
    result = run_cli("print", "--output", tmp_path / "output", "--clinic", "example", "--only", "treatment",
                     "--tick-chart", "--out", out, *args)  # fmt: skip
    return out, result


def test_a_course_has_a_box_for_every_dose_to_its_last_day(tmp_path):
    out, result = print_sheet(tmp_path, "--content", FIXTURES / "medicines", "--leaflet", "detoxin",
                              "--regimen", DETOX, "--start-date", str(START))  # fmt: skip
    assert result.code == 0, result.err
    cells = tick_cells(out)
    assert cells == ["20 mg"] * 8 + ["15 mg"] * 4 + ["10 mg"] * 9  # 4 + 4 + 4 + 3 + 3 + 2 + 1 doses
    assert page_count(out) % 2 == 0


def test_an_ongoing_regimen_has_four_weeks_of_boxes(tmp_path):
    out, result = print_sheet(tmp_path, "--leaflet", "naltrexone", "--regimen", "mon:100,wed:100,fri:150",
                              "--start-date", str(START))  # fmt: skip
    assert result.code == 0, result.err
    assert tick_cells(out) == ["100 mg", "100 mg", "150 mg"] * 4
    [_plan, chart] = pdf_tables(out)
    assert len(chart) == 1 + 28  # the header, then a row a day for 28 days
    assert page_count(out) % 2 == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--leaflet", "naltrexone", "--regimen", "daily:50"],
         "tick chart: needs a start date: its rows are dated from the first day"),
        (["--content", FIXTURES / "medicines", "--leaflet", "sprayol", "--regimen", "as-needed:1", "--start-date",
          str(START)], "tick chart: as-needed doses are not scheduled, so there is nothing to tick"),
    ],
)  # fmt: skip
def test_a_tick_chart_it_cannot_make_is_refused(tmp_path, args, message):
    out, result = print_sheet(tmp_path, *args)
    assert (result.code, result.err) == (1, message + "\n")
    assert not out.exists()


def test_the_tick_chart_column_in_a_batch(tmp_path):
    csv_path = tmp_path / "clinic.csv"
    csv_path.write_text(f"ref,leaflet,lang,clinic,regimen,start_date,only,tick_chart\n"
                        f"T1,naltrexone,en,example,daily:50,{START},treatment,yes\n"
                        f"T2,naltrexone,en,example,daily:50,{START},treatment,no\n")  # fmt: skip
    result = run_cli("--output", tmp_path / "output", "batch", csv_path)
    assert result.code == 0, result.err
    with_chart, without = (tmp_path / "output" / "print" / f"naltrexone-en-treatment-{ref}.pdf" for ref in ("T1", "T2"))
    assert tick_cells(with_chart) == ["50 mg"] * 28
    assert len(pdf_tables(without)) == 1
    assert re.search(r"Tick chart", page_text(with_chart, 1, page_count(with_chart)))
