"""Print jobs made from finished PDFs with pikepdf: a personal copy's parts joined, one duplex job for a
batch, and A5 booklets.

The combined file keeps every leaflet's structure tree: each leaflet's Document becomes a Part of
one Document, its marked-content keys are renumbered, and each leaflet starts on an odd page (a
blank page in between where needed), so a duplex printer never puts two patients on one sheet.

A booklet is print-only: A5 pages two to a side on A4 landscape sheets, in the order that folds
into a booklet (print duplex, flip on the short edge). It has no structure tree; the tagged A5
PDF beside it is the accessible copy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, Rectangle

A4_LANDSCAPE = (841.89, 595.28)


def combine_for_duplex(paths: list[Path], title: str) -> bytes:
    """One tagged PDF of every leaflet, in order, each starting on an odd page."""
    combined, document, tree, starts = _new_joined()
    sources = [pikepdf.open(path) for path in paths]
    try:
        for index, source in enumerate(sources):
            if index and len(combined.pages) % 2:
                last = combined.pages[-1].mediabox
                combined.add_blank_page(page_size=(float(last[2]), float(last[3])))
            starts.append(len(combined.pages))
            _append_leaflet(combined, source, document, tree, f"l{index + 1}-")
        _finish_catalog(combined, sources[0], document, tree, title)
        _outline(combined, paths, starts)
        return _saved(combined)
    finally:
        for source in sources:
            source.close()


@dataclass(frozen=True)
class DocumentPart:
    """One finished, tagged PDF to join: its bookmark, and the prefix of its pages' labels ("" for 1, 2, 3)."""

    pdf: bytes
    bookmark: str
    label_prefix: str = ""


def join_parts(parts: list[DocumentPart], title: str) -> bytes:
    """One tagged PDF of ``parts`` in order (a treatment sheet, then the approved leaflet): each part's Document
    becomes a Part of one Document, each keeps its own page numbering as page labels, and the outline has one
    bookmark per part with that part's own bookmarks under it. The pages themselves are not changed."""
    combined, document, tree, starts = _new_joined()
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        for index, source in enumerate(sources):
            starts.append(len(combined.pages))
            _append_leaflet(combined, source, document, tree, f"p{index + 1}-")
        _finish_catalog(combined, sources[0], document, tree, title)
        nums = Array()
        for part, start in zip(parts, starts, strict=True):
            nums.extend([start, Dictionary(S=Name.D, P=pikepdf.String(part.label_prefix))])
        combined.Root.PageLabels = Dictionary(Nums=nums)
        _part_outline(combined, parts, sources, starts)
        return _saved(combined)
    finally:
        for source in sources:
            source.close()


def _part_outline(combined: Pdf, parts: list[DocumentPart], sources: list[Pdf], starts: list[int]) -> None:
    with combined.open_outline() as outline:
        for part, source, start in zip(parts, sources, starts, strict=True):
            item = OutlineItem(part.bookmark, start)
            pages = {page.obj.objgen: index for index, page in enumerate(source.pages)}
            with source.open_outline() as own:
                item.children.extend(_moved(child, pages, start) for child in own.root)
            outline.root.append(item)


def _moved(item: OutlineItem, pages: dict, start: int) -> OutlineItem:
    """A copy of a part's bookmark pointing at the same page (and height) in the joined document."""
    target = item.destination
    index, top = 0, None
    if isinstance(target, Array) and len(target) and isinstance(target[0], Dictionary):
        index = pages.get(target[0].objgen, 0)
        top = float(target[3]) if len(target) > 3 and str(target[1]) == "/XYZ" and target[3] is not None else None
    moved = (
        OutlineItem(item.title, start + index, "XYZ", top=top)
        if top is not None
        else OutlineItem(item.title, start + index)
    )
    moved.children.extend(_moved(child, pages, start) for child in item.children)
    return moved


def pad_to_even(pdf: bytes) -> bytes:
    """``pdf`` with a blank page at the end if it has an odd number: a treatment sheet printed duplex then ends
    on its own sheet of paper, and whatever is printed after it starts on a new one."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if len(document.pages) % 2 == 0:
            return pdf
        last = document.pages[-1].mediabox
        document.add_blank_page(page_size=(float(last[2]), float(last[3])))
        return _saved(document)


def _new_joined() -> tuple[Pdf, Dictionary, _Tree, list[int]]:
    """A new PDF with an empty Document element to join tagged PDFs into, and where each one starts."""
    combined = pikepdf.new()
    return combined, combined.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array())), _Tree(), []


def _saved(pdf: Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


class _Tree:
    """The combined structure tree's shared parts: parent-tree entries and the role map."""

    def __init__(self):
        self.nums: list = []
        self.next_key = 0
        self.role_map = Dictionary()


def _append_leaflet(combined: Pdf, source: Pdf, document: Dictionary, tree: _Tree, id_prefix: str) -> None:
    first_page = len(combined.pages)
    for page in source.pages:
        combined.pages.append(page)
    root = source.Root.get("/StructTreeRoot")
    if root is None:
        return
    offset = tree.next_key
    for page in combined.pages[first_page:]:
        _shift_keys(page, offset)
    copied = combined.copy_foreign(root)  # the pages above were copied first, so /Pg points at them
    for key, value in _number_tree(copied.get("/ParentTree")):
        tree.nums += [key + offset, value]
    tree.next_key = offset + int(copied.get("/ParentTreeNextKey", _max_key(copied.get("/ParentTree")) + 1))
    for role, target in dict(copied.get("/RoleMap", Dictionary())).items():
        tree.role_map[role] = target
    kids = copied.K if isinstance(copied.K, Array) else Array([copied.K])
    lang = source.Root.get("/Lang")
    for kid in kids:
        if kid.get("/S") == Name.Document:
            kid.S = Name.Part
        kid.P = document
        if lang is not None:
            kid.Lang = lang
        _prefix_ids(kid, id_prefix)
        document.K.append(kid)


def _shift_keys(page, offset: int) -> None:
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _number_tree(node) -> list[tuple[int, object]]:
    if node is None:
        return []
    nums = node.get("/Nums", Array())
    entries = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids", Array()):
        entries += _number_tree(kid)
    return entries


def _max_key(node) -> int:
    return max((key for key, _value in _number_tree(node)), default=-1)


def _prefix_ids(element, prefix: str, depth: int = 0) -> None:
    """Element IDs (and the table headers that name them) stay unique across leaflets."""
    if not isinstance(element, Dictionary) or depth > 200:
        return
    if "/ID" in element:
        element.ID = pikepdf.String(prefix + str(element.ID))
    for attributes in _attribute_dicts(element):
        if "/Headers" in attributes:
            attributes.Headers = Array([pikepdf.String(prefix + str(h)) for h in attributes.Headers])
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem and "/S" in kid:
            _prefix_ids(kid, prefix, depth + 1)


def _attribute_dicts(element) -> list:
    attributes = element.get("/A")
    if attributes is None:
        return []
    return [a for a in (attributes if isinstance(attributes, Array) else [attributes]) if isinstance(a, Dictionary)]


def _finish_catalog(combined: Pdf, first: Pdf, document: Dictionary, tree: _Tree, title: str) -> None:
    root = combined.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=Array([document]),
            ParentTree=combined.make_indirect(Dictionary(Nums=Array(tree.nums))),
            ParentTreeNextKey=tree.next_key,
        )
    )
    if len(tree.role_map):
        root.RoleMap = tree.role_map
    _add_id_tree(root, document)
    document.P = root
    combined.Root.StructTreeRoot = root
    combined.Root.MarkInfo = Dictionary(Marked=True)
    combined.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    combined.Root.PageMode = Name.UseOutlines
    if "/Lang" in first.Root:
        combined.Root.Lang = first.Root.Lang
    if "/Metadata" in first.Root:
        combined.Root.Metadata = combined.copy_foreign(first.Root.Metadata)
    with combined.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
    combined.docinfo["/Title"] = title


def _add_id_tree(root: Dictionary, document: Dictionary) -> None:
    """A flat /IDTree of every element ID, when the leaflets had any."""
    names: dict[str, object] = {}

    def walk(element, depth=0):
        if not isinstance(element, Dictionary) or depth > 200:
            return
        if "/ID" in element:
            names[str(element.ID)] = element
        kids = element.get("/K")
        for kid in kids if isinstance(kids, Array) else [kids]:
            if isinstance(kid, Dictionary) and "/S" in kid:
                walk(kid, depth + 1)

    walk(document)
    if names:
        pairs = [item for key in sorted(names) for item in (pikepdf.String(key), names[key])]
        root.IDTree = Dictionary(Names=Array(pairs))


def _outline(combined: Pdf, paths: list[Path], starts: list[int]) -> None:
    """One bookmark per leaflet, named by its file (leaflet, language, ref; never a name)."""
    with combined.open_outline() as outline:
        outline.root.extend(OutlineItem(path.stem, start) for path, start in zip(paths, starts, strict=True))


def booklet_order(page_count: int) -> list[tuple[int | None, int | None]]:
    """Sheet sides, front then back, as (left, right) page indexes; None is a blank half."""
    total = -(-page_count // 4) * 4
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, total - 2 - 2 * sheet))
    return [tuple(i if i < page_count else None for i in side) for side in sides]


def impose_booklet(pdf: bytes) -> bytes:
    """A5 pages two-up on A4 landscape sheets, ready to fold into a booklet."""
    width, height = A4_LANDSCAPE
    with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as booklet:
        for side in booklet_order(len(source.pages)):
            sheet = booklet.add_blank_page(page_size=A4_LANDSCAPE)
            for slot, index in enumerate(side):
                if index is not None:
                    box = Rectangle(slot * width / 2, 0, (slot + 1) * width / 2, height)
                    sheet.add_overlay(source.pages[index], box)
        booklet.docinfo["/Title"] = f"{source.docinfo.get('/Title', 'Leaflet')} (booklet for printing only)"
        buffer = io.BytesIO()
        booklet.save(buffer, deterministic_id=True)
        return buffer.getvalue()
