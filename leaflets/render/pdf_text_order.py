"""Draw each right-to-left line so text tools read it right; the page looks the same.

Pango gives a right-to-left line's glyphs in visual order (left to right). Tools
that read the text layer rebuild the text from that drawing, each its own way:

- poppler (pdftotext, and the viewers built on it: copy, search) builds words
  from glyph positions. A vowel mark (a harakat such as ً or ّ) is drawn just
  before its letter and moved onto it; poppler takes the move for a gap and
  splits the word: "علاجًا" reads "عل ًاجا", and a search for "علاجا" fails.
- pypdf reads in drawing order and reverses each right-to-left run, keeping the
  runs in drawing order: a line that mixes Arabic with numbers or Latin reads
  backwards by runs ("قرصان2 يوم الاثنين و) مغم100(").

So each right-to-left line is drawn again, each glyph where it was:

1. each vowel mark in a span whose replacement text (``/ActualText``) is empty:
   poppler reads the letters alone and keeps the word whole ("علاجا", as people
   type it to search); pypdf ignores the span and reads the mark in place;
2. the line's runs in reading order. A line with right-to-left letters is right
   to left unless its element's language is left to right (our pages set `dir`
   by language). Its runs are found with a subset of the Unicode bidi algorithm:
   one separator between digits joins them (W4: "0.1"); a number after Latin
   letters is left to right (W7); neutrals between two runs of one direction
   take it, numbers counting as right to left (N1: "50 - 100"), others the
   line's (N2). The runs are drawn from the last visual one to the first; a
   right-to-left run in several fonts from its last visual piece, since pypdf
   reverses each font's piece on its own.

pypdf still attaches punctuation at a run's edge to the run before it (its
algorithm has no place for it). Screen readers read the structure tree's
``/ActualText``, the exact text with every mark.

Only text objects made of ``Tm``, ``Tf``, ``Ts`` and ``TJ``/``Tj`` (what WeasyPrint
writes) with two-byte glyph codes are rewritten; anything else is left as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import pikepdf
from pikepdf import ContentStreamInstruction, Name, Operator

from .pdf_text_map import entries_of

TEXT_STATE = {"Tm", "Tf", "Ts", "TJ", "Tj"}
NO_TEXT = pikepdf.Dictionary(ActualText=pikepdf.String(""))  # a mark's replacement text in the page content


@dataclass(frozen=True)
class FontFacts:
    widths: dict[int, float]  # glyph code -> advance in thousandths of an em
    default_width: float
    texts: dict[int, str]  # glyph code -> its text (ToUnicode)

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)

    def is_mark(self, code: int) -> bool:
        text = self.texts.get(code, "")
        return bool(text) and all(unicodedata.category(char) in ("Mn", "Me") for char in text)

    def has_right_to_left(self) -> bool:
        return any(map(self.is_right_to_left, self.texts))

    def is_right_to_left(self, code: int) -> bool:
        return self.direction(code) == "R"

    def direction(self, code: int) -> str:
        """R: right-to-left letters; L: left-to-right letters; EN: digits; CS: a separator ("." "," "-" ":");
        N: the rest (spaces, brackets, marks)."""
        classes = {unicodedata.bidirectional(char) for char in self.texts.get(code, "")}
        if classes & {"R", "AL"}:
            return "R"
        if "L" in classes:
            return "L"
        if classes & {"EN", "AN"}:
            return "EN"
        return "CS" if classes and classes <= {"CS", "ES"} else "N"


@dataclass(frozen=True)
class Glyph:
    code: int
    font: Name
    size: float
    rise: float
    x: float  # the pen's position in text space when the glyph is drawn


def draw_in_reading_order(pdf: pikepdf.Pdf, directions: Mapping[tuple[int, int], str] | None = None) -> None:
    """Draw each page's right-to-left lines again (see the module docstring).

    A line is right to left if it has right-to-left letters, unless ``directions`` (by page and MCID, from
    its element's language) says its text is left to right (an Arabic word in an English sentence). A page
    this cannot read is left as it is: the fix never stops a PDF."""
    cache: dict[tuple[int, int], FontFacts | None] = {}
    for index, page in enumerate(pdf.pages):
        try:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            if not any(fact and fact.has_right_to_left() for fact in (_facts(font, cache) for font in fonts.values())):
                continue  # no right-to-left text: the page is not parsed
            instructions = pikepdf.parse_content_stream(page)
            facts_of = partial(_facts_by_name, fonts, cache)
            direction_of = partial(_direction_of, directions or {}, index)
            rewritten = _rewrite(instructions, facts_of, direction_of)
        except (pikepdf.PdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError):
            continue
        if rewritten is not None:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def _facts_by_name(fonts, cache: dict, name) -> FontFacts | None:
    return _facts(fonts.get(name), cache)


def _direction_of(directions: Mapping[tuple[int, int], str], page: int, mcid: int | None) -> str | None:
    return directions.get((page, mcid)) if mcid is not None else None


def _rewrite(instructions, facts_of, direction_of) -> list | None:
    """The page's instructions with each text object's right-to-left lines drawn again; None when none changed."""
    out: list = []
    changed = False
    marked: list[int | None] = []  # the MCID each open marked-content sequence belongs to
    position = 0
    while position < len(instructions):
        operands, operator = instructions[position]
        name = str(operator)
        if name in ("BDC", "BMC"):
            properties = operands[1] if name == "BDC" and len(operands) > 1 else None
            inherited = marked[-1] if marked else None
            own = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            marked.append(int(own) if own is not None else inherited)
        elif name == "EMC" and marked:
            marked.pop()
        if name != "BT":
            out.append(instructions[position])
            position += 1
            continue
        end = next((at for at in range(position, len(instructions)) if str(instructions[at][1]) == "ET"), None)
        if end is None:
            return None
        body = instructions[position + 1 : end]
        moved = _text_object(body, facts_of, direction_of(marked[-1] if marked else None))
        out.append(instructions[position])
        out.extend(moved if moved is not None else body)
        out.append(instructions[end])
        changed = changed or moved is not None
        position = end + 1
    return out if changed else None


def _text_object(body, facts_of, direction: str | None) -> list | None:
    """The text object with each right-to-left line drawn again, or None when none changes or it cannot be read."""
    if not body or str(body[0][1]) != "Tm" or any(str(operator) not in TEXT_STATE for _, operator in body):
        return None
    lines = [[body[0]]]
    for instruction in body[1:]:
        if str(instruction[1]) == "Tm":  # each line starts with its own matrix
            lines.append([])
        lines[-1].append(instruction)
    state = TextState(None, 0.0, 0.0)
    out: list = []
    changed = False
    for line in lines:
        glyphs, end = _glyphs(line[1:], state, facts_of)
        if glyphs is None:
            return None
        has_right_to_left = _right_to_left(glyphs, facts_of)
        right_to_left_line = has_right_to_left and direction != "ltr"  # a number alone keeps its own order
        order = _runs_in_reading_order(glyphs, facts_of) if right_to_left_line else glyphs
        hide_marks = has_right_to_left and any(facts_of(glyph.font).is_mark(glyph.code) for glyph in glyphs)
        if order == glyphs and not hide_marks:
            out += line
        else:
            drawn, drawn_end = _draw(order, facts_of, state.rise, hide_marks=hide_marks)
            out += [line[0], *drawn, *_restore(drawn_end, end)]  # the next line may count on the state
            changed = True
        state = end
    return out if changed else None


@dataclass(frozen=True)
class TextState:
    font: Name | None
    size: float
    rise: float


def _glyphs(instructions, state: TextState, facts_of) -> tuple[list[Glyph] | None, TextState]:
    """The glyphs one line draws, each with its place, and the text state after it; None if unreadable."""
    glyphs: list[Glyph] = []
    font, size, rise, x = state.font, state.size, state.rise, 0.0
    facts = facts_of(font) if font is not None else None
    for operands, operator in instructions:
        name = str(operator)
        if name == "Tf":
            font, size = operands[0], float(operands[1])
            facts = facts_of(font) if size else None  # a size of 0 draws nothing to place
        elif name == "Ts":
            rise = float(operands[0])
        else:
            if facts is None:
                return None, state
            for item in operands[0] if name == "TJ" else [operands[0]]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    if len(data) % 2:
                        return None, state
                    for at in range(0, len(data), 2):
                        code = int.from_bytes(data[at : at + 2], "big")
                        glyphs.append(Glyph(code, font, size, rise, x))
                        x += facts.width(code) / 1000 * size
                else:
                    x -= float(item) / 1000 * size
    return glyphs, TextState(font, size, rise)


def _right_to_left(glyphs: list[Glyph], facts_of) -> bool:
    return any(facts_of(glyph.font).is_right_to_left(glyph.code) for glyph in glyphs)


def _restore(drawn: TextState, wanted: TextState) -> list[ContentStreamInstruction]:
    """Set the font and rise back to what the original line left, if the new drawing left others."""
    out = []
    if (drawn.font, drawn.size) != (wanted.font, wanted.size) and wanted.font is not None:
        out.append(ContentStreamInstruction([wanted.font, wanted.size], Operator("Tf")))
    if drawn.rise != wanted.rise:
        out.append(ContentStreamInstruction([wanted.rise], Operator("Ts")))
    return out


def _runs_in_reading_order(glyphs: list[Glyph], facts_of) -> list[Glyph]:
    """A right-to-left line's runs, last visual run first; each run's glyphs keep their order."""
    kinds = _number_kinds([facts_of(glyph.font).direction(glyph.code) for glyph in glyphs])
    resolved = list(kinds)
    for start, end in _neutral_stretches(kinds):
        # bidi rule N1: numbers count as right to left for the neutrals beside them; N2: else the line's
        before, after = (
            "R" if kind in ("EN", "R") else kind
            for kind in (kinds[start - 1] if start else "R", kinds[end] if end < len(kinds) else "R")
        )
        resolved[start:end] = [before if before == after else "R"] * (end - start)
    runs: list[tuple[str, list[Glyph]]] = []  # (resolved kind, glyphs)
    for glyph, kind in zip(glyphs, resolved, strict=True):
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(glyph)
        else:
            runs.append((kind, [glyph]))
    order: list[Glyph] = []
    for kind, run in reversed(runs):
        right_to_left = kind == "R"
        pieces = _same_font_pieces(run)
        order += [glyph for piece in (reversed(pieces) if right_to_left else pieces) for glyph in piece]
    return order


def _number_kinds(kinds: list[str]) -> list[str]:
    """Bidi rules W4 and W7: one separator between two digits joins them ("0.1"); a number after left-to-right
    letters (none right to left between) is left to right; other separators are neutral."""
    kinds = list(kinds)
    for at in range(1, len(kinds) - 1):
        if kinds[at] == "CS" and kinds[at - 1] == kinds[at + 1] == "EN":
            kinds[at] = "EN"
    strong = "R"
    for at, kind in enumerate(kinds):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            kinds[at] = "L"
    return ["N" if kind == "CS" else kind for kind in kinds]


def _same_font_pieces(run: list[Glyph]) -> list[list[Glyph]]:
    """The run cut where the font changes: a reader reverses each right-to-left piece on its own (pypdf),
    so a right-to-left run's pieces are drawn from the last visual one."""
    pieces: list[list[Glyph]] = []
    for glyph in run:
        last = pieces[-1][-1] if pieces else None
        if last and (last.font, last.size) == (glyph.font, glyph.size):  # a rise (a raised mark) is no cut
            pieces[-1].append(glyph)
        else:
            pieces.append([glyph])
    return pieces


def _neutral_stretches(kinds: list[str]):
    """(start, end) of each stretch of neutral glyphs."""
    start = None
    for position, kind in enumerate([*kinds, "end"]):
        if kind == "N" and start is None:
            start = position
        elif kind != "N" and start is not None:
            yield start, position
            start = None


def _draw(
    glyphs: list[Glyph], facts_of, rise: float, *, hide_marks: bool
) -> tuple[list[ContentStreamInstruction], TextState]:
    """TJ instructions that draw the glyphs, in this order, each at its own place (from the line's start and
    its rise), and the state they leave. With ``hide_marks``, each vowel mark is drawn in a span whose
    replacement text is empty (see the module docstring)."""
    out: list[ContentStreamInstruction] = []
    font, size, pen = None, None, 0.0
    items: list = []

    def end_array():
        if items:
            out.append(ContentStreamInstruction([pikepdf.Array(items)], Operator("TJ")))
            items.clear()

    for glyph in glyphs:
        if (glyph.font, glyph.size) != (font, size):
            end_array()
            font, size = glyph.font, glyph.size
            out.append(ContentStreamInstruction([font, size], Operator("Tf")))
        if glyph.rise != rise:
            end_array()
            rise = glyph.rise
            out.append(ContentStreamInstruction([rise], Operator("Ts")))
        hidden = hide_marks and facts_of(font).is_mark(glyph.code)
        if hidden:
            end_array()
        shift = glyph.x - pen
        if abs(shift) > 1e-9:
            items.append(round(-shift * 1000 / size, 6))
        items.append(pikepdf.String(glyph.code.to_bytes(2, "big")))
        pen = glyph.x + facts_of(font).width(glyph.code) / 1000 * size
        if hidden:
            out.append(ContentStreamInstruction([Name.Span, NO_TEXT], Operator("BDC")))
            end_array()
            out.append(ContentStreamInstruction([], Operator("EMC")))
    end_array()
    return out, TextState(font, size or 0.0, rise)


def _facts(font, cache: dict) -> FontFacts | None:
    """Widths and texts of a composite font's glyphs; None for any other font."""
    if not isinstance(font, pikepdf.Dictionary) or "/DescendantFonts" not in font or "/ToUnicode" not in font:
        return None
    if font.get("/Encoding") != Name("/Identity-H"):  # two-byte glyph codes, written left to right
        return None
    if font.is_indirect and font.objgen in cache:
        return cache[font.objgen]
    descendant = font.DescendantFonts[0]
    widths: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    at = 0
    while at < len(entries):
        first = int(entries[at])
        if isinstance(entries[at + 1], pikepdf.Array):
            widths.update({first + offset: float(width) for offset, width in enumerate(entries[at + 1])})
            at += 2
        else:
            last, width = int(entries[at + 1]), float(entries[at + 2])
            widths.update(dict.fromkeys(range(first, last + 1), width))
            at += 3
    facts = FontFacts(widths, float(descendant.get("/DW", 1000)), entries_of(font.ToUnicode.read_bytes()))
    if font.is_indirect:  # a direct font has no identity of its own: read again where met
        cache[font.objgen] = facts
    return facts
