"""Command-line argument parsing, shared by ``build.py``.

Global options are accepted before or after the subcommand.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .personal.shard import Shard, parse_shard
from .source.site_config import PAPER_SIZES


def _global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    def default(value):
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--content",
        type=Path,
        default=default(Path("content")),
        metavar="DIR",
        help="content folder (default: content/)",
    )
    parser.add_argument(
        "--output", type=Path, default=default(Path("output")), metavar="DIR", help="output folder (default: output/)"
    )
    parser.add_argument("--strict", action="store_true", default=default(False), help="treat warnings as errors")
    parser.add_argument(
        "--paper",
        choices=PAPER_SIZES,
        type=str.lower,
        default=default(None),
        help="page size of every PDF: a4, letter or a5 (default: paper in site.yaml, else a4)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build accessible HTML and PDF patient leaflets.",
        epilog="Exit codes: 0 success, 1 content or input error, 2 usage error.",
    )
    _global_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    _site_commands(commands, common)
    commands.add_parser("check", parents=[common], help="check everything a site build checks, without rendering")
    _print_command(commands, common)
    _batch_command(commands, common)
    _translations_command(commands, common)
    return parser


def _site_commands(commands, common) -> None:
    site = commands.add_parser(
        "site", parents=[common], help="build every leaflet in every language into OUTPUT/site (the default)"
    )
    site.add_argument(
        "--base-url", metavar="URL", help="where the site is published: adds canonical links, sitemap.xml, QR codes"
    )
    serve = commands.add_parser("serve", parents=[common], help="serve OUTPUT/site on 127.0.0.1 and rebuild on changes")
    serve.add_argument("--port", type=_port, default=8000, help="port, 1 to 65535 (default: 8000)")
    serve.add_argument("--base-url", metavar="URL", help=argparse.SUPPRESS)


def _batch_command(commands, common) -> None:
    batch = commands.add_parser(
        "batch",
        parents=[common],
        help="write one personalised PDF per spreadsheet row under OUTPUT/print, and a report",
        epilog="Columns: ref,leaflet,lang,clinic; optional regimen (for a leaflet about a medicine), "
        "start_date,next_appointment,name,confirm_unusual_dose,prescriber,large_print,only,supervised,tick_chart. "
        "Headers ignore case, spaces, '_' and '-'. "
        "CSV (UTF-8, UTF-16 or a Windows code page; comma, semicolon or tab), .xlsx or .ods.",
    )
    batch.add_argument(
        "csv", type=Path, metavar="FILE", help="the spreadsheet (.csv, .xlsx or .ods) or a FHIR Bundle (.json)"
    )
    batch.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read (default: the first)")
    batch.add_argument(
        "--clinic", default="", help="for a FHIR Bundle (.json) of MedicationRequests: the clinic id or profile path"
    )
    batch.add_argument(
        "--combined", action="store_true", help="also write FILE-combined.pdf: every leaflet, each on an odd page"
    )
    _paper_saving_options(batch)
    batch.add_argument("--workers", type=_positive, default=1, metavar="N", help="parallel workers (default: 1)")
    batch.add_argument(
        "--shard",
        type=_shard,
        default=None,
        metavar="K/N",
        help="build only part K of N (row n is in part (n-1) mod N + 1); default: from JOB_COMPLETION_INDEX "
        "(Kubernetes) or SLURM_ARRAY_TASK_ID, else the whole batch",
    )


def _translations_command(commands, common) -> None:
    translations = commands.add_parser(
        "translations", parents=[common], help="gettext PO catalogs: 'update' from the English source, or 'status'"
    )
    actions = translations.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "update", parents=[common], help="extract the English text and merge it into every language; reports each file"
    )
    status = actions.add_parser(
        "status", parents=[common], help="per leaflet and language: segments and words translated, fuzzy, untranslated"
    )
    status.add_argument("--format", choices=("table", "csv"), default="table", help="table (default) or csv")


def _shard(text: str) -> Shard:
    shard = parse_shard(text)
    if shard is None:
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, such as 2/4, got '{text[:20]}'")
    return shard


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got '{text[:20]}'")
    return int(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got '{text}'")
    return value


def _print_command(commands, common) -> None:
    command = commands.add_parser(
        "print",
        parents=[common],
        help="write one personalised PDF (regimen, clinic, alert card) under OUTPUT/print",
        epilog="REGIMEN (doses in mg): daily:D, twice-daily:D, three-times-daily:D, four-times-daily:D; "
        "times of day such as morning:D,night:D; or weekdays such as mon:D,wed:D,fri:D. Each medicine's leaflet "
        "sets its dose steps, limits and standard regimens.",
    )
    _prescription_options(command)
    command.add_argument("--out", type=Path, help="where to write the PDF (default: OUTPUT/print/<generated>.pdf)")
    command.add_argument(
        "--format",
        choices=("pdf", "braille"),
        default="pdf",
        help="pdf (default), or braille: the treatment plan and clinic contact as a BRF file",
    )
    command.add_argument("--ref", default="", help="the clinic's reference, printed on the treatment page")
    command.add_argument("--prescriber", default="", help="the prescriber, printed on the treatment page")
    command.add_argument("--large-print", action="store_true", help="everything at 16pt or more, body 18pt")
    _paper_saving_options(command)


def _prescription_options(command) -> None:
    """What is printed for whom: the leaflet, language, clinic, regimen, dates and name."""
    command.add_argument("--leaflet", default="", help="leaflet id: a folder under CONTENT/leaflets")
    command.add_argument(
        "--fhir",
        type=Path,
        metavar="FILE",
        help="a FHIR R4 MedicationRequest (or a Bundle with one and its Patient) in JSON: the leaflet, regimen, "
        "language, name, start date and ref come from it; the flags below override",
    )
    command.add_argument("--lang", default="", help="language tag (default: en)")
    command.add_argument("--clinic", required=True, help="clinic id (content/clinics/ID.yaml) or a profile path")
    command.add_argument(
        "--regimen",
        default="",
        help="the prescribed regimen in mg, e.g. daily:50, three-times-daily:666, morning:666,night:333, "
        "mon:100,wed:100,fri:150, every-28-days:300, as-needed:2, or phases: "
        "'daily:20 for 3 days then daily:10 for 4 days' (not for a general leaflet)",
    )
    command.add_argument(
        "--supervised",
        default="",
        metavar="DAYS",
        help="the weekdays taken in front of a pharmacist, e.g. mon,tue,wed,thu,fri,sat, or none "
        "(only for a medicine with supervised: sometimes)",
    )
    command.add_argument(
        "--tick-chart", action="store_true", help="add a box beside every dose, date by date (needs --start-date)"
    )
    command.add_argument("--start-date", default="", metavar="YYYY-MM-DD", help="treatment start date")
    command.add_argument("--next-appointment", default="", metavar="YYYY-MM-DD", help="next appointment date")
    command.add_argument("--name", default="", help="the person's name for the alert card (optional)")
    command.add_argument(
        "--confirm-unusual-dose", action="store_true", help="accept a schedule other than the leaflet's standard ones"
    )


def _paper_saving_options(command) -> None:
    command.add_argument(
        "--only", choices=["treatment"], help="only the treatment sheet and the alert card (repeat prescriptions)"
    )
    command.add_argument(
        "--booklet",
        action="store_true",
        help="A5 pages, plus a print-only booklet file imposed on A4 sheets (print duplex, flip on the short edge)",
    )
