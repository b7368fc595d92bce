"""The build, step by step: load -> validate -> render HTML -> render PDF -> publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import LOG, Problem
from .i18n.localise import load_content
from .paths import STYLES_DIR, TEMPLATES_DIR, write_file
from .personal.batch import BatchOptions, BatchReport, booklet_path, run_batch
from .personal.braille_plan import braille_table, treatment_brf
from .personal.session import PrintRequest, PrintSession, write_private
from .personal.treatment import treatment_view
from .publish.alt_formats import AlternativeFormats
from .publish.manifest import BuildManifest
from .publish.output import build_lock, staging_folder
from .publish.publishable import withdrawals, withheld_languages, withhold_unreadable
from .publish.site_builder import SiteBuilder
from .publish.site_index import Stylesheet, reserved_paths
from .publish.site_stamp import SiteSummary, input_stamp, make_stamp
from .publish.static_files import copy_static, static_files
from .quality.readability import ReadabilityReport, assess_leaflet
from .render.fonts import forget_fonts
from .render.html import make_environment
from .render.stylesheet import stylesheet_name
from .settings import BuildSettings
from .source.clinic import ClinicProfile, load_clinic, with_emergency_number
from .source.content import ContentTree, raise_problems
from .source.countries import Country, country_for, load_countries
from .source.site_config import SiteConfig, load_site_config


@dataclass
class BuildReport:
    pages: list[str] = field(default_factory=list)
    files_written: int = 0
    rendered: int = 0  # leaflet languages rendered
    reused: int = 0  # leaflet languages unchanged since the last build
    warnings: list[Problem] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # (leaflet/lang, why)


def check_content(settings: BuildSettings) -> tuple[ContentTree, list[ReadabilityReport]]:
    """Load and validate all content without rendering; check fonts; score the readability of each English text."""
    tree = load_content(settings.content_dir, strict=settings.strict)
    config = load_site_config(settings.content_dir, settings.base_url)
    emergency = site_emergency_number(settings.content_dir, config)  # countries.yaml too
    clinic = load_clinic(config.default_clinic, settings.content_dir)[0] if config.default_clinic else None
    tree.warnings += withhold_unreadable(tree, config, make_environment(TEMPLATES_DIR), clinic, emergency)
    return tree, [assess_leaflet(leaflet) for leaflet in tree.leaflets]


def build_site(settings: BuildSettings) -> BuildReport:
    """Build every leaflet in every language into ``output/site`` (one build at a time per folder)."""
    with build_lock(settings.output_dir):
        inputs = input_stamp(settings)  # before anything is read, so a change during the build shows next time
        return _build_site(settings, inputs)


@dataclass
class SiteInputs:
    """Everything a site build reads, loaded and checked before anything is written."""

    tree: ContentTree
    config: SiteConfig
    default_clinic: ClinicProfile | None
    emergency: str  # the site country's emergency number, for pages without a clinic
    help_country: Country | None  # without a default clinic, web pages show its helplines
    static: list[Path]  # content/static/, relative paths
    warnings: list[Problem]


def load_site_inputs(settings: BuildSettings) -> SiteInputs:
    forget_fonts()  # a long-running preview sees fonts installed or updated since the last build
    tree = load_content(settings.content_dir, strict=settings.strict)
    config = load_site_config(settings.content_dir, settings.base_url, settings.paper)
    default_clinic, clinic_warnings = (
        load_clinic(config.default_clinic, settings.content_dir) if config.default_clinic else (None, [])
    )
    raise_problems(clinic_warnings, settings.strict)
    if default_clinic:
        default_clinic = with_emergency_number(default_clinic, settings.content_dir)
    country = site_country(settings.content_dir, config)
    static = static_files(settings.content_dir, reserved_paths(tree, config))
    help_country = None if default_clinic else country
    warnings = list(tree.warnings) + clinic_warnings
    return SiteInputs(tree, config, default_clinic, country.emergency, help_country, static, warnings)


def _build_site(settings: BuildSettings, inputs_stamp: str) -> BuildReport:
    # 1. Load and validate everything before writing anything.
    inputs = load_site_inputs(settings)
    report = BuildReport(warnings=inputs.warnings)
    env = make_environment(TEMPLATES_DIR)
    site_dir = settings.output_dir / "site"
    manifest = BuildManifest.load(settings.output_dir / ".site-manifest.json")
    # 2. Leave out translations no installed font can show; warn loudly about languages the last site had.
    report.warnings += _publishable(inputs, env, manifest, settings.strict)
    report.withheld = withheld_languages(inputs.tree)
    # 3. Render what changed into a staging folder, reusing unchanged pages.
    with staging_folder(site_dir) as staging:
        from .render.pdf import PdfRenderer  # WeasyPrint takes ~0.6 s to import: only once something is rendered

        renderer = PdfRenderer([settings.content_dir, STYLES_DIR, staging], inputs.config)
        stylesheet = Stylesheet(stylesheet_name(renderer.stylesheet_text), renderer.stylesheet_text)
        write_file(staging / "assets" / stylesheet.name, stylesheet.text)
        builder = SiteBuilder(inputs.tree, inputs.config, env, renderer, staging, inputs.default_clinic, manifest,
                              site_dir, inputs.emergency, stylesheet, inputs.help_country)  # fmt: skip
        if inputs.config.braille is not None or inputs.config.voices is not None:
            builder.formats = AlternativeFormats(inputs.config, manifest, site_dir, staging)
        for leaflet in inputs.tree.leaflets:
            for lang in leaflet.texts:
                rendered = builder.leaflet_language(leaflet, lang)
                report.pages.append(f"{leaflet.leaflet_id}/{lang}")
                LOG.info("%s %s/%s", "built" if rendered else "unchanged", leaflet.leaflet_id, lang)
        if builder.formats:
            builder.formats.close()
            raise_problems(builder.formats.warnings, settings.strict)  # under --strict, before the swap
            report.warnings += builder.formats.warnings
        builder.index_pages()
        # 4. The pass-through folder, as it is; it may not replace a built file.
        copied = copy_static(settings.content_dir, inputs.static, staging)
        manifest.note("static", [str(path.relative_to(staging)) for path in copied])
        report.files_written = len(builder.written) + len(copied) + 1
        manifest.forget()  # until the new site is in place, no manifest may describe it
    # 5. The staging folder has been swapped in; remember what it was built from.
    manifest.stamp = make_stamp(settings, SiteSummary(report.pages, report.withheld, report.warnings), inputs_stamp)
    manifest.save()
    report.rendered, report.reused = manifest.rendered, manifest.reused
    return report


def site_country(content_dir: Path, config) -> Country:
    """The site's country (content/countries.yaml): generic pages give its emergency number and helplines."""
    return country_for(load_countries(content_dir), config.country, content_dir, "the site")


def site_emergency_number(content_dir: Path, config) -> str:
    """The emergency number generic pages give: the site's country, from content/countries.yaml."""
    return site_country(content_dir, config).emergency


def _publishable(inputs: SiteInputs, env, manifest: BuildManifest, strict: bool) -> list[Problem]:
    """Withhold translations no installed font can show and warn about withdrawals (errors under strict)."""
    tree = inputs.tree
    warnings = withhold_unreadable(tree, inputs.config, env, inputs.default_clinic, inputs.emergency)
    warnings += withdrawals(tree, set(manifest.previous))
    raise_problems(warnings, strict)
    return warnings


def print_leaflet(
    settings: BuildSettings, request: PrintRequest, out: Path | None = None, form: str = "pdf", booklet: bool = False
) -> list[Path]:
    """One personalised PDF and its booklet (or, with ``form="braille"``, BRF): validate -> personalise -> render
    -> write privately."""
    session = PrintSession(settings.content_dir, settings.output_dir, settings.strict, settings.paper)
    try:
        prepared = session.prepare(request)
        table = braille_table(session.config, request.lang) if form == "braille" else ""
        path = out or session.default_path(request, request.ref)
        if form == "braille":
            path = out or path.with_suffix(".brf")
        session.check_destination(path)
        if form == "braille":
            write_private(path, braille_plan(session, prepared, table))
            return [path]
        pdf = session.render(prepared)
        write_private(path, pdf)
        if not booklet:
            return [path]
        from .personal.combine import impose_booklet  # pikepdf: only for a booklet

        write_private(booklet_path(path), impose_booklet(pdf))
        return [path, booklet_path(path)]
    finally:
        session.close()


def braille_plan(session: PrintSession, prepared, table: str) -> bytes:
    """The treatment plan and clinic contact of a prepared leaflet, as BRF."""
    lang = prepared.request.lang
    translator = session.translator(lang)
    leaflet = next(item for item in session.tree.leaflets if item.leaflet_id == prepared.request.leaflet_id)
    details = prepared.details
    view = None
    if leaflet.medicine and details.schedule:  # a general leaflet has no regimen: the clinic's details only
        view = treatment_view(details, leaflet.medicine, lang, translator)
    return treatment_brf(leaflet.texts[lang].title, view, details.clinic, translator, table)


def print_batch(settings: BuildSettings, path: Path, options: BatchOptions) -> BatchReport:
    """A PDF for every good row (of this shard) and a report; bad rows are reported, not fatal to the others."""
    session = PrintSession(settings.content_dir, settings.output_dir, settings.strict, settings.paper)
    try:
        return run_batch(session, path, options=options)
    finally:
        session.close()
