"""The plan as patients read it: time slots as columns, in the order of the Universal Medication Schedule.

A regimen that is the same every day is one row, "Every day"; a weekday regimen
is a compact row a day; a course is a row a day or a range of days (its rows
come from :mod:`leaflets.personal.course_view`). Only the slots a regimen uses
are columns. A dose with no named time goes in the medicine's ``usual_time``
(the morning unless the leaflet says otherwise); twice a day is morning and
evening, three times adds midday, four times adds night.
"""

from __future__ import annotations

from ..i18n.translator import Translator
from ..render.treatment_context import PlanGrid, PlanRow, SlotDose
from ..source.course import Regimen
from ..source.regimen import AS_NEEDED, REPEATS, TIMES, DoseSchedule, Mg
from .dose_wording import DoseWording

SPREAD = {2: ("morning", "evening"), 3: ("morning", "midday", "evening"), 4: TIMES}


def schedule_slots(schedule: DoseSchedule, usual_time: str) -> tuple[str, ...]:
    """The time slot of each dose in a day of ``schedule``."""
    if schedule.times:
        return schedule.times
    if schedule.pattern == AS_NEEDED:
        return ()
    if schedule.pattern in REPEATS and REPEATS[schedule.pattern] > 1:
        return SPREAD[REPEATS[schedule.pattern]]
    return (usual_time,)


def regimen_slots(regimen: Regimen, usual_time: str) -> tuple[str, ...]:
    """Every slot any phase uses, in the schedule's order."""
    used = {slot for phase in regimen.phases for slot in schedule_slots(phase.schedule, usual_time)}
    return tuple(slot for slot in TIMES if slot in used)


def slot_doses(doses: tuple[Mg, ...], schedule: DoseSchedule, slots: tuple[str, ...],
               words: DoseWording) -> tuple[SlotDose | None, ...]:  # fmt: skip
    """A day's doses, one per slot column (None where the slot has none)."""
    usual_time = words.medicine.usual_time
    by_slot = dict(zip(schedule_slots(schedule, usual_time), doses, strict=False)) if doses else {}
    return tuple(_slot_dose(by_slot[slot], words) if slot in by_slot else None for slot in slots)


def _slot_dose(mg: Mg, words: DoseWording) -> SlotDose:
    return SlotDose(words.amount(mg), words.pictogram(mg), words.dose(mg))


def slot_headings(slots: tuple[str, ...], t: Translator) -> tuple[str, ...]:
    names = {
        "morning": lambda: t.gettext("Morning"),
        "midday": lambda: t.gettext("Midday"),
        "evening": lambda: t.gettext("Evening"),
        "night": lambda: t.gettext("Night"),
    }
    return tuple(names[slot]() for slot in slots)


def week_grid(schedule: DoseSchedule, day_names: list[str], words: DoseWording, where: dict[int, str]) -> PlanGrid:
    """One row "Every day" for a regimen the same every day; else a compact row a weekday."""
    t = words.t
    slots = schedule_slots(schedule, words.medicine.usual_time)
    headings = slot_headings(slots, t)
    if schedule.same_every_day and not where:
        row = PlanRow(t.gettext("Every day"), slot_doses(schedule.doses[0], schedule, slots, words))
        return PlanGrid(t.gettext("Day"), headings, (row,), t.gettext("Your doses each day"), every_day=True)
    rows = tuple(
        PlanRow(day_names[i], slot_doses(schedule.doses[i], schedule, slots, words),
                "" if schedule.doses[i] else words.rest_day(), where.get(i, "") if schedule.doses[i] else "")
        for i in range(7)
    )  # fmt: skip
    where_heading = t.gettext("Where") if where else ""
    return PlanGrid(t.gettext("Day"), headings, rows, t.gettext("Your doses for each day of the week"), where_heading)
