"""What every spreadsheet reader shares: how many rows a batch may have, and a cell as the text a person sees."""

from __future__ import annotations

from datetime import date, datetime

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
