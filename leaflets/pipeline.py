"""The build, step by step: load and check every input -> render into a staging folder -> swap it in -> stamp.

``check`` runs the first step only; personalised leaflets are print jobs (:mod:`.personal.print_job`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import LOG, Problem
from .paths import STYLES_DIR, TEMPLATES_DIR, write_file
from .personal import print_job
from .personal.batch import BatchOptions, BatchReport
from .personal.session import PrintRequest
from .publish.alt_formats import AlternativeFormats
from .publish.manifest import BuildManifest
from .publish.output import build_lock, staging_folder
from .publish.publishable import withheld_languages
from .publish.site_builder import SiteBuilder
from .publish.site_index import Stylesheet
from .publish.site_inputs import SiteInputs, load_site_inputs
from .publish.site_stamp import MANIFEST_NAME, SiteSummary, input_stamp, make_stamp
from .publish.static_files import copy_static
from .quality.readability import ReadabilityReport, assess_leaflet
from .render.html import make_environment
from .render.stylesheet import stylesheet_name
from .settings import BuildSettings
from .source.fields import raise_problems

__all__ = ["BuildSettings", "PrintRequest", "build_site", "check_content", "print_batch", "print_leaflet"]


@dataclass
class BuildReport:
    pages: list[str] = field(default_factory=list)
    files_written: int = 0
    rendered: int = 0  # leaflet languages rendered
    reused: int = 0  # leaflet languages unchanged since the last build
    warnings: list[Problem] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # (leaflet/lang, why)


def check_content(settings: BuildSettings) -> tuple[SiteInputs, list[ReadabilityReport]]:
    """Everything a site build checks, without rendering; and the readability of each English text."""
    previous = BuildManifest.load(settings.output_dir / MANIFEST_NAME).previous
    inputs = load_site_inputs(settings, make_environment(TEMPLATES_DIR), set(previous))
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
        # 2. Render what changed into a staging folder, reusing unchanged pages; it replaces the site at the end.
        with staging_folder(settings.output_dir / "site") as staging:
            render_site(settings, inputs, env, manifest, staging, report)
        # 3. The new site is in place: remember what it was built from.
        manifest.stamp = make_stamp(settings, SiteSummary(report.pages, report.withheld, report.warnings), stamp)
        manifest.save()
        report.rendered, report.reused = manifest.rendered, manifest.reused
        return report


def render_site(settings, inputs: SiteInputs, env, manifest: BuildManifest, staging: Path, report: BuildReport):
    """Every page, the index pages and the pass-through folder, into ``staging``."""
    builder = site_builder(settings, inputs, env, manifest, staging)
    for leaflet in inputs.tree.leaflets:
        for lang in leaflet.texts:
            rendered = builder.leaflet_language(leaflet, lang)
            report.pages.append(f"{leaflet.leaflet_id}/{lang}")
            LOG.info("%s %s/%s", "built" if rendered else "unchanged", leaflet.leaflet_id, lang)
    report.warnings += finish_formats(builder, settings.strict)
    builder.index_pages()
    copied = copy_static(settings.content_dir, inputs.static, staging)  # it may not replace a built file
    manifest.note("static", [str(path.relative_to(staging)) for path in copied])
    report.files_written = len(builder.written) + len(copied) + 1
    manifest.forget()  # until the new site is in place, no manifest may describe it


def site_builder(settings, inputs: SiteInputs, env, manifest: BuildManifest, staging: Path) -> SiteBuilder:
    """The renderer, the stylesheet (written once) and, if site.yaml asks, the Braille and audio versions."""
    from .render.pdf import PdfRenderer  # WeasyPrint takes ~0.6 s to import: only once something is rendered

    renderer = PdfRenderer([settings.content_dir, STYLES_DIR, staging], inputs.config)
    stylesheet = Stylesheet(stylesheet_name(renderer.stylesheet_text), renderer.stylesheet_text)
    write_file(staging / "assets" / stylesheet.name, stylesheet.text)
    site_dir = settings.output_dir / "site"
    builder = SiteBuilder(inputs.tree, inputs.config, env, renderer, staging, inputs.default_clinic, manifest,
                          site_dir, inputs.emergency, stylesheet, inputs.help_country)  # fmt: skip
    if inputs.config.braille is not None or inputs.config.voices is not None:
        builder.formats = AlternativeFormats(inputs.config, manifest, site_dir, staging)
    return builder


def finish_formats(builder: SiteBuilder, strict: bool) -> list[Problem]:
    """Close the Braille and audio versions; their warnings (errors under --strict, before the swap)."""
    if not builder.formats:
        return []
    builder.formats.close()
    raise_problems(builder.formats.warnings, strict)
    return builder.formats.warnings


def print_leaflet(
    settings: BuildSettings, request: PrintRequest, out: Path | None = None, form: str = "pdf", booklet: bool = False
) -> list[Path]:
    """One personalised PDF and its booklet (or, with ``form="braille"``, BRF): validate -> personalise -> render
    -> write privately."""
    return print_job.print_one(settings, request, out, form, booklet)


def print_batch(settings: BuildSettings, path: Path, options: BatchOptions) -> BatchReport:
    """A PDF for every good row (of this shard) and a report; bad rows are reported, not fatal to the others."""
    return print_job.print_many(settings, path, options)
