"""The published site as a crawler, a search engine, a printer and the Nu HTML Checker see it.

The real content is built twice: with ``--base-url`` (canonical links, sitemap.xml,
QR codes on the PDFs) and without (``built_site``: a folder that works anywhere).
Pages are read back with the standard library's HTML parser, PDFs with pdfplumber,
pdftotext, pdftoppm and zbarimg, and every HTML file with vnu.jar.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pdfplumber
import pytest
import yaml
from babel.dates import format_date
from conftest import ROOT, SITE_BASE_URL, coming_monday

from leaflets.i18n.translator import english
from leaflets.paths import write_file
from leaflets.personal.session import PrintRequest, PrintSession
from leaflets.render.stylesheet import bundle_stylesheet

BASE_URL = SITE_BASE_URL
ENDONYMS = {"en": "English", "pl": "Polski", "ar": "العربية", "ro": "Română"}
RTL = {"ar"}
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

LEAFLETS = {
    folder.name: yaml.safe_load((folder / "leaflet.yaml").read_text(encoding="utf-8"))
    for folder in sorted((ROOT / "content" / "leaflets").iterdir())
    if (folder / "leaflet.yaml").exists()
}
LEAFLET_PAGES = {
    f"{leaflet_id}/{lang}/index.html": (leaflet_id, lang)
    for leaflet_id, meta in LEAFLETS.items()
    for lang in meta.get("languages", ["en"])
}
LEAFLET_INDEX_PAGES = [f"{leaflet_id}/index.html" for leaflet_id in LEAFLETS]  # each leaflet's languages
PERSONALISE_PAGES = [page.replace("index.html", "personalise.html") for page in LEAFLET_PAGES]  # clinic staff print
PAGES = ["index.html", "404.html", *LEAFLET_INDEX_PAGES, *LEAFLET_PAGES, *PERSONALISE_PAGES]
STYLESHEET_RE = re.compile(r"assets/leaflet\.[0-9a-f]{10}\.css")
PDF_CASES = [(page, variant) for page in LEAFLET_PAGES for variant in ("standard", "large-print")]
MIN_PT = {"standard": 12, "large-print": 16}  # RNIB Clear Print; the large-print promise
PERSONALISED = {  # sample name -> (lang, regimen)
    **{lang: (lang, "mon:100,wed:100,fri:150") for lang in ENDONYMS},
    "en-twice-daily": ("en", "twice-daily:25"),
}


# --- reading HTML ----------------------------------------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            el
            for el in self.iter()
            if el.tag == tag and all(el.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())
        ]

    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def ids(document: Element) -> set[str]:
    return {el.attrs["id"] for el in document.iter() if "id" in el.attrs}


def html_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.html"))


# --- the two builds and the personalised samples ------------------------------------


@pytest.fixture(params=["with-base-url", "without-base-url"])
def site(request) -> tuple[Path, str]:
    """(site folder, base URL or ""): each test runs on both builds."""
    if request.param == "with-base-url":
        return request.getfixturevalue("site_with_base_url"), BASE_URL
    return request.getfixturevalue("built_site"), ""


def write_personalised_pages(folder: Path) -> dict[str, Path]:
    """The exact HTML PrintSession.render hands to WeasyPrint, one file per sample, as
    ``folder/page/<sample>.html`` beside ``folder/assets/leaflet.css`` (the page's ``../assets/``)."""
    session = PrintSession(ROOT / "content", folder / "output")
    pages = {}
    for sample, (lang, regimen) in PERSONALISED.items():
        request = PrintRequest(
            "naltrexone",
            lang,
            "example",
            regimen,
            start_date=str(coming_monday(1)),  # print refuses dates more than a year from today
            next_appointment=str(coming_monday(5)),
            name="Alex Example",
        )
        pages[sample] = folder / "page" / f"{sample}.html"
        write_file(pages[sample], session.render_html(session.prepare(request)))
    write_file(folder / "assets" / "leaflet.css", bundle_stylesheet(session.config.fonts))
    return pages


@pytest.fixture(scope="module")
def personalised_pages(tmp_path_factory) -> dict[str, Path]:
    return write_personalised_pages(tmp_path_factory.mktemp("personalised"))


# --- crawl: every link and asset ----------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "poster", "data")
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+)""")


def allowed_external(page: str) -> set[str]:
    """The http(s) URLs a page may link to: its leaflet's sources (index.html and 404.html: none); a
    personalise page also offers each clinic's card, with its website."""
    leaflet_page = page.replace("personalise.html", "index.html")
    if leaflet_page not in LEAFLET_PAGES:
        return set()
    leaflet_id, _ = LEAFLET_PAGES[leaflet_page]
    clinics = set()
    if page != leaflet_page:
        for profile in sorted((ROOT / "content" / "clinics").glob("*.yaml")):
            clinics.add(yaml.safe_load(profile.read_text(encoding="utf-8")).get("website"))
    return {source["url"] for source in LEAFLETS[leaflet_id]["sources"]} | (clinics - {None})


def check_reference(site: Path, page: str, url: str, base_url: str, allowed: set[str]) -> str | None:
    """What is wrong with one href/src on a page, or None."""
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data"):  # data: is self-contained (the page's icon)
        return None
    if parts.scheme in ("http", "https"):
        if base_url and url.startswith(base_url):
            target = site / unquote(url[len(base_url) :].split("#")[0].split("?")[0])
            return check_target(site, target, parts.fragment, url)
        return None if url in allowed else f"{url}: an http(s) resource that is neither a source nor under the base URL"
    if parts.scheme or parts.netloc:
        return f"{url}: only relative links, sources and the base URL are allowed"
    if url.startswith("/"):
        return f"{url}: an absolute path breaks the site in a subfolder and from file://"
    target = (site / page).parent / unquote(parts.path) if parts.path else site / page
    return check_target(site, target, parts.fragment, url)


def check_target(site: Path, target: Path, fragment: str, url: str) -> str | None:
    target = target.resolve()
    if not target.is_relative_to(site.resolve()):
        return f"{url}: points outside the site folder"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"{url}: no such file {target.relative_to(site.resolve())}"
    if fragment and target.suffix == ".html" and fragment not in ids(parse_html(target)):
        return f"{url}: no element with id '{fragment}' in {target.relative_to(site.resolve())}"
    return None


def test_site_has_exactly_the_expected_pages(site):
    folder, _ = site
    assert html_files(folder) == sorted(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_every_link_and_asset_on_a_page_resolves(site, page):
    folder, base_url = site
    document = parse_html(folder / page)
    references = [el.attrs[attr] for el in document.iter() for attr in URL_ATTRIBUTES if attr in el.attrs]
    stylesheets = [url for url in references if STYLESHEET_RE.search(url)]
    if page == "404.html" and not base_url:  # self-contained: served for missing paths at any depth
        assert not stylesheets and document.find_all("style"), "the 404 page should carry its own styles"
    else:
        assert len(stylesheets) == 1, f"expected one fingerprinted stylesheet, found {stylesheets}"
    problems = [check_reference(folder, page, url, base_url, allowed_external(page)) for url in references]
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_declares_its_own_icon(site, page):
    """Otherwise browsers ask the host for /favicon.ico, outside the site's folder: a 404 in the console."""
    folder, _ = site
    icons = [link.attrs["href"] for link in parse_html(folder / page).find_all("link", rel="icon")]
    assert len(icons) == 1  # where it points is checked with every other link


def test_stylesheet_references_resolve(site):
    folder, base_url = site
    for css in folder.rglob("*.css"):
        page = str(css.relative_to(folder))
        urls = CSS_URL_RE.findall(css.read_text(encoding="utf-8"))
        problems = [check_reference(folder, page, url, base_url, set()) for url in urls if not url.startswith("data:")]
        assert [problem for problem in problems if problem] == [], css


def test_crawl_catches_broken_references(built_site):
    """The checker itself: each kind of bad reference is reported."""
    page = "naltrexone/en/index.html"
    bad = {
        "../../assets/missing.css": "no such file",
        "/assets/leaflet.css": "absolute path",
        "https://cdn.example.com/x.js": "neither a source nor under the base URL",
        "#no-such-section": "no element with id 'no-such-section'",
        "../../../outside.html": "outside the site folder",
        "//cdn.example.com/x.js": "only relative links",
    }
    for url, message in bad.items():
        assert message in (check_reference(built_site, page, url, "", set()) or ""), url
    assert check_reference(built_site, page, "../pl/index.html#safety", "", set()) is None
    assert check_reference(built_site, page, f"{BASE_URL}naltrexone/pl/", BASE_URL, set()) is None


# --- the index, the leaflet pages and the 404 page -------------------------------------------


def test_index_lists_every_leaflet_with_its_languages_by_endonym(site):
    folder, _ = site
    document = parse_html(folder / "index.html")
    assert document.find_all("html")[0].attrs["lang"] == "en"
    headings = [h2.text() for h2 in document.find_all("h2")]
    assert headings == [meta["title"] for meta in LEAFLETS.values()]
    for leaflet_id, meta in LEAFLETS.items():
        links = [a for a in document.find_all("a") if a.attrs["href"].startswith(f"{leaflet_id}/")]
        listed = {a.attrs["hreflang"]: (a.attrs["href"], a.attrs["lang"], a.text().split(":")[0]) for a in links}
        assert listed == {
            lang: (f"{leaflet_id}/{lang}/index.html", lang, ENDONYMS[lang]) for lang in meta.get("languages", ["en"])
        }
        assert all(a.attrs.get("dir") == ("rtl" if a.attrs["lang"] in RTL else "ltr") for a in links)


@pytest.mark.parametrize("page", LEAFLET_PAGES)
def test_leaflet_page_language_and_switcher(site, page):
    folder, _ = site
    leaflet_id, lang = LEAFLET_PAGES[page]
    document = parse_html(folder / page)
    html = document.find_all("html")[0]
    assert (html.attrs["lang"], html.attrs["dir"]) == (lang, "rtl" if lang in RTL else "ltr")
    switchers = [nav for nav in document.find_all("nav") if any("hreflang" in a.attrs for a in nav.find_all("a"))]
    if LEAFLETS[leaflet_id].get("languages", ["en"]) == ["en"]:
        assert switchers == []  # a leaflet in one language has no other language to offer
        return
    [switcher] = switchers
    label = [el for el in document.iter() if el.attrs.get("id") == switcher.attrs.get("aria-labelledby")]
    assert label and label[0].text(), "the language switcher has no visible name"
    links = {a.attrs["hreflang"]: (a.attrs["href"], a.attrs["lang"], a.text()) for a in switcher.find_all("a")}
    others = [other for other in LEAFLETS[leaflet_id]["languages"] if other != lang]
    assert links == {other: (f"../{other}/index.html", other, ENDONYMS[other]) for other in others}


@pytest.mark.parametrize("page", LEAFLET_PAGES)
def test_leaflet_page_links_both_pdfs_with_their_sizes(site, page):
    folder, _ = site
    leaflet_id, lang = LEAFLET_PAGES[page]
    document = parse_html(folder / page)
    pdf_links = {a.attrs["href"]: a for a in document.find_all("a") if a.attrs["href"].endswith(".pdf")}
    names = [f"{leaflet_id}-{lang}.pdf", f"{leaflet_id}-{lang}-large-print.pdf"]
    assert list(pdf_links) == names
    for name, link in pdf_links.items():
        kilobytes = max(1, round((folder / page).parent.joinpath(name).stat().st_size / 1000))
        assert "download" in link.attrs
        assert "PDF" in link.text()
        assert re.findall(r"\d+", link.text()) == [str(kilobytes)], link.text()
    if lang == "en":
        texts = [link.text() for link in pdf_links.values()]
        assert texts[0].startswith("Standard print PDF (") and texts[0].endswith(" kB)")
        assert texts[1].startswith("Large print PDF (") and texts[1].endswith(" kB)")


@pytest.mark.parametrize("page", LEAFLET_PAGES)
def test_leaflet_page_shows_review_metadata_and_sources(site, page):
    folder, _ = site
    leaflet_id, lang = LEAFLET_PAGES[page]
    meta = LEAFLETS[leaflet_id]
    [footer] = parse_html(folder / page).find_all("footer")
    locale = "en_GB" if lang == "en" else lang
    for key in ("last_reviewed", "next_review"):
        day = meta[key] if isinstance(meta[key], date) else date.fromisoformat(meta[key])
        assert format_date(day, format="long", locale=locale) in footer.text(), key
    assert meta["version"] in footer.text()
    assert meta["publisher"] in footer.text()
    sources = [(a.attrs["href"], a.text()) for a in footer.find_all("a") if a.attrs["href"].startswith("http")]
    assert sources == [(source["url"], source["title"]) for source in meta["sources"]]
    if lang == "en":
        assert "Draft: this leaflet still needs review by a clinician." in footer.text()


def test_404_page(site):
    folder, base_url = site
    document = parse_html(folder / "404.html")
    assert [h1.text() for h1 in document.find_all("h1")] == [english().gettext("Page not found")]
    # The header's home link and the one in the text: the same address.
    [home] = {a.attrs["href"] for a in document.find_all("a") if a.attrs["href"].endswith("index.html")}
    # Served for any missing path, so with a base URL it links absolutely; without one, relatively.
    if base_url:
        assert home == f"{base_url}index.html"
    else:
        assert not urlsplit(home).scheme and (folder / home).resolve() == (folder / "index.html").resolve()
    assert not document.find_all("link", rel="canonical")


# --- canonical links and the sitemap ---------------------------------------------------------


def page_url(page: str) -> str:
    return BASE_URL + page.removesuffix("index.html")  # personalise.html keeps its name


@pytest.mark.parametrize("page", [page for page in PAGES if page != "404.html"])
def test_canonical_and_alternate_links_with_a_base_url(site_with_base_url, page):
    document = parse_html(site_with_base_url / page)
    assert [link.attrs["href"] for link in document.find_all("link", rel="canonical")] == [page_url(page)]
    if page in LEAFLET_PAGES:
        leaflet_id, _ = LEAFLET_PAGES[page]
        alternates = {link.attrs["hreflang"]: link.attrs["href"] for link in document.find_all("link", rel="alternate")}
        languages = LEAFLETS[leaflet_id]["languages"]
        assert alternates == {lang: page_url(f"{leaflet_id}/{lang}/index.html") for lang in languages}


def test_sitemap_lists_every_page_with_a_base_url(site_with_base_url):
    tree = ET.parse(site_with_base_url / "sitemap.xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert tree.getroot().tag == f"{namespace}urlset"
    locations = [loc.text for loc in tree.getroot().iter(f"{namespace}loc")]
    pages = [page for page in html_files(site_with_base_url) if page != "404.html"]
    alternative_formats = [  # issue 18: the Braille and audio versions are listed too
        str(path.relative_to(site_with_base_url))
        for ext in ("brf", "mp3")
        for path in site_with_base_url.rglob(f"*.{ext}")
    ]
    assert alternative_formats
    assert sorted(locations) == sorted([page_url(page) for page in pages] + [page_url(f) for f in alternative_formats])


def test_no_canonical_links_or_sitemap_without_a_base_url(built_site):
    assert not (built_site / "sitemap.xml").exists()
    for page in PAGES:
        document = parse_html(built_site / page)
        assert not document.find_all("link", rel="canonical"), page
        alternates = [link.attrs["href"] for link in document.find_all("link", rel="alternate")]
        assert not [href for href in alternates if urlsplit(href).scheme], page


# --- the PDFs: type size and the QR code ---------------------------------------------------


def pdf_file(site: Path, page: str, variant: str) -> Path:
    leaflet_id, lang = LEAFLET_PAGES[page]
    suffix = "" if variant == "standard" else f"-{variant}"
    return site / leaflet_id / lang / f"{leaflet_id}-{lang}{suffix}.pdf"


@pytest.mark.parametrize(("page", "variant"), PDF_CASES)
def test_no_text_in_a_pdf_is_smaller_than_its_promise(site_with_base_url, page, variant):
    """Standard print: nothing under 12 pt. Large print: nothing under 16 pt (the footer included)."""
    with pdfplumber.open(pdf_file(site_with_base_url, page, variant)) as pdf:
        chars = [
            (round(char["size"], 2), char["text"], number) for number, p in enumerate(pdf.pages, 1) for char in p.chars
        ]
    assert len(chars) > 1000
    small = [char for char in chars if char[0] < MIN_PT[variant] - 0.01]
    assert small == [], f"text under {MIN_PT[variant]} pt (size, char, page): {small[:20]}"


def pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def qr_codes_on_page(pdf: Path, number: int, folder: Path) -> list[str]:
    """Render one page at 150 dpi and decode every QR code on it."""
    prefix = folder / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(number), "-l", str(number), "-png", "-singlefile", str(pdf), str(prefix)],
                   check=True, capture_output=True)  # fmt: skip
    zbar = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(prefix.with_suffix(".png"))],
                          capture_output=True, text=True)  # fmt: skip
    assert zbar.returncode in (0, 4), zbar.stderr  # 4: no symbol found
    return zbar.stdout.splitlines()


@pytest.mark.parametrize(("page", "variant"), PDF_CASES)
def test_qr_code_opens_the_leaflet_online(site_with_base_url, tmp_path, page, variant):
    leaflet_id, lang = LEAFLET_PAGES[page]
    url = f"{BASE_URL}{leaflet_id}/{lang}/"
    pdf = pdf_file(site_with_base_url, page, variant)
    pages = [number for number, text in enumerate(pdf_pages_text(pdf), 1) if "leaflets.example.org" in text]
    assert len(pages) == 1, f"the printed address of the leaflet is on pages {pages}"
    assert qr_codes_on_page(pdf, pages[0], tmp_path) == [url]


def test_no_qr_code_without_a_base_url(built_site, tmp_path):
    pdf = pdf_file(built_site, "naltrexone/en/index.html", "standard")
    pages = pdf_pages_text(pdf)
    assert not [text for text in pages if "http" in text and "leaflet" in text and "online" in text]
    assert qr_codes_on_page(pdf, len(pages), tmp_path) == []


# --- the Nu HTML Checker ----------------------------------------------------------------


def test_every_html_file_passes_the_nu_html_checker(site_with_base_url, built_site, personalised_pages):
    files = [site / page for site in (site_with_base_url, built_site) for page in PAGES]
    files += list(personalised_pages.values())
    assert VNU_JAR.exists(), "vnu.jar is missing: run `npm ci` (./dev test does)"
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 3)[-3:]}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')}]"
        for m in messages
        if not CSS_LEVEL_GAP.fullmatch(m["message"])
    ]
    assert errors == []


# vnu's CSS checker knows CSS Level 3 only: the logical properties (inline-size, margin-inline-start, ...)
# that the inlined stylesheet of the 404 page uses are reported as unknown "but exist in [css3]". Only that
# exact message is let through; every other error still fails.
CSS_LEVEL_GAP = re.compile(
    r"CSS: “[a-z-]+”: Property “[a-z-]+” doesn't exist in “CSS Level 3 \+ SVG” but exists in “\[css3\]”\."
)
