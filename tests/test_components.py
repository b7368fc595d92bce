"""Components take GOV.UK-style params (text escaped or html trusted, classes, attributes, id), and
each keeps its CSS beside its macro: the bundle takes it in cascade order and a change to it
rebuilds the site."""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from markupsafe import Markup

from leaflets.i18n.translator import Translator, english
from leaflets.paths import STYLES_DIR, TEMPLATES_DIR
from leaflets.render.html import install_translator, make_environment
from leaflets.render.links import QrCode
from leaflets.render.page_context import Download, PrintRecord
from leaflets.render.stylesheet import bundle_stylesheet

ENV = make_environment(TEMPLATES_DIR)
HOSTILE = '<b>bold</b> & "quoted"'

# name -> (its own params, the class its root element always has)
COMPONENTS = {
    "notice": ({"text": "A notice"}, "lf-notice"),
    "warning_callout": ({"title": "Warning", "text": "Take care"}, "lf-callout"),
    "inset": ({"kind": "important", "title": "Note", "text": "Body"}, "lf-inset"),
    "do_dont": ({"kind": "do", "title": "", "text": "Body"}, "lf-do-dont"),
    "contact_card": ({"clinic": None, "emergency": "999", "lang": "en"}, "lf-contact-card"),
    "downloads": ({"files": [Download("x.pdf", "standard", "9 kB")]}, "lf-downloads"),
    "other_formats": ({"files": []}, "lf-other-formats"),
    "print_record": ({"record": PrintRecord("1 May 2026", "R1")}, "lf-print-record"),
    "qr_code": ({"qr": QrCode(Markup("<svg></svg>"), "https://example.org/")}, "lf-qr-code"),
    "language_list": ({"languages": [], "href_prefix": ""}, "lf-index__languages"),
}
WITH_BODY = ("notice", "warning_callout", "inset", "do_dont")


def render(name: str, params: dict) -> str:
    install_translator(ENV, english())
    source = f'{{% from "components/{name}/macro.html" import {name} %}}{{{{ {name}(params) }}}}'
    return ENV.from_string(source).render(params=params)


class _FirstTag(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        if self.attrs is None:
            self.attrs = dict(attrs)


def root(html: str) -> dict[str, str | None]:
    """The attributes of the component's root element, unescaped as a browser reads them."""
    parser = _FirstTag()
    parser.feed(html)
    return parser.attrs


@pytest.mark.parametrize("name", WITH_BODY)
def test_text_is_escaped(name):
    params, _ = COMPONENTS[name]
    html = render(name, params | {"text": HOSTILE})
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;" in html
    assert "<b>" not in html


@pytest.mark.parametrize("trusted", [Markup("<ul><li>kept</li></ul>"), "<ul><li>kept</li></ul>"], ids=["Markup", "str"])
@pytest.mark.parametrize("name", WITH_BODY)
def test_html_is_kept(name, trusted):
    params, _ = COMPONENTS[name]
    body = {key: value for key, value in params.items() if key != "text"}
    html = render(name, body | {"html": trusted})
    assert "<ul><li>kept</li></ul>" in html
    assert "Body" not in html and "A notice" not in html and "Take care" not in html


@pytest.mark.parametrize("name", COMPONENTS)
def test_classes_attributes_and_id_go_on_the_root_element(name):
    params, own_class = COMPONENTS[name]
    extra = {"classes": "lf-extra lf-more", "attributes": {"data-x": HOSTILE, "hidden": True}, "id": "the-id"}
    element = root(render(name, params | extra))
    classes = element["class"].split()
    assert own_class in classes and classes[-2:] == ["lf-extra", "lf-more"]
    assert element["data-x"] == HOSTILE  # escaped in the HTML, read back as written
    assert "hidden" in element and element["id"] == "the-id"


@pytest.mark.parametrize("name", COMPONENTS)
def test_without_them_the_root_element_is_as_before(name):
    params, own_class = COMPONENTS[name]
    html = render(name, params)
    opening = re.search(r"<[a-z]+[^>]*>", html).group(0)
    assert f'class="{own_class}' in opening
    assert "id=" not in opening and "data-" not in opening


def test_false_and_none_attributes_are_left_out():
    element = root(render("notice", {"text": "x", "attributes": {"hidden": False, "title": None, "lang": "en"}}))
    assert element == {"class": "lf-notice", "lang": "en"}


@pytest.mark.parametrize("name", ['onclick="x"', "a b", "x>", ""])
def test_an_attribute_name_that_is_not_one_is_refused(name):
    with pytest.raises(ValueError, match="is not an HTML attribute name"):
        render("notice", {"text": "x", "attributes": {name: "1"}})


# --- each component's CSS beside its macro ---------------------------------------------------


def bundled_files(css: str) -> list[str]:
    return re.findall(r"^/\* ([\w/.]+\.css) \*/$", css, re.MULTILINE)


def test_component_styles_are_bundled_between_base_and_print_by_name():
    components = sorted(path.relative_to(TEMPLATES_DIR) for path in TEMPLATES_DIR.glob("components/*/*.css"))
    assert [path.parent.name for path in components] == [path.stem for path in components]  # <name>/<name>.css
    expected = ["tokens.css", "base.css", *map(str, components), "print.css"]
    assert bundled_files(bundle_stylesheet({"default": ("Noto Sans",)})) == expected
    assert not (STYLES_DIR / "components").exists()


def test_a_changed_component_stylesheet_rebuilds_the_site(cli, minimal_content, tmp_path, monkeypatch):
    from leaflets.publish import site_stamp
    from leaflets.render import input_keys, stylesheet

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    for module in (input_keys, site_stamp, stylesheet):
        monkeypatch.setattr(module, "TEMPLATES_DIR", templates)
    output = tmp_path / "out"
    assert "1 rendered, 0 unchanged" in cli("site", "--content", minimal_content, "--output", output).out
    assert "0 rendered, 1 unchanged" in cli("site", "--content", minimal_content, "--output", output).out
    [old] = (output / "site" / "assets").glob("leaflet.*.css")
    with (templates / "components" / "contact_card" / "contact_card.css").open("a") as css:
        css.write(".lf-contact-card { outline: 2px solid; }\n")
    assert "1 rendered, 0 unchanged" in cli("site", "--content", minimal_content, "--output", output).out
    [new] = (output / "site" / "assets").glob("leaflet.*.css")
    assert new.name != old.name and ".lf-contact-card { outline: 2px solid; }" in new.read_text()


def test_markup_in_a_translated_string_is_kept_and_the_translation_escaped():
    """A value that is markup (the prescriber's words in a <bdi>) stays markup; a translator's '<' never becomes a tag."""
    catalog = Catalog(locale="ar")
    catalog.add("As prescribed: %(text)s", "<i>كما وصفه الطبيب</i>: %(text)s")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    install_translator(ENV, Translator("ar", Translations(buffer)))
    words = "One tablet <daily>"
    html = ENV.from_string(
        '{% set w %}<bdi dir="{{ words | text_direction }}">{{ words }}</bdi>{% endset %}'
        '{{ _("As prescribed: %(text)s", text=w) }}|{{ _("As prescribed: %(text)s", text=words) }}'
    ).render(words=words)
    marked, plain = html.split("|")
    assert marked == '&lt;i&gt;كما وصفه الطبيب&lt;/i&gt;: <bdi dir="ltr">One tablet &lt;daily&gt;</bdi>'
    assert plain == "&lt;i&gt;كما وصفه الطبيب&lt;/i&gt;: One tablet &lt;daily&gt;"
