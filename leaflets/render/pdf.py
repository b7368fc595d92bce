"""Render HTML to tagged PDF/UA-1 with WeasyPrint, in-process and sandboxed.

This is the one place PDFs are written; each goes through the structure-tree
fixes of :mod:`leaflets.render.pdf_structure` before it is returned.

WeasyPrint may fetch only files inside the allowed folders (content, styles
and the build's own staging folder). Any other URL fails the render with a
message naming the leaflet. Any ERROR that WeasyPrint logs fails it too.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..errors import BuildError, Problem
from ..paths import STYLES_DIR
from ..source.site_config import SiteConfig
from .fonts import check_coverage
from .pdf_marks import recording_marked_content
from .pdf_structure import fix_structure
from .stylesheet import bundle_stylesheet

PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",
    "pdf_tags": True,
    "pdf_identifier": b"patient-leaflet",
    "uncompressed_pdf": False,
}


BUNDLE_LINK_RE = re.compile(r"<link [^>]*data-leaflet-bundle[^>]*>")


class SandboxViolation(FatalURLFetchingError):
    """A document asked for something outside the sandbox."""


class SandboxFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the allowed folders; refuses the rest."""

    def __init__(self, allowed_roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.allowed_roots = [root.resolve() for root in allowed_roots]

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise SandboxViolation(f"refused to fetch '{url[:80]}': only files inside the project may be used")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise SandboxViolation(f"refused to fetch '{path}': it is outside the content, styles and build folders")
        return super().fetch(url, headers)


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_errors():
    logger = logging.getLogger("weasyprint")
    collector = _ErrorCollector()
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


def check_nothing_clipped(document, label: str) -> None:
    """Refuse a layout where a fixed-size box (such as the alert card) hides part of its text."""
    problems = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants(placeholders=True):  # absolutely placed boxes too
            if box.style["overflow"] != "hidden" or not isinstance(box, boxes.BlockBox) or _visually_hidden(box):
                continue
            bottom = box.content_box_y() + box.height + box.padding_bottom
            clipped = [
                text.text
                for text in box.descendants(placeholders=True)
                if isinstance(text, boxes.TextBox) and text.position_y + text.height > bottom + 0.5
            ]
            if clipped:
                where = (box.element.get("class") or box.element_tag).split()[0]
                problems.append(
                    Problem(
                        label,
                        f"text does not fit in .{where} on page {number} and would be cut off: "
                        f"'{' '.join(clipped)[:60]}'; shorten the text or the clinic details",
                    )
                )
    if problems:
        raise BuildError(problems)


def _visually_hidden(box) -> bool:
    return "lf-visually-hidden" in (box.element.get("class") or "") if box.element is not None else False


class PdfRenderer:
    """One per worker: a shared font configuration and the sandbox roots."""

    def __init__(self, allowed_roots: list[Path], config: SiteConfig):
        self.fetcher = SandboxFetcher(allowed_roots)
        self.font_config = FontConfiguration()
        self.config = config
        # The bundled stylesheet is parsed once per renderer (per worker), not once per leaflet.
        self.stylesheet_text = bundle_stylesheet(config.fonts)
        self.stylesheet = CSS(
            string=self.stylesheet_text,
            base_url=STYLES_DIR.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )

    def render_pdf(self, html: str, base_url: Path, label: str, lang: str) -> bytes:
        """Check font coverage, then render an HTML document whose links resolve from base_url."""
        check_coverage(html, lang, self.config.font_stack(lang), label, self.config.font_stack)
        with _weasyprint_errors() as errors:
            try:
                html = BUNDLE_LINK_RE.sub("", html, count=1)  # replaced by the pre-parsed self.stylesheet
                source = HTML(string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=self.fetcher)
                document = source.render(font_config=self.font_config, stylesheets=[self.stylesheet], **PDF_OPTIONS)
                check_nothing_clipped(document, label)
                with recording_marked_content(document, source.etree_element) as marks:
                    pdf = document.write_pdf(**PDF_OPTIONS)
                pdf = fix_structure(pdf, marks)
            except FatalURLFetchingError as exc:
                reason = exc.__cause__ or exc
                raise BuildError([Problem(label, f"PDF not written: {reason}")]) from None
        if errors:
            raise BuildError([Problem(label, f"PDF not written: WeasyPrint error: {message}") for message in errors])
        return pdf
