"""A patient's details turned into what the leaflet shows: the dosing week, a
course by date or as-needed limits, the regimen in one sentence, who gives
the doses, dates, and the alert card.

What a dose looks like follows the medicine's form (tablets, capsules, a
liquid's volume, patches, an injection, sprays). Every word goes through the template catalog
(:mod:`leaflets.i18n.translator`); counts use CLDR plural rules; units, weekday names,
dates and lists come from CLDR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, get_day_names
from babel.lists import format_list

from ..i18n.translator import Translator, english
from ..render.treatment_context import AlertCardText, TreatmentView
from ..source.clinic import ClinicProfile
from ..source.content import AlertCardContent, Leaflet
from ..source.course import Regimen
from ..source.languages import format_locale, language
from ..source.medicine import MedicineProfile
from ..source.regimen import AS_NEEDED
from .course_calendar import lay_out
from .course_view import course_grid, course_sentences
from .dose_wording import DoseWording
from .plan_grid import week_grid
from .plan_words import as_needed_limits, schedule_sentence
from .tick_chart import build_tick_chart


@dataclass(frozen=True)
class PersonalDetails:
    """What one personalised leaflet is for. ``name`` is optional and never logged."""

    regimen: Regimen | None  # None for a general leaflet
    clinic: ClinicProfile
    start_date: date | None = None
    next_appointment: date | None = None
    name: str = ""
    supervised_days: frozenset[int] | None = None  # weekdays (0 is Monday), for a medicine supervised sometimes
    as_prescribed: str = ""  # the prescriber's words, to check the plan against


def treatment_view(details: PersonalDetails, medicine: MedicineProfile, lang: str, t: Translator,
                   how_to_take: str = "", tick_chart: bool = False) -> TreatmentView:  # fmt: skip
    """Everything the 'Your treatment' section shows: the plan in time slots (a week, one day, or a course by
    date) or as-needed limits, and, if asked for, a tick chart."""
    regimen = details.regimen
    words = DoseWording(medicine, lang, t)
    names = get_day_names("wide", locale=format_locale(lang))
    day_names = [names[i] for i in range(7)]  # Babel: 0 is Monday
    grid, notes, sentence, after = _plan(details, words, day_names, lang)
    return TreatmentView(
        sentence=sentence,
        unusual_note="" if regimen.standard else t.gettext("Your prescriber set this schedule for you."),
        supervised_note=supervised_note(medicine, details.supervised_days, day_names, lang, t),
        start_date=long_date(details.start_date, lang),
        next_appointment=long_date(details.next_appointment, lang),
        name=details.name,
        clinic=details.clinic,
        grid=grid,
        how_to_take=how_to_take,
        notes=notes,
        after=after,
        tick_chart=build_tick_chart(regimen, details.start_date, words, lang) if tick_chart else None,
        as_prescribed=details.as_prescribed,
    )


def _plan(details: PersonalDetails, words: DoseWording, day_names: list[str], lang: str) -> tuple:
    """The plan's grid (none for as-needed doses), its notes, the sentence that sums it up and what comes after."""
    regimen = details.regimen
    first = regimen.phases[0].schedule
    if regimen.weekly:
        where = _where(details.supervised_days, words.t)
        grid = week_grid(regimen.weekly, day_names, words, where)
        return grid, (), schedule_sentence(regimen.weekly, day_names, lang, words), ""
    if not regimen.is_course and first.pattern == AS_NEEDED:
        return None, as_needed_limits(first, words), schedule_sentence(first, day_names, lang, words), ""
    calendar = lay_out(regimen, details.start_date)
    grid = course_grid(calendar, words, day_names, details.supervised_days, lang)
    summary, after = course_sentences(calendar, words.t, lang)
    return grid, (), summary or schedule_sentence(first, day_names, lang, words), after


def _where(supervised_days: frozenset[int] | None, t: Translator) -> dict[int, str]:
    """Where each weekday's dose is taken, for a medicine supervised on some days only."""
    if supervised_days is None:
        return {}
    return {i: t.gettext("With the pharmacist") if i in supervised_days else t.gettext("At home") for i in range(7)}


def supervised_note(medicine: MedicineProfile, days: frozenset[int] | None, day_names: list[str], lang: str,
                    t: Translator) -> str:  # fmt: skip
    """Who gives the doses: a nurse (injections), a pharmacist (always, or on the named weekdays), or no one."""
    if medicine.form == "injection":
        return t.gettext("A nurse gives you each injection at the clinic.")
    if medicine.supervised:
        return t.gettext("You take each dose in front of a pharmacist or nurse, at the pharmacy or the clinic.")
    if days is None:
        return ""
    if not days:
        return t.gettext("You take every dose at home.")
    listed = format_list([day_names[i] for i in sorted(days)], locale=format_locale(lang))
    if len(days) == 7:
        return t.gettext("You take each dose in front of a pharmacist or nurse, at the pharmacy or the clinic.")
    home = format_list([day_names[i] for i in range(7) if i not in days], locale=format_locale(lang))
    return t.gettext("On %(days)s you take your dose in front of a pharmacist. On %(home_days)s you take it at home.",
                     days=listed, home_days=home)  # fmt: skip


def long_date(value: date | None, lang: str) -> str:
    return format_date(value, format="full", locale=format_locale(lang)) if value else ""


def alert_card_text(card: AlertCardContent, lang: str, direction: str, t: Translator) -> AlertCardText:
    return AlertCardText(
        lang=lang,
        dir=direction,
        title=card.title,
        lines=card.lines,
        name_label=t.gettext("Name:"),
        clinic_label=t.gettext("Clinic:"),
        phone_label=t.gettext("Clinic phone:"),
    )


def alert_cards(leaflet: Leaflet, lang: str, translator: Translator) -> list[AlertCardText]:
    """The leaflet's own alert card in the patient's language, then in English; none if it has no card."""
    card = leaflet.texts[lang].alert_card
    if card is None:
        return []
    cards = [alert_card_text(card, lang, language(lang).direction, translator)]
    if lang != "en":
        cards.append(alert_card_text(leaflet.texts["en"].alert_card, "en", "ltr", english()))
    return cards
