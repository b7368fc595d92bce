"""A patient's details turned into what the leaflet shows: the dosing week,
the regimen in one sentence, dates, and the alert card.

Every word goes through the template catalog (:mod:`leaflets.i18n`); tablet
counts use CLDR plural rules; weekday names, dates and lists come from CLDR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, get_day_names
from babel.lists import format_list

from .clinic import ClinicProfile
from .i18n import Translator
from .languages import format_locale
from .regimen import DAILY, TWICE_DAILY, DoseSchedule, halves


@dataclass(frozen=True)
class PersonalDetails:
    """What one personalised leaflet is for. ``name`` is optional and never logged."""

    schedule: DoseSchedule
    clinic: ClinicProfile
    start_date: date | None = None
    next_appointment: date | None = None
    name: str = ""


@dataclass(frozen=True)
class DoseDay:
    day_name: str
    total_mg: int
    doses: tuple[int, ...]  # separate doses that day
    amount: str  # "2 tablets" / "half a tablet, twice"
    label: str  # text equivalent of the pictogram: "2 tablets, 100 mg"


@dataclass(frozen=True)
class TreatmentView:
    days: tuple[DoseDay, ...]
    sentence: str
    unusual_note: str
    start_date: str
    next_appointment: str
    name: str
    clinic: ClinicProfile


def tablets_text(mg: int, t: Translator) -> str:
    """'half a tablet', '1 tablet', '2 tablets', '1 and a half tablets' in the leaflet language."""
    whole, half = divmod(halves(mg), 2)
    if whole == 0:
        return t.gettext("half a tablet")
    if half:
        return t.ngettext("%(count)s and a half tablets", "%(count)s and a half tablets", whole)
    return t.ngettext("%(count)s tablet", "%(count)s tablets", whole)


def dose_day(day_name: str, doses: tuple[int, ...], t: Translator) -> DoseDay:
    total = sum(doses)
    if not doses:
        amount = t.gettext("No tablet")
        label = t.gettext("No tablet today")
    elif len(doses) == 1:
        amount = tablets_text(total, t)
        label = t.gettext("%(amount)s, %(mg)s mg", amount=amount, mg=total)
    else:
        amount = t.gettext("%(amount)s, twice", amount=tablets_text(doses[0], t))  # twice-daily is the only split
        label = t.gettext("%(amount)s, %(mg)s mg each time", amount=amount, mg=doses[0])
    return DoseDay(day_name, total, doses, amount, label)


def regimen_sentence(schedule: DoseSchedule, day_names: list[str], lang: str, t: Translator) -> str:
    """The whole regimen in one plain sentence."""
    if schedule.pattern == DAILY:
        mg = schedule.doses[0][0]
        return t.gettext("Take %(amount)s (%(mg)s mg) once a day, every day.", amount=tablets_text(mg, t), mg=mg)
    if schedule.pattern == TWICE_DAILY:
        mg = schedule.doses[0][0]
        return t.gettext("Take %(amount)s (%(mg)s mg) twice a day, every day.", amount=tablets_text(mg, t), mg=mg)
    parts = [
        t.gettext(
            "%(amount)s (%(mg)s mg) on %(day)s",
            amount=tablets_text(schedule.day_total(i), t),
            mg=schedule.day_total(i),
            day=day_names[i],
        )
        for i in schedule.dosing_days
    ]
    listed = format_list(parts, locale=format_locale(lang))
    return t.gettext("Take %(doses)s. Take no tablets on the other days.", doses=listed)


def treatment_view(details: PersonalDetails, lang: str, t: Translator) -> TreatmentView:
    """Everything the 'Your treatment' section and the alert card show."""
    locale = format_locale(lang)
    names = get_day_names("wide", locale=locale)
    day_names = [names[i] for i in range(7)]  # Babel: 0 is Monday
    days = tuple(dose_day(day_names[i], details.schedule.doses[i], t) for i in range(7))
    unusual = "" if details.schedule.standard else t.gettext("Your prescriber set this schedule for you.")
    return TreatmentView(
        days=days,
        sentence=regimen_sentence(details.schedule, day_names, lang, t),
        unusual_note=unusual,
        start_date=_long_date(details.start_date, lang),
        next_appointment=_long_date(details.next_appointment, lang),
        name=details.name,
        clinic=details.clinic,
    )


def _long_date(value: date | None, lang: str) -> str:
    return format_date(value, format="full", locale=format_locale(lang)) if value else ""


@dataclass(frozen=True)
class AlertCardText:
    """The alert card's words in one language."""

    lang: str
    dir: str
    title: str
    painkillers: str
    overdose: str
    name_label: str
    clinic_label: str
    phone_label: str


def alert_card_text(lang: str, direction: str, t: Translator) -> AlertCardText:
    return AlertCardText(
        lang=lang,
        dir=direction,
        title=t.gettext("I take naltrexone, an opioid blocker."),
        painkillers=t.gettext("Opioid painkillers may not work for me."),
        overdose=t.gettext(
            "Risk of overdose if I use opioids after stopping naltrexone, or to try to overcome the block."
        ),
        name_label=t.gettext("Name:"),
        clinic_label=t.gettext("Clinic:"),
        phone_label=t.gettext("Clinic phone:"),
    )
