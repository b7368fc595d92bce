"""The publishable site folder: page paths, one build at a time, and the atomic swap.

Pages are written into a staging folder beside the site; only after every
page rendered is the old site swapped out, so a failed or killed build leaves
the previous site complete.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildError


def page_dir(root: Path, leaflet_id: str, lang: str) -> Path:
    return root / leaflet_id / lang


@contextmanager
def staging_folder(final: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``final``; swap it in if the block succeeds.

    One build at a time per output folder: leftovers of a killed build are cleared first.
    """
    if final.is_symlink():  # the swap would replace what it points to, and delete that folder's files
        raise BuildError(f"{final}: is a symbolic link (to {os.readlink(final)}); the build replaces this folder "
                         "whole, so it never follows a link: remove the link and point the web server at this "
                         "folder, or give --output the folder that should hold site/")  # fmt: skip
    final.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(final)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-", dir=final.parent))
    except OSError as error:  # name the folder the user chose, never the random staging name
        raise OSError(error.errno, error.strerror, str(final.parent)) from None
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)  # noqa: S103 - the site is public by design
    swap_in(staging, final)


def clear_leftovers(final: Path) -> None:
    """Undo a swap a killed build left half done, then delete old staging folders."""
    olds = sorted(final.parent.glob(f".{final.name}-old-*/{final.name}"))
    if not final.exists() and olds:
        os.rename(olds[-1], final)
    for leftover in [*final.parent.glob(f".{final.name}-new-*"), *final.parent.glob(f".{final.name}-old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` using renames, then drop the old copy."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
        os.rename(final, old / final.name)
    os.rename(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(output_dir: Path) -> Iterator[None]:
    """One site build at a time per output folder (a lock on the folder itself)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(output_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{output_dir}: another build is writing here; wait for it to finish") from None
        yield
    finally:
        os.close(handle)  # closing releases the lock
