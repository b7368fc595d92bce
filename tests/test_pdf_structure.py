"""Every PDF a person can get, read back with pikepdf, poppler and pdfplumber.

The published leaflets (standard and large print) and a personalised leaflet,
in every language: tagged, in the right language, titled, with embedded fonts
that map to Unicode, figures with alternative text, no text under the print
minimum, and the headings in the same order as in the HTML.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import ALERT_CARD_EN, REAL_LANGS, ROOT, WEEKLY_REGIMEN
from pdf_checker import Expected, assert_accessible_pdf, check_pdf, tree_text
from weasyprint import CSS, HTML

from leaflets.personal.session import PrintRequest, PrintSession
from leaflets.personal.treatment import treatment_view
from leaflets.render.html import PageOptions, render_leaflet_page
from leaflets.render.pdf import PDF_OPTIONS
from leaflets.render.stylesheet import bundle_stylesheet
from leaflets.source.site_config import load_site_config

LANGS = REAL_LANGS
VARIANTS = ("standard", "large-print", "personalised")
REGIMEN = WEEKLY_REGIMEN
MIN_TEXT_SIZE = {"standard": 12.0, "large-print": 16.0, "personalised": 12.0}  # pt
SCREEN_ONLY = {"lf-contents", "lf-language-switcher", "lf-downloads", "lf-help-lines"}  # never in a PDF
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
HEADING_ROLES = {"/H1": 1, "/H2": 2, "/H3": 3, "/H4": 4, "/H5": 5, "/H6": 6}


@dataclass(frozen=True)
class Case:
    lang: str
    variant: str

    @property
    def name(self) -> str:
        return f"{self.lang}-{self.variant}"


CASES = [Case(lang, variant) for lang in LANGS for variant in VARIANTS]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # what the reader sees, without decorative icons (aria-hidden)
    hidden: str  # a visually hidden prefix such as "Warning:" (clipped to 1px in print)


class HtmlHeadings(HTMLParser):
    """The page title and the h1-h3 headings that print, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, set[str], bool]] = []  # tag, classes, aria-hidden
        self.headings: list[Heading] = []
        self.title = ""
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag not in VOID_TAGS:
            self.open.append((tag, classes, attrs.get("aria-hidden") == "true"))
        if re.fullmatch(r"h[1-3]", tag) and not any(found & SCREEN_ONLY for _, found, _ in self.open):
            self.current = {"tag": tag, "text": "", "hidden": ""}

    def handle_endtag(self, tag):
        if self.current and tag == self.current["tag"]:
            text, hidden = (" ".join(self.current[key].split()) for key in ("text", "hidden"))
            self.headings.append(Heading(int(tag[1]), text, hidden))
            self.current = None
        if tag not in VOID_TAGS and self.open:
            self.open.pop()

    def handle_data(self, data):
        if [tag for tag, _, _ in self.open[-2:]] == ["head", "title"]:  # not an SVG's <title>
            self.title += data
        if self.current is None or any(aria_hidden for _, _, aria_hidden in self.open):
            return
        visually_hidden = any("lf-visually-hidden" in classes for _, classes, _ in self.open)
        self.current["hidden" if visually_hidden else "text"] += data


def read_html(html: str) -> HtmlHeadings:
    parser = HtmlHeadings()
    parser.feed(html)
    parser.close()
    return parser


@dataclass(frozen=True)
class PdfFacts:
    """What the tools read from one PDF, parsed once."""

    catalog_keys: frozenset[str]
    marked: object
    lang: str
    display_doc_title: object
    docinfo_title: str
    xmp_title: str
    figure_alts: tuple[str, ...]
    heading_levels: tuple[int, ...]
    fonts: tuple[str, ...]  # pdffonts rows
    text: str  # pdftotext, reading order
    smallest_size: float
    smallest_text: str


def run_tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def read_pdf(path: Path) -> PdfFacts:
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        elements = list(struct_elements(root.StructTreeRoot)) if "/StructTreeRoot" in root else []
        with pdf.open_metadata() as xmp:
            xmp_title = str(xmp.get("dc:title", ""))
        facts = {
            "catalog_keys": frozenset(root.keys()),
            "marked": root.get("/MarkInfo", {}).get("/Marked"),
            "lang": str(root.get("/Lang", "")),
            "display_doc_title": root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"),
            "docinfo_title": str(pdf.docinfo.get("/Title", "")),
            "xmp_title": xmp_title,
            "figure_alts": tuple(str(element.get("/Alt", "")) for role, element in elements if role == "/Figure"),
            "heading_levels": tuple(HEADING_ROLES[role] for role, _ in elements if role in HEADING_ROLES),
        }
    sizes = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            sizes += [(char["size"], char["text"], page.page_number) for char in page.chars]
    smallest = min(sizes)
    context = "".join(text for size, text, _ in sizes if abs(size - smallest[0]) < 0.01)[:80]
    return PdfFacts(
        fonts=tuple(run_tool("pdffonts", str(path)).splitlines()[2:]),
        text=run_tool("pdftotext", str(path), "-"),
        smallest_size=smallest[0],
        smallest_text=context,
        **facts,
    )


def struct_elements(node, role_map=None):
    """(role, element) for every structure element, in document order, roles mapped to standard ones."""
    if role_map is None:
        role_map = {str(key): str(value) for key, value in node.get("/RoleMap", {}).items()}
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from struct_elements(child, role_map)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return  # a marked-content id
    if "/S" in node:
        role = str(node.S)
        yield role_map.get(role, role), node
    if "/K" in node and node.get("/Type") not in ("/MCR", "/OBJR"):
        yield from struct_elements(node.K, role_map)


@pytest.fixture(scope="module")
def pdf_paths(site_with_base_url, weekly_prints) -> dict[str, Path]:
    """The site (with a base URL) and a personalised leaflet per language (the session's shared builds)."""
    paths = {f"{lang}-personalised": weekly_prints[lang] for lang in LANGS}
    for lang in LANGS:
        folder = site_with_base_url / "naltrexone" / lang
        paths[f"{lang}-standard"] = folder / f"naltrexone-{lang}.pdf"
        paths[f"{lang}-large-print"] = folder / f"naltrexone-{lang}-large-print.pdf"
    paths["site"] = site_with_base_url
    return paths


@pytest.fixture(scope="module")
def personalised_html(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """The HTML each part of a personal copy is rendered from (the treatment sheet, then the leaflet as
    published for the clinic), captured from the same code path as `build.py print`."""
    session = PrintSession(ROOT / "content", tmp_path_factory.mktemp("print-html"))
    pages = {}
    for lang in LANGS:  # the treatment sheet, then the leaflet as published for the clinic
        prepared = session.prepare(PrintRequest("naltrexone", lang, "example", REGIMEN))
        leaflet = session.leaflet("naltrexone")
        published = session.published_html(leaflet, lang, "standard", prepared.details.clinic)
        pages[lang] = (session.render_html(prepared), published)
    return pages


@pytest.fixture(scope="module")
def facts(pdf_paths):
    cache: dict[str, PdfFacts] = {}

    def get(case: Case) -> PdfFacts:
        if case.name not in cache:
            cache[case.name] = read_pdf(pdf_paths[case.name])
        return cache[case.name]

    return get


@pytest.fixture(scope="module")
def html(pdf_paths, personalised_html):
    """The HTML matching each PDF: the published web page for generic PDFs (its screen-only parts are skipped)."""

    def get(case: Case) -> HtmlHeadings:
        if case.variant == "personalised":  # one document: the sheet's headings, then the leaflet's, and its title
            sheet, leaflet = (read_html(page) for page in personalised_html[case.lang])
            leaflet.headings[:0] = sheet.headings
            return leaflet
        return read_html((pdf_paths["site"] / "naltrexone" / case.lang / "index.html").read_text(encoding="utf-8"))

    return get


cases = pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)


@cases
def test_tagged_with_a_structure_tree(facts, case):
    pdf = facts(case)
    assert "/StructTreeRoot" in pdf.catalog_keys
    assert pdf.marked is True
    assert pdf.heading_levels, "no heading elements in the structure tree"


@cases
def test_language_is_the_leaflet_language(facts, case):
    assert facts(case).lang == case.lang


@cases
def test_title_is_set_and_shown_instead_of_the_file_name(facts, html, case):
    pdf = facts(case)
    title = " ".join(html(case).title.split())
    assert title
    assert pdf.docinfo_title == title
    assert pdf.xmp_title == title
    assert pdf.display_doc_title is True


@cases
def test_every_font_is_embedded_with_a_unicode_map(facts, case):
    rows = facts(case).fonts
    assert rows, "pdffonts lists no fonts"
    for row in rows:
        emb, _sub, uni = row.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), f"font not embedded or without a Unicode map: {row}"


@cases
def test_every_figure_has_alt_text(facts, case):
    alts = facts(case).figure_alts
    if "personalised" in case.variant:  # the dose pictograms are artifacts: the words beside them say it once
        assert not alts
        return
    assert alts, "expected figures: the QR code on published leaflets"
    assert all(alt.strip() for alt in alts), alts


@cases
def test_no_text_below_the_minimum_size(facts, case):
    pdf = facts(case)
    minimum = MIN_TEXT_SIZE[case.variant]
    assert pdf.smallest_size >= minimum - 0.01, f"{pdf.smallest_size:.2f} pt text: {pdf.smallest_text!r}"


def for_matching(text: str, lang: str) -> str:
    """Drop bidi controls and soft hyphens; for Arabic also combining marks (see test_headings_in_html_order)."""
    text = text.translate(BIDI_CONTROLS).replace("\u00ad", "")
    if lang == "ar":
        text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return text


def heading_pattern(heading: Heading, lang: str) -> re.Pattern:
    """The heading's words, starting a line (after any icon and visually hidden prefix) and ending one.

    In right-to-left text pdftotext sets neutral punctuation on either side of a space ("تحذير :",
    "النالتريكسون ،وهو"), so there only the words are matched, whatever punctuation lies between."""
    text = for_matching(heading.text, lang)
    if lang == "ar":
        words, end = r"[^\w]+".join(re.escape(word) for word in re.findall(r"\w+", text)), r"[^\w\n]*$"
    else:
        words, end = r"\s+".join(re.escape(word) for word in text.split()), r"[ \t]*$"
    hidden = r"[^\w\n]*".join(re.escape(word) for word in re.findall(r"\w+", for_matching(heading.hidden, lang)))
    prefix = rf"(?:{hidden}[^\w\n]*)?" if hidden else ""
    return re.compile(rf"(?m)^[^\w\n]*{prefix}{words}{end}")


@cases
def test_headings_in_html_order(facts, html, case):
    """pdftotext's text has the HTML's print headings, in order, each on lines of its own.

    pdftotext reorders right-to-left lines into logical order. It reads no Arabic
    vowel marks (each carries an empty replacement text in the page content), so
    for Arabic both sides drop combining marks before comparing: the letters, in
    logical order, must match.
    """
    headings = html(case).headings
    assert len(headings) >= 10
    missing = headings_out_of_order(facts(case).text, headings, case.lang)
    assert missing == [], f"not found in order after the previous heading: {missing}"


def headings_out_of_order(pdf_text: str, headings: list[Heading], lang: str) -> list[str]:
    """Headings not found, each searched for after the one before it."""
    text = "\n".join(line.strip() for line in for_matching(pdf_text, lang).splitlines())
    position, missing = 0, []
    for heading in headings:
        match = heading_pattern(heading, lang).search(text, position)
        if match is None:
            missing.append(heading.text)
        else:
            position = match.end()
    return missing


def test_heading_order_check_finds_a_swap_and_whole_lines_only():
    text = "Title\nDoctors say so.\n! Warning: Take care\nBody text\n✓ Do\nMore"
    title, take_care, do = Heading(1, "Title", ""), Heading(3, "Take care", "Warning:"), Heading(3, "Do", "")
    assert headings_out_of_order(text, [title, take_care, do], "en") == []
    assert headings_out_of_order(text, [take_care, title], "en") == ["Title"]
    assert headings_out_of_order("Title\nDoctors say so.", [title, do], "en") == ["Do"]
    arabic = Heading(3, "أتناول النالتريكسون، وهو دواء", "")
    assert headings_out_of_order("أتناول النالتريكسون ،وهو\nدواء.", [arabic], "ar") == []
    assert headings_out_of_order("أتناول النالتريكسون ،وهو دواء يحجب", [arabic], "ar") == [
        "أتناول النالتريكسون، وهو دواء"
    ]


def test_figure_without_alt_text_is_found(pdf_paths, tmp_path):
    path = tmp_path / "no-alt.pdf"
    with pikepdf.open(pdf_paths["en-standard"]) as pdf:
        figure = next(element for role, element in struct_elements(pdf.Root.StructTreeRoot) if role == "/Figure")
        del figure["/Alt"]
        pdf.save(path)
    with pikepdf.open(path) as pdf:
        alts = [str(e.get("/Alt", "")) for role, e in struct_elements(pdf.Root.StructTreeRoot) if role == "/Figure"]
    assert alts and alts[0] == "" and all(alts[1:])


@cases
def test_tagged_headings_follow_the_html_outline(facts, html, case):
    assert facts(case).heading_levels == tuple(heading.level for heading in html(case).headings)


# --- The structure checker (tests/pdf_checker.py) on every PDF built here ---------------------------------


def expected_for(case: Case) -> Expected:
    large = case.variant.startswith("large-print")
    foreign = {"en": ALERT_CARD_EN} if case.lang != "en" and "personalised" in case.variant else {}
    return Expected(case.lang, 16.0 if large else 12.0, foreign, footer_lines=2)


@pytest.fixture(scope="module")
def large_print_personalised(tmp_path_factory) -> dict[str, Path]:
    """Personalised large print, rendered from its HTML through PrintSession's renderer (no CLI flag yet)."""
    session = PrintSession(ROOT / "content", tmp_path_factory.mktemp("large-print"))
    paths = {}
    for lang in LANGS:
        prepared = session.prepare(PrintRequest("naltrexone", lang, "example", REGIMEN))
        html = large_print_html(session, prepared)
        path = session.output_dir / f"large-print-personalised-{lang}.pdf"
        path.write_bytes(session.renderer.render_pdf(html, session.page_dir, f"naltrexone ({lang})", lang))
        paths[lang] = path
    return paths


def large_print_html(session: PrintSession, prepared) -> str:
    """PrintSession.render_html's page with the large-print variant (mirrors it until `print --large-print`)."""
    request, details = prepared.request, prepared.details
    leaflet = next(item for item in session.tree.leaflets if item.leaflet_id == request.leaflet_id)
    translator = session.translator(request.lang)
    options = PageOptions(
        asset_root="../",
        variant="large-print",
        clinic=details.clinic,
        treatment=treatment_view(details, leaflet.medicine, request.lang, translator),
        alert_cards=session.alert_cards(leaflet, request.lang, translator),
        personal_name=details.name,
        fonts=session.config.font_stack(request.lang),
    )
    return render_leaflet_page(session.env, leaflet, request.lang, options, translator)


@cases
def test_every_pdf_passes_the_structure_checker(pdf_paths, case):
    assert_accessible_pdf(pdf_paths[case.name], expected_for(case))


@pytest.mark.parametrize("lang", LANGS)
def test_personalised_large_print_is_16pt_and_passes_the_checker(large_print_personalised, lang):
    """Dose table, alert card and all: nothing under 16 pt, body 18 pt; the larger card fits (no clipping error)."""
    path = large_print_personalised[lang]
    assert_accessible_pdf(path, expected_for(Case(lang, "large-print-personalised")))
    with pdfplumber.open(path) as pdf:
        sizes = [round(char["size"], 1) for page in pdf.pages for char in page.chars]
        words = " ".join(page.extract_text() for page in pdf.pages)
    assert max(set(sizes), key=sizes.count) == pytest.approx(18.0 * (1.25 if lang == "ar" else 1), abs=0.1)
    assert "0113 496 0999" in words  # the alert card's back, drawn whole


ARABIC = re.compile(r"[\u0600-\u06ff]")


@cache
def print_hidden_classes() -> frozenset[str]:
    """Classes the stylesheet hides in print (rules with display: none inside @media print)."""
    css = bundle_stylesheet(load_site_config(ROOT / "content").fonts)
    hidden = set(SCREEN_ONLY)
    for match in re.finditer(r"@media print\s*\{", css):
        depth, end = 1, match.end()
        while depth and end < len(css):
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css[match.end() : end]):
            if re.search(r"display:\s*none", body):
                hidden.update(re.findall(r"\.(lf-[\w-]+)\s*(?:,|$)", selectors.strip()))
    return frozenset(hidden)


class BlockTexts(HTMLParser):
    """The text of each printed block element (headings, paragraphs, list items, cells)."""

    BLOCKS = {"h1", "h2", "h3", "p", "li", "th", "td", "dt", "dd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = attrs.get("aria-hidden") == "true" or bool(classes & (print_hidden_classes() | {"lf-visually-hidden"}))
        skip = skip or tag in ("head", "svg", "caption")
        if tag not in VOID_TAGS:
            self.stack.append((tag, skip or any(hidden for _, hidden in self.stack)))
            if tag in self.BLOCKS:
                self.blocks.append("")

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and not self.stack[-1][1] and self.blocks and any(t in self.BLOCKS for t, _ in self.stack):
            self.blocks[-1] += data


def words(text: str) -> list[str]:
    return for_matching(text.replace("\u00a0", " "), "xx").split()


def arabic_words(text: str) -> list[str]:
    """The Arabic letters, marks and punctuation of each word, in logical order."""
    found = ("".join(ARABIC.findall(word)) for word in words(text))
    return [word for word in found if word]


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_arabic_letter_is_lost_from_the_text_layer(pdf_paths, variant):
    """Copy, search and reflow read the glyphs' ToUnicode map: the medial ئ (glyph 580) keeps its letter."""
    path = pdf_paths[Case("ar", variant).name]
    with pikepdf.open(path) as pdf:
        maps = [font.ToUnicode.read_bytes() for page in pdf.pages for font in page.Resources.Font.values()]
    assert [entry for data in maps for entry in re.findall(rb"<[0-9a-f]{4}> <>", data)] == []
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "أسئلة" in text
    assert "أس لة" not in text


@pytest.mark.parametrize("variant", VARIANTS)
def test_arabic_text_extracts_word_for_word(pdf_paths, personalised_html, variant):
    """Read through the structure tree (as a screen reader does), every Arabic block of the source is there.

    Every letter and mark in logical order; spaces are left out of the comparison, because
    text runs split at punctuation and line ends ("50 mg" + ". ...") carry their spaces unevenly.
    Only the Arabic characters are compared (embedded English, digits and dots are not shaped).
    """
    case = Case("ar", variant)
    pages = (
        personalised_html["ar"]  # the treatment sheet, then the leaflet
        if variant == "personalised"
        else [(pdf_paths["site"] / "naltrexone" / "ar" / "index.html").read_text(encoding="utf-8")]
    )
    parser = BlockTexts()
    for page in pages:
        parser.feed(page)
    extracted = "".join(arabic_words(tree_text(pdf_paths[case.name])))
    sources = [block for block in parser.blocks if ARABIC.search(block)]
    assert len(sources) > 40
    missing = [block for block in sources if "".join(arabic_words(block)) not in extracted]
    assert missing == []


UNFIXED_RULES = (
    "tree:",
    "table: a TH has no /Scope",
    "not in the /IDTree",
    "links:",
    "not human text",
    "decorative:",
    "bookmarks:",
    "/PageMode",
    "sections:",
    "lang:",
)


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_checker_finds_each_defect_in_an_unfixed_weasyprint_pdf(personalised_html, tmp_path, lang):
    """The same page written by WeasyPrint alone (no structure fixes) fails every structure rule."""
    problems = ""
    for index, page in enumerate(personalised_html[lang]):  # the treatment sheet, then the leaflet
        path = unfixed_pdf(page, tmp_path / str(index))
        problems += "\n".join(check_pdf(path, Expected(lang, 12.0, {"en": ALERT_CARD_EN} if index == 0 else {})))
    for rule in UNFIXED_RULES + (("actual text:",) if lang == "ar" else ()):
        assert rule in problems, f"checker missed {rule!r}"


def unfixed_pdf(html: str, tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    css = bundle_stylesheet(load_site_config(ROOT / "content").fonts)
    path = tmp_path / "unfixed.pdf"
    HTML(string=BUNDLE_LINK.sub("", html), base_url=str(ROOT)).write_pdf(
        path, stylesheets=[CSS(string=css)], **PDF_OPTIONS
    )
    return path


def test_arabic_comparison_fails_on_the_glyph_text_alone(personalised_html, tmp_path):
    """Without /ActualText the glyphs give letters in visual order, and CID 0244 gives none."""
    sheet = personalised_html["ar"][0]
    parser = BlockTexts()
    parser.feed(sheet)
    extracted = "".join(arabic_words(tree_text(unfixed_pdf(sheet, tmp_path))))
    sources = [block for block in parser.blocks if ARABIC.search(block)]
    missing = [block for block in sources if "".join(arabic_words(block)) not in extracted]
    assert len(missing) > len(sources) // 2


BUNDLE_LINK = re.compile(r"<link [^>]*data-leaflet-bundle[^>]*>")
