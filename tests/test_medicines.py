"""Any medicine is content: leaflets of each form, added only as fixture content, print and batch correctly.

tests/fixtures/medicines holds a scored tablet (halvatab), an unscored tablet (wholetab), a capsule
(capsulin), a liquid (liquidol, supervised) and a general leaflet with no medicine. Each PDF is read back
with pdftotext (the words) and pikepdf (the pictograms' /Alt text in the structure tree).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURES, ROOT, run_cli
from pdf_tables import plan_table

CONTENT = FIXTURES / "medicines"
MEDICINES = ("halvatab", "wholetab", "capsulin", "liquidol")
# Every word that names a medicine or its class, in any of the fixtures or the shipped leaflets.
MEDICINE_WORDS = (*MEDICINES, "naltrexone", "acamprosate", "opioid")

# leaflet -> (regimen, sentences on the page, the plan's table as its tags give it)
CASES = {
    "halvatab": (
        "daily:15",
        ["Take 1 and a half tablets (15 mg) once a day, every day."],
        [["Day", "Morning"], ["Every day", "1 and a half tablets (15 mg)"]],
    ),
    "wholetab": (
        "morning:400,night:200",
        ["Take 2 tablets (400 mg) in the morning and 1 tablet (200 mg) at night, every day."],
        [["Day", "Morning", "Night"], ["Every day", "2 tablets (400 mg)", "1 tablet (200 mg)"]],
    ),
    "capsulin": (
        "twice-daily:600",
        ["Take 2 capsules (600 mg) twice a day, every day."],
        [["Day", "Morning", "Evening"], ["Every day", "2 capsules (600 mg)", "2 capsules (600 mg)"]],
    ),
    "liquidol": (
        "daily:60",
        [
            "Take 30 ml (60 mg) once a day, every day.",  # CLDR's en-GB unit is "ml"; the volume comes first
            "You take each dose in front of a pharmacist or nurse",
        ],
        [["Day", "Morning"], ["Every day", "30 ml (60 mg)"]],
    ),
}


def pdftotext(pdf: Path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def figure_alts(pdf: Path) -> list[str]:
    """The /Alt text of every /Figure in the structure tree, in document order."""
    alts: list[str] = []

    def walk(element) -> None:
        if isinstance(element, pikepdf.Array):
            for child in element:
                walk(child)
        elif isinstance(element, pikepdf.Dictionary):
            if element.get("/S") == "/Figure" and "/Alt" in element:
                alts.append(" ".join(str(element["/Alt"]).split()))  # no-break spaces read as spaces
            if "/K" in element:
                walk(element["/K"])

    with pikepdf.open(pdf) as document:
        walk(document.Root.StructTreeRoot)
    return alts


def print_leaflet(tmp_path: Path, leaflet: str, *args) -> tuple[Path, object]:
    out = tmp_path / f"{leaflet}.pdf"
    result = run_cli("print", "--content", CONTENT, "--output", tmp_path / "output", "--leaflet", leaflet,
                     "--clinic", "example", "--name", "Sam Test", "--out", out, *args)  # fmt: skip
    return out, result


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("medicines")
    pdfs = {}
    for leaflet, (regimen, _texts, _alts) in CASES.items():
        pdfs[leaflet], result = print_leaflet(folder, leaflet, "--regimen", regimen)
        assert result.code == 0, result.err
    pdfs["general-advice"], result = print_leaflet(folder, "general-advice")
    assert result.code == 0, result.err
    return pdfs


@pytest.mark.parametrize("leaflet", CASES)
def test_each_form_shows_its_own_units_and_wording(printed, leaflet):
    text = pdftotext(printed[leaflet])
    for expected in CASES[leaflet][1]:
        assert expected in text


@pytest.mark.parametrize("leaflet", CASES)
def test_the_plan_says_the_right_amount_in_each_time_slot(printed, leaflet):
    assert plan_table(printed[leaflet]) == CASES[leaflet][2]
    assert figure_alts(printed[leaflet]) == []  # the pictograms are artifacts: the words say it once


@pytest.mark.parametrize("leaflet", [*CASES, "general-advice"])
def test_no_word_of_another_medicine(printed, leaflet):
    text = pdftotext(printed[leaflet]).lower()
    others = [word for word in MEDICINE_WORDS if word != leaflet]
    assert [word for word in others if word in text] == []
    assert "50 mg" not in text


def test_a_liquid_never_speaks_of_tablets(printed):
    text = pdftotext(printed["liquidol"]).lower()
    assert "tablet" not in text and "capsule" not in text


def test_each_leaflet_carries_its_own_alert_card(printed):
    for leaflet in CASES:
        assert f"I take {leaflet}" in pdftotext(printed[leaflet])


def test_a_general_leaflet_prints_the_clinic_card_only(printed):
    text = pdftotext(printed["general-advice"])
    assert "Your clinic" in text and "Example Recovery Clinic (fictional)" in text
    assert "Your treatment" not in text and "Alert card" not in text
    assert "In an emergency, call 999." in text


def test_a_regimen_for_a_general_leaflet_is_refused(tmp_path):
    out, result = print_leaflet(tmp_path, "general-advice", "--regimen", "daily:50")
    assert (result.code, result.err) == (
        1,
        "regimen: the general-advice leaflet is about no medicine, so it takes no regimen; leave it out\n",
    )
    assert not out.exists()


def test_a_leaflet_about_a_medicine_needs_a_regimen(tmp_path):
    out, result = print_leaflet(tmp_path, "capsulin")
    assert (result.code, result.err) == (
        1,
        "regimen: required for the capsulin leaflet (capsulin); give the prescribed regimen, e.g. 'twice-daily:600'\n",
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("leaflet", "regimen", "message"),
    [
        ("wholetab", "daily:300", "300 mg: wholetab comes as 200 mg tablets that cannot be split; each dose must be "
         "a whole number of tablets (200, 400, 600, ... mg)"),
        ("capsulin", "daily:450", "450 mg: capsulin comes as 300 mg capsules that cannot be split; each dose must "
         "be a whole number of capsules (300, 600, 900, ... mg)"),
        ("liquidol", "daily:60.5", "60.5 mg: liquidol comes as a liquid of 2 mg in each mL; each dose must be a "
         "whole number of 0.5 mL measures (1, 2, 3, ... mg)"),
        ("halvatab", "four-times-daily:15", "60 mg a day is more than 40 mg in one day"),
    ],
)  # fmt: skip
def test_each_medicine_has_its_own_dose_guard(tmp_path, leaflet, regimen, message):
    out, result = print_leaflet(tmp_path, leaflet, "--regimen", regimen, "--confirm-unusual-dose")
    assert (result.code, result.err) == (1, f"regimen '{regimen}': {message}\n")
    assert not out.exists()


def test_the_clinics_country_gives_the_emergency_number_and_missing_lines_are_left_out(tmp_path):
    out, result = print_leaflet(tmp_path, "general-advice")
    out.unlink()
    result = run_cli("print", "--content", CONTENT, "--output", tmp_path / "output", "--leaflet", "general-advice",
                     "--clinic", "dublin", "--out", out)  # fmt: skip
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert "In an emergency, call 112." in text and "999" not in text
    assert "Urgent or out of hours" not in text and "Email" not in text


def test_a_country_without_an_emergency_number_is_refused(tmp_path):
    clinic = tmp_path / "faraway.yaml"
    clinic.write_text(
        (CONTENT / "clinics" / "dublin.yaml")
        .read_text()
        .replace("country: IE", "country: NZ")
        .replace("01 555 0100", "03 234 5678")
    )
    out, result = print_leaflet(tmp_path, "general-advice")
    out.unlink()
    result = run_cli("print", "--content", CONTENT, "--output", tmp_path / "output", "--leaflet", "general-advice",
                     "--clinic", clinic, "--out", out)  # fmt: skip
    assert result.code == 1
    assert result.err == (
        f"{CONTENT / 'countries.yaml'}: no emergency number for clinic faraway's country NZ; "
        'add NZ: {emergency: "..."} to this file\n'
    )
    assert not out.exists()


def test_a_batch_of_every_form(tmp_path):
    rows = ["ref,leaflet,lang,clinic,regimen,name"]
    rows += [f'R{n},{leaflet},en,example,"{CASES[leaflet][0]}",Pat Row{n}' for n, leaflet in enumerate(CASES)]
    rows.append("G1,general-advice,en,dublin,,Pat General")
    csv_path = tmp_path / "clinic.csv"
    csv_path.write_text("\n".join(rows) + "\n")
    result = run_cli("--content", CONTENT, "--output", tmp_path / "output", "batch", csv_path)
    assert result.code == 0, result.err
    for n, leaflet in enumerate(CASES):
        text = pdftotext(tmp_path / "output" / "print" / f"{leaflet}-en-R{n}.pdf")
        assert CASES[leaflet][1][0] in text
        assert [word for word in MEDICINE_WORDS if word != leaflet and word in text.lower()] == []
    general = pdftotext(tmp_path / "output" / "print" / "general-advice-en-G1.pdf")
    assert "Your treatment" not in general and "call 112" in general


def test_code_and_templates_name_no_medicine():
    """What a medicine is lives in content; the pipeline and templates stay generic."""
    pattern = re.compile(r"naltrexone|acamprosate|opioid|\b50 ?mg\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("leaflets", "templates")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and path.suffix in (".py", ".html", ".css")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_a_leaflets_alert_card_and_medicine_are_in_its_own_catalog_not_the_shared_one():
    """A new leaflet's card never makes the shared template catalog incomplete for other leaflets' languages."""
    from leaflets.i18n.localise import load_content
    from leaflets.i18n.translations import source_template, templates_template

    shared = {message.id for message in templates_template() if message.id}
    for leaflet in load_content(CONTENT, translations=False).leaflets + load_content(ROOT / "content").leaflets:
        own = {(message.context, message.id) for message in source_template(leaflet)}
        if leaflet.alert_card:
            card = [leaflet.alert_card.title, *leaflet.alert_card.lines]
            assert {("alert-card", line) for line in card} <= own
            assert shared.isdisjoint(card)
        if leaflet.medicine:
            assert ("medicine", leaflet.medicine.name) in own


@pytest.mark.parametrize("leaflet", [*CASES, "general-advice"])
def test_every_form_passes_the_pdf_structure_checker(printed, leaflet):
    from pdf_checker import Expected, assert_accessible_pdf

    assert_accessible_pdf(printed[leaflet], Expected("en", 12.0, {}))
