"""Clinic spreadsheets as rows of text cells: CSV (any common encoding and delimiter), .xlsx, .ods.

A workbook is recognised by its bytes, not its name. A CSV's encoding is found from its BOM, then
UTF-8, then charset-normalizer among the Windows code pages clinics use; its delimiter is the one of
comma, semicolon and tab that the header line uses most. Each physical line is one record, so a
stray quote spoils only its own row. Cell values never appear in the errors raised here.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import ContentError, Problem
from ..source.yaml_source import read_bytes

MAX_BYTES = 16 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024  # a workbook part, unpacked: a clinic list is a few MB at most
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # all parts together, counted while inflating (a zip bomb stops here)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a password-protected .xlsx is an OLE file holding it
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
LEGACY_ENCODINGS = ["cp1252", "cp1250", "cp1257", "iso8859_2"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SheetRow:
    line: int  # as the spreadsheet program numbers it (the header is line 1)
    cells: list[str] = field(default_factory=list)
    problem: str = ""  # the record could not be read; cells is empty


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[SheetRow]
    described_as: str  # "CSV, cp1250, semicolon-separated" or "Excel workbook, sheet 'Clinic'"
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what to know): hidden rows, merged cells


def read_sheet(path: Path, sheet_name: str | None = None) -> Sheet:
    """The header and every non-blank row of a CSV file, .xlsx workbook or .ods spreadsheet."""
    label = str(path)
    data = read_bytes(path, label, MAX_BYTES)
    if not data.strip():
        raise ContentError([Problem(label, "file is empty")])
    if data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in data:
        message = "a password-protected workbook; remove the password (File > Info > Protect Workbook) and save it"
        raise ContentError([Problem(label, message)])
    if data.startswith(OLE_MAGIC):
        raise ContentError([Problem(label, "an old Excel .xls workbook; save it as .xlsx or CSV")])
    notes: list[tuple[int, str]] = []
    if data.startswith(b"PK\x03\x04"):
        header, rows, described, notes = _read_workbook(data, label, sheet_name)
    else:
        if sheet_name:
            raise ContentError([Problem(label, "--sheet is only for .xlsx and .ods workbooks; this is a CSV file")])
        header, rows, described = _read_csv(data, label)
    rows = [row for row in rows if row.problem or any(cell.strip() for cell in row.cells)]
    return Sheet([cell.strip() for cell in header], rows, described, notes)


def _read_csv(data: bytes, label: str) -> tuple[list[str], list[SheetRow], str]:
    text, encoding = decode_text(data, label)
    lines = LINE_BREAK_RE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    if not text.strip(" \t\r\n\ufeff\x00"):
        raise ContentError([Problem(label, "file is empty")])
    if not lines[0].strip():
        raise ContentError([Problem(label, "the first line must be the header, such as ref,leaflet,lang,...", 1)])
    delimiter = max(DELIMITERS, key=lines[0].count)
    header, problem = parse_line(lines[0], delimiter)
    if problem:
        raise ContentError([Problem(label, f"header: not valid CSV: {problem}", 1)])
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells, problem = parse_line(line, delimiter)
        problem = problem and f"not valid CSV: {problem}"
        if not problem and any(cells) and (len(cells) < len(header) or any(c.strip() for c in cells[len(header) :])):
            cells, problem = (
                [],
                f"{len(cells)} cells where the header has {len(header)}; check the separators and quotes",
            )
        rows.append(SheetRow(number, cells, problem))
    return header, rows, f"CSV, {encoding}, {DELIMITERS[delimiter]}-separated"


def parse_line(line: str, delimiter: str) -> tuple[list[str], str]:
    """The cells of one line, or the reason it is not valid CSV (the cells are never shown)."""
    if line.count('"') % 2:
        return [], "a quote is not closed; check the quotes in this row"
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter, strict=True), []), ""
    except csv.Error as exc:
        return [], str(exc)


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """The text and the name of its encoding: BOM, then UTF-8, then the likeliest Windows code page."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode(data, encoding, label), "UTF-8 with BOM" if encoding == "utf-8-sig" else "UTF-16"
    if b"\x00" in data[:200] and len(data) % 2 == 0:  # UTF-16 without a BOM: every other byte is zero
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decode(data, encoding, label), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise ContentError([Problem(label, "not text in UTF-8, UTF-16 or a Windows code page; save it as CSV UTF-8")])
    return str(best), best.encoding


def _decode(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(label, f"not valid {encoding} text (byte {exc.start}); save it again")]) from None


def _read_workbook(data: bytes, label: str, sheet_name: str | None) -> tuple:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        is_ods = "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE
        check_unpacked_size(archive, label)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        raise ContentError([Problem(label, "a damaged workbook (not a readable zip file); save it again")]) from None
    if is_ods:
        from .spreadsheet_ods import read_ods  # odfpy (~50 ms): only for an .ods file

        values, described, notes = read_ods(data, label, sheet_name)
    elif "xl/workbook.xml" in names:
        from .spreadsheet_xlsx import read_xlsx  # openpyxl (~80 ms): only for an .xlsx file

        values, described, notes = read_xlsx(data, label, sheet_name)
    else:
        raise ContentError([Problem(label, "a zip file but not an .xlsx or .ods workbook")])
    if not values:
        raise ContentError([Problem(label, f"{described} is empty; expected a header row such as ref,leaflet,lang")])
    header = values[0]
    rows = [_workbook_row(number, cells, len(header)) for number, cells in enumerate(values[1:], start=2)]
    return header, rows, described, notes


def check_unpacked_size(archive: zipfile.ZipFile, label: str) -> None:
    """Inflate every part, counting as it goes: a part over MAX_PART_BYTES, or all over MAX_UNPACKED_BYTES, is
    refused before any parser sees it (a small file can unpack to gigabytes)."""
    total = 0
    for info in archive.infolist():
        size = 0
        with archive.open(info) as part:
            while chunk := part.read(1024 * 1024):
                size, total = size + len(chunk), total + len(chunk)
                if size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                    limit = f"{MAX_PART_BYTES // 2**20} MB a part, {MAX_UNPACKED_BYTES // 2**20} MB in all"
                    message = f"unpacks to more than a clinic list can hold ({limit}); is it the right file?"
                    raise ContentError([Problem(label, message)])


def _workbook_row(line: int, cells: list[str], width: int) -> SheetRow:
    """A cell filled in right of the last header is a shifted row: refused, its cells unread."""
    if any(cell.strip() for cell in cells[width:]):
        return SheetRow(line, [], f"a cell right of the last column (the header has {width}); check the row")
    return SheetRow(line, cells)
