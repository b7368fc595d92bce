"""The site and personalised leaflets in a real browser: Debian's Chromium, driven by Playwright.

One Chromium for the session, a fresh page for each check. Pages are served over
http from 127.0.0.1 (at the root and from a subfolder) and opened from file://.
Checks: no failed request or console error, the language switcher, axe-core
(WCAG 2.2 A and AA rules), text spacing (WCAG 1.4.12) and reflow at 320 px (1.4.10).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Browser, Page
from test_site import ENDONYMS, LEAFLET_PAGES, LEAFLETS, PAGES, PERSONALISED, RTL, write_personalised_pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})"
SUBFOLDER = "some/sub/folder/"
SAMPLES = list(PERSONALISED)
LEAFLET_LANGUAGES = {leaflet_id: meta.get("languages", ["en"]) for leaflet_id, meta in LEAFLETS.items()}

# WCAG 1.4.12's text-spacing bookmarklet, as a user style sheet would apply it.
TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)

# A style sheet as a user's own would apply: through the CSSOM, which a page's Content-Security-Policy allows.
USER_STYLE_JS = """css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""

# Elements whose text is cut off by overflow: hidden | clip (the visually hidden pattern aside).
CLIPPED_TEXT_JS = """() => {
  const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '');
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.lf-visually-hidden') || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (![style.overflowX, style.overflowY].some(value => value === 'hidden' || value === 'clip')) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      clipped.push(`${describe(el)}: content ${el.scrollWidth}x${el.scrollHeight} in a ${el.clientWidth}x${el.clientHeight} box:`
        + ` "${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
    }
  }
  return clipped;
}"""

# Sibling boxes (block, flex, grid, table parts, inline-block) whose rendered text lines overlap.
# Text lines, not element boxes, so text spilling out of a fixed-size box counts where it is drawn.
OVERLAPPING_TEXT_JS = """() => {
  const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '');
  const lines = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || node.parentElement.closest('.lf-visually-hidden, .lf-skip-link')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    for (let el = node.parentElement; el; el = el.parentElement) {
      if (!lines.has(el)) lines.set(el, []);
      lines.get(el).push(...rects);
    }
  }
  const isBox = el => {
    const style = getComputedStyle(el);
    return !['inline', 'contents', 'none'].includes(style.display) && !['absolute', 'fixed'].includes(style.position);
  };
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const found = [];
  for (const parent of lines.keys()) {
    const boxes = [...parent.children].filter(child => lines.has(child) && isBox(child));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const hit = lines.get(boxes[i]).find(a => lines.get(boxes[j]).some(b => overlap(a, b)));
        if (hit) found.push(`${describe(boxes[i])} and ${describe(boxes[j])} in ${describe(parent)}:`
          + ` "${boxes[i].textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}"`
          + ` / "${boxes[j].textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}"`);
      }
    }
  }
  return found;
}"""

# What sticks out past the right or left edge of a narrow viewport.
WIDE_ELEMENTS_JS = """width => {
  const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '');
  return [...document.body.querySelectorAll('*')]
    .filter(el => !el.closest('.lf-visually-hidden, .lf-skip-link'))
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); })
    .map(el => { const r = el.getBoundingClientRect(); return `${describe(el)} from ${Math.round(r.left)} to ${Math.round(r.right)}`; })
    .slice(0, 10);
}"""


# --- the browser and the servers -----------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) and yield its http:// URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def web_root(tmp_path_factory, built_site) -> Path:
    """A web root holding the site in /some/sub/folder/ and the personalised samples in /personal/."""
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(built_site, root / SUBFOLDER)
    write_personalised_pages(root / "personal")
    return root


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    """The site served at the root of a local web server."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def web_url(web_root) -> Iterator[str]:
    with serve(web_root) as url:
        yield url


@pytest.fixture
def address(built_site, site_url, web_url):
    """address(where, page): the URL of a site page over "http" or from "file", or of a
    personalised sample (``personal:<sample>``, over http)."""

    def locate(where: str, page: str) -> str:
        if page.startswith("personal:"):
            return f"{web_url}personal/page/{page.removeprefix('personal:')}.html"
        return site_url + page if where == "http" else (built_site / page).as_uri()

    return locate


@contextmanager
def open_page(browser: Browser, url: str, width: int = 1024) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page at ``url`` and the list of everything that went wrong while it loaded (and after)."""
    page = browser.new_page(viewport={"width": width, "height": 720})
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"),
    )
    page.on("console", lambda message: message.type == "error" and problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        page.goto(url, wait_until="load")
        yield page, problems
    finally:
        page.close()


def stylesheet_applied(page: Page) -> bool:
    return page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--lf-text').trim()") != ""


ALL_PAGES = PAGES + [f"personal:{sample}" for sample in SAMPLES]
LOAD_CASES = [(where, page) for where in ("http", "file") for page in PAGES]
LOAD_CASES += [("http", f"personal:{sample}") for sample in SAMPLES]


# --- loading, links and the language switcher ------------------------------------------------


@pytest.mark.parametrize(("where", "page"), LOAD_CASES)
def test_page_loads_with_no_failed_request_or_console_error(browser, address, where, page):
    with open_page(browser, address(where, page)) as (tab, problems):
        assert stylesheet_applied(tab), "the stylesheet did not load"
        if where != "file":
            tab.wait_for_load_state("networkidle")  # requests after "load", such as a favicon
    assert problems == []


@pytest.mark.parametrize("page", LEAFLET_PAGES)
def test_language_switcher_leads_to_each_other_language(browser, address, page):
    leaflet_id, lang = LEAFLET_PAGES[page]
    with open_page(browser, address("http", page)) as (tab, problems):
        for other, endonym in ENDONYMS.items():
            if other == lang or other not in LEAFLET_LANGUAGES[leaflet_id]:
                continue
            link = tab.get_by_role("navigation").get_by_role("link", name=endonym, exact=True)
            assert link.get_attribute("hreflang") == other
            link.click()
            tab.wait_for_url(address("http", f"{leaflet_id}/{other}/index.html"))
            assert tab.locator("html").get_attribute("lang") == other
            assert tab.locator("html").get_attribute("dir") == ("rtl" if other in RTL else "ltr")
            tab.go_back()
            assert tab.locator("html").get_attribute("lang") == lang
    assert problems == []


def test_site_works_from_a_subfolder(browser, web_url):
    """Every page from /some/sub/folder/; then start at the folder's address, as a host would
    serve it, and follow links to a PDF."""
    home = web_url + SUBFOLDER
    with open_page(browser, home) as (tab, problems):
        for page in PAGES:
            tab.goto(home + page)
            assert stylesheet_applied(tab), page
            tab.wait_for_load_state("networkidle")  # a page's icon file too: leaving earlier would abort it
        tab.goto(home)
        assert stylesheet_applied(tab)
        tab.locator("a[href='naltrexone/en/index.html']").click()
        tab.wait_for_url(home + "naltrexone/en/index.html")
        assert stylesheet_applied(tab)
        tab.get_by_role("link", name=ENDONYMS["ar"], exact=True).click()
        tab.wait_for_url(home + "naltrexone/ar/index.html")
        assert tab.locator("html").get_attribute("lang") == "ar"
        for pdf in tab.locator("a[href$='.pdf']").all():
            with tab.expect_download() as download:
                pdf.click()
            assert download.value.failure() is None
            assert download.value.url == home + "naltrexone/ar/" + pdf.get_attribute("href")
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
        tab.wait_for_load_state("networkidle")
    assert problems == []


# --- axe-core -----------------------------------------------------------------------------


def axe_violations(page: Page) -> list[str]:
    # Evaluated through DevTools, not added as a <script>: a page's Content-Security-Policy would refuse that.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(AXE_RUN)
    assert results["passes"], "axe-core ran no rule"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"])
        for violation in results["violations"]
    ]


@pytest.mark.parametrize("page", ALL_PAGES)
def test_axe_finds_no_wcag_violation(browser, address, page):
    # Over http: from file:// axe-core could not read the stylesheet's rules.
    with open_page(browser, address("http", page)) as (tab, _):
        violations = axe_violations(tab)
    assert not violations, "\n".join(violations)


# --- WCAG 1.4.12 text spacing and 1.4.10 reflow ----------------------------------------------


@pytest.mark.parametrize("page", ALL_PAGES)
def test_text_spacing_clips_and_overlaps_no_text(browser, address, page):
    """On a wide and on a 320 px screen."""
    found = {}
    with open_page(browser, address("http", page)) as (tab, _):
        tab.evaluate(USER_STYLE_JS, TEXT_SPACING_CSS)
        assert tab.evaluate("getComputedStyle(document.querySelector('main p')).letterSpacing") != "normal"
        for width in (1024, 320):
            tab.set_viewport_size({"width": width, "height": 720})
            found[width] = {"clipped": tab.evaluate(CLIPPED_TEXT_JS), "overlapping": tab.evaluate(OVERLAPPING_TEXT_JS)}
    assert found == {width: {"clipped": [], "overlapping": []} for width in (1024, 320)}


@pytest.mark.parametrize("page", ALL_PAGES)
def test_reflows_at_320_css_pixels(browser, address, page):
    with open_page(browser, address("http", page), width=320) as (tab, _):
        scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        wide = tab.evaluate(WIDE_ELEMENTS_JS, 320)
    assert scroll_width <= 320, f"{scroll_width} px wide; sticking out: {wide}"


# --- the checks themselves ------------------------------------------------------------------

BROKEN_PAGE = """<!DOCTYPE html><html><head><title>x</title><link rel="stylesheet" href="missing.css"></head>
<body><main><img src="chart.png">
<div style="height: 20px; overflow: hidden"><p>One</p><p>Two</p><p>Three</p></div>
<div style="height: 10px"><p style="margin: 0">Spills over<br>the edge<br>of its box</p></div>
<p style="margin: 0">onto the next paragraph</p>
<p style="width: 600px">Too wide for a phone</p>
<script>console.error("boom"); undefinedFunction();</script></main></body></html>"""


def test_the_browser_checks_catch_broken_pages(browser, tmp_path):
    (tmp_path / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    with serve(tmp_path) as url, open_page(browser, url + "broken.html", width=320) as (tab, problems):
        assert {violation.split()[0] for violation in axe_violations(tab)} >= {"image-alt", "html-has-lang"}
        assert tab.evaluate("document.documentElement.scrollWidth") > 320
        tab.evaluate(USER_STYLE_JS, TEXT_SPACING_CSS)
        assert tab.evaluate(CLIPPED_TEXT_JS)
        assert any("Spills over" in found for found in tab.evaluate(OVERLAPPING_TEXT_JS))
    assert any(problem.startswith("HTTP 404") and "missing.css" in problem for problem in problems)
    assert any(problem.startswith("console error: boom") for problem in problems)
    assert any(problem.startswith("page error:") for problem in problems)
    with open_page(browser, (tmp_path / "broken.html").as_uri()) as (_, problems):
        pass
    assert any(problem.startswith("request failed:") and "missing.css" in problem for problem in problems)
