"""Print jobs: one personalised leaflet (PDF, booklet or Braille) or a batch, each in its own session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..settings import BuildSettings
from .batch import BatchOptions, BatchReport, booklet_path, run_batch
from .braille_plan import braille_table, treatment_brf
from .destinations import check_destination
from .leaflet_cache import LeafletPart
from .session import PreparedLeaflet, PrintRequest, PrintSession, write_private
from .treatment import treatment_view


def open_session(settings: BuildSettings) -> PrintSession:
    return PrintSession(settings.content_dir, settings.output_dir, settings.strict, settings.paper)


@dataclass(frozen=True)
class PrintOutcome:
    """The files written, and the approved leaflet in the copy (None for a sheet alone or Braille)."""

    paths: list[Path]
    leaflet: LeafletPart | None = None
    notes: tuple[str, ...] = ()  # what a FHIR prescription decided, such as its language


def print_one(settings: BuildSettings, request: PrintRequest, out: Path | None, form: str, booklet: bool,
              warn: Callable[[Problem], None] = lambda problem: None,
              fhir: Path | None = None) -> PrintOutcome:  # fmt: skip
    """Validate, personalise, render and write privately. The content's warnings go to ``warn`` first, as
    ``check`` shows them. With ``fhir``, the prescription in that file fills in what ``request`` leaves empty."""
    session = open_session(settings)
    try:
        for problem in session.tree.warnings:
            if problem.severity == "warning":
                warn(problem)
        notes: tuple[str, ...] = ()
        if fhir is not None:
            request, notes = _from_fhir(session, fhir, request)
        elif not request.lang:
            request = replace(request, lang="en")
        prepared = session.prepare(request)
        if form == "braille":
            table = braille_table(session.config, request.lang)
            path = _destination(session, out or session.default_path(request, request.ref).with_suffix(".brf"))
            write_private(path, braille_plan(session, prepared, table))
            return PrintOutcome([path], notes=notes)
        path = _destination(session, out or session.default_path(request, request.ref))
        copy = session.render_copy(prepared)
        return PrintOutcome(write_pdf(path, copy.pdf, booklet), copy.leaflet_part, notes)
    finally:
        session.close()


def _from_fhir(session: PrintSession, path: Path, given: PrintRequest) -> tuple[PrintRequest, tuple[str, ...]]:
    """The one MedicationRequest of a FHIR file as a print request; the flags given win."""
    from .fhir_file import read_fhir  # fhir.resources (pydantic): only for a FHIR file
    from .fhir_prescription import fhir_print_request

    fhir_file = read_fhir(path)
    if len(fhir_file.entries) != 1:
        message = (f"holds {len(fhir_file.entries)} MedicationRequests; print takes a file with one "
                   "(use batch for several)")  # fmt: skip
        raise ContentError([Problem(fhir_file.label, message)])
    printed = fhir_print_request(session.tree, fhir_file.entries[0], given, fhir_file.label)
    return printed.request, (printed.note,)


def write_pdf(path: Path, pdf: bytes, booklet: bool) -> list[Path]:
    """The PDF and, with ``booklet``, its pages imposed two to a sheet beside it."""
    write_private(path, pdf)
    if not booklet:
        return [path]
    from .combine import impose_booklet  # pikepdf: only for a booklet

    write_private(booklet_path(path), impose_booklet(pdf))
    return [path, booklet_path(path)]


def _destination(session: PrintSession, path: Path) -> Path:
    """``path``, once it is known to be outside the site and not a device or a link."""
    check_destination(path, session.output_dir, "--out")
    special = path.exists() and not path.is_file() and not path.is_dir()  # a folder gets its own message
    if special or path.is_symlink():  # e.g. /dev/null: never replace it
        raise UsageError(f"--out {path}: not a regular file; give the path of a new or existing PDF file")
    return path


def braille_plan(session: PrintSession, prepared: PreparedLeaflet, table: str) -> bytes:
    """The treatment plan and clinic contact of a prepared leaflet, as BRF."""
    lang = prepared.request.lang
    translator = session.translator(lang)
    leaflet = next(item for item in session.tree.leaflets if item.leaflet_id == prepared.request.leaflet_id)
    details = prepared.details
    view = None
    if leaflet.medicine and details.regimen:  # a general leaflet has no regimen: the clinic's details only
        view = treatment_view(details, leaflet.medicine, lang, translator, leaflet.texts[lang].how_to_take)
    return treatment_brf(leaflet.texts[lang].title, view, details.clinic, translator, table)


def print_many(settings: BuildSettings, path: Path, options: BatchOptions) -> BatchReport:
    """A PDF for every good row (of this shard) and a report; bad rows are reported, not fatal to the others."""
    session = open_session(settings)
    try:
        return run_batch(session, path, options=options)
    finally:
        session.close()
