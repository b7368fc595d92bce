"""OpenDocument spreadsheets (.ods) with odfpy: the active visible sheet, or the one named by --sheet.

Read defensively: a damaged attribute is one line, never a traceback; a merged range gives every cell
it covers the merged value (a covered cell is never skipped, which would shift the row); hidden or
filtered-out rows are noted. A hidden sheet (often last month's list) is never chosen by default.
"""

from __future__ import annotations

import io

from odf.config import ConfigItem
from odf.opendocument import load
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from ..errors import ContentError, Problem
from .sheet_limits import MAX_LINES, sheet_names, shown_sheet

MAX_REPEAT = 1000  # empty cells and rows are stored as "repeated N times"; N can be a million
CELL, COVERED = TableCell().qname, CoveredTableCell().qname


def read_ods(data: bytes, label: str, sheet_name: str | None) -> tuple[list[list[str]], str, list[tuple[int, str]]]:
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - odfpy raises many kinds for a damaged file
        raise ContentError([Problem(label, f"not a readable .ods spreadsheet: {type(exc).__name__}")]) from None
    tables = document.spreadsheet.getElementsByType(Table)
    names = [str(table.getAttribute("name")) for table in tables]
    if not tables:
        raise ContentError([Problem(label, "the .ods file has no sheets")])
    if sheet_name is not None and sheet_name not in names:
        message = f"--sheet: no sheet '{shown_sheet(sheet_name)}'; the sheets are: {sheet_names(names)}"
        raise ContentError([Problem(label, message)])
    table = tables[names.index(sheet_name)] if sheet_name is not None else _default_table(document, tables, label)
    try:
        values, notes = _table_values(table, label)
    except ValueError as exc:
        message = f"a damaged .ods spreadsheet (a cell or row count that is not a number: {exc}"[:150] + "); save it"
        raise ContentError([Problem(label, message)]) from None
    return values, f"OpenDocument spreadsheet, sheet '{shown_sheet(names[tables.index(table)])}'", notes


def _default_table(document, tables: list, label: str):
    """The sheet open when the file was saved, if it is visible; else the first visible sheet."""
    hidden = {
        style.getAttribute("name")
        for style in document.automaticstyles.getElementsByType(Style)
        if style.getAttribute("family") == "table"
        and any(props.getAttribute("display") == "false" for props in style.getElementsByType(TableProperties))
    }
    visible = [table for table in tables if table.getAttribute("stylename") not in hidden]
    if not visible:
        raise ContentError([Problem(label, "every sheet is hidden; show the clinic list's sheet, or give --sheet")])
    active = next((str(item) for item in document.settings.getElementsByType(ConfigItem)
                   if item.getAttribute("name") == "ActiveTable"), "")  # fmt: skip
    return next((table for table in visible if str(table.getAttribute("name")) == active), visible[0])


def _table_values(table, label: str) -> tuple[list[list[str]], list[tuple[int, str]]]:
    rows: list[list[str]] = []
    notes: list[tuple[int, str]] = []
    spans: dict[tuple[int, int], str] = {}  # (row, column) covered by a merged cell -> its value
    for row in table.getElementsByType(TableRow):
        cells = _row_cells(row, len(rows), spans, notes)
        repeat = min(int(row.getAttribute("numberrowsrepeated") or 1), MAX_REPEAT)
        if str(row.getAttribute("visibility") or "visible") != "visible" and any(cells):
            notes.append(
                (len(rows) + 1, "this row is hidden or filtered out in the sheet; it is printed like any other")
            )
        rows.extend([list(cells) for _ in range(repeat)] if any(cells) else [cells] * repeat)
        if len(rows) > MAX_LINES + MAX_REPEAT:
            break
    while rows and not any(rows[-1]):
        rows.pop()
    if len(rows) > MAX_LINES:
        raise ContentError(
            [Problem(label, f"more than {MAX_LINES - 1} rows; a batch has at most that: split the file")]
        )
    return rows, notes


def _row_cells(row, index: int, spans: dict, notes: list) -> list[str]:
    cells: list[str] = []
    for cell in row.childNodes:
        if cell.qname not in (CELL, COVERED):
            continue
        repeat = min(int(cell.getAttribute("numbercolumnsrepeated") or 1), MAX_REPEAT)
        if cell.qname == COVERED:  # inside a merged range: the merged value, never a gap
            cells.extend(spans.get((index, len(cells) + n), "") for n in range(repeat))
            continue
        text = _cell_text(cell)
        rows_spanned = int(cell.getAttribute("numberrowsspanned") or 1)
        columns_spanned = int(cell.getAttribute("numbercolumnsspanned") or 1)
        if rows_spanned > 1 or columns_spanned > 1:
            for down in range(min(rows_spanned, MAX_REPEAT)):
                for across in range(min(columns_spanned, MAX_REPEAT)):
                    spans[(index + down, len(cells) + across)] = text
            if rows_spanned > 1:
                notes.append((index + 1, f"cells merged over {rows_spanned} rows; each of them reads the merged value"))
        cells.extend([text] * repeat)
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
