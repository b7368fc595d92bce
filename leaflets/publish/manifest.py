"""Incremental builds: a manifest of what each page was built from.

Each leaflet language's outputs (web page and PDFs) get a key: a hash of
every input that can change them — its text and catalogs, the site config,
the templates, styles and pipeline code, the fonts it uses and the versions
of the libraries that render it. A build reuses the previous outputs of a
key it has seen (hard links into the new staging folder, so the swap stays
atomic) and renders only what changed.

The manifest lives beside the site (``output/.site-manifest.json``), never
in the published folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n.translations import leaflet_catalog_dir, templates_catalog_dir
from ..paths import CODE_DIR, STYLES_DIR, TEMPLATES_DIR
from ..render.fonts import font_file
from ..source.content import SOURCE_LANGUAGE, Leaflet
from ..source.site_config import SiteConfig
from .site_stamp import environment_hash


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


@dataclass
class BuildManifest:
    """Keys and files of the previous build; the new build records its own."""

    path: Path
    shared: str = ""
    previous: dict[str, dict] = field(default_factory=dict)
    current: dict[str, dict] = field(default_factory=dict)
    reused: int = 0
    rendered: int = 0
    stamp: dict | None = None  # see site_stamp: lets an unchanged build skip everything

    @classmethod
    def load(cls, path: Path) -> BuildManifest:
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            previous = {}
        return cls(path, shared_key(), previous if isinstance(previous, dict) else {})

    def reuse(self, page: str, key: str, old_site: Path, new_site: Path, counted: bool = True) -> bool:
        """Link the previous outputs of ``page`` into the new site if its key is unchanged.

        ``counted=False`` for outputs that are not pages (Braille, audio): the summary counts pages.
        """
        entry = self.previous.get(page)
        if not entry or entry.get("key") != key:
            return False
        files = entry.get("files", [])
        if not files or not all((old_site / name).is_file() for name in files):
            return False
        for name in files:
            _link_or_copy(old_site / name, new_site / name)
        self.current[page] = entry
        self.reused += counted
        return True

    def forget(self) -> None:
        """Drop the file while a build runs: a killed build then leads to a full rebuild, never a stale reuse."""
        self.path.unlink(missing_ok=True)

    def record(self, page: str, key: str, files: list[str], info: dict | None = None, counted: bool = True) -> None:
        """Remember what ``page`` was built from; ``info`` keeps facts a reuse needs (an audio file's length)."""
        self.current[page] = {"key": key, "files": sorted(files), **({"info": info} if info else {})}
        self.rendered += counted

    def note(self, name: str, files: list[str]) -> None:
        """Files that are copied, not rendered (content/static), so the manifest lists every file of the site."""
        self.current[name] = {"files": sorted(files)}

    def save(self) -> None:
        data = json.dumps({"pages": self.current, **({"stamp": self.stamp} if self.stamp else {})}, sort_keys=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(data, encoding="utf-8")
        os.replace(temp, self.path)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
