"""A personal treatment plan in Braille: what ``print --format braille`` writes.

The words come from the same :class:`TreatmentView` the personalised PDF shows
(the regimen sentence, each day's doses, the dates) and from the clinic
profile, with the templates' own translated labels. The person's name is left
out: the Braille is the plan, not the alert card.
"""

from __future__ import annotations

from ..errors import ContentError, Problem
from ..i18n.translator import Translator
from ..render.braille import BrailleItem, braille_document
from ..source.clinic import ClinicProfile
from ..source.site_config import SiteConfig
from .treatment import TreatmentView


def braille_table(config: SiteConfig, lang: str) -> str:
    """The liblouis table for ``lang``, or a ContentError saying where to set one."""
    table = (config.braille or {}).get(lang) or (config.braille or {}).get(lang.split("-")[0])
    table = "" if table == "none" else table  # "none": the site has deliberately no table for it
    if not table:
        raise ContentError([Problem("content/site.yaml", f"no Braille table for '{lang}'; add one", field="braille")])
    return table


def treatment_items(view: TreatmentView, t: Translator) -> list[BrailleItem]:
    """'Your treatment': the sentence, its notes, a line for each row of the plan with its time slots, dates."""
    items = [BrailleItem("heading", t.gettext("Your treatment")), BrailleItem("paragraph", view.sentence)]
    notes = (view.unusual_note, view.how_to_take, view.supervised_note)
    items += [BrailleItem("paragraph", note) for note in notes if note]
    if view.grid:  # the same rows and time slots as the printed plan
        grid = view.grid
        items.append(BrailleItem("subheading", grid.caption))
        for row in grid.rows:
            parts = [f"{slot}: {dose.amount}" for slot, dose in zip(grid.slot_headings, row.doses, strict=True) if dose]
            parts += [text for text in (row.note, row.where) if text]
            items.append(BrailleItem("item", f"{row.label}: {'; '.join(parts)}"))
    if view.after:
        items.append(BrailleItem("paragraph", view.after))
    items += [BrailleItem("paragraph", note) for note in view.notes]
    dates = [(t.gettext("Start date"), view.start_date), (t.gettext("Next appointment"), view.next_appointment)]
    return items + [BrailleItem("line", f"{label}: {value}") for label, value in dates if value]


def clinic_items(clinic: ClinicProfile, t: Translator) -> list[BrailleItem]:
    details = [
        (t.gettext("Urgent or out of hours:").rstrip(":"), clinic.urgent_phone.national),
        (t.gettext("Clinic"), clinic.name),
        (t.gettext("Phone"), clinic.phone.national),
        (t.gettext("Key worker"), clinic.key_worker_phone.national if clinic.key_worker_phone else ""),
        (t.gettext("Email"), clinic.email),
        (t.gettext("Opening hours"), "; ".join(clinic.opening_hours)),
        (t.gettext("Address"), ", ".join(clinic.address)),
        (t.gettext("Website"), clinic.website or ""),
    ]
    items = [BrailleItem("heading", t.gettext("Your clinic"))]
    items += [BrailleItem("item", f"{label}: {value}") for label, value in details if value]
    if clinic.emergency_number:
        emergency = t.gettext("In an emergency, call %(number)s.", number=clinic.emergency_number)
        items.append(BrailleItem("paragraph", emergency))
    return items


def treatment_brf(title: str, view: TreatmentView | None, clinic: ClinicProfile, t: Translator, table: str) -> bytes:
    """The plan (if the leaflet has a regimen) and the clinic's contact details as a BRF file."""
    items = [BrailleItem("title", title)] + (treatment_items(view, t) if view else []) + clinic_items(clinic, t)
    return braille_document(items, table)
