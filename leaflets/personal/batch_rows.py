"""The rows of a batch spreadsheet turned into print requests, one problem line per bad row.

Privacy is kept by cell, not by pattern: the name column's cell is never shown, another cell is
shown only when it has the shape its column expects (a regimen, a date, a language tag...), and
any echoed text holding a word of the row's name is hidden too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..errors import ContentError, Problem
from ..source.clinic import is_clinic_id
from .session import PrintRequest
from .shard import WHOLE_BATCH, Shard  # noqa: F401 - re-exported: the batch's public names
from .sheet_limits import MAX_ROWS
from .spreadsheet import Sheet

REQUIRED_COLUMNS = ("ref", "leaflet", "lang", "clinic")
OPTIONAL_COLUMNS = (
    "regimen",
    "start_date",
    "next_appointment",
    "name",
    "confirm_unusual_dose",
    "prescriber",
    "large_print",
    "only",
    "supervised",
    "tick_chart",
)
REF_RE = re.compile(r"^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")  # a digit: a reference, never a name
YES, NO = {"yes", "y", "true", "1"}, {"", "no", "n", "false", "0"}
SHAPES = {  # what a cell must look like to be shown in a message
    "leaflet": re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$"),
    "lang": re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$"),
    "regimen": re.compile(r"^(?=.*[0-9])[a-z0-9:,;+. -]{1,400}$"),
    "supervised": re.compile(r"^[a-z, ]{1,40}$"),
    "start_date": re.compile(r"^[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}$"),
    "next_appointment": re.compile(r"^[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}$"),
}
SHAPE_HINTS = {
    "leaflet": "expected a leaflet id (a folder under content/leaflets)",
    "lang": "expected a language tag such as en or pl",
    "regimen": "expected a regimen such as daily:50 or mon:100,wed:100,fri:150",
    "supervised": "expected weekdays such as mon,tue,wed,thu,fri,sat, or none",
    "start_date": "expected a date such as 2027-01-04",
    "next_appointment": "expected a date such as 2027-01-04",
}
SLASH_DATE_RE = re.compile(r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{2,4})$")
QUOTED_RE = re.compile(r"'[^']*'")


@dataclass(frozen=True)
class BatchRow:
    number: int  # first data row is 1
    line: int | None  # None where the file has no lines to name (a FHIR Bundle's entry)
    ref: str
    request: PrintRequest


@dataclass
class BatchRows:
    rows: list[BatchRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # one or more per bad row of the shard
    warnings: list[Problem] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # row number -> ref (or "") of the shard's bad rows
    skipped: dict[int, tuple[str, str]] = field(default_factory=dict)  # row number -> (ref, why): not to print
    total: int = 0  # the shard's rows, good and bad
    source: str = ""  # a workbook's sheet, as the summary names it ("Excel workbook, sheet 'Clinic'"); "" for CSV


def column_key(header: str) -> str:
    """'Start date', 'START-DATE' and 'start_date' are one column."""
    return re.sub(r"[\s_-]+", "", unicodedata.normalize("NFKC", header)).casefold()


def match_columns(header: list[str], label: str) -> tuple[dict[str, int], list[Problem]]:
    """Each known column's position; unknown columns are one warning each, naming the column only."""
    known = {column_key(column): column for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    positions: dict[str, int] = {}
    warnings = []
    for index, title in enumerate(header):
        column = known.get(column_key(title))
        if column in positions:
            raise ContentError([Problem(label, f"header: the column {column} appears twice", 1)])
        if column:
            positions[column] = index
        elif title.strip():
            warnings.append(
                Problem(label, f"column '{title[:30]}' is not used; its cells are ignored", 1, None, "warning")
            )
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        expected = ",".join(REQUIRED_COLUMNS) + " (optional: " + ",".join(OPTIONAL_COLUMNS) + ")"
        # When columns are missing the first line may be a patient's row: its cells are not shown.
        raise ContentError([Problem(label, f"header: missing columns: {', '.join(missing)}; expected {expected}", 1)])
    return positions, warnings


def batch_rows(sheet: Sheet, label: str, shard: Shard = WHOLE_BATCH, date_order: str = "") -> BatchRows:
    """Check every row (a ref must be unique across all shards); keep the shard's rows."""
    positions, warnings = match_columns(sheet.header, label)
    if sheet.rows and sheet.rows[-1].line - 1 > MAX_ROWS:  # before any row is read, so nothing is rendered
        count = sheet.rows[-1].line - 1
        raise ContentError([Problem(label, f"{count} rows; a batch has at most {MAX_ROWS}: split the file")])
    warnings += [Problem(label, f"{sheet.described_as}: {note}", line, None, "warning") for line, note in sheet.notes]
    source = "" if sheet.described_as.startswith("CSV") else sheet.described_as
    result = BatchRows(warnings=warnings, source=source)
    refs: set[str] = set()
    for sheet_row in sheet.rows:
        number = sheet_row.line - 1  # data rows as the spreadsheet numbers them, blank rows included
        cells = {column: _cell(sheet_row.cells, index) for column, index in positions.items()}
        ref = safe_ref(cells)
        try:
            if sheet_row.problem:
                raise ContentError([Problem("", sheet_row.problem)])
            row = _row(number, sheet_row, cells, refs, date_order)
            refs.add(row.ref.lower())
        except ContentError as error:
            if shard.owns(number):
                where = f"row {number}" + (f", ref {ref}" if ref else "")
                result.failed[number] = ref
                result.total += 1
                result.problems += [
                    Problem(label, redacted(f"{where}: {p}", cells), sheet_row.line) for p in error.problems
                ]
            continue
        if shard.owns(number):
            result.rows.append(row)
            result.total += 1
    return result


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def safe_ref(cells: dict[str, str]) -> str:
    """The row's ref when it may be shown: a reference's shape and nothing of the name in it."""
    ref = cells.get("ref", "")
    return ref if REF_RE.match(ref) and not _holds_name(ref, cells.get("name", "")) else ""


def _row(number: int, sheet_row, cells: dict[str, str], refs: set[str], date_order: str) -> BatchRow:
    problems = [Problem("", message, field=column) for column, message in shape_problems(cells)]
    problems += _ref_problems(cells, refs)
    if not is_clinic_id(cells["clinic"]):
        problems.append(
            Problem("", "use a clinic id such as 'example' (lowercase letters, digits, '-')", field="clinic")
        )
    flags = {
        column: _yes_no(cells, column, problems) for column in ("confirm_unusual_dose", "large_print", "tick_chart")
    }
    only = cells.get("only", "").lower()
    if only not in ("", "treatment"):
        problems.append(Problem("", "expected treatment, or leave it empty for the whole leaflet", field="only"))
    dates = {column: _iso_date(cells, column, date_order, problems) for column in ("start_date", "next_appointment")}
    if problems:
        raise ContentError(problems)
    request = PrintRequest(
        leaflet_id=cells["leaflet"],
        lang=cells["lang"],
        clinic=cells["clinic"],
        regimen=cells.get("regimen", ""),
        name=cells.get("name", ""),
        prescriber=cells.get("prescriber", ""),
        only=only,
        ref=cells["ref"],
        confirm_unusual_dose=flags["confirm_unusual_dose"],
        large_print=flags["large_print"],
        start_date=dates["start_date"],
        next_appointment=dates["next_appointment"],
        supervised=cells.get("supervised", ""),
        tick_chart=flags["tick_chart"],
    )
    return BatchRow(number, sheet_row.line, cells["ref"], request)


def _ref_problems(cells: dict[str, str], refs: set[str]) -> list[Problem]:
    """A ref must look like a reference, hold nothing of the name, and be the row's own."""
    ref = cells["ref"]
    if not REF_RE.match(ref):
        message = "use 1-40 letters, digits, '-' or '_', with a digit (a reference, never a name)"
    elif _holds_name(ref, cells.get("name", "")):
        message = "holds part of the name; use the clinic's reference"
    elif ref.lower() in refs:  # file names must differ on case-insensitive disks too
        message = f"'{ref}' is used by an earlier row; each row needs its own ref"
    else:
        return []
    return [Problem("", message, field="ref")]


def shape_problems(cells: dict[str, str]) -> list[tuple[str, str]]:
    """Cells that are not what their column holds; their values are not shown."""
    return [
        (column, f"{SHAPE_HINTS[column]}; this cell is not one (its value is not shown)")
        for column, shape in SHAPES.items()
        if cells.get(column) and not shape.match(cells[column])
    ]


def _yes_no(cells: dict[str, str], column: str, problems: list[Problem]) -> bool:
    value = cells.get(column, "").lower()
    if value not in YES | NO:  # never shown: a name shifted into this column must not reach the messages
        problems.append(Problem("", "expected yes or no, or leave it empty", field=column))
    return value in YES


def _iso_date(cells: dict[str, str], column: str, order: str, problems: list[Problem]) -> str:
    """A date cell as YYYY-MM-DD: ISO as it is, day/month/year in the order site.yaml sets."""
    text = cells.get(column, "")
    match = SLASH_DATE_RE.match(text)
    if not match:
        return text  # ISO, empty, or refused by its shape check
    first, second, year = match.groups()
    if len(year) != 4:
        problems.append(
            Problem("", f"'{text}' has a two-digit year; write the year in full, e.g. 2027-01-04", field=column)
        )
        return ""
    readings = {"DMY": (int(year), int(second), int(first)), "MDY": (int(year), int(first), int(second))}
    if not order:
        dmy, mdy = (_date_or_none(*readings[key]) for key in ("DMY", "MDY"))
        problems.append(Problem("", _without_order(text, dmy, mdy), field=column))
        return ""
    value = _date_or_none(*readings[order])
    if value is None:
        problems.append(Problem("", f"'{text}' is not a date in the {order} order that site.yaml sets", field=column))
        return ""
    return value.isoformat()


def _without_order(text: str, dmy: date | None, mdy: date | None) -> str:
    """Why a day/month/year date cannot be read when site.yaml sets no date_order."""
    if dmy and mdy and dmy != mdy:
        return _two_ways(text, dmy, mdy)
    return f"'{text}' is not YYYY-MM-DD; write 2027-01-04, or set date_order: DMY or MDY in site.yaml"


def _two_ways(text: str, dmy: date, mdy: date) -> str:
    return (
        f"'{text}' could be {dmy:%-d %B %Y} or {mdy:%-d %B %Y}; write it as YYYY-MM-DD, "
        "or set date_order: DMY or MDY in site.yaml"
    )


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _name_parts(name: str) -> list[str]:
    """The words of a name, casefolded; the whole name too (a one-letter word is no secret)."""
    folded = unicodedata.normalize("NFKC", " ".join(name.split())).casefold()
    return [part for part in {folded, *re.split(r"[\s,.'-]+", folded)} if len(part) >= 2]


def _holds_name(text: str, name: str) -> bool:
    """True when text holds a word of the name, as it is or escaped (\\xeb, \\u0141)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    parts = _name_parts(name)
    escaped = [part.encode("unicode_escape").decode("ascii") for part in parts]
    return any(part in folded for part in parts + escaped)


def redacted(message: str, cells: dict[str, str]) -> str:
    """Hide every quoted value that holds a word of the row's name."""
    name = cells.get("name", "")
    if not _name_parts(name):
        return message
    return QUOTED_RE.sub(
        lambda quoted: "'(not shown)'" if _holds_name(quoted.group(), name) else quoted.group(), message
    )
