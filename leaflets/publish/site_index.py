"""The site's own pages: the home page, each leaflet's list of languages, the 404 page and the sitemap.

They are in English (the source language); every language is named in its own
language. Links are relative, except on the 404 page: a host serves it for a
missing path at any depth, so it links absolutely when a base URL is set and
is otherwise self-contained (inline styles, a home link found from the address).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jinja2 import Environment
from markupsafe import Markup, escape

from ..i18n.translator import english
from ..render.html import install_translator
from ..render.links import page_url
from ..render.page_context import LeafletListing, ListedLanguage, SitePage
from ..source.content import ContentTree, Leaflet
from ..source.languages import language
from ..source.site_config import SiteConfig


@dataclass(frozen=True)
class Stylesheet:
    name: str  # assets/<name>
    text: str


def reserved_paths(tree: ContentTree, config: SiteConfig) -> dict[str, str]:
    """Path patterns the build writes in the site root, and what each is (content/static may not use them)."""
    reserved = {
        "index.html": "the home page",
        "404.html": "the 404 page",
        "assets/leaflet.*.css": "the stylesheet",
        "assets/personalise.*": "the personalise page's script and styles",
        "assets/icon.*.svg": "the icon",
    }
    if config.base_url:
        reserved["sitemap.xml"] = "the sitemap"
    for leaflet in tree.leaflets:
        folder = f"the {leaflet.leaflet_id} leaflet's folder"
        reserved[leaflet.leaflet_id] = reserved[f"{leaflet.leaflet_id}/*"] = folder
    return reserved


def index_files(
    tree: ContentTree,
    config: SiteConfig,
    env: Environment,
    stylesheet: Stylesheet,
    format_files: dict[str, list[str]] | None = None,
) -> dict[str, str]:
    """Path in the site -> text of every page that is not a leaflet in one language.

    ``format_files`` maps "leaflet/lang" to the names of its Braille and audio files, for the sitemap."""
    install_translator(env, english())
    leaflets = [leaflet for leaflet in tree.leaflets if "en" in leaflet.texts]
    home = _page(config.base_url, "Patient leaflets", "Printable patient leaflets in several languages.", stylesheet)
    files = {"index.html": env.get_template("index.html").render(page=home, leaflets=tuple(map(_listing, leaflets)))}
    for leaflet in leaflets:
        text = leaflet.texts["en"]
        page = _page(page_url(config, leaflet.leaflet_id), text.title, text.summary, stylesheet, depth=1)
        files[f"{leaflet.leaflet_id}/index.html"] = env.get_template("leaflet_index.html").render(
            page=page, leaflet=_listing(leaflet)
        )
    files["404.html"] = not_found_page(tree, config, env, stylesheet)
    if config.base_url:
        files["sitemap.xml"] = sitemap(tree, config, format_files or {})
    return files


def _page(canonical: str, title: str, description: str, stylesheet: Stylesheet, depth: int = 0) -> SitePage:
    root = "../" * depth
    return SitePage(
        lang="en",
        dir="ltr",
        title=title,
        description=description,
        asset_root=root,
        stylesheet=stylesheet.name,
        home_href=f"{root}index.html",
        canonical=canonical,
    )


def _listing(leaflet: Leaflet) -> LeafletListing:
    return LeafletListing(
        id=leaflet.leaflet_id,
        title=leaflet.texts["en"].title,
        summary=leaflet.texts["en"].summary,
        languages=tuple(
            ListedLanguage(tag, language(tag).endonym, text.title, language(tag).direction)
            for tag, text in leaflet.texts.items()
        ),
    )


def not_found_page(tree: ContentTree, config: SiteConfig, env: Environment, stylesheet: Stylesheet) -> str:
    page = _page("", "Page not found", "This page does not exist.", stylesheet)
    if config.base_url:
        page = replace(page, asset_root=config.base_url, home_href=f"{config.base_url}index.html")
        return env.get_template("404.html").render(page=page, inline_css="", site_folders=[])
    # The folders at the top of the site: the 404 page's script finds the site's root by them.
    folders = sorted({leaflet.leaflet_id for leaflet in tree.leaflets} | {"assets", "index.html", "404.html"})
    return env.get_template("404.html").render(page=page, inline_css=inline_css(stylesheet.text), site_folders=folders)


def inline_css(text: str) -> Markup:
    """The stylesheet for a <style> element: our own CSS, which must not end the element early."""
    if "</" in text:
        raise ValueError("the bundled stylesheet contains '</'; it cannot be inlined")
    return Markup(text)  # noqa: S704 - the project's own stylesheet, checked above


def sitemap(tree: ContentTree, config: SiteConfig, format_files: dict[str, list[str]]) -> str:
    """Every page, Braille and audio file with its last review date (``lastmod``): the home page takes the latest."""
    entries = []
    for leaflet in (leaflet for leaflet in tree.leaflets if "en" in leaflet.texts):
        reviewed = leaflet.meta.last_reviewed.isoformat()
        entries.append((page_url(config, leaflet.leaflet_id), reviewed))
        for lang in leaflet.texts:
            url = page_url(config, leaflet.leaflet_id, lang)
            files = format_files.get(f"{leaflet.leaflet_id}/{lang}", [])
            entries += [(url, reviewed)] + [(url + name, reviewed) for name in files]
    latest = max((reviewed for _, reviewed in entries), default="")
    lines = [_url_entry(config.base_url, latest)] + [_url_entry(url, reviewed) for url, reviewed in entries]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(lines) + "\n</urlset>\n"
    )


def _url_entry(url: str, lastmod: str) -> str:
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"  <url><loc>{escape(url)}</loc>{modified}</url>"
