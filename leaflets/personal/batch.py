"""A batch of personalised leaflets from a clinic spreadsheet, one PDF per good row.

Every row is checked first; bad rows are reported (by row number and ref, never by name) while the
good rows are still built, in parallel workers that each load content, templates and fonts once.
Every batch writes ``<stem>-report.csv`` beside its PDFs (``<stem>-report-KofN.csv`` for part K of N);
``combined`` adds one print job.
"""

from __future__ import annotations

import csv
import io
import multiprocessing.util
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BuildError, ContentError, LeafletError, Problem, Stopped, UsageError
from .batch_progress import Progress
from .batch_rows import (  # noqa: F401 - re-exported: the batch's public names
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    WHOLE_BATCH,
    BatchRow,
    BatchRows,
    Shard,
    batch_rows,
    redacted,
)
from .private_files import remove_partial_files
from .session import PreparedLeaflet, PrintSession, write_private
from .spreadsheet import read_sheet

WORKER_RECYCLE_AFTER = 200  # leaflets per worker process, so memory stays flat


@dataclass(frozen=True)
class BatchOptions:
    workers: int = 1
    shard: Shard = field(default_factory=Shard)
    sheet: str | None = None  # a workbook's sheet; the first when None
    clinic: str = ""  # for a FHIR Bundle, which names no clinic
    combined: bool = False
    booklet: bool = False
    only: str = ""  # "treatment" for every row; a row's own 'only' cell also counts


@dataclass
class BatchReport:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0
    outcomes: dict[int, tuple[str, ...]] = field(default_factory=dict)  # row -> (ref, file, problem[, version, sha])
    skipped: set[int] = field(default_factory=set)  # rows not to print (a FHIR request that is not an active order)
    not_started: set[int] = field(default_factory=set)  # rows left when a signal stopped the batch
    stopped: Stopped | None = None  # the signal that stopped the batch (SIGINT or SIGTERM), if one did
    source: str = ""  # the workbook sheet read ("Excel workbook, sheet 'Clinic'"); "" for a CSV file
    report_path: Path | None = None
    combined_path: Path | None = None


def read_batch_csv(path: Path, shard: Shard = WHOLE_BATCH, date_order: str = "") -> tuple[list[BatchRow], list]:
    """Good rows and one problem per bad row, for the rows of ``shard`` (whole-file problems raise)."""
    result = batch_rows(read_sheet(path), str(path), shard, date_order)
    return result.rows, result.problems


def run_batch(
    session: PrintSession, path: Path, workers: int = 1, shard: Shard = WHOLE_BATCH, options: BatchOptions | None = None
) -> BatchReport:
    """Check every row, then render the good ones; never stop at a bad row. Then the report (and print job)."""
    options = options or BatchOptions(workers=workers, shard=shard)
    read = _read_rows(session, path, options)
    content_warnings = [problem for problem in session.tree.warnings if problem.severity == "warning"]
    report = BatchReport(problems=list(read.problems), warnings=content_warnings + read.warnings, rows=read.total,
                         source=read.source)  # fmt: skip
    for number, ref in read.failed.items():
        report.outcomes[number] = (ref, "", _first_problem(read.problems, number))
    for number, (ref, why) in read.skipped.items():
        report.outcomes[number] = (ref, "", why)
        report.skipped.add(number)
    progress = Progress(read.total)
    progress.advance(len(read.failed) + len(read.skipped))
    try:
        _render_rows(session, path, read.rows, options, report, progress)
    except KeyboardInterrupt:
        report.stopped = Stopped("SIGINT", 130)
    except Stopped as stop:
        report.stopped = stop
    progress.close()
    for row in read.rows:  # stopped by a signal: the rows never rendered are accounted for too
        if row.number not in report.outcomes:
            report.outcomes[row.number] = (row.ref, "", "not started")
            report.not_started.add(row.number)
    report.problems.sort(key=lambda p: p.line or 0)
    folder = session.print_folder()
    part = options.shard.suffix()  # such as '-2of4': each part's report has the same header, to concatenate
    stem = file_stem(path)
    report.report_path = write_report(folder / f"{stem}-report{part}.csv", report)
    if options.combined and report.written and not report.stopped:
        report.combined_path = folder / f"{stem}-combined{part}.pdf"
        from .combine import combine_for_duplex  # pikepdf: only for a combined print job

        write_private(report.combined_path, combine_for_duplex(report.written, f"{stem}: {len(report.written)}"))
    return report


def file_stem(path: Path) -> str:
    """The spreadsheet's name for the files made from it, with any control character (a newline) made '_'."""
    return "".join(char if char.isprintable() else "_" for char in path.stem)


def _read_rows(session: PrintSession, path: Path, options: BatchOptions) -> BatchRows:
    """A spreadsheet's rows, or a FHIR Bundle's MedicationRequests (a .json file)."""
    if path.suffix.lower() == ".json":
        if options.sheet:
            raise UsageError("--sheet is only for .xlsx and .ods workbooks; this is a FHIR file")
        from .fhir_batch import fhir_rows  # fhir.resources (pydantic): only for a FHIR file

        return fhir_rows(session.tree, path, options.clinic, options.only, options.shard)
    if options.clinic:
        raise UsageError("--clinic is only for a FHIR Bundle; a spreadsheet has a clinic column")
    return batch_rows(read_sheet(path, options.sheet), str(path), options.shard, session.config.date_order)


def _render_rows(session, path: Path, rows: list[BatchRow], options: BatchOptions, report, progress) -> None:
    jobs = _prepare_all(session, path, rows, options, report, progress)

    def record(row: BatchRow, result: WrittenRow | LeafletError) -> None:
        if isinstance(result, LeafletError):
            _fail(report, path, row, result)
        else:
            report.written.append(result.path)
            report.outcomes[row.number] = (row.ref, result.path.name, "", *result.leaflet)

    _render_all(session, jobs, options, progress, record)


def _prepare_all(session, path: Path, rows: list[BatchRow], options: BatchOptions, report, progress) -> list:
    jobs = []
    for row in rows:
        request = replace(row.request, only=row.request.only or options.only)
        try:
            prepared = session.prepare(request)
        except ContentError as error:
            _fail(report, path, row, error)
            progress.advance()
            continue
        jobs.append((row, prepared, session.default_path(request, row.ref), options.booklet))
    return jobs


def _fail(report: BatchReport, path: Path, row: BatchRow, error: LeafletError) -> None:
    problems = _row_problems(path, row, error)
    report.problems.extend(problems)
    report.outcomes[row.number] = (row.ref, "", problems[0].message if problems else "failed")


def _first_problem(problems: list[Problem], number: int) -> str:
    prefix = f"row {number}"  # a FHIR row: 'row 3 (Bundle.entry[2].resource), ...'
    starts = (prefix + ",", prefix + ":", prefix + " (")
    return next((p.message for p in problems if p.message.startswith(starts)), "failed")


def _row_problems(path: Path, row: BatchRow, error: LeafletError) -> list[Problem]:
    def in_csv_terms(text: str) -> str:  # the regimen's advice names the command-line flag
        advice = "print it on its own with --confirm-unusual-dose" if row.line is None else \
            "set confirm_unusual_dose to yes in this row"  # fmt: skip
        text = text.replace("add --confirm-unusual-dose", advice)
        return redacted(text, {"name": row.request.name})

    return [Problem(str(path), in_csv_terms(f"row {row.number}, ref {row.ref}: {p}"), row.line) for p in error.problems]


def write_report(path: Path, report: BatchReport) -> Path:
    """ref, status, file, problem, and the approved leaflet in the copy (version, SHA-256) for every row, in row
    order; never a name."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["ref", "status", "file", "problem", "leaflet_version", "leaflet_sha256"])
    for number in sorted(report.outcomes):
        ref, file, problem, *leaflet = report.outcomes[number]
        status = "skipped" if number in report.skipped else "not started" if number in report.not_started else \
            "written" if file else "failed"  # fmt: skip
        writer.writerow([ref, status, file, problem, *(leaflet or ["", ""])])
    write_private(path, buffer.getvalue().encode("utf-8-sig"))  # with a BOM, so Excel reads it as UTF-8
    return path


def _render_all(session: PrintSession, jobs: list, options: BatchOptions, progress, record) -> None:
    """Render every job, calling ``record(row, result)`` in row order as each finishes."""
    if options.workers <= 1 or len(jobs) <= 1:
        for row, prepared, path, booklet in jobs:
            record(row, _render_one(session, prepared, path, booklet))
            progress.advance()
        return
    # Fresh workers for every slice of the batch keep memory flat. (Not max_tasks_per_child:
    # on Python 3.11 the pool can hang once a worker retires.) The workers' temporary folders are
    # made inside one of the batch's, removed whatever happens.
    batch_temp = tempfile.mkdtemp(prefix="leaflet-batch-")
    initargs = (session.content_dir, session.output_dir, session.paper, batch_temp)
    size = options.workers * WORKER_RECYCLE_AFTER
    try:
        for start in range(0, len(jobs), size):
            pool = ProcessPoolExecutor(options.workers, initializer=_start_worker, initargs=initargs)
            futures, chunk, started = [], [], time.time()
            try:
                chunk = jobs[start : start + size]
                futures = [(row, pool.submit(_render_in_worker, *job)) for row, *job in chunk]
                for index, (row, future) in enumerate(futures):
                    record(row, _outcome(future))
                    futures[index] = (row, None)  # recorded
                    progress.advance()
            except BaseException:  # a signal: end the workers now, and account for what they finished
                _end_workers(pool, [session.print_folder(), session.cache.folder])
                for (row, future), (_row, _prepared, path, booklet) in zip(futures, chunk, strict=False):
                    if future is None:
                        continue
                    if future.done() and not future.cancelled() and not future.exception():
                        record(row, future.result())
                    else:  # killed between writing its PDF and saying so: not reported, so not kept
                        for unreported in (path, booklet_path(path)) if booklet else (path,):
                            if unreported.exists() and unreported.stat().st_mtime >= started:
                                unreported.unlink()
                raise
            pool.shutdown(wait=True)
    finally:
        shutil.rmtree(batch_temp, ignore_errors=True)


def _end_workers(pool: ProcessPoolExecutor, folders: list[Path]) -> None:
    """Kill the pool's workers, reap them, and remove any file they were half-way through writing."""
    # ProcessPoolExecutor has no public way to end its workers before Python 3.14 (terminate_workers).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=30)
    remove_partial_files(folders, [process.pid for process in processes if process.pid])


def _outcome(future) -> Path | LeafletError:
    """A worker's result; a crashed worker fails its row, not the whole batch."""
    try:
        return future.result()
    except LeafletError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - e.g. BrokenProcessPool; reported per row, never silently
        return BuildError(f"the worker rendering this row stopped: {type(exc).__name__}")


@dataclass(frozen=True)
class WrittenRow:
    path: Path
    leaflet: tuple[str, str]  # the approved leaflet part's version and SHA-256 ("", "" for a sheet alone)


def _render_one(
    session: PrintSession, prepared: PreparedLeaflet, path: Path, booklet: bool
) -> WrittenRow | LeafletError:
    try:
        copy = session.render_copy(prepared)
        write_private(path, copy.pdf)
        if booklet:
            from .combine import impose_booklet  # pikepdf: only for a booklet

            write_private(booklet_path(path), impose_booklet(copy.pdf))
    except LeafletError as error:
        return error
    part = copy.leaflet_part
    return WrittenRow(path, (part.version, part.sha256) if part else ("", ""))


def booklet_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-booklet.pdf")


_WORKER_SESSION: PrintSession | None = None


def _start_worker(content_dir: Path, output_dir: Path, paper: str, batch_temp: str) -> None:
    global _WORKER_SESSION
    # Its own process group, deaf to Ctrl+C and with the default SIGTERM: the parent decides when a
    # worker ends (see _end_workers), and a signal to the terminal's group reaches the parent only.
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    tempfile.tempdir = batch_temp
    _WORKER_SESSION = PrintSession(content_dir, output_dir, paper=paper)
    # Workers end without running atexit hooks; this removes their temporary folder as they exit.
    multiprocessing.util.Finalize(_WORKER_SESSION, _WORKER_SESSION.close, exitpriority=10)


def _render_in_worker(prepared: PreparedLeaflet, path: Path, booklet: bool) -> WrittenRow | LeafletError:
    assert _WORKER_SESSION is not None
    return _render_one(_WORKER_SESSION, prepared, path, booklet)
