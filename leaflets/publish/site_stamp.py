"""An unchanged site is known before anything heavy is imported.

A successful site build records a stamp in its manifest: every file under the content,
templates, styles and code folders (path, size, modification time), the font folders, the
Debian package database, the library versions, the build's settings and today's date (a
leaflet's review date may have passed since); then every file of the site it wrote, and
what it reported (pages, withheld languages, warnings). When all of it is the same, the next
build repeats that report and writes nothing. Any difference, or no stamp (a first or a
killed build), runs the full build, whose page keys decide what to render.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ..errors import LOG, Problem
from ..paths import CODE_DIR, PROJECT_ROOT, STYLES_DIR, TEMPLATES_DIR
from ..render.input_keys import environment_hash
from .output import build_lock

MANIFEST_NAME = ".site-manifest.json"
# A font installed or removed changes its folder's time; a Debian upgrade (fonts, espeak-ng, liblouis) the status file.
SYSTEM_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts", "/etc/fonts")
PACKAGE_DATABASE = Path("/var/lib/dpkg/status")


WITHDRAWN = "WITHDRAWN: "  # a warning about a change since the previous site; an unchanged build repeats none


@dataclass
class SiteSummary:
    """What a site build reported, kept so an unchanged build can say it again."""

    pages: list[str] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def input_stamp(settings) -> str:
    """Everything a site build reads, by name, size and time (never by content: this must be quick)."""
    digest = hashlib.sha256(repr(_settings_key(settings)).encode() + environment_hash().encode())
    for folder in (Path(settings.content_dir), TEMPLATES_DIR, STYLES_DIR, CODE_DIR):
        digest.update(json.dumps(file_stamps(folder)).encode())
    digest.update(json.dumps(file_stamps(PROJECT_ROOT, ("build.py",))).encode())
    for name in SYSTEM_FOLDERS:
        for folder, _, _ in os.walk(Path(name).expanduser()):
            digest.update(f"{folder}:{os.stat(folder).st_mtime_ns}".encode())
    digest.update(json.dumps(file_stamps(PACKAGE_DATABASE.parent, (PACKAGE_DATABASE.name,))).encode())
    return digest.hexdigest()


def _settings_key(settings) -> tuple:
    """The options, today's date (a review date may have passed) and the Braille tables' folder."""
    options = (str(Path(settings.content_dir).resolve()), settings.strict, settings.base_url, settings.paper)
    return (*options, date.today().isoformat(), os.environ.get("LOUIS_TABLEPATH", ""))


def file_stamps(folder: Path, names: tuple[str, ...] | None = None) -> dict[str, list[int]]:
    """Size and modification time of every file under ``folder`` (or of the named files in it)."""
    stamps = {}
    paths = (folder / name for name in names) if names else _files_under(folder)
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps[str(path.relative_to(folder))] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def _files_under(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        yield from (Path(root) / name for name in sorted(files))


def make_stamp(settings, summary: SiteSummary, inputs: str) -> dict:
    """The stamp a successful build saves in its manifest; ``inputs`` is :func:`input_stamp` taken before it read."""
    site = file_stamps(Path(settings.output_dir) / "site")
    saved = asdict(summary)
    saved["warnings"] = [w for w in saved["warnings"] if not w["message"].startswith(WITHDRAWN)]
    return {"inputs": inputs, "site": site, "summary": saved}


def unchanged_site(settings) -> SiteSummary | None:
    """The last build's report when nothing it read or wrote has changed; None when a build must run."""
    with build_lock(Path(settings.output_dir)):
        stamp = _saved_stamp(Path(settings.output_dir) / MANIFEST_NAME)
        if not stamp or stamp.get("inputs") != input_stamp(settings):
            return None
        if stamp.get("site") != file_stamps(Path(settings.output_dir) / "site"):
            return None
    summary = stamp["summary"]
    for page in summary["pages"]:
        LOG.info("unchanged %s", page)
    withheld = [tuple(pair) for pair in summary["withheld"]]
    return SiteSummary(summary["pages"], withheld, [Problem(**problem) for problem in summary["warnings"]])


def _saved_stamp(path: Path) -> dict | None:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8")).get("stamp")
    except (OSError, ValueError, AttributeError):
        return None
    return stamp if isinstance(stamp, dict) and isinstance(stamp.get("summary"), dict) else None
