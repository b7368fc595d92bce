"""A structure checker for the project's PDFs (PDF/UA rules the leaflets must meet).

``check_pdf(path, lang, ...)`` returns one line per problem (empty when the PDF
passes); ``assert_accessible_pdf`` fails a test with all of them. Any test that
builds a PDF can call it. Each rule names the Matterhorn checkpoint it covers
(docs/accessibility.md lists them). The checker reads the file with pikepdf
(structure), pdfplumber (glyphs, sizes, positions, marked content) and
pdftotext (reading order), never with the code that wrote it. It also runs an
independent validator, ``page`` (PyPI ``page-validation``, profile PDF/UA-1),
and reports each rule it fails.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import page as page_validation
import pdfplumber
import pikepdf

from leaflets.render.typography import unit_symbols


class _NestedMarkedContent(pdfplumber.page.PDFPageAggregatorWithMarkedContent):
    """pdfplumber 0.11 keeps one current MCID, not a stack: after a marked-content sequence nested in another
    (a vowel mark's /Span with an empty /ActualText, see leaflets/render/pdf_text_order.py) it forgets the
    enclosing MCID. PDF nests marked content; a nested sequence without an MCID belongs to the enclosing one."""

    def begin_tag(self, tag, props=None):
        stack = self.__dict__.setdefault("_stack", [])
        stack.append((self.cur_tag, self.cur_mcid))
        mcid = props["MCID"] if isinstance(props, dict) and "MCID" in props else self.cur_mcid
        if tag.name == "Artifact":  # an artifact belongs to no element, wherever it is nested
            mcid = None
        super().begin_tag(tag, props)
        self.cur_mcid = mcid

    def end_tag(self):
        stack = self.__dict__.setdefault("_stack", [])
        self.cur_tag, self.cur_mcid = stack.pop() if stack else (None, None)


pdfplumber.page.PDFPageAggregatorWithMarkedContent = _NestedMarkedContent

DECORATIVE = frozenset({"!", "✓", "✗", "✂"})
MM = 72 / 25.4
HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


@dataclass(frozen=True)
class Expected:
    """What one PDF should be: its language, and the parts in another language."""

    lang: str
    min_size: float = 12.0  # pt
    foreign: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> texts in it
    footer_lines: int = 2  # at most, at the bottom of each page
    decorative: frozenset[str] = DECORATIVE


@dataclass
class Leaf:
    """A structure element holding marked content, with its effective language and text."""

    element: pikepdf.Dictionary
    lang: str
    text: str
    line: tuple[int, int] | None  # page index and baseline of its first glyph


def check_pdf(path: Path, expected: Expected) -> list[str]:
    """Every problem found in one PDF, as '<file>: <rule>: <detail>' lines."""
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumber:
        runs = marked_runs(plumber)
        leaves = list(tree_leaves(pdf, {key: text for key, (text, _line) in runs.items()}, runs))
        problems = [
            *check_tree_reachable(pdf),
            *check_table_headers(pdf),
            *check_links(pdf),
            *check_decorative(pdf, leaves, expected),
            *check_sections(pdf),
            *check_languages(pdf, leaves, expected),
            *check_actual_text(leaves),
            *check_page_layout(plumber, expected),
            *check_write_in_lines(pdf),
            *check_number_units(leaves, expected.lang),
            *check_independent_validator(path),
        ]
    return [f"{path.name}: {problem}" for problem in problems]


def check_independent_validator(path: Path) -> list[str]:
    """PDF/UA-1 by another implementation (veraPDF's rules): one line per failed check."""
    report = page_validation.validate_pdf(path, profile="ua1")
    return [f"page-validation ua1: {failure.rule_id}: {failure.message}" for failure in report.failures]


def assert_accessible_pdf(path: Path, expected: Expected) -> None:
    problems = check_pdf(path, expected)
    assert problems == [], "\n".join(problems)


def marked_texts(plumber) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text its glyphs map to."""
    return {key: text for key, (text, _line) in marked_runs(plumber).items()}


def marked_runs(plumber) -> dict[tuple[int, int], tuple[str, tuple[int, int]]]:
    """(page index, MCID) -> its glyphs' text and the line (page, baseline) of its first glyph."""
    runs: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    for index, page in enumerate(plumber.pages):
        for char in page.chars:
            if char.get("mcid") is not None:
                key = (index, char["mcid"])
                text, line = runs.get(key, ("", (index, round(char["matrix"][5]))))
                runs[key] = (text + char["text"], line)
    return runs


def _kids(node) -> list:
    if "/K" not in node:
        return []
    return list(node.K) if isinstance(node.K, pikepdf.Array) else [node.K]


def _is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def elements(pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        if _is_element(node):
            found.append(node)
            stack += reversed([kid for kid in _kids(node) if _is_element(kid)])
    return found


def _mcids(element, pages) -> list[tuple[int, int]]:
    found = []
    for kid in _kids(element):
        if isinstance(kid, int):
            found.append((pages[element.Pg.objgen], int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.append((pages[(kid.Pg if "/Pg" in kid else element.Pg).objgen], int(kid.MCID)))
    return found


def tree_text(path: Path) -> str:
    """What the structure tree says, leaf after leaf (the logical text a screen reader reads)."""
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumber:
        return " ".join(leaf.text for leaf in tree_leaves(pdf, marked_texts(plumber)))


def tree_leaves(pdf, texts, runs=None):
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    stack = [(kid, str(pdf.Root.get("/Lang", ""))) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        node, lang = stack.pop()
        if not _is_element(node):
            continue
        lang = str(node.get("/Lang", lang))
        ids = _mcids(node, pages)
        if ids:
            text = str(node.ActualText) if "/ActualText" in node else "".join(texts.get(key, "") for key in ids)
            yield Leaf(node, lang, text, (runs or {}).get(ids[0], ("", None))[1])
        stack += [(kid, lang) for kid in reversed(_kids(node))]


def check_tree_reachable(pdf) -> list[str]:
    """01-004/18-001: every tagged mark belongs to an element the tree reaches; each element's parent lists it."""
    reachable = {element.objgen for element in elements(pdf)}
    problems = []
    nums = list(pdf.Root.StructTreeRoot.ParentTree.get("/Nums", []))
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        targets = list(value) if isinstance(value, pikepdf.Array) else [value]
        orphans = [t for t in targets if _is_element(t) and t.objgen not in reachable]
        if orphans:
            problems.append(f"tree: {len(orphans)} marked item(s) of parent-tree key {key} are outside the tree")
    for element in elements(pdf):
        parent = element.get("/P")
        if _is_element(parent) and not any(_is_element(k) and k.objgen == element.objgen for k in _kids(parent)):
            problems.append(f"tree: {element.S} is not listed by its parent {parent.S}")
    return problems


def check_table_headers(pdf) -> list[str]:
    """15-003/15-005: every TH has /Scope; every TD /Headers ID is in the /IDTree."""
    root = pdf.Root.StructTreeRoot
    ids = set()
    if "/IDTree" in root:
        ids = {str(key) for key, _value in pikepdf.NameTree(root.IDTree).items()}
    problems = []
    for element in elements(pdf):
        attributes = element.get("/A", pikepdf.Dictionary())
        if element.S == "/TH" and str(attributes.get("/Scope", "")) not in ("/Row", "/Column", "/Both"):
            problems.append("table: a TH has no /Scope")
        for header in attributes.get("/Headers", []) if isinstance(attributes, pikepdf.Dictionary) else []:
            if str(header) not in ids:
                problems.append(f"table: TD /Headers names '{header}', which is not in the /IDTree")
    return problems


def check_links(pdf) -> list[str]:
    """28-011/28-002: one annotation per link and page, under a Link element, with a human /Contents."""
    holders: dict = {}
    for element in elements(pdf):
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                holders.setdefault(kid.Obj.objgen, []).append(str(element.S))
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        seen = set()
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            found = holders.get(annotation.objgen, [])
            if found != ["/Link"]:
                problems.append(f"links: annotation for {uri} on page {number} is held by {found or 'nothing'}")
            contents = str(annotation.get("/Contents", ""))
            raw_uri = contents == uri and not uri.startswith("http")  # a web address may be its own text
            if not contents.strip() or re.match(r"(tel|mailto):", contents) or raw_uri:
                problems.append(f"links: /Contents of {uri} is not human text: {contents!r}")
            if (uri, page.obj.objgen) in seen:
                problems.append(f"links: {uri} has more than one annotation on page {number}")
            seen.add((uri, page.obj.objgen))
    return problems


def check_decorative(pdf, leaves: list[Leaf], expected: Expected) -> list[str]:
    """Decorative glyphs are artifacts: never read aloud, never in a bookmark."""
    problems = [
        f"decorative: '{leaf.text.strip()}' is tagged content"
        for leaf in leaves
        if leaf.text.strip() in expected.decorative
    ]
    for title in outline_titles(pdf):
        if set(title.split()) & expected.decorative:
            problems.append(f"bookmarks: '{title}' has a decorative glyph")
    if str(pdf.Root.get("/PageMode", "")) != "/UseOutlines":
        problems.append("bookmarks: /PageMode is not /UseOutlines")
    return problems


def outline_titles(pdf) -> list[str]:
    titles, stack = [], [pdf.Root.Outlines.get("/First")] if "/Outlines" in pdf.Root else []
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary):
            titles.append(str(item.Title))
            stack += [item.get("/Next"), item.get("/First")]
    return titles


def check_sections(pdf) -> list[str]:
    """Sections whole across pages: one Part, and every Sect starts with its heading."""
    found = elements(pdf)
    problems = []
    # A joined document (a treatment sheet, then the leaflet) is a Document of Parts, each one PDF's own.
    documents = [element for element in found if element.S == "/Document"]
    top = [kid for kid in _kids(documents[0]) if _is_element(kid)] if documents else []
    joined = {kid.objgen for kid in top} if len(top) > 1 and all(kid.S == "/Part" for kid in top) else set()
    parts = [element for element in found if element.S == "/Part" and element.objgen not in joined]
    if len(parts) != max(len(joined), 1):
        problems.append(f"sections: {len(parts)} Part elements (a new one per page?)")
    for element in found:
        first = next((kid for kid in _kids(element) if _is_element(kid)), None)
        if element.S == "/Sect" and (first is None or str(first.S) not in HEADINGS):
            problems.append(
                f"sections: a Sect starts with {first.S if first is not None else 'nothing'}, not a heading"
            )
    return problems


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_languages(pdf, leaves: list[Leaf], expected: Expected) -> list[str]:
    """11-006/11-001: the document language, and /Lang on each part in another language."""
    problems = []
    if str(pdf.Root.get("/Lang", "")) != expected.lang:
        problems.append(f"lang: document /Lang is {pdf.Root.get('/Lang')!r}, expected {expected.lang!r}")
    for lang, texts in expected.foreign.items():
        spoken = _words(" ".join(leaf.text for leaf in leaves if leaf.lang == lang))
        problems += [f"lang: '{text[:40]}' is not tagged /Lang {lang}" for text in texts if _words(text) not in spoken]
    return problems


def check_actual_text(leaves: list[Leaf]) -> list[str]:
    """Shaped and right-to-left runs carry /ActualText (their glyphs do not map back to the text)."""
    shaped = [leaf for leaf in leaves if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in leaf.text)]
    missing = [leaf for leaf in shaped if "/ActualText" not in leaf.element]
    return (
        [f"actual text: {len(missing)} right-to-left run(s) without /ActualText, e.g. {missing[0].text[:30]!r}"]
        if missing
        else []
    )


def check_page_layout(plumber, expected: Expected) -> list[str]:
    """Text sizes and footers (lines, 10 mm from the edge)."""
    problems = []
    for number, page in enumerate(plumber.pages, start=1):
        small = [char for char in page.chars if char["size"] < expected.min_size - 0.01]
        if small:
            problems.append(
                f"size: {small[0]['size']:.1f} pt text on page {number}: {''.join(c['text'] for c in small)[:30]!r}"
            )
        footer = [char for char in page.chars if char.get("mcid") is None and char["top"] > page.height - 45 * MM]
        lines = {round(char["matrix"][5]) for char in footer}  # baselines (fonts differ in ascent)
        if footer and page.height - max(char["bottom"] for char in footer) < 10 * MM:
            problems.append(f"footer: page {number}'s footer is less than 10 mm from the paper edge")
        if len(lines) > expected.footer_lines:
            problems.append(f"footer: page {number}'s footer takes {len(lines)} lines")
    return problems


def check_number_units(leaves: list[Leaf], lang: str) -> list[str]:
    """No line break between a number and its unit: in reading order (the tree), a run ending in a
    number and the next, on another line, starting with one of the language's units."""
    unit = re.compile(r"^\(?(?:" + "|".join(map(re.escape, unit_symbols(lang))) + r")(?!\w)")
    return [
        f"units: '{first.text.strip()[-12:]}' ends a line and '{second.text.strip()[:8]}' starts the next"
        for first, second in zip(leaves, leaves[1:], strict=False)
        if re.search(r"\d$", first.text.strip()) and unit.match(second.text.strip()) and first.line != second.line
    ]


def check_write_in_lines(pdf) -> list[str]:
    """Lines to write on (a box's bottom border alone) are at least 40 mm long.

    WeasyPrint draws one border side as two rectangles filled even-odd, the box and the box less
    the border; when they differ only in height, the ring is a horizontal line as wide as the box.
    """
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for width in _bottom_border_widths(page):
            if 3 * MM < width < 40 * MM:
                problems.append(f"write-in: a {width / MM:.0f} mm line on page {number} is shorter than 40 mm")
    return problems


def _bottom_border_widths(page) -> list[float]:
    matrix, stack, rects, widths = pikepdf.Matrix(), [], [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(matrix)
        elif op == "Q" and stack:
            matrix = stack.pop()
        elif op == "cm":
            matrix = pikepdf.Matrix(*map(float, operands)) @ matrix
        elif op == "re":
            rects.append(tuple(map(float, operands)))
        elif op == "f*" and len(rects) >= 2:
            (x1, y1, w1, h1), (x2, y2, w2, h2) = rects[-2:]
            if (x1, y1, w1) == (x2, y2, w2) and 0 < abs(h1 - h2) * abs(matrix.d) < 3:
                widths.append(abs(w1 * matrix.a))
        if op in ("f", "f*", "n", "S", "B", "b"):
            rects = []
    return widths
