"""A course in words: each row's day or dates, its doses in time slots, and what happens after.

Dates are CLDR's, in the leaflet's language; without a start date the rows
count "Day 1", "Day 2". A take-home day of a sometimes-supervised medicine
says so on its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from ..i18n.translator import Translator
from ..render.treatment_context import PlanGrid, PlanRow
from ..source.languages import format_locale
from ..source.regimen import AS_NEEDED, EVERY_N_DAYS
from .course_calendar import DAY, FROM, RANGE, Calendar, CalendarRow
from .dose_wording import DoseWording
from .plan_grid import regimen_slots, slot_doses, slot_headings
from .plan_words import as_needed_limits, schedule_sentence


@dataclass(frozen=True)
class _Rows:
    """What every row of one course's grid is made with."""

    calendar: Calendar
    words: DoseWording
    day_names: list[str]
    supervised_days: frozenset[int] | None
    lang: str
    slots: tuple[str, ...]


def course_grid(calendar: Calendar, words: DoseWording, day_names: list[str], supervised_days: frozenset[int] | None,
                lang: str) -> PlanGrid:  # fmt: skip
    """The rows of a course, in the time slots its phases use."""
    t = words.t
    slots = regimen_slots(calendar.regimen, words.medicine.usual_time)
    context = _Rows(calendar, words, day_names, supervised_days, lang, slots)
    rows = tuple(_row(context, row) for row in calendar.rows)
    heading = t.gettext("Date") if calendar.start else t.gettext("Day")
    where = t.gettext("Where") if supervised_days is not None else ""
    return PlanGrid(heading, slot_headings(slots, t), rows, t.gettext("Your doses, day by day"), where)


def course_sentences(calendar: Calendar, t: Translator, lang: str) -> tuple[str, str]:
    """The course's summary ("Your course lasts 7 days, ...") and what comes after its last row."""
    return _summary(calendar, t, lang), _after(calendar, t, lang)


def _row(context: _Rows, row: CalendarRow) -> PlanRow:
    calendar, words, t = context.calendar, context.words, context.words.t
    schedule = calendar.regimen.phases[row.phase].schedule
    label, nothing = _when(calendar, row, t, context.lang), (None,) * len(context.slots)
    if schedule.pattern == AS_NEEDED:
        notes = (
            schedule_sentence(schedule, context.day_names, context.lang, words),
            *as_needed_limits(schedule, words),
        )
        return PlanRow(label, nothing, " ".join(notes))
    if row.kind != DAY and not schedule.same_every_day:  # weekdays over a range: the phase's own sentence
        return PlanRow(label, nothing, schedule_sentence(schedule, context.day_names, context.lang, words))
    doses = slot_doses(row.doses, schedule, context.slots, words)
    if row.kind != DAY:
        return PlanRow(label, doses, t.gettext("each day"))
    if not row.doses:
        return PlanRow(label, doses, words.rest_day())
    day, where = calendar.date_of(row.first), ""
    if context.supervised_days is not None and day is not None:
        where = t.gettext("With the pharmacist") if day.weekday() in context.supervised_days else t.gettext("At home")
    return PlanRow(label, doses, "", where)


def _when(calendar: Calendar, row: CalendarRow, t: Translator, lang: str) -> str:
    first = calendar.date_of(row.first)
    if row.kind == DAY:
        return _full(first, lang) if first else t.gettext("Day %(day_number)s", day_number=row.first + 1)
    if row.kind == FROM:
        if first:
            return t.gettext("From %(date)s", date=_full(first, lang))
        return t.gettext("From day %(day_number)s", day_number=row.first + 1)
    assert row.kind == RANGE and row.last is not None
    last = calendar.date_of(row.last)
    if first and last:
        return t.gettext("%(first)s to %(last)s", first=_full(first, lang), last=_full(last, lang))
    return t.gettext("Days %(first)s to %(last)s", first=row.first + 1, last=row.last + 1)


def _summary(calendar: Calendar, t: Translator, lang: str) -> str:
    regimen = calendar.regimen
    days = regimen.fixed_days
    if regimen.ends:
        if calendar.start:
            last = calendar.date_of(days - 1)
            return t.ngettext("Your course lasts %(count)s day, from %(start)s to %(end)s.",
                              "Your course lasts %(count)s days, from %(start)s to %(end)s.", days,
                              start=_full(calendar.start, lang), end=_full(last, lang))  # fmt: skip
        return t.ngettext("Your course lasts %(count)s day.", "Your course lasts %(count)s days.", days)
    if len(regimen.phases) == 1:
        return ""  # one pattern without end: its own sentence says it all
    return t.ngettext("Your dose changes over the first %(count)s day, then stays the same.",
                      "Your dose changes over the first %(count)s days, then stays the same.", days)  # fmt: skip


def _after(calendar: Calendar, t: Translator, lang: str) -> str:
    regimen = calendar.regimen
    last = regimen.phases[-1].schedule
    if regimen.ends:
        end = calendar.date_of(regimen.fixed_days - 1)
        if end:
            return t.gettext("The course ends on %(date)s. After that, stop unless your clinic tells you otherwise.",
                             date=_full(end, lang))  # fmt: skip
        return t.gettext("The course ends on day %(day_number)s. After that, stop unless your clinic tells you "
                         "otherwise.", day_number=regimen.fixed_days)  # fmt: skip
    if last.pattern == EVERY_N_DAYS:
        return t.ngettext("Then carry on every %(count)s day until your clinic tells you to change or stop.",
                          "Then carry on every %(count)s days until your clinic tells you to change or stop.",
                          last.interval)  # fmt: skip
    return t.gettext("Carry on until your clinic tells you to change or stop.")


def _full(day: date, lang: str) -> str:
    return format_date(day, format="full", locale=format_locale(lang))
