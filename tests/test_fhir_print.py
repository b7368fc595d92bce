"""`build.py print --fhir FILE`: prescriptions in the shape of UK Core and German IG examples, each printed and
read back from the PDF (the plan, dates, units, name, language and "As prescribed")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel.dates import format_date
from conftest import ROOT, long_date, run_cli
from fhir_fixtures import MEDICINES, START, daily_naltrexone, fixture, write
from pdf_tables import plan_table
from test_medicines import pdftotext

# fixture -> (content folder, extra print arguments)
PRINTS = {
    "uk-core-naltrexone-daily.json": (ROOT / "content", []),
    "uk-core-naltrexone-weekdays.json": (ROOT / "content", []),
    "de-detoxin-reducing-course.json": (MEDICINES, []),
    "depotin-every-28-days.json": (MEDICINES, []),
    "sprayol-as-needed.json": (MEDICINES, []),
    "uk-core-bundle-polish-patient.json": (ROOT / "content", []),
}


def print_fhir(tmp_path, data: dict, content=ROOT / "content", *args):
    source = write(tmp_path, data)
    out = tmp_path / "copy.pdf"
    result = run_cli("print", "--content", content, "--output", tmp_path / "output", "--fhir", source,
                     "--clinic", "example", "--out", out, *args)  # fmt: skip
    return out, result


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    results = {}
    for name, (content, args) in PRINTS.items():
        folder = tmp_path_factory.mktemp(name.removesuffix(".json"))
        out, result = print_fhir(folder, fixture(name), content, *args)
        assert result.code == 0, result.err
        results[name] = (pdftotext(out), out, result)
    return results


def test_naltrexone_one_tablet_daily(printed):
    text, pdf, result = printed["uk-core-naltrexone-daily.json"]
    assert "Take 1 tablet (50 mg) once a day, every day." in text
    assert plan_table(pdf) == [["Day", "Morning"], ["Every day", "1 tablet (50 mg)"]]
    assert "As prescribed: One tablet once a day; Oral route" in text
    assert f"Start date {long_date(START)}" in text  # dispenseRequest.validityPeriod.start
    assert "Reference: RX-50017" in text  # the identifier's value
    assert "Your prescriber set this schedule" not in text  # a standard regimen: no confirmation needed
    assert result.out.startswith("Language: en (the prescription gives no language)\n")
    assert "naltrexone-en-RX-50017" not in result.out  # --out was given


def test_two_dosage_lines_make_one_week(printed):
    text, pdf, _ = printed["uk-core-naltrexone-weekdays.json"]
    REST = "Rest day: no tablet"  # noqa: N806
    assert plan_table(pdf)[1:] == [
        ["Monday", "2 tablets (100 mg)"], ["Tuesday", REST], ["Wednesday", "2 tablets (100 mg)"],
        ["Thursday", REST], ["Friday", "3 tablets (150 mg)"], ["Saturday", REST], ["Sunday", REST],
    ]  # fmt: skip
    assert "As prescribed: 100 mg on Monday and Wednesday, 150 mg on Friday" in text


def test_a_reducing_course_in_sequences(printed):
    text, pdf, _ = printed["de-detoxin-reducing-course.json"]
    last = START + timedelta(days=6)
    assert f"Your course lasts 7 days, from {long_date(START)} to {long_date(last)}." in text
    rows = plan_table(pdf)
    assert rows[0] == ["Date", "Morning", "Midday", "Evening", "Night"]
    assert [row[0] for row in rows[1:]] == [long_date(START + timedelta(days=n)) for n in range(7)]
    assert rows[3][1:] == ["1 capsule of 10 mg and 1 capsule of 5 mg (15 mg)"] * 4
    assert rows[7][1:] == ["–", "–", "–", "1 capsule of 10 mg (10 mg)"]
    assert "As prescribed: Tag 1-2: 4x täglich 20 mg" in text


def test_an_injection_every_28_days_from_its_bounds(printed):
    text, pdf, _ = printed["depotin-every-28-days.json"]
    assert "Have 1 injection (300 mg) every 28 days." in text
    assert plan_table(pdf)[1:] == [[long_date(START + timedelta(days=28 * n)), "1 injection (300 mg)"]
                                   for n in range(3)]  # fmt: skip
    assert "As prescribed: 300 mg by injection every 28 days" in text


def test_as_needed(printed):
    text, _, _ = printed["sprayol-as-needed.json"]
    assert "Use 1 spray (1 mg) only when you need it." in text
    assert "No more than 4 doses (4 mg) in 24 hours." in text
    assert "As prescribed: One spray when needed, at most 4 in 24 hours" in text


def test_a_bundle_with_the_patients_preferred_language_and_name(printed):
    text, pdf, result = printed["uk-core-bundle-polish-patient.json"]
    assert result.out.startswith("Language: pl, the patient's preferred language\n")
    assert "Pół tabletki (25 mg)" in text and "Zgodnie z receptą: Half a tablet twice a day" in text
    assert "Aleksandra Maria Przykładowa" in text  # the official name, given names then family
    assert "Ola" not in text.split()  # not the usual name
    assert f"Data rozpoczęcia {format_date(START, format='full', locale='pl')}" in text  # boundsPeriod.start
    assert "Numer referencyjny: RX-50033" in text
    for part in ("Aleksandra", "Przykładowa"):
        assert part not in result.out + result.err


def test_flags_override_the_prescription(tmp_path):
    other = START + timedelta(days=2)
    out, result = print_fhir(tmp_path, fixture("uk-core-bundle-polish-patient.json"), ROOT / "content",
                             "--name", "Sam Override", "--start-date", other.isoformat(), "--ref", "OWN-1")  # fmt: skip
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert "Sam Override" in text and "Aleksandra" not in text
    assert "Numer referencyjny: OWN-1" in text


def test_a_language_not_published_falls_back_to_lang_and_says_so(tmp_path):
    data = fixture("uk-core-bundle-polish-patient.json")
    patient = data["entry"][0]["resource"]
    patient["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "de"}]}}]
    out, result = print_fhir(tmp_path, data, ROOT / "content", "--lang", "ro")
    assert result.code == 0, result.err
    assert result.out.startswith("Language: ro, from --lang (the patient's language (de) is not published for "
                                 "naltrexone)\n")  # fmt: skip
    assert "Conform prescripției: Half a tablet twice a day" in pdftotext(out)


def test_leaflet_must_agree_with_the_code(tmp_path):
    out, result = print_fhir(tmp_path, daily_naltrexone(), ROOT / "content", "--leaflet", "acamprosate")
    assert result.code == 1 and not out.exists()
    assert result.err == ("MedicationRequest.medicationCodeableConcept: the medication's codes "
                          "(http://www.whocc.no/atc|N07BB04) are not the acamprosate leaflet's medicine "
                          "(its medicine.codes); check the prescription and --leaflet\n")  # fmt: skip


def test_the_mapped_regimen_goes_through_the_same_guard(tmp_path):
    two = [{"doseQuantity": {"value": 2, "unit": "tablet", "system": "http://snomed.info/sct", "code": "428673006"}}]
    out, result = print_fhir(tmp_path, daily_naltrexone(doseAndRate=two), ROOT / "content", "--confirm-unusual-dose")
    assert (result.code, result.err) == (1, "regimen 'daily:100': 700 mg a week is more than the 350 mg a week "
                                            "that naltrexone allows\n")  # fmt: skip
    every_other_day = daily_naltrexone(timing={"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}})
    out, result = print_fhir(tmp_path, every_other_day)
    assert result.code == 1 and not out.exists()
    assert result.err.startswith("regimen 'every-2-days:50': this is not one of the standard schedules")
    out, result = print_fhir(tmp_path, every_other_day, ROOT / "content", "--confirm-unusual-dose")
    assert result.code == 0, result.err
    assert "Your prescriber set this schedule for you." in pdftotext(out)


def test_a_refusal_is_one_line_naming_the_element_and_writes_nothing(tmp_path):
    data = daily_naltrexone(doseAndRate=[{"doseRange": {"low": {"value": 1}, "high": {"value": 2}}}])
    out, result = print_fhir(tmp_path, data)
    assert (result.code, result.out) == (1, "")
    assert result.err == ("MedicationRequest.dosageInstruction[0].doseAndRate[0].doseRange: a range of doses cannot "
                          "be printed as one plan; ask the prescriber for one dose\n")  # fmt: skip
    assert not out.exists() and not (tmp_path / "output" / "print").exists()


def test_regimen_and_fhir_together_is_a_usage_error(tmp_path):
    out, result = print_fhir(tmp_path, daily_naltrexone(), ROOT / "content", "--regimen", "daily:50")
    assert result.code == 2 and "--regimen and --fhir both give the doses" in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"resourceType": "Patient"}', "expected a MedicationRequest or a Bundle of them (resourceType)"),
        (
            '{"resourceType": "MedicationRequest", "status": "active", "intent": "order", "subject": {"reference": '
            '"Patient/1"}, "medicationCodeableConcept": {"text": "x"}, "dosageInstruction": [{"timing": {"repeat": '
            '{"frequency": "twice"}}}]}',
            "MedicationRequest.dosageInstruction[0].timing.repeat.frequency: Input should be a valid integer",
        ),
        (
            '{"resourceType": "MedicationRequest", "intent": "order", "subject": {"reference": "Patient/1"}, '
            '"medicationCodeableConcept": {"text": "x"}, "dosageNote": "Alex Example"}',
            "MedicationRequest.dosageNote: Extra inputs are not permitted",
        ),
    ],
)
def test_invalid_json_or_resources_are_one_line_per_problem(tmp_path, text, message):
    source = tmp_path / "bad.json"
    source.write_text(text)
    result = run_cli("print", "--output", tmp_path / "output", "--fhir", source, "--clinic", "example")
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err and "Alex" not in result.err


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    source = tmp_path / "huge.json"
    with source.open("wb") as handle:
        handle.truncate(16 * 1024 * 1024 + 1)
    result = run_cli("print", "--output", tmp_path / "output", "--fhir", source, "--clinic", "example")
    assert result.code == 1
    assert result.err == f"{source}: file is {16 * 1024 * 1024 + 1} bytes; the limit is {16 * 1024 * 1024} bytes\n"


def test_the_readme_examples_run(tmp_path):
    result = run_cli("print", "--output", tmp_path / "output", "--fhir", ROOT / "docs" / "examples" /
                     "fhir-prescription.json", "--clinic", "example")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("Language: pl, the patient's preferred language\n")
    text = pdftotext(tmp_path / "output" / "print" / "naltrexone-pl-RX-10001.pdf")
    assert "Zgodnie z receptą: 100 mg on Monday and Wednesday, 150 mg on Friday" in text and "Alex Example" in text
    result = run_cli("batch", "--output", tmp_path / "output", ROOT / "docs" / "examples" / "fhir-searchset.json",
                     "--clinic", "example")  # fmt: skip
    assert result.code == 1 and "Batch: 2 of 4 row(s) written" in result.out and "1 failed, 1 skipped" in result.out
