#!/usr/bin/env python3
"""Patient leaflet builder: parse arguments, run the pipeline, map errors to exit codes."""

from __future__ import annotations

import errno
import logging
import signal
import sys

from leaflets.cli import make_parser
from leaflets.errors import LOG, LeafletError, Stopped, UsageError
from leaflets.publish.site_stamp import SiteSummary, unchanged_site
from leaflets.settings import BuildSettings

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
    settings = BuildSettings(args.content, args.output, args.strict, getattr(args, "base_url", None), paper_for(args))
    if args.command == "site" and (summary := unchanged_site(settings)):
        return report_site(summary, args, (0, len(summary.pages), 0))
    # Imports the pipeline, its loaders and (for rendering) WeasyPrint: only now that there is work to do.
    from leaflets import commands

    if args.command != "site":
        return commands.run(settings, args)
    report = commands.build_site(settings)
    summary = SiteSummary(report.pages, report.withheld, report.warnings)
    return report_site(summary, args, (report.rendered, report.reused, report.files_written))


def report_site(summary: SiteSummary, args, counts: tuple[int, int, int]) -> int:
    """Warnings, then pages rendered, unchanged and files written; then what was withheld and why."""
    rendered, reused, files_written = counts
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    print(
        f"Built {len(summary.pages)} leaflet page(s) in {args.output / 'site'}: "
        f"{rendered} rendered, {reused} unchanged; {files_written} file(s) written"
    )
    for page, reason in summary.withheld:
        print(f"Withheld {page}: {reason}")
    return 0


def paper_for(args) -> str | None:
    """--booklet prints A5 pages (two to an A4 side); any other --paper with it is a usage error."""
    if getattr(args, "booklet", False):
        if args.paper not in (None, "a5"):
            raise UsageError(f"--booklet makes A5 pages for A4 sheets; leave out --paper {args.paper}")
        return "a5"
    return args.paper


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
    signal.signal(signal.SIGTERM, stop_on_sigterm)
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
    except Stopped as stop:
        print(f"stopped by {stop.signal_name}; the previous output is unchanged", file=sys.stderr)
        return stop.exit_code


def stop_on_sigterm(_signum, _frame) -> None:
    """SIGTERM (a scheduler or service manager stopping the build) unwinds like Ctrl+C, so workers are ended."""
    raise Stopped("SIGTERM", 143)


if __name__ == "__main__":
    sys.exit(main())
