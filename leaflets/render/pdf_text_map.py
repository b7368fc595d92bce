"""Give every glyph of every font a text in its ToUnicode map.

WeasyPrint maps a glyph to the text of the first cluster it is drawn in. When a
cluster has several glyphs (a right-to-left letter with a mark, such as the
medial form of ئ before a tanwin), it gives the cluster's text to one glyph and
an empty text to the others, for the whole document. Copy, search, reflow and
screen readers that use the text layer then lose the letter ("مفاجئًا" reads
"مفاج ً ا"), and PDF/UA validators reject the empty entry.

The same defect can give the whole cluster's text to a mark: the tanwin glyph
maps to "ئً" for the whole document, so every later "علاجًا" gains a letter.

An entry is corrected from the embedded font's own character map: an empty
entry gets the code point that selects the glyph, in its compatibility form
(U+FE8C, the medial form, becomes U+0626), which is the letter the glyph draws;
an entry of several characters for a glyph the map gives one of them (a mark
given its cluster's text) gets that one. A single character that differs (a
mirrored parenthesis in right-to-left text) is the logical text and is kept.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pikepdf
from fontTools.ttLib import TTFont

ENTRY_RE = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def fill_empty_text_maps(pdf: pikepdf.Pdf) -> None:
    """Correct each empty or cluster-wide ToUnicode entry of each composite font (see the module docstring)."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen or "/ToUnicode" not in font or "/DescendantFonts" not in font:
                continue
            seen.add(font.objgen)
            _fill(font)


def _fill(font: pikepdf.Dictionary) -> None:
    data = font.ToUnicode.read_bytes()
    suspect = [int(glyph, 16) for glyph, text in ENTRY_RE.findall(data) if len(text) != 4]  # not one UTF-16 unit
    if not suspect:
        return
    texts = _glyph_texts(font.DescendantFonts[0], suspect)

    def fill(match: re.Match) -> bytes:
        glyph, text = int(match.group(1), 16), _decoded(match.group(2))
        own = texts.get(glyph, ())
        if (text and (not own or unicodedata.normalize("NFKC", text) in own)) or len(text) == 1:
            return match.group(0)
        found = [char for char in own if char in text] if text else own
        if not found:
            return match.group(0)
        return b"<%04x> <%s>" % (glyph, found[0].encode("utf-16-be").hex().encode())

    font.ToUnicode.write(ENTRY_RE.sub(fill, data))


def _decoded(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace")


def _glyph_texts(descendant: pikepdf.Dictionary, glyphs: list[int]) -> dict[int, list[str]]:
    """glyph id -> the letters the font's character map gives it (lowest code point first), for the glyphs asked."""
    program = descendant.FontDescriptor.get("/FontFile2")
    if program is None:
        return {}
    font = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    wanted = set(glyphs)
    texts: dict[int, list[str]] = {}
    for code_point, name in sorted(font.getBestCmap().items()):
        glyph = font.getGlyphID(name)
        text = unicodedata.normalize("NFKC", chr(code_point))
        if glyph in wanted and text not in texts.setdefault(glyph, []):
            texts[glyph].append(text)
    return texts
