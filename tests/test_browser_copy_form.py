"""The personalise page as clinic staff use it, in Debian's Chromium: nothing typed leaves the page, the form is
accessible (axe-core at 320 and 1280 px: empty, with errors, filled; keyboard alone), Arabic is right to
left, it works from file:// and from a subfolder, and without JavaScript it offers the generic PDFs.

The print dialog cannot open headless: each page's ``window.print`` is replaced before load by a counter.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from test_browser import axe_violations, serve
from test_browser_copy import NAME, REF, fill, form_page

PAGE = "naltrexone/{lang}/personalise.html"
CSP = "default-src 'self'; connect-src 'none'; form-action 'none'"


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


def filled(page, regimen: str = "mon:100,wed:100,fri:150") -> None:
    start = date.today() + timedelta(days=3)
    fill(page, regimen, start, start + timedelta(days=14))


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_request_after_load_and_nothing_stored(browser, site_url, lang):
    """Every request after the page has loaded (while filling in and printing) is recorded: there are none, and
    the page keeps nothing: no cookie, local or session storage, history state or change of address."""
    with form_page(browser, site_url + PAGE.format(lang=lang)) as page:
        page.wait_for_load_state("networkidle")  # loaded: the browser asks for the icon after the load event
        address = page.url
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.context.on("request", lambda request: requests.append(request.url))
        filled(page)
        page.click("button[type=submit]")
        page.pdf()
        page.wait_for_timeout(300)  # anything sent late would arrive now
        stored = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie, history.state]")
        assert page.evaluate("window.__printed") == 1
        assert page.url == address
        printout = page.inner_text("#lf-printout")
    assert requests == []
    assert stored == [0, 0, "", None]
    assert NAME in printout and REF in printout


def test_built_pages_forbid_connections_and_form_submission(built_site):
    for page in sorted(built_site.glob("*/*/personalise.html")):
        html = page.read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert [meta.replace("&#39;", "'") for meta in metas] == [CSP], page
        assert html.index("Content-Security-Policy") < html.index("<link"), "the policy comes before any resource"
        assert re.findall(r"<script\b[^>]*>", html) == [
            f'<script src="../../assets/{script}" defer>'
            for script in re.findall(r"assets/(personalise\.\w+\.js)", html)
        ]
        assert re.search(r'<input[^>]* id="name"[^>]* autocomplete="off"', html), page
    scripts = list((built_site / "assets").glob("personalise.*.js"))
    assert len(scripts) == 1
    code = scripts[0].read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "fetch(", "XMLHttpRequest",
                      "sendBeacon", "WebSocket", "EventSource", "localStorage", "sessionStorage", "document.cookie",
                      "indexedDB", "pushState", "replaceState", "eval(", "Function("):  # fmt: skip
        assert forbidden not in code, forbidden


def test_the_policy_blocks_a_request_from_the_page(browser, site_url):
    """The CSP is in force, not only written: a connection the page tries is refused before it leaves."""
    with form_page(browser, site_url + PAGE.format(lang="en")) as page:
        page.wait_for_load_state("networkidle")
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        refused = page.evaluate("fetch('/collect?x=1').then(() => 'sent', () => 'refused')")
    assert refused == "refused"
    assert requests == []


# --- accessibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("width", [320, 1280])
def test_axe_finds_no_violation_empty_with_errors_and_filled(browser, site_url, lang, width):
    found = {}
    with form_page(browser, site_url + PAGE.format(lang=lang), width=width) as page:
        found["empty"] = axe_violations(page)
        page.fill("#ref", "Alex")  # a name is not a reference
        page.click("button[type=submit]")
        assert page.is_visible("#lf-error-summary")
        found["errors"] = axe_violations(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        page.fill("#ref", "")
        filled(page)
        page.click("button[type=submit]")
        assert page.is_hidden("#lf-error-summary") and page.is_visible("#lf-printout")
        found["filled"] = axe_violations(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert found == {"empty": [], "errors": [], "filled": []}


def test_errors_follow_the_gov_uk_pattern(browser, site_url):
    """A summary that takes the focus and links each problem to its field; the same words above the field."""
    with form_page(browser, site_url + PAGE.format(lang="en")) as page:
        page.fill("#ref", "Alex")
        page.fill("#name", "x" * 81)
        page.click("button[type=submit]")
        assert page.evaluate("document.activeElement.id") == "lf-error-summary"
        links = page.eval_on_selector_all("#lf-error-summary a", "els => els.map(a => [a.textContent, a.hash])")
        assert page.title().startswith("Error:")
        assert page.inner_text("#ref-error").endswith(links[-1][0])
        assert page.get_attribute("#ref", "aria-invalid") == "true"
        assert "ref-error" in page.get_attribute("#ref", "aria-describedby")
        page.click("#lf-error-summary a[href='#regimen']")
        assert page.evaluate("document.activeElement.id") == "regimen"
        assert page.evaluate("window.__printed") is None, "a form with errors is not printed"
    assert links == [
        ["Choose the prescribed regimen", "#regimen"],
        ["The name must be 80 characters or fewer", "#name"],
        ["The reference must be up to 40 letters, digits, - or _, with at least one digit", "#ref"],
    ]


def test_dates_follow_the_rules_of_print(browser, site_url):
    today = date.today()
    with form_page(browser, site_url + PAGE.format(lang="en")) as page:
        page.check("#regimen")
        page.fill("#start_date", (today + timedelta(days=400)).isoformat())
        page.fill("#next_appointment", (today + timedelta(days=2)).isoformat())
        page.click("button[type=submit]")
        first = page.inner_text("#lf-error-summary ul")
        page.fill("#start_date", (today + timedelta(days=5)).isoformat())
        page.click("button[type=submit]")
        second = page.inner_text("#lf-error-summary ul")
    assert first == "The start date must be within a year of today"
    assert second == "The next appointment must be after the start date"


def test_the_whole_form_can_be_completed_with_the_keyboard(browser, site_url):
    start = date.today() + timedelta(days=3)
    with form_page(browser, site_url + PAGE.format(lang="en")) as page:
        keys = page.keyboard
        focus = []
        for _ in range(40):
            keys.press("Tab")
            focus.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
            if focus[-1] == "regimen":
                keys.press("ArrowDown")  # radios: the arrows choose within the group
                keys.press("ArrowDown")
            elif focus[-1] == "start_date":
                keys.type(f"{start:%d%m%Y}" if page.evaluate("navigator.language").startswith("en-GB") else
                          f"{start:%m%d%Y}")  # fmt: skip
            elif focus[-1] == "name":
                keys.type(NAME)
            elif focus[-1] == "large_print":
                keys.press("Space")
            elif focus[-1] == "BUTTON":
                keys.press("Enter")
                break
        printed = page.evaluate("window.__printed")
        chosen = page.evaluate("document.querySelector('input[name=regimen]:checked').value")
        values = page.evaluate("[document.getElementById('start_date').value, document.documentElement.className]")
    assert {"regimen", "start_date", "next_appointment", "clinic", "name", "prescriber", "ref", "large_print",
            "paper"} <= set(focus)  # fmt: skip
    assert chosen == "mon:100,wed:100,fri:150" and printed == 1
    assert values[0] == start.isoformat() and "lf-variant-large-print" in values[1]


# --- language, direction, places and no JavaScript -------------------------------------------------------


def test_arabic_page_is_right_to_left(browser, site_url):
    with form_page(browser, site_url + PAGE.format(lang="ar")) as page:
        html = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        filled(page)
        page.click("button[type=submit]")
        label_side = page.evaluate(
            "(() => { const input = document.getElementById('regimen'); const label = input.labels[0];"
            " return label.getBoundingClientRect().right < input.getBoundingClientRect().left; })()"
        )
        card_dir = page.evaluate("getComputedStyle(document.querySelector('#lf-printout .lf-alert-card')).direction")
    assert html == ["ar", "rtl"]
    assert label_side, "the radio's label should be on its left, after it in a right-to-left line"
    assert card_dir == "rtl"


def test_works_from_file_and_from_a_subfolder(browser, built_site, tmp_path):
    web = tmp_path / "web"
    shutil.copytree(built_site, web / "clinic" / "leaflets")
    places = [(built_site / PAGE.format(lang="pl")).as_uri()]
    with serve(web) as url:
        places.append(f"{url}clinic/leaflets/{PAGE.format(lang='pl')}")
        for place in places:
            with form_page(browser, place) as page:
                problems: list[str] = []
                page.on(
                    "console", lambda message, found=problems: message.type == "error" and found.append(message.text)
                )
                page.reload()
                filled(page)
                page.click("button[type=submit]")
                assert page.evaluate("window.__printed") == 1, place
                assert "Alex Example" in page.inner_text("#lf-printout .lf-alert-card")
            assert problems == [], place


def test_without_javascript_the_page_offers_the_generic_pdfs(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE.format(lang="en"))
        visible = page.is_visible("#personalise")
        links = page.eval_on_selector_all("[data-lf-without-script] a", "els => els.map(a => a.getAttribute('href'))")
        text = page.inner_text("main")
    finally:
        context.close()
    assert not visible
    assert links == ["naltrexone-en.pdf", "naltrexone-en-large-print.pdf"]
    assert "A personal copy needs JavaScript" in text and "Nothing you type here leaves this computer" in text


def test_leaflet_page_links_its_personalise_page(built_site):
    for page in sorted(built_site.glob("*/*/index.html")):
        html = page.read_text(encoding="utf-8")
        assert '<a href="personalise.html">' in html, page
        assert (page.parent / "personalise.html").is_file()


def test_paper_and_large_print_reach_the_printed_page(browser, site_url, tmp_path):
    with form_page(browser, site_url + PAGE.format(lang="en")) as page:
        filled(page)
        page.check("#paper-letter")
        page.check("#large_print")
        page.click("button[type=submit]")
        page.pdf(path=tmp_path / "letter.pdf", prefer_css_page_size=True)
        page.emulate_media(media="print")
        size = page.evaluate("getComputedStyle(document.body).fontSize")
    info = subprocess.run(["pdfinfo", str(tmp_path / "letter.pdf")], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info
    assert size == "24px"  # 18 pt: the large-print body text
