#!/usr/bin/env python3
"""Patient leaflet builder: parse arguments, run the pipeline, map errors to exit codes."""

from __future__ import annotations

import errno
import logging
import sys

from leaflets import catalogs, pipeline, preview, readability
from leaflets.batch import BatchOptions
from leaflets.batch_rows import REF_RE
from leaflets.cli import make_parser
from leaflets.content import raise_problems
from leaflets.errors import LOG, LeafletError, UsageError

CHECK_THE_PATH = "check the path"
# What an operating-system error means for a user, by errno; anything else is reported as the system words it.
OS_ERROR_CAUSES = {
    errno.ENOSPC: "the disk is full; free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again",
    errno.EROFS: "the file system is read-only; choose a folder you can write to",
    errno.EACCES: "permission denied; choose a folder you can write to, or check its permissions",
    errno.EPERM: "not permitted; choose a folder you can write to, or check its permissions",
    errno.EMFILE: "too many files are open; close some programs and run the command again",
    errno.ENFILE: "too many files are open; close some programs and run the command again",
    errno.ENOENT: f"no such file or folder; {CHECK_THE_PATH}",
    errno.EEXIST: f"a file is in the way of a folder; {CHECK_THE_PATH}",
    errno.ENOTDIR: f"part of the path is a file, not a folder; {CHECK_THE_PATH}",
    errno.EISDIR: f"is a folder, not a file; {CHECK_THE_PATH}",
    errno.ENAMETOOLONG: f"the name is too long; {CHECK_THE_PATH}",
    errno.ELOOP: f"too many symbolic links; {CHECK_THE_PATH}",
}


def run(args) -> int:
    settings = pipeline.BuildSettings(
        args.content, args.output, args.strict, getattr(args, "base_url", None), paper_for(args)
    )
    if args.command == "check":
        return run_check(settings, args)
    if args.command == "print":
        for path in pipeline.print_leaflet(settings, print_request(args), args.out, args.format, args.booklet):
            print(f"Wrote {path}")
        return 0
    if args.command == "serve":
        preview.serve(settings, args.port)
        return 0
    if args.command == "translations":
        return run_translations(settings, args)
    if args.command == "batch":
        return run_batch(settings, args)
    report = pipeline.build_site(settings)
    report_warnings(report.warnings)
    print(
        f"Built {len(report.pages)} leaflet page(s) in {args.output / 'site'}: "
        f"{report.rendered} rendered, {report.reused} unchanged; {report.files_written} file(s) written"
    )
    for page, reason in report.withheld:
        print(f"Withheld {page}: {reason}")
    return 0


def run_check(settings, args) -> int:
    """Validate the content and print each English text's readability; --strict fails on its warnings too."""
    tree, readability_reports = pipeline.check_content(settings)
    for report in readability_reports:
        print(readability.format_report(report))
    warnings = tree.warnings + [problem for report in readability_reports for problem in report.problems]
    raise_problems(warnings, settings.strict)
    report_warnings(warnings)
    print(f"Content is valid: {len(tree.leaflets)} leaflet(s) in {args.content}")
    return 0


def run_translations(settings, args) -> int:
    if args.action == "update":
        for change in catalogs.update_catalogs(settings.content_dir):
            print(change)
        return 0
    rows = catalogs.catalog_statuses(settings.content_dir)
    if args.format == "csv":
        sys.stdout.write(catalogs.format_status_csv(rows))
    else:
        print(catalogs.format_status_table(rows))
    return 0


def run_batch(settings, args) -> int:
    options = BatchOptions(args.workers, args.shard, args.sheet, args.combined, args.booklet, args.only or "")
    report = pipeline.print_batch(settings, args.csv, options)
    for problem in report.warnings + report.problems:
        print(problem, file=sys.stderr)
    failed = report.rows - len(report.written)
    print(f"Batch: {len(report.written)} of {report.rows} row(s) written to {args.output / 'print'}; {failed} failed")
    print(f"Report: {report.report_path}")
    if report.combined_path:
        print(f"Combined: {report.combined_path} (each leaflet starts on an odd page: print it duplex)")
    return 1 if report.problems or (settings.strict and report.warnings) else 0


def paper_for(args) -> str | None:
    """--booklet prints A5 pages (two to an A4 side); any other --paper with it is a usage error."""
    if getattr(args, "booklet", False):
        if args.paper not in (None, "a5"):
            raise UsageError(f"--booklet makes A5 pages for A4 sheets; leave out --paper {args.paper}")
        return "a5"
    return args.paper


def print_request(args) -> pipeline.PrintRequest:
    return pipeline.PrintRequest(
        leaflet_id=args.leaflet,
        lang=args.lang,
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
    )


def check_ref(ref: str) -> str:
    if ref and not REF_RE.match(ref):
        raise UsageError("--ref: use 1-40 letters, digits, '-' or '_', with a digit (a reference, never a name)")
    return ref


def report_warnings(warnings) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)


def os_error_line(error: OSError, args) -> str:
    """One line naming what failed and the real cause, never a traceback."""
    where = error.filename2 or error.filename  # a rename names its source, then its destination
    if not where or error.errno in (errno.ENOSPC, errno.EDQUOT):  # which file filled the disk does not matter
        where = args.output
    cause = OS_ERROR_CAUSES.get(error.errno) or (error.strerror or str(error))
    return f"{where}: {cause}"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = make_parser().parse_args(argv)
    args.command = args.command or "site"
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    LOG.setLevel(logging.INFO)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # errors are collected by render_pdf
    try:
        return run(args)
    except LeafletError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return error.exit_code
    except OSError as error:  # e.g. --out names a folder, a full disk (a port in use is the preview's own error)
        print(os_error_line(error, args), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
