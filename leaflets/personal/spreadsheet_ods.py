"""OpenDocument spreadsheets (.ods) with odfpy: the first sheet, or the one named by --sheet."""

from __future__ import annotations

import io

from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P

from ..errors import ContentError, Problem

MAX_REPEAT = 1000  # empty cells and rows are stored as "repeated N times"; N can be a million


def read_ods(data: bytes, label: str, sheet_name: str | None) -> tuple[list[list[str]], str]:
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - odfpy raises many kinds for a damaged file
        raise ContentError([Problem(label, f"not a readable .ods spreadsheet: {type(exc).__name__}")]) from None
    tables = document.spreadsheet.getElementsByType(Table)
    names = [str(table.getAttribute("name")) for table in tables]
    if not tables:
        raise ContentError([Problem(label, "the .ods file has no sheets")])
    if sheet_name is not None and sheet_name not in names:
        raise ContentError(
            [Problem(label, f"--sheet: no sheet '{sheet_name[:40]}'; the sheets are: {', '.join(names)}")]
        )
    table = tables[names.index(sheet_name) if sheet_name is not None else 0]
    return _table_values(table), f"OpenDocument spreadsheet, sheet '{names[tables.index(table)]}'"


def _table_values(table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.getElementsByType(TableRow):
        cells = _row_cells(row)
        repeat = min(int(row.getAttribute("numberrowsrepeated") or 1), MAX_REPEAT)
        rows.extend([list(cells) for _ in range(repeat)] if any(cells) else [cells])
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _row_cells(row) -> list[str]:
    cells: list[str] = []
    for cell in row.getElementsByType(TableCell):
        repeat = min(int(cell.getAttribute("numbercolumnsrepeated") or 1), MAX_REPEAT)
        cells.extend([_cell_text(cell)] * repeat)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _cell_text(cell) -> str:
    kind = cell.getAttribute("valuetype")
    if kind == "date":
        return str(cell.getAttribute("datevalue"))[:10]
    if kind == "float" and cell.getAttribute("value"):
        value = float(cell.getAttribute("value"))
        return str(int(value)) if value.is_integer() else str(value)
    return "\n".join(str(p) for p in cell.getElementsByType(P))
