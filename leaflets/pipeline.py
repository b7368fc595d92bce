"""The build, step by step: load and check every input -> render into a staging folder -> swap it in -> stamp.

``check`` runs the first step only; personalised leaflets are print jobs (:mod:`.personal.print_job`).
"""

from __future__ import annotations

from pathlib import Path

from .paths import TEMPLATES_DIR
from .personal import print_job
from .personal.batch import BatchOptions, BatchReport
from .personal.browser_page import PersonalisePages, load_clinics
from .personal.session import PrintRequest
from .publish.manifest import BuildManifest
from .publish.output import build_lock, staging_folder
from .publish.publishable import withheld_languages
from .publish.site_inputs import SiteInputs, load_site_inputs
from .publish.site_render import BuildReport, render_site
from .publish.site_stamp import MANIFEST_NAME, SiteSummary, input_stamp, make_stamp
from .quality.readability import ReadabilityReport, assess_leaflet
from .render.html import make_environment
from .settings import BuildSettings

__all__ = ["BuildSettings", "PrintRequest", "build_site", "check_content", "print_batch", "print_leaflet"]


def check_content(settings: BuildSettings) -> tuple[SiteInputs, list[ReadabilityReport]]:
    """Everything a site build checks, without rendering; and the readability of each English text."""
    previous = BuildManifest.load(settings.output_dir / MANIFEST_NAME).previous
    inputs = load_site_inputs(settings, make_environment(TEMPLATES_DIR), set(previous))
    load_clinics(settings.content_dir)  # the personalise pages offer every clinic profile
    return inputs, [assess_leaflet(leaflet) for leaflet in inputs.tree.leaflets]


def build_site(settings: BuildSettings) -> BuildReport:
    """Build every leaflet in every language into ``output/site`` (one build at a time per folder)."""
    with build_lock(settings.output_dir):
        stamp = input_stamp(settings)  # before anything is read, so a change during the build shows next time
        env = make_environment(TEMPLATES_DIR)
        manifest = BuildManifest.load(settings.output_dir / MANIFEST_NAME)
        # 1. Load and check everything before writing anything; translations no font can show are withheld.
        inputs = load_site_inputs(settings, env, set(manifest.previous))
        report = BuildReport(warnings=inputs.warnings, withheld=withheld_languages(inputs.tree))
        pages = PersonalisePages(env, load_clinics(settings.content_dir), inputs.emergency, inputs.config.paper)
        # 2. Render what changed into a staging folder, reusing unchanged pages; it replaces the site at the end.
        with staging_folder(settings.output_dir / "site") as staging:
            render_site(settings, inputs, env, manifest, staging, report, pages)
        # 3. The new site is in place: remember what it was built from.
        manifest.stamp = make_stamp(settings, SiteSummary(report.pages, report.withheld, report.warnings), stamp)
        manifest.save()
        report.rendered, report.reused = manifest.rendered, manifest.reused
        return report


def print_leaflet(
    settings: BuildSettings,
    request: PrintRequest,
    out: Path | None = None,
    form: str = "pdf",
    booklet: bool = False,
    warn=lambda problem: None,
    fhir: Path | None = None,
) -> print_job.PrintOutcome:
    """One personal copy (the treatment sheet, then the approved leaflet) and its booklet (or, with
    ``form="braille"``, BRF): validate -> personalise -> render -> write privately. The content's warnings go to
    ``warn``. With ``fhir``, the prescription comes from that FHIR file (the request's flags win)."""
    return print_job.print_one(settings, request, out, form, booklet, warn, fhir)


def print_batch(settings: BuildSettings, path: Path, options: BatchOptions) -> BatchReport:
    """A PDF for every good row (of this shard) and a report; bad rows are reported, not fatal to the others."""
    return print_job.print_many(settings, path, options)
