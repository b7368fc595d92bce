"""Gettext PO catalogs for leaflet text and template strings (Babel).

Layout, one catalog per leaflet per language plus one for the templates:

    content/leaflets/<id>/translations/<id>.pot   segments of en.md and metadata
    content/leaflets/<id>/translations/<lang>.po
    content/translations/templates.pot            strings in templates/ and the code
    content/translations/<lang>.po

Segments come from :mod:`leaflets.markup`: each heading, paragraph, list item
and callout title is one message, its section id the message context.
``update`` merges the template into every language with Babel: unchanged
messages keep their translation, changed ones turn fuzzy (the previous English
is kept for the translator) and removed ones become obsolete.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.support import Translations
from jinja2.ext import babel_extract

from .content import Leaflet, split_front_matter
from .errors import ContentError, Problem
from .markup import Segment, parse_markdown
from .site import PROJECT_ROOT, TEMPLATES_DIR

METADATA_CONTEXT = "metadata"
MEDICINE_CONTEXT = "medicine"
ALERT_CARD_CONTEXT = "alert-card"
PERSONAL_CONTEXTS = frozenset({MEDICINE_CONTEXT, ALERT_CARD_CONTEXT})  # safety text: withheld unless current
MAX_CATALOG_BYTES = 4 * 1024 * 1024
TRANSLATED_METADATA = ("title", "summary", "feedback_contact")
CODE_WITH_STRINGS = ("leaflets/personalise.py", "leaflets/dose_wording.py", "leaflets/render_html.py")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # keeps catalogs free of churn
NEW_CATALOG_COMMENT = """\
# {project}: {language} translation.
# Sample translation written for the project. It must be checked by a qualified
# medical translator before clinical use; record the review in leaflet.yaml
# under translation_reviews.
#"""


@dataclass
class CatalogStatus:
    """How complete one language's catalog is."""

    total: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)  # "context: msgid" of each fuzzy message
    untranslated: list[str] = field(default_factory=list)
    safety_not_current: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.fuzzy and not self.untranslated


def leaflet_catalog_dir(leaflet_folder: Path) -> Path:
    return leaflet_folder / "translations"


def templates_catalog_dir(content_dir: Path) -> Path:
    return content_dir / "translations"


def leaflet_template(
    leaflet_id: str, segments: list[Segment], metadata: dict[str, str], personal: list[tuple[str, str, str]] = ()
) -> Catalog:
    """The POT catalog of one leaflet: metadata texts, the medicine and alert card (context, text, key), segments."""
    catalog = _new_catalog(f"{leaflet_id} leaflet")
    for key in TRANSLATED_METADATA:
        catalog.add(metadata[key], context=METADATA_CONTEXT, auto_comments=[f"leaflet.yaml: {key}"])
    for context, text, key in personal:
        catalog.add(text, context=context, auto_comments=[f"leaflet.yaml: {key}"])
    for segment in segments:
        catalog.add(segment.text, context=segment.section_id or None)
    return catalog


def source_template(leaflet: Leaflet) -> Catalog:
    """The POT catalog of a leaflet as its English source stands now."""
    body, _front, first_line = split_front_matter(leaflet.source_markdown, leaflet.source_label)
    segments = parse_markdown(body, leaflet.source_label, first_line=first_line).segments
    metadata = {key: getattr(leaflet.meta, key) for key in TRANSLATED_METADATA}
    return leaflet_template(leaflet.leaflet_id, segments, metadata, personal_strings(leaflet))


def personal_strings(leaflet: Leaflet) -> list[tuple[str, str, str]]:
    """The medicine's name and the alert card's words, as (context, English, leaflet.yaml key)."""
    strings = []
    if leaflet.medicine:
        strings.append((MEDICINE_CONTEXT, leaflet.medicine.name, "medicine.name"))
    if leaflet.alert_card:
        strings.append((ALERT_CARD_CONTEXT, leaflet.alert_card.title, "alert_card.title"))
        strings += [
            (ALERT_CARD_CONTEXT, line, f"alert_card.lines[{n}]") for n, line in enumerate(leaflet.alert_card.lines)
        ]
    return strings


def templates_template() -> Catalog:
    """The POT catalog of the templates' and the code's own strings."""
    catalog = _new_catalog("leaflet templates")
    options = {"trim_blocks": "true", "lstrip_blocks": "true"}
    sources = sorted(TEMPLATES_DIR.rglob("*.html"))
    for path in sources:
        with path.open("rb") as handle:
            for line, message, comments, _context in extract(babel_extract, handle, KEYWORDS, options=options):
                catalog.add(message, locations=[(str(path.relative_to(PROJECT_ROOT)), line)], auto_comments=comments)
    for name in CODE_WITH_STRINGS:
        with (PROJECT_ROOT / name).open("rb") as handle:
            for line, message, comments, _context in extract("python", handle, KEYWORDS):
                catalog.add(message, locations=[(name, line)], auto_comments=comments)
    return catalog


def _new_catalog(project: str) -> Catalog:
    return Catalog(
        project=project,
        version="1",
        copyright_holder="",
        charset="utf-8",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def read_catalog(path: Path, lang: str) -> Catalog:
    """Read a PO file; a broken one is a ContentError naming the file and line."""
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise ContentError(
                [Problem(str(path), f"file is larger than {MAX_CATALOG_BYTES} bytes; is it the right file?")]
            )
        with path.open("rb") as handle:
            return read_po(handle, locale=lang.replace("-", "_"), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError([Problem(str(path), f"invalid PO file: {exc}", line)]) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ContentError([Problem(str(path), f"cannot read PO file: {exc}")]) from None


def write_catalog(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True, sort_output=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def merge(template: Catalog, path: Path, lang: str) -> Catalog:
    """Update (or create) a language's catalog from the template."""
    if path.exists():
        catalog = read_catalog(path, lang)
    else:
        catalog = Catalog(locale=lang.replace("-", "_"), creation_date=FIXED_DATE, revision_date=FIXED_DATE)
        catalog.project, catalog.fuzzy = template.project, False
        language = catalog.locale.get_display_name("en") if catalog.locale else lang
        catalog.header_comment = NEW_CATALOG_COMMENT.format(project=template.project, language=language)
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    catalog.revision_date = FIXED_DATE
    return catalog


PLACEHOLDER_RE = re.compile(r"%\(\w+\)s")
NUMBER_RE = re.compile(r"\d+")


def _numbers(text: str) -> list[int]:
    """Every number in a text, whatever digits it is written in (Arabic-Indic digits count too)."""
    return sorted(int("".join(str(unicodedata.digit(ch)) for ch in match)) for match in NUMBER_RE.findall(text))


def translation_is_faithful(message) -> bool:
    """A translation keeps every placeholder and every number of its English (doses, phone numbers).

    A translation that drops %(mg)s or turns "20 mg" into "200 mg" is treated as not translated.
    """
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = sorted(set(PLACEHOLDER_RE.findall(ids[-1])))
    numbers = _numbers(ids[0])
    return all(
        sorted(set(PLACEHOLDER_RE.findall(text))) == wanted and (len(ids) > 1 or _numbers(text) == numbers)
        for text in strings
    )


def catalog_status(catalog: Catalog, safety_contexts: set[str] | None, template: Catalog) -> CatalogStatus:
    """Count translated, fuzzy and untranslated messages of the current template; list unsafe gaps.

    The template (extracted from the current English and templates) is the measure: a message
    missing from the catalog, because nobody ran ``translations update``, counts as untranslated.
    """
    status = CatalogStatus()
    for wanted in template:
        if not wanted.id:
            continue
        status.total += 1
        message = catalog.get(wanted.id, context=wanted.context)
        name = f"{wanted.context or '-'}: {_short(wanted.id)}"
        strings = (message.string if isinstance(message.string, tuple) else (message.string,)) if message else ("",)
        if message is not None and (message.fuzzy or (all(strings) and not translation_is_faithful(message))):
            status.fuzzy.append(name)
        elif not all(strings):
            status.untranslated.append(name)
        else:
            status.translated += 1
            continue
        if safety_contexts is None or wanted.context in safety_contexts:
            status.safety_not_current.append(name)
    return status


def translations_for(catalog: Catalog) -> Translations:
    """Babel Translations (CLDR plural rules) from a catalog; fuzzy entries left out."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()) if isinstance(text, str) else " ".join(text[0].split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
