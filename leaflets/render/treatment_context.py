"""What a page shows about one patient's treatment: plain data that personal/ fills and the templates read."""

from __future__ import annotations

from dataclasses import dataclass

from ..source.clinic import ClinicProfile


@dataclass(frozen=True)
class Pictogram:
    """Shapes to draw for one dose (or one dose taken several times), with its text equivalent."""

    shapes: tuple[tuple[str, int], ...]  # (shape, x): whole | scored | half | capsule | cup
    width: int
    label: str  # "2 tablets, 100 mg": the picture's text equivalent; the volume for a measuring cup


@dataclass(frozen=True)
class DoseEntry:
    """One line of a day's row: the dose, what to take and its pictogram."""

    dose: str  # "100 mg" / "25 mg, twice" / "Morning: 666 mg"
    amount: str  # "2 tablets" / "half a tablet, twice" / "Morning: 2 tablets"
    pictogram: Pictogram


@dataclass(frozen=True)
class DoseDay:
    day_name: str
    doses: tuple  # separate doses that day, in mg
    entries: tuple[DoseEntry, ...]  # none on a rest day
    where: str = ""  # "With the pharmacist" / "At home", for a medicine supervised on some days only


@dataclass(frozen=True)
class CourseRow:
    """One row of a course: a day, a range of days or 'from' a day on, with a day's doses."""

    when: str  # "Monday, 4 January 2027" / "Day 3" / "4 January 2027 to 14 February 2027"
    entries: tuple[DoseEntry, ...]
    notes: tuple[str, ...]  # "each day", a weekday sentence, as-needed limits, or a rest day
    where: str = ""


@dataclass(frozen=True)
class CourseView:
    rows: tuple[CourseRow, ...]
    summary: str  # "Your course lasts 7 days, from ... to ..."
    after: str  # "The course ends on ... After that, stop ..." / "Carry on until ..."
    when_heading: str  # "Date" / "Day"


@dataclass(frozen=True)
class TreatmentView:
    days: tuple[DoseDay, ...]  # a weekly table; none for a course or an as-needed medicine
    sentence: str
    unusual_note: str
    supervised_note: str
    column_heading: str  # "Tablets (20 mg)" / "Capsules (300 mg)" / "Amount to measure"
    rest_day: str  # "Rest day: no tablet"
    start_date: str
    next_appointment: str
    name: str
    clinic: ClinicProfile
    how_to_take: str = ""  # the leaflet's own sentence
    notes: tuple[str, ...] = ()  # as-needed limits
    course: CourseView | None = None
    where_heading: str = ""  # "Where", when days are supervised on some weekdays only


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
