"""What a page shows about one patient's treatment: plain data that personal/ fills and the templates read."""

from __future__ import annotations

from dataclasses import dataclass

from ..source.clinic import ClinicProfile


@dataclass(frozen=True)
class Pictogram:
    """Shapes to draw for one dose; decorative, beside the words that say the dose."""

    shapes: tuple[tuple[str, int], ...]  # (shape, x): whole | scored | half | capsule | patch | injection | spray | cup
    width: int


@dataclass(frozen=True)
class SlotDose:
    """One dose in one time slot: what to take in words, and its picture (an artifact: the words say it)."""

    amount: str  # "2 tablets (666 mg)"
    pictogram: Pictogram
    short: str  # "666 mg": the tick chart's cell


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan: every day, a weekday, a date (or "Day 3"), or a range of days."""

    label: str  # "Every day" / "Monday" / "Thursday, 7 January 2027" / "Day 3" / "... to ..."
    doses: tuple[SlotDose | None, ...]  # one per time slot; all None on a day without a dose
    note: str = ""  # under the label ("each day"), or, on a row without doses, what the day holds
    where: str = ""  # "With the pharmacist" / "At home", for a medicine supervised on some days only

    @property
    def has_doses(self) -> bool:
        return any(self.doses)


@dataclass(frozen=True)
class PlanGrid:
    """The plan as a table: time slots (Morning, Midday, Evening, Night; only those used) as columns."""

    label_heading: str  # "Day" / "Date"
    slot_headings: tuple[str, ...]
    rows: tuple[PlanRow, ...]
    caption: str
    where_heading: str = ""
    every_day: bool = False  # one row, "Every day", in large type


@dataclass(frozen=True)
class TickRow:
    label: str  # a date
    doses: tuple[str, ...]  # per time slot: the dose to tick ("666 mg"), or "" for none


@dataclass(frozen=True)
class TickChart:
    heading: str
    intro: str
    slot_headings: tuple[str, ...]
    rows: tuple[TickRow, ...]


@dataclass(frozen=True)
class TreatmentView:
    sentence: str
    unusual_note: str
    supervised_note: str
    start_date: str
    next_appointment: str
    name: str
    clinic: ClinicProfile
    grid: PlanGrid | None = None  # none for a medicine taken only as needed
    how_to_take: str = ""  # the leaflet's own sentence
    notes: tuple[str, ...] = ()  # as-needed limits
    after: str = ""  # a course's end ("The course ends on ... After that, stop ...") or that it carries on
    tick_chart: TickChart | None = None
    as_prescribed: str = ""  # the prescriber's own words, printed under the plan as "As prescribed: ..."


@dataclass(frozen=True)
class AlertCardText:
    """The alert card's words in one language: the leaflet's own lines, then the labels."""

    lang: str
    dir: str
    title: str
    lines: tuple[str, ...]
    name_label: str
    clinic_label: str
    phone_label: str
