"""`build.py batch FILE.json`: a searchset Bundle of MedicationRequests with their Patients, one refused and one
cancelled; the others are written, each in its patient's language, and the report names no one."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import run_cli
from fhir_fixtures import START, fixture, write
from test_medicines import pdftotext

NAMES = ("Robin", "Exampleton", "Wiktoria", "Nowakowska", "Casey", "Sampleford")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fhir-batch")
    source = write(folder, fixture("uk-core-searchset.json"), "search.json")
    result = run_cli("batch", "--output", folder / "output", source, "--clinic", "example")
    return folder / "output" / "print", result


def test_a_searchset_writes_the_good_requests_and_reports_the_refused_one(batch):
    folder, result = batch
    assert result.code == 1  # a row failed
    assert "Batch: 2 of 4 row(s) written" in result.out and "1 failed, 1 skipped" in result.out
    assert result.err.splitlines()[-1] == (
        f"{folder.parent.parent / 'search.json'}: row 3 (Bundle.entry[2].resource), ref RX-60003: "
        "MedicationRequest.dosageInstruction[0].doseAndRate[0].doseRange: a range of doses cannot be printed as one "
        "plan; ask the prescriber for one dose")  # fmt: skip
    with (folder / "search-report.csv").open(encoding="utf-8-sig") as handle:
        rows = [(row["ref"], row["status"], row["file"]) for row in csv.DictReader(handle)]
    assert rows == [
        ("RX-60001", "written", "naltrexone-en-RX-60001.pdf"),
        ("RX-60002", "written", "naltrexone-pl-RX-60002.pdf"),
        ("RX-60003", "failed", ""),
        ("RX-60004", "skipped", ""),
    ]
    assert sorted(path.name for path in folder.iterdir()) == [
        "naltrexone-en-RX-60001.pdf", "naltrexone-pl-RX-60002.pdf", "search-report.csv"]  # fmt: skip


def test_each_copy_is_its_patients_and_no_name_reaches_the_report_or_messages(batch):
    folder, result = batch
    first, second = (pdftotext(folder / f"naltrexone-{lang}-RX-6000{n}.pdf") for n, lang in ((1, "en"), (2, "pl")))
    assert "Robin Exampleton" in first and "Take 1 tablet (50 mg) once a day, every day." in first
    assert "Wiktoria Nowakowska" in second and "Zgodnie z receptą: 100 mg on Monday" in second
    report = (folder / "search-report.csv").read_text(encoding="utf-8-sig")
    assert "skipped: status is 'cancelled', not active" in report
    for name in NAMES:
        assert name not in report + result.out + result.err
        assert not any(name in path.name for path in folder.iterdir())


def test_an_invalid_request_fails_only_its_row(tmp_path):
    data = fixture("uk-core-searchset.json")
    data["entry"][1]["resource"]["dosageInstruction"][0]["timing"]["repeat"]["frequency"] = "once"
    data["entry"][2]["resource"]["intent"] = "proposal"
    result = run_cli("batch", "--output", tmp_path / "output", write(tmp_path, data, "s.json"), "--clinic", "example")
    assert result.code == 1
    assert (f"{tmp_path / 's.json'}: row 2 (Bundle.entry[1].resource), ref entry-2: "
            "Bundle.entry[1].resource.dosageInstruction[0].timing.repeat.frequency: Input should be a valid integer, "
            "unable to parse string as an integer") in result.err  # fmt: skip
    report = (tmp_path / "output" / "print" / "s-report.csv").read_text(encoding="utf-8-sig")
    assert "skipped: intent is 'proposal', not order" in report
    assert (tmp_path / "output" / "print" / "naltrexone-en-RX-60001.pdf").exists()


def test_a_bundle_needs_a_clinic(tmp_path):
    source = write(tmp_path, fixture("uk-core-searchset.json"), "s.json")
    result = run_cli("batch", "--output", tmp_path / "output", source)
    assert result.code == 2 and "a FHIR Bundle names no clinic; give --clinic ID" in result.err


def test_a_bundle_of_another_type_is_refused(tmp_path):
    data = fixture("uk-core-searchset.json") | {"type": "document"}
    result = run_cli("batch", "--output", tmp_path / "output", write(tmp_path, data, "s.json"), "--clinic", "example")
    assert result.code == 1
    assert "Bundle.type: expected a collection, searchset, transaction, batch Bundle, got 'document'" in result.err
    assert START.isoformat() in json.dumps(data)  # the fixture's dates were moved to a date print accepts
