"""Publishing: the pass-through folder, the fingerprinted stylesheet, the sitemap's dates, the
leaflet language pages, the home link, the language switcher, where to get help on the web, the
"Other formats" line; and ``serve`` as a static host would behave (ports, folders, bad paths).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, run_build_py
from test_site import ENDONYMS, LEAFLET_PAGES, PAGES, RTL, parse_html

from leaflets.i18n.translator import english
from leaflets.paths import TEMPLATES_DIR
from leaflets.publish.site_builder import Download
from leaflets.render.html import install_translator, make_environment
from leaflets.source.countries import load_countries

BASE_URL = "https://leaflets.example.org/"
PAGE = Path("sample") / "en" / "index.html"


def build(cli, content: Path, output: Path, *args) -> str:
    result = cli("site", "--content", content, "--output", output, *args)
    assert result.code == 0, result.err
    return result.out


def add_static(content: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = content / "static" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def site_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


# --- the pass-through folder -------------------------------------------------------------

STATIC = {
    "robots.txt": "User-agent: *\nAllow: /\n",
    "CNAME": "leaflets.example.org\n",
    ".nojekyll": "",
    "_headers": "/*\n  X-Frame-Options: DENY\n",
    "images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "assets/favicon.ico": "icon",
}


def test_static_files_are_copied_as_they_are_and_kept_across_rebuilds(cli, minimal_content, tmp_path):
    add_static(minimal_content, STATIC)
    output = tmp_path / "out"
    build(cli, minimal_content, output)
    text = minimal_content / "leaflets" / "sample" / "en.md"
    text.write_text(text.read_text().replace("This is a sample leaflet.", "Changed."))  # a real rebuild
    build(cli, minimal_content, output)
    build(cli, minimal_content, output)  # and an unchanged one
    for name, content in STATIC.items():
        assert (output / "site" / name).read_text(encoding="utf-8") == content, name
    manifest = json.loads((output / ".site-manifest.json").read_text())
    assert manifest["pages"]["static"]["files"] == sorted(STATIC)
    assert "Changed." in (output / "site" / PAGE).read_text()


def test_a_removed_static_file_leaves_the_site(cli, minimal_content, tmp_path):
    add_static(minimal_content, {"robots.txt": "x", "old.txt": "y"})
    output = tmp_path / "out"
    build(cli, minimal_content, output)
    (minimal_content / "static" / "old.txt").unlink()
    build(cli, minimal_content, output)
    assert (output / "site" / "robots.txt").exists() and not (output / "site" / "old.txt").exists()


@pytest.mark.parametrize(
    ("name", "owner", "args"),
    [
        ("index.html", "the home page", []),
        ("404.html", "the 404 page", []),
        ("sample/en/index.html", "the sample leaflet's folder", []),
        ("sample/index.html", "the sample leaflet's folder", []),
        ("sample", "the sample leaflet's folder", []),
        ("assets/leaflet.0123456789.css", "the stylesheet", []),
        ("sitemap.xml", "the sitemap", ["--base-url", BASE_URL]),
    ],
)
def test_a_static_file_that_would_overwrite_a_built_file_is_refused(cli, minimal_content, tmp_path, name, owner, args):
    output = tmp_path / "out"
    build(cli, minimal_content, output, *args)
    before = site_files(output / "site")
    add_static(minimal_content, {name: "mine"})
    result = cli("site", "--content", minimal_content, "--output", output, *args)
    assert result.code == 1
    assert result.err.strip() == (
        f"{minimal_content / 'static' / name}: would overwrite {owner}, which the build writes; rename or remove it"
    )
    assert "Traceback" not in result.err
    assert site_files(output / "site") == before


def test_without_a_base_url_a_static_sitemap_is_published(cli, minimal_content, tmp_path):
    add_static(minimal_content, {"sitemap.xml": "<urlset/>"})
    build(cli, minimal_content, tmp_path / "out")
    assert (tmp_path / "out" / "site" / "sitemap.xml").read_text() == "<urlset/>"


def test_a_static_link_that_leads_outside_is_refused(cli, minimal_content, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (minimal_content / "static").mkdir()
    (minimal_content / "static" / "robots.txt").symlink_to(secret)
    result = cli("site", "--content", minimal_content, "--output", tmp_path / "out")
    assert result.code == 1
    assert (
        f"{minimal_content / 'static' / 'robots.txt'}: symbolic link to a file outside the content folder" in result.err
    )
    assert not (tmp_path / "out" / "site").exists()


# --- the fingerprinted stylesheet ------------------------------------------------------------


def stylesheets(site: Path) -> list[str]:
    """The leaflet stylesheets in assets/ (the personalise pages' own files are beside them)."""
    return sorted(path.name for path in (site / "assets").glob("leaflet.*"))


def linked_stylesheets(site: Path) -> set[str]:
    links = set()
    for page in site.rglob("*.html"):
        hrefs = {link.attrs["href"] for link in parse_html(page).find_all("link", rel="stylesheet")}
        links |= {href for href in hrefs if "assets/leaflet." in href}
    return links


def test_stylesheet_is_named_by_its_content_and_every_page_links_it(built_site):
    [name] = stylesheets(built_site)
    digest = hashlib.sha256((built_site / "assets" / name).read_bytes()).hexdigest()[:10]
    assert name == f"leaflet.{digest}.css"
    for page in PAGES:
        links = [link.attrs["href"] for link in parse_html(built_site / page).find_all("link", rel="stylesheet")]
        if page.endswith("personalise.html"):  # the leaflet's styles, then the form's own
            assert re.fullmatch(r"\.\./\.\./assets/personalise\.[0-9a-f]{10}\.css", links.pop()), page
        if page == "404.html":
            assert links == [], "without a base URL the 404 page carries its own styles"
        else:
            assert len(links) == 1 and links[0].endswith(f"assets/{name}"), page


def test_new_styles_get_a_new_name_and_the_old_one_is_removed(cli, minimal_content, tmp_path):
    output = tmp_path / "out"
    build(cli, minimal_content, output)
    [old] = stylesheets(output / "site")
    build(cli, minimal_content, output)
    assert stylesheets(output / "site") == [old]  # the same styles keep their name
    (minimal_content / "site.yaml").write_text("fonts:\n  default: [DejaVu Sans]\n")
    build(cli, minimal_content, output)
    [new] = stylesheets(output / "site")
    assert new != old
    assert linked_stylesheets(output / "site") == {f"../../assets/{new}", f"../assets/{new}", f"assets/{new}"}


# --- the sitemap, the leaflet language pages, the home link, the switcher ---------------------


def test_sitemap_lastmod_is_each_pages_last_review(cli, minimal_content, tmp_path):
    build(cli, minimal_content, tmp_path / "out", "--base-url", BASE_URL)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(tmp_path / "out" / "site" / "sitemap.xml").getroot()
    dates = {url.find(f"{namespace}loc").text: url.find(f"{namespace}lastmod").text for url in root}
    assert dates == {BASE_URL: "2026-01-01", f"{BASE_URL}sample/": "2026-01-01", f"{BASE_URL}sample/en/": "2026-01-01",
                     f"{BASE_URL}sample/en/personalise.html": "2026-01-01"}  # fmt: skip


def test_sitemap_lastmod_follows_the_leaflet(cli, minimal_content, tmp_path):
    meta = minimal_content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text().replace("last_reviewed: 2026-01-01", "last_reviewed: 2026-02-03"))
    build(cli, minimal_content, tmp_path / "out", "--base-url", BASE_URL)
    sitemap = (tmp_path / "out" / "site" / "sitemap.xml").read_text()
    assert re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap) == ["2026-02-03"] * 4


def test_each_leaflet_folder_lists_its_languages_in_their_own_names(built_site):
    for leaflet_id in {leaflet_id for leaflet_id, _ in LEAFLET_PAGES.values()}:
        document = parse_html(built_site / leaflet_id / "index.html")
        links = [a for a in document.find_all("main")[0].find_all("a")]
        listed = {a.attrs["hreflang"]: (a.attrs["href"], a.attrs["lang"], a.attrs["dir"]) for a in links}
        languages = [lang for (other, lang) in LEAFLET_PAGES.values() if other == leaflet_id]
        assert listed == {lang: (f"{lang}/index.html", lang, "rtl" if lang in RTL else "ltr") for lang in languages}
        assert [a.text().split(":")[0] for a in links] == [ENDONYMS[lang] for lang in languages]


@pytest.mark.parametrize("page", [page for page in PAGES if page != "404.html"])
def test_every_page_has_a_header_link_to_the_home_page(built_site, page):
    [header] = parse_html(built_site / page).find_all("header", class_="lf-site-header")
    [link] = header.find_all("a")
    assert (built_site / page).parent.joinpath(link.attrs["href"]).resolve() == (built_site / "index.html").resolve()
    assert link.text()


@pytest.mark.parametrize("page", LEAFLET_PAGES)
def test_language_switcher_marks_the_current_language_and_every_direction(built_site, page):
    leaflet_id, lang = LEAFLET_PAGES[page]
    switchers = parse_html(built_site / page).find_all("nav", class_="lf-language-switcher")
    if [other for other, _ in LEAFLET_PAGES.values()].count(leaflet_id) == 1:
        assert switchers == [], "a leaflet in one language needs no switcher"
        return
    [switcher] = switchers
    current = [el for el in switcher.iter() if "aria-current" in el.attrs]
    assert [(el.tag, el.attrs["lang"], el.text()) for el in current] == [("span", lang, ENDONYMS[lang])]
    for el in [*current, *switcher.find_all("a")]:
        assert el.attrs["dir"] == ("rtl" if el.attrs["lang"] in RTL else "ltr"), el.attrs


# --- where to get help, and the other formats -----------------------------------------------


def contact_text(site: Path, page: Path = PAGE) -> str:
    """The contact section as shown on screen (the print-only card left out)."""
    [section] = [s for s in parse_html(site / page).find_all("section") if s.attrs.get("aria-labelledby") == "contact"]
    section.children = [c for c in section.children if isinstance(c, str) or c.attrs.get("class") != "lf-print-only"]
    return re.sub(r"\s+([.:,])", r"\1", section.text())  # text() puts a space between elements


def tel_links(site: Path, page: Path = PAGE) -> list[str]:
    return [a.attrs["href"] for a in parse_html(site / page).find_all("a") if a.attrs["href"].startswith("tel:")]


def test_without_a_clinic_the_web_page_shows_the_countrys_helplines(cli, minimal_content, tmp_path):
    build(cli, minimal_content, tmp_path / "out")
    text = contact_text(tmp_path / "out" / "site")
    assert "Where to get help" in text
    assert "In an emergency, call 999." in text
    assert "NHS 111, urgent medical help that is not an emergency: 111" in text
    assert "write its details" not in text
    helplines = load_countries(minimal_content)["GB"].helplines
    assert tel_links(tmp_path / "out" / "site") == ["tel:999", *(helpline.tel_uri for helpline in helplines)]
    assert all(f"{helpline.name}: {helpline.phone}" in text for helpline in helplines)


def test_the_sites_country_picks_the_numbers(cli, minimal_content, tmp_path):
    (minimal_content / "countries.yaml").write_text(
        (ROOT / "content" / "countries.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (minimal_content / "site.yaml").write_text("country: IE\n")
    build(cli, minimal_content, tmp_path / "out")
    assert "In an emergency, call 112." in contact_text(tmp_path / "out" / "site")
    assert tel_links(tmp_path / "out" / "site") == ["tel:112", "tel:1800459459"]


def test_a_site_country_without_an_emergency_number_is_refused(cli, minimal_content, tmp_path):
    (minimal_content / "site.yaml").write_text("country: NZ\n")
    result = cli("site", "--content", minimal_content, "--output", tmp_path / "out")
    assert result.code == 1
    assert f"{minimal_content / 'countries.yaml'}: no emergency number for the site's country NZ" in result.err
    assert not (tmp_path / "out" / "site").exists()


def test_with_a_default_clinic_the_web_page_shows_its_card(cli, minimal_content, tmp_path):
    (minimal_content / "clinics").mkdir()
    (minimal_content / "clinics" / "example.yaml").write_text(
        (ROOT / "content" / "clinics" / "example.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (minimal_content / "site.yaml").write_text("default_clinic: example\n")
    build(cli, minimal_content, tmp_path / "out")
    text = contact_text(tmp_path / "out" / "site")
    assert "Your clinic" in text and "Where to get help" not in text
    assert len(tel_links(tmp_path / "out" / "site")) >= 2


def test_the_printed_leaflet_keeps_lines_to_write_on(built_site):
    pdf = built_site / "naltrexone" / "en" / "naltrexone-en.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Your clinic can write its details here." in text
    assert "Where to get help" not in text


def render_other_formats(files: list[Download]) -> str:
    env = make_environment(TEMPLATES_DIR)
    install_translator(env, english())
    source = '{% from "components/other_formats/macro.html" import other_formats %}{{ other_formats({"files": f}) }}'
    return " ".join(env.from_string(source).render(f=files).split())


def test_other_formats_lists_whatever_downloads_exist_by_kind():
    standard = Download("x.pdf", "standard", "90 kB")
    large = Download("x-large-print.pdf", "large-print", "120 kB")
    braille = Download("x.brf", "standard", "30 kB", kind="braille")
    audio = Download("x.mp3", "standard", "2 MB", kind="audio")
    only_pdfs = render_other_formats([standard, large])
    assert '<strong>Other formats:</strong> <a href="x-large-print.pdf" download>Large print PDF (120 kB)</a>.' in (
        only_pdfs
    )
    assert "Braille" not in only_pdfs and "Audio" not in only_pdfs
    every = render_other_formats([standard, large, braille, audio])
    links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', every)
    assert links == [("x-large-print.pdf", "Large print PDF (120 kB)"), ("x.brf", "Braille (30 kB)"),
                     ("x.mp3", "Audio (2 MB)")]  # fmt: skip
    assert "If you need an interpreter, ask your clinic or pharmacy" in every


def test_the_web_page_says_how_to_ask_for_an_interpreter(built_site):
    [line] = parse_html(built_site / "naltrexone" / "pl" / "index.html").find_all("p", class_="lf-other-formats")
    assert "tłumacza" in line.text()
    assert [a.attrs["href"] for a in line.find_all("a")] == [
        "naltrexone-pl-large-print.pdf",
        "naltrexone-pl.brf",
        "naltrexone-pl.mp3",
    ]


# --- serve --------------------------------------------------------------------------------


def busy_port() -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder


@pytest.mark.parametrize("port", ["99999", "0", "-1", "eighty", "８０"])
def test_serve_refuses_a_bad_port_at_once(minimal_content, tmp_path, port):
    start = time.monotonic()
    result = run_build_py("serve", "--content", minimal_content, "--output", tmp_path / "out", "--port", port)
    assert result.returncode == 2
    assert f"argument --port: expected a port number from 1 to 65535, got '{port}'" in result.stderr
    assert time.monotonic() - start < 10  # no build first
    assert not (tmp_path / "out").exists()


def test_serve_names_a_port_in_use(minimal_content, tmp_path):
    with busy_port() as holder:
        port = holder.getsockname()[1]
        result = run_build_py("serve", "--content", minimal_content, "--output", tmp_path / "out", "--port", port)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"127.0.0.1:{port}: port {port} is already in use (is another preview or server running?); "
        "stop it or choose another port with --port"
    )
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """build.py serve in its own process, on a free port: (base URL, the process)."""
    folder = tmp_path_factory.mktemp("preview")
    content = folder / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", content)
    (content / "static" / "docs").mkdir(parents=True)
    (content / "static" / "docs" / "notes.txt").write_text("notes")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", content, "--output", folder / "out"]
    process = subprocess.Popen([*map(str, command), "--port", str(port)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while raw_get(url, "/sample/en/index.html")[0] != 200:
        assert time.monotonic() < deadline and process.poll() is None, "the preview did not start"
        time.sleep(0.3)
    yield url, process, folder / "out" / "site"
    process.terminate()
    process.wait(timeout=30)


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """Send a request line as given (no client-side quoting) and return (status, body)."""
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("latin-1"))
            response = b""
            while chunk := connection.recv(65536):
                response += chunk
    except OSError:
        return 0, b""
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("path", ["/docs/", "/sample/", "/assets/", "/sample/en/../../docs/"])
def test_preview_lists_no_folder(preview, path):
    url, _, _ = preview
    status, body = raw_get(url, path)
    if path == "/sample/":
        assert status == 200 and b"Sample leaflet" in body  # the leaflet's own page of languages
    else:
        assert status == 404
        assert b"Page not found" in body and b"notes.txt" not in body


@pytest.mark.parametrize("path", ["/%00", "/sample/%00/x", "/%ff", "/%", "/..%2f..%2fetc%2fpasswd", "/a\\b", "/nope/x"])
def test_preview_answers_a_bad_path_with_the_404_page(preview, path):
    url, process, _ = preview
    status, body = raw_get(url, path)
    assert status == 404
    assert b"Page not found" in body
    assert process.poll() is None
    assert raw_get(url, "/index.html")[0] == 200  # still serving


def test_preview_adds_live_reload_only_to_what_it_serves(preview):
    url, _, site = preview
    _, served = raw_get(url, "/sample/en/index.html")
    assert b"/__live-reload" in served
    built = [path for path in site.rglob("*.html") if b"__live-reload" in path.read_bytes()]
    assert built == []
    assert raw_get(url, "/docs/notes.txt") == (200, b"notes")


def test_preview_prints_no_traceback(preview):
    url, process, _ = preview
    for path in ["/%00", "/%ff", "/sample/%00"]:
        raw_get(url, path)
    process.terminate()
    process.wait(timeout=30)
    err = process.stderr.read()
    assert "Traceback" not in err, err
