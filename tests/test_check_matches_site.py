"""``build.py check`` refuses each thing ``build.py site`` refuses, with the same line: "check passes" means the
site will build. One case per refusal, each a broken copy of the minimal content tree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

TEXT = "leaflets/sample/en.md"
CLINIC = (
    "name: Test Clinic\naddress: [1 Test Street, Leeds]\nphone: '+44 113 496 0000'\n"
    "urgent_phone: '+44 113 496 0999'\nopening_hours: Monday to Friday, 9am to 5pm\n"
)


def write(name: str, text: str):
    def change(content: Path) -> None:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return change


def both(*changes):
    def change(content: Path) -> None:
        for step in changes:
            step(content)

    return change


def append(name: str, text: str):
    def change(content: Path) -> None:
        path = content / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def link(name: str, target: str):
    def change(content: Path) -> None:
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, content / name)

    return change


def add_fixture(name: str):
    """A fixture tree (tests/fixtures/<name>) copied over the content: a Ukrainian leaflet and its site.yaml."""

    def change(content: Path) -> None:
        shutil.copytree(Path(__file__).parent / "fixtures" / name, content, dirs_exist_ok=True)

    return change


class Case(NamedTuple):
    id: str
    change: object
    expected: str  # part of the line both commands print; {content} is the content folder
    options: tuple[str, ...] = ()


CASES = [
    Case("default-clinic-unknown", write("site.yaml", "default_clinic: nowhere\n"),
         "{content}/clinics/nowhere.yaml: clinic 'nowhere' not found; clinics in {content}/clinics: none"),
    Case("default-clinic-bad-id", write("site.yaml", "default_clinic: Not_An_Id\n"),
         "clinic 'Not_An_Id': clinic ids use lowercase letters, digits and hyphens"),
    Case("default-clinic-broken-profile",
         both(write("site.yaml", "default_clinic: broken\n"),
              write("clinics/broken.yaml", CLINIC.replace("'+44 113 496 0000'", "'12345'"))),
         "{content}/clinics/broken.yaml:3: phone: '12345' is not a valid phone number for GB"),
    Case("default-clinic-warning-under-strict",
         both(write("site.yaml", "default_clinic: odd\n"), write("clinics/odd.yaml", CLINIC + "colour: blue\n")),
         "{content}/clinics/odd.yaml:6: error: colour: unknown field; clinic profiles use: name,", ("--strict",)),
    Case("default-clinic-country-without-emergency-number",
         both(write("site.yaml", "default_clinic: dutch\n"), write("clinics/dutch.yaml", CLINIC + "country: NL\n")),
         "{content}/countries.yaml: no emergency number for clinic dutch's country NL"),
    Case("site-country-without-emergency-number", write("site.yaml", "country: NZ\n"),
         "{content}/countries.yaml: no emergency number for the site's country NZ"),
    Case("countries-yaml-bad-number", append("countries.yaml", "NZ:\n  emergency: call us\n"),
         "{content}/countries.yaml:37: NZ.emergency: expected a number as dialled, such as \"999\""),
    Case("site-yaml-bad-value", write("site.yaml", "paper: b5\n"),
         "{content}/site.yaml:1: paper: expected one of a4, letter, a5, got 'b5'"),
    Case("site-yaml-unknown-key-under-strict", write("site.yaml", "colour: blue\n"),
         "{content}/site.yaml:1: error: colour: unknown field; known fields: fonts, base_url,", ("--strict",)),
    Case("font-not-installed", write("site.yaml", "fonts:\n  default: [Noto Sans Imaginary]\n"),
         "sample (en, standard): font(s) not installed: Noto Sans Imaginary; install them or change fonts in "
         "content/site.yaml"),
    Case("character-in-no-font",
         both(write("site.yaml", "fonts:\n  default: [DejaVu Sans]\n"),
              append(TEXT, "\nThis is a sample leaflet. 漢字\n")),
         "sample (en, standard): character '漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22) in language 'en' is in none of "
         "the fonts tried: DejaVu Sans"),
    Case("static-file-replaces-the-home-page", write("static/index.html", "<p>mine</p>\n"),
         "{content}/static/index.html: would overwrite the home page, which the build writes; rename or remove it"),
    Case("static-file-replaces-a-leaflet", write("static/sample/en/index.html", "<p>mine</p>\n"),
         "{content}/static/sample/en/index.html: would overwrite the sample leaflet's folder, which the build writes"),
    Case("static-link-leads-outside", link("static/meta.yaml", "../leaflets/sample/leaflet.yaml"),
         "{content}/static/meta.yaml: expected a file inside {content}/static; it leads elsewhere"),
    Case("braille-table-that-cannot-make-a-brf-under-strict", add_fixture("ukrainian"),  # every character is tried
         "dosetab/uk: error: no Braille version in 'uk': Braille table 'uk.utb' has no braille for 'є' (U+0454), "
         "'і' (U+0456) and 'ї' (U+0457), which a BRF (6-dot) cannot hold; set 'uk: none' under braille: in "
         "site.yaml, or choose another table (installed for uk: uk.utb (literary), uk-comp.utb (computer, 8-dot))",
         ("--strict",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_check_refuses_what_site_refuses_with_the_same_line(cli, minimal_content, tmp_path, case):
    case.change(minimal_content)
    expected = case.expected.format(content=minimal_content)
    site = cli("site", *case.options, "--content", minimal_content, "--output", tmp_path / "out")
    assert site.code == 1, site.err
    refused = [line for line in site.err.splitlines() if expected in line]
    assert refused, site.err
    assert not (tmp_path / "out" / "site").exists()
    check = cli("check", *case.options, "--content", minimal_content, "--output", tmp_path / "out")
    assert check.code == 1, check.out + check.err
    assert set(refused) <= set(check.err.splitlines()), check.err
    assert "Traceback" not in site.err + check.err


def test_check_reports_every_problem_in_one_pass(cli, minimal_content, tmp_path):
    (minimal_content / "leaflets" / "sample" / "leaflet.yaml").write_text("title: 42\n", encoding="utf-8")
    write("site.yaml", "country: NZ\npaper: b5\n")(minimal_content)
    result = cli("check", "--content", minimal_content, "--output", tmp_path / "out")
    assert result.code == 1
    assert f"{minimal_content}/leaflets/sample/leaflet.yaml:1: title: expected text, got a number 42" in result.err
    assert f"{minimal_content}/site.yaml:2: paper: expected one of a4, letter, a5, got 'b5'" in result.err


def test_check_reports_the_clinic_the_country_and_the_static_folder_together(cli, minimal_content, tmp_path):
    write("site.yaml", "default_clinic: nowhere\ncountry: NZ\n")(minimal_content)
    write("static/index.html", "<p>mine</p>\n")(minimal_content)
    lines = cli("check", "--content", minimal_content, "--output", tmp_path / "out").err.splitlines()
    assert any("clinic 'nowhere' not found" in line for line in lines), lines
    assert any("no emergency number for the site's country NZ" in line for line in lines), lines
    assert any("would overwrite the home page" in line for line in lines), lines


@pytest.mark.parametrize(
    ("command", "strict"), [("check", False), ("check", True), ("site", False), ("site", True)],
    ids=["check", "check-strict", "site", "site-strict"],
)  # fmt: skip
def test_an_unknown_key_in_site_yaml_is_a_warning_and_an_error_under_strict(
    cli, minimal_content, tmp_path, command, strict
):
    write("site.yaml", "country: GB\ncountri: IE\n")(minimal_content)
    options = ("--strict",) if strict else ()
    result = cli(command, *options, "--content", minimal_content, "--output", tmp_path / "out")
    severity = "error" if strict else "warning"  # a line that stops the build says so
    expected = f"{minimal_content}/site.yaml:2: {severity}: countri: unknown field; did you mean 'country'?"
    assert expected in result.err.splitlines()
    assert result.code == (1 if strict else 0), result.err
    assert (tmp_path / "out" / "site").exists() is (command == "site" and not strict)


FORMAT_SETTINGS = {  # site.yaml -> the warning the Braille and audio versions give
    "unknown-voice": ("voices:\n  en: zz-nosuch\n",
                      "no audio version in 'en': espeak-ng has no voice 'zz-nosuch'; set 'en: none' under voices: in "
                      "site.yaml, or choose another voice (installed for en: en-gb, en-us,"),
    "no-voice": ("voices:\n  pl: pl\n", "no audio version: 'voices' in site.yaml has no 'en'; set 'en: none'"),
    "no-table": ("braille:\n  pl: pl.tbl\n", "no Braille version: 'braille' in site.yaml has no 'en'; set 'en: none'"),
    "8-dot-table": ("braille:\n  en: en-gb-comp8.ctb\n",
                    "no Braille version in 'en': Braille table 'en-gb-comp8.ctb' writes 'A' (U+0041), 'C' (U+0043),"),
    "missing-table": ("braille:\n  en: no-such-table.ctb\n",
                      "Braille table 'no-such-table.ctb' is not installed (no such file in /usr/share/liblouis/tables;"),
}  # fmt: skip


@pytest.mark.parametrize("name", FORMAT_SETTINGS)
def test_check_warns_of_a_braille_table_or_voice_as_site_does(cli, minimal_content, tmp_path, name):
    settings, warning = FORMAT_SETTINGS[name]
    (minimal_content / "site.yaml").write_text(settings, encoding="utf-8")
    check = cli("check", "--content", minimal_content, "--output", tmp_path / "out")
    assert check.code == 0, check.err
    [line] = [line for line in check.err.splitlines() if warning in line]
    assert line.startswith("sample/en: warning: ")
    site = cli("site", "--content", minimal_content, "--output", tmp_path / "out")
    assert site.code == 0 and [line] == [w for w in site.err.splitlines() if warning in w], site.err  # said once
    refusal = line.replace("sample/en: warning: ", "sample/en: error: ")
    site = cli("site", "--strict", "--content", minimal_content, "--output", tmp_path / "strict")
    assert site.code == 1 and refusal in site.err.splitlines(), site.err
    assert not (tmp_path / "strict" / "site").exists()
    strict = cli("check", "--strict", "--content", minimal_content, "--output", tmp_path / "strict")
    assert strict.code == 1 and refusal in strict.err.splitlines(), strict.err
