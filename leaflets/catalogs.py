"""The translator workflow: ``translations update`` and ``translations status``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import SOURCE_LANGUAGE, ContentTree, load_content
from .translations import (
    CatalogStatus,
    catalog_status,
    leaflet_catalog_dir,
    merge,
    read_catalog,
    source_template,
    templates_catalog_dir,
    templates_template,
    write_catalog,
)


@dataclass(frozen=True)
class StatusRow:
    catalog: str  # leaflet id, or "templates"
    lang: str
    status: CatalogStatus | None  # None: the catalog does not exist yet


def translation_languages(tree: ContentTree) -> list[str]:
    langs = {lang for leaflet in tree.leaflets for lang in leaflet.meta.languages}
    return sorted(langs - {SOURCE_LANGUAGE})


def update_catalogs(content_dir: Path) -> list[Path]:
    """Extract templates from the English source and merge them into every language."""
    tree = load_content(content_dir, translations=False)
    written = []
    for leaflet in tree.leaflets:
        template = source_template(leaflet)
        written += _write_all(template, leaflet_catalog_dir(leaflet.folder), leaflet.leaflet_id, leaflet.meta.languages)
    template = templates_template()
    written += _write_all(template, templates_catalog_dir(content_dir), "templates", translation_languages(tree))
    return written


def _write_all(template, folder: Path, name: str, languages) -> list[Path]:
    pot = folder / f"{name}.pot"
    write_catalog(pot, template)
    written = [pot]
    for lang in languages:
        if lang != SOURCE_LANGUAGE:
            path = folder / f"{lang}.po"
            write_catalog(path, merge(template, path, lang))
            written.append(path)
    return written


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
                rows.append(StatusRow(leaflet.leaflet_id, lang, _status(path, lang, safety, template)))
    template = templates_template()
    for lang in translation_languages(tree):
        path = templates_catalog_dir(content_dir) / f"{lang}.po"
        rows.append(StatusRow("templates", lang, _status(path, lang, None, template)))
    return rows


def _status(path: Path, lang: str, safety: set[str] | None, template) -> CatalogStatus | None:
    return catalog_status(read_catalog(path, lang), safety, template) if path.exists() else None


def format_status_table(rows: list[StatusRow]) -> str:
    header = ("catalog", "lang", "total", "translated", "fuzzy", "untranslated", "safety not current")
    lines = [header]
    for row in rows:
        s = row.status
        if s is None:
            lines.append((row.catalog, row.lang, "-", "-", "-", "-", "missing: run 'translations update'"))
        else:
            numbers = (s.total, s.translated, len(s.fuzzy), len(s.untranslated), len(s.safety_not_current))
            lines.append((row.catalog, row.lang, *map(str, numbers)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)
