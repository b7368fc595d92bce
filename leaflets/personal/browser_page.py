"""``<leaflet>/<lang>/personalise.html``: clinic staff print a personal copy from the published site.

The build renders every clinical part with the code ``print`` uses (:mod:`.browser_parts`); the page's one
script chooses among them and fills in a name, a prescriber, a ref and dates, in the browser. Nothing typed
leaves the page: its Content-Security-Policy forbids connections and form submission, and it stores nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.dates import get_date_format
from jinja2 import Environment
from markupsafe import Markup

from ..i18n.translator import Translator
from ..paths import STYLES_DIR, TEMPLATES_DIR
from ..render.html import css_string, install_translator, leaflet_page, render_leaflet_page
from ..render.page_context import PageOptions
from ..render.typography import bind_units_in_html
from ..source.clinic import ClinicProfile, list_clinics, load_clinic, with_emergency_number
from ..source.content import Leaflet
from ..source.languages import format_locale
from .browser_parts import ClinicChoice, PartRenderer, RegimenChoice

PAGE_NAME = "personalise.html"
CSP = "default-src 'self'; connect-src 'none'; form-action 'none'"
SCRIPT = TEMPLATES_DIR / "personalise.js"
STYLES = STYLES_DIR / "personalise.css"
ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4e89"/>'
    '<path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.5"/></svg>\n'
)
LEAFLET_BODY_RE = re.compile(r'<main id="main" class="lf-main">(.*)</main>(.*)</body>', re.DOTALL)


def hashed_name(stem: str, text: str, suffix: str) -> str:
    """``stem.<hash>.suffix``: a new name whenever the file changes, so no cache serves a stale one."""
    return f"{stem}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.{suffix}"


@dataclass(frozen=True)
class FormPage:
    """What personalise.html shows besides the leaflet's own page data."""

    csp: str
    script: str
    stylesheet: str
    icon: str
    locale: str  # for Intl.DateTimeFormat ("en-GB")
    numbering: str  # the language's digits ("latn")
    full_pattern: str  # CLDR date patterns, as print formats its dates
    long_pattern: str
    footer_version: str  # CSS for the @page margin boxes (plain str: escaped in the page's attributes)
    footer_review: str
    page_counter: str
    paper: str
    regimens: tuple[RegimenChoice, ...] = ()
    clinics: tuple[ClinicChoice, ...] = ()
    print_record: Markup = Markup("")
    leaflet: Markup = Markup("")
    refusal: str = ""  # why this leaflet's copies cannot be made here


@dataclass
class PersonalisePages:
    """Renders the personalise page of every leaflet language, with the clinics of ``content/clinics``."""

    env: Environment
    clinics: tuple[ClinicProfile, ...]
    emergency: str  # the site country's, for a copy without a clinic
    paper: str = "a4"
    assets: dict[str, str] = field(default_factory=dict)  # file name in assets/ -> text

    def __post_init__(self):
        for stem, text, suffix in (("personalise", SCRIPT.read_text(encoding="utf-8"), "js"),
                                   ("personalise", STYLES.read_text(encoding="utf-8"), "css"),
                                   ("icon", ICON, "svg")):  # fmt: skip
            self.assets[hashed_name(stem, text, suffix)] = text

    @property
    def key(self) -> str:
        """What the pages depend on beyond a leaflet page's own key: the clinics (the code is in the shared key)."""
        return hashlib.sha256(repr(self.clinics).encode()).hexdigest()

    def asset(self, suffix: str) -> str:
        return next(name for name in self.assets if name.endswith(f".{suffix}"))

    def render(self, leaflet: Leaflet, lang: str, translator: Translator, options: PageOptions) -> str:
        """The page, for the web page's ``options`` (its stylesheet, home link and generic PDFs)."""
        form = self._form(leaflet, lang, translator, options)
        install_translator(self.env, translator)
        page = leaflet_page(leaflet, lang, options, translator)
        page = replace(page, classes=f"lf-personalise-page lf-variant-standard lf-paper-{form.paper}",
                       title=f"{translator.gettext('Print a copy for a patient')}: {page.title}")  # fmt: skip
        html = self.env.get_template("personalise.html").render(
            page=page, text=leaflet.texts[lang], form=form, downloads=options.downloads
        )
        return bind_units_in_html(html, lang)

    def _form(self, leaflet: Leaflet, lang: str, t: Translator, options: PageOptions) -> FormPage:
        locale = format_locale(lang)
        page = leaflet_page(leaflet, lang, options, t)
        form = FormPage(
            csp=CSP, script=self.asset("js"), stylesheet=self.asset("css"), icon=self.asset("svg"),
            locale=str(locale).replace("_", "-"), numbering=locale.default_numbering_system,
            full_pattern=get_date_format("full", locale=locale).pattern,
            long_pattern=get_date_format("long", locale=locale).pattern,
            footer_version=str(css_string(page.footer_version)), footer_review=str(css_string(page.footer_review)),
            page_counter=str(page.page_counter), paper="letter" if self.paper == "letter" else "a4",
        )  # fmt: skip
        medicine = leaflet.medicine
        if medicine and medicine.supervision == "sometimes":
            return replace(
                form,
                refusal=t.gettext(
                    "This medicine is taken in front of a pharmacist on days chosen for each patient, which this page "
                    "cannot ask for. Print a personal copy with the clinic's print tool:"
                ),
            )
        parts = PartRenderer(self.env, leaflet, lang, t)
        regimens = tuple(parts.regimen(spec) for spec in medicine.standard_regimens) if medicine else ()
        none = t.gettext("None: leave lines to write the clinic's details by hand")
        clinics = tuple(parts.clinic(clinic, self.emergency, clinic.name) for clinic in self.clinics)
        clinics += (parts.clinic(None, self.emergency, none),)
        return replace(form, regimens=regimens, clinics=clinics, print_record=parts.print_record(),
                       leaflet=self._leaflet_body(leaflet, lang, t, options))  # fmt: skip

    def _leaflet_body(self, leaflet: Leaflet, lang: str, t: Translator, options: PageOptions) -> Markup:
        """The leaflet as its generic PDF shows it (lines to write on for the clinic), from the page's main
        element to its end; the script puts the chosen clinic's card in."""
        generic = PageOptions(paper=options.paper, fonts=options.fonts, emergency=self.emergency)
        html = render_leaflet_page(self.env, leaflet, lang, generic, t)
        main, footer = LEAFLET_BODY_RE.search(html).groups()
        return Markup(main + footer)  # noqa: S704 - the leaflet page's own rendering


def load_clinics(content_dir: Path) -> tuple[ClinicProfile, ...]:
    """Every profile in content/clinics, with its country's emergency number (a bad one is refused)."""
    return tuple(
        with_emergency_number(load_clinic(clinic_id, content_dir)[0], content_dir)
        for clinic_id in list_clinics(content_dir)
    )
