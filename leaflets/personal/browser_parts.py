"""The clinical parts of a browser-made copy, rendered by the build with the code ``print`` uses.

The personalise page (:mod:`leaflets.personal.browser_page`) holds these as ``<template>`` elements; its script
only chooses among them and fills in what the person at the desk types. So every dose, sentence, card and
course row is worked out here, in Python, once.

What the script fills is marked in the HTML:

- ``<span data-lf-fill="name">``: a field typed into the form (a sentinel stands in for it while rendering);
- ``<span data-lf-day="3">``: a course's date, the start date plus 3 days (a course is rendered from a
  reference start date, and each of its dates is marked by its distance from that date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from babel.dates import format_date
from jinja2 import Environment
from markupsafe import Markup, escape

from ..errors import ContentError
from ..i18n.translator import Translator
from ..render.html import install_translator
from ..render.page_context import PrintRecord
from ..source.clinic import ClinicProfile
from ..source.content import Leaflet
from ..source.course import Regimen
from ..source.languages import format_locale
from .prescription_checks import check_course_dates, checked_regimen
from .treatment import PersonalDetails, alert_cards, treatment_view

REFERENCE_START = date(2001, 1, 1)  # a course's dates are rendered from here, then marked as day offsets
SENTINEL_RE = re.compile("\ue000([a-z_]+)\ue001")


def sentinel(field: str) -> str:
    """Stands in for a form field while a part is rendered (private-use characters: never in content)."""
    return f"\ue000{field}\ue001"


def mark_fields(html: str) -> Markup:
    """Each sentinel becomes the element the script fills with the field's text."""
    return Markup(SENTINEL_RE.sub(r'<span data-lf-fill="\1"></span>', html))  # noqa: S704 - field names only


@dataclass(frozen=True)
class RegimenChoice:
    """One standard regimen as the form offers it, and its plan (dated from a start date, and counted in days)."""

    spec: str
    label: str  # the sentence the sheet prints
    plan: Markup  # without a start date ("Day 1"), or the only plan of a regimen that does not need one
    dated_plan: Markup | None = None  # a course laid out from a start date: its dates marked by day offset
    needs_start: bool = False  # a course with weekday doses


@dataclass(frozen=True)
class ClinicChoice:
    """A clinic of content/clinics (or none: lines to fill in by hand) and its cards."""

    value: str
    label: str
    sheet_card: Markup  # the compact card under the plan
    leaflet_card: Markup  # the card in the leaflet's contact section
    alert_cards: Markup  # the cut-out cards (empty for a leaflet without one)


class PartRenderer:
    """Renders one leaflet language's parts through the component macros (the same as the PDF's)."""

    def __init__(self, env: Environment, leaflet: Leaflet, lang: str, translator: Translator):
        self.env, self.leaflet, self.lang, self.t = env, leaflet, lang, translator

    def _macro(self, component: str, params: dict) -> str:
        install_translator(self.env, self.t)
        module = self.env.get_template(f"components/{component}/macro.html").module
        return str(getattr(module, component)(params))

    def regimen(self, spec: str) -> RegimenChoice:
        """A standard regimen's plan, as ``print`` lays it out; a course also from a start date."""
        regimen = checked_regimen(spec, False, self.leaflet)
        needs_start = _needs_start(regimen)
        undated = mark_fields(self._plan(regimen, None))
        label = spec if needs_start else self._view(regimen, None).sentence  # its sentence would hold dates
        if not regimen.is_course:
            return RegimenChoice(spec, label, undated)
        dated = mark_days(self._plan(regimen, REFERENCE_START), self.lang, regimen)
        return RegimenChoice(spec, label, undated, dated, needs_start)

    def _view(self, regimen: Regimen, start: date | None):
        details = PersonalDetails(regimen, None, start)  # the plan shows no clinic
        text = self.leaflet.texts[self.lang]
        return treatment_view(details, self.leaflet.medicine, self.lang, self.t, text.how_to_take)

    def _plan(self, regimen: Regimen, start: date | None) -> str:
        if regimen.is_course and start is None and _needs_start(regimen):
            return ""  # never shown: the form asks for the start date first
        view = replace(
            self._view(regimen, start), start_date=sentinel("start_date"), next_appointment=sentinel("next_appointment")
        )
        return self._macro("dose_calendar", {"treatment": view})

    def clinic(self, clinic: ClinicProfile | None, emergency: str, label: str) -> ClinicChoice:
        """A clinic's three cards; ``None`` gives the lines to fill in by hand."""
        common = {"clinic": clinic, "emergency": emergency, "lang": self.lang}
        sheet = self._macro("contact_card", {**common, "compact": True, "classes": "lf-contact-card--sheet"})
        cards = alert_cards(self.leaflet, self.lang, self.t)
        alert = ""
        if cards:
            alert = self._macro("alert_card", {"cards": cards, "name": sentinel("name"), "clinic": clinic,
                                               "classes": "lf-alert-cards--back"})  # fmt: skip
        value = clinic.clinic_id if clinic else "none"
        leaflet_card = mark_fields(self._macro("contact_card", common))
        return ClinicChoice(value, label, mark_fields(sheet), leaflet_card, mark_fields(alert))

    def print_record(self) -> Markup:
        """The "Printed on" line, with the ref and the prescriber (the script drops what is left empty)."""
        record = PrintRecord(sentinel("printed_on"), sentinel("ref"), sentinel("prescriber"))
        return mark_fields(self._macro("print_record", {"record": record}))


def _needs_start(regimen: Regimen) -> bool:
    try:
        check_course_dates(regimen, None, None)
    except ContentError:
        return True
    return False


def mark_days(html: str, lang: str, regimen: Regimen) -> Markup:
    """A course rendered from REFERENCE_START, each of its dates replaced by its day offset."""
    html = str(mark_fields(html))
    days = regimen.fixed_days + 90 * 3 + 1  # the course's days, and the next doses of an open every-N-days phase
    shown = {str(escape(_full(REFERENCE_START + timedelta(days=n), lang))): n for n in range(days)}
    pattern = re.compile("|".join(re.escape(text) for text in sorted(shown, key=len, reverse=True)))
    return Markup(pattern.sub(lambda match: f'<span data-lf-day="{shown[match.group(0)]}"></span>', html))  # noqa: S704


def _full(day: date, lang: str) -> str:
    return format_date(day, format="full", locale=format_locale(lang))
