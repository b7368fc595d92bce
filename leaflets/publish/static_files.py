"""The pass-through folder: ``content/static/`` is copied into the site root as it is.

For what a host needs beside the pages: ``CNAME``, ``robots.txt``, ``_headers``,
``.nojekyll``, a favicon. Files are checked before the build writes anything:
a file that would replace one the build writes is refused, and so is a link
that leads outside the folder.
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatchcase
from pathlib import Path

from ..errors import ContentError, Problem

FOLDER = "static"


def static_files(content_dir: Path, reserved: dict[str, str]) -> list[Path]:
    """Every file of ``content/static`` (relative paths).

    ``reserved`` maps each path pattern the build writes (``<leaflet>/*``) to what it is.
    """
    folder = Path(content_dir) / FOLDER
    if not folder.is_dir():
        return []
    root = folder.resolve()
    files, problems = [], []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        relative = path.relative_to(folder)
        owner = next((what for pattern, what in reserved.items() if fnmatchcase(relative.as_posix(), pattern)), "")
        if not path.resolve().is_relative_to(root) or not path.is_file():
            problems.append(Problem(str(path), f"expected a file inside {folder}; it leads elsewhere"))
        elif owner:
            problems.append(Problem(str(path), f"would overwrite {owner}, which the build writes; rename or remove it"))
        else:
            files.append(relative)
    if problems:
        raise ContentError(problems)
    return files


def copy_static(content_dir: Path, files: list[Path], site_root: Path) -> list[Path]:
    """Copy the checked files into the staging site; return where they went."""
    written = []
    for relative in files:
        target = site_root / relative
        if target.exists():  # the check above reserves every built path; this is the last guard
            raise ContentError([Problem(str(Path(content_dir) / FOLDER / relative), "would overwrite a built file")])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(content_dir) / FOLDER / relative, target)
        target.chmod(0o644)
        written.append(target)
    return written
