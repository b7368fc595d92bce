"""Reading PO files as gettext would, refusing what gettext would garble.

In order, each step naming the file and line of the first problem it finds:

1. the bytes are decoded by the charset the header declares (an unknown
   charset, or bytes that are not in it, are refused);
2. a legacy charset (cp1250, ISO-8859-2...) on bytes that are really UTF-8,
   and text that is UTF-8 read as a legacy charset and saved again, are
   refused: both would publish mojibake ("ktÃ³re") in every page and PDF;
3. every line is a comment, a keyword with a closed string, or a string;
4. the ``Plural-Forms`` rule is parsed safely (:mod:`leaflets.i18n.plural_rule`)
   and its ``nplurals`` must be CLDR's for the catalog's language;
5. Babel reads the catalog; its syntax errors are given 1-based lines.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

from ..errors import ContentError, Problem
from .plural_rule import PluralRuleError, parse_plural_forms

CHARSET_RE = re.compile(rb"charset=([^\s\\\"]+)")
STRING = r'"(?:[^"\\]|\\.)*"'
LINE_RE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{STRING}$")
PREFIXED_RE = re.compile(r"^#~?\|?\s?|^#~\s?")
PLURAL_INDEX_RE = re.compile(r"msgstr\[(\d+)\]")
LEGACY_CHARSETS = ("cp1252", "cp1250", "latin-1")
MOJIBAKE_HINT_RE = re.compile("[\u00c2-\u00c5\u00c3\u0102\u0139\u0104\u00e2][\u0080-\u02ff\u2018-\u203a\u20ac]")


@dataclass
class PoSource:
    """A PO file's text and header as written, for messages with lines and for rewriting it."""

    label: str
    lines: list[str]
    headers: list[tuple[str, str]] = field(default_factory=list)  # in file order
    header_lines: dict[str, int] = field(default_factory=dict)

    def msgstr_line(self, msgid_line: int | None) -> int | None:
        """The line of the msgstr that follows the msgid on ``msgid_line`` (1-based)."""
        if msgid_line is None:
            return None
        for number in range(msgid_line, min(len(self.lines), msgid_line + 200) + 1):
            if self.lines[number - 1].lstrip("#~ ").startswith("msgstr"):
                return number
        return msgid_line


def _problem(label: str, message: str, line: int | None = None) -> ContentError:
    return ContentError([Problem(label, message, line)])


def declared_charset(data: bytes) -> str:
    """The charset the header declares ('utf-8' when none, or the POT placeholder 'CHARSET')."""
    match = CHARSET_RE.search(data[:8192])
    name = match.group(1).decode("ascii", "replace") if match else "utf-8"
    return "utf-8" if name.upper() == "CHARSET" else name


def decode_po(data: bytes, label: str) -> str:
    """The text of a PO file, decoded by its declared charset; mojibake refused."""
    name = declared_charset(data)
    header_line = data[: data.find(b"charset=")].count(b"\n") + 1 if b"charset=" in data else 1
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise _problem(label, f"Content-Type: unknown charset '{name[:40]}'; use charset=UTF-8", header_line) from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            label,
            f"bytes are not valid {name} (byte 0x{data[exc.start]:02x}); save the file as UTF-8 with charset=UTF-8",
            line,
        ) from None
    if codec != "utf-8" and _is_utf8(data):
        line = next(n for n, raw in enumerate(data.split(b"\n"), 1) if max(raw, default=0) >= 0x80)
        raise _problem(
            label,
            f"the header says charset={name} but the text is UTF-8; it would be shown garbled "
            f"('{_first_non_ascii(text)}'); set charset=UTF-8",
            line,
        )
    _refuse_double_encoding(text, label)
    return text.lstrip("\ufeff")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte >= 0x80 for byte in data)


def _first_non_ascii(text: str) -> str:
    for line in text.splitlines():
        match = re.search(r"\S*[^\x00-\x7f]\S*", line)
        if match:
            return match.group()[:30]
    return ""


def _refuse_double_encoding(text: str, label: str) -> None:
    """UTF-8 text once read as a legacy charset and saved again as UTF-8 ('ktÃ³re' for 'które')."""
    for number, line in enumerate(text.splitlines(), 1):
        if not MOJIBAKE_HINT_RE.search(line):
            continue
        for legacy in LEGACY_CHARSETS:
            try:
                repaired = line.encode(legacy).decode("utf-8")
            except UnicodeError:
                continue
            if repaired != line:
                word = next(w for w in line.split() if MOJIBAKE_HINT_RE.search(w))
                raise _problem(
                    label,
                    f"garbled text ('{word[:30].strip(chr(34))}'): UTF-8 that was read as {legacy} and saved "
                    "again; restore the file from the translator's original",
                    number,
                )


def check_lines(lines: list[str], label: str) -> None:
    """Every line is blank, a comment, a keyword and a closed string, or a continued string."""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#|", "#~"))):
            continue
        body = PREFIXED_RE.sub("", stripped, count=1).strip() if stripped.startswith("#") else stripped
        if LINE_RE.match(body):
            continue
        if body.count('"') % 2 or body.endswith('\\"'):
            raise _problem(label, "invalid PO file: a string is not closed (end-of-line within string)", number)
        raise _problem(label, f"invalid PO file: expected a keyword and a quoted string, got '{stripped[:40]}'", number)


def parse_header(lines: list[str]) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The header's fields in order, with the line each starts on (an empty list if there is no header)."""
    text, starts, in_header = "", {}, False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not in_header:
            if stripped == 'msgstr ""':
                in_header = True
            elif stripped.startswith(("msgctxt", "msgstr")) or (
                stripped.startswith("msgid") and stripped != 'msgid ""'
            ):
                return [], {}
            continue
        if not stripped.startswith('"'):
            break
        starts.setdefault(len(text), number)
        text += _unquote(stripped)
    fields, headers, offset = [], {}, 0
    for raw in text.split("\n"):
        name, _, value = raw.partition(":")
        if raw.strip():
            fields.append((name.strip(), value.strip()))
            headers[name.strip()] = max((line for start, line in starts.items() if start <= offset), default=1)
        offset += len(raw) + 1
    return fields, headers


def _unquote(quoted: str) -> str:
    return codecs.decode(quoted[1:-1].encode("latin-1", "backslashreplace"), "unicode_escape") if quoted else ""


def check_plural_forms(source: PoSource, lang: str) -> None:
    """The Plural-Forms header is safe and has CLDR's number of forms for the language."""
    headers = dict(source.headers)
    line = source.header_lines.get("Plural-Forms")
    value = headers.get("Plural-Forms")
    if value is None:
        return
    try:
        nplurals, _rule = parse_plural_forms(value)
    except PluralRuleError as exc:
        raise _problem(source.label, f"Plural-Forms: {exc}", line) from None
    expected = get_plural(lang.replace("-", "_"))
    if nplurals != expected.num_plurals:
        raise _problem(
            source.label,
            f"Plural-Forms: nplurals={nplurals}, but CLDR gives '{lang}' {expected.num_plurals} plural form(s); "
            f"use: {expected.plural_forms}",
            line,
        )
    _check_plural_indices(source, nplurals)


def _check_plural_indices(source: PoSource, nplurals: int) -> None:
    for number, line in enumerate(source.lines, 1):
        match = PLURAL_INDEX_RE.match(line.lstrip("#~ "))
        if match and int(match.group(1)) >= nplurals:
            raise _problem(
                source.label,
                f"msgstr[{match.group(1)}]: this catalog has {nplurals} plural forms, "
                f"msgstr[0] to msgstr[{nplurals - 1}]",
                number,
            )


def read_po_source(data: bytes, label: str, lang: str) -> tuple[Catalog, PoSource]:
    """Decode, check and parse a PO file; every problem a ContentError with its line."""
    text = decode_po(data, label)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    check_lines(lines, label)
    headers, header_lines = parse_header(lines)
    source = PoSource(label, lines, headers, header_lines)
    check_plural_forms(source, lang)
    text = "\n".join(f"# ~|{line[3:]}" if line.startswith("#~|") else line for line in lines) + "\n"
    try:
        catalog = read_po(io.StringIO(text), locale=lang.replace("-", "_"), abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        reason = re.sub(r" on \d+$", "", str(exc))
        reason = reason[:1].lower() + reason[1:]
        raise _problem(label, f"invalid PO file: {reason}: '{exc.line.strip()[:40]}'", exc.lineno + 1) from None
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog, source


def _restore_previous(message) -> None:
    """Babel reads ``#| msgid "..."`` lines as translator comments; make them the previous msgid again."""
    previous: dict[str, str] = {}
    keyword, kept = "", []
    for comment in message.user_comments:
        body = comment.lstrip("~").strip()
        if not body.startswith("|"):
            kept.append(comment)
            continue
        body = body[1:].strip()
        if not body.startswith('"'):
            keyword, _, body = body.partition(" ")
        previous[keyword] = previous.get(keyword, "") + _unquote(body.strip())
    message.user_comments = kept
    ids = [previous[key] for key in ("msgid", "msgid_plural") if key in previous]
    if ids:
        message.previous_id = ids
