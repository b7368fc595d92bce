"""Right-to-left pages isolate doses in the text only: a link's address is never rewritten."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import FIXTURES, fill_catalog, run_cli
from markupsafe import Markup

from leaflets.source.markup import isolate_ltr_runs

URL = "https://example.org/doses/50mg?strength=50mg&amp;form=tablet#take-50mg"
URL_AS_READ = "https://example.org/doses/50mg?strength=50mg&form=tablet#take-50mg"
ENGLISH = f"Ask your clinic. Read [the 50mg dose guide]({URL_AS_READ})."
ARABIC = f"اسأل عيادتك. اقرأ [دليل جرعة 50mg]({URL_AS_READ})."
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def test_only_text_is_isolated_never_an_attribute():
    html = Markup(
        '<p title="take 50mg daily">Take 50mg or 2.5 mg: '
        '<a href="https://example.org/a>50mg?dose=50mg">the 50 mg guide</a></p>'
    )
    assert isolate_ltr_runs(html) == (
        '<p title="take 50mg daily">Take <bdi dir="ltr">50mg</bdi> or <bdi dir="ltr">2.5 mg</bdi>: '
        '<a href="https://example.org/a>50mg?dose=50mg">the <bdi dir="ltr">50 mg</bdi> guide</a></p>'
    )


def test_text_already_isolated_is_left_as_it_is():
    html = Markup('<p><bdi dir="ltr">Take 50 mg</bdi> then 20 mg</p>')
    assert isolate_ltr_runs(html) == '<p><bdi dir="ltr">Take 50 mg</bdi> then <bdi dir="ltr">20 mg</bdi></p>'


class Page(HTMLParser):
    """The links of a page with the markup inside each; unclosed or stray tags are recorded as problems."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.links: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if self.open and self.open[-1] == "a" and self.links:
            self.links[-1][1].append(f"<{tag}{''.join(f' {k}={v}' for k, v in attrs)}>")
        if tag == "a":
            self.links.append((dict(attrs).get("href", ""), []))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if "a" in self.open and self.links:
            self.links[-1][1].append(f"</{tag}>")

    def handle_data(self, data):
        if "a" in self.open and self.links:
            self.links[-1][1].append(data)


def _translate(path: Path, english: str, translation: str) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    [message] = [message for message in catalog if message.id == english]
    message.string = translation
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture(scope="module")
def arabic_page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("rtl")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    sample = content / "leaflets" / "sample"
    (sample / "leaflet.yaml").write_text((sample / "leaflet.yaml").read_text() + "languages: [en, ar]\n")
    (sample / "en.md").write_text((sample / "en.md").read_text().replace("Ask your clinic.", ENGLISH))
    assert run_cli("translations", "update", "--content", content).code == 0
    fill_catalog(content / "translations" / "ar.po", lang="ar")
    fill_catalog(sample / "translations" / "ar.po", lang="ar")
    _translate(sample / "translations" / "ar.po", ENGLISH, ARABIC)
    result = run_cli("site", "--content", content, "--output", folder / "output")
    assert result.code == 0, result.err
    return (folder / "output" / "site" / "sample" / "ar" / "index.html").read_text(encoding="utf-8")


def test_an_rtl_page_keeps_the_link_address_and_isolates_the_link_text(arabic_page):
    assert 'dir="rtl"' in arabic_page
    page = Page()
    page.feed(arabic_page)
    page.close()
    assert page.problems == [] and page.open == []
    [guide] = [link for link in page.links if "example.org/doses" in link[0]]
    assert guide == (URL_AS_READ, ["دليل جرعة ", "<bdi dir=ltr>", "50mg", "</bdi>"])
    assert f'<a href="{URL}">دليل جرعة <bdi dir="ltr">50mg</bdi></a>' in arabic_page
