"""Rendering the site into a staging folder: every leaflet page, the index pages and the pass-through folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LOG, Problem
from ..paths import STYLES_DIR, write_file
from ..render.spoken_text import ContactDetails
from ..render.stylesheet import stylesheet_name
from ..settings import BuildSettings
from ..source.fields import raise_problems
from .alt_formats import AlternativeFormats
from .manifest import BuildManifest
from .site_builder import PersonalisePages, SiteBuilder
from .site_index import Stylesheet
from .site_inputs import SiteInputs
from .static_files import copy_static


@dataclass
class BuildReport:
    pages: list[str] = field(default_factory=list)
    files_written: int = 0
    rendered: int = 0  # leaflet languages rendered
    reused: int = 0  # leaflet languages unchanged since the last build
    warnings: list[Problem] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # (leaflet/lang, why)


def render_site(
    settings: BuildSettings, inputs: SiteInputs, env, manifest: BuildManifest, staging: Path, report: BuildReport,
    personalise: PersonalisePages | None = None,
):  # fmt: skip
    """Every page, the index pages and the pass-through folder, into ``staging``."""
    builder = make_site_builder(settings, inputs, env, manifest, staging)
    if personalise:
        builder.personalise = personalise
        for name, text in personalise.assets.items():
            write_file(staging / "assets" / name, text)
    for leaflet in inputs.tree.leaflets:
        for lang in leaflet.texts:
            rendered = builder.leaflet_language(leaflet, lang)
            report.pages.append(f"{leaflet.leaflet_id}/{lang}")
            LOG.info("%s %s/%s", "built" if rendered else "unchanged", leaflet.leaflet_id, lang)
    report.warnings += [w for w in finish_formats(builder, settings.strict) if w not in report.warnings]
    builder.index_pages()
    copied = copy_static(settings.content_dir, inputs.static, staging)  # it may not replace a built file
    manifest.note("static", [str(path.relative_to(staging)) for path in copied])
    report.files_written = len(builder.written) + len(copied) + 1
    manifest.forget()  # until the new site is in place, no manifest may describe it


def make_site_builder(
    settings: BuildSettings, inputs: SiteInputs, env, manifest: BuildManifest, staging: Path
) -> SiteBuilder:
    """The renderer, the stylesheet (written once) and, if site.yaml asks, the Braille and audio versions."""
    from ..render.pdf import PdfRenderer  # WeasyPrint takes ~0.6 s to import: only once something is rendered

    renderer = PdfRenderer([settings.content_dir, STYLES_DIR, staging], inputs.config)
    stylesheet = Stylesheet(stylesheet_name(renderer.stylesheet_text), renderer.stylesheet_text)
    write_file(staging / "assets" / stylesheet.name, stylesheet.text)
    site_dir = settings.output_dir / "site"
    builder = SiteBuilder(inputs.tree, inputs.config, env, renderer, staging, inputs.default_clinic, manifest,
                          site_dir, inputs.emergency, stylesheet, inputs.help_country)  # fmt: skip
    if inputs.config.braille is not None or inputs.config.voices is not None:
        contact = ContactDetails(inputs.default_clinic, inputs.help_country, inputs.emergency)  # as the web page
        builder.formats = AlternativeFormats(inputs.config, manifest, site_dir, staging, contact)
    return builder


def finish_formats(builder: SiteBuilder, strict: bool) -> list[Problem]:
    """Close the Braille and audio versions; their warnings (errors under --strict, before the swap)."""
    if not builder.formats:
        return []
    builder.formats.close()
    raise_problems(builder.formats.warnings, strict)
    return builder.formats.warnings
