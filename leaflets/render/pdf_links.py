"""Structure fixes for tables, links and bookmarks (see :mod:`leaflets.render.pdf_structure`)."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .pdf_marks import MarkedContent
from .pdf_tree import child_elements, document_root, is_element, kids, object_refs, set_kids, walk


def fix_table_headers(pdf: pikepdf.Pdf, marks: MarkedContent) -> None:
    """/Scope on every TH (from its HTML scope), and an /IDTree so TD /Headers resolve."""
    ids = {}
    for element in walk(document_root(pdf)):
        if str(element.S) == "/TH":
            facts = marks.elements.get(element.objgen[0])
            attributes = element.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = element.A = Dictionary(O=Name.Table)
            attributes.Scope = Name.Row if facts is not None and facts.scope == "row" else Name.Column
        if "/ID" in element:
            ids[bytes(element.ID)] = element
    if ids:
        names = Array()
        for key in sorted(ids):
            names.extend([String(key), ids[key]])
        document_root(pdf).IDTree = pdf.make_indirect(Dictionary(Names=names))


def fix_links(pdf: pikepdf.Pdf, marks: MarkedContent) -> None:
    """One annotation per link and page (several rectangles as /QuadPoints), with a human /Contents."""
    removed: set[tuple[int, int]] = set()
    for element in list(walk(document_root(pdf))):
        if str(element.S) != "/Link":
            continue
        refs = _link_refs(element)
        by_page: dict[tuple[int, int], list] = {}
        for holder, ref in refs:
            by_page.setdefault(ref.Pg.objgen, []).append((holder, ref))
        kept = []
        for group in by_page.values():
            holder, ref = group[0]
            _merge_rectangles(ref.Obj, [other.Obj for _, other in group])
            removed.update(other.Obj.objgen for _, other in group[1:])
            kept.append(ref)
        for holder, ref in refs:
            set_kids(holder, [kid for kid in kids(holder) if not _is_ref(kid, ref)])
        set_kids(element, kept + kids(element))
        for ref in kept:
            description = marks.links.get(ref.Obj.objgen[0])
            if description:
                ref.Obj.Contents = String(description)
    for page in pdf.pages:
        if "/Annots" in page.obj:
            page.obj.Annots = Array([annot for annot in page.obj.Annots if annot.objgen not in removed])


def _link_refs(link) -> list:
    """(holding element, OBJR) for the link's annotations, its own first, nested ones (not in inner links) after."""
    found = [(link, ref) for ref in object_refs(link)]
    stack = [kid for kid in child_elements(link) if str(kid.S) != "/Link"]
    while stack:
        element = stack.pop(0)
        found += [(element, ref) for ref in object_refs(element)]
        stack += [kid for kid in child_elements(element) if str(kid.S) != "/Link"]
    return found


def _is_ref(kid, ref) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and kid.objgen == ref.objgen


def _merge_rectangles(annotation, annotations: list) -> None:
    """One annotation covering every distinct rectangle (a link that wraps onto several lines)."""
    rects = []
    for item in annotations:
        x1, y1, x2, y2 = (float(value) for value in item.Rect)
        rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        if rect not in rects:
            rects.append(rect)
    annotation.Rect = Array(
        [min(r[0] for r in rects), min(r[1] for r in rects)]
        + [
            max(r[2] for r in rects),
            max(r[3] for r in rects),
        ]
    )
    if len(rects) > 1:
        annotation.QuadPoints = Array([value for x1, y1, x2, y2 in rects for value in (x1, y2, x2, y2, x1, y1, x2, y1)])


def clean_outlines(pdf: pikepdf.Pdf, decorative: set[str]) -> None:
    """Bookmark titles without decorative glyphs ("! Warning: ..." becomes "Warning: ...")."""
    if "/Outlines" not in pdf.Root or not decorative:
        return
    stack = [pdf.Root.Outlines.get("/First")]
    while stack:
        item = stack.pop()
        if item is None or not isinstance(item, Dictionary):
            continue
        words = str(item.Title).split()
        while words and words[0] in decorative:
            words.pop(0)
        item.Title = String(" ".join(words))
        stack += [item.get("/First"), item.get("/Next")]


__all__ = ["clean_outlines", "fix_links", "fix_table_headers", "is_element"]
