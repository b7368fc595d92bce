"""A personal treatment plan in Braille: what ``print --format braille`` writes.

The words come from the same :class:`TreatmentView` the personalised PDF shows
(the regimen sentence, each day's doses, the dates) and from the clinic
profile, with the templates' own translated labels. The person's name is left
out: the Braille is the plan, not the alert card.
"""

from __future__ import annotations

from .braille import BrailleItem, braille_document
from .clinic import ClinicProfile
from .errors import ContentError, Problem
from .i18n import Translator
from .personalise import TreatmentView
from .site_config import SiteConfig


def braille_table(config: SiteConfig, lang: str) -> str:
    """The liblouis table for ``lang``, or a ContentError saying where to set one."""
    table = (config.braille or {}).get(lang) or (config.braille or {}).get(lang.split("-")[0])
    if not table:
        raise ContentError([Problem("content/site.yaml", f"no Braille table for '{lang}'; add one", field="braille")])
    return table


def treatment_items(title: str, view: TreatmentView, t: Translator) -> list[BrailleItem]:
    items = [BrailleItem("title", title), BrailleItem("heading", t.gettext("Your treatment"))]
    items.append(BrailleItem("paragraph", view.sentence))
    if view.unusual_note:
        items.append(BrailleItem("paragraph", view.unusual_note))
    items.append(BrailleItem("subheading", t.gettext("Your doses for each day of the week")))
    items += [BrailleItem("item", f"{day.day_name}: {day.label}") for day in view.days]
    dates = [(t.gettext("Start date"), view.start_date), (t.gettext("Next appointment"), view.next_appointment)]
    items += [BrailleItem("line", f"{label}: {value}") for label, value in dates if value]
    return items + clinic_items(view.clinic, t)


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
    return items + [BrailleItem("paragraph", t.gettext("In an emergency, call 999."))]


def treatment_brf(title: str, view: TreatmentView, t: Translator, table: str) -> bytes:
    """The plan and the clinic's contact details as a BRF file."""
    return braille_document(treatment_items(title, view, t), table)
