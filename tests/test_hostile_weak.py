"""The weak cases of the third hostile-input probe: each now gets one clear line, and nothing wrong is written.

Each asserts the message a user sees, the exit code, no traceback, and what is (or is not) on disk.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from conftest import ROOT, run_cli
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from test_clinic_spreadsheets import ods_table

HEADER = ["ref", "leaflet", "lang", "clinic", "regimen"]


def row(ref: str) -> list[str]:
    return [ref, "naltrexone", "en", "example", "daily:50"]


def batch(tmp_path: Path, path: Path, *args):
    return run_cli("--content", ROOT / "content", "--output", tmp_path / "out", "batch", path, "--only", "treatment",
                   *args)  # fmt: skip


def test_a_sheet_name_with_a_newline_stays_on_one_line(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Patients"
    book.active.append(HEADER)
    book.active.append(row("W1"))
    book.create_sheet("Old\nlist")
    book.save(tmp_path / "book.xlsx")
    result = batch(tmp_path, tmp_path / "book.xlsx", "--sheet", "X\nY")
    assert (result.code, result.err) == (
        1,
        f"{tmp_path / 'book.xlsx'}: --sheet: no sheet 'X\\nY'; the sheets are: 'Patients', 'Old\\nlist'\n",
    )
    assert not (tmp_path / "out" / "print").exists()


def write_ods_with_hidden_first_sheet(path: Path) -> Path:
    document = OpenDocumentSpreadsheet()
    hidden = Style(name="ta_hidden", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)
    document.spreadsheet.addElement(ods_table("Old list", [HEADER, row("OLD1")], stylename=hidden))
    document.spreadsheet.addElement(ods_table("Current", [HEADER, row("NEW1")]))
    document.save(str(path))
    return path


def test_a_hidden_first_ods_sheet_is_never_chosen_and_the_summary_names_the_sheet(tmp_path):
    result = batch(tmp_path, write_ods_with_hidden_first_sheet(tmp_path / "clinic.ods"))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        f"Batch: 1 of 1 row(s) from OpenDocument spreadsheet, sheet 'Current' written to {tmp_path / 'out' / 'print'}; "
        "0 failed"
    )
    assert sorted(p.name for p in (tmp_path / "out" / "print").iterdir()) == [
        "clinic-report.csv",
        "naltrexone-en-treatment-NEW1.pdf",
    ]


def test_a_spreadsheet_path_with_a_newline_makes_one_report_line_and_a_plain_file_name(tmp_path):
    path = tmp_path / "bad\nname.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, row("W1")])
    result = batch(tmp_path, path)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == f"Report: {tmp_path / 'out' / 'print' / 'bad_name-report.csv'}"
    assert sorted(p.name for p in (tmp_path / "out" / "print").iterdir()) == [
        "bad_name-report.csv",
        "naltrexone-en-treatment-W1.pdf",
    ]


def test_a_read_only_output_folder_is_named_not_a_staging_folder():
    """Run as an ordinary user (root may write anywhere): the line names the folder given, never '.site-new-…'."""
    folder = Path(tempfile.mkdtemp(prefix="leaflet-read-only-"))
    try:
        os.chmod(folder, 0o755)  # noqa: S103 - the other user must reach the folder inside
        output = folder / "out"
        output.mkdir(mode=0o555)
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(ROOT / "content"), "site", "--output",
                   str(output)]  # fmt: skip
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1] == (
            f"{output}: permission denied; choose a folder you can write to, or check its permissions"
        )
        assert "Traceback" not in result.stderr
        assert list(output.iterdir()) == []
    finally:
        shutil.rmtree(folder)


def test_a_site_folder_that_is_a_symbolic_link_is_refused_and_left_alone(tmp_path):
    output, target = tmp_path / "out", tmp_path / "web-root"
    output.mkdir()
    target.mkdir()
    (target / "index.html").write_text("the web team's page")
    (output / "site").symlink_to(target)
    result = run_cli("--content", ROOT / "content", "--output", output, "site")
    assert (result.code, result.err.splitlines()[-1]) == (
        1,
        f"{output / 'site'}: is a symbolic link (to {target}); the build replaces this folder whole, so it never "
        "follows a link: remove the link and point the web server at this folder, or give --output the folder "
        "that should hold site/",
    )
    assert (output / "site").is_symlink()
    assert [p.name for p in target.iterdir()] == ["index.html"]
