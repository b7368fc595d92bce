"""Resource limits for leaflet Markdown, checked on the source before it is parsed.

Python-Markdown is pure Python and recursive. A list nested a few hundred deep
exhausts the stack (``RecursionError``). Each unclosed ``[`` makes it scan the
rest of its paragraph, and each ``<`` that starts a tag makes its HTML scanner
search the rest of the file, so the time grows with the square of their number
(a 20 KB line of ``[`` took over a minute). Text within these limits parses in
a few seconds at worst; a real leaflet (about 5 KB) stays far below them.
"""

from __future__ import annotations

import re

from ..errors import Problem

MAX_MARKDOWN_BYTES = 128 * 1024
MAX_LINE_CHARS = 2000
MAX_BLOCKS = 2000  # each paragraph, list or callout costs a fixed time to parse
MAX_BLOCK_CHARS = 6000  # a block: the lines between two blank lines
MAX_BRACKETS_PER_BLOCK = 30  # '[' starts a link; each one is matched against the rest of its block
MAX_BRACKETS = 1000
MAX_TAG_STARTS = 50  # '<' before a letter, '/', '!' or '?' (raw HTML, refused anyway), each ended by '>'
MAX_DEPTH = 6  # lists, quotes and callouts inside each other
# One container marker: a quote '>', a bullet or a number followed by a space.
MARKER_RE = re.compile(r" {0,3}(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$)) ?")
TAG_START_RE = re.compile(r"<[A-Za-z/!?]")


def nesting_depth(line: str) -> int:
    """How many containers a line is inside (counted up to MAX_DEPTH + 1).

    Each 4 columns of indentation and each marker count one.
    """
    text, depth, at = line.expandtabs(4), 0, 0
    while depth <= MAX_DEPTH:
        indent = len(text) - at - len(text[at:].lstrip(" "))
        depth += indent // 4
        at += indent - indent % 4
        marker = MARKER_RE.match(text, at)
        if not marker:
            break
        depth += 1
        at = marker.end()
    return depth


def inline_problem(text: str) -> str | None:
    """Why one block of inline text (a paragraph or one translated segment) is too big to parse, or None."""
    if len(text) > MAX_BLOCK_CHARS:
        return f"paragraph is {len(text)} characters long; the limit is {MAX_BLOCK_CHARS}; split it"
    brackets = text.count("[")
    if brackets > MAX_BRACKETS_PER_BLOCK:
        return f"{brackets} '[' characters in one paragraph; the limit is {MAX_BRACKETS_PER_BLOCK}"
    return None


def check_markdown_limits(source: str, label: str, first_line: int = 1) -> list[Problem]:
    """The first line that exceeds each limit, one problem a line; the whole file's limits only if no line failed."""
    lines = source.split("\n")
    by_line: dict[int, str] = {}
    for line, message in sorted([*_line_problems(lines, first_line), *_block_problems(lines, first_line)]):
        by_line.setdefault(line, message)
    if not by_line:
        return [Problem(label, message) for message in _file_problems(source)]
    return [Problem(label, message, line) for line, message in by_line.items()]


def _line_problems(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines, first_line):
        if len(line) > MAX_LINE_CHARS and "line" not in found:
            found["line"] = (number, f"line is {len(line)} characters long; the limit is {MAX_LINE_CHARS}; break it up")
        if "depth" not in found and nesting_depth(line[:MAX_LINE_CHARS]) > MAX_DEPTH:
            message = f"lists, quotes or callouts nested more than {MAX_DEPTH} deep; check the indentation"
            found["depth"] = (number, message)
    return list(found.values())


def _blocks(lines: list[str], first_line: int):
    """(first line, text) of each run of non-blank lines."""
    block: list[str] = []
    for number, line in enumerate([*lines, ""], start=first_line):
        if line.strip():
            block.append(line)
        elif block:
            yield number - len(block), "\n".join(block)
            block = []


def _block_problems(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    found = []
    for count, (line, text) in enumerate(_blocks(lines, first_line), start=1):
        if count > MAX_BLOCKS:
            found.append((line, f"more than {MAX_BLOCKS} paragraphs, lists and callouts in one file"))
            break
        problem = None if found else _block_problem(text, line)
        if problem:
            found.append(problem)
    return found


def _block_problem(text: str, line: int) -> tuple[int, str] | None:
    reason = inline_problem(text)
    if reason:
        return line, reason
    unended = TAG_START_RE.search(
        text, text.rfind(">") + 1
    )  # Python's HTML parser would seek its end to the end of the file
    if unended:
        message = (
            f"'{unended.group()}' starts an HTML tag that never ends; raw HTML is not allowed; write plain Markdown"
        )
        return line + text.count("\n", 0, unended.start()), message
    return None


def _file_problems(source: str) -> list[str]:
    found = []
    brackets = source.count("[")
    if brackets > MAX_BRACKETS:
        found.append(f"{brackets} '[' characters in one file; the limit is {MAX_BRACKETS}")
    tags = sum(1 for _ in TAG_START_RE.finditer(source))
    if tags > MAX_TAG_STARTS:
        found.append(f"{tags} HTML tags ('<' and a letter); raw HTML is not allowed; write plain Markdown")
    return found
