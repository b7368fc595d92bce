"""The publishable site folder: assets, page paths and the atomic swap.

Pages are written into a staging folder beside the site; only after every
page rendered is the old site swapped out, so a failed or killed build leaves
the previous site complete.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .paths import PROJECT_ROOT, STYLES_DIR, TEMPLATES_DIR, build_lock  # noqa: F401 - where callers look for them
from .render_html import css_string

STYLESHEET_ORDER = ("tokens.css", "base.css", "components/*.css", "print.css")


def font_tokens(fonts: dict[str, tuple[str, ...]]) -> str:
    """CSS custom properties for the configured font stacks."""
    rules = []
    for key, families in fonts.items():
        selector = ":root" if key == "default" else f":lang({key})"
        rules.append(f"{selector} {{ --lf-font: {font_family_list(families)}; }}")
    return "/* fonts, from content/site.yaml */\n" + "\n".join(rules)


def font_family_list(families: tuple[str, ...]) -> str:
    return ", ".join(css_string(family) for family in families) + ", sans-serif"


def bundle_stylesheet(fonts: dict[str, tuple[str, ...]], styles_dir: Path = STYLES_DIR) -> str:
    """The font tokens, then the stylesheets in cascade order, as one file."""
    parts = [font_tokens(fonts)]
    for pattern in STYLESHEET_ORDER:
        for path in sorted(styles_dir.glob(pattern)):
            parts.append(f"/* {path.relative_to(styles_dir)} */\n{path.read_text(encoding='utf-8')}")
    return "\n".join(parts)


def stylesheet_name(text: str) -> str:
    """``leaflet.<hash>.css``: a new name whenever the styles change, so no cache serves stale ones."""
    return f"leaflet.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.css"


def page_dir(root: Path, leaflet_id: str, lang: str) -> Path:
    return root / leaflet_id / lang


def write_file(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(payload)
    os.chmod(path, mode)


@contextmanager
def staging_folder(final: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``final``; swap it in if the block succeeds.

    One build at a time per output folder: leftovers of a killed build are cleared first.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-", dir=final.parent))
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
