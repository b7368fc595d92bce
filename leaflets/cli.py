"""Command-line argument parsing, shared by ``build.py``.

Global options are accepted before or after the subcommand.
"""

from __future__ import annotations

import argparse
from pathlib import Path


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
    commands.add_parser(
        "site", parents=[common], help="build every leaflet in every language into OUTPUT/site (the default)"
    )
    commands.add_parser("check", parents=[common], help="load and validate all content without rendering")
    return parser
