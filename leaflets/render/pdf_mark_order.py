"""Draw a right-to-left word's vowel marks before its letters, so text extraction keeps the word whole.

Pango gives a right-to-left line's glyphs in visual order, each mark (a harakat
such as ً or ّ) just before its letter and moved onto it by an offset. Tools that
rebuild words from glyph positions (poppler's pdftotext, and the viewers built on
it: copy, search) take that offset for a gap and split the word: "علاجًا" reads
"عل ًاجا", and a search for "علاجا" fails. The drawing is the same whichever order
the glyphs are drawn in, so each such word's marks are drawn first, at the places
they were drawn, then its letters: the letters stay one run, and tools that read
in drawing order (pypdf) put the marks at the word's logical end. A word with a
letter of no width (the alef of a lam-alef, drawn over its lam) keeps its order:
poppler splits it there whatever the order, and a mark drawn apart would then
land between the halves ("أولًا" would read "أو ًلا"). Screen readers
read the structure tree's ``/ActualText``, which keeps every mark in place.

Only text objects made of ``Tm``, ``Tf``, ``Ts`` and ``TJ``/``Tj`` (what WeasyPrint
writes) with two-byte glyph codes are rewritten; anything else is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pikepdf
from pikepdf import ContentStreamInstruction, Name, Operator

TEXT_STATE = {"Tm", "Tf", "Ts", "TJ", "Tj"}
ENTRY_RE = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


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

    def is_space(self, code: int) -> bool:
        return self.texts.get(code, "").isspace()

    def has_right_to_left_marks(self) -> bool:
        return any(map(self.is_mark, self.texts)) and any(map(self.is_right_to_left, self.texts))

    def is_right_to_left(self, code: int) -> bool:
        return any(unicodedata.bidirectional(char) in ("R", "AL") for char in self.texts.get(code, ""))


@dataclass(frozen=True)
class Glyph:
    code: int
    font: Name
    size: float
    rise: float
    x: float  # the pen's position in text space when the glyph is drawn


def draw_marks_first(pdf: pikepdf.Pdf) -> None:
    """Rewrite each page whose right-to-left words carry marks (see the module docstring)."""
    cache: dict[tuple[int, int], FontFacts | None] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        facts = [_facts(font, cache) for font in fonts.values()]
        if not any(fact and fact.has_right_to_left_marks() for fact in facts):
            continue  # nothing to move: the page is not parsed
        instructions = pikepdf.parse_content_stream(page)
        rewritten = _rewrite(instructions, lambda name, fonts=fonts: _facts(fonts.get(name), cache))
        if rewritten is not None:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def _rewrite(instructions, facts_of) -> list | None:
    """The page's instructions with each text object's marks moved; None when nothing moved."""
    out: list = []
    changed = False
    position = 0
    while position < len(instructions):
        operands, operator = instructions[position]
        if str(operator) != "BT":
            out.append(instructions[position])
            position += 1
            continue
        end = next((at for at in range(position, len(instructions)) if str(instructions[at][1]) == "ET"), None)
        if end is None:
            return None
        body = instructions[position + 1 : end]
        moved = _text_object(body, facts_of)
        out.append(instructions[position])
        out.extend(moved if moved is not None else body)
        out.append(instructions[end])
        changed = changed or moved is not None
        position = end + 1
    return out if changed else None


def _text_object(body, facts_of) -> list | None:
    """The text object drawn with marks first, or None when it has no such word or cannot be read."""
    if not body or str(body[0][1]) != "Tm" or any(str(operator) not in TEXT_STATE for _, operator in body):
        return None
    glyphs: list[Glyph] = []
    font, size, rise, x = None, 0.0, 0.0, 0.0
    facts: FontFacts | None = None
    for operands, operator in body[1:]:
        name = str(operator)
        if name == "Tm":
            return None  # one line per text object: a second matrix is not expected
        if name == "Tf":
            font, size = operands[0], float(operands[1])
            facts = facts_of(font)
            if facts is None:
                return None
        elif name == "Ts":
            rise = float(operands[0])
        else:
            if facts is None:
                return None
            for item in operands[0] if name == "TJ" else [operands[0]]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    if len(data) % 2:
                        return None
                    for at in range(0, len(data), 2):
                        code = int.from_bytes(data[at : at + 2], "big")
                        glyphs.append(Glyph(code, font, size, rise, x))
                        x += facts.width(code) / 1000 * size
                else:
                    x -= float(item) / 1000 * size
    order = _marks_first(glyphs, facts_of)
    if order is None:
        return None
    return [body[0], *_draw(order, facts_of)]


def _marks_first(glyphs: list[Glyph], facts_of) -> list[Glyph] | None:
    """Each right-to-left word's marks, then its other glyphs; None when no word changes."""
    order: list[Glyph] = []
    word: list[Glyph] = []
    changed = False

    def flush():
        nonlocal changed
        facts = [facts_of(glyph.font) for glyph in word]
        marks = [glyph for glyph, fact in zip(word, facts, strict=True) if fact.is_mark(glyph.code)]
        letters = [glyph for glyph, fact in zip(word, facts, strict=True) if not fact.is_mark(glyph.code)]
        right_to_left = any(fact.is_right_to_left(glyph.code) for glyph, fact in zip(word, facts, strict=True))
        overlaid = any(fact.width(glyph.code) == 0 for glyph, fact in zip(word, facts, strict=True) if glyph in letters)
        if marks and letters and right_to_left and not overlaid and word[: len(marks)] != marks:
            order.extend(marks + letters)
            changed = True
        else:
            order.extend(word)
        word.clear()

    for glyph in glyphs:
        if facts_of(glyph.font).is_space(glyph.code):
            flush()
            order.append(glyph)
        else:
            word.append(glyph)
    flush()
    return order if changed else None


def _draw(glyphs: list[Glyph], facts_of) -> list[ContentStreamInstruction]:
    """TJ instructions that draw the glyphs, in this order, each at its own place."""
    out: list[ContentStreamInstruction] = []
    font, size, rise, pen = None, None, 0.0, 0.0
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
        shift = glyph.x - pen
        if abs(shift) > 1e-9:
            items.append(round(-shift * 1000 / size, 6))
        items.append(pikepdf.String(glyph.code.to_bytes(2, "big")))
        pen = glyph.x + facts_of(font).width(glyph.code) / 1000 * size
    end_array()
    return out


def _facts(font, cache: dict) -> FontFacts | None:
    """Widths and texts of a composite font's glyphs; None for any other font."""
    if font is None or "/DescendantFonts" not in font or "/ToUnicode" not in font:
        return None
    if font.objgen in cache:
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
    texts = {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
        for code, text in ENTRY_RE.findall(font.ToUnicode.read_bytes())
    }
    facts = FontFacts(widths, float(descendant.get("/DW", 1000)), texts)
    cache[font.objgen] = facts
    return facts
