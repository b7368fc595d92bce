"""One FHIR ``Dosage.timing`` as a dose pattern of the regimen grammar, or a refusal naming the element.

The mapping, element by element (anything else set is refused, so nothing is silently dropped):

- ``repeat.frequency`` per ``period`` 1 ``d``: 1 to 4 doses a day (``daily`` ... ``four-times-daily``);
- ``period`` N ``d`` (N from 2) or N ``wk`` with ``frequency`` 1: one dose every N (7N) days;
- ``dayOfWeek``: those weekdays, one dose each (``period`` 1 ``d``, or 1 ``wk`` with one dose a day listed);
- ``when``: the plan's time slots: ``MORN`` (and ``.early``/``.late``) morning, ``NOON`` midday, ``EVE``
  (and ``.early``/``.late``) evening, ``NIGHT`` and ``HS`` night. ``AFT`` is refused (the plan has no
  afternoon), and so are times tied to a meal (``ACM``, ``PCM``, ``CM``, ...), ``WAKE`` and ``PHS``;
- ``boundsDuration`` (``d`` or ``wk``): the phase's length; ``boundsPeriod``: its first day (the start
  date) and, with an end, its length (the end day included);
- ``code`` ``QD``, ``BID``, ``TID``, ``QID``, ``QOD``, ``WK``: the same as their repeat; with a repeat, they must agree.

Refused: ``event``, ``boundsRange``, ``count``, ``countMax``, ``duration``, ``frequencyMax``, ``periodMax``,
``timeOfDay``, ``offset``, hours and months as a period, and a ``modifierExtension`` on the timing.
An as-needed line's timing may give only ``boundsDuration``, its phase's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .fhir_dose import UCUM, FhirRefusal
from .regimen import DAYS

IGNORED = ("fhir_comments", "extension", "id")  # extensions that are not modifiers may be ignored (FHIR's rule)
MODIFIER = "a modifier extension changes what this element means, and this tool cannot read it; print it by hand"
REPEAT_REFUSED = {
    "boundsRange": "a range of lengths is not one course; ask for boundsDuration",
    "count": "a number of doses in all cannot be printed as a plan; ask for boundsDuration",
    "countMax": "a number of doses in all cannot be printed as a plan; ask for boundsDuration",
    "duration": "how long each dose takes (an infusion) cannot be printed as a plan",
    "durationMax": "how long each dose takes (an infusion) cannot be printed as a plan",
    "durationUnit": "how long each dose takes (an infusion) cannot be printed as a plan",
    "frequencyMax": "a range of doses a day cannot be printed as one plan; ask the prescriber for one frequency",
    "periodMax": "a range of intervals cannot be printed as one plan; ask the prescriber for one period",
    "timeOfDay": "clock times cannot be printed in the plan's slots; ask for when (MORN, NOON, EVE, NIGHT)",
    "offset": "minutes before or after an event cannot be printed as a plan; ask for when without offset",
}
REPEAT_USED = ("boundsDuration", "boundsPeriod", "frequency", "period", "periodUnit", "dayOfWeek", "when")
TIMING_REFUSED = {"event": "doses on dates listed one by one cannot be printed as a plan; ask for a repeat",
                  "modifierExtension": MODIFIER}  # fmt: skip
SLOTS = {"MORN": "morning", "MORN.early": "morning", "MORN.late": "morning", "NOON": "midday", "EVE": "evening",
         "EVE.early": "evening", "EVE.late": "evening", "NIGHT": "night", "HS": "night"}  # fmt: skip
NO_AFTERNOON = "the plan has no afternoon slot (morning, midday, evening, night); ask for NOON or EVE"
MEALS = ("C", "CM", "CD", "CV", "AC", "ACM", "ACD", "ACV", "PC", "PCM", "PCD", "PCV")
CODES = {"QD": (1, 1, "d"), "BID": (2, 1, "d"), "TID": (3, 1, "d"), "QID": (4, 1, "d"), "QOD": (1, 2, "d"),
         "WK": (1, 1, "wk")}  # fmt: skip
MAX_A_DAY = 4
AS_NEEDED_TIMING = "an as-needed dose is printed with the medicine's own gap and daily limit; give only boundsDuration"


@dataclass(frozen=True)
class LineTiming:
    """What one dosage line's timing says, in the grammar's terms."""

    kind: str  # "per-day" | "times" | "weekdays" | "every-n" | "as-needed"
    count: int = 1  # per-day: doses a day
    slots: tuple[str, ...] = ()  # times: morning...; weekdays: mon...
    interval: int = 1  # every-n: days between doses
    days: int | None = None  # the phase's length, from the bounds
    start: date | None = None  # boundsPeriod.start


def refuse_unread(element, path: str, used: tuple[str, ...], refused: dict[str, str]) -> None:
    """Refuse the first element that is set and neither used nor ignorable: the mapping is total."""
    for name in type(element).model_fields:
        value = getattr(element, name)
        if name in IGNORED or name.endswith("__ext") or value is None or value == []:
            continue
        if name in refused:
            raise FhirRefusal(f"{path}.{name}", refused[name])
        if name not in used:
            raise FhirRefusal(f"{path}.{name}", "not used to print a plan, so the plan could differ from it")


def as_needed_timing(timing, path: str) -> LineTiming:
    """An as-needed line's timing: at most a length for its phase (the sheet prints the medicine's own gap)."""
    if timing is None:
        return LineTiming("as-needed")
    refuse_unread(timing, path, ("repeat",), TIMING_REFUSED | {"code": AS_NEEDED_TIMING})
    repeat = timing.repeat
    if repeat is None:
        return LineTiming("as-needed")
    refused = REPEAT_REFUSED | dict.fromkeys(REPEAT_USED[1:], AS_NEEDED_TIMING)
    refuse_unread(repeat, f"{path}.repeat", ("boundsDuration",), refused)
    return LineTiming("as-needed", days=_bounds(repeat, f"{path}.repeat")[0])


def line_timing(timing, path: str) -> LineTiming:
    """The pattern of one scheduled dosage line (``path`` is its ``...timing``)."""
    refuse_unread(timing, path, ("repeat", "code"), TIMING_REFUSED)
    repeat = timing.repeat
    if repeat is not None:
        refuse_unread(repeat, f"{path}.repeat", REPEAT_USED, REPEAT_REFUSED)
    frequency, period, unit = _rate(timing, repeat, path)
    days, start = _bounds(repeat, f"{path}.repeat") if repeat else (None, None)
    rpath = f"{path}.repeat"
    if repeat and repeat.dayOfWeek:
        return LineTiming("weekdays", slots=_weekdays(repeat, frequency, period, unit, rpath), days=days, start=start)
    if repeat and repeat.when:
        return LineTiming("times", slots=_slots(repeat, frequency, period, unit, rpath), days=days, start=start)
    if period is None:
        raise FhirRefusal(f"{rpath}.period", "how often is not said; expected frequency per period and periodUnit")
    frequency = frequency or 1
    if unit == "d" and period == 1:
        if not 1 <= frequency <= MAX_A_DAY:
            raise FhirRefusal(f"{rpath}.frequency", f"expected 1 to {MAX_A_DAY} doses a day, got {frequency}")
        return LineTiming("per-day", count=frequency, days=days, start=start)
    if frequency != 1:
        message = f"{frequency} doses every {period} {unit}: which days is not said; ask for dayOfWeek or one dose"
        raise FhirRefusal(f"{rpath}.frequency", message)
    return LineTiming("every-n", interval=period * (7 if unit == "wk" else 1), days=days, start=start)


def _rate(timing, repeat, path: str) -> tuple[int | None, int | None, str | None]:
    """(frequency, period, periodUnit) from the repeat or the timing code; they must agree when both are there.
    The frequency is None where neither says it."""
    stated = None
    if repeat is not None and (repeat.frequency or repeat.period or repeat.periodUnit):
        stated = (repeat.frequency, _whole(repeat.period, f"{path}.repeat.period"), repeat.periodUnit)
        if stated[2] not in (None, "d", "wk"):
            message = (f"a period in '{stated[2]}' cannot be printed as days; ask for frequency per day (d) "
                       "or week (wk)")  # fmt: skip
            raise FhirRefusal(f"{path}.repeat.periodUnit", message)
        if stated[1] is not None and stated[2] is None:
            raise FhirRefusal(f"{path}.repeat.periodUnit", "a period without a unit; expected d or wk")
    code = _code(timing.code, f"{path}.code")
    if code and stated and (stated[0] or 1, *stated[1:]) != code:
        raise FhirRefusal(f"{path}.code", "the timing code and the repeat say different things; ask for one")
    return stated or code or (None, None, None)


def _code(concept, path: str) -> tuple[int, int, str] | None:
    if concept is None:
        return None
    codes = [coding.code for coding in concept.coding or [] if coding.code]
    if len(codes) != 1 or codes[0] not in CODES:
        raise FhirRefusal(path, f"expected one of {', '.join(CODES)}, or a repeat")
    return CODES[codes[0]]


def _whole(value, path: str) -> int | None:
    if value is None:
        return None
    if Decimal(str(value)) != int(value) or value < 1:
        raise FhirRefusal(path, f"expected a whole number from 1, got {value}")
    return int(value)


def _weekdays(repeat, frequency: int | None, period, unit, path: str) -> tuple[str, ...]:
    days = tuple(str(day) for day in repeat.dayOfWeek)
    if len(set(days)) != len(days):
        raise FhirRefusal(f"{path}.dayOfWeek", "a weekday is listed twice")
    if repeat.when:
        raise FhirRefusal(f"{path}.when", "weekdays at named times of day cannot be printed yet; leave out when")
    daily = unit in (None, "d") and period in (None, 1) and frequency in (None, 1)
    weekly = unit == "wk" and period == 1 and frequency in (None, 1, len(days))
    if not (daily or weekly):
        raise FhirRefusal(f"{path}.frequency", "expected one dose on each weekday listed in dayOfWeek")
    return tuple(day for day in DAYS if day in days)


def _slots(repeat, frequency: int | None, period, unit, path: str) -> tuple[str, ...]:
    slots = []
    for index, when in enumerate(str(value) for value in repeat.when):
        if when in SLOTS:
            slots.append(SLOTS[when])
            continue
        if when.startswith("AFT"):
            raise FhirRefusal(f"{path}.when[{index}]", NO_AFTERNOON)
        reason = ("a time before, with or after a meal" if when in MEALS else f"'{when[:12]}'") + \
            " is not one of the plan's time slots; ask for MORN, NOON, EVE or NIGHT"  # fmt: skip
        raise FhirRefusal(f"{path}.when[{index}]", reason)
    if len(set(slots)) != len(slots):
        raise FhirRefusal(f"{path}.when", "two times fall in one slot of the plan; give each slot once")
    if unit not in (None, "d") or period not in (None, 1) or frequency not in (None, len(slots)):
        raise FhirRefusal(f"{path}.frequency", f"expected {len(slots)} dose(s) a day, one at each time in when")
    return tuple(slots)


def _bounds(repeat, path: str) -> tuple[int | None, date | None]:
    if repeat.boundsDuration is not None:
        return _duration_days(repeat.boundsDuration, f"{path}.boundsDuration"), None
    if repeat.boundsPeriod is None:
        return None, None
    start, end = (_day(getattr(repeat.boundsPeriod, name)) for name in ("start", "end"))
    if end is None:
        return None, start
    if start is None or end < start:
        raise FhirRefusal(f"{path}.boundsPeriod.end", "expected an end on or after the period's start")
    return (end - start).days + 1, start


def _duration_days(duration, path: str) -> int:
    if duration.system not in (None, UCUM) or duration.code not in ("d", "wk"):
        raise FhirRefusal(f"{path}.code", "expected a length in days (d) or weeks (wk)")
    if duration.comparator:
        raise FhirRefusal(f"{path}.comparator", "a length 'at most' or 'at least' is not one length")
    days = _whole(duration.value, f"{path}.value")
    if days is None:
        raise FhirRefusal(f"{path}.value", "expected a number of days or weeks")
    return days * (7 if duration.code == "wk" else 1)


def _day(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value
