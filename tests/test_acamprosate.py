"""The acamprosate leaflet, printed for each standard regimen and read back with `pdftotext`.

Each fact the leaflet must carry is checked by a few key terms, as
tests/fact_terms.yaml does for naltrexone: the text is lowercased, whitespace
collapsed, and every term must be a substring. Terms avoid hyphens and the
letter pairs fi, fl and ff (often set as ligatures in PDFs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from pdf_tables import plan_table
from test_print import pdftotext

THREE_TIMES = "three-times-daily:666"
BY_TIME = "morning:666,midday:333,night:333"
SENTENCES = {
    THREE_TIMES: "Take 2 tablets (666 mg) three times a day, every day.",
    BY_TIME: "Take 2 tablets (666 mg) in the morning, 1 tablet (333 mg) at midday and 1 tablet (333 mg) at night, "
    "every day.",
}
TWO, ONE = "2 tablets (666 mg)", "1 tablet (333 mg)"
PLANS = {  # one day in time slots, "Every day": no weekday rows
    THREE_TIMES: [["Day", "Morning", "Midday", "Evening"], ["Every day", TWO, TWO, TWO]],
    BY_TIME: [["Day", "Morning", "Midday", "Night"], ["Every day", TWO, ONE, ONE]],
}
FACT_TERMS = {
    "tablet-strength": ["tablets of 333 mg", "gastro", "resistant"],
    "dose-60-kg-or-more": ["60 kg or more", "2 tablets three times a day", "with meals"],
    "dose-under-60-kg": ["less than 60 kg", "2 tablets in the morning", "1 tablet at midday", "1 tablet at night"],
    "swallow-whole": ["swallow the tablets whole", "do not crush", "do not chew"],
    "start-after-withdrawal": ["as soon as you can", "alcohol withdrawal"],
    "course-one-year": ["usual course is one year"],
    "drinking-again": ["if you have a drink", "keep taking them", "tell your clinic"],
    "side-effects": ["diarrhoea", "nausea", "vomiting", "stomach pain", "itching"],
    "kidneys": ["not for people with severe kidney problems"],
    "low-mood": ["if you feel low", "thoughts of harming yourself"],
    "getting-help": ["contact your clinic", "in danger", "emergency number on your clinic card"],
}
NOWHERE = ["naltrexone", "opioid", "50 mg"]


def print_args(output: Path, regimen: str, *extra) -> list:
    return ["print", "--output", output, "--leaflet", "acamprosate", "--lang", "en", "--clinic", "example",
            "--regimen", regimen, *extra]  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """One personalised PDF per standard regimen, written to --out."""
    folder = tmp_path_factory.mktemp("acamprosate")
    pdfs = {}
    for index, regimen in enumerate(SENTENCES):
        out = folder / f"acamprosate-{index}.pdf"
        result = run_cli(*print_args(folder / "output", regimen, "--out", out))
        assert result.code == 0, result.err
        assert result.out.splitlines()[0] == f"Wrote {out}"
        pdfs[regimen] = out
    return pdfs


@pytest.mark.parametrize("regimen", SENTENCES)
def test_every_fact_is_in_the_pdf(printed, regimen):
    text = flat(pdftotext(printed[regimen])).lower()
    missing = {fact: [term for term in terms if term not in text] for fact, terms in FACT_TERMS.items()}
    assert {fact: terms for fact, terms in missing.items() if terms} == {}


@pytest.mark.parametrize("regimen", SENTENCES)
def test_regimen_sentence_and_one_day_in_time_slots(printed, regimen):
    page_one = flat(pdftotext(printed[regimen], "-f", 1, "-l", 1))
    assert f"Your treatment {SENTENCES[regimen]} Day" in page_one
    assert plan_table(printed[regimen]) == PLANS[regimen]
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert [day for day in weekdays if day in " ".join(cell for row in PLANS[regimen] for cell in row)] == []


@pytest.mark.parametrize("regimen", SENTENCES)
def test_nothing_from_the_naltrexone_leaflet(printed, regimen):
    text = flat(pdftotext(printed[regimen])).lower()
    assert [word for word in NOWHERE if word in text] == []


def test_alert_card_says_acamprosate(printed):
    back_of_sheet = flat(pdftotext(printed[THREE_TIMES]).split("\f")[1])
    assert "I take acamprosate to help me stay off alcohol." in back_of_sheet


def test_naltrexone_dose_is_refused_and_nothing_is_written(tmp_path):
    result = run_cli(*print_args(tmp_path / "output", "daily:50", "--out", tmp_path / "mine.pdf"))
    assert result.code == 1
    assert result.err == (
        "regimen 'daily:50': 50 mg: acamprosate comes as 333 mg tablets that cannot be split; "
        "each dose must be a whole number of tablets (333, 666, 999, ... mg)\n"
    )
    assert result.out == ""
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
