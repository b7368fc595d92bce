"""Emergency numbers and national helplines by country (``content/countries.yaml``).

A country code maps to ``emergency`` (the number to call, as dialled) and an
optional list of ``helplines`` (each a ``name`` and a ``phone``). The table is
content, so a clinic in a new country needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem
from .fields import FieldError, check_text, has_errors, read_fields, shown
from .yaml_source import LineDict, load_yaml_file

COUNTRY_RE = re.compile(r"[A-Z]{2}")
DIALLED_RE = re.compile(r"\+?[0-9](?:[0-9 -]{0,18}[0-9])?")
FILE_NAME = "countries.yaml"


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str  # as dialled in that country, e.g. "0300 123 6600"

    @property
    def tel_uri(self) -> str:
        return "tel:" + re.sub(r"[ -]", "", self.phone)


@dataclass(frozen=True)
class Country:
    code: str
    emergency: str
    helplines: tuple[Helpline, ...] = ()

    @property
    def emergency_tel_uri(self) -> str:
        return "tel:" + self.emergency


def check_dialled(value) -> str:
    text = check_text(value, 24)
    if not DIALLED_RE.fullmatch(text):
        raise ValueError(f'expected a number as dialled, such as "999" or "0300 123 6600", got {shown(text)}')
    return text


def check_helplines(value) -> tuple[Helpline, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of helplines, each with name and phone")
    helplines = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, LineDict) or set(item) != {"name", "phone"}:
            raise ValueError(f"helpline {number}: expected 'name' and 'phone'")
        try:
            helplines.append(Helpline(check_text(item["name"], 120), check_dialled(item["phone"])))
        except ValueError as exc:
            raise FieldError(f"helpline {number}: {exc}", item.start_line) from None
    return tuple(helplines)


FIELDS = {"emergency": (True, check_dialled), "helplines": (False, check_helplines)}


def load_countries(content_dir: Path) -> dict[str, Country]:
    """Every country in the table; an absent file is an empty table. Its warnings: :func:`read_countries`."""
    return read_countries(content_dir)[0]


def read_countries(content_dir: Path) -> tuple[dict[str, Country], list[Problem]]:
    """Every country in the table and the file's warnings (unknown keys); errors are raised together."""
    path = Path(content_dir) / FILE_NAME
    if not path.exists():
        return {}, []
    data = load_yaml_file(path)
    if not isinstance(data, LineDict):
        raise ContentError([Problem(str(path), "expected a mapping of country code to its numbers", 1)])
    countries, problems = {}, []
    for code, entry in data.items():
        if not COUNTRY_RE.fullmatch(code):
            problems.append(Problem(str(path), "expected a two-letter country code such as GB", data.line_of(code)))
            continue
        values, found = read_fields(entry, str(path), FIELDS, f"{code}.", data.line_of(code))
        problems += found
        if "emergency" in values:
            countries[code] = Country(code, values["emergency"], values.get("helplines", ()))
    if has_errors(problems):
        raise ContentError(problems)
    return countries, problems


def country_for(countries: dict[str, Country], code: str, content_dir: Path, who: str) -> Country:
    """The entry for ``code``; refuse to guess an emergency number for a country not in the table."""
    if code not in countries:
        path = Path(content_dir) / FILE_NAME
        raise ContentError(
            [
                Problem(
                    str(path),
                    f'no emergency number for {who}\'s country {code}; add {code}: {{emergency: "..."}} to this file',
                )
            ]
        )
    return countries[code]
