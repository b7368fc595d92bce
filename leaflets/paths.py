"""Where the project's own files live, and one build at a time per output folder."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STYLES_DIR = PROJECT_ROOT / "styles"
CODE_DIR = PROJECT_ROOT / "leaflets"


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
