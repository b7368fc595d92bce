"""Excel workbooks (.xlsx) with openpyxl, read defensively.

The sheet is the one named by --sheet, else the active sheet if it is visible, else the first visible
one: a hidden sheet is never chosen by default. A merged range gives every cell in it the merged value
(and is noted), hidden or filtered-out rows are noted, a formula with no saved value refuses the file
naming the cell, and any parser error is one line. The workbook's size was capped before (see
:func:`leaflets.personal.spreadsheet.check_unpacked_size`); its used range is capped here.
"""

from __future__ import annotations

import io

from ..errors import ContentError, Problem
from .sheet_limits import MAX_LINES, cell_text, sheet_names, shown_sheet


def read_xlsx(data: bytes, label: str, sheet_name: str | None) -> tuple[list[list[str]], str, list[tuple[int, str]]]:
    """The chosen sheet's values as text, how it is described, and notes (line, text) to report."""
    from openpyxl import load_workbook  # openpyxl (~80 ms): only for an .xlsx file

    try:
        values_book = load_workbook(io.BytesIO(data), data_only=True)
        formulas_book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged part raises XML, zip, key and value errors alike
        raise ContentError(
            [Problem(label, f"a damaged .xlsx workbook ({type(exc).__name__}); save it again")]
        ) from None
    sheet = pick_sheet(values_book, sheet_name, label)
    try:
        values, notes = _sheet_values(sheet, formulas_book[sheet.title], label)
    except ContentError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ContentError(
            [Problem(label, f"a damaged .xlsx workbook ({type(exc).__name__}); save it again")]
        ) from None
    return values, f"Excel workbook, sheet '{shown_sheet(sheet.title)}'", notes


def pick_sheet(workbook, sheet_name: str | None, label: str):
    names = workbook.sheetnames
    if sheet_name is not None:
        if sheet_name not in names:
            message = f"--sheet: no sheet '{shown_sheet(sheet_name)}'; the sheets are: {sheet_names(names)}"
            raise ContentError([Problem(label, message)])
        return workbook[sheet_name]
    visible = [workbook[name] for name in names if workbook[name].sheet_state == "visible"]
    if not visible:
        raise ContentError([Problem(label, "every sheet is hidden; show the clinic list's sheet, or give --sheet")])
    active = workbook.active
    return active if active in visible else visible[0]


def _sheet_values(sheet, formulas, label: str) -> tuple[list[list[str]], list[tuple[int, str]]]:
    if sheet.max_row > MAX_LINES:
        message = (f"sheet '{shown_sheet(sheet.title)}' runs to row {sheet.max_row}; a batch has at most "
                   f"{MAX_LINES - 1} rows: split the file, or delete the empty rows below the list")  # fmt: skip
        raise ContentError([Problem(label, message)])
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    _refuse_unsaved_formulas(grid, formulas, label)
    notes = _fill_merged(grid, sheet)
    hidden = sorted(number for number, row in sheet.row_dimensions.items() if row.hidden and number <= len(grid))
    notes += [(number, "this row is hidden or filtered out in the sheet; it is printed like any other")
              for number in hidden if number > 1]  # fmt: skip
    return [[cell_text(value) for value in row] for row in grid], notes


def _refuse_unsaved_formulas(grid: list[list], formulas, label: str) -> None:
    """A formula whose result was never saved reads as empty: refuse, naming each cell."""
    problems = []
    for row in formulas.iter_rows(max_row=len(grid)):
        for cell in row:
            if cell.data_type == "f" and grid[cell.row - 1][cell.column - 1] is None:
                message = (f"cell {cell.coordinate} is a formula with no saved value; open the file, recalculate "
                           "and save it (or paste the cells as values)")  # fmt: skip
                problems.append(Problem(label, message, cell.row))
    if problems:
        raise ContentError(problems)


def _fill_merged(grid: list[list], sheet) -> list[tuple[int, str]]:
    """Every cell of a merged range gets the range's value; each range is noted."""
    notes = []
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid):
            continue
        value = grid[top][left] if left < len(grid[top]) else None
        for row in range(top, min(merged.max_row, len(grid))):
            grid[row].extend([None] * (merged.max_col - len(grid[row])))
            for column in range(left, merged.max_col):
                grid[row][column] = value
        if merged.max_row > merged.min_row:
            notes.append(
                (merged.min_row, f"cells {merged.coord} are merged; each of their rows reads the merged value")
            )
    return notes
