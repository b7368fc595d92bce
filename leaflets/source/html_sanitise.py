"""The HTML a leaflet's text may contain, enforced with nh3 as a second line of defence.

The Markdown checks refuse anything else first, naming the line; this allowlist
makes sure nothing else reaches a page even if a check misses it.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "h3", "h4", "a", "br"}
ALLOWED_ATTRIBUTES = {"h3": {"id", "lang"}, "h4": {"id", "lang"}, "a": {"href"}, "p": {"lang"}, "li": {"lang"}}
URL_SCHEMES = {"https", "mailto", "tel"}
WHOLE_ELEMENT_RE = re.compile(r"^\s*<(\w+)([^>]*)>(.*)</\1>\s*$", re.DOTALL)


def sanitise_html(html: str) -> Markup:
    """Keep only the tags and attributes a leaflet needs."""
    return Markup(  # noqa: S704 - the nh3 allowlist makes it safe
        nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None)
    )


def inner_html(html: str) -> Markup:
    """The content of a heading or title element; an English fallback keeps its lang="en"."""
    match = WHOLE_ELEMENT_RE.match(html)
    inner = match.group(3) if match else html
    if match and 'lang="en"' in match.group(2):
        inner = f'<span lang="en">{inner}</span>'
    return Markup(nh3.clean(inner, tags={"strong", "br", "span"}, attributes={"span": {"lang"}}))  # noqa: S704
