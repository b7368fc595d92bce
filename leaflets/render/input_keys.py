"""What a rendered leaflet is made from, as a key: the same inputs give the same key.

A leaflet language's key hashes its text and catalogs, the site config, the clinic shown
on it, the templates, styles and pipeline code, the fonts it uses and the versions of the
libraries that render it. The site's incremental build (:mod:`leaflets.publish.manifest`)
and the cache of approved leaflets inside personal copies
(:mod:`leaflets.personal.leaflet_cache`) use the same key.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

from ..i18n.translations import leaflet_catalog_dir, templates_catalog_dir
from ..paths import CODE_DIR, STYLES_DIR, TEMPLATES_DIR
from ..source.content import SOURCE_LANGUAGE, Leaflet
from ..source.site_config import SiteConfig
from .fonts import font_file

LIBRARIES = ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown", "babel", "nh3", "segno", "phonenumbers")


@cache
def environment_hash() -> str:  # library versions cannot change within a process
    """Library versions and the Python version: a new WeasyPrint may lay pages out differently."""
    versions = [f"{name}=={metadata.version(name)}" for name in LIBRARIES]
    return hashlib.sha256("\n".join([sys.version, *versions]).encode()).hexdigest()


def _tree_hash(*folders: Path) -> str:
    """Hash of every file under the folders (names and bytes)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def shared_key() -> str:
    """What every page depends on: libraries, templates, styles and the pipeline's code."""
    return environment_hash() + _tree_hash(TEMPLATES_DIR, STYLES_DIR, CODE_DIR)


def _file_stamp(path: Path | None) -> str:
    if path is None or not path.exists():
        return f"{path}:missing"
    stat = path.stat()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def page_key(leaflet: Leaflet, lang: str, config: SiteConfig, content_dir: Path, shared: str, clinic=None) -> str:
    """The key of one leaflet language's outputs; ``shared`` is :func:`shared_key` of this build."""
    parts = [
        shared,
        repr(config),
        repr(clinic),  # the default clinic's details as loaded, wherever its profile lives
        ",".join(leaflet.texts),  # the language switcher lists every published language
        *(_file_stamp(font_file(family)) for family in config.font_stack(lang)),
    ]
    inputs = [leaflet.folder / "leaflet.yaml", leaflet.source_path, content_dir / "site.yaml"]
    inputs.append(content_dir / "countries.yaml")  # the emergency number on every page
    if lang != SOURCE_LANGUAGE:
        inputs += [
            leaflet_catalog_dir(leaflet.folder) / f"{lang}.po",
            templates_catalog_dir(content_dir) / f"{lang}.po",
        ]
    digest = hashlib.sha256("\n".join(parts).encode())
    for path in inputs:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.exists() else b"<missing>"))
    return digest.hexdigest()
