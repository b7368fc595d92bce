"""Personalised leaflets: validate one request, render it, write it privately.

Personalised PDFs go only under ``output/print/`` (or an explicit ``--out``
outside the site folder), with file mode 0600 and a file name that never
contains the person's name.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..i18n.localise import load_content
from ..i18n.translator import Translator, english
from ..paths import STYLES_DIR, TEMPLATES_DIR, write_file
from ..render.html import PageOptions, format_long_date, make_environment, render_leaflet_page
from ..render.links import page_url, qr_code
from ..render.page_context import PrintRecord
from ..source.clinic import load_clinic, with_emergency_number
from ..source.content import ContentTree, Leaflet
from ..source.languages import language
from ..source.medicine import prescribe
from ..source.metadata import DATE_RE
from ..source.regimen import DoseSchedule
from ..source.site_config import load_site_config
from .destinations import check_destination
from .treatment import PersonalDetails, alert_card_text, treatment_view

MAX_NAME_LENGTH = 80
MAX_STACKED_MARKS = 3  # accents on one letter: Vietnamese needs two, Hebrew pointing three
JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiner: part of Persian and Indic spellings
PLAUSIBLE_DAYS = 366  # a start date or appointment further from today is a typing mistake


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
        self.config = load_site_config(content_dir, paper=paper)
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
        problems: list[Problem] = []
        leaflet = next((item for item in self.tree.leaflets if item.leaflet_id == request.leaflet_id), None)
        if leaflet is None:
            known = ", ".join(item.leaflet_id for item in self.tree.leaflets)
            problems.append(
                Problem(f"leaflet '{_shown(request.leaflet_id)}'", f"no such leaflet; choose one of: {known}")
            )
        elif request.lang in leaflet.languages and leaflet.languages[request.lang].withheld_because:
            reasons = leaflet.languages[request.lang].withheld_because
            problems += [Problem(f"language '{request.lang}'", f"refused: {reason}") for reason in reasons]
        elif request.lang not in leaflet.texts:
            known = ", ".join(leaflet.texts)
            problems.append(
                Problem(
                    f"language '{_shown(request.lang)}'",
                    f"no {request.leaflet_id} leaflet in it; choose one of: {known}",
                )
            )
        if request.only and leaflet is not None and not leaflet.medicine:
            problems.append(
                Problem("", "this leaflet is not about a medicine, so it has no treatment sheet", field="only")
            )
        details = _collect(problems, lambda: self._details(request, leaflet))
        if problems:
            raise ContentError(problems)
        return PreparedLeaflet(request, details)

    def _details(self, request: PrintRequest, leaflet: Leaflet | None) -> PersonalDetails:
        problems: list[Problem] = []
        clinic = _collect(
            problems, lambda: with_emergency_number(load_clinic(request.clinic, self.content_dir)[0], self.content_dir)
        )
        schedule = _collect(problems, lambda: _schedule(request, leaflet))
        start = _collect(problems, lambda: parse_date("start date", request.start_date))
        appointment = _collect(problems, lambda: parse_date("next appointment", request.next_appointment))
        name = _collect(problems, lambda: check_name(request.name))
        if start and appointment and appointment <= start:
            message = f"expected a date after the start date {start}, got '{appointment}'"
            problems.append(Problem("next appointment", message))
        _collect(problems, lambda: check_prescriber(request.prescriber))
        if problems:
            raise ContentError(problems)
        return PersonalDetails(schedule, clinic, start, appointment, name)

    def render(self, prepared: PreparedLeaflet) -> bytes:
        """Render a prepared leaflet to PDF bytes."""
        request = prepared.request
        html = self.render_html(prepared)
        return self.renderer.render_pdf(html, self.page_dir, f"{request.leaflet_id} ({request.lang})", request.lang)

    def render_html(self, prepared: PreparedLeaflet) -> str:
        """The HTML document a personalised PDF is rendered from (its stylesheet is ``../assets/leaflet.css``)."""
        request, details = prepared.request, prepared.details
        leaflet = next(item for item in self.tree.leaflets if item.leaflet_id == request.leaflet_id)
        translator = self.translator(request.lang)
        treatment = None
        if leaflet.medicine and details.schedule:
            treatment = treatment_view(details, leaflet.medicine, request.lang, translator)
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

    def check_destination(self, path: Path) -> None:
        check_destination(path, self.output_dir, "--out")
        special = path.exists() and not path.is_file() and not path.is_dir()  # a folder gets its own message
        if special or path.is_symlink():  # e.g. /dev/null: never replace it
            raise UsageError(f"--out {path}: not a regular file; give the path of a new or existing PDF file")

    def close(self) -> None:
        """Remove the session's temporary folder (workers call this as they exit)."""
        self._workdir.cleanup()


def print_record(request: PrintRequest) -> PrintRecord:
    """What matches a printed treatment sheet to its record: the date (in the leaflet's language), ref, prescriber."""
    return PrintRecord(format_long_date(date.today(), request.lang), request.ref, " ".join(request.prescriber.split()))


def check_prescriber(prescriber: str) -> str:
    """Plain text of at most 80 characters; like the name, never echoed."""
    if len(prescriber) > MAX_NAME_LENGTH:
        raise ContentError([Problem("prescriber", f"longer than {MAX_NAME_LENGTH} characters; shorten it")])
    if any(ch in prescriber for ch in "<>") or any(unicodedata.category(ch)[0] == "C" for ch in prescriber):
        raise ContentError(
            [Problem("prescriber", "must be plain text without '<', '>', control or formatting characters")]
        )
    return prescriber


def _schedule(request: PrintRequest, leaflet: Leaflet | None) -> DoseSchedule | None:
    """The checked regimen for a leaflet about a medicine; none for a general leaflet."""
    if leaflet is None:
        return None  # already reported
    if leaflet.medicine is None:
        if request.regimen:
            raise ContentError(
                [
                    Problem(
                        "regimen",
                        f"the {leaflet.leaflet_id} leaflet is about no medicine, so it takes no regimen; leave it out",
                    )
                ]  # fmt: skip
            )
        return None
    if not request.regimen:
        raise ContentError(
            [Problem("regimen", f"required for the {leaflet.leaflet_id} leaflet ({leaflet.medicine.name}); give the "
                     f"prescribed regimen, e.g. {_examples(leaflet.medicine)}")]
        )  # fmt: skip
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


def parse_date(what: str, text: str, today: date | None = None) -> date | None:
    """A YYYY-MM-DD date within a year of today, or None for no date."""
    if not text:
        return None
    try:
        value = date.fromisoformat(text) if DATE_RE.match(text) else _bad_date(what, text)
    except ValueError:
        return _bad_date(what, text)
    today = today or date.today()
    earliest, latest = today - timedelta(days=PLAUSIBLE_DAYS), today + timedelta(days=PLAUSIBLE_DAYS)
    if not earliest <= value <= latest:
        message = f"expected a date within a year of today ({earliest} to {latest}), got '{value}'"
        raise ContentError([Problem(what, message)])
    return value


def _bad_date(what: str, text: str):
    raise ContentError([Problem(what, f"expected a date (YYYY-MM-DD), got '{_shown(text)}'")])


def check_name(name: str) -> str:
    """The person's name for the alert card: plain text. Never echoed in messages."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if len(name) > MAX_NAME_LENGTH:
        raise ContentError([Problem("name", f"longer than {MAX_NAME_LENGTH} characters; shorten it")])
    if any(ch in name for ch in "<>") or any(_refused_in_name(name, index) for index in range(len(name))):
        raise ContentError([Problem("name", "must be plain text without '<', '>', control or formatting characters")])
    if _most_stacked_marks(name) > MAX_STACKED_MARKS:
        message = f"more than {MAX_STACKED_MARKS} accents or marks on one letter would be drawn over the card's text"
        raise ContentError([Problem("name", message)])
    return name


def _refused_in_name(name: str, index: int) -> bool:
    """Control, private-use and format characters; a joiner only between two letters."""
    char = name[index]
    if char in JOINERS:
        return not (0 < index < len(name) - 1 and _in_word(name[index - 1]) and _in_word(name[index + 1]))
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"}


def _in_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _most_stacked_marks(name: str) -> int:
    """The longest run of combining marks drawn on one letter (after NFC composition)."""
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char) in {"Mn", "Me"} else 0
        longest = max(longest, run)
    return longest


def _collect(problems: list[Problem], step):
    try:
        return step()
    except ContentError as error:
        problems.extend(error.problems)
        return None


def _shown(text: str, limit: int = 40) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "..."
