"""A FHIR JSON file (one MedicationRequest, or a Bundle of them with their Patients) read and validated.

The file is size-limited as a spreadsheet is, must be UTF-8 JSON, and every resource is validated with
``fhir.resources`` (its R4B models read R4 JSON). Each problem is one line naming the element's path
(``Bundle.entry[2].resource.dosageInstruction[0].timing.repeat.frequency``) and what was expected; a value
from the file is never shown, as it could be a name. In a Bundle each resource is validated on its own,
so an invalid MedicationRequest fails only its own row of a batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem
from ..source.yaml_source import read_text
from .sheet_limits import MAX_ROWS
from .spreadsheet import MAX_BYTES

MAX_PROBLEMS = 20  # a resource's validation problems shown; the rest are counted
TOP_LEVEL = ("MedicationRequest", "Bundle")
BUNDLE_TYPES = ("collection", "searchset", "transaction", "batch")


@dataclass(frozen=True)
class RequestEntry:
    """One MedicationRequest (or the problems that make it invalid), with its Patient and Medication if given."""

    number: int  # 1 for a lone MedicationRequest; in a Bundle, the entry's index + 1
    path: str  # 'MedicationRequest' or 'Bundle.entry[3].resource'
    request: object | None  # fhir.resources MedicationRequest; None when invalid
    problems: list[Problem] = field(default_factory=list)
    patient: object | None = None
    medication: object | None = None


@dataclass(frozen=True)
class FhirFile:
    label: str
    bundle_type: str  # '' for a lone MedicationRequest
    entries: list[RequestEntry]


def read_fhir(path: Path) -> FhirFile:
    """Every MedicationRequest of the file, validated; a problem with the file as a whole raises ContentError."""
    label = str(path)
    data = _json(read_text(path, label, MAX_BYTES), label)
    kind = data.get("resourceType") if isinstance(data, dict) else None
    if kind not in TOP_LEVEL:
        raise ContentError([Problem(label, "expected a MedicationRequest or a Bundle of them (resourceType)")])
    if kind == "MedicationRequest":
        resource, problems = validate(data, "MedicationRequest", label)
        medication = _medication(resource, {}) if resource is not None else None
        return FhirFile(label, "", [RequestEntry(1, "MedicationRequest", resource, problems, None, medication)])
    return _bundle(data, label)


def _json(text: str, label: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ContentError([Problem(label, f"not valid JSON: {error.msg}", error.lineno)]) from None
    except RecursionError:
        raise ContentError([Problem(label, "not valid JSON: nested too deep")]) from None


def validate(data: dict, path: str, label: str) -> tuple[object | None, list[Problem]]:
    """A resource as its fhir.resources model, or the problems that stop it (one line each, no values)."""
    from fhir.resources.R4B import get_fhir_model_class  # pydantic models: only for a FHIR file
    from pydantic import ValidationError

    kind = data.get("resourceType") if isinstance(data, dict) else None
    try:
        model = get_fhir_model_class(kind) if isinstance(kind, str) else None
    except ValueError:
        model = None
    if model is None:
        return None, [Problem(label, "expected a FHIR resource with a known resourceType", field=path)]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [Problem(label, _message(item), field=element_path(path, item["loc"])) for item in error.errors()]
        extra = len(problems) - MAX_PROBLEMS
        more = [Problem(label, f"and {extra} more problem(s)", field=path)] if extra > 0 else []
        return None, problems[:MAX_PROBLEMS] + more


def element_path(root: str, loc: tuple) -> str:
    """('dosageInstruction', 0, 'timing') under 'MedicationRequest': 'MedicationRequest.dosageInstruction[0].timing'."""
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{str(part).removesuffix('__ext')}"
    return path


def _message(item: dict) -> str:
    """pydantic's words for what was expected; never the input, which could be a name."""
    text = " ".join(str(item.get("msg", "invalid")).split())
    return text.removeprefix("Value error, ")[:200]


def _bundle(data: dict, label: str) -> FhirFile:
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise ContentError([Problem(label, "expected a list of entries", field="Bundle.entry")])
    if len(entries) > MAX_ROWS:
        raise ContentError([Problem(label, f"{len(entries)} entries; a batch has at most {MAX_ROWS}: split the file")])
    shell = {key: value for key, value in data.items() if key != "entry"}
    shell["entry"] = [{k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries]
    bundle, problems = validate(shell, "Bundle", label)
    if problems:
        raise ContentError(problems)
    if bundle.type not in BUNDLE_TYPES:
        message = f"expected a {', '.join(BUNDLE_TYPES)} Bundle, got '{bundle.type}'"
        raise ContentError([Problem(label, message, field="Bundle.type")])
    resources, failed = _resources(entries, label)
    index = {url: resource for url, resource in _urls(bundle, resources)}
    requests = []
    for number, raw in enumerate(entries):
        if not (isinstance(raw, dict) and isinstance(raw.get("resource"), dict)):
            continue
        if raw["resource"].get("resourceType") != "MedicationRequest":
            continue
        path = f"Bundle.entry[{number}].resource"
        resource = resources.get(number)
        patient = _linked(resource.subject, index, "Patient") if resource is not None else None
        requests.append(RequestEntry(number + 1, path, resource, failed.get(number, []), patient,
                                     _medication(resource, index) if resource is not None else None))  # fmt: skip
    others = [p for number, problems in failed.items() if number not in {e.number - 1 for e in requests}
              for p in problems]  # fmt: skip
    if others:  # a Patient or Medication that is not valid: which request it belongs to cannot be trusted
        raise ContentError(others)
    return FhirFile(label, bundle.type, requests)


def _resources(entries: list, label: str) -> tuple[dict[int, object], dict[int, list[Problem]]]:
    resources, failed = {}, {}
    for number, raw in enumerate(entries):
        resource = raw.get("resource") if isinstance(raw, dict) else None
        if resource is None:
            continue
        model, problems = validate(resource, f"Bundle.entry[{number}].resource", label)
        if problems:
            failed[number] = problems
        else:
            resources[number] = model
    return resources, failed


def _urls(bundle, resources: dict[int, object]):
    """Each resource under every name a reference may use: its fullUrl, 'Type/id' and the fullUrl's tail."""
    for number, resource in resources.items():
        full_url = bundle.entry[number].fullUrl or ""
        if full_url:
            yield full_url, resource
        if resource.id:
            yield f"{resource.get_resource_type()}/{resource.id}", resource
        if "/" in full_url:
            yield "/".join(full_url.rsplit("/", 2)[-2:]), resource


def _linked(reference, index: dict, kind: str):
    """The resource a Reference points to, when it is in the Bundle and of ``kind``; else None."""
    if reference is None or not reference.reference:
        return None
    found = index.get(reference.reference)
    return found if found is not None and found.get_resource_type() == kind else None


def _medication(request, index: dict):
    """The Medication a request refers to: contained ('#id') or in the Bundle."""
    reference = request.medicationReference
    if reference is None or not reference.reference:
        return None
    if reference.reference.startswith("#"):
        return contained(request, reference.reference[1:])
    return _linked(reference, index, "Medication")


def contained(request, ident: str):
    return next((r for r in request.contained or [] if r.id == ident and r.get_resource_type() == "Medication"), None)
