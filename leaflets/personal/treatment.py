"""A patient's details turned into what the leaflet shows: the dosing week,
the regimen in one sentence, dates, and the alert card.

What a dose looks like follows the medicine's form (tablets, capsules, a
liquid's volume). Every word goes through the template catalog
(:mod:`leaflets.i18n.translator`); counts use CLDR plural rules; units, weekday names,
dates and lists come from CLDR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, get_day_names
from babel.lists import format_list

from ..i18n.translator import Translator
from ..render.treatment_context import AlertCardText, DoseDay, DoseEntry, TreatmentView
from ..source.clinic import ClinicProfile
from ..source.content import AlertCardContent
from ..source.languages import format_locale
from ..source.medicine import MedicineProfile
from ..source.regimen import REPEATS, TIMES_OF_DAY, WEEKLY, DoseSchedule
from .dose_wording import DoseWording


@dataclass(frozen=True)
class PersonalDetails:
    """What one personalised leaflet is for. ``name`` is optional and never logged."""

    schedule: DoseSchedule | None  # None for a general leaflet
    clinic: ClinicProfile
    start_date: date | None = None
    next_appointment: date | None = None
    name: str = ""


def dose_day(day_name: str, doses: tuple, schedule: DoseSchedule, words: DoseWording) -> DoseDay:
    """One row of the week: each dose (or the same dose several times), what to take and its pictogram."""
    if schedule.times:
        entries = tuple(
            DoseEntry(words.at_time(time, words.dose(mg)), words.at_time(time, words.units(mg)), words.pictogram(mg))
            for time, mg in zip(schedule.times, doses, strict=True)
        )
    elif len(doses) > 1:  # the same dose several times a day: each dose, never the day's total
        mg, times = doses[0], len(doses)
        dose, amount = words.repeated(words.dose(mg), times), words.repeated(words.units(mg), times)
        entries = (DoseEntry(dose, amount, words.pictogram(mg, times)),)
    else:
        entries = tuple(DoseEntry(words.dose(mg), words.units(mg), words.pictogram(mg)) for mg in doses)
    return DoseDay(day_name, doses, entries)


def regimen_sentence(schedule: DoseSchedule, day_names: list[str], lang: str, words: DoseWording) -> str:
    """The whole regimen in one plain sentence."""
    t = words.t
    first = schedule.doses[schedule.dosing_days[0]]
    if schedule.pattern in REPEATS:
        how_often = words.how_often(REPEATS[schedule.pattern])
        return t.gettext(
            "Take %(amount)s %(how_often)s, every day.", amount=words.amount(first[0]), how_often=how_often
        )
    if schedule.pattern == TIMES_OF_DAY:
        parts = [words.at_time_phrase(time, words.amount(mg)) for time, mg in zip(schedule.times, first, strict=True)]
        return t.gettext("Take %(doses)s, every day.", doses=format_list(parts, locale=format_locale(lang)))
    assert schedule.pattern == WEEKLY  # noqa: S101 - the grammar has exactly these patterns
    parts = [
        t.gettext("%(amount)s on %(day)s", amount=words.amount(schedule.day_total(i)), day=day_names[i])
        for i in schedule.dosing_days
    ]
    listed = format_list(parts, locale=format_locale(lang))
    return t.gettext("Take %(doses)s.", doses=listed) + " " + words.none_on_other_days()


def treatment_view(details: PersonalDetails, medicine: MedicineProfile, lang: str, t: Translator) -> TreatmentView:
    """Everything the 'Your treatment' section shows."""
    schedule = details.schedule
    words = DoseWording(medicine, lang, t)
    names = get_day_names("wide", locale=format_locale(lang))
    day_names = [names[i] for i in range(7)]  # Babel: 0 is Monday
    unusual = "" if schedule.standard else t.gettext("Your prescriber set this schedule for you.")
    supervised = (
        t.gettext("You take each dose in front of a pharmacist or nurse, at the pharmacy or the clinic.")
        if medicine.supervised
        else ""
    )
    return TreatmentView(
        days=tuple(dose_day(day_names[i], schedule.doses[i], schedule, words) for i in range(7)),
        sentence=regimen_sentence(schedule, day_names, lang, words),
        unusual_note=unusual,
        supervised_note=supervised,
        column_heading=words.column_heading(),
        rest_day=words.rest_day(),
        start_date=long_date(details.start_date, lang),
        next_appointment=long_date(details.next_appointment, lang),
        name=details.name,
        clinic=details.clinic,
    )


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
