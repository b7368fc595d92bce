"""Translated sites as readers get them: the page footer in each language's own words and digits,
languages withheld on their own when no installed font can show them, and loud withdrawals.

The zh-Hans fixture uses Noto Sans CJK SC (Debian: fonts-noto-cjk, in ./dev's TEST_PACKAGES);
without a font for its script, only zh-Hans is left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, fill_catalog, run_cli

ZH = "zh-Hans"
ZH_TEXT = "这是一份示例传单。"
ZH_FOOTER = "第 %(page)s 页，共 %(pages)s 页"
FONTS_WITH_CJK = "fonts:\n  default: [Noto Sans, DejaVu Sans]\n  zh-Hans: [Noto Sans CJK SC]\n"
FOOTERS = {"en": "Page {} of {}", "pl": "Strona {} z {}", "ar": "الصفحة {} من {}", ZH: "第 {} 页，共 {} 页"}


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, whitespace collapsed and pdftotext's bidi marks removed."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def set_translation(path: Path, msgid: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    pattern = re.compile(rf'(msgid "{re.escape(msgid)}"\nmsgstr )"[^\n]*"')
    assert pattern.search(content), msgid
    path.write_text(pattern.sub(lambda m: m.group(1) + f'"{text}"', content, count=1), encoding="utf-8")


def multilingual(folder: Path, fonts: str) -> Path:
    """The minimal leaflet in English, Polish and Simplified Chinese (part real Chinese, part marked English)."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    meta = content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text() + f"languages: [en, pl, {ZH}]\n")
    (content / "site.yaml").write_text(fonts)
    assert run_cli("translations", "update", "--content", content).code == 0
    for catalog in ("leaflets/sample/translations", "translations"):
        fill_catalog(content / catalog / "pl.po")
        fill_catalog(content / catalog / f"{ZH}.po", lang="zh_Hans")
    set_translation(content / "leaflets/sample/translations" / f"{ZH}.po", "This is a sample leaflet.", ZH_TEXT)
    set_translation(content / "translations" / f"{ZH}.po", "Page %(page)s of %(pages)s", ZH_FOOTER)
    return content


@pytest.fixture(scope="module")
def chinese_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("zh")
    content = multilingual(folder, FONTS_WITH_CJK)
    result = run_cli("site", "--content", content, "--output", folder / "output")
    assert result.code == 0, result.err
    return folder / "output" / "site"


@pytest.mark.parametrize("lang", ["en", "pl", "ar", ZH])
def test_page_footer_reads_right_in_each_language(built_site, chinese_site, lang):
    folder = chinese_site / "sample" / ZH if lang == ZH else built_site / "naltrexone" / lang
    [pdf] = [path for path in folder.glob("*.pdf") if "large-print" not in path.name]
    pages = pdf_pages(pdf)
    assert len(pages) >= 1
    for number in (1, len(pages)):
        expected, found = FOOTERS[lang].format(number, len(pages)), pages[number - 1]
        if lang == "ar":  # pdftotext moves the spaces around right-to-left runs; words and digits must stay in order
            expected, found = expected.replace(" ", ""), found.replace(" ", "")
        assert expected in found, found[-200:]


def test_chinese_page_shows_its_own_text_and_is_linked_by_its_own_name(chinese_site):
    page = chinese_site / "sample" / ZH / "index.html"
    assert f"<p>{ZH_TEXT}</p>" in page.read_text(encoding="utf-8")
    english = (chinese_site / "sample" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'lang="{ZH}"[^>]*>中文 \(简体\)</a>', english)
    assert ZH_TEXT in " ".join(pdf_pages(chinese_site / "sample" / ZH / f"sample-{ZH}.pdf"))


NO_FONT = (
    f"sample ({ZH}): warning: sample in '{ZH}' is not published: character '{{ch}}' (U+{{code}} {{name}}) in "
    f"language '{ZH}' is in none of the fonts tried: Noto Sans, DejaVu Sans; install the Debian package "
    "fonts-noto-cjk and add a font that has it in content/site.yaml"
)


def test_a_language_with_no_font_is_withheld_on_its_own(tmp_path):
    content = multilingual(tmp_path, "fonts:\n  default: [Noto Sans, DejaVu Sans]\n")
    output = tmp_path / "output"
    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0, result.err
    site = output / "site" / "sample"
    assert (site / "en" / "sample-en.pdf").exists() and (site / "pl" / "sample-pl.pdf").exists()
    assert not (site / ZH).exists()
    assert ZH not in (site / "en" / "index.html").read_text(encoding="utf-8")
    first = next(line for line in result.err.splitlines() if line.startswith(f"sample ({ZH}): warning"))
    ch = re.search(r"character '(.)'", first).group(1)
    import unicodedata

    assert first == NO_FONT.format(ch=ch, code=f"{ord(ch):04X}", name=unicodedata.name(ch))
    assert ch in ZH_TEXT + ZH_FOOTER
    assert f"Withheld sample/{ZH}: character '{ch}'" in result.out

    check = run_cli("check", "--content", content)
    assert check.code == 0 and first in check.err.splitlines()
    assert run_cli("check", "--strict", "--content", content).code == 1

    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    strict = run_cli("site", "--strict", "--content", content, "--output", output)
    assert strict.code == 1
    assert first.replace(": warning: ", ": error: ") in strict.err.splitlines() and "Traceback" not in strict.err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_a_language_withdrawn_since_the_previous_site_warns_loudly(tmp_path):
    content = multilingual(tmp_path, FONTS_WITH_CJK)
    output = tmp_path / "output"
    assert run_cli("site", "--content", content, "--output", output).code == 0
    assert (output / "site" / "sample" / "pl").exists()
    path = content / "leaflets/sample/translations/pl.po"
    path.write_text(path.read_text().replace('msgid "This is a warning."', '#, fuzzy\nmsgid "This is a warning."'))

    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    strict = run_cli("site", "--strict", "--content", content, "--output", output)
    assert strict.code == 1
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before

    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0
    reason = f"safety text not translated or out of date in {path}: safety: This is a warning."
    warning = f"sample/pl: warning: WITHDRAWN: was in the previous site and is now withheld, so readers and links lose it: {reason}"
    assert warning in result.err.splitlines()
    assert f"Withheld sample/pl: {reason}" in result.out.splitlines()
    assert not (output / "site" / "sample" / "pl").exists()
    again = run_cli("site", "--content", content, "--output", output)
    assert "WITHDRAWN" not in again.err  # the previous site no longer had it
    assert f"Withheld sample/pl: {reason}" in again.out.splitlines()
