"""The checkers of a clinic profile's fields: value in, parsed value out, or ``ValueError("expected ...")``.

Text goes through the toolkit's one-line rule (:func:`~.fields.check_line`); phone numbers are checked
with libphonenumber for the clinic's country; address and opening hours may be given per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import PhoneNumberFormat

from .fields import check_line, expected, shown
from .languages import check_language_tag

EMAIL_RE = re.compile(
    r"[\w%+'-]+(?:\.[\w%+'-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}", re.ASCII
)
MAX_NAME, MAX_EMAIL, MAX_WEBSITE, MAX_PHONE, MAX_LINE, MAX_LINES = 120, 254, 200, 40, 120, 10
COUNTRY_CODE = "a two-letter ISO 3166 country code such as GB"
# Ofcom's drama range: valid-looking but never connected, safe for examples.
PHONE_EXAMPLES = {"GB": "0113 496 0000"}
# Number types (libphonenumber) a patient must not be sent to: costly, or nobody answers.
REFUSED_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number (calls cost much more than a normal call)",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number (callers pay part of the cost, often more "
    "than a normal call)",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "a personal number (it forwards calls, often at a high rate)",
    phonenumbers.PhoneNumberType.PAGER: "a pager number (nobody can answer a call to it)",
}


@dataclass(frozen=True)
class PhoneNumber:
    """A checked phone number: ``national`` for print, ``e164`` for links."""

    national: str
    e164: str

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.e164}"


def check_name(value) -> str:
    return check_line(value, MAX_NAME)


def check_lines(value) -> tuple[str, ...]:
    """Text given as a list of lines or as a multi-line string."""
    if isinstance(value, str):
        numbered = [(f"line {n}", line) for n, line in enumerate(value.splitlines(), 1) if line.strip()]
    elif isinstance(value, list):
        numbered = [(f"item {n}", item) for n, item in enumerate(value, 1)]
    else:
        raise ValueError(expected("text or a list of lines", value, quote_hint=True))
    if not numbered:
        raise ValueError("expected text or a list of lines, got an empty value")
    if len(numbered) > MAX_LINES:
        raise ValueError(f"expected at most {MAX_LINES} lines, got {len(numbered)}")
    lines = []
    for where, item in numbered:
        try:
            lines.append(check_line(item, MAX_LINE))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return tuple(lines)


def check_localised_lines(value, own: str) -> dict[str, tuple[str, ...]]:
    """Lines in the clinic's own language, or a mapping of language to lines that includes it."""
    if not isinstance(value, dict):
        return {own: check_lines(value)}
    result = {}
    for tag, lines in value.items():
        try:
            check_language_tag(tag)
        except ValueError as exc:
            raise ValueError(f"give lines, or languages and their lines (en: [...]); {exc}") from None
        try:
            result[tag] = check_lines(lines)
        except ValueError as exc:
            raise ValueError(f"{tag}: {exc}") from None
    if own not in result:
        raise ValueError(f"give it in the clinic's own language too ('{own}:'); other languages fall back to it")
    return result


def check_phone(value, country: str | None) -> PhoneNumber | None:
    """A phone number written as the clinic gives it, checked for ``country``."""
    text = check_line(value, MAX_PHONE, "a phone number as text")
    if country is None:
        return None  # the country is wrong and already reported
    number = _parsed_number(text, country)
    home = number.country_code == phonenumbers.country_code_for_region(country)
    style = PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneNumber(national=phonenumbers.format_number(number, style), e164=e164)


def _parsed_number(text: str, country: str) -> phonenumbers.PhoneNumber:
    """A valid, direct number a patient may be sent to; else ValueError with an example."""
    example = PHONE_EXAMPLES.get(country) or _example_number(country)
    invalid = ValueError(
        f"{shown(text)} is not a valid phone number for {country}; write it as the clinic gives it, e.g. {example}"
    )
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    if number.extension:
        raise ValueError(f"{shown(text)} has an extension; give a direct number, e.g. {example}")
    refused = REFUSED_PHONE_TYPES.get(phonenumbers.number_type(number))
    if refused:
        raise ValueError(f"{shown(text)} is {refused}; give a geographic, mobile or freephone number, e.g. {example}")
    return number


def _example_number(country: str) -> str:
    number = phonenumbers.example_number(country)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number else "+44 113 496 0000"


def check_email(value) -> str:
    text = check_line(value, MAX_EMAIL, "an email address")
    if not EMAIL_RE.fullmatch(text):
        raise ValueError(f"expected an email address like clinic@example.org, got {shown(text)}")
    return text


def check_website(value) -> str:
    text = check_line(value, MAX_WEBSITE, "a web address")
    parts = urlsplit(text)
    if parts.scheme.lower() != "https":
        raise ValueError(f"expected an https:// address, got {shown(text)}")
    if not parts.hostname or "@" in parts.netloc or any(c.isspace() for c in text):
        raise ValueError(f"expected a web address like https://example.org/clinic, got {shown(text)}")
    return text


def check_country(value) -> str:
    text = check_line(value, MAX_NAME, COUNTRY_CODE)
    if text.upper() not in phonenumbers.SUPPORTED_REGIONS:
        hint = " (the United Kingdom is GB)" if text.upper() == "UK" else ""
        raise ValueError(f"expected {COUNTRY_CODE}, got {shown(text)}{hint}")
    return text.upper()
