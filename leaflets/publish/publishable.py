"""Which languages go into the site, and loud warnings for those that do not.

Before anything is rendered, each translation's page is drawn in HTML and its
characters checked against the language's fonts: a translation no installed
font can show (a new script, a font not installed) is withheld on its own,
with the Debian package to install; the other languages are built. English,
the source, is never withheld: its font problems stop the build.

A language that the previous site had and this build withholds is a
withdrawal: patients and links lose it, so it gets a warning that stands out.
Under ``--strict`` every one of these is an error.
"""

from __future__ import annotations

from jinja2 import Environment

from ..errors import Problem
from ..render.fonts import coverage_problems
from ..render.html import PageOptions, render_leaflet_page
from ..source.clinic import ClinicProfile
from ..source.content import SOURCE_LANGUAGE, ContentTree
from ..source.site_config import SiteConfig
from .site_stamp import WITHDRAWN


def withhold_unreadable(
    tree: ContentTree, config: SiteConfig, env: Environment, clinic: ClinicProfile | None, emergency: str = ""
) -> list[Problem]:
    """Withhold each translation whose page has characters no configured font draws; return the warnings."""
    warnings = []
    for leaflet in tree.leaflets:
        for lang in [tag for tag in leaflet.texts if tag != SOURCE_LANGUAGE]:
            fonts = config.font_stack(lang)
            options = PageOptions(clinic=clinic, fonts=fonts, emergency=emergency)
            html = render_leaflet_page(env, leaflet, lang, options, tree.translators[lang])
            found = coverage_problems(html, lang, fonts, f"{leaflet.leaflet_id} ({lang})", config.font_stack)
            if not found:
                continue
            del leaflet.texts[lang]
            state = leaflet.languages.get(lang)
            if state is not None:
                state.withheld_because.extend(problem.message for problem in found)
            warnings += [
                Problem(p.path, f"{leaflet.leaflet_id} in '{lang}' is not published: {p.message}", severity="warning")
                for p in found
            ]
    return warnings


def withheld_languages(tree: ContentTree) -> list[tuple[str, str]]:
    """(page, first reason) for every configured translation left out of the site."""
    result = []
    for leaflet in tree.leaflets:
        for lang in leaflet.meta.languages:
            if lang not in leaflet.texts:
                state = leaflet.languages.get(lang)
                reasons = getattr(state, "withheld_because", None) or ["its catalog could not be used"]
                result.append((f"{leaflet.leaflet_id}/{lang}", reasons[0]))
    return result


def withdrawals(tree: ContentTree, previous_pages: set[str]) -> list[Problem]:
    """A warning for each language the previous site published and this build withholds."""
    return [
        Problem(
            page,
            f"{WITHDRAWN}was in the previous site and is now withheld, so readers and links lose it: {reason}",
            severity="warning",
        )
        for page, reason in withheld_languages(tree)
        if page in previous_pages
    ]
