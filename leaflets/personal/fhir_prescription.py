"""A validated MedicationRequest (and its Patient) as a print request: leaflet, language, name, dates, regimen.

- The leaflet is the one whose ``medicine.codes`` holds a code of the medication (its
  ``medicationCodeableConcept`` or a contained or bundled ``Medication``); ``--leaflet`` must agree.
- The language is the Patient's preferred ``communication.language`` when that leaflet is published in it,
  else ``--lang``, else English; the note says which and why.
- The name is the Patient's ``official`` (else ``usual``) name, given names then family; the start date is
  the first phase's ``boundsPeriod.start``, else ``dispenseRequest.validityPeriod.start``; the ref is the
  request's ``identifier`` value, else its ``id`` (each only with a reference's shape). A flag given on the
  command line wins over each.
- The regimen is :func:`leaflets.source.fhir_dosage.dosage_plan`'s, and goes through the same guard as a
  typed one when the request is prepared.

Nothing here repeats the patient's name in a message or a note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from ..errors import ContentError, Problem
from ..source.content import ContentTree, Leaflet
from ..source.fhir_dosage import dosage_plan
from ..source.fhir_dose import FhirRefusal
from .batch_rows import REF_RE
from .fhir_file import RequestEntry
from .session import PrintRequest

BCP47 = "urn:ietf:bcp:47"


@dataclass(frozen=True)
class FhirPrint:
    request: PrintRequest
    note: str  # which language was used, and why


def fhir_print_request(tree: ContentTree, entry: RequestEntry, given: PrintRequest, label: str) -> FhirPrint:
    """``given`` holds the command line's flags (empty where not given); the prescription fills in the rest."""
    if entry.problems:
        raise ContentError(entry.problems)
    request = entry.request
    _check_request(request)
    leaflet = _leaflet(tree, request, entry.medication, given.leaflet_id, label)
    lang, note = _language(leaflet, entry.patient, given.lang)
    plan = dosage_plan(request.dosageInstruction or [], leaflet.medicine)
    start = plan.start or _day(request.dispenseRequest.validityPeriod.start if request.dispenseRequest and
                                request.dispenseRequest.validityPeriod else None)  # fmt: skip
    filled = replace(
        given,
        leaflet_id=leaflet.leaflet_id,
        lang=lang,
        regimen=plan.spec,
        name=given.name or patient_name(entry.patient),
        start_date=given.start_date or (start.isoformat() if start else ""),
        ref=given.ref or request_ref(request),
        as_prescribed=plan.words,
    )
    return FhirPrint(filled, note)


def _check_request(request) -> None:
    """Only an active order is printed, and nothing that says not to give it."""
    if request.modifierExtension:
        raise FhirRefusal("MedicationRequest.modifierExtension", "a modifier extension changes what this request "
                          "means, and this tool cannot read it; print it by hand")  # fmt: skip
    if request.doNotPerform:
        raise FhirRefusal("MedicationRequest.doNotPerform", "this request says not to give the medicine")
    if request.status != "active":
        raise FhirRefusal("MedicationRequest.status", f"'{request.status}': only an active prescription is printed")
    if request.intent != "order":
        raise FhirRefusal("MedicationRequest.intent", f"'{request.intent}': only an order is printed")


def medication_codes(request, medication) -> list[str]:
    """The medication's codes as 'system|code'."""
    concept = request.medicationCodeableConcept or (medication.code if medication is not None else None)
    return [f"{c.system}|{c.code}" for c in (concept.coding or [] if concept else []) if c.system and c.code]


def _leaflet(tree: ContentTree, request, medication, chosen: str, label: str) -> Leaflet:
    codes = medication_codes(request, medication)
    matches = [leaflet for leaflet in tree.leaflets
               if leaflet.medicine and set(leaflet.medicine.codes) & set(codes)]  # fmt: skip
    where = "MedicationRequest.medicationCodeableConcept" if request.medicationCodeableConcept else \
        "MedicationRequest.medicationReference"  # fmt: skip
    if chosen:
        leaflet = next((item for item in tree.leaflets if item.leaflet_id == chosen), None)
        if leaflet is None:
            known = ", ".join(item.leaflet_id for item in tree.leaflets)
            raise ContentError([Problem(f"leaflet '{chosen[:40]}'", f"no such leaflet; choose one of: {known}")])
        if codes and leaflet not in matches:
            message = (f"the medication's codes ({', '.join(codes)[:200]}) are not the {chosen} leaflet's "
                       "medicine (its medicine.codes); check the prescription and --leaflet")  # fmt: skip
            raise FhirRefusal(where, message)
        matches = [leaflet]
    if not matches:
        shown = ", ".join(codes)[:200] or "none"
        raise FhirRefusal(where, f"no leaflet's medicine.codes holds the medication's codes ({shown}); "
                          "add the code to the leaflet, or give --leaflet")  # fmt: skip
    if len(matches) > 1:
        names = ", ".join(leaflet.leaflet_id for leaflet in matches)
        raise FhirRefusal(where, f"the codes match several leaflets ({names}); give --leaflet")
    if matches[0].medicine is None:
        raise ContentError([Problem("leaflet", f"the {matches[0].leaflet_id} leaflet is about no medicine, so a "
                                    "prescription cannot be printed with it")])  # fmt: skip
    return matches[0]


def published(leaflet: Leaflet, lang: str) -> bool:
    state = leaflet.languages.get(lang)
    return lang in leaflet.texts and not (state is not None and state.withheld_because)


def _language(leaflet: Leaflet, patient, given: str) -> tuple[str, str]:
    """The Patient's preferred language where the leaflet is published in it; else --lang; else English."""
    wanted = preferred_languages(patient)
    for number, tag in enumerate(wanted):
        for candidate in (tag, tag.split("-")[0]):
            if published(leaflet, candidate):
                which = "the patient's preferred language" if number == 0 else "a language of the patient's"
                return candidate, f"Language: {candidate}, {which}"
    why = f"the patient's language ({', '.join(wanted)[:40]}) is not published for {leaflet.leaflet_id}" if wanted \
        else "the prescription gives no language"  # fmt: skip
    if given:
        return given, f"Language: {given}, from --lang ({why})"
    return "en", f"Language: en ({why})"


def preferred_languages(patient) -> list[str]:
    """BCP 47 tags of the Patient's languages, preferred first."""
    if patient is None:
        return []
    ordered = sorted(patient.communication or [], key=lambda c: not c.preferred)
    tags = []
    for communication in ordered:
        for coding in communication.language.coding or []:
            if coding.code and coding.system in (None, BCP47) and coding.code not in tags:
                tags.append(coding.code)
    return tags


def patient_name(patient) -> str:
    """The official (else usual, else first) name: given names, then family."""
    if patient is None or not patient.name:
        return ""
    names = sorted(patient.name, key=lambda n: {"official": 0, "usual": 1}.get(n.use, 2))
    name = names[0]
    parts = [*(name.given or []), *([name.family] if name.family else [])]
    return " ".join(parts) or (name.text or "")


def request_ref(request) -> str:
    """The request's identifier value, else its id, when it has a reference's shape."""
    candidates = [identifier.value for identifier in request.identifier or [] if identifier.value]
    candidates.append(request.id or "")
    return next((value for value in candidates if REF_RE.match(value)), "")


def _day(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value
