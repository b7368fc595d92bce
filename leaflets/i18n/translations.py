"""Gettext PO catalogs for leaflet text and template strings: reading, checking, measuring.

Layout, one catalog per leaflet per language plus one for the templates:

    content/leaflets/<id>/translations/<id>.pot   segments of en.md and metadata
    content/leaflets/<id>/translations/<lang>.po
    content/translations/templates.pot            strings in templates/ and the code
    content/translations/<lang>.po

Reading is strict (:mod:`leaflets.i18n.po_input`): charset, mojibake, syntax and the
plural rule are checked with their lines, then every translation's format
syntax. A translation that loses a placeholder, or changes the numbers and
units of its English (:mod:`leaflets.i18n.translation_checks`), counts as not
translated. The templates themselves come from :mod:`leaflets.i18n.catalog_templates`.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from ..errors import ContentError, Problem
from ..source.translation_state import CatalogStatus
from .catalog_templates import SHOWN_IN_ENGLISH_CONTEXTS, source_template, templates_template  # noqa: F401 - where callers look for them
from .po_input import PoSource, read_po_source
from .translation_checks import NOTE_MARKER, describe, fidelity, format_error, ids_of, is_formatted, number_units
from .translation_checks import strings_of as strings_of

MAX_CATALOG_BYTES = 4 * 1024 * 1024
WORD_COUNTS = ("total", "translated", "fuzzy", "untranslated")


def leaflet_catalog_dir(leaflet_folder: Path) -> Path:
    return leaflet_folder / "translations"


def templates_catalog_dir(content_dir: Path) -> Path:
    return content_dir / "translations"


def load_catalog(path: Path, lang: str) -> tuple[Catalog, PoSource]:
    """Read and check a PO file; a broken one is a ContentError naming the file and line."""
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise ContentError(
                [Problem(str(path), f"file is larger than {MAX_CATALOG_BYTES} bytes; is it the right file?")]
            )
        catalog, source = read_po_source(path.read_bytes(), str(path), lang)
    except (OSError, ValueError) as exc:
        raise ContentError([Problem(str(path), f"cannot read PO file: {exc}")]) from None
    check_strings(catalog, source)
    catalog.source = source  # the lines, for messages about its translations
    return catalog, source


def read_catalog(path: Path, lang: str) -> Catalog:
    return load_catalog(path, lang)[0]


def check_strings(catalog: Catalog, source: PoSource) -> None:
    """Every translation of a %-formatted message has valid format syntax and the right number of forms."""
    problems = []
    for message in catalog:
        strings = strings_of(message)
        if not message.id or not any(strings):
            continue
        line = source.msgstr_line(message.lineno)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            found = f"got {len(strings)}"
            problems.append(
                Problem(source.label, f"expected {catalog.num_plurals} plural forms, {found}", line, "msgstr")
            )
        if is_formatted(message):
            reasons = filter(None, map(format_error, strings))
            problems += [Problem(source.label, reason, line, "msgstr") for reason in reasons]
    if problems:
        raise ContentError(problems)


def message_line(catalog: Catalog, message) -> int | None:
    source = getattr(catalog, "source", None)
    return source.msgstr_line(message.lineno) if source else None


def catalog_status(
    catalog: Catalog, safety_contexts: set[str] | None, template: Catalog, lang: str, approvals: tuple = ()
) -> CatalogStatus:
    """Count translated, fuzzy and untranslated messages of the current template; list unsafe gaps.
    ``approvals``: the leaflet's signed-off number changes for ``lang`` (see translation_checks.fidelity).

    The template (extracted from the current English and templates) is the measure: a message
    missing from the catalog, because nobody ran ``translations update``, counts as untranslated.
    ``safety_contexts`` None (the templates' catalog): every message is safety text but the help-line names
    (``SHOWN_IN_ENGLISH_CONTEXTS``), which are shown in marked English until translated.
    """
    status = CatalogStatus()
    for wanted in template:
        if not wanted.id:
            continue
        words = sum(len(text.split()) for text in ids_of(wanted))
        status.total += 1
        status.words["total"] += words
        message = catalog.get(wanted.id, context=wanted.context)
        name = f"{wanted.context or '-'}: {_short(wanted.id)}"
        kind = _kind(catalog, message, lang, status, frozenset(safety_contexts or ()), approvals)
        status.words[kind] += words
        if kind == "translated":
            status.translated += 1
            continue
        {"fuzzy": status.fuzzy, "numbers differ": status.numbers_differ}.get(kind, status.untranslated).append(name)
        if wanted.context in (safety_contexts or ()) or (
            safety_contexts is None and wanted.context not in SHOWN_IN_ENGLISH_CONTEXTS
        ):
            status.safety_not_current.append(name)
    return status


def _kind(catalog: Catalog, message, lang: str, status: CatalogStatus, safety: frozenset, approvals: tuple) -> str:
    """'translated', 'fuzzy' (also: a placeholder dropped), 'numbers differ' (a number or unit is not the
    English one) or 'untranslated'."""
    if message is None or not all(strings_of(message)):
        return "untranslated"
    if message.fuzzy:
        return "fuzzy"
    verdict = fidelity(message, lang, safety, approvals)
    label = catalog.source.label if getattr(catalog, "source", None) else ""
    if verdict.warning:
        status.problems.append(Problem(label, verdict.warning, message_line(catalog, message), severity="warning"))
    if verdict.faithful:
        return "translated"
    if verdict.warning:  # digits, links or emphasis, or a safety number change without sign-off: already said
        return "numbers differ" if verdict.kind == "numbers" else "fuzzy"
    english, found = number_units(ids_of(message)[0], "en"), number_units(strings_of(message)[0], lang)
    if english != found:
        status.problems.append(
            Problem(
                label,
                f"numbers and units differ from the English ({describe(english)}; translation: {describe(found)}): "
                f"counts as not translated; if this is deliberate, add a comment '# {NOTE_MARKER} <reason>'",
                message_line(catalog, message),
                severity="warning",
            )
        )
        return "numbers differ"
    return "fuzzy"


def translations_for(catalog: Catalog) -> Translations:
    """Babel Translations (CLDR plural rules) from a catalog; fuzzy entries left out."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()) if isinstance(text, str) else " ".join(text[0].split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
