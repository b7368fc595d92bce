"""The one stylesheet of every page: font tokens from site.yaml, then the style files in cascade order.

The cascade: ``styles/tokens.css``, ``styles/base.css``, each component's CSS beside its macro
(``templates/components/<name>/<name>.css``, sorted by component name), then ``styles/print.css``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..paths import STYLES_DIR, TEMPLATES_DIR
from .html import css_string

# (folder, glob) in cascade order; the folder is "styles" (STYLES_DIR) or "templates" (TEMPLATES_DIR).
STYLESHEET_ORDER = (
    ("styles", "tokens.css"),
    ("styles", "base.css"),
    ("templates", "components/*/*.css"),
    ("styles", "print.css"),
)


def font_tokens(fonts: dict[str, tuple[str, ...]]) -> str:
    """CSS custom properties for the configured font stacks."""
    rules = []
    for key, families in fonts.items():
        selector = ":root" if key == "default" else f":lang({key})"
        rules.append(f"{selector} {{ --lf-font: {font_family_list(families)}; }}")
    return "/* fonts, from content/site.yaml */\n" + "\n".join(rules)


def font_family_list(families: tuple[str, ...]) -> str:
    return ", ".join(css_string(family) for family in families) + ", sans-serif"


def stylesheet_files(styles_dir: Path | None = None, templates_dir: Path | None = None) -> list[tuple[Path, Path]]:
    """(folder, file) of every style file, in cascade order; the project's own folders by default."""
    folders = {"styles": styles_dir or STYLES_DIR, "templates": templates_dir or TEMPLATES_DIR}
    return [(folders[name], path) for name, pattern in STYLESHEET_ORDER for path in sorted(folders[name].glob(pattern))]


def bundle_stylesheet(
    fonts: dict[str, tuple[str, ...]], styles_dir: Path | None = None, templates_dir: Path | None = None
) -> str:
    """The font tokens, then the stylesheets in cascade order, as one file."""
    parts = [font_tokens(fonts)]
    for folder, path in stylesheet_files(styles_dir, templates_dir):
        parts.append(f"/* {path.relative_to(folder)} */\n{path.read_text(encoding='utf-8')}")
    return "\n".join(parts)


def stylesheet_name(text: str) -> str:
    """``leaflet.<hash>.css``: a new name whenever the styles change, so no cache serves stale ones."""
    return f"leaflet.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.css"
