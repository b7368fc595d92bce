"""Publishing in a real browser (Debian's Chromium, driven by Playwright): the site served from a
subpath by Debian's nginx with the README's configuration (404.html for missing paths, as GitHub
Pages and Netlify also do); a pass-through file across rebuilds; the stylesheet's name following
the styles; and the preview reloading an open page by itself after an edit.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from test_browser import open_page, stylesheet_applied
from test_browser import serve as static_server
from test_preview import free_port, page, wait_for
from test_site import ENDONYMS

from leaflets.pipeline import BuildSettings, build_site
from leaflets.publish.preview import serve as preview

SUBPATH = "patients/leaflets/"
RELOAD_SECONDS = 5


NGINX = "/usr/sbin/nginx"  # Debian's nginx-light
# The README's nginx configuration, for a site in /var/www/leaflets/ published at /leaflets/.
NGINX_SITE = """
location /{subpath} {{
    alias {folder}/;
    autoindex off;
    error_page 404 /{subpath}404.html;
}}
location /{subpath}assets/ {{
    alias {folder}/assets/;
    error_page 404 /{subpath}404.html;
    add_header Cache-Control "public, max-age=31536000, immutable";
}}
"""


@contextmanager
def nginx(folder: Path, work: Path) -> Iterator[str]:
    """Debian's nginx serving ``folder`` at /<SUBPATH>, in the foreground, on a free port."""
    port = free_port()
    temp = {name: work / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    config = work / "nginx.conf"
    config.write_text(
        f"daemon off; master_process off; pid {work}/nginx.pid; error_log {work}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;\n"
        + "".join(f"{name}_temp_path {path};\n" for name, path in temp.items())
        + f"server {{ listen 127.0.0.1:{port};\n"
        + NGINX_SITE.format(subpath=SUBPATH, folder=folder)
        + "}\n}\n"
    )
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(config)], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/{SUBPATH}"
    try:
        wait_for(lambda: page(url + "index.html") or process.poll() is not None, seconds=20)
        assert process.poll() is None, process.stderr.read().decode()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def hosted(built_site, tmp_path_factory) -> Iterator[str]:
    """The real site, published in a subfolder by nginx."""
    with nginx(built_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def build(content: Path, output: Path) -> None:
    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0, result.err


def only_the_missing_page(problems: list[str], url: str) -> list[str]:
    """The problems, less the missing page's own 404 (its response, and Chromium's console line for it)."""
    left = [problem for problem in problems if problem != f"HTTP 404: {url}"]
    console = "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"
    if console in left:
        left.remove(console)  # once: any other failed resource also shows as its own "HTTP 404: <url>"
    return left


def test_site_from_a_subpath_with_home_links_and_leaflet_pages(browser, hosted):  # noqa: F811
    with open_page(browser, hosted + "naltrexone/") as (tab, problems):
        assert stylesheet_applied(tab)
        assert tab.get_by_role("heading", level=1).inner_text()
        tab.get_by_role("link", name=ENDONYMS["ar"] + ":").click()
        tab.wait_for_url(hosted + "naltrexone/ar/index.html")
        assert tab.locator("html").get_attribute("dir") == "rtl"
        current = tab.locator("[aria-current]")
        assert current.inner_text() == ENDONYMS["ar"] and current.get_attribute("dir") == "rtl"
        tab.locator(".lf-site-header a").click()
        tab.wait_for_url(hosted + "index.html")
        assert stylesheet_applied(tab)
        tab.wait_for_load_state("networkidle")
    assert problems == []


@pytest.mark.parametrize("missing", ["no-such-page", "naltrexone/en/old/name.html", "naltrexone/xx/", "assets/x/y/z"])
def test_a_404_at_any_depth_is_styled_and_leads_home(browser, hosted, missing):  # noqa: F811
    url = hosted + missing
    with open_page(browser, url) as (tab, problems):
        assert tab.get_by_role("heading", level=1).inner_text() == "Page not found"
        assert stylesheet_applied(tab)
        assert tab.evaluate("getComputedStyle(document.querySelector('.lf-main')).maxWidth") == "640px"  # 40rem
        tab.get_by_role("link", name="See all patient leaflets").click()
        tab.wait_for_url(hosted + "index.html")
        assert tab.get_by_role("heading", level=1).inner_text() == "Patient leaflets"
        assert stylesheet_applied(tab)
        tab.wait_for_load_state("networkidle")
    assert only_the_missing_page(problems, url) == []


# A 1x1 PNG: browsers ask for /favicon.ico when they show a file that is not a page.
FAVICON = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_a_static_robots_txt_survives_two_rebuilds(browser, minimal_content, tmp_path):  # noqa: F811
    """robots.txt and a favicon mean something only at a host's root: the site is published there."""
    (minimal_content / "static").mkdir()
    (minimal_content / "static" / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    (minimal_content / "static" / "favicon.ico").write_bytes(FAVICON)
    output = tmp_path / "out"
    text = minimal_content / "leaflets" / "sample" / "en.md"
    build(minimal_content, output)
    for edit in ("First edit.", "Second edit."):
        text.write_text(text.read_text().replace("This is a sample leaflet.", edit).replace("First edit.", edit))
        build(minimal_content, output)
    with static_server(output / "site") as root, open_page(browser, root + "robots.txt") as (tab, problems):
        assert tab.locator("body").inner_text().strip() == "User-agent: *\nDisallow: /drafts/"
        tab.goto(root + "sample/en/index.html")
        assert "Second edit." in tab.locator("main").inner_text()
        tab.wait_for_load_state("networkidle")
    assert problems == []


def test_the_stylesheet_name_changes_when_the_styles_change(browser, minimal_content, tmp_path):  # noqa: F811
    output = tmp_path / "out"
    build(minimal_content, output)
    stylesheet = "document.querySelector('link[rel=stylesheet]').href"
    font = "getComputedStyle(document.body).fontFamily"
    with static_server(output / "site") as url, open_page(browser, url + "sample/en/index.html") as (tab, problems):
        old_name, old_font = tab.evaluate(stylesheet), tab.evaluate(font)
        (minimal_content / "site.yaml").write_text("fonts:\n  default: [DejaVu Serif]\n")
        build(minimal_content, output)
        tab.reload()
        new_name, new_font = tab.evaluate(stylesheet), tab.evaluate(font)
        assert new_name != old_name and new_name.rsplit("/", 1)[1].startswith("leaflet.")
        assert "DejaVu Serif" in new_font and "DejaVu Serif" not in old_font
        tab.wait_for_load_state("networkidle")
        gone = tab.request.get(old_name)
    assert gone.status == 404  # old names are removed
    assert problems == []


def test_an_open_preview_reloads_itself_after_an_edit(browser, tmp_path, capsys):  # noqa: F811
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    port, stop = free_port(), threading.Event()
    thread = threading.Thread(
        target=preview,
        args=(BuildSettings(content, tmp_path / "out"), port, stop),
        kwargs={"build": build_site},
        daemon=True,
    )
    thread.start()
    url = f"http://127.0.0.1:{port}/sample/en/index.html"
    text = content / "leaflets" / "sample" / "en.md"
    try:
        wait_for(lambda: page(url))  # the first build is done
        with open_page(browser, url) as (tab, problems):
            tab.evaluate("window.notReloaded = true")
            time.sleep(1)  # the page's event stream is open
            text.write_text(text.read_text().replace("This is a sample leaflet.", "Edited while previewing."))
            edited = time.monotonic()
            tab.get_by_text("Edited while previewing.").wait_for(timeout=RELOAD_SECONDS * 1000)
            assert time.monotonic() - edited < RELOAD_SECONDS
            assert tab.evaluate("window.notReloaded") is None  # a reload, not an edit in place
            # A broken edit: the error goes to the terminal; the page stays as it was.
            tab.evaluate("window.notReloaded = true")
            text.write_text("## Broken heading without an id\n")
            wait_for(lambda: "build failed; still serving the previous site" in capsys.readouterr().err)
            time.sleep(1)
            assert tab.evaluate("window.notReloaded") is True
            assert tab.get_by_text("Edited while previewing.").is_visible()
    finally:
        stop.set()
        thread.join(timeout=30)
    # Reloading (and closing) a page ends its event stream: those aborted requests are expected.
    assert [problem for problem in problems if "/__live-reload" not in problem] == []


def test_without_a_clinic_the_screen_shows_helplines_and_print_adds_the_card_to_fill_in(browser, hosted):  # noqa: F811
    with open_page(browser, hosted + "naltrexone/en/index.html") as (tab, problems):
        help_lines, blank_card = tab.locator(".lf-help-lines"), tab.locator(".lf-contact-card")
        assert help_lines.is_visible() and not blank_card.is_visible()
        assert tab.get_by_role("link", name="999").get_attribute("href") == "tel:999"
        tab.emulate_media(media="print")
        assert blank_card.is_visible() and help_lines.is_visible()  # printed: the help lines and the card
        assert "Your clinic can write its details here." in blank_card.inner_text()
        assert "0300 123 6600" in help_lines.inner_text()
        after = tab.evaluate(
            """() => [...document.querySelectorAll('main a[href^="http"], footer a[href^="http"]')].map(
                   link => [link.href, getComputedStyle(link, '::after').content])"""
        )
        assert after and all(content == '" (" attr(href) ")"' or href in content for href, content in after), after
    assert problems == []
