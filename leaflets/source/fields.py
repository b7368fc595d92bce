"""The one validation toolkit for YAML files: leaflet.yaml, clinic profiles, site.yaml, countries.yaml, medicines.

A checker takes a YAML value and returns the parsed value or raises ``ValueError("expected ..., got ...")``
(a :class:`FieldError` when it knows the line of a nested value). :class:`Fields` reads a mapping with
checkers and turns each failure into a :class:`Problem` naming the file, line and field. One control-character
rule (:func:`text_problem`), one id rule (:func:`is_id`), one way to quote what was found (:func:`found`), one
way to report unknown keys (:meth:`Fields.warn_unknown`: a warning; ``--strict`` makes it an error).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from ..errors import ContentError, Problem
from .hidden_characters import hidden_in_number
from .yaml_source import LineDict

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # leaflet, section and clinic ids
MAX_ID_LENGTH = 64
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 400
# Bidirectional controls make text display in another order than the one it is written in.
BIDI_EMBEDDINGS = frozenset("\u202a\u202b\u202c\u202d\u202e")  # embeddings and overrides
BIDI_ISOLATES = frozenset("\u2066\u2067\u2068\u2069")
KINDS = {list: "a list", dict: "a mapping", LineDict: "a mapping", bytes: "binary data", set: "a set"}

Checker = Callable[..., object]


class FieldError(ValueError):
    """A checker's complaint about a nested value, with that value's line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def is_id(text: str, max_length: int = MAX_ID_LENGTH) -> bool:
    """Lowercase letters and digits in hyphen-separated runs: 'leeds-north', 'side-effects'."""
    return isinstance(text, str) and len(text) <= max_length and ID_RE.match(text) is not None


def one_line(text: str) -> str:
    """Found text inside quotes a message already has: control characters escaped, so it stays one line."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def shown(text: str, limit: int = 60) -> str:
    """Quote found text for a message: control characters escaped, long text cut short."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def found(value, quote_hint: bool = False) -> str:
    """What a YAML value is, for '... got <found>': text quoted, else 'a number 42', 'false', 'nothing', 'a list'.

    With ``quote_hint`` a number or true/false (what YAML makes of unquoted ``42`` or ``no``) says how to fix it.
    """
    if isinstance(value, str):
        return shown(value) if value.strip() else "an empty value"
    if value is None or isinstance(value, bool):
        kind = "nothing" if value is None else str(value).lower()
    elif isinstance(value, int | float):
        large = isinstance(value, int) and abs(value) >= 10**20
        kind = "a very large number" if large else f"a number ({value})" if quote_hint else f"a number {value}"
    else:
        return KINDS.get(type(value), f"a {type(value).__name__}")
    return f"{kind}; put it in quotes" if quote_hint and value is not None else kind


def expected(what: str, value, quote_hint: bool = False) -> str:
    return f"expected {what}, got {found(value, quote_hint)}"


def control_character(text: str, allowed: str = "\t\n", allow_isolates: bool = False) -> str | None:
    """The one rule for invisible characters, in YAML and Markdown alike: the first control character (but
    ``allowed``), surrogate or bidirectional embedding or override in ``text``, or None. Isolates are refused
    too unless ``allow_isolates`` (Markdown text, where they keep a Latin run in order in right-to-left text)."""
    refused = BIDI_EMBEDDINGS if allow_isolates else BIDI_EMBEDDINGS | BIDI_ISOLATES
    for char in text:
        if (unicodedata.category(char) in ("Cc", "Cs") and char not in allowed) or char in refused:
            return char
    return None


def text_problem(text: str) -> str | None:
    """The one rule for characters in YAML text: why ``text`` is refused, or None."""
    if control_character(text):
        return "text contains control characters; remove them"
    if "<" in text or ">" in text:
        return "must be plain text; remove '<' and '>'"
    return hidden_in_number(text)


def check_text(value, max_length: int = MAX_TEXT, what: str = "text", quote_hint: bool = False) -> str:
    """Plain text, its runs of white space made one space."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(expected(what, value, quote_hint))
    reason = text_problem(value)
    if reason:
        raise ValueError(reason)
    text = " ".join(value.split())
    if len(text) > max_length:
        raise ValueError(f"expected at most {max_length} characters, got {len(text)}")
    return text


def check_line(value, max_length: int, what: str = "text") -> str:
    """One line of plain text; a number or true/false from unquoted YAML is named with the fix."""
    if isinstance(value, str) and len(value.strip().splitlines()) > 1:
        raise ValueError("must be on one line")
    return check_text(value, max_length, what, quote_hint=True)


def check_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(expected("true or false", value))


def suggest(key: str, known, aliases: dict[str, str] | None = None) -> str | None:
    """The known key someone probably meant by ``key``, if any."""
    key = key.lower().replace("-", "_").replace(" ", "_")
    if key in (aliases or {}):
        return aliases[key]
    inside = [k for k in known if k in key or key in k]
    if inside:
        return max(inside, key=len)
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.65)
    return close[0] if close else None


def raise_problems(problems: list[Problem], strict: bool) -> None:
    """Raise every error (and, under strict, every warning) at once, with the warnings found beside them: an
    error never hides a warning. Notes never stop a build."""
    fatal = [p for p in problems if p.severity == "error" or (strict and p.severity == "warning")]
    if fatal:
        shown = [replace(p, severity="strict") if p.severity == "warning" else p for p in fatal]  # says "error:"
        raise ContentError(shown + [p for p in problems if p.severity == "warning" and p not in fatal])


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


class Fields:
    """Reads the fields of one YAML mapping, turning each failed check into a Problem (file, line, field).

    ``prefix`` names a nested mapping ('medicine.', 'GB.'); ``missing_line`` is the line a missing required
    field is reported on (None: the file as a whole).
    """

    def __init__(self, data: LineDict, label: str, prefix: str = "", missing_line: int | None = None):
        self.data, self.label, self.prefix, self.missing_line = data, label, prefix, missing_line
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, severity: str = "error", line: int | None = None) -> None:
        line = line or (self.data.line_of(key) if key in self.data else self.missing_line)
        field = key if key.isprintable() and len(key) <= 60 else shown(key)
        self.problems.append(Problem(self.label, message, line, self.prefix + field, severity))

    def read(self, key: str, check: Checker, *args, required: bool = False):
        """The checked value of ``key``, or None if it is absent or wrong."""
        if key not in self.data:
            if required:
                self.add(key, "required field is missing")
            return None
        try:
            return check(self.data[key], *args)
        except ValueError as exc:
            self.add(key, str(exc), line=getattr(exc, "line", None))
            return None

    def read_all(self, fields: dict[str, tuple[bool, Checker]]) -> dict:
        """Every declared field that is present and right: {key: value}."""
        values = {key: self.read(key, check, required=required) for key, (required, check) in fields.items()}
        return {key: value for key, value in values.items() if key in self.data and value is not None}

    def warn_unknown(self, known, listing: str = "known fields", aliases: dict[str, str] | None = None) -> None:
        """A warning for each key not in ``known``: the close match if there is one, else the keys there are."""
        for key in self.data:
            if key not in known:
                close = suggest(key, known, aliases)
                hint = f"did you mean '{close}'?" if close else f"{listing}: {', '.join(known)}"
                self.add(key, f"unknown field; {hint}", "warning")


def read_fields(data, label: str, fields: dict[str, tuple[bool, Checker]], prefix: str = "", line: int = 1):
    """Check a mapping against declared fields (unknown keys warn); return values and problems."""
    if not isinstance(data, LineDict):
        where = prefix.rstrip(".") or None
        return {}, [Problem(label, f"expected a mapping of field: value, got {found(data)}", line, where)]
    reader = Fields(data, label, prefix, data.start_line)
    values = reader.read_all(fields)
    reader.warn_unknown(tuple(fields))
    return values, reader.problems
