"""Which liblouis tables are installed for a language, from liblouis's own metadata.

Each table names its language and kind in ``#+key: value`` lines (``#+language: uk``,
``#+type: literary``, ``#+dots: 8``); ``lou_findTable`` reads the same. A message that
refuses a table lists the others installed for the language, literary 6-dot ones first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .braille import TABLES_DIR


@dataclass(frozen=True)
class InstalledTable:
    name: str
    kind: str  # liblouis's '#+type:' ("literary", "computer") or ""
    dots: str  # '#+dots:' ("6", "8") or ""

    def __str__(self) -> str:
        about = ", ".join(part for part in (self.kind, f"{self.dots}-dot" if self.dots else "") if part)
        return f"{self.name} ({about})" if about else self.name


@cache
def _table_metadata() -> dict[str, dict[str, list[str]]]:
    """Each installed table's metadata ('#+key: value' lines, liblouis's own), by file name."""
    tables = {}
    for path in sorted(TABLES_DIR.glob("*")):
        fields: dict[str, list[str]] = {}
        if path.is_file() and path.suffix not in (".dis", ".cti", ".dic"):
            with path.open(encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    if line.startswith("#+") and ":" in line:
                        key, _, value = line[2:].partition(":")
                        fields.setdefault(key.strip(), []).append(value.strip())
        if fields:
            tables[path.name] = fields
    return tables


def installed_tables(lang: str) -> list[InstalledTable]:
    """The tables installed for ``lang`` (by their '#+language:' metadata), literary 6-dot ones first."""
    primary = lang.split("-")[0].lower()
    found = []
    for name, fields in _table_metadata().items():
        if any(value.split("-")[0].lower() == primary for value in fields.get("language", [])):
            found.append(InstalledTable(name, fields.get("type", [""])[0], fields.get("dots", [""])[0]))
    return sorted(found, key=lambda t: (t.kind != "literary", t.dots == "8", t.name))
