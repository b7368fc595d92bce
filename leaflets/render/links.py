"""Where a leaflet page is published, and the QR code a printed copy carries to it."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from markupsafe import Markup

from ..i18n.translator import Translator
from ..source.site_config import SiteConfig


@dataclass(frozen=True)
class QrCode:
    svg: Markup  # inline SVG with a title, made by segno
    url: str


def page_url(config: SiteConfig, leaflet_id: str, lang: str = "") -> str:
    """The published address of a leaflet page (or, without ``lang``, its list of languages)."""
    if not config.base_url:
        return ""
    return f"{config.base_url}{leaflet_id}/{lang}/" if lang else f"{config.base_url}{leaflet_id}/"


def qr_code(url: str, translator: Translator) -> QrCode | None:
    """A QR code (SVG) for a printed leaflet, with a text alternative; None without a URL."""
    if not url:
        return None
    alt = translator.gettext("QR code that opens this leaflet online")
    qr = segno.make_qr(url, error="m")
    svg = qr.svg_inline(scale=4, title=alt, svgclass="lf-qr-code__image", omitsize=True)
    svg = svg.replace("<svg ", '<svg role="img" xmlns="http://www.w3.org/2000/svg" ', 1)
    return QrCode(Markup(svg), url)  # noqa: S704 - made by segno from our own URL
