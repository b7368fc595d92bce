"""The approved leaflet inside a personal copy, laid out once and kept.

A personal copy is a treatment sheet followed by the leaflet exactly as published for
that clinic, language, variant and paper. That part is rendered from the leaflet and the
clinic only (never a name, a ref or a regimen) and kept in ``OUTPUT/.cache/leaflets/``
under the key of everything it is made from (:func:`leaflets.render.input_keys.page_key`,
the site's own key, with the variant and paper), so a batch lays each leaflet out once
and any change to its text, catalogs, templates, styles, fonts, libraries or the clinic's
profile makes a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .private_files import write_private

CACHE_FOLDER = Path(".cache") / "leaflets"


@dataclass(frozen=True)
class LeafletPart:
    """A finished leaflet PDF and what identifies it: its version and the SHA-256 of its bytes."""

    pdf: bytes
    version: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class LeafletCache:
    """Leaflet PDFs by key, under ``output_dir/.cache/leaflets``."""

    def __init__(self, output_dir: Path):
        self.folder = output_dir / CACHE_FOLDER

    def path(self, key: str) -> Path:
        """The key's hash in decimal digits: a file name with no letters in it at all."""
        return self.folder / f"{int(hashlib.sha256(key.encode()).hexdigest(), 16)}.pdf"

    def get(self, key: str, render: Callable[[], bytes]) -> bytes:
        """The cached PDF for ``key``, or ``render()``'s, kept for next time."""
        path = self.path(key)
        try:
            return path.read_bytes()
        except OSError:
            pass
        pdf = render()
        write_private(path, pdf)  # written whole, then renamed: a killed batch leaves no half PDF
        return pdf
