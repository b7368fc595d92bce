"""Clinic profiles (``content/clinics/<clinic-id>.yaml``): contact details for leaflets.

Every field has a small checker that returns the parsed value or raises
``_Invalid("expected ..., got ...")``. All problems in a file are collected,
then raised together as one :class:`ContentError`. Unknown keys are warnings,
returned to the caller (``--strict`` makes them fatal).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from babel.languages import get_official_languages
from phonenumbers import PhoneNumberFormat

from ..errors import ContentError, Problem
from .countries import country_for, load_countries
from .languages import check_language_tag
from .yaml_source import LineDict, load_yaml_file

CLINIC_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 64
EMAIL_RE = re.compile(
    r"[\w%+'-]+(?:\.[\w%+'-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}", re.ASCII
)
KNOWN = ("name", "address", "phone", "urgent_phone", "email", "opening_hours", "website", "key_worker_phone", "country")
REQUIRED = ("name", "address", "phone", "opening_hours")
DEFAULT_COUNTRY = "GB"
KEY_ALIASES = {"out_of_hours_phone": "urgent_phone", "emergency_phone": "urgent_phone", "postcode": "address"}
MAX_NAME, MAX_EMAIL, MAX_WEBSITE, MAX_PHONE, MAX_LINE, MAX_LINES = 120, 254, 200, 40, 120, 10
COUNTRY_CODE = "a two-letter ISO 3166 country code such as GB"
# Ofcom's drama range: valid-looking but never connected, safe for examples.
PHONE_EXAMPLES = {"GB": "0113 496 0000"}
# Bidirectional overrides and isolates can make text display differently from what it says.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class PhoneNumber:
    """A checked phone number: ``national`` for print, ``e164`` for links."""

    national: str
    e164: str

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.e164}"


@dataclass(frozen=True)
class LocalLines:
    """Lines of text in one language (``lang``), e.g. opening hours."""

    lang: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ClinicProfile:
    """One clinic's contact details, checked and ready for templates.

    ``address`` and ``opening_hours`` are in the clinic's own language (the first official
    language of its country in CLDR); ``localised`` holds them in other languages:
    (field, language, lines). Templates ask for ``address_for(lang)``.
    """

    clinic_id: str
    name: str
    address: tuple[str, ...]
    phone: PhoneNumber
    urgent_phone: PhoneNumber | None
    email: str | None
    opening_hours: tuple[str, ...]
    website: str | None
    key_worker_phone: PhoneNumber | None
    country: str
    source: str
    emergency_number: str = ""  # from content/countries.yaml for the clinic's country

    @property
    def card_phone(self) -> PhoneNumber:
        """The number for an alert card: the urgent line where there is one."""
        return self.urgent_phone or self.phone

    localised: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def language(self) -> str:
        return own_language(self.country)

    def address_for(self, lang: str) -> LocalLines:
        return self._lines_for("address", lang)

    def opening_hours_for(self, lang: str) -> LocalLines:
        return self._lines_for("opening_hours", lang)

    def _lines_for(self, key: str, lang: str) -> LocalLines:
        """The lines in ``lang`` if the profile gives them, else in the clinic's own language."""
        for field_name, tag, lines in self.localised:
            if field_name == key and tag == lang:
                return LocalLines(tag, lines)
        return LocalLines(self.language, getattr(self, key))


def own_language(country: str) -> str:
    """The clinic's own language: its country's first official language in CLDR ('en' for GB)."""
    languages = get_official_languages(country or DEFAULT_COUNTRY, de_facto=True)
    return languages[0].replace("_", "-") if languages else "en"


class _Invalid(Exception):
    """A field's value is wrong; the message says what was expected and found."""


def load_clinic(ref: str, content_dir: Path) -> tuple[ClinicProfile, list[Problem]]:
    """Load one clinic profile by id or by path; return it with its warnings."""
    path, label, clinic_id = _locate(ref, Path(content_dir))
    data = load_yaml_file(path, label)
    if not isinstance(data, LineDict):
        expected = "a mapping of clinic fields (name: ..., phone: ...)"
        found = "text" if isinstance(data, str) else _describe(data)  # never echo what the file holds
        raise ContentError([Problem(label, f"expected {expected}, got {found}")])
    profile, problems = _read_profile(data, clinic_id, label)
    if profile is None:
        raise ContentError(problems)
    return profile, problems


def with_emergency_number(profile: ClinicProfile, content_dir: Path) -> ClinicProfile:
    """The profile with its country's emergency number; a country not in content/countries.yaml is refused."""
    country = country_for(load_countries(content_dir), profile.country, content_dir, f"clinic {profile.clinic_id}")
    return replace(profile, emergency_number=country.emergency)


def list_clinics(content_dir: Path) -> list[str]:
    """The ids of the clinic profiles in ``content_dir/clinics``, sorted."""
    folder = Path(content_dir) / "clinics"
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if p.is_file() and is_clinic_id(p.stem))


def _locate(ref: str, content_dir: Path) -> tuple[Path, str, str]:
    """Turn a clinic id or a file path into (path, label for messages, clinic id)."""
    is_path = "/" in ref or ref.endswith((".yaml", ".yml"))
    path = Path(ref) if is_path else content_dir / "clinics" / f"{ref}.yaml"
    label = ref if is_path else str(path)
    if is_path and path.suffix not in (".yaml", ".yml"):
        raise ContentError([Problem(label, "a clinic profile is a .yaml file; give its path or a clinic id")])
    clinic_id = path.stem if is_path else ref
    if not is_clinic_id(clinic_id):
        hint = "" if clinic_id == ref else f"; rename {label}"
        raise ContentError(
            f"clinic {_shown(clinic_id)}: clinic ids use lowercase letters, digits and hyphens, "
            f"e.g. 'leeds-north', at most {MAX_ID_LENGTH} characters{hint}"
        )
    if not _is_file(path):
        folder = content_dir / "clinics"
        available = ", ".join(list_clinics(content_dir)) or "none"
        raise ContentError([Problem(label, f"clinic '{clinic_id}' not found; clinics in {folder}: {available}")])
    return path, label, clinic_id


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for names the file system cannot take."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_clinic_id(text: str) -> bool:
    return len(text) <= MAX_ID_LENGTH and CLINIC_ID_RE.fullmatch(text) is not None


def _read_profile(data: LineDict, clinic_id: str, label: str) -> tuple[ClinicProfile | None, list[Problem]]:
    """Check every field; return the profile (None if any error) and all problems."""
    fields = _Fields(data, label)
    country = fields.read("country", _country) if "country" in data else DEFAULT_COUNTRY
    values = {
        "name": fields.read("name", _text, MAX_NAME),
        "address": fields.read("address", _localised_lines, own_language(country)),
        "phone": fields.read("phone", _phone, country),
        "urgent_phone": fields.read("urgent_phone", _phone, country),
        "email": fields.read("email", _email),
        "opening_hours": fields.read("opening_hours", _localised_lines, own_language(country)),
        "website": fields.read("website", _website),
        "key_worker_phone": fields.read("key_worker_phone", _phone, country),
    }
    fields.warn_unknown()
    problems = sorted(fields.problems, key=lambda p: (p.line is None, p.line or 0))
    if any(p.severity == "error" for p in problems):
        return None, problems
    localised = tuple(
        (key, lang, lines)
        for key in ("address", "opening_hours")
        for lang, lines in values[key].items()
        if lang != own_language(country)
    )
    values.update({key: values[key][own_language(country)] for key in ("address", "opening_hours")})
    profile = ClinicProfile(clinic_id=clinic_id, country=country, source=label, localised=localised, **values)
    return profile, problems


class _Fields:
    """Reads the fields of one profile, turning each failed check into a Problem."""

    def __init__(self, data: LineDict, label: str):
        self.data, self.label = data, label
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, severity: str = "error") -> None:
        line = self.data.line_of(key) if key in self.data else None
        field = key if key.isprintable() and len(key) <= 60 else _shown(key)
        self.problems.append(Problem(self.label, message, line, field, severity))

    def read(self, key: str, check, *args):
        """The checked value of ``key``, or None if it is absent or wrong."""
        if key not in self.data:
            if key in REQUIRED:
                self.add(key, "required field is missing")
            return None
        try:
            return check(self.data[key], *args)
        except _Invalid as exc:
            self.add(key, str(exc))
            return None

    def warn_unknown(self) -> None:
        for key in self.data:
            if key not in KNOWN:
                close = _suggest(key, KNOWN)
                hint = f"did you mean '{close}'?" if close else f"clinic profiles use: {', '.join(KNOWN)}"
                self.add(key, f"unknown field; {hint}", "warning")


def _suggest(key: str, known: tuple[str, ...]) -> str | None:
    """The known key someone probably meant by ``key``, if any."""
    key = key.lower().replace("-", "_").replace(" ", "_")
    if key in KEY_ALIASES:
        return KEY_ALIASES[key]
    inside = [k for k in known if k in key or key in k]
    if inside:
        return max(inside, key=len)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.65)
    return close[0] if close else None


# --- checkers: value in, parsed value out, or _Invalid ------------------------


def _text(value, limit: int, what: str = "text") -> str:
    """One line of plain text, stripped."""
    if not isinstance(value, str):
        raise _Invalid(_expected(what, value))
    text = value.strip()
    if not text:
        raise _Invalid(f"expected {what}, got an empty value")
    if len(text.splitlines()) > 1:
        raise _Invalid("must be on one line")
    if any(unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS for c in text):
        raise _Invalid("text contains control characters; remove them")
    if "<" in text or ">" in text:
        raise _Invalid("must be plain text; remove '<' and '>'")
    if len(text) > limit:
        raise _Invalid(f"expected at most {limit} characters, got {len(text)}")
    return text


def _lines(value) -> tuple[str, ...]:
    """Text given as a list of lines or as a multi-line string."""
    if isinstance(value, str):
        numbered = [(f"line {n}", line) for n, line in enumerate(value.splitlines(), 1) if line.strip()]
    elif isinstance(value, list):
        numbered = [(f"item {n}", item) for n, item in enumerate(value, 1)]
    else:
        raise _Invalid(_expected("text or a list of lines", value))
    if not numbered:
        raise _Invalid("expected text or a list of lines, got an empty value")
    if len(numbered) > MAX_LINES:
        raise _Invalid(f"expected at most {MAX_LINES} lines, got {len(numbered)}")
    lines = []
    for where, item in numbered:
        try:
            lines.append(_text(item, MAX_LINE))
        except _Invalid as exc:
            raise _Invalid(f"{where}: {exc}") from None
    return tuple(lines)


# Number types (libphonenumber) a patient must not be sent to: costly, or nobody answers.
REFUSED_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number (calls cost much more than a normal call)",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number (callers pay part of the cost, often more "
    "than a normal call)",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "a personal number (it forwards calls, often at a high rate)",
    phonenumbers.PhoneNumberType.PAGER: "a pager number (nobody can answer a call to it)",
}


def _localised_lines(value, own: str) -> dict[str, tuple[str, ...]]:
    """Lines in the clinic's own language, or a mapping of language to lines that includes it."""
    if not isinstance(value, dict):
        return {own: _lines(value)}
    result = {}
    for tag, lines in value.items():
        try:
            check_language_tag(tag)
        except ValueError as exc:
            raise _Invalid(f"give lines, or languages and their lines (en: [...]); {exc}") from None
        try:
            result[tag] = _lines(lines)
        except _Invalid as exc:
            raise _Invalid(f"{tag}: {exc}") from None
    if own not in result:
        raise _Invalid(f"give it in the clinic's own language too ('{own}:'); other languages fall back to it")
    return result


def _phone(value, country: str | None) -> PhoneNumber | None:
    """A phone number written as the clinic gives it, checked for ``country``."""
    text = _text(value, MAX_PHONE, "a phone number as text")
    if country is None:
        return None  # the country is wrong and already reported
    example = PHONE_EXAMPLES.get(country) or _example_number(country)
    invalid = _Invalid(
        f"{_shown(text)} is not a valid phone number for {country}; write it as the clinic gives it, e.g. {example}"
    )
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    if number.extension:
        raise _Invalid(f"{_shown(text)} has an extension; give a direct number, e.g. {example}")
    refused = REFUSED_PHONE_TYPES.get(phonenumbers.number_type(number))
    if refused:
        raise _Invalid(f"{_shown(text)} is {refused}; give a geographic, mobile or freephone number, e.g. {example}")
    home = number.country_code == phonenumbers.country_code_for_region(country)
    style = PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneNumber(national=phonenumbers.format_number(number, style), e164=e164)


def _example_number(country: str) -> str:
    number = phonenumbers.example_number(country)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number else "+44 113 496 0000"


def _email(value) -> str:
    text = _text(value, MAX_EMAIL, "an email address")
    if not EMAIL_RE.fullmatch(text):
        raise _Invalid(f"expected an email address like clinic@example.org, got {_shown(text)}")
    return text


def _website(value) -> str:
    text = _text(value, MAX_WEBSITE, "a web address")
    parts = urlsplit(text)
    if parts.scheme.lower() != "https":
        raise _Invalid(f"expected an https:// address, got {_shown(text)}")
    if not parts.hostname or "@" in parts.netloc or any(c.isspace() for c in text):
        raise _Invalid(f"expected a web address like https://example.org/clinic, got {_shown(text)}")
    return text


def _country(value) -> str:
    text = _text(value, MAX_NAME, COUNTRY_CODE)
    if text.upper() not in phonenumbers.SUPPORTED_REGIONS:
        hint = " (the United Kingdom is GB)" if text.upper() == "UK" else ""
        raise _Invalid(f"expected {COUNTRY_CODE}, got {_shown(text)}{hint}")
    return text.upper()


# --- wording -------------------------------------------------------------------


def _expected(what: str, value) -> str:
    """'expected <what>, got <value>', with a hint when YAML read it as a number or true/false."""
    quote = "; put it in quotes" if isinstance(value, bool | int | float) else ""
    return f"expected {what}, got {_describe(value)}{quote}"


def _describe(value) -> str:
    """Say what a YAML value is: 'a list', 'a number (42)', 'false'."""
    if isinstance(value, str):
        return _shown(value)
    if value is None or isinstance(value, bool):
        return "nothing" if value is None else str(value).lower()
    if isinstance(value, int | float):
        return f"a number ({value})" if isinstance(value, float) or abs(value) < 10**20 else "a very large number"
    kinds = {list: "a list", dict: "a mapping", LineDict: "a mapping", bytes: "binary data", set: "a set"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _shown(text: str, limit: int = 60) -> str:
    """Quote text for a message: control characters escaped, long text cut short."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
