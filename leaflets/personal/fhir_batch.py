"""A FHIR Bundle of MedicationRequests (with their Patients) as the rows of a batch.

Row N is the Bundle's entry N, counted from 1 (``Bundle.entry[N-1]``); only MedicationRequests are rows.
A request that is not ``active``, or whose intent is not ``order``, is skipped with a line in the report;
one that cannot be printed fails its own row only. As in a spreadsheet batch, messages and the report
name a row by its number and ref, never by the patient's name.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..source.content import ContentTree
from .batch_rows import BatchRow, BatchRows, redacted
from .fhir_file import RequestEntry, read_fhir
from .fhir_prescription import fhir_print_request, patient_name, request_ref
from .session import PrintRequest
from .shard import WHOLE_BATCH, Shard


def fhir_rows(tree: ContentTree, path: Path, clinic: str, only: str = "", shard: Shard = WHOLE_BATCH) -> BatchRows:
    """Every MedicationRequest of the shard: a print request, a skip, or the problems that fail its row."""
    if not clinic:
        raise UsageError(f"batch {path.name}: a FHIR Bundle names no clinic; give --clinic ID")
    fhir_file = read_fhir(path)
    result = BatchRows()
    refs: set[str] = set()
    for entry in fhir_file.entries:
        if not shard.owns(entry.number):
            continue
        result.total += 1
        ref = _unique_ref(entry, refs)
        status = _not_an_active_order(entry)
        if status:
            result.skipped[entry.number] = (ref, status)
            continue
        given = PrintRequest(leaflet_id="", lang="", clinic=clinic, only=only, ref=ref)
        try:
            printed = fhir_print_request(tree, entry, given, fhir_file.label)
        except ContentError as error:
            name = patient_name(entry.patient)
            where = f"row {entry.number} ({entry.path}), ref {ref}"
            result.failed[entry.number] = ref
            result.problems += [Problem(fhir_file.label, redacted(f"{where}: {_in_file(p, fhir_file.label)}",
                                                                  {"name": name})) for p in error.problems]  # fmt: skip
            continue
        result.rows.append(BatchRow(entry.number, None, ref, printed.request))
    return result


def _in_file(problem: Problem, label: str) -> str:
    """A problem without the file's name, which the row's line already gives."""
    return str(Problem("", problem.message, None, problem.field) if problem.path == label else problem)


def _unique_ref(entry: RequestEntry, refs: set[str]) -> str:
    """The request's own ref when no earlier row has it, else one made from the row number."""
    ref = request_ref(entry.request) if entry.request is not None else ""
    if not ref or ref.lower() in refs:
        ref = f"entry-{entry.number}"
    refs.add(ref.lower())
    return ref


def _not_an_active_order(entry: RequestEntry) -> str:
    """Why a valid request is skipped, or ''."""
    request = entry.request
    if request is None:
        return ""
    if request.status != "active":
        return f"skipped: status is '{request.status}', not active"
    if request.intent != "order":
        return f"skipped: intent is '{request.intent}', not order"
    return ""
