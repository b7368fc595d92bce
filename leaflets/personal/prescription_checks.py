"""The prescription's own checks: the regimen against the leaflet's medicine, the supervised days, and what a
course or a tick chart needs from the dates. Each refusal is a ContentError naming the field."""

from __future__ import annotations

from datetime import date

from ..errors import ContentError, Problem
from ..source.content import Leaflet
from ..source.course import Regimen
from ..source.prescribing import prescribe
from ..source.regimen import AS_NEEDED
from .request_fields import parse_supervised_days


def supervised_days(supervised: str, leaflet: Leaflet | None) -> frozenset[int] | None:
    """The supervised weekdays: given for a medicine supervised sometimes, and only for one."""
    medicine = leaflet.medicine if leaflet else None
    if medicine is None or medicine.supervision != "sometimes":
        if supervised:
            how = f"{medicine.name} is supervised {medicine.supervision}" if medicine else "it takes no regimen"
            message = (f"only for a medicine supervised on some days (supervised: sometimes); {how}, "
                       "so leave it out")  # fmt: skip
            raise ContentError([Problem("supervised", message)])
        return None
    if not supervised:
        message = (f"required: {medicine.name} is supervised on some days; list them, e.g. "
                   "'mon,tue,wed,thu,fri,sat', or 'none' if every dose is taken at home")  # fmt: skip
        raise ContentError([Problem("supervised", message)])
    return parse_supervised_days(supervised)


def check_course_dates(regimen: Regimen, start: date | None, supervised: frozenset[int] | None) -> None:
    """A course whose days depend on the weekday can only be laid out from a start date."""
    if start is not None or not regimen.is_course:
        return
    if regimen.by_weekday:
        message = "required: this course has doses on named weekdays, so its day 1 needs a date"
        raise ContentError([Problem("start date", message)])
    if supervised:
        message = "required: the supervised days are weekdays, so a course's day 1 needs a date"
        raise ContentError([Problem("start date", message)])


def check_tick_chart(tick_chart: bool, regimen: Regimen, start: date | None) -> None:
    """A tick chart needs dated rows and doses that are scheduled."""
    if not tick_chart:
        return
    if start is None:
        raise ContentError([Problem("tick chart", "needs a start date: its rows are dated from the first day")])
    if all(phase.schedule.pattern == AS_NEEDED for phase in regimen.phases):
        raise ContentError([Problem("tick chart", "as-needed doses are not scheduled, so there is nothing to tick")])


def checked_regimen(spec: str, confirm_unusual: bool, leaflet: Leaflet | None) -> Regimen | None:
    """The checked regimen for a leaflet about a medicine; none for a general leaflet."""
    if leaflet is None:
        return None  # already reported
    if leaflet.medicine is None and spec:
        message = f"the {leaflet.leaflet_id} leaflet is about no medicine, so it takes no regimen; leave it out"
        raise ContentError([Problem("regimen", message)])
    if leaflet.medicine is None:
        return None
    if not spec:
        message = (f"required for the {leaflet.leaflet_id} leaflet ({leaflet.medicine.name}); give the prescribed "
                   f"regimen, e.g. {_examples(leaflet.medicine)}")  # fmt: skip
        raise ContentError([Problem("regimen", message)])
    return prescribe(spec, leaflet.medicine, confirm_unusual=confirm_unusual)


def _examples(medicine) -> str:
    return " or ".join(f"'{spec}'" for spec in medicine.standard_regimens[:2]) or "'daily:<mg>'"
