"""Personalised leaflets: validate one request, render it, write it privately.

Personalised PDFs go only under ``output/print/`` (or an explicit ``--out``
outside the site folder), with file mode 0600 and a file name that never
contains the person's name.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ContentError, Problem
from ..i18n.localise import load_content
from ..i18n.translator import Translator, english
from ..paths import STYLES_DIR, TEMPLATES_DIR, write_file
from ..render.fonts import drawable
from ..render.html import PageOptions, format_long_date, make_environment, render_leaflet_page
from ..render.input_keys import page_key, shared_key
from ..render.links import page_url, qr_code
from ..render.page_context import PrintRecord
from ..source.clinic import load_clinic, with_emergency_number
from ..source.content import ContentTree, Leaflet
from ..source.fields import shown
from ..source.site_config import load_site_config
from .destinations import check_destination
from .leaflet_cache import LeafletCache, LeafletPart
from .prescription_checks import check_course_dates, check_tick_chart, checked_regimen, supervised_days
from .private_files import write_private  # noqa: F401 - print jobs and batches write through it
from .request_fields import check_name, check_prescriber, parse_date
from .treatment import PersonalDetails, alert_cards, treatment_view


@dataclass(frozen=True)
class PrintRequest:
    """One personalised leaflet, as given on the command line or a CSV row."""

    leaflet_id: str
    lang: str
    clinic: str
    regimen: str = ""  # required for a leaflet about a medicine, refused for a general leaflet
    confirm_unusual_dose: bool = False
    start_date: str = ""
    next_appointment: str = ""
    name: str = ""
    prescriber: str = ""
    large_print: bool = False
    only: str = ""  # "" for the whole leaflet, "treatment" for the treatment sheet and alert card
    ref: str = ""
    supervised: str = ""  # the supervised weekdays ("mon,tue,wed"), for a medicine supervised sometimes
    tick_chart: bool = False  # a box beside every dose, date by date (needs a start date)
    as_prescribed: str = ""  # the prescriber's own words (a FHIR dosage's text), printed under the plan


@dataclass(frozen=True)
class PersonalCopy:
    """A rendered personal copy, and the approved leaflet part in it (none for a sheet alone)."""

    pdf: bytes
    leaflet_part: LeafletPart | None


@dataclass(frozen=True)
class PreparedLeaflet:
    request: PrintRequest
    details: PersonalDetails


class PrintSession:
    """Loaded content, templates, stylesheet and fonts, shared by many leaflets."""

    def __init__(self, content_dir: Path, output_dir: Path, strict: bool = False, paper: str | None = None):
        self.content_dir = content_dir
        self.output_dir = output_dir
        self.tree: ContentTree = load_content(content_dir, strict=strict)
        self.config = load_site_config(content_dir, paper=paper, strict=strict)
        self.paper = self.config.paper
        self.env = make_environment(TEMPLATES_DIR)
        self._workdir = tempfile.TemporaryDirectory(prefix="leaflet-print-")
        self.page_dir = Path(self._workdir.name) / "page"
        self.page_dir.mkdir()
        from ..render.pdf import PdfRenderer  # WeasyPrint takes ~0.6 s to import: only once something is rendered

        self.renderer = PdfRenderer([content_dir, STYLES_DIR, Path(self._workdir.name)], self.config)
        self.cache = LeafletCache(output_dir)
        self._shared_key: str | None = None
        write_file(Path(self._workdir.name) / "assets" / "leaflet.css", self.renderer.stylesheet_text)

    def prepare(self, request: PrintRequest) -> PreparedLeaflet:
        """Check everything about a request; raise ContentError listing all problems."""
        leaflet, problems = self._find_leaflet(request)
        details = _collect(problems, lambda: self._details(request, leaflet))
        if problems:
            raise ContentError(problems)
        return PreparedLeaflet(request, details)

    def _find_leaflet(self, request: PrintRequest) -> tuple[Leaflet | None, list[Problem]]:
        """The requested leaflet, with what is wrong with its language or the part asked for."""
        leaflet = next((item for item in self.tree.leaflets if item.leaflet_id == request.leaflet_id), None)
        if leaflet is None:
            known = ", ".join(item.leaflet_id for item in self.tree.leaflets)
            return None, [Problem(f"leaflet {shown(request.leaflet_id)}", f"no such leaflet; choose one of: {known}")]
        state, problems = leaflet.languages.get(request.lang), []
        if state is not None and state.withheld_because:
            problems = [
                Problem(f"language '{request.lang}'", f"refused: {reason}") for reason in state.withheld_because
            ]
        elif request.lang not in leaflet.texts:
            message = f"no {request.leaflet_id} leaflet in it; choose one of: {', '.join(leaflet.texts)}"
            problems = [Problem(f"language {shown(request.lang)}", message)]
        if request.only and not leaflet.medicine:
            message = "this leaflet is not about a medicine, so it has no treatment sheet"
            problems.append(Problem("", message, field="only"))
        return leaflet, problems

    def _details(self, request: PrintRequest, leaflet: Leaflet | None) -> PersonalDetails:
        problems: list[Problem] = []
        clinic = _collect(
            problems, lambda: with_emergency_number(load_clinic(request.clinic, self.content_dir)[0], self.content_dir)
        )
        regimen = _collect(problems, lambda: checked_regimen(request.regimen, request.confirm_unusual_dose, leaflet))
        start = _collect(problems, lambda: parse_date("start date", request.start_date))
        appointment = _collect(problems, lambda: parse_date("next appointment", request.next_appointment))
        name = _collect(problems, lambda: check_name(request.name))
        for field, text in (("name", request.name), ("prescriber", request.prescriber)):
            if text and not self._printable(text, request.lang):  # never which character: it would be the name's
                message = ("has characters that none of the fonts for this language can print; write it in a "
                           "script the leaflet's language uses, or leave it out")  # fmt: skip
                problems.append(Problem(field, message))
        if start and appointment and appointment <= start:
            message = f"expected a date after the start date {start}, got '{appointment}'"
            problems.append(Problem("next appointment", message))
        _collect(problems, lambda: check_prescriber(request.prescriber))
        supervised = _collect(problems, lambda: supervised_days(request.supervised, leaflet))
        if regimen and not problems:
            _collect(problems, lambda: check_course_dates(regimen, start, supervised))
            _collect(problems, lambda: check_tick_chart(request.tick_chart, regimen, start))
        if problems:
            raise ContentError(problems)
        return PersonalDetails(regimen, clinic, start, appointment, name, supervised, request.as_prescribed)

    def _printable(self, text: str, lang: str) -> bool:
        """Whether the page's fonts (and the English card's, where there is one) can draw every character."""
        return all(drawable(text, self.config.font_stack(tag)) for tag in {lang, "en"})

    def render(self, prepared: PreparedLeaflet) -> bytes:
        """Render a prepared leaflet to PDF bytes (see :meth:`render_copy`)."""
        return self.render_copy(prepared).pdf

    def render_copy(self, prepared: PreparedLeaflet) -> PersonalCopy:
        """The treatment sheet (an even number of pages), then the leaflet exactly as published for the clinic;
        ``--only treatment`` is the sheet alone, and a general leaflet, having no sheet, is the leaflet alone."""
        from .combine import DocumentPart, join_parts, pad_to_even  # pikepdf: only once something is rendered

        request, lang = prepared.request, prepared.request.lang
        leaflet = self.leaflet(request.leaflet_id)
        title = f"{request.leaflet_id} ({lang})"
        sheet = None
        if leaflet.medicine:
            sheet = pad_to_even(self.renderer.render_pdf(self.render_html(prepared), self.page_dir, title, lang))
        if request.only:
            return PersonalCopy(sheet, None)
        variant = "large-print" if request.large_print else "standard"
        part = self.leaflet_part(leaflet, lang, variant, prepared.details.clinic)
        if sheet is None:
            return PersonalCopy(part.pdf, part)
        t = self.translator(lang)
        parts = [DocumentPart(sheet, t.gettext("Treatment sheet"), t.gettext("Treatment sheet") + " "),
                 DocumentPart(part.pdf, leaflet.texts[lang].title)]  # fmt: skip
        return PersonalCopy(join_parts(parts, leaflet.texts[lang].title), part)

    def leaflet_part(self, leaflet: Leaflet, lang: str, variant: str, clinic) -> LeafletPart:
        """The leaflet as published for ``clinic`` (the site's own rendering and key), laid out once and cached.
        Nothing about a patient goes into it."""
        if self._shared_key is None:
            self._shared_key = shared_key()
        key = page_key(leaflet, lang, self.config, self.content_dir, self._shared_key, clinic)
        pdf = self.cache.get(f"{key}|{variant}|{self.paper}", lambda: self._render_published(leaflet, lang, variant,
                                                                                             clinic))  # fmt: skip
        return LeafletPart(pdf, leaflet.meta.version)

    def _render_published(self, leaflet: Leaflet, lang: str, variant: str, clinic) -> bytes:
        html = self.published_html(leaflet, lang, variant, clinic)
        return self.renderer.render_pdf(html, self.page_dir, f"{leaflet.leaflet_id} ({lang}, {variant})", lang)

    def published_html(self, leaflet: Leaflet, lang: str, variant: str, clinic) -> str:
        """The HTML of the leaflet as the site publishes its PDF, with ``clinic``'s card."""
        translator = self.translator(lang)
        qr = qr_code(page_url(self.config, leaflet.leaflet_id, lang), translator)
        options = PageOptions(asset_root="../", variant=variant, paper=self.paper, clinic=clinic, qr=qr,
                              fonts=self.config.font_stack(lang), emergency=clinic.emergency_number)  # fmt: skip
        return render_leaflet_page(self.env, leaflet, lang, options, translator)

    def leaflet(self, leaflet_id: str) -> Leaflet:
        return next(item for item in self.tree.leaflets if item.leaflet_id == leaflet_id)

    def render_html(self, prepared: PreparedLeaflet) -> str:
        """The HTML of a personal copy's treatment sheet (its stylesheet is ``../assets/leaflet.css``)."""
        request, details = prepared.request, prepared.details
        leaflet = self.leaflet(request.leaflet_id)
        translator = self.translator(request.lang)
        treatment = None
        if leaflet.medicine and details.regimen:
            how_to_take = leaflet.texts[request.lang].how_to_take
            treatment = treatment_view(
                details, leaflet.medicine, request.lang, translator, how_to_take, request.tick_chart
            )
        options = PageOptions(
            asset_root="../",
            variant="large-print" if request.large_print else "standard",
            paper=self.paper,
            only="treatment",
            print_record=print_record(request),
            clinic=details.clinic,
            treatment=treatment,
            alert_cards=self.alert_cards(leaflet, request.lang, translator),
            personal_name=details.name,
            fonts=self.config.font_stack(request.lang),
            qr=qr_code(page_url(self.config, request.leaflet_id, request.lang), translator),
        )
        return render_leaflet_page(self.env, leaflet, request.lang, options, translator)

    def translator(self, lang: str) -> Translator:
        return english() if lang == "en" else self.tree.translators[lang]  # no silent English fallback

    def alert_cards(self, leaflet: Leaflet, lang: str, translator: Translator) -> list:
        """The leaflet's own alert card in the patient's language, then in English; none if it has no card."""
        return alert_cards(leaflet, lang, translator)

    def default_path(self, request: PrintRequest, ref: str = "") -> Path:
        """A file name that identifies the leaflet, never the person."""
        tag = ref or secrets.token_hex(4)
        variant = "-large-print" if request.large_print else ""
        only = "-treatment" if request.only else ""
        return self.print_folder() / f"{request.leaflet_id}-{request.lang}{variant}{only}-{tag}.pdf"

    def print_folder(self) -> Path:
        """OUTPUT/print, owner-only; refused when it is (or links into) a published site."""
        folder = self.output_dir / "print"
        check_destination(folder, self.output_dir, "--output")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # also when it already existed with wider permissions
        return folder

    def close(self) -> None:
        """Remove the session's temporary folder (workers call this as they exit)."""
        self._workdir.cleanup()


def print_record(request: PrintRequest) -> PrintRecord:
    """What matches a printed treatment sheet to its record: the date (in the leaflet's language), ref, prescriber."""
    return PrintRecord(format_long_date(date.today(), request.lang), request.ref, " ".join(request.prescriber.split()))


def _collect(problems: list[Problem], step):
    try:
        return step()
    except ContentError as error:
        problems.extend(error.problems)
        return None
