"""The prescribed oral naltrexone regimen, parsed from a compact spec.

The spec comes from ``--regimen`` or a CSV column and takes one of three forms:
``daily:50`` (once a day), ``twice-daily:25`` (that dose twice a day) or
day:mg pairs such as ``mon:100,wed:100,fri:150`` (unlisted days are rest days).

Tablets are 50 mg and can be halved, so every dose is a positive multiple of
25 mg, and no day may total more than 150 mg. Anything other than the three
standard schedules (50 mg daily; 25 mg twice daily; 100, 100 and 150 mg on
three days a week) needs ``confirm_unusual=True``. Every refusal is a
:class:`RegimenError` whose text starts ``regimen '<spec>': ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ContentError, Problem

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # for messages only

DAILY = "daily"
TWICE_DAILY = "twice-daily"
WEEKLY = "weekly"

HALF_TABLET_MG = 25
MAX_DAY_MG = 150
MAX_SPEC_LENGTH = 200
SHOWN_PREFIX_LENGTH = 40

STANDARD_REPEATING = ((DAILY, 50), (TWICE_DAILY, 25))
STANDARD_WEEKLY_DOSES = (100, 100, 150)
EXAMPLES = "'daily:50', 'twice-daily:25' or 'mon:100,wed:100,fri:150'"
PAIRS_EXAMPLE = "'mon:100,wed:100,fri:150'"
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class RegimenError(ContentError):
    """A regimen spec that is malformed, unsafe or unusual and unconfirmed."""

    def __init__(self, spec: str, message: str):
        self.spec = spec
        super().__init__([Problem(path=f"regimen '{_shown(spec)}'", message=message)])


@dataclass(frozen=True)
class DoseSchedule:
    """A week of doses, Monday first; each day holds its separate doses in mg."""

    spec: str
    pattern: str
    doses: tuple[tuple[int, ...], ...]
    standard: bool

    def day_total(self, day_index: int) -> int:
        """Total mg taken on the day at ``day_index`` (0 is Monday)."""
        return sum(self.doses[day_index])

    @property
    def dosing_days(self) -> list[int]:
        """Indexes (0 is Monday) of the days with at least one dose."""
        return [index for index, day in enumerate(self.doses) if day]


def parse_regimen(spec: str, *, confirm_unusual: bool = False) -> DoseSchedule:
    """Parse ``spec``; refuse unsafe doses always and unusual schedules unless confirmed."""
    entries = _split_entries(spec)
    if entries[0][0].lower() in (DAILY, TWICE_DAILY):
        schedule = _repeating_schedule(spec, entries)
    else:
        schedule = _weekly_schedule(spec, entries)
    if not schedule.standard and not confirm_unusual:
        raise RegimenError(
            spec,
            "this is not one of the standard schedules (50 mg daily; 25 mg twice daily; "
            "100, 100 and 150 mg on three days a week); "
            "check the prescription and add --confirm-unusual-dose if it is right",
        )
    return schedule


def halves(mg: int) -> int:
    """Number of half tablets in a dose of ``mg``: 25 -> 1, 50 -> 2, 150 -> 6."""
    if mg <= 0 or mg % HALF_TABLET_MG:
        raise ValueError(f"{mg} mg is not a whole number of half tablets")
    return mg // HALF_TABLET_MG


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
                spec, f"'{_shown(entry.strip())}' has no ':'; write each entry as day:mg, e.g. 'mon:100' or 'daily:50'"
            )
        key, dose = entry.split(":", 1)
        entries.append((key.strip(), dose.strip()))
    return entries


def _repeating_schedule(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """The same dose(s) every day: ``daily:<mg>`` or ``twice-daily:<mg>``."""
    key = entries[0][0].lower()
    if len(entries) > 1:
        _refuse_mixed(spec, key)
    mg = _dose(spec, entries[0][1])
    if key == TWICE_DAILY:
        _check_day_total(spec, 2 * mg, f"a day (twice {mg} mg)")
    else:
        _check_day_total(spec, mg, "a day")
    return _every_day(key, mg)


def _every_day(pattern: str, mg: int) -> DoseSchedule:
    """The schedule taking ``mg`` once (daily) or twice (twice-daily) every day."""
    times = 2 if pattern == TWICE_DAILY else 1
    standard = (pattern, mg) in STANDARD_REPEATING
    return DoseSchedule(spec=f"{pattern}:{mg}", pattern=pattern, doses=((mg,) * times,) * 7, standard=standard)


def _weekly_schedule(spec: str, entries: list[tuple[str, str]]) -> DoseSchedule:
    """Named days with one dose each; all seven days alike become ``daily``."""
    by_day: dict[int, int] = {}
    for key, dose_text in entries:
        index = _day_index(spec, key, single=len(entries) == 1)
        if index in by_day:
            raise RegimenError(spec, f"{DAY_NAMES[index]} is listed twice; give each day once")
        mg = _dose(spec, dose_text)
        _check_day_total(spec, mg, f"on {DAY_NAMES[index]}")
        by_day[index] = mg
    if len(by_day) == 7 and len(set(by_day.values())) == 1:
        return _every_day(DAILY, by_day[0])
    doses = tuple((by_day[i],) if i in by_day else () for i in range(7))
    normalised = ",".join(f"{DAYS[i]}:{by_day[i]}" for i in sorted(by_day))
    standard = tuple(sorted(by_day.values())) == STANDARD_WEEKLY_DOSES
    return DoseSchedule(spec=normalised, pattern=WEEKLY, doses=doses, standard=standard)


def _day_index(spec: str, key: str, *, single: bool) -> int:
    """Index of the day abbreviation ``key`` (any case), or refuse it."""
    lowered = key.lower()
    if lowered in DAYS:
        return DAYS.index(lowered)
    if lowered in (DAILY, TWICE_DAILY):
        _refuse_mixed(spec, lowered)
    if single:
        raise RegimenError(
            spec,
            f"unknown day or schedule '{_shown(key)}'; write 'daily:<mg>', 'twice-daily:<mg>' "
            "or day:mg pairs using mon, tue, wed, thu, fri, sat or sun",
        )
    raise RegimenError(spec, f"unknown day '{_shown(key)}'; use mon, tue, wed, thu, fri, sat or sun")


def _refuse_mixed(spec: str, key: str) -> None:
    raise RegimenError(
        spec, f"'{key}' cannot be combined with other entries; write either '{key}:<mg>' alone or only day:mg pairs"
    )


def _dose(spec: str, text: str) -> int:
    """One dose in mg: a whole, positive multiple of half a tablet."""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise RegimenError(spec, f"expected a whole number of mg, got '{_shown(text)}'")
    mg = int(text)
    if mg <= 0:
        raise RegimenError(spec, f"{mg} mg is not a dose; each dose must be more than 0 mg, e.g. 50")
    if mg % HALF_TABLET_MG:
        raise RegimenError(spec, f"{mg} mg is not a multiple of {HALF_TABLET_MG} mg (half a 50 mg tablet)")
    return mg


def _check_day_total(spec: str, total: int, where: str) -> None:
    if total > MAX_DAY_MG:
        raise RegimenError(spec, f"{total} mg {where} is more than {MAX_DAY_MG} mg in one day")


def _shown(text: str) -> str:
    """``text`` safe to print on one line: control characters escaped, long input cut short."""
    if len(text) > MAX_SPEC_LENGTH:
        text = text[:SHOWN_PREFIX_LENGTH] + "..."
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
