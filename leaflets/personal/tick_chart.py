"""A tick chart: a box beside every dose, date by date, for the patient to tick.

It covers a whole course, or the first four weeks of a regimen that carries on,
from the start date (which it needs). As-needed doses have no chart: nothing is
scheduled.
"""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date

from ..render.treatment_context import TickChart, TickRow
from ..source.course import Regimen, course_days
from ..source.languages import format_locale
from .dose_wording import DoseWording
from .plan_grid import regimen_slots, schedule_slots, slot_headings

ONGOING_DAYS = 28  # an ongoing regimen's chart: the first four weeks


def build_tick_chart(regimen: Regimen, start: date, words: DoseWording, lang: str) -> TickChart:
    """Every scheduled dose from ``start``, one row a day, a box per dose in its time slot."""
    t, usual = words.t, words.medicine.usual_time
    slots = regimen_slots(regimen, usual)
    days = regimen.fixed_days if regimen.ends else max(ONGOING_DAYS, regimen.fixed_days)
    rows = []
    for day in course_days(regimen, start.weekday(), open_days=days - regimen.fixed_days):
        schedule = regimen.phases[day.phase].schedule
        by_slot = dict(zip(schedule_slots(schedule, usual), day.doses, strict=False))
        cells = tuple(words.dose(by_slot[slot]) if slot in by_slot else "" for slot in slots)
        label = format_date(start + timedelta(days=day.day), format="full", locale=format_locale(lang))
        rows.append(TickRow(label, cells))
    return TickChart(
        t.gettext("Tick chart"),
        t.gettext("Tick the box beside each dose once you have had it."),
        slot_headings(slots, t),
        tuple(rows),
    )
