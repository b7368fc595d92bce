"""Site-wide settings from ``content/site.yaml`` (all optional).

fonts:            font families to use, tried in order; per language tag or "default"
base_url:         where the site is published (adds canonical links, sitemap, QR codes)
default_clinic:   clinic id whose details fill generic printed leaflets
country:          ISO 3166 code whose emergency number and helplines generic pages show (default GB)
braille:          liblouis table per language tag, for the Braille (BRF) versions
voices:           espeak-ng voice per language tag, for the audio versions
                  (a language missing from a list that is there is left out, with a warning)
paper:            a4 (default), letter or a5: the page size of every PDF (build.py --paper wins)
date_order:       DMY or MDY: how batch spreadsheets write dates that are not YYYY-MM-DD
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem
from .fields import check_text, found, has_errors, raise_problems, read_fields, shown
from .languages import check_language_tag
from .metadata import check_url
from .yaml_source import load_yaml_file

DEFAULT_FONTS = {"default": ("Noto Sans", "DejaVu Sans")}
PAPER_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0), "a5": (419.53, 595.28)}  # points, portrait
DATE_ORDERS = ("DMY", "MDY")


@dataclass(frozen=True)
class SiteConfig:
    fonts: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_FONTS))
    base_url: str = ""
    default_clinic: str = ""
    country: str = "GB"
    braille: dict[str, str] | None = None  # None: no Braille versions
    voices: dict[str, str] | None = None  # None: no audio versions
    paper: str = "a4"
    date_order: str = ""  # "" means ISO dates only

    def font_stack(self, lang: str) -> tuple[str, ...]:
        return self.fonts.get(lang) or self.fonts.get(lang.split("-")[0]) or self.fonts["default"]


def check_fonts(value) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or "default" not in value:
        raise ValueError("expected a mapping of language (or 'default') to a list of font families")
    fonts = {}
    for key, families in value.items():
        if key != "default":
            check_language_tag(key)
        if not isinstance(families, list) or not families:
            raise ValueError(f"{key}: expected a list of font family names, e.g. [Noto Sans]")
        fonts[key] = tuple(check_text(family, 80) for family in families)
    return fonts


def check_language_map(value) -> dict[str, str]:
    """A mapping of language tag to one name (a liblouis table, an espeak-ng voice); ``none`` means
    "deliberately none for this language", so the build does not warn about it."""
    if not isinstance(value, dict):
        raise ValueError("expected a mapping of language tag to a name, e.g. {en: en-ueb-g2.ctb}")
    checked = {}
    for key, name in value.items():
        check_language_tag(key)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,60}", name):
            raise ValueError(
                f"{key}: expected a table or voice name such as 'en-ueb-g2.ctb' or 'en-gb', got {found(name)}"
            )
        checked[key] = name
    return checked


def check_base_url(value) -> str:
    url = check_url(value)
    return url if url.endswith("/") else url + "/"


def check_country(value) -> str:
    text = check_text(value, 2)
    if not re.fullmatch("[A-Z]{2}", text):
        raise ValueError(f"expected a two-letter country code such as GB, got {shown(text)}")
    return text


def check_paper(value) -> str:
    if not isinstance(value, str) or value.lower() not in PAPER_SIZES:
        raise ValueError(f"expected one of {', '.join(PAPER_SIZES)}, got {found(value)}")
    return value.lower()


def check_date_order(value) -> str:
    if value not in DATE_ORDERS:
        raise ValueError(f"expected DMY (04/01/2027 is 4 January) or MDY (it is April 1), got {found(value)}")
    return value


FIELDS = {
    "fonts": (False, check_fonts),
    "base_url": (False, check_base_url),
    "default_clinic": (False, check_text),
    "country": (False, check_country),
    "braille": (False, check_language_map),
    "voices": (False, check_language_map),
    "paper": (False, check_paper),
    "date_order": (False, check_date_order),
}


def read_site_config(
    content_dir: Path, base_url: str | None = None, paper: str | None = None
) -> tuple[SiteConfig, list[Problem]]:
    """Read content/site.yaml if present: the config and its warnings (unknown keys); errors are raised.

    ``base_url`` (--base-url) and ``paper`` (--paper) win over the file.
    """
    path = content_dir / "site.yaml"
    values, problems = read_fields(load_yaml_file(path), str(path), FIELDS) if path.exists() else ({}, [])
    if has_errors(problems):
        raise ContentError(problems)
    if base_url is not None:
        try:
            values["base_url"] = check_base_url(base_url)
        except ValueError as exc:
            raise ContentError([Problem("--base-url", str(exc))]) from None
    if paper is not None:
        values["paper"] = paper
    return SiteConfig(**values), problems


def load_site_config(
    content_dir: Path, base_url: str | None = None, paper: str | None = None, strict: bool = False
) -> SiteConfig:
    """The checked site config; its warnings are errors under ``strict`` (a site build reports them itself)."""
    config, warnings = read_site_config(content_dir, base_url, paper)
    raise_problems(warnings, strict)
    return config
