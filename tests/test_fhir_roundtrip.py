"""Every regimen the grammar accepts can be written as FHIR Dosage lines and read back to the same schedule.

The exporter below is the tests' own, written from the FHIR specification: one line per dose of a phase
(times of day and weekdays grouped by dose), ``sequence`` for the phases, ``boundsDuration`` for their lengths.
The lines are validated with fhir.resources and mapped back by the code under test.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_fhir_refusals import NALTREXONE, plan

from leaflets.source.course import Regimen, parse_course
from leaflets.source.regimen import AS_NEEDED, DAYS, EVERY_N_DAYS, REPEATS, TIMES, TIMES_OF_DAY, WEEKLY, RegimenError

SLOT_CODES = {"morning": "MORN", "midday": "NOON", "evening": "EVE", "night": "NIGHT"}
MG = {"system": "http://unitsofmeasure.org", "code": "mg", "unit": "mg"}


def to_dosage(regimen: Regimen) -> list[dict]:
    """The regimen as FHIR R4 Dosage lines."""
    lines = []
    for number, phase in enumerate(regimen.phases, 1):
        bounds = {"boundsDuration": {"value": phase.days, "system": "http://unitsofmeasure.org", "code": "d"}} \
            if phase.days else {}  # fmt: skip
        for repeat, mg, as_needed in _phase_lines(phase.schedule):
            line = {"sequence": number, "doseAndRate": [{"doseQuantity": {"value": float(mg), **MG}}]}
            if as_needed:
                line["asNeededBoolean"] = True
            if repeat or bounds:
                line["timing"] = {"repeat": {**repeat, **bounds}}
            lines.append(line)
    return lines


def _phase_lines(schedule) -> list[tuple[dict, object, bool]]:
    if schedule.pattern == AS_NEEDED:
        return [({}, schedule.doses[0][0], True)]
    if schedule.pattern == EVERY_N_DAYS:
        return [({"frequency": 1, "period": schedule.interval, "periodUnit": "d"}, schedule.doses[0][0], False)]
    if schedule.pattern == TIMES_OF_DAY:
        by_dose: dict = {}
        for time, mg in zip(schedule.times, schedule.doses[0], strict=True):
            by_dose.setdefault(mg, []).append(SLOT_CODES[time])
        return [({"when": whens}, mg, False) for mg, whens in by_dose.items()]
    if schedule.pattern == WEEKLY:
        by_dose = {}
        for day, doses in zip(DAYS, schedule.doses, strict=True):
            for mg in doses:
                by_dose.setdefault(mg, []).append(day)
        return [({"dayOfWeek": days}, mg, False) for mg, days in by_dose.items()]
    count = REPEATS[schedule.pattern]
    return [({"frequency": count, "period": 1, "periodUnit": "d"}, schedule.doses[0][0], False)]


def shape(regimen: Regimen) -> tuple:
    return tuple((p.schedule.pattern, p.schedule.doses, p.schedule.times, p.schedule.interval, p.days)
                 for p in regimen.phases)  # fmt: skip


MGS = st.one_of(st.integers(1, 2000), st.decimals("0.01", "999.99", places=2)).map(lambda mg: f"{mg.normalize():f}"
                                                                                    if not isinstance(mg, int) else str(mg))  # fmt: skip
PATTERN = st.one_of(
    st.tuples(st.sampled_from(sorted(REPEATS)), MGS).map(lambda t: f"{t[0]}:{t[1]}"),
    st.dictionaries(st.sampled_from(TIMES), MGS, min_size=1).map(lambda d: ",".join(f"{k}:{v}" for k, v in d.items())),
    st.dictionaries(st.sampled_from(DAYS), MGS, min_size=1).map(lambda d: ",".join(f"{k}:{v}" for k, v in d.items())),
    st.tuples(st.integers(2, 90), MGS).map(lambda t: f"every-{t[0]}-days:{t[1]}"),
    MGS.map(lambda mg: f"as-needed:{mg}"),
)
PHASES = st.lists(st.tuples(PATTERN, st.integers(1, 40), st.sampled_from(["day", "days", "week", "weeks"])),
                  min_size=1, max_size=4)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(phases=PHASES, open_end=st.booleans())
def test_every_accepted_regimen_survives_fhir_and_back(phases, open_end):
    parts = [f"{pattern} for {count} {unit}" for pattern, count, unit in phases]
    if open_end:
        parts[-1] = phases[-1][0]
    try:
        regimen = parse_course(" then ".join(parts))
    except RegimenError:
        assume(False)
    mapped = plan(to_dosage(regimen), NALTREXONE)
    assert shape(parse_course(mapped.spec)) == shape(regimen)
