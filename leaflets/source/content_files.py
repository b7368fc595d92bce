"""The content tree holds plain files and folders, all of them inside it.

A symbolic link that resolves outside the content folder would publish a file
nobody reviewed (or a private one, such as ``/etc/passwd``) as a leaflet, or let
``translations update`` write outside the tree; a pipe or device would hang the
build. All of the tree is checked before any of it is read. Names starting
with '.' (version control, editors' lock files) are never read, so never checked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Problem


def content_file_problems(content_dir: Path) -> list[Problem]:
    """One problem per link or special file in ``content_dir`` that the build must not follow."""
    root = content_dir.resolve()
    problems = []
    for folder, folders, files in os.walk(content_dir):  # never descends into linked folders
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(folders + [name for name in files if not name.startswith(".")]):
            path = Path(folder) / name
            reason = _refused(path, root)
            if reason:
                problems.append(Problem(str(path), reason))
    return problems


def _refused(path: Path, root: Path) -> str | None:
    """Why the build must not read ``path``, or None."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "symbolic link to nothing (its target is missing or a loop); replace it with the file itself"
        if not target.is_relative_to(root):
            what = "folder" if target.is_dir() else "file"
            return f"symbolic link to a {what} outside the content folder {root}; copy the {what} in instead"
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a file or folder (a pipe, socket or device); remove it"
    return None
