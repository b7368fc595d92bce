"""Give every glyph of every font a text in its ToUnicode map.

WeasyPrint maps a glyph to the text of the first cluster it is drawn in. When a
cluster has several glyphs (a right-to-left letter with a mark, such as the
medial form of ئ before a tanwin), it gives the cluster's text to one glyph and
an empty text to the others, for the whole document. Copy, search, reflow and
screen readers that use the text layer then lose the letter ("مفاجئًا" reads
"مفاج ً ا"), and PDF/UA validators reject the empty entry.

An empty entry is filled from the embedded font's own character map: the code
point that selects the glyph, in its compatibility form (U+FE8C, the medial
form, becomes U+0626), which is the letter the glyph draws.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pikepdf
from fontTools.ttLib import TTFont

ENTRY_RE = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def fill_empty_text_maps(pdf: pikepdf.Pdf) -> None:
    """Fill each empty ToUnicode entry of each composite font (see the module docstring)."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen or "/ToUnicode" not in font or "/DescendantFonts" not in font:
                continue
            seen.add(font.objgen)
            _fill(font)


def _fill(font: pikepdf.Dictionary) -> None:
    data = font.ToUnicode.read_bytes()
    empty = [int(glyph, 16) for glyph, text in ENTRY_RE.findall(data) if not text]
    if not empty:
        return
    texts = _glyph_texts(font.DescendantFonts[0], empty)

    def fill(match: re.Match) -> bytes:
        glyph, text = int(match.group(1), 16), match.group(2)
        if text or glyph not in texts:
            return match.group(0)
        return b"<%04x> <%s>" % (glyph, texts[glyph].encode("utf-16-be").hex().encode())

    font.ToUnicode.write(ENTRY_RE.sub(fill, data))


def _glyph_texts(descendant: pikepdf.Dictionary, glyphs: list[int]) -> dict[int, str]:
    """glyph id -> the letter the font's character map gives it, for the glyphs asked."""
    program = descendant.FontDescriptor.get("/FontFile2")
    if program is None:
        return {}
    font = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    wanted = set(glyphs)
    texts: dict[int, str] = {}
    for code_point, name in sorted(font.getBestCmap().items()):
        glyph = font.getGlyphID(name)
        if glyph in wanted and glyph not in texts:
            texts[glyph] = unicodedata.normalize("NFKC", chr(code_point))
    return texts
