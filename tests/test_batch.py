"""`build.py batch`: one PDF per good CSV row, every bad row reported by number, never a name."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT, coming_monday, long_date, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflets.errors import ContentError, Problem
from leaflets.i18n.localise import load_content
from leaflets.personal.batch import BatchRow, read_batch_csv

HEADER = "ref,leaflet,lang,clinic,regimen,start_date,next_appointment,name,confirm_unusual_dose"
OPTIONAL_COLUMNS = (
    "regimen,start_date,next_appointment,name,confirm_unusual_dose,prescriber,large_print,only,supervised,tick_chart"
)
BOM = "\ufeff"
START, APPOINTMENT = coming_monday(1), coming_monday(5) + timedelta(days=1)  # within a year of today

# (CSV line, expected message or None for a row that is built). Every name is distinctive, to search for;
# {languages} stands for the languages the content offers today.
MIXED_ROWS = [
    (f"A1,naltrexone,en,example,daily:50,{START},,Alice Zephyrine,", None),
    ('A2,naltrexone,en,example,"mon:100,wed:110,fri:150",,,Bruno Quillfeather,',
     "regimen 'mon:100,wed:110,fri:150': 110 mg: naltrexone comes as 50 mg scored tablets that can be halved; "
     "each dose must be a whole number of half tablets (25, 50, 75, ... mg)"),
    ("A3,naltrexone,en,example,daily:175,,,Carys Vantablack,",
     "regimen 'daily:175': 175 mg a day is more than 150 mg in one day"),
    ("A4,naltrexone,en,example,daily:50,,,<script>alert(1)</script>,",
     "name: must be plain text without '<', '>', control or formatting characters"),
    ("../x,naltrexone,en,example,daily:50,,,Dmitri Oxleybottom,",
     "ref: use 1-40 letters, digits, '-' or '_', with a digit (a reference, never a name)"),
    ("A6,naltrexone,en,../etc,daily:50,,,Eloise Pendragonne,",
     "clinic: use a clinic id such as 'example' (lowercase letters, digits, '-')"),
    ("A1,naltrexone,en,example,daily:50,,,Fergus Marchbanks,",
     "ref: 'A1' is used by an earlier row; each row needs its own ref"),
    ("A8,naltrexone,xx,example,daily:50,,,Gwendolyn Axelrodd,",
     "language 'xx': no naltrexone leaflet in it; choose one of: {languages}"),
    ("A9,nosuch,en,example,daily:50,,,Hamish Tillinghast,",
     "leaflet 'nosuch': no such leaflet; choose one of: acamprosate, naltrexone"),
    ("A10,naltrexone,en,example,twice-daily:25,,,Ines Quarrington,", None),
    ("A11,naltrexone,en,example,daily:25,,,Jasper Wolvercote,", "regimen 'daily:25': this is not one of the "
     "standard schedules for naltrexone (daily:50; twice-daily:25; mon:100,wed:100,fri:150); check the "
     "prescription and set confirm_unusual_dose to yes in this row if it is right"),
    ("A12,naltrexone,en,example,daily:25,,,Kirsten Holloway-Brisk,yes", None),
    ("A13,naltrexone,en,example,daily:50,2025/03/03,,Lorcan Fitzwarren,",
     "start date: expected a date (YYYY-MM-DD), got '2025/03/03'"),
    (f'A14,naltrexone,en,example,"mon:100,wed:100,fri:150",,{APPOINTMENT},Morwenna Slate,', None),
    ("A15,naltrexone,en,example,daily:50,,,yes,Nadia Underwood",  # name and confirm swapped
     "confirm_unusual_dose: expected yes or no, or leave it empty"),
]  # fmt: skip
NAMES = ["Alice Zephyrine", "Bruno Quillfeather", "Carys Vantablack", "<script>", "alert(1)", "Dmitri Oxleybottom",
         "Eloise Pendragonne", "Fergus Marchbanks", "Gwendolyn Axelrodd", "Hamish Tillinghast", "Ines Quarrington",
         "Jasper Wolvercote", "Kirsten Holloway-Brisk", "Lorcan Fitzwarren", "Morwenna Slate", "Nadia Underwood"]  # fmt: skip


def write_csv(path: Path, lines: list[str], bom: bool = False) -> Path:
    path.write_text((BOM if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def problem_lines(err: str) -> list[str]:
    """What a batch printed on stderr, less its progress lines ('batch: 30% (3 of 10 rows)')."""
    return [line for line in err.splitlines() if not line.startswith("batch: ")]


def progress_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("batch: ")]


def files_under(folder: Path) -> list[Path]:
    """Files written under ``folder``, but for the cache of approved leaflets (tests/test_leaflet_part.py)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    return [p for p in found if ".cache" not in p.relative_to(folder).parts]


def pdftotext(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())


def available_languages() -> str:
    [leaflet] = [item for item in load_content(ROOT / "content").leaflets if item.leaflet_id == "naltrexone"]
    return ", ".join(leaflet.texts)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The mixed CSV (with a BOM) run once: (csv path, output folder, CLI result)."""
    folder = tmp_path_factory.mktemp("mixed")
    csv_path = write_csv(folder / "patients.csv", [HEADER] + [line for line, _ in MIXED_ROWS], bom=True)
    output = folder / "output"
    return csv_path, output, run_cli("--output", output, "batch", csv_path)


def test_bad_rows_are_reported_by_row_number_and_the_rest_are_built(mixed):
    csv_path, output, result = mixed
    expected = []
    for number, (line, message) in enumerate(MIXED_ROWS, start=1):
        if message:
            ref = line.split(",")[0]
            where = f"row {number}" + ("" if ref.startswith("..") else f", ref {ref}")
            expected.append(f"{csv_path}:{number + 1}: {where}: {message.format(languages=available_languages())}")
    assert problem_lines(result.err) == expected
    assert result.code == 1
    assert [p.name for p in files_under(output)] == [
        "naltrexone-en-A1.pdf",
        "naltrexone-en-A10.pdf",
        "naltrexone-en-A12.pdf",
        "naltrexone-en-A14.pdf",
        "patients-report.csv",
    ]
    assert result.out == (
        f"Batch: 4 of 15 row(s) written to {output / 'print'}; 11 failed\n"
        f"Report: {output / 'print' / 'patients-report.csv'}\n"
    )


def test_batch_pdfs_are_private_and_belong_to_their_rows(mixed):
    _csv, output, _result = mixed
    print_dir = output / "print"
    for pdf in files_under(output):
        assert pdf.parent == print_dir
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    a1 = pdftotext(print_dir / "naltrexone-en-A1.pdf")
    assert "Name: Alice Zephyrine" in a1
    assert f"Start date {long_date(START)}" in a1
    assert "Take 1 tablet (50 mg) once a day, every day." in a1
    assert "Take half a tablet (25 mg) twice a day, every day." in pdftotext(print_dir / "naltrexone-en-A10.pdf")
    a12 = pdftotext(print_dir / "naltrexone-en-A12.pdf")
    assert "Name: Kirsten Holloway-Brisk" in a12
    assert "Your prescriber set this schedule for you." in a12
    assert f"Next appointment {long_date(APPOINTMENT)}" in pdftotext(print_dir / "naltrexone-en-A14.pdf")


@pytest.mark.parametrize("name", NAMES)
def test_names_never_reach_file_names_or_messages(mixed, name):
    csv_path, output, result = mixed
    for part in name.lower().split():
        assert part not in result.out.lower()
        assert part not in result.err.lower()
        assert not [p for p in files_under(csv_path.parent) if part in str(p.relative_to(csv_path.parent)).lower()]


# --- a clean batch, and parallel workers --------------------------------------------------

CLEAN_ROWS = [
    "ref,leaflet,lang,clinic,regimen,name",
    "p-001,naltrexone,en,example,daily:50,Nia Oakhanger",
    "p-002,naltrexone,en,example,twice-daily:25,",
    'p_003,naltrexone,en,example,"mon:100,wed:100,fri:150",Oren Bellwether',
]
CLEAN_FILES = ["clean-report.csv", "naltrexone-en-p-001.pdf", "naltrexone-en-p-002.pdf", "naltrexone-en-p_003.pdf"]
CLEAN_PROGRESS = ["batch: 33% (1 of 3 rows)", "batch: 66% (2 of 3 rows)", "batch: 100% (3 of 3 rows)"]


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A CSV without a BOM or bad rows, built with one worker: (csv path, output folder, CLI result)."""
    folder = tmp_path_factory.mktemp("clean")
    csv_path = write_csv(folder / "clean.csv", CLEAN_ROWS)
    output = folder / "one-worker"
    return csv_path, output, run_cli("--output", output, "batch", csv_path, "--workers", 1)


def test_clean_batch_exits_0(clean):
    _csv, output, result = clean
    assert result.code == 0, result.err
    assert result.err.splitlines() == CLEAN_PROGRESS  # not a terminal: one line per tenth of the rows
    assert result.out.splitlines() == [
        f"Batch: 3 of 3 row(s) written to {output / 'print'}; 0 failed",
        f"Report: {output / 'print' / 'clean-report.csv'}",
    ]
    assert [p.name for p in files_under(output)] == CLEAN_FILES


def test_two_workers_write_the_same_leaflets_as_one(clean):
    csv_path, one_worker, _result = clean
    two_workers, temp = csv_path.parent / "two-workers", csv_path.parent / "temp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, ROOT / "build.py", "--output", two_workers, "batch", csv_path, "--workers", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == CLEAN_PROGRESS  # no bar when stderr is not a terminal: lines
    assert result.stdout.splitlines()[0] == f"Batch: 3 of 3 row(s) written to {two_workers / 'print'}; 0 failed"
    assert [p.name for p in files_under(two_workers)] == CLEAN_FILES
    assert list(temp.iterdir()) == [], "the batch or its workers left temporary folders"
    for name in CLEAN_FILES[1:]:
        pdf = two_workers / "print" / name
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        assert pdftotext(pdf) == pdftotext(one_worker / "print" / name)


# --- whole-file refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "details"),
    [
        ("ref,leaflet,lang,regimen", "missing columns: clinic"),
        ("reference,leaflet,lang,clinic,regimen", "missing columns: ref"),
        ("ref;leaflet;lang;regimen", "missing columns: clinic"),
    ],
)
def test_wrong_header_is_refused_and_nothing_is_written(tmp_path, header, details):
    csv_path = write_csv(tmp_path / "batch.csv", [header, "A1,naltrexone,en,example,daily:50"])
    result = run_cli("--output", tmp_path / "output", "batch", csv_path)
    assert result.code == 1
    expected = f"expected ref,leaflet,lang,clinic (optional: {OPTIONAL_COLUMNS})"
    assert result.err == f"{csv_path}:1: header: {details}; {expected}\n"
    assert result.out == ""
    assert files_under(tmp_path / "output") == []


def test_stray_quote_in_the_header_is_a_csv_error_not_a_crash(tmp_path):
    csv_path = write_csv(tmp_path / "batch.csv", ['ref,"leaflet"x,lang,clinic,regimen'])
    result = run_cli("--output", tmp_path / "output", "batch", csv_path)
    assert result.code == 1
    assert result.err == f"{csv_path}:1: header: not valid CSV: ',' expected after '\"'\n"


@pytest.mark.parametrize("workers", ["0", "65", "two"])
def test_workers_out_of_range_is_a_usage_error(tmp_path, workers):
    csv_path = write_csv(tmp_path / "clean.csv", CLEAN_ROWS)
    result = run_cli("--output", tmp_path / "output", "batch", csv_path, "--workers", workers)
    assert result.code == 2
    assert f"argument --workers: expected a whole number from 1 to 64, got '{workers}'" in result.err
    assert files_under(tmp_path / "output") == []


# --- read_batch_csv never fails with anything but ContentError ------------------------------------

CSV_PIECES = st.sampled_from(
    ["A1", "naltrexone", "en", "example", "daily:50", "mon:100,wed:100,fri:150", "yes", "maybe", "../x", "<b>",
     ",", ",", '"', '""', "\n", "\r\n", "\r", " ", "\t", "\x00", BOM, "é", "\u202e", "2025-03-03"]
)  # fmt: skip
CSV_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(CSV_PIECES, st.text(max_size=5)), max_size=40).map("".join),
    st.lists(st.one_of(CSV_PIECES, st.text(max_size=5)), max_size=40).map(lambda parts: HEADER + "\n" + "".join(parts)),
).map(lambda text: text.encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(CSV_TEXT, st.binary(max_size=200)))
def test_read_batch_csv_returns_rows_and_problems_or_raises_content_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.csv"
        path.write_bytes(data)
        try:
            rows, problems = read_batch_csv(path)
        except ContentError as error:
            assert error.problems
            return
    assert all(isinstance(row, BatchRow) for row in rows)
    assert all(isinstance(problem, Problem) and str(problem) for problem in problems)
    assert len({row.ref for row in rows}) == len(rows)


def test_shards_split_the_rows_and_together_cover_the_batch(cli, tmp_path):
    rows = [f"S{n},naltrexone,en,example,daily:50" for n in range(1, 6)] + ["S6,naltrexone,en,example,daily:30"]
    csv_path = tmp_path / "shard.csv"
    csv_path.write_text("ref,leaflet,lang,clinic,regimen\n" + "\n".join(rows) + "\n")
    names = {}
    for shard in ("1/2", "2/2"):
        out = tmp_path / shard.replace("/", "-")
        result = cli("batch", csv_path, "--shard", shard, "--output", out)
        names[shard] = sorted(p.name for p in (out / "print").iterdir() if p.suffix == ".pdf")
        assert ("row 6, ref S6" in result.err) == (shard == "2/2")
    assert names["1/2"] == ["naltrexone-en-S1.pdf", "naltrexone-en-S3.pdf", "naltrexone-en-S5.pdf"]
    assert names["2/2"] == ["naltrexone-en-S2.pdf", "naltrexone-en-S4.pdf"]


@pytest.mark.parametrize("shard", ["0/2", "3/2", "x", "1/0", "1-2"])
def test_bad_shard_is_a_usage_error(cli, tmp_path, shard):
    result = cli("batch", tmp_path / "any.csv", "--shard", shard)
    assert result.code == 2
    assert "expected K/N with 1 <= K <= N" in result.err


def test_workers_are_recycled_without_hanging(tmp_path, monkeypatch):
    from leaflets.personal import batch
    from leaflets.personal.session import PrintSession

    monkeypatch.setattr(batch, "WORKER_RECYCLE_AFTER", 1)  # a fresh pair of workers for every two leaflets
    rows = [f"R{n},naltrexone,en,example,daily:50" for n in range(1, 6)]
    csv_path = tmp_path / "recycle.csv"
    csv_path.write_text("ref,leaflet,lang,clinic,regimen\n" + "\n".join(rows) + "\n")
    session = PrintSession(ROOT / "content", tmp_path / "out")
    report = batch.run_batch(session, csv_path, workers=2)
    assert report.problems == []
    assert sorted(p.name for p in report.written) == [f"naltrexone-en-R{n}.pdf" for n in range(1, 6)]


def test_a_name_typed_into_another_column_is_never_echoed(cli, tmp_path):
    csv_path = tmp_path / "swapped.csv"
    csv_path.write_text(
        "ref,leaflet,lang,clinic,regimen,start_date,name\n"
        "Q1,naltrexone,en,example,daily:50,Imogen Thistlewood,Imogen Thistlewood\n"
        "Q2,naltrexone,en,example,Imogen Thistlewood,,Imogen Thistlewood\n"
    )
    result = cli("batch", csv_path, "--output", tmp_path / "out")
    assert result.code == 1
    assert "Thistlewood" not in result.err + result.out
    not_shown = "expected a date such as 2027-01-04; this cell is not one (its value is not shown)"
    assert f"{csv_path}:2: row 1, ref Q1: start_date: {not_shown}" in result.err
    assert "regimen: expected a regimen such as daily:50" in result.err
