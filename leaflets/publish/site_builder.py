"""The pages of the publishable site: each leaflet in each language as a web
page and two PDFs (standard and large print), an index, a 404 page and, with
a base URL, canonical links, a sitemap and QR codes on printed leaflets.

Every internal link is relative, so the site works from any folder and from
``file://``; nothing is loaded from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from babel.dates import format_timedelta
from babel.units import format_unit
from jinja2 import Environment

from ..i18n.translator import Translator, english
from ..paths import write_file
from ..render.html import PageOptions, render_leaflet_page
from ..render.links import QrCode, page_url, qr_code
from ..render.page_context import Download, LanguageLink
from ..source.clinic import ClinicProfile
from ..source.content import ContentTree, Leaflet
from ..source.countries import Country
from ..source.languages import format_locale, language
from ..source.site_config import SiteConfig
from .alt_formats import AlternativeFormats, FormatFile
from .manifest import BuildManifest, page_key
from .output import page_dir
from .site_index import Stylesheet, index_files

if TYPE_CHECKING:  # WeasyPrint is imported only by the build that renders
    from ..render.pdf import PdfRenderer

VARIANTS = ("standard", "large-print")
PERSONALISE_PAGE = "personalise.html"


class PersonalisePages(Protocol):
    """Renders a leaflet language's personalise page (built by the pipeline from personal/, which publish/
    may not import)."""

    key: str
    assets: dict[str, str]

    def render(self, leaflet: Leaflet, lang: str, translator: Translator, options: PageOptions) -> str: ...


@dataclass
class SiteBuilder:
    """Renders the whole site into ``root`` (the staging folder)."""

    tree: ContentTree
    config: SiteConfig
    env: Environment
    renderer: PdfRenderer
    root: Path
    default_clinic: ClinicProfile | None = None
    manifest: BuildManifest | None = None
    previous_site: Path | None = None
    emergency: str = ""  # the site country's emergency number, for pages without a clinic
    stylesheet: Stylesheet = Stylesheet("leaflet.css", "")
    help_country: Country | None = None  # without a default clinic, the web page shows its helplines
    formats: AlternativeFormats | None = None  # Braille and audio, when site.yaml asks for them
    personalise: PersonalisePages | None = None  # each language's page for printing a personal copy
    written: list[Path] = field(default_factory=list)
    format_files: dict[str, list[str]] = field(default_factory=dict)  # "leaflet/lang" -> Braille and audio names

    def leaflet_language(self, leaflet: Leaflet, lang: str) -> bool:
        """Reuse unchanged outputs, or render the PDFs and then the web page. True when rendered."""
        page = f"{leaflet.leaflet_id}/{lang}"
        translator = english() if lang == "en" else self.tree.translators[lang]  # no silent English fallback
        formats = self.formats.start(leaflet, lang, translator) if self.formats else None
        key = (
            page_key(leaflet, lang, self.config, self.tree.content_dir, self.manifest.shared, self.default_clinic)
            + (formats.key if formats else "")  # the page lists their sizes and durations
            + (self.personalise.key if self.personalise else "")  # the clinics it offers
            if self.manifest
            else ""
        )
        if self.manifest and self.previous_site and self.manifest.reuse(page, key, self.previous_site, self.root):
            self._finish_formats(page, formats)
            return False
        start = len(self.written)
        self._render_leaflet_language(leaflet, lang, translator, formats)
        if self.manifest:
            self.manifest.record(page, key, [str(p.relative_to(self.root)) for p in self.written[start:]])
        self._finish_formats(page, formats)
        return True

    def _finish_formats(self, page: str, formats) -> list[FormatFile]:
        """Wait for the Braille and audio of a page; list them for the page and the sitemap."""
        if formats is None:
            return []
        files = self.formats.finish(formats)
        self.format_files[page] = [file.name for file in files]
        self.written.extend(path for path in formats.written if path not in self.written)
        return files

    def _render_leaflet_language(self, leaflet: Leaflet, lang: str, translator: Translator, formats=None) -> None:
        """The PDFs first (their sizes go on the web page), then the Braille and audio, then the web page."""
        folder = page_dir(self.root, leaflet.leaflet_id, lang)
        qr = qr_code(self.page_url(leaflet.leaflet_id, lang), translator)
        downloads = [self._render_pdf(leaflet, lang, translator, variant, qr) for variant in VARIANTS]
        if formats is not None:
            downloads += [format_download(file, lang) for file in self.formats.finish(formats)]
        options = self._web_page_options(leaflet, lang, tuple(downloads))
        if self.personalise:
            options = replace(options, personalise_href=PERSONALISE_PAGE)
            pdfs = tuple(download for download in options.downloads if download.kind == "pdf")
            canonical = options.canonical and options.canonical + PERSONALISE_PAGE
            page = self.personalise.render(leaflet, lang, translator, replace(options, downloads=pdfs,
                                                                              canonical=canonical))  # fmt: skip
            self._write(folder / PERSONALISE_PAGE, page)
        self._write(folder / "index.html", render_leaflet_page(self.env, leaflet, lang, options, translator))

    def _render_pdf(
        self, leaflet: Leaflet, lang: str, translator: Translator, variant: str, qr: QrCode | None
    ) -> Download:
        """One printable PDF of the page, written beside it; its entry in the downloads list."""
        folder = page_dir(self.root, leaflet.leaflet_id, lang)
        options = replace(self._common_options(lang), variant=variant, qr=qr)
        html = render_leaflet_page(self.env, leaflet, lang, options, translator)
        pdf = self.renderer.render_pdf(html, folder, f"{leaflet.leaflet_id} ({lang}, {variant})", lang)
        name = pdf_name(leaflet.leaflet_id, lang, variant)
        self._write(folder / name, pdf)
        return Download(name, variant, file_size(len(pdf), lang))

    def _web_page_options(self, leaflet: Leaflet, lang: str, downloads: tuple[Download, ...]) -> PageOptions:
        links = self.language_links(leaflet, lang)
        return replace(
            self._common_options(lang),
            downloads=downloads,
            languages=links,
            alternates=links,
            canonical=self.page_url(leaflet.leaflet_id, lang),
            stylesheet=self.stylesheet.name,
            home_href="../../index.html",
            help_country=None if self.default_clinic else self.help_country,
            web=True,
        )

    def _common_options(self, lang: str) -> PageOptions:
        """What the PDFs and the web page share."""
        return PageOptions(
            clinic=self.default_clinic,
            fonts=self.config.font_stack(lang),
            emergency=self.emergency,
            paper=self.config.paper,
        )

    def language_links(self, leaflet: Leaflet, lang: str) -> tuple[LanguageLink, ...]:
        return tuple(
            LanguageLink(
                tag,
                language(tag).endonym,
                f"../{tag}/index.html",
                self.page_url(leaflet.leaflet_id, tag),
                language(tag).direction,
            )
            for tag in leaflet.texts
        )

    def page_url(self, leaflet_id: str, lang: str) -> str:
        return page_url(self.config, leaflet_id, lang)

    def index_pages(self) -> None:
        """The home page, each leaflet's list of languages, 404.html and, with a base URL, sitemap.xml."""
        listed = dict(self.format_files)  # beside each page in the sitemap: its Braille, audio and personalise page
        if self.personalise:
            for leaflet in self.tree.leaflets:
                for lang in leaflet.texts:
                    page = f"{leaflet.leaflet_id}/{lang}"
                    listed[page] = [*listed.get(page, []), PERSONALISE_PAGE]
        for name, text in index_files(self.tree, self.config, self.env, self.stylesheet, listed).items():
            self._write(self.root / name, text)

    def _write(self, path: Path, data: bytes | str) -> None:
        write_file(path, data)
        self.written.append(path)


def pdf_name(leaflet_id: str, lang: str, variant: str) -> str:
    suffix = "" if variant == "standard" else f"-{variant}"
    return f"{leaflet_id}-{lang}{suffix}.pdf"


def file_size(size: int, lang: str) -> str:
    """'245 kB', in the page language."""
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=format_locale(lang))


def format_download(file: FormatFile, lang: str) -> Download:
    """A Braille or audio file as the downloads list shows it."""
    duration = ""
    if file.kind == "audio":
        duration = format_timedelta(
            max(file.duration, 60), granularity="minute", threshold=10, format="long", locale=format_locale(lang)
        )
    size = file_size(file.size, lang)
    if file.size >= 1_000_000:  # '1.2 MB', not '1,243 kB'
        size = format_unit(round(file.size / 1e6, 1), "digital-megabyte", length="short", locale=format_locale(lang))
    return Download(file.name, file.kind, size, file.kind, duration)
