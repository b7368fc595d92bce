"""Leaflet metadata (``leaflet.yaml``): declared fields, each with a checker.

Each checker takes the YAML value and returns the parsed value or raises
``ValueError("expected ..., got ...")``; :func:`validate_fields` turns those
into problems naming the file, line and field. Unknown keys are warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..errors import Problem
from .hidden_characters import hidden_in_number
from .yaml_source import LineDict

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT = 400
# Control characters (but tab and newline), and the bidirectional embeddings and overrides
# (U+202A to U+202E) that make text display in a different order from the one it is written in.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


class FieldError(ValueError):
    """A checker's complaint about a nested value, with that value's line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Source:
    title: str
    url: str


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


def _shown(value) -> str:
    if isinstance(value, str):
        return repr(value[:60])
    kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return kind.get(type(value), type(value).__name__) + ("" if isinstance(value, list | dict) else f" {value!r}")


def check_text(value, max_length: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected text, got {_shown(value) if value != '' else 'an empty value'}")
    if CONTROL_RE.search(value):
        raise ValueError("text contains control characters; remove them")
    if hidden_in_number(value):
        raise ValueError(hidden_in_number(value))
    if "<" in value or ">" in value:
        raise ValueError("must be plain text; remove '<' and '>'")
    if len(value) > max_length:
        raise ValueError(f"expected at most {max_length} characters, got {len(value)}")
    return " ".join(value.split())


def check_date(value) -> date:
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date (YYYY-MM-DD), got {_shown(value)}")


def check_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {_shown(value)}")


def check_version(value) -> str:
    if isinstance(value, str) and re.match(r"^\d+(\.\d+){0,2}$", value):
        return value
    raise ValueError(f'expected a version in quotes such as "1.2", got {_shown(value)}')


def check_url(value) -> str:
    text = check_text(value)
    if not re.match(r"^https://[^\s/$.?#][^\s]*$", text):
        raise ValueError(f"expected a web address starting with https://, got {_shown(value)}")
    return text


def check_sources(value) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of sources, each with title and url, got {_shown(value)}")
    sources = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, LineDict) or set(item) != {"title", "url"}:
            raise ValueError(f"source {number}: expected 'title' and 'url', got {_shown(item)}")
        for key, checker in (("title", check_text), ("url", check_url)):
            try:
                checker(item[key])
            except ValueError as exc:
                raise FieldError(f"source {number}: {exc}", item.line_of(key)) from None
        sources.append(Source(check_text(item["title"]), check_url(item["url"])))
    return tuple(sources)


def check_id_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and ID_RE.match(v) for v in value):
        raise ValueError(f"expected a list of section ids such as [safety], got {_shown(value)}")
    return tuple(value)


def check_language_list(value) -> tuple[str, ...]:
    from .languages import check_language_tag

    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of language tags such as [en, pl], got {_shown(value)}")
    return tuple(check_language_tag(v) for v in value)


def check_reviews(value) -> dict[str, str]:
    from .languages import check_language_tag

    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of language: reviewer, got {_shown(value)}")
    return {check_language_tag(lang): check_text(who) for lang, who in value.items()}


Checker = Callable[[object], object]
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
    "translation_reviews": (False, lambda value: check_reviews(value)),
}


def validate_fields(data, label: str, fields: dict[str, tuple[bool, Checker]]) -> tuple[dict, list[Problem]]:
    """Check a mapping against declared fields; return values and problems."""
    if not isinstance(data, LineDict):
        return {}, [Problem(label, f"expected a mapping of field: value, got {_shown(data)}", 1)]
    values, problems = {}, []
    for key, (required, checker) in fields.items():
        if key not in data:
            if required:
                problems.append(Problem(label, "required field is missing", data.start_line, key))
            continue
        try:
            values[key] = checker(data[key])
        except ValueError as exc:
            line = getattr(exc, "line", None) or data.line_of(key)
            problems.append(Problem(label, str(exc), line, key))
    for key in data:
        if key not in fields:
            known = ", ".join(fields)
            problems.append(Problem(label, f"unknown field; known fields: {known}", data.line_of(key), key, "warning"))
    return values, problems


def build_meta(data: LineDict, label: str, today: date) -> tuple[LeafletMeta | None, list[Problem]]:
    """Validate ``leaflet.yaml`` data into :class:`LeafletMeta`."""
    values, problems = validate_fields(data, label, FIELDS)
    if any(p.severity == "error" for p in problems):
        return None, problems
    values.setdefault("languages", ("en",))
    values.setdefault("translation_reviews", {})
    if values["next_review"] <= values["last_reviewed"]:
        problems.append(Problem(label, "must be after last_reviewed", data.line_of("next_review"), "next_review"))
    elif values["next_review"] < today:
        message = f"the review was due on {values['next_review']}; review the leaflet and update next_review"
        problems.append(Problem(label, message, data.line_of("next_review"), "next_review", "warning"))
    return LeafletMeta(**values), problems
