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
from ..render.html import PageOptions, format_long_date, make_environment, render_leaflet_page
from ..render.links import page_url, qr_code
from ..render.page_context import PrintRecord
from ..source.clinic import load_clinic, with_emergency_number
from ..source.content import ContentTree, Leaflet
from ..source.course import Regimen
from ..source.fields import shown
from ..source.languages import language
from ..source.prescribing import prescribe
from ..source.regimen import AS_NEEDED
from ..source.site_config import load_site_config
from .destinations import check_destination
from .request_fields import check_name, check_prescriber, parse_date, parse_supervised_days
from .treatment import PersonalDetails, alert_card_text, treatment_view


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
        regimen = _collect(problems, lambda: _regimen(request, leaflet))
        start = _collect(problems, lambda: parse_date("start date", request.start_date))
        appointment = _collect(problems, lambda: parse_date("next appointment", request.next_appointment))
        name = _collect(problems, lambda: check_name(request.name))
        if start and appointment and appointment <= start:
            message = f"expected a date after the start date {start}, got '{appointment}'"
            problems.append(Problem("next appointment", message))
        _collect(problems, lambda: check_prescriber(request.prescriber))
        supervised = _collect(problems, lambda: _supervised_days(request, leaflet))
        if regimen and not problems:
            _collect(problems, lambda: _check_course_dates(regimen, start, supervised))
            _collect(problems, lambda: _check_tick_chart(request, regimen, start))
        if problems:
            raise ContentError(problems)
        return PersonalDetails(regimen, clinic, start, appointment, name, supervised)

    def render(self, prepared: PreparedLeaflet) -> bytes:
        """Render a prepared leaflet to PDF bytes."""
        request = prepared.request
        html = self.render_html(prepared)
        pdf = self.renderer.render_pdf(html, self.page_dir, f"{request.leaflet_id} ({request.lang})", request.lang)
        if request.only:
            from .combine import pad_to_even  # pikepdf: only for a treatment sheet

            pdf = pad_to_even(pdf)
        return pdf

    def render_html(self, prepared: PreparedLeaflet) -> str:
        """The HTML document a personalised PDF is rendered from (its stylesheet is ``../assets/leaflet.css``)."""
        request, details = prepared.request, prepared.details
        leaflet = next(item for item in self.tree.leaflets if item.leaflet_id == request.leaflet_id)
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
            only=request.only,
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
        card = leaflet.texts[lang].alert_card
        if card is None:
            return []
        cards = [alert_card_text(card, lang, language(lang).direction, translator)]
        if lang != "en":
            cards.append(alert_card_text(leaflet.texts["en"].alert_card, "en", "ltr", english()))
        return cards

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


def _supervised_days(request: PrintRequest, leaflet: Leaflet | None) -> frozenset[int] | None:
    """The supervised weekdays: given for a medicine supervised sometimes, and only for one."""
    medicine = leaflet.medicine if leaflet else None
    if medicine is None or medicine.supervision != "sometimes":
        if request.supervised:
            how = f"{medicine.name} is supervised {medicine.supervision}" if medicine else "it takes no regimen"
            message = (f"only for a medicine supervised on some days (supervised: sometimes); {how}, "
                       "so leave it out")  # fmt: skip
            raise ContentError([Problem("supervised", message)])
        return None
    if not request.supervised:
        message = (f"required: {medicine.name} is supervised on some days; list them, e.g. "
                   "'mon,tue,wed,thu,fri,sat', or 'none' if every dose is taken at home")  # fmt: skip
        raise ContentError([Problem("supervised", message)])
    return parse_supervised_days(request.supervised)


def _check_course_dates(regimen: Regimen, start: date | None, supervised: frozenset[int] | None) -> None:
    """A course whose days depend on the weekday can only be laid out from a start date."""
    if start is not None or not regimen.is_course:
        return
    if regimen.by_weekday:
        message = "required: this course has doses on named weekdays, so its day 1 needs a date"
        raise ContentError([Problem("start date", message)])
    if supervised:
        message = "required: the supervised days are weekdays, so a course's day 1 needs a date"
        raise ContentError([Problem("start date", message)])


def _check_tick_chart(request: PrintRequest, regimen: Regimen, start: date | None) -> None:
    if not request.tick_chart:
        return
    if start is None:
        raise ContentError([Problem("tick chart", "needs a start date: its rows are dated from the first day")])
    if all(phase.schedule.pattern == AS_NEEDED for phase in regimen.phases):
        raise ContentError([Problem("tick chart", "as-needed doses are not scheduled, so there is nothing to tick")])


def _regimen(request: PrintRequest, leaflet: Leaflet | None) -> Regimen | None:
    """The checked regimen for a leaflet about a medicine; none for a general leaflet."""
    if leaflet is None:
        return None  # already reported
    if leaflet.medicine is None and request.regimen:
        message = f"the {leaflet.leaflet_id} leaflet is about no medicine, so it takes no regimen; leave it out"
        raise ContentError([Problem("regimen", message)])
    if leaflet.medicine is None:
        return None
    if not request.regimen:
        message = (f"required for the {leaflet.leaflet_id} leaflet ({leaflet.medicine.name}); give the prescribed "
                   f"regimen, e.g. {_examples(leaflet.medicine)}")  # fmt: skip
        raise ContentError([Problem("regimen", message)])
    return prescribe(request.regimen, leaflet.medicine, confirm_unusual=request.confirm_unusual_dose)


def _examples(medicine) -> str:
    return " or ".join(f"'{spec}'" for spec in medicine.standard_regimens[:2]) or "'daily:<mg>'"


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (temp file, then rename)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _collect(problems: list[Problem], step):
    try:
        return step()
    except ContentError as error:
        problems.extend(error.problems)
        return None
