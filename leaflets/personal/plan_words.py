"""One dose pattern in words: its sentence, and the limits of as-needed doses.

Shared by the regimen's sentence and the rows of a course. Every word goes through
the template catalog; counts use CLDR plural rules, lists CLDR's list
patterns.
"""

from __future__ import annotations

from babel.lists import format_list

from ..source.languages import format_locale
from ..source.regimen import AS_NEEDED, EVERY_N_DAYS, REPEATS, TIMES_OF_DAY, WEEKLY, DoseSchedule
from . import dose_sentences
from .dose_wording import DoseWording


def schedule_sentence(schedule: DoseSchedule, day_names: list[str], lang: str, words: DoseWording) -> str:
    """One pattern in one plain sentence, with the verb of the medicine's form."""
    t, form = words.t, words.medicine.form
    first = schedule.doses[0] if schedule.pattern != WEEKLY else schedule.doses[schedule.dosing_days[0]]
    if schedule.pattern in REPEATS:
        return dose_sentences.every_day(t, form, words.amount(first[0]), words.how_often(REPEATS[schedule.pattern]))
    if schedule.pattern == TIMES_OF_DAY:
        parts = [words.at_time_phrase(time, words.amount(mg)) for time, mg in zip(schedule.times, first, strict=True)]
        return dose_sentences.times_of_day(t, form, format_list(parts, locale=format_locale(lang)))
    if schedule.pattern == EVERY_N_DAYS:
        return dose_sentences.every_n_days(t, form, words.amount(first[0]), schedule.interval)
    if schedule.pattern == AS_NEEDED:
        return dose_sentences.as_needed(t, form, words.amount(first[0]))
    parts = [
        t.gettext("%(amount)s on %(day)s", amount=words.amount(schedule.day_total(i)), day=day_names[i])
        for i in schedule.dosing_days
    ]
    sentence = dose_sentences.on_days(t, form, format_list(parts, locale=format_locale(lang)))
    if len(schedule.dosing_days) < 7:  # never "the other days" when there are none
        sentence += " " + words.none_on_other_days()
    return sentence


def as_needed_limits(schedule: DoseSchedule, words: DoseWording) -> tuple[str, ...]:
    """The gap between as-needed doses and the most in 24 hours, from the medicine's profile."""
    t, medicine = words.t, words.medicine
    mg = schedule.doses[0][0]
    most = int(medicine.max_per_day_mg // mg)
    hours = medicine.min_hours_between
    notes = []
    if hours is not None:
        count = int(hours) if hours == int(hours) else hours
        notes.append(t.ngettext("Leave at least %(count)s hour between doses.",
                                "Leave at least %(count)s hours between doses.", count))  # fmt: skip
    notes.append(
        t.ngettext(
            "No more than %(count)s dose (%(dose)s) in 24 hours.",
            "No more than %(count)s doses (%(dose)s) in 24 hours.",
            most,
            dose=words.dose(most * mg),
        )  # fmt: skip
    )
    return tuple(notes)
