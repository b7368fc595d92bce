"""Batches from the spreadsheets clinics really have: .xlsx, cp1250 with semicolons, UTF-16 with tabs,
UTF-8 with a BOM and CRLF; the report, the combined duplex job, paper sizes and the treatment sheet."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import FIXTURES, ROOT, run_cli
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

NAMES = ["Łukasz Żółkiewski", "Zoë Brontë", "Agnieszka Wróblewska", "Harriet Swapped"]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The real content (naltrexone in en, pl...); dates in spreadsheets are day/month/year."""
    folder = tmp_path_factory.mktemp("clinic") / "content"
    shutil.copytree(ROOT / "content", folder)
    with (folder / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("date_order: DMY\n")
    return folder


def run_batch(content: Path, sheet: Path, *options) -> tuple:
    output = sheet.parent / f"out-{sheet.name}"
    result = run_cli("--content", content, "--output", output, "batch", sheet, *options)
    return result, output / "print"


def read_report(path: Path) -> list[dict]:
    """The report's rows; the approved leaflet's version and SHA-256 are checked, then left out."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        version, sha = row.pop("leaflet_version"), row.pop("leaflet_sha256")
        assert (version, len(sha)) == ("0.1", 64) if row["status"] == "written" else (version, sha) == ("", "")
    return rows


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith("batch: ")]


def pdftotext(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())


def pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def assert_private(output: Path, result) -> None:
    """No name in any message, file name or the report."""
    report = "".join(p.read_text(encoding="utf-8-sig") for p in output.glob("*-report.csv"))
    for name in NAMES:
        for part in name.split():
            for text in (result.out, result.err, report, " ".join(p.name for p in output.iterdir())):
                assert part.lower() not in text.lower()


def test_xlsx_workbook_with_clinic_headers_dates_and_an_extra_column(content, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["not the patients"])
    sheet = workbook.create_sheet("Clinic")
    sheet.append(["Ref", "Leaflet", "Lang", "Clinic", "Regimen", "Start Date", "Name", "NHS number", "Large-Print"])
    sheet.append(["X-101", "naltrexone", "pl", "example", "daily:50", datetime(2027, 1, 4), NAMES[0], 9434765919, "no"])
    sheet.append([None] * 9)  # a blank row in the middle
    sheet.append(["X-103", "naltrexone", "en", "example", "daily:500", "", NAMES[1], 9434765920, ""])
    sheet.append([None] * 9)
    path = tmp_path / "clinic.xlsx"
    workbook.save(path)
    result, output = run_batch(content, path, "--sheet", "Clinic")
    assert result.code == 1
    assert problem_lines(result.err) == [
        f"{path}:1: warning: column 'NHS number' is not used; its cells are ignored",
        f"{path}:4: row 3, ref X-103: regimen 'daily:500': 500 mg a day is more than 150 mg in one day",
    ]
    assert (
        result.out.splitlines()[0]
        == f"Batch: 1 of 2 row(s) from Excel workbook, sheet 'Clinic' written to {output}; 1 failed"
    )
    assert read_report(output / "clinic-report.csv") == [
        {"ref": "X-101", "status": "written", "file": "naltrexone-pl-X-101.pdf", "problem": ""},
        {
            "ref": "X-103",
            "status": "failed",
            "file": "",
            "problem": "row 3, ref X-103: regimen 'daily:500': 500 mg a day is more than 150 mg in one day",
        },
    ]
    text = pdftotext(output / "naltrexone-pl-X-101.pdf")
    assert NAMES[0] in text
    assert "4 stycznia 2027" in text  # the xlsx date cell, in Polish
    assert_private(output, result)


def test_an_unknown_sheet_names_the_sheets(content, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Clinic"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    result, _output = run_batch(content, path, "--sheet", "Patients")
    assert result.code == 1
    assert result.err == f"{path}: --sheet: no sheet 'Patients'; the sheets are: 'Clinic'\n"


def test_cp1250_with_semicolons_and_day_month_year_dates(content, tmp_path):
    lines = [
        "ref;leaflet;lang;clinic;regimen;start_date;next_appointment;name;prescriber",
        f"W-1;naltrexone;pl;example;daily:50;04/01/2027;01.02.2027;{NAMES[2]};Dr Józef Nowak",
        f"W-2;naltrexone;pl;example;daily:50;31/02/2027;;{NAMES[0]};",
        "",
        f'W-4;naltrexone;en;example;"mon:100,wed:100,fri:150";;;{NAMES[1]};',
    ]
    path = tmp_path / "zestawienie.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1250") + b"\r\n")
    result, output = run_batch(content, path)
    assert problem_lines(result.err) == [
        f"{path}:3: row 2, ref W-2: start_date: '31/02/2027' is not a date in the DMY order that site.yaml sets"
    ]
    assert sorted(p.name for p in output.iterdir()) == [
        "naltrexone-en-W-4.pdf",
        "naltrexone-pl-W-1.pdf",
        "zestawienie-report.csv",
    ]
    text = pdftotext(output / "naltrexone-pl-W-1.pdf")
    assert "4 stycznia 2027" in text and "1 lutego 2027" in text  # 04/01 is 4 January with date_order: DMY
    assert NAMES[2] in text
    assert "Lek przepisał(a): Dr Józef Nowak" in text
    assert "Numer referencyjny: W-1" in text
    assert_private(output, result)


def test_utf16_with_tabs_as_excel_saves_unicode_text(content, tmp_path):
    lines = ["ref\tleaflet\tlang\tclinic\tregimen\tname", f"U-1\tnaltrexone\ten\texample\ttwice-daily:25\t{NAMES[1]}"]
    path = tmp_path / "unicode.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))  # with its BOM, as Excel writes it
    result, output = run_batch(content, path)
    assert result.code == 0, result.err
    assert problem_lines(result.err) == []
    assert read_report(output / "unicode-report.csv") == [
        {"ref": "U-1", "status": "written", "file": "naltrexone-en-U-1.pdf", "problem": ""}
    ]
    assert f"Name: {NAMES[1]}" in pdftotext(output / "naltrexone-en-U-1.pdf")


def test_utf8_bom_crlf_a_broken_quote_spoils_only_its_own_row(content, tmp_path):
    lines = [
        "REF,Leaflet,LANG,Clinic,Regimen,Name",
        f'B-1,naltrexone,en,example,"mon:100,wed:100,fri:150,{NAMES[0]}',  # the quote is never closed
        f"B-2,naltrexone,en,example,daily:50,{NAMES[1]}",
        f"B-3,naltrexone,en,example,daily:50,{NAMES[2]}",
        ",,,,,",
        "",
    ]
    path = tmp_path / "patients.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines)).encode("utf-8"))
    result, output = run_batch(content, path, "--combined")
    assert problem_lines(result.err) == [
        f"{path}:2: row 1: not valid CSV: a quote is not closed; check the quotes in this row"
    ]
    assert result.out.splitlines()[0] == f"Batch: 2 of 3 row(s) written to {output}; 1 failed"  # blank rows not counted
    assert [row["status"] for row in read_report(output / "patients-report.csv")] == ["failed", "written", "written"]
    assert_private(output, result)


def test_combined_job_starts_every_leaflet_on_an_odd_page_and_stays_tagged(content, tmp_path):
    rows = [f"C-{n},naltrexone,{lang},example,daily:50" for n, lang in enumerate(["en", "pl", "en"], start=1)]
    path = tmp_path / "clinic day.csv"
    path.write_text("ref,leaflet,lang,clinic,regimen\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result, output = run_batch(content, path, "--combined")
    assert result.code == 0, result.err
    combined = output / "clinic day-combined.pdf"
    assert f"Combined: {combined} (each leaflet starts on an odd page: print it duplex)" in result.out
    counts = [pages(output / f"naltrexone-{lang}-C-{n}.pdf") for n, lang in enumerate(["en", "pl", "en"], start=1)]
    starts, page = [], 0
    for count in counts:
        page += page % 2  # a blank page before a leaflet that would start on an even page
        starts.append(page)
        page += count
    with pikepdf.open(combined) as pdf:
        assert len(pdf.pages) == page
        assert all(start % 2 == 0 for start in starts)  # page index 0, 2, 4...: odd page numbers
        for start, n in zip(starts, (1, 2, 3), strict=True):
            first_page = subprocess.run(
                ["pdftotext", "-f", str(start + 1), "-l", str(start + 1), combined, "-"], capture_output=True, text=True
            ).stdout
            assert f": C-{n}" in first_page  # its treatment page, with its ref, opens each leaflet
        tree = pdf.Root.StructTreeRoot
        assert pdf.Root.MarkInfo.Marked
        document = tree.K[0]
        assert document.S == "/Document"
        assert [str(part.Lang) for part in document.K] == ["en", "pl", "en"]
        keys = {int(tree.ParentTree.Nums[i]) for i in range(0, len(tree.ParentTree.Nums), 2)}
        page_keys = [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
        assert len(page_keys) == sum(counts) and set(page_keys) <= keys and len(set(page_keys)) == len(page_keys)
        assert [item.title for item in pdf.open_outline().root] == [
            "naltrexone-en-C-1",
            "naltrexone-pl-C-2",
            "naltrexone-en-C-3",
        ]


def test_paper_letter_for_print_and_from_site_yaml_for_the_site(content, tmp_path):
    result = run_cli(
        "--content", content, "--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", "example",
        "--regimen", "daily:50", "--paper", "letter", "--out", tmp_path / "letter.pdf",
    )  # fmt: skip
    assert result.code == 0, result.err
    with pikepdf.open(tmp_path / "letter.pdf") as pdf:
        assert {tuple(float(v) for v in page.mediabox) for page in pdf.pages} == {(0, 0, 612, 792)}
    site_content = tmp_path / "site-content"
    shutil.copytree(FIXTURES / "minimal", site_content)  # one small leaflet: the site builds quickly
    (site_content / "site.yaml").write_text("paper: letter\n", encoding="utf-8")
    assert run_cli("--content", site_content, "--output", tmp_path / "site-out", "site").code == 0
    for pdf_path in (tmp_path / "site-out" / "site").rglob("*.pdf"):
        with pikepdf.open(pdf_path) as pdf:
            assert tuple(float(v) for v in pdf.pages[0].mediabox) == (0, 0, 612, 792), pdf_path


def test_only_treatment_is_at_most_two_pages_with_the_print_record(content, tmp_path):
    out = tmp_path / "repeat.pdf"
    result = run_cli(
        "--content", content, "--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", "example",
        "--regimen", "daily:50", "--only", "treatment", "--ref", "R-77", "--prescriber", "Dr Ada Khan",
        "--name", NAMES[3], "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert pages(out) <= 2
    text = pdftotext(out)
    assert f"Printed on {datetime.now():%-d %B %Y} · Reference: R-77 · Prescriber: Dr Ada Khan" in text
    assert "Alert card" in text and f"Name: {NAMES[3]}" in text
    assert "Who to contact" not in text  # the rest of the leaflet is left out


def test_booklet_is_a5_imposed_on_a4_beside_the_tagged_pdf(content, tmp_path):
    out = tmp_path / "leaflet.pdf"
    result = run_cli(
        "--content", content, "--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", "example",
        "--regimen", "daily:50", "--booklet", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    booklet = tmp_path / "leaflet-booklet.pdf"
    assert result.out.splitlines()[:2] == [f"Wrote {out}", f"Wrote {booklet}"]
    with pikepdf.open(out) as tagged, pikepdf.open(booklet) as imposed:
        assert "/StructTreeRoot" in tagged.Root
        assert [round(float(v)) for v in tagged.pages[0].mediabox] == [0, 0, 420, 595]  # A5
        assert len(imposed.pages) == 2 * -(-len(tagged.pages) // 4)  # two sides per folded sheet
        assert {tuple(round(float(v)) for v in p.mediabox) for p in imposed.pages} == {(0, 0, 842, 595)}


def test_booklet_with_another_paper_is_a_usage_error(content, tmp_path):
    result = run_cli(
        "--content", content, "print", "--leaflet", "naltrexone", "--clinic", "example", "--regimen", "daily:50",
        "--booklet", "--paper", "letter",
    )  # fmt: skip
    assert result.code == 2
    assert result.err == "--booklet makes A5 pages for A4 sheets; leave out --paper letter\n"


@pytest.mark.parametrize(
    ("site_yaml", "cell", "message"),
    [
        ("", "04/01/2027", "start_date: '04/01/2027' could be 4 January 2027 or 1 April 2027; write it as YYYY-MM-DD, "
         "or set date_order: DMY or MDY in site.yaml"),
        ("", "13/01/2027", "start_date: '13/01/2027' is not YYYY-MM-DD; write 2027-01-04, or set date_order: DMY or MDY "
         "in site.yaml"),
        ("date_order: MDY\n", "13/01/2027", "start_date: '13/01/2027' is not a date in the MDY order that site.yaml sets"),
        ("date_order: DMY\n", "04/01/27", "start_date: '04/01/27' has a two-digit year; write the year in full, "
         "e.g. 2027-01-04"),
    ],
)  # fmt: skip
def test_dates_that_read_two_ways_are_refused_with_the_reason(content, tmp_path, site_yaml, cell, message):
    folder = tmp_path / "content"
    shutil.copytree(content, folder)
    config = (content / "site.yaml").read_text(encoding="utf-8").replace("date_order: DMY\n", site_yaml)
    (folder / "site.yaml").write_text(config, encoding="utf-8")
    path = tmp_path / "dates.csv"
    path.write_text(f"ref,leaflet,lang,clinic,regimen,start_date\nD-1,naltrexone,en,example,daily:50,{cell}\n")
    result, _output = run_batch(folder, path)
    assert problem_lines(result.err) == [f"{path}:2: row 1, ref D-1: {message}"]


def test_large_print_treatment_sheet_is_all_16pt_or_more(content, tmp_path):
    out = tmp_path / "large.pdf"
    result = run_cli(
        "--content", content, "--output", tmp_path / "out", "print", "--leaflet", "naltrexone", "--clinic", "example",
        "--regimen", "daily:50", "--only", "treatment", "--large-print", "--ref", "LP-1", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    with pdfplumber.open(out) as pdf:
        sizes = {round(char["size"], 1) for page in pdf.pages for char in page.chars if char["text"].strip()}
        assert len(pdf.pages) <= 2
    assert min(sizes) >= 16 and 18 in sizes  # body 18 pt, nothing under 16 pt
    assert "Reference: LP-1" in pdftotext(out)


def write_ods(path: Path, rows: list[list[str]], merged_down: tuple[int, int] | None = None) -> Path:
    """An OpenDocument spreadsheet made with odfpy, as LibreOffice saves one; ``merged_down`` (row, column)
    merges that cell with the one below it (the lower one becomes a covered cell)."""
    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(ods_table("Clinic", rows, merged_down))
    document.save(str(path))
    return path


def ods_table(name: str, rows: list[list[str]], merged_down: tuple[int, int] | None = None, **attributes) -> Table:
    """One sheet of text cells (``attributes`` such as a stylename go on the table)."""
    table = Table(name=name, **attributes)
    for r, cells in enumerate(rows):
        row = TableRow()
        for c, value in enumerate(cells):
            if merged_down and (r - 1, c) == merged_down:
                row.addElement(CoveredTableCell())
                continue
            spanned = {"numberrowsspanned": 2} if merged_down and (r, c) == merged_down else {}
            cell = TableCell(valuetype="string", **spanned)
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    return table


def test_ods_spreadsheet(content, tmp_path):
    path = write_ods(
        tmp_path / "clinic.ods",
        [
            ["Ref", "Leaflet", "Lang", "Clinic", "Regimen", "Name"],
            ["O-1", "naltrexone", "en", "example", "daily:50", NAMES[1]],
        ],
    )
    result, output = run_batch(content, path)
    assert result.code == 0, result.err
    assert read_report(output / "clinic-report.csv") == [
        {"ref": "O-1", "status": "written", "file": "naltrexone-en-O-1.pdf", "problem": ""}
    ]
    assert f"Name: {NAMES[1]}" in pdftotext(output / "naltrexone-en-O-1.pdf")
    assert_private(output, result)
