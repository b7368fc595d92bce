"""Tables read back from a tagged PDF's structure tree: each row's cells (TH or TD) with their text.

The text of a cell is the characters whose marked-content id belongs to it (pdfplumber), so what is
read is what a screen reader is given, cell by cell, whatever the layout; artifacts (a decorative
pictogram, a drawn tick box) are never part of it.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfplumber.structure import PDFStructTree

Cell = tuple[str, str]  # ("TH" or "TD", its text)


def pdf_tables(pdf_path: Path) -> list[list[list[Cell]]]:
    """Every table of the PDF, in order: a list of rows, each a list of (tag, text) cells."""
    with pdfplumber.open(pdf_path) as pdf:
        chars: dict[tuple[int, int], list[str]] = {}
        for page in pdf.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    chars.setdefault((page.page_number, char["mcid"]), []).append(char["text"])
        tables = []
        for root in PDFStructTree(pdf):
            for element in _walk(root):
                if element.type == "Table":
                    rows = [row for row in _walk(element) if row.type == "TR"]
                    tables.append([[(cell.type, _text(cell, chars)) for cell in row.children] for row in rows])
        return tables


def _walk(element):
    yield element
    for child in element.children:
        yield from _walk(child)


def _text(element, chars) -> str:
    parts = ["".join(chars.get((item.page_number, mcid), [])) for item in _walk(element) for mcid in item.mcids or ()]
    return " ".join(" ".join(parts).split())


def plan_table(pdf_path: Path) -> list[list[str]]:
    """The treatment plan (the first table): its rows as lists of cell texts."""
    return [[text for _tag, text in row] for row in pdf_tables(pdf_path)[0]]


def plan_pages(pdf_path: Path) -> set[int]:
    """The pages (from 1) the treatment plan's cells are drawn on."""
    with pdfplumber.open(pdf_path) as pdf:
        table = next(element for root in PDFStructTree(pdf) for element in _walk(root) if element.type == "Table")
        return {item.page_number for item in _walk(table) if item.mcids}
