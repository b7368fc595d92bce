"""Render leaflet pages to HTML with Jinja.

Autoescape is on and undefined names are errors. Content reaches templates
only as data, in the dataclasses of page_context.py (already sanitised HTML
fragments reach a component as its trusted ``html`` param); content text is
never compiled as a template.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..i18n.help_lines import help_lines_in_english, shown_help_lines
from ..i18n.translator import Translator, english
from ..source.content import Leaflet
from ..source.languages import format_locale, language
from ..source.metadata import LeafletMeta
from .page_context import LeafletPage, PageOptions, ReviewFooter
from .typography import bind_units_in_html

PAGE_NUMBER_RE = re.compile(r"%\((page|pages)\)s")
ATTRIBUTE_NAME_RE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*\Z")
# CLDR numbering systems (a locale's default digits) and the CSS counter style that writes them.
COUNTER_STYLES = {
    "arab": "arabic-indic",
    "arabext": "persian",
    "beng": "bengali",
    "deva": "devanagari",
    "gujr": "gujarati",
    "guru": "gurmukhi",
    "khmr": "khmer",
    "knda": "kannada",
    "laoo": "lao",
    "mlym": "malayalam",
    "mymr": "myanmar",
    "orya": "oriya",
    "taml": "tamil",
    "telu": "telugu",
    "thai": "thai",
    "tibt": "tibetan",
}


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
    env.filters["sentence_case"] = sentence_case
    env.filters["text_direction"] = text_direction
    env.filters["html_attributes"] = html_attributes
    current = {"translator": english()}
    env.globals["current_translator"] = current
    # Stable functions: Jinja caches imported macro modules with the globals they first saw.
    env.globals["_"] = lambda message, **values: _with_markup(current["translator"], message, values)
    env.globals["pgettext"] = lambda context, message, **values: current["translator"].pgettext(
        context, message, **values
    )
    env.globals["ngettext"] = lambda one, many, count, **values: current["translator"].ngettext(
        one, many, count, **values
    )
    return env


def html_attributes(attributes: Mapping[str, object]) -> Markup:
    """A component's ``attributes`` param as HTML, `` name="value"`` each.

    True writes the name alone; False and None leave the attribute out."""
    parts = []
    for name, value in attributes.items():
        if not ATTRIBUTE_NAME_RE.match(name):
            raise ValueError(f"component attributes: {name!r} is not an HTML attribute name")
        if value is True:
            parts.append(f" {name}")
        elif value is not False and value is not None:
            parts.append(f' {name}="{escape(value)}"')
    return Markup("".join(parts))  # noqa: S704 - names checked above, values escaped


def install_translator(env: Environment, translator: Translator) -> None:
    """Point the templates' ``_`` and ``ngettext`` at one language's catalog."""
    env.globals["current_translator"]["translator"] = translator


def _with_markup(translator, message: str, values: dict) -> str | Markup:
    """A translated string; where a value is markup (a ``<bdi>``), the translation is escaped and the markup kept,
    as Jinja's own i18n extension does, so a translator's text is never read as HTML."""
    if any(isinstance(value, Markup) for value in values.values()):
        return escape(translator.gettext(message)) % values
    return translator.gettext(message, **values)


def text_direction(text: str) -> str:
    """'ltr' or 'rtl' from the first strong character, as dir="auto" would (WeasyPrint ignores auto)."""
    for ch in str(text):
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def page_counter_content(pattern: str, lang: str) -> Markup:
    """CSS ``content`` for the running page number: the translated pattern split around two counters.

    "Page %(page)s of %(pages)s" becomes ``"Page " counter(page) " of " counter(pages)``; Chinese
    "第 %(page)s 页，共 %(pages)s 页" keeps its own word order, and the digits are the language's own.
    """
    style = COUNTER_STYLES.get(format_locale(lang).default_numbering_system, "decimal")
    parts = []
    for index, piece in enumerate(PAGE_NUMBER_RE.split(pattern)):
        if index % 2:
            parts.append(f"counter({piece}, {style})")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))  # noqa: S704 - literal parts are escaped by css_string


def format_long_date(value, lang: str) -> str:
    return format_date(value, format="long", locale=format_locale(lang))


def render_leaflet_page(
    env: Environment, leaflet: Leaflet, lang: str, options: PageOptions, translator: Translator | None = None
) -> str:
    """Render one leaflet in one language as a complete HTML document."""
    translator = translator or english()
    install_translator(env, translator)
    html = env.get_template("leaflet.html").render(
        page=leaflet_page(leaflet, lang, options, translator),
        text=leaflet.texts[lang],
        review=review_footer(leaflet, lang),
        clinic=options.clinic,
        help_country=options.help_country,
        help_lines_shown=shown_help_lines(options.help_country, translator) if options.help_country else (),
        treatment=options.treatment,
        print_record=options.print_record,
        qr=options.qr,
        downloads=options.downloads,
        languages=options.languages,
        alternates=options.alternates,
        alert_cards=options.alert_cards,
        personal_name=options.personal_name,
        emergency=options.emergency,
        contact_section=leaflet.contact_section,
        personalise_href=options.personalise_href,
    )
    return bind_units_in_html(html, lang)  # numbers never part from their units


def footer_lines(meta: LeafletMeta, lang: str, translator: Translator) -> tuple[str, str, str]:
    """The running footer's version line and review line, and the line under the title with both."""
    plain_version = translator.gettext("Version %(version)s", version=meta.version)
    # "Draft" on every printed page, not only in the footer at the end
    draft_word = translator.pgettext("running footer", "Draft") if meta.needs_clinical_review else ""
    review_due = translator.gettext("Next review due: %(date)s", date=format_long_date(meta.next_review, lang))
    version = " · ".join(filter(None, (plain_version, draft_word)))
    return version, review_due, " · ".join(filter(None, (plain_version, review_due, draft_word)))


def page_number_pattern(options: PageOptions, translator: Translator) -> str:
    """A treatment sheet numbers its own pages; the leaflet after it keeps its own numbering."""
    if options.only:
        return translator.gettext("Treatment sheet, page %(page)s of %(pages)s")
    return translator.gettext("Page %(page)s of %(pages)s")


def leaflet_page(leaflet: Leaflet, lang: str, options: PageOptions, translator: Translator) -> LeafletPage:
    """The page's language, title, running footer and paper."""
    text = leaflet.texts[lang]
    version, review_due, footer_text = footer_lines(leaflet.meta, lang, translator)
    return LeafletPage(
        lang=lang,
        dir=language(lang).direction,
        classes=f"lf-variant-{options.variant} lf-paper-{options.paper}"
        + (" lf-sheet" if options.only else "")
        + (" lf-web" if options.web else ""),
        title=text.title,
        description=text.summary,
        asset_root=options.asset_root,
        stylesheet=options.stylesheet,
        home_href=options.home_href,
        canonical=options.canonical,
        footer_text=footer_text,
        footer_version=version,
        footer_review=review_due,
        page_counter=page_counter_content(page_number_pattern(options, translator), lang),
        font_family=Markup(", ".join(css_string(family) for family in options.fonts) + ", sans-serif"),  # noqa: S704
        variant=options.variant,
        paper=options.paper,
        only=options.only,
        english_fallback=getattr(leaflet.languages.get(lang), "english_fallback", False)
        or help_lines_in_english(options.help_country, translator),
        draft_translation=is_draft_translation(leaflet.meta, lang),
    )


def review_footer(leaflet: Leaflet, lang: str) -> ReviewFooter:
    meta = leaflet.meta
    return ReviewFooter(
        meta=meta,
        last_reviewed=format_long_date(meta.last_reviewed, lang),
        next_review=format_long_date(meta.next_review, lang),
        draft_translation=is_draft_translation(meta, lang),
        feedback_contact=leaflet.texts[lang].feedback_contact or meta.feedback_contact,
    )


def is_draft_translation(meta: LeafletMeta, lang: str) -> bool:
    return lang != "en" and not meta.translation_reviews.get(lang)
