"""Where personalised output may go: never below a folder that is, or will be, a published site.

A published site is ``<output>/site`` of this build, any folder named ``site`` (``build.py --output X``
publishes ``X/site``, so such a folder becomes a site sooner or later), and any folder that already
holds a built site (``index.html`` beside ``assets/leaflet*.css``). Paths are checked after resolving
symlinks, so a ``print`` folder that links into a site is refused too.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

SITE_FOLDER = "site"


def published_site_above(path: Path, output_dir: Path) -> Path | None:
    """The site folder that ``path`` would be written into, or None."""
    resolved = path.resolve()
    own_site = (output_dir / SITE_FOLDER).resolve()
    if resolved.is_relative_to(own_site):
        return own_site
    for folder in [resolved, *resolved.parents]:
        if folder.name == SITE_FOLDER or _is_built_site(folder):
            return folder
    return None


def _is_built_site(folder: Path) -> bool:
    return (folder / "index.html").is_file() and any((folder / "assets").glob("leaflet*.css"))


def check_destination(path: Path, output_dir: Path, option: str) -> None:
    """Refuse (exit 2) a personalised file or folder below a published site."""
    site = published_site_above(path, output_dir)
    if site is not None:
        raise UsageError(f"{option} {path}: personalised leaflets are never written into the site folder {site}")
