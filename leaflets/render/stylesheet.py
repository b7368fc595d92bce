"""The one stylesheet of every page: font tokens from site.yaml, then the style files in cascade order."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..paths import STYLES_DIR
from .html import css_string

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
