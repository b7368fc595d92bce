"""The translator workflow: ``translations update`` and ``translations status``.

``update`` follows msgmerge's conventions: unchanged messages keep their
translation, changed ones turn fuzzy with the previous English kept as
``#| msgid``, removed ones become obsolete (``#~``) and stay so. A catalog
keeps its own header fields (``X-*`` too), their order and its wrapping
width; a file whose merged text is what it already holds is not touched, so
an update with nothing changed is byte-identical.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..source.content import SOURCE_LANGUAGE, ContentTree
from ..source.countries import load_countries
from .catalog_templates import FIXED_DATE, source_template, templates_template
from .localise import load_content
from .po_input import PoSource
from .po_output import DEFAULT_WIDTH, columns, format_po, unwrapped
from .translations import CatalogStatus, catalog_status, leaflet_catalog_dir, load_catalog, templates_catalog_dir

NEW_CATALOG_COMMENT = """\
# {project}: {language} translation.
# Sample translation written for the project. It must be checked by a qualified
# medical translator before clinical use; record the review in leaflet.yaml
# under translation_reviews.
#"""
DROPPED_HEADERS = {"Generated-By"}  # a library version in every file would churn on every upgrade
STATUS_COLUMNS = (
    "catalog", "lang", "total", "translated", "fuzzy", "untranslated", "numbers differ",
    "words total", "words translated", "words fuzzy", "words untranslated", "words numbers differ",
    "safety not current",
)  # fmt: skip
KINDS = ("translated", "fuzzy", "untranslated", "numbers differ")


@dataclass(frozen=True)
class CatalogChange:
    path: Path
    outcome: str  # "created", "updated" or "unchanged"
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0

    def __str__(self) -> str:
        if self.outcome == "updated" and self.path.suffix == ".po":
            return f"updated {self.path} ({self.new} new, {self.fuzzy} fuzzy, {self.obsolete} obsolete)"
        return f"{self.outcome} {self.path}"


@dataclass(frozen=True)
class StatusRow:
    catalog: str  # leaflet id, or "templates"
    lang: str
    status: CatalogStatus | None  # None: the catalog does not exist yet


def translation_languages(tree: ContentTree) -> list[str]:
    langs = {lang for leaflet in tree.leaflets for lang in leaflet.meta.languages}
    return sorted(langs - {SOURCE_LANGUAGE})


def update_catalogs(content_dir: Path) -> list[CatalogChange]:
    """Extract templates from the English source and merge them into every language."""
    tree = load_content(content_dir, translations=False)
    changes = []
    for leaflet in tree.leaflets:
        folder = leaflet_catalog_dir(leaflet.folder)
        changes += _update_all(source_template(leaflet), folder, leaflet.leaflet_id, leaflet.meta.languages)
    folder = templates_catalog_dir(content_dir)
    template = templates_template(load_countries(content_dir))  # with the help lines' names
    changes += _update_all(template, folder, "templates", translation_languages(tree))
    return changes


def _update_all(template: Catalog, folder: Path, name: str, languages) -> list[CatalogChange]:
    pot = folder / f"{name}.pot"
    headers = [(key, value) for key, value in template.mime_headers if key not in DROPPED_HEADERS]
    changes = [
        _write_if_changed(pot, format_po(template, template.header_comment, headers), CatalogChange(pot, "updated"))
    ]
    for lang in languages:
        if lang != SOURCE_LANGUAGE:
            path = folder / f"{lang}.po"
            text, change = merge(template, path, lang)
            changes.append(_write_if_changed(path, text, change))
    return changes


def _write_if_changed(path: Path, text: str, change: CatalogChange) -> CatalogChange:
    data = text.encode("utf-8")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return CatalogChange(path, "created")
    old = path.read_bytes()
    if old == data or unwrapped(old.decode("utf-8", "replace")) == unwrapped(text):
        return CatalogChange(path, "unchanged")  # at most the wrapping differs: the file keeps its own
    path.write_bytes(data)
    return change


def merge(template: Catalog, path: Path, lang: str) -> tuple[str, CatalogChange]:
    """The text of a language's catalog updated (or created) from the template, and what changed."""
    if path.exists():
        catalog, source = load_catalog(path, lang)
    else:
        catalog, source = _new_language_catalog(template, lang), None
    before = {key: message for key, message in catalog._messages.items() if key}
    obsolete_before = dict(catalog.obsolete)
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    catalog.revision_date = FIXED_DATE
    for key, message in obsolete_before.items():  # msgmerge keeps what was already obsolete,
        if key not in catalog._messages:
            catalog.obsolete.setdefault(key, message)
            continue
        revived = catalog._messages[key]  # and revives it when its English comes back
        catalog.obsolete.pop(key, None)
        if not revived.string:
            revived.string = message.string
            revived.flags = (revived.flags - {"fuzzy"}) | (message.flags & {"fuzzy"})
    for key, message in catalog._messages.items():  # and the previous English of a message still fuzzy
        old = before.get(key)
        if old is not None and message.fuzzy and old.previous_id and not message.previous_id:
            message.previous_id = old.previous_id
    change = CatalogChange(
        path,
        "updated",
        new=sum(1 for key, m in catalog._messages.items() if key and key not in before and not m.fuzzy),
        fuzzy=sum(1 for key, m in catalog._messages.items() if m.fuzzy and not (key in before and before[key].fuzzy)),
        obsolete=len(set(catalog.obsolete) - set(obsolete_before)),
    )
    return _format(catalog, source), change


def _new_language_catalog(template: Catalog, lang: str) -> Catalog:
    catalog = Catalog(locale=lang.replace("-", "_"), creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    catalog.project, catalog.version, catalog.fuzzy = template.project, template.version, False
    language = catalog.locale.get_display_name("en") if catalog.locale else lang
    catalog.header_comment = NEW_CATALOG_COMMENT.format(project=template.project, language=language)
    return catalog


def _format(catalog: Catalog, source: PoSource | None) -> str:
    """The catalog as text: a file's own header, comment and width, or the standard ones for a new file."""
    if source is None:
        headers = [(key, value) for key, value in catalog.mime_headers if key not in DROPPED_HEADERS]
        return format_po(catalog, catalog.header_comment, headers)
    end = source.lines.index('msgid ""') if 'msgid ""' in source.lines else 0
    comment = "\n".join(line for line in source.lines[:end] if line.strip() != "#, fuzzy")
    texts = {width: format_po(catalog, comment, source.headers, width) for width in wrap_widths(source)}
    file_lines = Counter(source.lines)
    return max(texts.values(), key=lambda text: sum((Counter(text.split("\n")) & file_lines).values()))


def wrap_widths(source: PoSource) -> list[int]:
    """The widths a file may have been wrapped at, likeliest first: 79 (gettext, Poedit) unless lines it could
    have broken earlier are longer; none (0: a tool that never wraps); just above its longest wrapped line."""
    wrapped = [line for line in source.lines if line.startswith('"') and line.endswith(' "') and " " in line[1:-2]]
    longest = max(map(columns, wrapped), default=0)
    return list(dict.fromkeys([max(DEFAULT_WIDTH, longest), 0, *(w for w in (longest, longest + 1, longest + 2) if w)]))


def catalog_statuses(content_dir: Path) -> list[StatusRow]:
    """Per leaflet and language, then per language for the templates."""
    tree = load_content(content_dir, translations=False)
    rows = []
    for leaflet in tree.leaflets:
        template = source_template(leaflet)
        safety = set(leaflet.meta.safety_sections)
        for lang in leaflet.meta.languages:
            if lang != SOURCE_LANGUAGE:
                path = leaflet_catalog_dir(leaflet.folder) / f"{lang}.po"
                approvals = leaflet.meta.number_approvals(lang)
                rows.append(StatusRow(leaflet.leaflet_id, lang, _status(path, lang, safety, template, approvals)))
    template = templates_template(load_countries(content_dir))
    for lang in translation_languages(tree):
        path = templates_catalog_dir(content_dir) / f"{lang}.po"
        rows.append(StatusRow("templates", lang, _status(path, lang, None, template)))
    return rows


def _status(path: Path, lang: str, safety: set[str] | None, template, approvals: tuple = ()) -> CatalogStatus | None:
    return catalog_status(load_catalog(path, lang)[0], safety, template, lang, approvals) if path.exists() else None


def status_cells(row: StatusRow) -> tuple[str, ...]:
    s = row.status
    if s is None:
        return (row.catalog, row.lang, *["-"] * 10, "missing: run 'translations update'")
    counts = (s.total, s.translated, len(s.fuzzy), len(s.untranslated), len(s.numbers_differ))
    words = (s.words["total"], *(s.words[kind] for kind in KINDS))
    return (row.catalog, row.lang, *map(str, counts), *map(str, words), str(len(s.safety_not_current)))


def format_status_table(rows: list[StatusRow]) -> str:
    """A table for a terminal, then each segment whose numbers differ and each safety segment not current."""
    header = (*(column.replace(" ", "_") for column in STATUS_COLUMNS[:-1]), STATUS_COLUMNS[-1])
    lines = [header, *(status_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    table = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    for row in rows:
        for name in row.status.numbers_differ if row.status else []:
            table.append(f"numbers differ from the English: {row.catalog} {row.lang}: {name}")
        for name in row.status.safety_not_current if row.status else []:
            table.append(f"safety not current: {row.catalog} {row.lang}: {name}")
    return "\n".join(table)


def format_status_csv(rows: list[StatusRow]) -> str:
    """The same figures for a spreadsheet (one row per catalog and language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATUS_COLUMNS)
    writer.writerows(status_cells(row) for row in rows)
    return buffer.getvalue()
