"""Leaflet metadata (``leaflet.yaml``): declared fields, each with a checker.

Each checker takes the YAML value and returns the parsed value or raises
``ValueError("expected ..., got ...")``; :func:`~.fields.read_fields` turns those
into problems naming the file, line and field. Unknown keys are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import Problem
from .fields import (
    DATE_RE,
    Checker,
    FieldError,
    check_bool,
    check_text,
    found,
    has_errors,
    is_id,
    read_fields,
)
from .languages import check_language_tag
from .yaml_source import LineDict


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class NumberChange:
    """A translation that deliberately changes a number in a safety section, signed off by the clinical owner."""

    lang: str
    segment: str  # the start of the English text (the msgid), enough to name one segment
    approved_by: str  # who approved it, and when


@dataclass(frozen=True)
class LeafletMeta:
    title: str
    summary: str
    publisher: str
    clinical_owner: str
    version: str
    last_reviewed: date
    next_review: date
    sources: tuple[Source, ...]
    feedback_contact: str
    needs_clinical_review: bool
    safety_sections: tuple[str, ...]
    languages: tuple[str, ...]
    translation_reviews: dict[str, str]
    number_changes: tuple[NumberChange, ...] = ()

    def number_approvals(self, lang: str) -> tuple[tuple[str, str], ...]:
        """(segment start, approved by) of the signed-off number changes in ``lang``'s translation."""
        return tuple((change.segment, change.approved_by) for change in self.number_changes if change.lang == lang)


def check_date(value) -> date:
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date (YYYY-MM-DD), got {found(value)}")


def check_version(value) -> str:
    if isinstance(value, str) and re.match(r"^\d+(\.\d+){0,2}$", value):
        return value
    raise ValueError(f'expected a version in quotes such as "1.2", got {found(value)}')


def check_url(value) -> str:
    text = check_text(value)
    if not re.match(r"^https://[^\s/$.?#][^\s]*$", text):
        raise ValueError(f"expected a web address starting with https://, got {found(value)}")
    return text


def check_sources(value) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of sources, each with title and url, got {found(value)}")
    sources = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, LineDict) or set(item) != {"title", "url"}:
            raise ValueError(f"source {number}: expected 'title' and 'url', got {found(item)}")
        for key, checker in (("title", check_text), ("url", check_url)):
            try:
                checker(item[key])
            except ValueError as exc:
                raise FieldError(f"source {number}: {exc}", item.line_of(key)) from None
        sources.append(Source(check_text(item["title"]), check_url(item["url"])))
    return tuple(sources)


def check_id_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(is_id(v) for v in value):
        raise ValueError(f"expected a list of section ids such as [safety], got {found(value)}")
    return tuple(value)


def check_language_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of language tags such as [en, pl], got {found(value)}")
    return tuple(check_language_tag(v) for v in value)


def check_reviews(value) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of language: reviewer, got {found(value)}")
    return {check_language_tag(lang): check_text(who) for lang, who in value.items()}


MIN_SEGMENT = 20  # characters of the English text that name a segment in number_changes


def check_number_changes(value) -> tuple[NumberChange, ...]:
    expected = "a list of changes, each with lang, segment (the start of the English text) and approved_by"
    if not isinstance(value, list):
        raise ValueError(f"expected {expected}, got {found(value)}")
    changes = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, LineDict) or set(item) != {"lang", "segment", "approved_by"}:
            raise ValueError(f"change {number}: expected {expected}, got {found(item)}")
        try:
            segment = check_text(item["segment"])
            if len(segment) < MIN_SEGMENT:
                raise ValueError(
                    f"expected at least {MIN_SEGMENT} characters of the English text, got {found(segment)}"
                )
            changes.append(NumberChange(check_language_tag(item["lang"]), segment, check_text(item["approved_by"])))
        except ValueError as exc:
            raise FieldError(f"change {number}: {exc}", item.line_of("segment")) from None
    return tuple(changes)


FIELDS: dict[str, tuple[bool, Checker]] = {
    "title": (True, check_text),
    "summary": (True, check_text),
    "publisher": (True, check_text),
    "clinical_owner": (True, check_text),
    "version": (True, check_version),
    "last_reviewed": (True, check_date),
    "next_review": (True, check_date),
    "sources": (True, check_sources),
    "feedback_contact": (True, check_text),
    "needs_clinical_review": (True, check_bool),
    "safety_sections": (True, check_id_list),
    "languages": (False, check_language_list),
    "translation_reviews": (False, check_reviews),
    "number_changes": (False, check_number_changes),
}


def build_meta(data: LineDict, label: str, today: date) -> tuple[LeafletMeta | None, list[Problem]]:
    """Validate ``leaflet.yaml`` data into :class:`LeafletMeta`."""
    values, problems = read_fields(data, label, FIELDS)
    if has_errors(problems):
        return None, problems
    values.setdefault("languages", ("en",))
    values.setdefault("translation_reviews", {})
    if values["next_review"] <= values["last_reviewed"]:
        problems.append(Problem(label, "must be after last_reviewed", data.line_of("next_review"), "next_review"))
    elif values["next_review"] < today:
        message = f"the review was due on {values['next_review']}; review the leaflet and update next_review"
        problems.append(Problem(label, message, data.line_of("next_review"), "next_review", "warning"))
    return LeafletMeta(**values), problems
