"""A regimen as phases, one after another: ``PATTERN for N days|weeks then PATTERN ...``.

Each phase is a dose pattern (:mod:`leaflets.source.regimen`) and a length.
Every phase but the last has a length; if the last has one too the course
ends, otherwise it carries on until the clinic says. Day 1 is the first day
of the first phase, whatever the weekday. This module knows only the grammar
and how the days follow each other: what a medicine allows is
:func:`leaflets.source.medicine.prescribe`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .regimen import AS_NEEDED, EVERY_N_DAYS, MAX_SPEC_LENGTH, DoseSchedule, Mg, RegimenError, parse_regimen, shown

THEN_RE = re.compile(r"\s+then\s+", re.IGNORECASE)
LENGTH_RE = re.compile(r"^(?P<pattern>.*?)\s+for\s+(?P<count>[0-9]{1,3})\s+(?P<unit>days?|weeks?)$", re.IGNORECASE)
MAX_PHASES = 12
MAX_COURSE_DAYS = 366
PHASE_EXAMPLE = "'daily:20 for 3 days then daily:10'"


@dataclass(frozen=True)
class Phase:
    """One dose pattern, for ``days`` days (``None``: until the clinic says)."""

    schedule: DoseSchedule
    days: int | None = None

    @property
    def spec(self) -> str:
        if self.days is None:
            return self.schedule.spec
        return f"{self.schedule.spec} for {self.days} {'day' if self.days == 1 else 'days'}"


@dataclass(frozen=True)
class Regimen:
    """A prescription's doses: its phases in order. ``standard`` is set by the medicine's guard only."""

    spec: str
    phases: tuple[Phase, ...]
    standard: bool = False

    @property
    def ends(self) -> bool:
        """Whether the course has a last day (its last phase has a length)."""
        return self.phases[-1].days is not None

    @property
    def is_course(self) -> bool:
        """A course is laid out by date: more than one phase, an end, or a dose every N days."""
        return len(self.phases) > 1 or self.ends or self.phases[0].schedule.pattern == EVERY_N_DAYS

    @property
    def weekly(self) -> DoseSchedule | None:
        """The week of doses of a regimen that is one pattern without end, else None."""
        if self.is_course or self.phases[0].schedule.pattern == AS_NEEDED:
            return None
        return self.phases[0].schedule

    @property
    def fixed_days(self) -> int:
        """Days in every phase with a length."""
        return sum(phase.days or 0 for phase in self.phases)

    @property
    def by_weekday(self) -> bool:
        return any(phase.schedule.by_weekday for phase in self.phases)


def parse_course(spec: str) -> Regimen:
    """Parse a regimen of one or more phases; refuse malformed input with a message naming the phase."""
    if len(spec) > MAX_SPEC_LENGTH:
        parse_regimen(spec)  # its message: too long
    parts = THEN_RE.split(spec.strip()) if spec.strip() else [spec]
    if len(parts) > MAX_PHASES:
        raise RegimenError(spec, f"{len(parts)} phases; a regimen has at most {MAX_PHASES}")
    phases = tuple(_phase(spec, part, number, last=number == len(parts)) for number, part in enumerate(parts, 1))
    if sum(phase.days or 0 for phase in phases) > MAX_COURSE_DAYS:
        raise RegimenError(spec, f"the phases with a length add up to more than {MAX_COURSE_DAYS} days")
    normalised = " then ".join(phase.spec for phase in phases)
    return Regimen(spec=normalised if len(phases) > 1 or phases[0].days else phases[0].schedule.spec, phases=phases)


def _phase(spec: str, text: str, number: int, *, last: bool) -> Phase:
    match = LENGTH_RE.match(text.strip())
    pattern_text = match.group("pattern") if match else text
    try:
        schedule = parse_regimen(pattern_text)
    except RegimenError as error:
        if number == 1 and last and match is None:
            raise
        message = error.problems[0].message
        raise RegimenError(spec, f"phase {number} ('{shown(pattern_text.strip())}'): {message}") from None
    if match is None:
        if not last:
            raise RegimenError(
                spec,
                f"phase {number} ('{shown(text.strip())}') has no length, but another phase follows it; "
                f"write e.g. {PHASE_EXAMPLE}",
            )
        return Phase(schedule)
    count = int(match.group("count"))
    days = count * (7 if match.group("unit").lower().startswith("week") else 1)
    if count == 0:
        raise RegimenError(spec, f"phase {number} ('{shown(text.strip())}') lasts 0 days; give it at least 1 day")
    return Phase(schedule, days)


@dataclass(frozen=True)
class CourseDay:
    """One day of a course: its number from 0, its phase (from 0) and the doses scheduled on it."""

    day: int
    phase: int
    doses: tuple[Mg, ...]


def course_days(regimen: Regimen, first_weekday: int, *, open_days: int = 0) -> Iterator[CourseDay]:
    """Every day of the phases with a length, then ``open_days`` days of an open last phase.

    ``first_weekday`` is day 1's weekday (0 is Monday)."""
    day = 0
    for index, phase in enumerate(regimen.phases):
        length = phase.days if phase.days is not None else open_days
        for phase_day in range(length):
            weekday = (first_weekday + day) % 7
            yield CourseDay(day, index, phase.schedule.doses_on(phase_day, weekday))
            day += 1
