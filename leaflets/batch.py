"""A batch of personalised leaflets from a CSV file, one PDF per good row.

Every row is checked first; bad rows are reported (by row number and ref,
never by name) while the good rows are still built, in parallel workers
that each load content, templates and fonts once.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .clinic import is_clinic_id
from .errors import BuildError, ContentError, LeafletError, Problem
from .printing import PreparedLeaflet, PrintRequest, PrintSession, write_private
from .yaml_source import read_text

REQUIRED_COLUMNS = ("ref", "leaflet", "lang", "clinic")
OPTIONAL_COLUMNS = ("regimen", "start_date", "next_appointment", "name", "confirm_unusual_dose")
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
YES, NO = {"yes", "y", "true", "1"}, {"", "no", "n", "false", "0"}
MAX_ROWS = 10_000
WORKER_RECYCLE_AFTER = 200  # leaflets per worker process, so memory stays flat


@dataclass(frozen=True)
class BatchRow:
    number: int  # first data row is 1
    line: int
    ref: str
    request: PrintRequest


@dataclass(frozen=True)
class Shard:
    """Part K of N of a batch: row n belongs to part ((n - 1) mod N) + 1."""

    index: int = 1
    count: int = 1

    def owns(self, row_number: int) -> bool:
        return (row_number - 1) % self.count == self.index - 1


@dataclass
class BatchReport:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def read_batch_csv(path: Path, shard: Shard = Shard()) -> tuple[list[BatchRow], list[Problem]]:
    """Parse the CSV; return good rows and one problem per bad row, for the rows of ``shard``.

    Every row is checked (a ref must be unique across all shards); only the shard's rows are kept.
    """
    label = str(path)
    text = read_text(path, label, max_bytes=16 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:  # e.g. a stray quote in the header line
        raise ContentError([Problem(label, f"header: not valid CSV: {exc}", 1)]) from None
    _check_header(columns, label)
    rows, problems, refs = [], [], set()
    try:
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS:
                problems.append(Problem(label, f"more than {MAX_ROWS} rows; split the file", reader.line_num))
                break
            try:
                row = _row(number, reader.line_num, record, refs)
                refs.add(row.ref.lower())
                if shard.owns(number):
                    rows.append(row)
            except ContentError as error:
                if not shard.owns(number):
                    continue
                where = f"row {number}" + (f", ref {_safe_ref(record)}" if _safe_ref(record) else "")
                name = (record.get("name") or "") if isinstance(record.get("name"), str) else ""
                problems.extend(
                    Problem(label, without_name(f"{where}: {p}", name), reader.line_num) for p in error.problems
                )
    except csv.Error as exc:
        problems.append(Problem(label, f"not valid CSV: {exc}", reader.line_num))
    return rows, problems


def _check_header(columns: list[str], label: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        details = "; ".join(
            part
            for part in (
                f"missing columns: {', '.join(missing)}" if missing else "",
                f"unknown columns: {', '.join(c[:30] for c in unknown)}" if unknown else "",
            )
            if part
        )
        expected = ",".join(REQUIRED_COLUMNS) + " (optional: " + ",".join(OPTIONAL_COLUMNS) + ")"
        raise ContentError([Problem(label, f"header: {details}; expected {expected}", 1)])


def _row(number: int, line: int, record: dict, refs: set[str]) -> BatchRow:
    if None in record or any(value is None for value in record.values()):
        raise ContentError([Problem("", "wrong number of cells; check the commas and quotes")])
    cells = {key: (value or "").strip() for key, value in record.items()}
    ref = cells["ref"]
    if not REF_RE.match(ref):
        raise ContentError([Problem("ref", "use 1-40 letters, digits, '-' or '_' (a reference, never a name)")])
    if ref.lower() in refs:  # file names must differ on case-insensitive disks too
        raise ContentError([Problem("ref", f"'{ref}' is used by an earlier row; each row needs its own ref")])
    if not is_clinic_id(cells["clinic"]):
        raise ContentError([Problem("clinic", "use a clinic id such as 'example' (lowercase letters, digits, '-')")])
    confirm = cells.get("confirm_unusual_dose", "").lower()
    if confirm not in YES | NO:
        # The value is not shown: a name shifted into this column must not reach the messages.
        raise ContentError([Problem("confirm_unusual_dose", "expected yes or no, or leave it empty")])
    request = PrintRequest(
        leaflet_id=cells["leaflet"],
        lang=cells["lang"],
        clinic=cells["clinic"],
        regimen=cells.get("regimen", ""),
        confirm_unusual_dose=confirm in YES,
        start_date=cells.get("start_date", ""),
        next_appointment=cells.get("next_appointment", ""),
        name=cells.get("name", ""),
    )
    return BatchRow(number, line, ref, request)


def _safe_ref(record: dict) -> str:
    ref = (record.get("ref") or "").strip()
    return ref if REF_RE.match(ref) else ""


def run_batch(session: PrintSession, csv_path: Path, workers: int = 1, shard: Shard = Shard()) -> BatchReport:
    """Check every row, then render the good ones; never stop at a bad row."""
    rows, problems = read_batch_csv(csv_path, shard)
    report = BatchReport(problems=problems, rows=len(rows) + len(problems))
    jobs = []
    for row in rows:
        try:
            jobs.append((row, session.prepare(row.request), session.default_path(row.request, row.ref)))
        except ContentError as error:
            report.problems.extend(_row_problems(csv_path, row, error))
    for row, result in _render_all(session, jobs, workers):
        if isinstance(result, LeafletError):
            report.problems.extend(_row_problems(csv_path, row, result))
        else:
            report.written.append(result)
    report.problems.sort(key=lambda p: p.line or 0)
    return report


def _row_problems(csv_path: Path, row: BatchRow, error: LeafletError) -> list[Problem]:
    def in_csv_terms(text: str) -> str:  # the regimen's advice names the command-line flag
        text = text.replace("add --confirm-unusual-dose", "set confirm_unusual_dose to yes in this row")
        return without_name(text, row.request.name)

    return [
        Problem(str(csv_path), in_csv_terms(f"row {row.number}, ref {row.ref}: {p}"), row.line) for p in error.problems
    ]


def without_name(text: str, name: str) -> str:
    """A message never shows the person's name, even when it was typed into another column."""
    name = " ".join(name.split())
    if len(name) < 2:
        return text
    return re.sub(r"'[^']*" + re.escape(name) + r"[^']*'", "'(the name)'", text)  # echoed values are quoted


def _render_all(session: PrintSession, jobs: list, workers: int) -> Iterator[tuple[BatchRow, Path | LeafletError]]:
    progress = tqdm(total=len(jobs), unit="leaflet", disable=not sys.stderr.isatty(), file=sys.stderr)
    with progress:
        if workers <= 1 or len(jobs) <= 1:
            for row, prepared, path in jobs:
                yield row, _render_one(session, prepared, path)
                progress.update()
            return
        # Fresh workers for every slice of the batch keep memory flat. (Not max_tasks_per_child:
        # on Python 3.11 the pool can hang once a worker retires.)
        initargs = (session.content_dir, session.output_dir)
        size = workers * WORKER_RECYCLE_AFTER
        for start in range(0, len(jobs), size):
            with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=initargs) as pool:
                chunk = jobs[start : start + size]
                futures = [(row, pool.submit(_render_in_worker, prepared, path)) for row, prepared, path in chunk]
                for row, future in futures:
                    yield row, _outcome(future)
                    progress.update()


def _outcome(future) -> Path | LeafletError:
    """A worker's result; a crashed worker fails its row, not the whole batch."""
    try:
        return future.result()
    except LeafletError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - e.g. BrokenProcessPool; reported per row, never silently
        return BuildError(f"the worker rendering this row stopped: {type(exc).__name__}")


def _render_one(session: PrintSession, prepared: PreparedLeaflet, path: Path) -> Path | LeafletError:
    try:
        write_private(path, session.render(prepared))
    except LeafletError as error:
        return error
    return path


_WORKER_SESSION: PrintSession | None = None


def _start_worker(content_dir: Path, output_dir: Path) -> None:
    global _WORKER_SESSION
    _WORKER_SESSION = PrintSession(content_dir, output_dir)


def _render_in_worker(prepared: PreparedLeaflet, path: Path) -> Path | LeafletError:
    assert _WORKER_SESSION is not None
    return _render_one(_WORKER_SESSION, prepared, path)
