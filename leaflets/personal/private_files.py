"""Writing a personal file: readable by its owner only, and whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (temp file, then rename).

    The temporary file's name carries the writing process's id, so a batch whose worker was killed
    mid-write can remove exactly what that worker left (:func:`remove_partial_files`)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_partial_files(folders: list[Path], pids: list[int]) -> int:
    """Remove the half-written files processes ``pids`` left in ``folders``; how many there were."""
    removed = 0
    for folder in folders:
        for pid in pids:
            for partial in folder.glob(f"{TEMP_PREFIX}{pid}-*") if folder.is_dir() else ():
                partial.unlink(missing_ok=True)
                removed += 1
    return removed
