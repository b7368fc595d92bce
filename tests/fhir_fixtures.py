"""FHIR prescriptions for the tests: the fixture files (UK Core and German IG shapes) with dates moved to a
date print accepts, and MedicationRequests built from them with one element changed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from conftest import FIXTURES, coming_monday

FHIR = FIXTURES / "fhir"
MEDICINES = FIXTURES / "medicines"
FIXTURE_DATE = "2027-01-04"  # the fixtures' start date; a test moves it to a coming Monday
START = coming_monday(1)


def fixture(name: str) -> dict:
    """A fixture as JSON data, its dates moved to START."""
    return json.loads((FHIR / name).read_text(encoding="utf-8").replace(FIXTURE_DATE, START.isoformat()))


def write(tmp_path: Path, data: dict, name: str = "prescription.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def daily_naltrexone(**dosage) -> dict:
    """The UK Core one-tablet-daily request, its first dosage line updated with ``dosage``."""
    data = copy.deepcopy(fixture("uk-core-naltrexone-daily.json"))
    data["dosageInstruction"][0].update(dosage)
    return data
