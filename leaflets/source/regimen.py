"""The dose pattern of one phase of a regimen: one grammar for every medicine, doses in mg.

A pattern takes one of five forms:

- the same dose(s) every day: ``daily:D``, ``twice-daily:D``,
  ``three-times-daily:D`` or ``four-times-daily:D``;
- times of day, every day: ``morning:D,midday:D,evening:D,night:D`` (any subset);
- weekdays: ``mon:D,wed:D,fri:D`` (unlisted days are rest days);
- one dose every N days (N from 2 to 90), day 1 first: ``every-28-days:D``;
- only when needed: ``as-needed:D``.

Phases (``... for 3 days then ...``) are read by :mod:`leaflets.source.course`.
This module knows only the grammar. What a medicine allows (its smallest
step, its limits, its standard regimens) is checked by
:func:`leaflets.source.medicine.prescribe`. Every refusal is a :class:`RegimenError`
whose text starts ``regimen '<spec>': ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import ContentError, Problem
from .fields import one_line

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # for messages only
TIMES = ("morning", "midday", "evening", "night")
REPEATS = {"daily": 1, "twice-daily": 2, "three-times-daily": 3, "four-times-daily": 4}
DAILY, TWICE_DAILY = "daily", "twice-daily"
TIMES_OF_DAY = "times-of-day"
WEEKLY = "weekly"
EVERY_N_DAYS, AS_NEEDED = "every-n-days", "as-needed"
EVERY_N_DAYS_RE = re.compile(r"every-([0-9]{1,3})-days", re.IGNORECASE)
MIN_INTERVAL, MAX_INTERVAL = 2, 90

MAX_SPEC_LENGTH = 400
SHOWN_PREFIX_LENGTH = 40
EXAMPLES = (
    "'daily:50', 'twice-daily:25', 'morning:666,night:333', 'mon:100,wed:100,fri:150', 'every-28-days:300', "
    "'as-needed:2' or 'daily:20 for 3 days then daily:10'"
)
PAIRS_EXAMPLE = "'mon:100,wed:100,fri:150'"
_NUMBER = re.compile(r"-?[0-9]{1,7}(?:\.[0-9]{1,2})?")

Mg = int | Decimal  # a dose in mg: a whole number where it is one, else a Decimal such as 62.5


class RegimenError(ContentError):
    """A regimen spec that is malformed, unsafe or unusual and unconfirmed."""

    def __init__(self, spec: str, message: str):
        self.spec = spec
        super().__init__([Problem(path=f"regimen '{shown(spec)}'", message=message)])


@dataclass(frozen=True)
class DoseSchedule:
    """A week of doses, Monday first; each day holds its separate doses in mg.

    ``times`` names the time of day of each dose in a day (times-of-day schedules
    only); ``standard`` is set by the medicine's check, never by the grammar.
    Every-N-days and as-needed patterns hold one day, the dose, and ``interval``
    is the N of every-N-days.
    """

    spec: str
    pattern: str
    doses: tuple[tuple[Mg, ...], ...]
    standard: bool = False
    times: tuple[str, ...] = ()
    interval: int = 1

    @property
    def by_weekday(self) -> bool:
        """Whether which days have doses depends on the weekday (``mon:100,wed:100,fri:150``)."""
        return self.pattern == WEEKLY

    @property
    def same_every_day(self) -> bool:
        return self.pattern not in (WEEKLY, EVERY_N_DAYS, AS_NEEDED)

    def doses_on(self, day: int, weekday: int) -> tuple[Mg, ...]:
        """The doses on day ``day`` of the phase (0 is its first), which falls on ``weekday`` (0 is Monday).

        As-needed doses are never scheduled: the guard checks their most in a day on its own."""
        if self.pattern == EVERY_N_DAYS:
            return self.doses[0] if day % self.interval == 0 else ()
        if self.pattern == AS_NEEDED:
            return ()
        return self.doses[weekday]

    def day_total(self, day_index: int) -> Mg:
        """Total mg taken on the day at ``day_index`` (0 is Monday)."""
        return sum(self.doses[day_index])

    @property
    def dosing_days(self) -> list[int]:
        """Indexes (0 is Monday) of the days with at least one dose."""
        return [index for index, day in enumerate(self.doses) if day]

    @property
    def week_total(self) -> Mg:
        return sum(self.day_total(index) for index in range(7))

    @property
    def every_dose(self) -> list[Mg]:
        return [mg for day in self.doses for mg in day]


def parse_regimen(spec: str) -> DoseSchedule:
    """Parse ``spec`` into a week of doses; refuse malformed input."""
    entries = _split_entries(spec)
    key = entries[0][0].lower()
    if key == AS_NEEDED or EVERY_N_DAYS_RE.fullmatch(key):
        return _single_dose(spec, entries)
    if key in REPEATS:
        return _repeating(spec, entries)
    if key in TIMES:
        return _times_of_day(spec, entries)
    return _weekly(spec, entries)


def format_mg(mg: Mg) -> str:
    """A dose as written in a spec: '50', '62.5'."""
    if isinstance(mg, int) or mg == mg.to_integral_value():
        return str(int(mg))
    return format(mg, "f").rstrip("0")


def _split_entries(spec: str) -> list[tuple[str, str]]:
    """Split ``spec`` into stripped (key, dose) text pairs, refusing malformed input."""
    if len(spec) > MAX_SPEC_LENGTH:
        raise RegimenError(spec, f"longer than {MAX_SPEC_LENGTH} characters; write e.g. {EXAMPLES}")
    if not spec.strip():
        raise RegimenError(spec, f"no schedule given; write e.g. {EXAMPLES}")
    entries = []
    for entry in spec.split(","):
        if not entry.strip():
            raise RegimenError(
                spec, f"empty entry (a stray comma?); separate day:mg pairs with single commas, e.g. {PAIRS_EXAMPLE}"
            )
        if ":" not in entry:
            raise RegimenError(
                spec, f"'{shown(entry.strip())}' has no ':'; write each entry as day:mg, e.g. 'mon:100' or 'daily:50'"
            )
        key, dose = entry.split(":", 1)
        entries.append((key.strip(), dose.strip()))
    return entries


def _repeating(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """The same dose, once to four times every day: ``daily:<mg>`` ... ``four-times-daily:<mg>``."""
    key = entries[0][0].lower()
    if len(entries) > 1:
        _refuse_mixed(spec, key)
    mg = _dose(spec, entries[0][1])
    return _every_day(key, (mg,) * REPEATS[key])


def _single_dose(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """``every-N-days:<mg>`` or ``as-needed:<mg>``, alone."""
    key = entries[0][0].lower()
    if len(entries) > 1:
        _refuse_mixed(spec, key)
    mg = _dose(spec, entries[0][1])
    if key == AS_NEEDED:
        return DoseSchedule(spec=f"{AS_NEEDED}:{format_mg(mg)}", pattern=AS_NEEDED, doses=((mg,),))
    interval = int(EVERY_N_DAYS_RE.fullmatch(key).group(1))
    if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        raise RegimenError(
            spec, f"every {interval} days: expected a number of days from {MIN_INTERVAL} to {MAX_INTERVAL}"
        )
    return DoseSchedule(
        spec=f"every-{interval}-days:{format_mg(mg)}", pattern=EVERY_N_DAYS, doses=((mg,),), interval=interval
    )


def _every_day(pattern: str, day: tuple[Mg, ...], times: tuple[str, ...] = ()) -> DoseSchedule:
    if pattern == TIMES_OF_DAY:
        spec = ",".join(f"{time}:{format_mg(mg)}" for time, mg in zip(times, day, strict=True))
    else:
        spec = f"{pattern}:{format_mg(day[0])}"
    return DoseSchedule(spec=spec, pattern=pattern, doses=(day,) * 7, times=times)


def _times_of_day(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """Named times of day, the same every day: ``morning:666,midday:333,night:333``."""
    by_time: dict[str, Mg] = {}
    for key, dose_text in entries:
        time = key.lower()
        if time not in TIMES:
            if time in REPEATS or time in DAYS or time == AS_NEEDED or EVERY_N_DAYS_RE.fullmatch(time):
                _refuse_mixed(spec, time)
            raise RegimenError(spec, f"unknown time of day '{shown(key)}'; use {', '.join(TIMES)}")
        if time in by_time:
            raise RegimenError(spec, f"'{time}' is listed twice; give each time of day once")
        by_time[time] = _dose(spec, dose_text)
    times = tuple(time for time in TIMES if time in by_time)
    return _every_day(TIMES_OF_DAY, tuple(by_time[time] for time in times), times)


def _weekly(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """Named days with one dose each; all seven days alike become ``daily``."""
    by_day: dict[int, Mg] = {}
    for key, dose_text in entries:
        index = _day_index(spec, key, single=len(entries) == 1)
        if index in by_day:
            raise RegimenError(spec, f"{DAY_NAMES[index]} is listed twice; give each day once")
        by_day[index] = _dose(spec, dose_text)
    if len(by_day) == 7 and len(set(by_day.values())) == 1:
        return _every_day(DAILY, (by_day[0],))
    doses = tuple((by_day[i],) if i in by_day else () for i in range(7))
    normalised = ",".join(f"{DAYS[i]}:{format_mg(by_day[i])}" for i in sorted(by_day))
    return DoseSchedule(spec=normalised, pattern=WEEKLY, doses=doses)


def _day_index(spec: str, key: str, *, single: bool) -> int:
    """Index of the day abbreviation ``key`` (any case), or refuse it."""
    lowered = key.lower()
    if lowered in DAYS:
        return DAYS.index(lowered)
    if lowered in REPEATS or lowered in TIMES or lowered == AS_NEEDED or EVERY_N_DAYS_RE.fullmatch(lowered):
        _refuse_mixed(spec, lowered)
    if single:
        raise RegimenError(
            spec,
            f"unknown day or schedule '{shown(key)}'; write 'daily:<mg>', 'twice-daily:<mg>', "
            "times of day such as 'morning:<mg>' or day:mg pairs using mon, tue, wed, thu, fri, sat or sun",
        )
    raise RegimenError(spec, f"unknown day '{shown(key)}'; use mon, tue, wed, thu, fri, sat or sun")


def _refuse_mixed(spec: str, key: str) -> None:
    raise RegimenError(
        spec,
        f"'{key}' cannot be combined with other kinds of entry; write '{key}:<mg>' alone, "
        "or only times of day, or only day:mg pairs",
    )


def _dose(spec: str, text: str) -> Mg:
    """One dose in mg: a positive number with at most two decimals."""
    if not _NUMBER.fullmatch(text):
        raise RegimenError(spec, f"expected a number of mg, got '{shown(text)}'")
    mg = Decimal(text)
    if mg <= 0:
        raise RegimenError(spec, f"{format_mg(mg)} mg is not a dose; each dose must be more than 0 mg, e.g. 50")
    return int(mg) if mg == mg.to_integral_value() else mg


def shown(text: str) -> str:
    """A regimen as a message shows it: on one line, cut short when it is too long to be one."""
    return one_line(text[:SHOWN_PREFIX_LENGTH] + "..." if len(text) > MAX_SPEC_LENGTH else text)
