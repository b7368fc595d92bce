"""Where the project's own files live, and writing a file into a folder that may not exist yet."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STYLES_DIR = PROJECT_ROOT / "styles"
CODE_DIR = PROJECT_ROOT / "leaflets"


def write_file(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(payload)
    os.chmod(path, mode)
