"""What every spreadsheet reader shares: how many rows a batch may have, a cell as the text a person sees, and a
sheet's name as a message shows it."""

from __future__ import annotations

from datetime import date, datetime

from ..source.fields import one_line

MAX_ROWS = 10_000  # data rows in one batch file
MAX_LINES = MAX_ROWS + 1  # with the header


def cell_text(value) -> str:
    """A workbook cell as the text a person sees: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_names(names: list[str]) -> str:
    """Sheet names for a message: each on one line (a newline escaped) and at most 40 characters."""
    return ", ".join(f"'{shown_sheet(name)}'" for name in names)


def shown_sheet(name: str) -> str:
    return one_line(name[:40])
