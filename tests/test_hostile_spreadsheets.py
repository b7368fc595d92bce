"""Spreadsheets read defensively (round three of hostile input): damaged parts, zip bombs, merged and hidden
cells, hidden sheets, formulas with no saved value, password protection, too many rows.

Each case asserts the line a user sees and the exit code, that there is no traceback, and that nothing
was written; the parsing cases read the rows the batch would print.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import coming_monday, run_cli
from openpyxl import Workbook
from test_clinic_spreadsheets import write_ods

from leaflets.personal.batch_rows import batch_rows
from leaflets.personal.spreadsheet import MAX_PART_BYTES, read_sheet

HEADER = ["ref", "leaflet", "lang", "clinic", "regimen", "start_date", "next_appointment"]
START, LATER = coming_monday(1), coming_monday(3)


def workbook(path: Path, rows: list[list], edit=None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Clinic"
    for row in rows:
        sheet.append(row)
    if edit:
        edit(book, sheet)
    book.save(path)
    return path


def batch(tmp_path: Path, path: Path):
    return run_cli("--output", tmp_path / "out", "batch", path)


def assert_refused(tmp_path: Path, path: Path, message: str) -> None:
    result = batch(tmp_path, path)
    assert (result.code, result.err) == (1, f"{path}: {message}\n")
    assert "Traceback" not in result.err + result.out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def rewrite_part(path: Path, part: str, change) -> Path:
    """The workbook with one zip part's bytes changed (the rest copied as they are)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return path


def good_row(ref: str = "R1") -> list:
    return [ref, "naltrexone", "en", "example", "daily:50", str(START), str(LATER)]


def test_a_damaged_sheet_part_is_one_line(tmp_path):
    path = workbook(tmp_path / "clinic.xlsx", [HEADER, good_row()])
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</row>", b"", 1))
    assert_refused(tmp_path, path, "a damaged .xlsx workbook (ParseError); save it again")


def test_a_damaged_ods_row_count_is_one_line(tmp_path):
    path = write_ods(tmp_path / "clinic.ods", [HEADER, good_row()])
    rewrite_part(path, "content.xml", lambda xml: xml.replace(b"<table:table-row", b'<table:table-row '
                 b'table:number-rows-repeated="abc"', 2))  # fmt: skip
    result = batch(tmp_path, path)
    assert result.code == 1 and "a damaged .ods spreadsheet" in result.err and "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1


def test_a_zip_bomb_is_refused_while_it_inflates(tmp_path):
    path = workbook(tmp_path / "clinic.xlsx", [HEADER, good_row()])
    bomb = b"<sst><si><t>" + b"A" * (MAX_PART_BYTES + 1) + b"</t></si></sst>"
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: bomb)
    assert path.stat().st_size < 1_000_000  # a small file on disk
    assert_refused(tmp_path, path, "unpacks to more than a clinic list can hold (64 MB a part, 128 MB in all); "
                                   "is it the right file?")  # fmt: skip


def test_a_password_protected_workbook_says_so(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le"))
    assert_refused(tmp_path, path, "a password-protected workbook; remove the password (File > Info > Protect "
                                   "Workbook) and save it")  # fmt: skip


def test_a_merged_xlsx_cell_gives_each_row_its_value(tmp_path):
    rows = [HEADER, good_row("M1"), ["M2", "naltrexone", "en", "example", "daily:50", None, str(LATER)]]
    path = workbook(tmp_path / "clinic.xlsx", rows, lambda book, sheet: sheet.merge_cells("F2:F3"))
    result = batch_rows(read_sheet(path), str(path))
    assert [row.request.start_date for row in result.rows] == [str(START), str(START)]
    assert [row.request.next_appointment for row in result.rows] == [str(LATER), str(LATER)]
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "Excel workbook, sheet 'Clinic': cells F2:F3 are merged; each of their rows reads the merged value")
    ]


def test_a_merged_ods_cell_never_shifts_the_row(tmp_path):
    """The start date merged down over two rows: the second row's next appointment stays its own."""
    rows = [HEADER, good_row("M1"), ["M2", "naltrexone", "en", "example", "daily:50", "", str(coming_monday(4))]]
    path = write_ods(tmp_path / "clinic.ods", rows, merged_down=(1, 5))
    result = batch_rows(read_sheet(path), str(path))
    assert [(row.request.start_date, row.request.next_appointment) for row in result.rows] == [
        (str(START), str(LATER)),
        (str(START), str(coming_monday(4))),
    ]
    assert any("merged over 2 rows" in warning.message for warning in result.warnings)


def test_a_hidden_first_sheet_is_never_chosen_by_default(tmp_path):
    def hidden_old_list(book, sheet):
        old = book.create_sheet("Old list", 0)
        old.append(HEADER)
        old.append(["OLD1", "naltrexone", "en", "example", "daily:50", "", ""])
        old.sheet_state = "hidden"
        book.active = book.index(sheet)

    path = workbook(tmp_path / "clinic.xlsx", [HEADER, good_row("NEW1")], hidden_old_list)
    sheet = read_sheet(path)
    assert sheet.described_as == "Excel workbook, sheet 'Clinic'"
    assert [row.cells[0] for row in sheet.rows] == ["NEW1"]


def test_a_hidden_or_filtered_row_is_reported(tmp_path):
    rows = [HEADER, good_row("H1"), good_row("H2")]
    path = workbook(
        tmp_path / "clinic.xlsx", rows, lambda book, sheet: setattr(sheet.row_dimensions[3], "hidden", True)
    )
    result = batch_rows(read_sheet(path), str(path))
    assert [(w.line, w.message) for w in result.warnings] == [
        (3, "Excel workbook, sheet 'Clinic': this row is hidden or filtered out in the sheet; it is printed like any "
            "other")
    ]  # fmt: skip


def test_a_formula_with_no_saved_value_names_its_cell(tmp_path):
    rows = [HEADER, ["F1", "naltrexone", "en", "example", "daily:50", "=TODAY()+7", str(LATER)]]
    path = workbook(tmp_path / "clinic.xlsx", rows)  # openpyxl saves formulas without their results
    result = batch(tmp_path, path)
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err == (f"{path}:2: cell F2 is a formula with no saved value; open the file, recalculate and save "
                          "it (or paste the cells as values)\n")  # fmt: skip


def test_more_rows_than_a_batch_takes_are_refused_before_anything_is_rendered(tmp_path):
    path = tmp_path / "clinic.csv"
    lines = [",".join(HEADER)] + [f"R{n},naltrexone,en,example,daily:50,," for n in range(10_001)]
    path.write_text("\n".join(lines) + "\n")
    result = batch(tmp_path, path)
    assert (result.code, result.err) == (1, f"{path}: 10001 rows; a batch has at most 10000: split the file\n")
    assert not (tmp_path / "out" / "print").exists() or not any((tmp_path / "out" / "print").iterdir())


@pytest.mark.parametrize("rows", [10_000])
def test_exactly_the_most_rows_are_read(tmp_path, rows):
    path = tmp_path / "clinic.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(f"R{n},naltrexone,en,example,daily:50,," for n in
                                                         range(rows)) + "\n")  # fmt: skip
    assert len(batch_rows(read_sheet(path), str(path)).rows) == rows


# --- weak cases made clear -------------------------------------------------------------------------------------


def test_a_clinic_given_as_a_folder_says_so(tmp_path):
    folder = tmp_path / "clinics.yaml"
    folder.mkdir()
    result = run_cli("--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", folder,
                     "--regimen", "daily:50")  # fmt: skip
    assert (result.code, result.err) == (
        1,
        f"{folder}: a folder, not a clinic profile; give the path of its .yaml file, or a clinic id\n",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("2027-02-29", "February 2027 has 28 days"), ("2028-02-30", "February 2028 has 29 days"),
     ("2027-04-31", "April 2027 has 30 days")],
)  # fmt: skip
def test_a_day_the_month_does_not_have_names_the_month(tmp_path, text, message):
    result = run_cli("--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", "example",
                     "--regimen", "daily:50", "--start-date", text)  # fmt: skip
    assert (result.code, result.err) == (1, f"start date: {message}; got '{text}'\n")


# --- a name is never echoed, not even a character of it ------------------------------------------------------

UNPRINTABLE_NAME = "张伟"  # characters none of the English or Arabic fonts configured have


def never_echoed(text: str) -> bool:
    return not any(ch in text for ch in UNPRINTABLE_NAME) and "U+" not in text and "CJK" not in text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_name_the_fonts_cannot_print_is_refused_without_naming_a_character(tmp_path, lang):
    out = tmp_path / "x.pdf"
    result = run_cli("--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--lang", lang, "--clinic",
                     "example", "--regimen", "daily:50", "--name", UNPRINTABLE_NAME, "--out", out)  # fmt: skip
    assert (result.code, result.err) == (
        1,
        "name: has characters that none of the fonts for this language can print; write it in a script the "
        "leaflet's language uses, or leave it out\n",
    )
    assert never_echoed(result.out + result.err) and not out.exists()


def test_in_a_batch_the_row_fails_and_nothing_of_the_name_reaches_the_report(tmp_path):
    path = tmp_path / "clinic.csv"
    path.write_text(f"ref,leaflet,lang,clinic,regimen,name\nN1,naltrexone,en,example,daily:50,{UNPRINTABLE_NAME}\n")
    result = batch(tmp_path, path)
    report = (tmp_path / "out" / "print" / "clinic-report.csv").read_text(encoding="utf-8-sig")
    assert result.code == 1 and "name: has characters that none of the fonts" in result.err
    assert never_echoed(result.out + result.err + report)
    assert [p.name for p in (tmp_path / "out" / "print").iterdir()] == ["clinic-report.csv"]
