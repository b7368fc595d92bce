"""Braille Ready Files (BRF) from plain leaflet text, with liblouis.

liblouis (``lou_translate`` from Debian's liblouis-bin) translates each block
to Unicode braille with the language's table (``braille:`` in site.yaml: UEB
grade 2 for English, uncontracted tables elsewhere). This module only lays the
cells out, as an embosser page expects:

- 40 cells a line, 25 lines a page, CR LF line ends, a form feed after each page;
- the braille page number at the right of the first line of every page;
- headings centred with a blank line before and after; sub-headings and callout
  titles ("Warning: ...") from cell 5; paragraphs from cell 3, running on from
  cell 1; list items from cell 1, running on from cell 3;
- a heading is never left alone at the foot of a page.

The cells are then written in North American Braille ASCII, the BRF code, read
from liblouis's own display table ``en-us-brf.dis``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import BuildError
from .spoken_text import LeafletPlainText, TextBlock

CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
BLANK = "\u2800"  # the empty braille cell
TABLE_PATH = [Path(folder) for folder in os.environ.get("LOUIS_TABLEPATH", "/usr/share/liblouis/tables").split(",")]
TABLES_DIR = TABLE_PATH[0]
BRF_DISPLAY_TABLE = "en-us-brf.dis"
INDENTS = {"title": (0, 0), "heading": (4, 4), "paragraph": (2, 0), "item": (0, 2), "line": (0, 2)}


class BrailleUnavailable(BuildError):
    """The language's table is missing or gives cells a 6-dot embosser cannot print."""


def lou_translate(lines: list[str], table: str, backward: bool = False) -> list[str]:
    """Translate each line with liblouis: text to Unicode braille, or (backward) BRF to text."""
    display = BRF_DISPLAY_TABLE if backward else "unicode.dis"
    flag = "--backward" if backward else "--forward"
    # lou_translate reads backslash escapes (\x41) in its input: a backslash (BRF's dots 1-2-5-6) is doubled.
    clean = [" ".join(line.split()).replace("\\", "\\\\") or " " for line in lines]
    try:
        result = subprocess.run(
            ["lou_translate", flag, f"{display},{table}"],
            input="\n".join(clean) + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except FileNotFoundError:
        raise BrailleUnavailable("lou_translate not found; install Debian's liblouis-bin") from None
    output = result.stdout.split("\n")[: len(clean)]
    if result.returncode or result.stdout.count("\n") < len(clean):  # a table that fails to load prints nothing
        raise BrailleUnavailable(f"Braille table '{table}' {why_not_compiled(table, result.stderr)}")
    return output


def why_not_compiled(table: str, stderr: str) -> str:
    """liblouis's reason, in words: the table is not installed, or the first error it found in it."""
    if not any((folder / name).is_file() for folder in TABLE_PATH for name in table.split(",")):
        return f"is not installed (no such file in {TABLES_DIR}; `ls {TABLES_DIR}` lists the tables)"
    errors = [line for line in stderr.splitlines() if line.strip() and "could not be compiled" not in line]
    return "cannot be compiled by liblouis: " + (errors[0] if errors else "it gave no translation")


@cache
def brf_code() -> dict[int, str]:
    """Dot pattern (bit 0 = dot 1 ... bit 5 = dot 6) -> BRF character, from liblouis's en-us-brf.dis."""
    code = {}
    for line in (TABLES_DIR / BRF_DISPLAY_TABLE).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "display":
            char = liblouis_char(parts[1])
            bits = sum(1 << (int(dot) - 1) for dot in parts[2] if dot != "0")
            code.setdefault(bits, char)
    return code


def liblouis_char(token: str) -> str:
    """A character as liblouis tables write it: '\\s' is a space, '\\\\' a backslash, '\\x41' is 'A'."""
    if token.startswith("\\x"):
        return chr(int(token[2:], 16))
    return {"\\s": " ", "\\\\": "\\"}.get(token, token)


def to_brf(cells: str) -> str:
    """Unicode braille cells to BRF characters."""
    code = brf_code()
    return "".join(code[ord(cell) - 0x2800] for cell in cells)


def check_six_dot(lines: list[str], cells: list[str], table: str) -> None:
    """Refuse cells a BRF cannot hold (8-dot computer braille, or a character the table has no braille for),
    naming the letters of ``lines`` (the text ``cells`` was translated from) that gave them."""
    bad = sorted({cell for line in cells for cell in line if not is_six_dot(cell)})
    if not bad:
        return
    letters = sorted({char for line in lines for char in line if char.strip()}, key=lambda c: (not c.isalpha(), c))
    alone = lou_translate(letters, table)  # each character on its own: which ones give such cells
    eight_dot = [char for char, out in zip(letters, alone, strict=True) if any(is_eight_dot(c) for c in out)]
    unwritten = [char for char, out in zip(letters, alone, strict=True) if any(not is_braille(c) for c in out)]
    reasons = []
    if unwritten:
        reasons.append(f"has no braille for {letter_list(unwritten)}")
    if eight_dot:
        reasons.append(f"writes {letter_list(eight_dot)} as an 8-dot cell")
    if not reasons:  # only in context (a contraction): name the cells
        reasons.append(f"gives {', '.join(f'U+{ord(cell):04X}' for cell in bad[:5])}")
    raise BrailleUnavailable(f"Braille table '{table}' {' and '.join(reasons)}, which a BRF (6-dot) cannot hold")


def is_braille(char: str) -> bool:
    return 0x2800 <= ord(char) <= 0x28FF


def is_eight_dot(char: str) -> bool:
    return 0x2840 <= ord(char) <= 0x28FF


def is_six_dot(char: str) -> bool:
    return 0x2800 <= ord(char) <= 0x283F


def letter_list(chars: list[str], most: int = 6) -> str:
    """ "'і' (U+0456), 'ї' (U+0457)": the letters themselves, then their code points (some look alike)."""
    named = [f"'{char}' (U+{ord(char):04X})" if char.isprintable() else f"U+{ord(char):04X}" for char in chars]
    if len(named) > most:
        return ", ".join(named[:most]) + f" and {len(named) - most} more"
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def wrap(cells: str, first_indent: int, rest_indent: int, width: int = CELLS_PER_LINE) -> list[str]:
    """Break a line of cells at blank cells; a word too long for a line is cut."""
    lines: list[str] = []
    line = BLANK * first_indent
    for word in (w for w in cells.split(BLANK) if w):
        indent = BLANK * (rest_indent if lines else first_indent)
        joined = line + BLANK + word if line.strip(BLANK) else indent + word
        if len(joined) <= width:
            line = joined
            continue
        if line.strip(BLANK):
            lines.append(line)
        line = BLANK * rest_indent + word
        while len(line) > width:
            lines.append(line[:width])
            line = BLANK * rest_indent + line[width:]
    if line.strip(BLANK):
        lines.append(line)
    return lines


def centre(cells: str, width: int = CELLS_PER_LINE) -> list[str]:
    return [BLANK * ((width - len(line)) // 2) + line for line in wrap(cells, 0, 0, width - 4)]


@dataclass
class BraillePages:
    """Fills embosser pages line by line; each page gets its number on line 1."""

    pages: list[list[str]] = field(default_factory=list)  # line 1 of each is left for its number

    def room(self) -> int:
        return LINES_PER_PAGE - len(self.pages[-1]) if self.pages else 0

    def new_page(self) -> None:
        self.pages.append([""])

    def add(self, lines: list[str], blank_before: bool = False, keep_with_next: int = 0) -> None:
        """Add lines; a heading (``keep_with_next`` > 0) moves to a new page unless it and that many more fit."""
        needed = len(lines) + blank_before + keep_with_next if keep_with_next else 1
        if self.room() < min(needed, LINES_PER_PAGE - 1):
            self.new_page()
        if blank_before:
            self.blank()
        for line in lines:
            if not self.room():
                self.new_page()
            self.pages[-1].append(line)

    def blank(self) -> None:
        """A blank line, unless at the top or foot of a page or after another blank line."""
        if self.pages and self.pages[-1][-1] and self.room():
            self.pages[-1].append("")

    def brf(self, table: str) -> bytes:
        """The pages in BRF, each numbered at the right of its first line with the language's digits."""
        numbers = lou_translate([str(n) for n in range(1, len(self.pages) + 1)], table)
        text = []
        for page, number in zip(self.pages, numbers, strict=True):
            lines = [BLANK * (CELLS_PER_LINE - len(number)) + number, *page[1:]]
            text.append("\r\n".join(to_brf(line).rstrip() for line in lines) + "\r\n\f")
        return "".join(text).encode("ascii")


@dataclass(frozen=True)
class BrailleItem:
    kind: str  # "title", "heading", "subheading", "paragraph", "item" or "line"
    text: str


def braille_cells(lines: list[str], table: str) -> list[str]:
    """Every line in 6-dot Unicode braille, in one liblouis run; BrailleUnavailable names what a BRF cannot
    hold. The page numbers' digits are part of what is checked."""
    numbers = [str(n) for n in range(1, 10)]
    cells = lou_translate(lines + numbers, table)
    check_six_dot(lines + numbers, cells, table)
    return cells[: len(lines)]


def braille_document(items: list[BrailleItem], table: str) -> bytes:
    """Translate every item in one liblouis run, then lay the cells out on pages."""
    cells = braille_cells([item.text for item in items], table)
    pages = BraillePages()
    for item, item_cells in zip(items, cells, strict=True):
        if item.kind in ("title", "heading"):
            pages.add(centre(item_cells), blank_before=True, keep_with_next=2)
            pages.blank()
        else:
            first, rest = INDENTS["heading" if item.kind == "subheading" else item.kind]
            keep = 2 if item.kind == "subheading" else 0
            pages.add(wrap(item_cells, first, rest), blank_before=item.kind == "subheading", keep_with_next=keep)
    return pages.brf(table)


def block_item(block: TextBlock) -> BrailleItem:
    kind = {"heading": "subheading"}.get(block.kind, block.kind)
    return BrailleItem(kind, f"{block.marker} {block.text}".strip())


def leaflet_items(text: LeafletPlainText) -> list[BrailleItem]:
    """The title page lines, then every section's heading and blocks."""
    items = [BrailleItem("title", text.title)] + [BrailleItem("paragraph", line) for line in text.intro[1:]]
    for section in text.sections:
        items.append(BrailleItem("heading", section.heading))
        items.extend(block_item(block) for block in section.blocks)
    return items


def leaflet_brf(text: LeafletPlainText, table: str) -> bytes:
    """A whole leaflet in one language as a BRF file."""
    return braille_document(leaflet_items(text), table)


def brf_pages(data: bytes) -> list[list[str]]:
    """A BRF file's pages, each a list of lines (for checks and back-translation)."""
    text = data.decode("ascii")
    return [page.split("\r\n")[:-1] for page in text.split("\f")[:-1]]


def brf_problem(text: LeafletPlainText, table: str) -> str:
    """Why ``table`` cannot make this leaflet's BRF (every character it would carry is tried), or ''."""
    try:
        braille_cells([item.text for item in leaflet_items(text)], table)
    except BrailleUnavailable as error:
        return str(error)
    return ""
