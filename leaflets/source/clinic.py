"""Clinic profiles (``content/clinics/<clinic-id>.yaml``): contact details for leaflets.

Each field is checked by its checker in :mod:`.clinic_fields`, read through the toolkit's
:class:`~.fields.Fields`: all problems in a file are collected, then raised together as one
:class:`ContentError`. Unknown keys are warnings, returned to the caller (``--strict`` makes them fatal).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from babel.languages import get_official_languages

from ..errors import ContentError, Problem
from .clinic_fields import (
    PhoneNumber,
    check_country,
    check_email,
    check_localised_lines,
    check_name,
    check_phone,
    check_website,
)
from .countries import country_for, load_countries
from .fields import MAX_ID_LENGTH, Fields, found, has_errors, is_id, shown
from .yaml_source import LineDict, load_yaml_file

__all__ = ["ClinicProfile", "LocalLines", "PhoneNumber", "is_clinic_id", "list_clinics", "load_clinic"]

KNOWN = ("name", "address", "phone", "urgent_phone", "email", "opening_hours", "website", "key_worker_phone", "country")
DEFAULT_COUNTRY = "GB"
KEY_ALIASES = {"out_of_hours_phone": "urgent_phone", "emergency_phone": "urgent_phone", "postcode": "address"}


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


def load_clinic(ref: str, content_dir: Path) -> tuple[ClinicProfile, list[Problem]]:
    """Load one clinic profile by id or by path; return it with its warnings."""
    path, label, clinic_id = _locate(ref, Path(content_dir))
    data = load_yaml_file(path, label)
    if not isinstance(data, LineDict):
        expected = "a mapping of clinic fields (name: ..., phone: ...)"
        found_here = "text" if isinstance(data, str) else found(data)  # never echo what the file holds
        raise ContentError([Problem(label, f"expected {expected}, got {found_here}")])
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
            f"clinic {shown(clinic_id)}: clinic ids use lowercase letters, digits and hyphens, "
            f"e.g. 'leeds-north', at most {MAX_ID_LENGTH} characters{hint}"
        )
    if _is_dir(path):
        message = "a folder, not a clinic profile; give the path of its .yaml file, or a clinic id"
        raise ContentError([Problem(label, message)])
    if not _is_file(path):
        folder = content_dir / "clinics"
        available = ", ".join(list_clinics(content_dir)) or "none"
        raise ContentError([Problem(label, f"clinic '{clinic_id}' not found; clinics in {folder}: {available}")])
    return path, label, clinic_id


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for names the file system cannot take."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_clinic_id(text: str) -> bool:
    return is_id(text, MAX_ID_LENGTH)


def _read_profile(data: LineDict, clinic_id: str, label: str) -> tuple[ClinicProfile | None, list[Problem]]:
    """Check every field; return the profile (None if any error) and all problems."""
    fields = Fields(data, label)
    country = fields.read("country", check_country) if "country" in data else DEFAULT_COUNTRY
    own = own_language(country)
    values = {
        "name": fields.read("name", check_name, required=True),
        "address": fields.read("address", check_localised_lines, own, required=True),
        "phone": fields.read("phone", check_phone, country, required=True),
        "urgent_phone": fields.read("urgent_phone", check_phone, country),
        "email": fields.read("email", check_email),
        "opening_hours": fields.read("opening_hours", check_localised_lines, own, required=True),
        "website": fields.read("website", check_website),
        "key_worker_phone": fields.read("key_worker_phone", check_phone, country),
    }
    fields.warn_unknown(KNOWN, "clinic profiles use", KEY_ALIASES)
    problems = sorted(fields.problems, key=lambda p: (p.line is None, p.line or 0))
    if has_errors(problems):
        return None, problems
    localised = tuple(
        (key, lang, lines) for key in ("address", "opening_hours") for lang, lines in values[key].items() if lang != own
    )
    values.update({key: values[key][own] for key in ("address", "opening_hours")})
    profile = ClinicProfile(clinic_id=clinic_id, country=country, source=label, localised=localised, **values)
    return profile, problems
