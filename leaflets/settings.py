"""The settings of one build, as the command line gives them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildSettings:
    content_dir: Path
    output_dir: Path
    strict: bool = False
    base_url: str | None = None
    paper: str | None = None  # a4, letter or a5; None: paper in site.yaml, else a4
