"""Everything a site build reads, loaded and checked before anything is written.

``build.py check`` and ``build.py site`` both call :func:`load_site_inputs`, so "check passes" means the
site will build: the content, ``site.yaml``, the default clinic, ``countries.yaml`` and the site's country,
the static folder, font coverage in every language, and the Braille tables and voices. Every problem is
collected, then all are raised at once (warnings too, under ``--strict``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from ..errors import ContentError, Problem
from ..i18n.localise import load_content
from ..i18n.translator import english
from ..render.fonts import coverage_problems, forget_fonts
from ..render.html import PageOptions, render_leaflet_page
from ..render.spoken_text import ContactDetails
from ..settings import BuildSettings
from ..source.clinic import ClinicProfile, load_clinic, with_emergency_number
from ..source.content import SOURCE_LANGUAGE, ContentTree
from ..source.countries import Country, country_for, read_countries
from ..source.fields import raise_problems
from ..source.site_config import SiteConfig, read_site_config
from .alt_formats import format_problems
from .publishable import withdrawals, withhold_unreadable
from .site_index import reserved_paths
from .static_files import static_files


@dataclass
class SiteInputs:
    """Everything a site build reads, loaded and checked before anything is written."""

    tree: ContentTree
    config: SiteConfig
    default_clinic: ClinicProfile | None
    emergency: str  # the site country's emergency number, for pages without a clinic
    help_country: Country | None  # without a default clinic, web pages show its helplines
    static: list[Path]  # content/static/, relative paths
    warnings: list[Problem]


def load_site_inputs(settings: BuildSettings, env: Environment, previous_pages: set[str]) -> SiteInputs:
    """Load and check every input; ``previous_pages`` (the last site's) turns a newly withheld language into a
    withdrawal warning."""
    forget_fonts()  # a long-running preview sees fonts installed or updated since the last build
    problems: list[Problem] = []
    content = settings.content_dir
    tree = _gather(problems, lambda: _content(content, settings.strict))
    if tree is None and not (content / "leaflets").is_dir():
        raise ContentError(problems)  # not a content folder: --content is wrong, so say nothing more
    config = _gather(problems, lambda: read_site_config(content, settings.base_url, settings.paper))
    clinic = config and _gather(problems, lambda: default_clinic(content, config))
    country = config and _gather(problems, lambda: site_country(content, config))
    if tree is None or config is None:
        raise ContentError(problems)  # nothing else can be checked without them
    static = _gather(problems, lambda: (static_files(content, reserved_paths(tree, config)), []))
    emergency = country.emergency if country else ""
    _gather(problems, lambda: (None, font_problems(tree, config, env, clinic, emergency)))
    help_country = None if clinic else country
    contact = ContactDetails(clinic, help_country, emergency)
    problems += withdrawals(tree, previous_pages) + format_problems(tree, config, contact)  # Braille and audio
    raise_problems(problems, settings.strict)
    return SiteInputs(tree, config, clinic, emergency, help_country, static, problems)


def _content(content_dir: Path, strict: bool) -> tuple[ContentTree, list[Problem]]:
    tree = load_content(content_dir, strict=strict)
    return tree, tree.warnings


def default_clinic(content_dir: Path, config: SiteConfig) -> tuple[ClinicProfile | None, list[Problem]]:
    """The clinic whose details fill generic printed leaflets (none unless site.yaml names one)."""
    if not config.default_clinic:
        return None, []
    profile, warnings = load_clinic(config.default_clinic, content_dir)
    return with_emergency_number(profile, content_dir), warnings


def site_country(content_dir: Path, config: SiteConfig) -> tuple[Country, list[Problem]]:
    """The site's country (content/countries.yaml): generic pages give its emergency number and helplines."""
    countries, warnings = read_countries(content_dir)
    return country_for(countries, config.country, content_dir, "the site"), warnings


def font_problems(tree, config: SiteConfig, env: Environment, clinic, emergency: str) -> list[Problem]:
    """English pages no configured font can show (errors: English is never withheld); translations withheld."""
    problems = []
    for leaflet in tree.leaflets:
        fonts = config.font_stack(SOURCE_LANGUAGE)
        options = PageOptions(clinic=clinic, fonts=fonts, emergency=emergency)
        html = render_leaflet_page(env, leaflet, SOURCE_LANGUAGE, options, english())
        label = f"{leaflet.leaflet_id} ({SOURCE_LANGUAGE}, standard)"  # as the PDF step names the page
        problems += coverage_problems(html, SOURCE_LANGUAGE, fonts, label, config.font_stack)
    return problems + withhold_unreadable(tree, config, env, clinic, emergency)


def _gather(problems: list[Problem], step):
    """Run one loading step, adding what it found to ``problems``: its value, or None if it raised."""
    try:
        value, found = step()
    except ContentError as error:
        problems.extend(error.problems)
        return None
    problems.extend(found)
    return value
