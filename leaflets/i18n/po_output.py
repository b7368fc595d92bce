"""Writing PO files the way GNU gettext (msgmerge, msgcat) and Poedit write them.

Babel's writer breaks the previous msgid (``#|``) of a wrapped message into
comment lines no gettext tool can read, drops ``X-*`` headers and rewraps
everything at its own width. This writer follows gettext's conventions:

- strings are wrapped to ``width`` columns (79 by default, as msgcat and
  Poedit do), breaking after spaces, after a hyphen between letters, around
  CJK characters (counted as two columns) and after every ``\\n``;
- a string too long for its keyword's line starts with ``msgid ""``;
- previous strings are written as ``#| msgid`` lines wrapped like any other;
- the header keeps the catalog's own fields, in its own order.
"""

from __future__ import annotations

import unicodedata

from babel.messages.catalog import Catalog, Message

ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f"}
NO_BREAK_BEFORE = set("!?,.:;)]}…、。，．：；！？）」』】〉》〕］｝ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
NO_BREAK_AFTER = set("([{（「『【〈《〔［｛")
DEFAULT_WIDTH = 79


def escape(text: str) -> str:
    return "".join(ESCAPES.get(ch, ch) for ch in text)


def columns(text: str) -> int:
    """Columns a text takes in a terminal: wide CJK characters two, combining marks none."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _can_break_before(text: str, index: int) -> bool:
    """May a line end just before ``text[index]``? (A small part of Unicode's line-breaking rules.)"""
    before, after = text[index - 1], text[index]
    if after in NO_BREAK_BEFORE or after == " " or before in NO_BREAK_AFTER or before == "\\":
        return False
    if before == " ":
        return True
    if before in "-/" and index >= 2 and text[index - 2].isalpha() and after.isalpha():
        return True
    return _wide(before) or _wide(after)


def _has_break(text: str) -> bool:
    return any(_can_break_before(text, i) for i in range(1, len(text)))


def _pieces(escaped: str) -> list[str]:
    """The escaped string cut after each '\\n' (a forced break)."""
    pieces, start, index = [], 0, 0
    while index < len(escaped):
        if escaped[index] == "\\":
            if escaped[index + 1] == "n":
                pieces.append(escaped[start : index + 2])
                start = index + 2
            index += 2
            continue
        index += 1
    if start < len(escaped) or not pieces:
        pieces.append(escaped[start:])
    return pieces


def _wrap_piece(piece: str, room: int) -> list[str]:
    """Cut one piece into lines of at most ``room`` columns where breaks are allowed (overlong if none)."""
    lines = []
    while columns(piece) > room:
        breaks = [i for i in range(1, len(piece)) if _can_break_before(piece, i)]
        fitting = [i for i in breaks if columns(piece[:i]) <= room]
        cut = fitting[-1] if fitting else (breaks[0] if breaks else len(piece))
        lines.append(piece[:cut])
        piece = piece[cut:]
        if not piece:
            break
    if piece or not lines:
        lines.append(piece)
    return lines


def string_lines(prefix: str, keyword: str, text: str, width: int) -> list[str]:
    """``keyword "text"`` as PO lines, wrapped the way msgcat wraps it."""
    escaped = escape(text)
    pieces = _pieces(escaped)
    first = f'{prefix}{keyword} "{escaped}"'
    room = width - columns(prefix) - 2 if width > 0 else 10**9
    if len(pieces) == 1 and (width <= 0 or columns(first) <= width or not _has_break(escaped)):
        return [first]
    lines = [f'{prefix}{keyword} ""']
    for piece in pieces:
        lines += [f'{prefix}"{line}"' for line in _wrap_piece(piece, room)]
    return lines


def reference_lines(locations, width: int) -> list[str]:
    refs = [f"{path}:{line}" if line else str(path) for path, line in locations]
    lines, current = [], "#:"
    for ref in refs:
        if current != "#:" and width > 0 and columns(current) + 1 + columns(ref) > width:
            lines.append(current)
            current = "#:"
        current += " " + ref
    return [*lines, current] if refs else []


def _flags(message: Message) -> list[str]:
    flags = sorted(message.flags - {"fuzzy"})
    return ["fuzzy", *flags] if "fuzzy" in message.flags else flags


def message_lines(message: Message, width: int, nplurals: int, obsolete: bool = False) -> list[str]:
    """One entry: comments, references, flags, previous strings, then the strings."""
    lines = [f"# {c}".rstrip() for c in message.user_comments]
    lines += [f"#. {c}".rstrip() for c in message.auto_comments]
    if not obsolete:
        lines += reference_lines(message.locations, width)
    flags = _flags(message)
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous = message.previous_id if isinstance(message.previous_id, (list, tuple)) else [message.previous_id]
    previous = [text for text in previous if text]
    prefix = "#~ " if obsolete else ""
    for keyword, text in zip(("msgid", "msgid_plural"), previous, strict=False):
        lines += string_lines("#~| " if obsolete else "#| ", keyword, text, width)
    if message.context is not None:
        lines += string_lines(prefix, "msgctxt", message.context, width)
    if isinstance(message.id, (list, tuple)):
        lines += string_lines(prefix, "msgid", message.id[0], width)
        lines += string_lines(prefix, "msgid_plural", message.id[1], width)
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        strings += [""] * (nplurals - len(strings))
        for index, text in enumerate(strings[: max(nplurals, 1)]):
            lines += string_lines(prefix, f"msgstr[{index}]", text or "", width)
    else:
        lines += string_lines(prefix, "msgid", message.id, width)
        lines += string_lines(prefix, "msgstr", message.string or "", width)
    return lines


def header_lines(header_comment: str, headers: list[tuple[str, str]], fuzzy: bool, width: int) -> list[str]:
    lines = [line if line.startswith("#") else f"# {line}".rstrip() for line in header_comment.splitlines()]
    if fuzzy:
        lines.append("#, fuzzy")
    text = "".join(f"{name}: {value}\n" for name, value in headers)
    return [*lines, 'msgid ""', *string_lines("", "msgstr", text, width)]


def format_po(catalog: Catalog, header_comment: str, headers: list[tuple[str, str]], width: int = DEFAULT_WIDTH) -> str:
    """The whole PO file: the header, every message in order, then the obsolete ones."""
    nplurals = catalog.num_plurals if catalog.locale else 2
    entries = [header_lines(header_comment, headers, catalog.fuzzy, width)]
    entries += [message_lines(m, width, nplurals) for m in catalog if m.id]
    entries += [message_lines(m, width, nplurals, obsolete=True) for m in catalog.obsolete.values()]
    return "\n\n".join("\n".join(entry) for entry in entries) + "\n"


CONTINUATION_PREFIXES = ('"', '#| "', '#~ "', '#~| "')


def unwrapped(text: str) -> list[str]:
    """A PO text with every string and every reference list on one line: two files that differ only in how
    they were wrapped (by msgcat, Poedit or any other tool) give the same lines."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        prefix = next((p for p in CONTINUATION_PREFIXES if line.startswith(p)), None)
        if prefix and lines and lines[-1].endswith('"'):
            lines[-1] = lines[-1][:-1] + line[len(prefix) :]  # '... "abc' + 'def"'
        elif line.startswith("#: ") and lines and lines[-1].startswith("#: "):
            lines[-1] += line[2:]
        elif line.strip():
            lines.append(line)
    return lines
