"""A course laid out by day: day 1 is the start date (or "Day 1" without one).

A short phase (a week or less) is a row a day; a longer phase that is the same
every day is one row with its first and last day; a dose every N days is a row
for each dose day, and an open one shows its next three. The last phase either
ends (the course's last day) or carries on until the clinic says. Plain data:
the words are :mod:`leaflets.personal.course_view`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..source.course import Regimen
from ..source.regimen import AS_NEEDED, EVERY_N_DAYS, Mg

SHORT_PHASE_DAYS = 7
NEXT_DOSES = 3  # dose days listed for an every-N-days phase without end

DAY, RANGE, FROM = "day", "range", "from"  # one day; first to last day; from a day on, without end


@dataclass(frozen=True)
class CalendarRow:
    """Days ``first`` to ``last`` (from 0; the same for one day, None when open) of phase ``phase``."""

    kind: str
    first: int
    last: int | None
    phase: int
    doses: tuple[Mg, ...]  # each day's doses (for a weekday range: none, the phase's sentence says them)


@dataclass(frozen=True)
class Calendar:
    regimen: Regimen
    rows: tuple[CalendarRow, ...]
    start: date | None

    @property
    def last_day(self) -> int | None:
        """The course's last day (from 0), or None if it carries on."""
        return self.regimen.fixed_days - 1 if self.regimen.ends else None

    def date_of(self, day: int) -> date | None:
        return self.start + timedelta(days=day) if self.start else None


def lay_out(regimen: Regimen, start: date | None) -> Calendar:
    """The rows of a course; a weekday pattern needs ``start`` (checked by the caller)."""
    rows: list[CalendarRow] = []
    first_day = 0
    for index, phase in enumerate(regimen.phases):
        rows += _phase_rows(regimen, index, first_day, start)
        first_day += phase.days or 0
    return Calendar(regimen, tuple(rows), start)


def _phase_rows(regimen: Regimen, index: int, first: int, start: date | None) -> list[CalendarRow]:
    phase = regimen.phases[index]
    schedule = phase.schedule
    weekday0 = start.weekday() if start else 0
    if schedule.pattern == EVERY_N_DAYS:
        count = NEXT_DOSES if phase.days is None else -(-phase.days // schedule.interval)
        return [CalendarRow(DAY, first + n * schedule.interval, first + n * schedule.interval, index,
                            schedule.doses[0]) for n in range(count)]  # fmt: skip
    each_day = schedule.doses[0] if schedule.same_every_day or schedule.pattern == AS_NEEDED else ()
    if phase.days is None:
        return [CalendarRow(FROM, first, None, index, each_day)]
    if phase.days > SHORT_PHASE_DAYS or schedule.pattern == AS_NEEDED:
        return [CalendarRow(RANGE, first, first + phase.days - 1, index, each_day)]
    return [
        CalendarRow(DAY, day, day, index, schedule.doses_on(day - first, (weekday0 + day) % 7))
        for day in range(first, first + phase.days)
    ]
