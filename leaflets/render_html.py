"""Render leaflet pages to HTML with Jinja.

Autoescape is on and undefined names are errors. Content reaches templates
only as data (already sanitised HTML fragments are marked by the templates
with ``| safe``); content text is never compiled as a template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .content import Leaflet
from .languages import format_locale, language

CONTACT_SECTION = "contact"

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class PageOptions:
    """How one page is rendered: where assets are and which extras it shows."""

    asset_root: str = "../../"
    variant: str = "standard"  # "standard" | "large-print"
    clinic: object | None = None
    personal: object | None = None
    translation_note: str = ""


def css_string(value: str) -> Markup:
    """Quote text as a CSS string, escaping everything but letters and digits."""
    escaped = "".join(ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):x} " for ch in str(value))
    return Markup(f'"{escaped}"')  # noqa: S704 - every special character is escaped


def make_environment(templates_dir: Path) -> Environment:
    """One Jinja environment per process: templates are parsed once."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["css_string"] = css_string
    env.globals["_"] = _formatter(lambda text: text)
    return env


def _formatter(gettext: Gettext) -> Callable[..., str]:
    def translate(message: str, **values) -> str:
        text = gettext(message)
        return text % values if values else text

    return translate


def format_long_date(value, lang: str) -> str:
    return format_date(value, format="long", locale=format_locale(lang))


def render_leaflet_page(
    env: Environment, leaflet: Leaflet, lang: str, options: PageOptions, gettext: Gettext | None = None
) -> str:
    """Render one leaflet in one language as a complete HTML document."""
    env.globals["_"] = _ = _formatter(gettext or (lambda text: text))
    text = leaflet.texts[lang]
    meta = leaflet.meta
    next_review = format_long_date(meta.next_review, lang)
    footer_text = (
        _("Version %(version)s", version=meta.version) + " · " + _("Next review due: %(date)s", date=next_review)
    )
    page = {
        "lang": lang,
        "dir": language(lang).direction,
        "classes": f"lf-variant-{options.variant}",
        "title": text.title,
        "description": text.summary,
        "asset_root": options.asset_root,
        "footer_text": footer_text,
    }
    review = {
        "meta": meta,
        "last_reviewed": format_long_date(meta.last_reviewed, lang),
        "next_review": next_review,
        "translation_note": options.translation_note,
    }
    template = env.get_template("leaflet.html")
    return template.render(
        page=page,
        text=text,
        review=review,
        clinic=options.clinic,
        personal=options.personal,
        contact_section=CONTACT_SECTION,
    )
