"""SIGTERM and Ctrl+C stop a batch cleanly: workers ended and reaped, no half-written PDF, a report for every row.

A real ``build.py batch`` with two workers runs in its own process; the test waits for the first PDFs,
sends the signal, and then looks at what is left: processes, files, the report and the temporary folder.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, WEEKLY_REGIMEN, coming_monday

ROWS = 40
START = coming_monday(1).isoformat()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:  # the process ended while we looked
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def write_rows(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "leaflet", "lang", "clinic", "regimen", "start_date", "name"])
        for n in range(ROWS):
            writer.writerow(
                [f"S{n:03d}", "naltrexone", ("en", "pl")[n % 2], "example", WEEKLY_REGIMEN, START, "Zofia Q"]
            )


@pytest.mark.parametrize(("sent", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_stops_a_two_worker_batch_and_accounts_for_every_row(tmp_path, sent, code, name):
    rows, output, temp = tmp_path / "rows.csv", tmp_path / "output", tmp_path / "tmp"
    temp.mkdir()
    write_rows(rows)
    command = [sys.executable, str(ROOT / "build.py"), "batch", str(rows), "--workers", "2", "--output", str(output)]
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "TMPDIR": str(temp)})  # fmt: skip
    folder = output / "print"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(folder.glob("*.pdf"))) < 2 and batch.poll() is None:
        time.sleep(0.1)
    workers = children(batch.pid)
    assert batch.poll() is None, "the batch ended before the signal"
    assert len(workers) >= 2
    batch.send_signal(sent)
    out, err = batch.communicate(timeout=120)

    assert batch.returncode == code, err
    assert "Traceback" not in err
    stopped = [line for line in err.splitlines() if line.startswith(f"stopped by {name}:")]
    assert len(stopped) == 1, err
    assert "Zofia" not in out + err
    assert [pid for pid in workers if alive(pid)] == []  # ended and reaped
    leftovers = [path.name for path in output.rglob(".tmp-*")]
    assert leftovers == []  # no half-written file, in the print folder or the leaflet cache
    pdfs = sorted(folder.glob("*.pdf"))
    for pdf in pdfs:
        with pikepdf.open(pdf) as opened:  # whole: every PDF left opens
            assert len(opened.pages) > 2
    assert list(temp.iterdir()) == []  # the batch's and the workers' temporary folders are gone
    with (folder / "rows-report.csv").open(encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    assert sorted(row["ref"] for row in report) == [f"S{n:03d}" for n in range(ROWS)]
    statuses = [row["status"] for row in report]
    assert set(statuses) <= {"written", "not started"}
    assert statuses.count("written") == len(pdfs)
    assert statuses.count("not started") >= 1
    assert f"{len(pdfs)} of {ROWS} row(s) written" in stopped[0]
    assert f"{statuses.count('not started')} not started" in stopped[0]
