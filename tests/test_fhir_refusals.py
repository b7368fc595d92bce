"""The Dosage -> regimen mapping, element by element: what it makes of each, and every refusal naming its FHIR
path. Prescriptions are validated with fhir.resources first, as the command line does."""

from __future__ import annotations

import copy

import pytest
from conftest import FIXTURES, ROOT, run_cli
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir_fixtures import daily_naltrexone, fixture, write

from leaflets.source.content import read_content
from leaflets.source.fhir_dosage import dosage_plan
from leaflets.source.fhir_dose import FhirRefusal

MG = {"system": "http://unitsofmeasure.org", "code": "mg", "unit": "mg"}
TABLET = {"system": "http://snomed.info/sct", "code": "428673006", "unit": "tablet"}
D0 = "MedicationRequest.dosageInstruction[0]"


def medicine(leaflet: str, content=ROOT / "content"):
    tree, _ = read_content(content)
    return next(item for item in tree.leaflets if item.leaflet_id == leaflet).medicine


NALTREXONE = medicine("naltrexone")


def dose(value, unit=MG) -> list:
    return [{"doseQuantity": {"value": value, **unit}}]


def line(repeat=None, value=50, unit=MG, **more) -> dict:
    entry = {"doseAndRate": dose(value, unit), **more}
    if repeat is not None:
        entry["timing"] = {"repeat": repeat}
    return entry


def plan(lines: list, medicine=NALTREXONE):
    data = copy.deepcopy(fixture("uk-core-naltrexone-daily.json"))
    data["dosageInstruction"] = lines
    return dosage_plan(MedicationRequest.model_validate(data).dosageInstruction, medicine)


DAILY = {"frequency": 1, "period": 1, "periodUnit": "d"}


@pytest.mark.parametrize(
    ("lines", "spec"),
    [
        ([line(DAILY)], "daily:50"),
        ([line({"frequency": 2, "period": 1, "periodUnit": "d"}, 25)], "twice-daily:25"),
        ([line({"when": ["MORN", "EVE"]}, 0.5, TABLET)], "morning:25,evening:25"),
        ([line({"when": ["NIGHT"], "frequency": 1, "period": 1, "periodUnit": "d"})], "night:50"),
        ([line({"when": ["HS"]})], "night:50"),
        ([line({"dayOfWeek": ["fri", "mon"]}, 100), line({"dayOfWeek": ["wed"]}, 150)], "mon:100,wed:150,fri:100"),
        ([line({"frequency": 1, "period": 1, "periodUnit": "wk", "dayOfWeek": ["mon"]}, 100)], "mon:100"),
        ([line({"frequency": 1, "period": 3, "periodUnit": "d"}, 0.1, {**MG, "code": "g"})], "every-3-days:100"),
        ([line({"frequency": 1, "period": 1, "periodUnit": "wk"}, 100)], "every-7-days:100"),
        ([line(None, 25, asNeededBoolean=False, timing={"code": {"coding": [{"code": "BID"}]}})], "twice-daily:25"),
        ([line({**DAILY, "boundsDuration": {"value": 1, "code": "wk", "system": "http://unitsofmeasure.org"}},
               25, sequence=1), line(DAILY, sequence=2)], "daily:25 for 7 days then daily:50"),
        ([line({**DAILY, "boundsPeriod": {"start": "2027-01-04", "end": "2027-01-06"}}, 25)], "daily:25 for 3 days"),
    ],
)  # fmt: skip
def test_each_timing_becomes_the_grammars_pattern(lines, spec):
    assert plan(lines).spec == spec


# (what is changed in the first dosage line, the path named, the start of the message)
REFUSALS = [
    ({"doseAndRate": [{"doseRange": {"low": {"value": 1}, "high": {"value": 2}}}]},
     f"{D0}.doseAndRate[0].doseRange", "a range of doses cannot be printed as one plan; ask the prescriber for one dose"),
    ({"doseAndRate": [{"rateRatio": {"numerator": {"value": 1}, "denominator": {"value": 1}}}]},
     f"{D0}.doseAndRate[0].rateRatio", "a rate cannot be printed"),
    ({"doseAndRate": [{"rateQuantity": {"value": 1}}]}, f"{D0}.doseAndRate[0].rateQuantity", "a rate cannot"),
    ({"doseAndRate": [{"rateRange": {"low": {"value": 1}}}]}, f"{D0}.doseAndRate[0].rateRange", "a rate cannot"),
    ({"timing": {"repeat": {**DAILY, "frequencyMax": 2}}}, f"{D0}.timing.repeat.frequencyMax", "a range of doses a day"),
    ({"timing": {"repeat": {**DAILY, "periodMax": 2}}}, f"{D0}.timing.repeat.periodMax", "a range of intervals"),
    ({"timing": {"repeat": {**DAILY, "timeOfDay": ["08:00:00"]}}}, f"{D0}.timing.repeat.timeOfDay", "clock times"),
    ({"timing": {"repeat": {"when": ["MORN"], "offset": 30}}}, f"{D0}.timing.repeat.offset", "minutes before"),
    ({"timing": {"repeat": {**DAILY, "count": 10}}}, f"{D0}.timing.repeat.count", "a number of doses in all"),
    ({"timing": {"event": ["2027-01-04"]}}, f"{D0}.timing.event", "doses on dates listed one by one"),
    ({"modifierExtension": [{"url": "https://example.org/x", "valueBoolean": True}]}, f"{D0}.modifierExtension",
     "a modifier extension changes what this element means"),
    ({"timing": {"modifierExtension": [{"url": "https://example.org/x", "valueBoolean": True}],
                 "repeat": DAILY}}, f"{D0}.timing.modifierExtension", "a modifier extension"),
    ({"maxDosePerPeriod": {"numerator": {"value": 200, **MG}, "denominator": {"value": 1, "code": "d"}}},
     f"{D0}.maxDosePerPeriod", "200 mg is looser than the 150 mg that naltrexone allows"),
    ({"maxDosePerPeriod": {"numerator": {"value": 40, **MG}, "denominator": {"value": 1, "code": "d"}}},
     f"{D0}.maxDosePerPeriod", "the plan itself gives 50 mg, more than this most of 40"),
    ({"maxDosePerAdministration": {"value": 50, **MG}}, f"{D0}.maxDosePerAdministration", "a most per dose"),
    ({"maxDosePerLifetime": {"value": 5000, **MG}}, f"{D0}.maxDosePerLifetime", "a most in a lifetime"),
    ({"asNeededCodeableConcept": {"text": "craving"}}, f"{D0}.asNeededCodeableConcept", "as needed for a stated"),
    ({"timing": {"repeat": {"when": ["AFT"]}}}, f"{D0}.timing.repeat.when[0]", "the plan has no afternoon slot"),
    ({"timing": {"repeat": {"when": ["PCM"]}}}, f"{D0}.timing.repeat.when[0]", "a time before, with or after a meal"),
    ({"timing": {"repeat": {"frequency": 1, "period": 8, "periodUnit": "h"}}}, f"{D0}.timing.repeat.periodUnit",
     "a period in 'h' cannot be printed as days"),
    ({"timing": {"repeat": {"frequency": 6, "period": 1, "periodUnit": "d"}}}, f"{D0}.timing.repeat.frequency",
     "expected 1 to 4 doses a day, got 6"),
    ({"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "when": ["MORN"]}}},
     f"{D0}.timing.repeat.frequency", "expected 1 dose(s) a day"),
    ({"timing": {"repeat": {**DAILY, "boundsRange": {"low": {"value": 1}}}}}, f"{D0}.timing.repeat.boundsRange",
     "a range of lengths"),
    ({"timing": {"repeat": {**DAILY, "duration": 30, "durationUnit": "min"}}}, f"{D0}.timing.repeat.duration",
     "how long each dose takes"),
    ({"doseAndRate": dose(50, {"unit": "mg"})}, f"{D0}.doseAndRate[0].doseQuantity.system", "the unit is not coded"),
    ({"doseAndRate": dose(1, {"system": "http://snomed.info/sct", "code": "428641000"})},
     f"{D0}.doseAndRate[0].doseQuantity.code", "a dose in capsules, but naltrexone is dosed in tablets"),
    ({"doseAndRate": [{"doseQuantity": {"value": 50, "comparator": "<=", **MG}}]},
     f"{D0}.doseAndRate[0].doseQuantity.comparator", "a dose 'at most'"),
    ({"doseAndRate": [{"type": {"coding": [{"code": "calculated"}]}, "doseQuantity": {"value": 50, **MG}}]},
     f"{D0}.doseAndRate[0].type", "expected the ordered dose"),
    ({"timing": None}, f"{D0}.timing", "no timing"),
    ({"timing": {"repeat": DAILY, "code": {"coding": [{"code": "TID"}]}}}, f"{D0}.timing.code",
     "the timing code and the repeat say different things"),
    ({"route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]}}, f"{D0}.route",
     "a code without words"),
    ({"asNeededBoolean": True}, f"{D0}.timing.repeat.frequency", "an as-needed dose is printed with the medicine's"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "path", "message"),
    REFUSALS,
    ids=[path.rsplit(".", 1)[-1] + f"-{n}" for n, (_, path, _) in enumerate(REFUSALS)],
)
def test_every_refused_element_is_named_by_its_path(change, path, message):
    data = daily_naltrexone(**change)
    data["dosageInstruction"][0] = {k: v for k, v in data["dosageInstruction"][0].items() if v is not None}
    with pytest.raises(FhirRefusal) as refused:
        dosage_plan(MedicationRequest.model_validate(data).dosageInstruction, NALTREXONE)
    problem = refused.value.problems[0]
    assert problem.path == path
    assert problem.message.startswith(message)
    assert str(problem) == f"{path}: {problem.message}"


def test_a_unit_count_of_a_medicine_with_several_strengths_is_ambiguous():
    sublinga = medicine("sublinga", FIXTURES / "medicines")
    with pytest.raises(FhirRefusal) as refused:
        plan([line(DAILY, 2, TABLET)], sublinga)
    assert str(refused.value.problems[0]) == (
        f"{D0}.doseAndRate[0].doseQuantity.code: a number of tablets is ambiguous: sublinga comes as 2 mg and 8 mg; "
        "ask for the dose in mg"
    )
    assert plan([line(DAILY, 12)], sublinga).spec == "daily:12"


def test_sequences_need_a_length_and_lines_of_one_sequence_must_combine():
    with pytest.raises(FhirRefusal) as refused:
        plan([line(DAILY, 25, sequence=1), line(DAILY, sequence=2)])
    assert refused.value.problems[0].path == f"{D0}.timing.repeat.boundsDuration"
    with pytest.raises(FhirRefusal) as refused:
        plan([line({"when": ["MORN"]}, 25, sequence=1), line({"dayOfWeek": ["mon"]}, sequence=1)])
    assert refused.value.problems[0].path == "MedicationRequest.dosageInstruction[1]"
    with pytest.raises(FhirRefusal) as refused:
        plan([line({"when": ["MORN"]}, 25, sequence=1), line({"when": ["MORN"]}, sequence=1)])
    assert str(refused.value.problems[0]) == (
        "MedicationRequest.dosageInstruction[1].timing.repeat: morning is given by two lines of one sequence"
    )


@pytest.mark.parametrize(
    ("field", "value", "path", "message"),
    [
        ("status", "stopped", "MedicationRequest.status", "'stopped': only an active prescription is printed"),
        ("intent", "plan", "MedicationRequest.intent", "'plan': only an order is printed"),
        ("doNotPerform", True, "MedicationRequest.doNotPerform", "this request says not to give the medicine"),
        ("modifierExtension", [{"url": "https://example.org/x", "valueBoolean": True}],
         "MedicationRequest.modifierExtension", "a modifier extension changes what this request means"),
    ],
)  # fmt: skip
def test_only_an_active_order_is_printed(tmp_path, field, value, path, message):
    data = daily_naltrexone()
    data[field] = value
    result = run_cli("print", "--output", tmp_path / "output", "--fhir", write(tmp_path, data), "--clinic", "example")
    assert result.code == 1
    assert result.err.startswith(f"{path}: {message}")
