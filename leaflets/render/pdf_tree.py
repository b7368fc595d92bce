"""Small helpers for reading and editing a PDF structure tree with pikepdf."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name


def is_element(node) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def kids(node) -> list:
    """The /K entries of a structure element as a list (ints are MCIDs)."""
    if "/K" not in node:
        return []
    value = node.K
    return list(value) if isinstance(value, Array) else [value]


def set_kids(node, items: list) -> None:
    node.K = Array(items)


def child_elements(node) -> list:
    return [kid for kid in kids(node) if is_element(kid)]


def walk(node) -> Iterator[Dictionary]:
    """Every structure element under ``node`` (itself included when it is one), in document order."""
    if is_element(node):
        yield node
    for kid in kids(node):
        if is_element(kid):
            yield from walk(kid)


def document_root(pdf: pikepdf.Pdf) -> Dictionary:
    return pdf.Root.StructTreeRoot


def page_indexes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: index for index, page in enumerate(pdf.pages)}


def marked_ids(element, pages: dict[tuple[int, int], int]) -> Iterator[tuple[int, int, int]]:
    """(position in /K, page index, MCID) for each marked-content kid of one element."""
    for position, kid in enumerate(kids(element)):
        if isinstance(kid, int):
            yield position, pages[element.Pg.objgen], int(kid)
        elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
            page = kid.Pg if "/Pg" in kid else element.Pg
            yield position, pages[page.objgen], int(kid.MCID)


def object_refs(element) -> list[Dictionary]:
    return [kid for kid in kids(element) if isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR"]


def parent_tree_entries(pdf: pikepdf.Pdf) -> dict[int, object]:
    """The parent tree's number-tree entries (flat /Nums, as WeasyPrint writes it)."""
    nums = list(document_root(pdf).ParentTree.get("/Nums", []))
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def rebuild_parent_tree(pdf: pikepdf.Pdf) -> None:
    """Write /ParentTree again from the tree itself: each page's MCIDs and each annotation."""
    pages = page_indexes(pdf)
    marks: dict[int, dict[int, Dictionary]] = {index: {} for index in pages.values()}
    annotations: dict[int, Dictionary] = {}
    for element in walk(document_root(pdf)):
        for _position, page, mcid in marked_ids(element, pages):
            marks[page][mcid] = element
        for ref in object_refs(element):
            annotations[int(ref.Obj.StructParent)] = element
    nums = []
    for page in pdf.pages:
        found = marks[pages[page.obj.objgen]]
        size = max(found, default=-1) + 1
        nums += [int(page.obj.StructParents), Array([found.get(mcid, None) for mcid in range(size)])]
    for key in sorted(annotations):
        nums += [key, annotations[key]]
    root = document_root(pdf)
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = max([len(pdf.pages) - 1, *annotations], default=0) + 1


def remove_empty_upwards(element) -> None:
    """Drop an element left with no kids from its parent, and so on up the tree."""
    while is_element(element) and not kids(element) and "/P" in element and is_element(element.P):
        parent = element.P
        set_kids(parent, [kid for kid in kids(parent) if not (is_element(kid) and kid.objgen == element.objgen)])
        element = parent


def artifact_properties(subtype: str) -> Dictionary:
    if subtype:
        return Dictionary(Type=Name.Pagination, Subtype=Name("/" + subtype))
    return Dictionary(Type=Name.Layout)
