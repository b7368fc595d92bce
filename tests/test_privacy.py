"""Patient data: a name reaches its own personalised PDF and nowhere else.

A site is built, then a batch with names (some rows bad) and two ``print --name`` runs (one
refused) write into the same output folder. Everything a person or a tool could read is then
searched: every path under the output, the text of every file (PDFs through pdftotext and
pdfinfo), what the commands printed and everything they logged.
"""

from __future__ import annotations

import functools
import logging
import shutil
import stat
import subprocess
from pathlib import Path

import conftest
import pytest
from conftest import FIXTURES, ROOT

PRINTED = {  # name -> the ref or command that prints it
    "Zebedee Quartermaine": "P1",
    "Ottoline Marchbanks": "P2",
    "Peregrine Ashdown-Vale": "print",
}
REFUSED = [
    "Wilhelmina Thistlewood",  # an unsafe dose
    "Cornelius Fairweather",  # one cell too many
    "Bartholomew Quince",  # typed into the ref column
    "Rosalind Featherstonehaugh",  # a refused print
]
CSV_ROWS = [
    "ref,leaflet,lang,clinic,regimen,name",
    "P1,sample,en,example,daily:50,Zebedee Quartermaine",
    "P2,sample,en,example,twice-daily:25,Ottoline Marchbanks",
    "P3,sample,en,example,daily:500,Wilhelmina Thistlewood",
    "P4,sample,en,example,daily:50,,Cornelius Fairweather",
    "Bartholomew Quince,sample,en,example,daily:50,",
]
PRINT = ["print", "--leaflet", "sample", "--clinic", "example"]


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def run_cli(*args) -> tuple[int, str]:
    """build.py's main() in-process; returns the exit code and everything it printed."""
    result = conftest.run_cli(*args)
    return result.code, result.out + result.err


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """Build, batch and print into one output folder; keep what was printed and logged."""
    folder = tmp_path_factory.mktemp("privacy")
    content, output = folder / "content", folder / "output"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "clinics").mkdir()
    shutil.copy(ROOT / "content" / "clinics" / "example.yaml", content / "clinics" / "example.yaml")
    csv_path = folder / "input" / "patients.csv"
    csv_path.parent.mkdir()
    csv_path.write_text("\n".join(CSV_ROWS) + "\n", encoding="utf-8")
    common = ["--content", content, "--output", output]
    records = _Records()
    logging.getLogger().addHandler(records)
    try:
        codes = {
            "site": run_cli("site", *common),
            "batch": run_cli("batch", csv_path, *common),
            "print": run_cli(*PRINT, "--regimen", "daily:50", "--name", "Peregrine Ashdown-Vale", *common),
            "refused": run_cli(*PRINT, "--regimen", "daily:500", "--name", "Rosalind Featherstonehaugh", *common),
        }
    finally:
        logging.getLogger().removeHandler(records)
    return {"output": output, "results": codes, "log": "\n".join(records.lines)}


@functools.cache
def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join((text + "\n" + info).split())


@functools.cache
def readable_text(path: Path) -> str:
    return pdf_text(path) if path.suffix == ".pdf" else path.read_bytes().decode("utf-8", "replace")


def test_the_commands_did_what_the_scan_relies_on(run):
    codes = {command: result[0] for command, result in run["results"].items()}
    assert codes == {"site": 0, "batch": 1, "print": 0, "refused": 1}
    personal = {p.name for p in (run["output"] / "print").iterdir() if p.suffix == ".pdf"}
    assert len(personal) == 3
    assert (run["output"] / "print" / "patients-report.csv").is_file()  # scanned for names like every file
    assert {"sample-en-P1.pdf", "sample-en-P2.pdf"} < personal


def test_personalised_pdfs_are_owner_only_and_only_under_print(run):
    output = run["output"]
    assert stat.S_IMODE((output / "print").stat().st_mode) == 0o700
    for pdf in (output / "print").iterdir():
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    site_pdfs = sorted(str(p.relative_to(output)) for p in (output / "site").rglob("*.pdf"))
    assert site_pdfs == ["site/sample/en/sample-en-large-print.pdf", "site/sample/en/sample-en.pdf"]


def owner(name: str, output: Path) -> Path:
    """The personalised PDF that should hold ``name``."""
    tag = PRINTED[name]
    if tag != "print":
        return output / "print" / f"sample-en-{tag}.pdf"
    [path] = [p for p in (output / "print").glob("*.pdf") if not p.name.startswith("sample-en-P")]
    return path


@pytest.mark.parametrize("name", [*PRINTED, *REFUSED])
def test_a_name_appears_only_in_its_own_personalised_pdf(run, name):
    output = run["output"]
    own = owner(name, output) if name in PRINTED else None
    if own is not None:
        assert f"Name: {name}" in pdf_text(own)
    said = "\n".join(result[1] for result in run["results"].values()) + "\n" + run["log"]
    for part in name.lower().split():
        assert part not in said.lower()
        for path in sorted(output.rglob("*")):
            assert part not in str(path.relative_to(output)).lower()
            if path.is_file() and path != own:
                assert part not in readable_text(path).lower(), f"'{part}' found in {path.relative_to(output)}"
