"""The commands of ``build.py`` that do work: check, print, serve, translations, batch and a site build.

``build.py`` imports this module only once it knows there is work to do (not for ``--help``
or an unchanged site), because the pipeline imports every loader and catalog tool.
"""

from __future__ import annotations

import sys

from . import pipeline
from .errors import UsageError
from .i18n import workflow
from .personal.batch import BatchOptions
from .personal.batch_rows import REF_RE
from .personal.shard import shard_from_environment
from .publish import preview
from .quality import readability
from .source.fields import one_line, raise_problems

build_site = pipeline.build_site


def run(settings: pipeline.BuildSettings, args) -> int:
    """Every command but ``site``; the exit code."""
    if args.command == "check":
        return run_check(settings, args)
    if args.command == "print":
        outcome = pipeline.print_leaflet(settings, print_request(args), args.out, args.format, args.booklet,
                                         report_warning, args.fhir)  # fmt: skip
        for note in outcome.notes:
            print(note)
        for path in outcome.paths:
            print(f"Wrote {path}")
        if outcome.leaflet:  # what the patient takes home is this approved, versioned leaflet, page for page
            print(f"Leaflet: version {outcome.leaflet.version}, SHA-256 {outcome.leaflet.sha256}")
        return 0
    if args.command == "serve":
        preview.serve(settings, args.port, build=pipeline.build_site)
        return 0
    if args.command == "translations":
        return run_translations(settings, args)
    return run_batch(settings, args)


def run_check(settings, args) -> int:
    """Check everything a site build checks and print each English text's readability; --strict fails on
    warnings too."""
    inputs, readability_reports = pipeline.check_content(settings)
    for report in readability_reports:
        print(readability.format_report(report))
    warnings = inputs.warnings + [problem for report in readability_reports for problem in report.problems]
    raise_problems(warnings, settings.strict)
    report_warnings(warnings)
    print(f"Content is valid: {len(inputs.tree.leaflets)} leaflet(s) in {args.content}")
    return 0


def run_translations(settings, args) -> int:
    if args.action == "update":
        for change in workflow.update_catalogs(settings.content_dir):
            print(change)
        return 0
    rows = workflow.catalog_statuses(settings.content_dir)
    if args.format == "csv":
        sys.stdout.write(workflow.format_status_csv(rows))
    else:
        print(workflow.format_status_table(rows))
    return 0


def run_batch(settings, args) -> int:
    shard = args.shard or shard_from_environment()  # --shard wins over a job runner's task index
    options = BatchOptions(args.workers, shard, args.sheet, args.clinic or "", args.combined, args.booklet,
                           args.only or "")  # fmt: skip
    report = pipeline.print_batch(settings, args.csv, options)
    for problem in report.warnings + report.problems:
        print(problem, file=sys.stderr)
    folder = one_line(str(args.output / "print"))  # a newline in a path stays on the line, escaped
    if report.stopped:  # one line: what was written, and what was not; the report accounts for every row
        print(f"stopped by {report.stopped.signal_name}: {len(report.written)} of {report.rows} row(s) written to "
              f"{folder}; {len(report.not_started)} not started", file=sys.stderr)  # fmt: skip
        print(f"Report: {one_line(str(report.report_path))}")
        return report.stopped.exit_code
    failed = report.rows - len(report.written) - len(report.skipped)
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    source = f" from {report.source}" if report.source else ""  # which sheet of a workbook was read
    print(f"Batch: {len(report.written)} of {report.rows} row(s){source} written to {folder}; "
          f"{failed} failed{skipped}")  # fmt: skip
    print(f"Report: {one_line(str(report.report_path))}")
    if report.combined_path:
        print(f"Combined: {one_line(str(report.combined_path))} (each leaflet starts on an odd page: print it duplex)")
    return 1 if report.problems or (settings.strict and report.warnings) else 0


def print_request(args) -> pipeline.PrintRequest:
    if args.fhir is None and not args.leaflet:
        raise UsageError("print: give --leaflet (or --fhir FILE, a prescription that names its medicine)")
    if args.fhir is not None and args.regimen:
        raise UsageError("print: --regimen and --fhir both give the doses; give one of them")
    return pipeline.PrintRequest(
        leaflet_id=args.leaflet or "",
        lang=args.lang or "",
        clinic=args.clinic,
        regimen=args.regimen,
        confirm_unusual_dose=args.confirm_unusual_dose,
        start_date=args.start_date,
        next_appointment=args.next_appointment,
        name=args.name,
        prescriber=args.prescriber,
        large_print=args.large_print,
        only=args.only or "",
        ref=check_ref(args.ref),
        supervised=args.supervised,
        tick_chart=args.tick_chart,
    )


def check_ref(ref: str) -> str:
    if ref and not REF_RE.match(ref):
        raise UsageError("--ref: use 1-40 letters, digits, '-' or '_', with a digit (a reference, never a name)")
    return ref


def report_warning(warning) -> None:
    print(warning, file=sys.stderr)


def report_warnings(warnings) -> None:
    for warning in warnings:
        report_warning(warning)
