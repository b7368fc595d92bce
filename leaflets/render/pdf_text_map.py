"""Give every glyph of every font its own text in its ToUnicode map.

WeasyPrint maps a glyph to the text of the first cluster it is drawn in. When a
cluster has several glyphs (a right-to-left letter with a mark, such as the
medial form of ئ before a tanwin), it gives the cluster's text to one glyph and
an empty text to the others, for the whole document. Copy, search, reflow and
screen readers that use the text layer then lose the letter ("مفاجئًا" reads
"مفاج ً ا"), and PDF/UA validators reject the empty entry. The same defect can
give the whole cluster's text to a mark: the tanwin glyph maps to "ئً" for the
whole document, so every later "علاجًا" gains a letter.

Each glyph's own text comes from the font: its code point in the character map,
in compatibility form (U+FE8C, the medial form, becomes U+0626); for a glyph no
code point selects (a contextual form, a ligature), from the installed font's
substitutions (GSUB: the glyph it replaces, or the glyphs a ligature joins),
since the embedded subset has no GSUB. Then:

- an empty entry gets the glyph's own text;
- an entry of several characters, for a glyph whose own text is one of them (a
  mark given its cluster's text), gets its own text, if every character taken
  away is another glyph's text in the same font: a letter is never lost;
- a single character that differs (a mirrored parenthesis in right-to-left
  text) is the logical text and is kept.

A font this cannot read is left as it is: the fix never stops a PDF.
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache

import pikepdf
from fontTools.ttLib import TTFont

from .fonts import font_file

BFCHAR_RE = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
ENTRY_RE = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def fill_empty_text_maps(pdf: pikepdf.Pdf) -> None:
    """Correct each empty or cluster-wide ToUnicode entry of each composite font (see the module docstring)."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if not isinstance(font, pikepdf.Dictionary) or "/ToUnicode" not in font or "/DescendantFonts" not in font:
                continue
            if font.is_indirect:  # a direct font belongs to its page alone
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
            try:
                _fill(font)
            except (pikepdf.PdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError):
                continue  # an unreadable font keeps WeasyPrint's map


def entries_of(data: bytes) -> dict[int, str]:
    """glyph -> text of a ToUnicode CMap's bfchar entries."""
    entries: dict[int, str] = {}
    for block in BFCHAR_RE.findall(data):
        for glyph, text in ENTRY_RE.findall(block):
            entries[int(glyph, 16)] = _decoded(text)
    return entries


def _fill(font: pikepdf.Dictionary) -> None:
    data = font.ToUnicode.read_bytes()
    entries = entries_of(data)
    suspect = [glyph for glyph, text in entries.items() if len(text) != 1]
    if not suspect:
        return
    own = _glyph_texts(font.DescendantFonts[0], suspect)
    fixed = {glyph: own[glyph] for glyph in suspect if not entries[glyph] and own.get(glyph)}
    whole = {text for text in entries.values() if len(text) == 1} | set(fixed.values())  # other glyphs' texts
    for glyph in suspect:
        text, mine = entries[glyph], own.get(glyph)
        if not text or not mine or unicodedata.normalize("NFKC", text) == mine or mine not in text:
            continue
        taken = text.replace(mine, "", 1)
        if all(char in whole for char in taken):
            fixed[glyph] = mine

    def fill(match: re.Match) -> bytes:
        glyph = int(match.group(1), 16)
        if glyph not in fixed:
            return match.group(0)
        return b"<%04x> <%s>" % (glyph, fixed[glyph].encode("utf-16-be").hex().encode())

    font.ToUnicode.write(BFCHAR_RE.sub(lambda block: ENTRY_RE.sub(fill, block.group(0)), data))


def _decoded(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace")


def _glyph_texts(descendant: pikepdf.Dictionary, glyphs: list[int]) -> dict[int, str]:
    """glyph id -> its own text (see the module docstring), for the glyphs asked that have one."""
    program = descendant.FontDescriptor.get("/FontFile2")
    if program is None:
        return {}
    embedded = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    texts = {embedded.getGlyphID(name): text for name, text in _mapped_texts(embedded).items()}
    wanted = {glyph for glyph in glyphs if glyph not in texts}
    if wanted:
        installed = _substituted_texts(*_family_and_style(embedded))
        if installed and all(installed[0].get(glyph) == text for glyph, text in texts.items()):
            texts.update({glyph: installed[1][glyph] for glyph in wanted if glyph in installed[1]})
    return {glyph: texts[glyph] for glyph in glyphs if glyph in texts}


def _mapped_texts(font: TTFont) -> dict[str, str]:
    """glyph name -> the text of the lowest code point the character map gives it, in compatibility form."""
    texts: dict[str, str] = {}
    for code_point, name in sorted(font.getBestCmap().items()):
        texts.setdefault(name, unicodedata.normalize("NFKC", chr(code_point)))
    return texts


def _family_and_style(font: TTFont) -> tuple[str, str]:
    names = font["name"]
    return str(names.getDebugName(1) or ""), str(names.getDebugName(2) or "Regular")


@cache
def _substituted_texts(family: str, style: str) -> tuple[dict[int, str], dict[int, str]] | None:
    """The installed font's (glyph -> text by its character map, glyph -> text by its substitutions), or None.

    The embedded subset keeps the installed font's glyph ids (WeasyPrint subsets with retained ids); the
    caller checks that the two character maps agree before using these."""
    path = font_file(family, style) if family else None
    if path is None:
        return None
    with TTFont(path, fontNumber=0, lazy=False) as font:
        order = {name: index for index, name in enumerate(font.getGlyphOrder())}
        by_name = _mapped_texts(font)
        mapped = {order[name]: text for name, text in by_name.items()}
        if "GSUB" not in font:
            return mapped, {}
        singles, ligatures = _substitutions(font["GSUB"].table)
        found = dict(by_name)
        for _ in range(4):  # forms of forms: a few rounds reach every chain
            for source, target in singles:
                if source in found and target not in found:
                    found[target] = found[source]
            for target, parts in ligatures:
                if target not in found and all(part in found for part in parts):
                    found[target] = "".join(found[part] for part in parts)
    return mapped, {order[name]: text for name, text in found.items() if name in order}


def _substitutions(table) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """(source, target) of single substitutions and (ligature, parts) of ligature substitutions."""
    singles: list[tuple[str, str]] = []
    ligatures: list[tuple[str, list[str]]] = []
    for lookup in table.LookupList.Lookup if table.LookupList else ():
        for subtable in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:  # extension: the real subtable inside
                kind, subtable = subtable.ExtensionLookupType, subtable.ExtSubTable
            if kind == 1:
                singles += list(subtable.mapping.items())
            elif kind == 4:
                for first, entries in subtable.ligatures.items():
                    ligatures += [(entry.LigGlyph, [first, *entry.Component]) for entry in entries]
    return singles, ligatures
