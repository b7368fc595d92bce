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

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..render.input_keys import page_key, shared_key  # noqa: F401 - the site builder's keys


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
