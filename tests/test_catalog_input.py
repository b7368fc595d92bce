"""Hostile and broken catalogs: refused with one clear line, exit 1, no traceback, previous output intact.

Every case starts from the same previous output (the minimal leaflet built in English and Polish,
its Polish catalog holding real Polish text and doses), breaks one catalog and runs ``site``:

- charsets: an unknown one, bytes not in the declared one, UTF-8 declared as a legacy charset,
  text garbled by an earlier wrong decoding;
- the Plural-Forms rule: division by zero, unbalanced brackets, forms out of range, nplurals
  other than CLDR's;
- syntax and format: an unclosed string, a stray line, a bare '%' in a template msgstr, the wrong
  number of plural forms (each reported at its own line);
- numbers in translations: a changed unit, reordered doses, digits of two numbering systems ("5٠") or
  digits not usual for the language in a safety segment withhold the language (an error under
  --strict). A translator's ``# numbers-differ:`` note cannot accept a number change in a safety
  section: only the clinical owner's sign-off in leaflet.yaml (``number_changes``) can, with a warning;
- markup: a link the English does not have, or unbalanced ``**`` emphasis, counts as changed.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, fill_catalog, run_cli
from test_hostile_input import replace, replace_bytes

from leaflets.i18n.plural_rule import PluralRuleError, parse_plural_forms
from leaflets.i18n.translation_checks import number_units

PO = "leaflets/sample/translations/pl.po"
TPO = "translations/pl.po"
TEXT = "leaflets/sample/en.md"
META = "leaflets/sample/leaflet.yaml"
DOSES_EN = "Take 100 mg, then 100 mg, then 150 mg."
LIMIT_EN = "Never take more than 150 mg in one day."
POLISH = {  # real Polish, with letters outside ASCII
    "Ask your clinic.": "Zapytaj swoją poradnię.",
    DOSES_EN: "Przyjmij 100 mg, potem 100 mg, a potem 150 mg.",
    LIMIT_EN: "Nigdy nie przyjmuj więcej niż 150 mg w ciągu jednego dnia.",
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Path]:
    """(content, output): the minimal leaflet with doses in its safety section, built in English and Polish."""
    folder = tmp_path_factory.mktemp("catalog-baseline")
    content, output = folder / "content", folder / "output"
    shutil.copytree(FIXTURES / "minimal", content)
    meta = content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_text(meta.read_text() + "languages: [en, pl]\n")
    text = content / TEXT
    text.write_text(text.read_text().replace("    This is a warning.", f"    {DOSES_EN}\n\n{LIMIT_EN}"))
    assert run_cli("translations", "update", "--content", content).code == 0
    fill_catalog(content / PO)
    fill_catalog(content / TPO)
    path = content / PO
    for english, polish in POLISH.items():
        path.write_text(path.read_text(encoding="utf-8").replace(f"[pl] {english}", polish), encoding="utf-8")
    result = run_cli("site", "--strict", "--content", content, "--output", output)
    assert result.code == 0, result.err
    assert (output / "site" / "sample" / "pl" / "index.html").exists()
    return content, output


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


# --- edits ------------------------------------------------------------------------------------------


def set_header(relative: str, name: str, value: str) -> Callable[[Path], None]:
    """Replace one header field, however it was wrapped, by a single line."""

    def edit(content: Path) -> None:
        path = content / relative
        lines = path.read_text(encoding="utf-8").split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith(f'"{name}:'))
        end = next(i for i in range(start, len(lines)) if lines[i].endswith('\\n"'))
        lines[start : end + 1] = [f'"{name}: {value}\\n"']
        path.write_text("\n".join(lines), encoding="utf-8")

    return edit


def charset(relative: str, name: str) -> Callable[[Path], None]:
    return replace(relative, "charset=utf-8", f"charset={name}")


def append(relative: str, text: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        for one in edits:
            one(content)

    return edit


# --- the cases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], None]
    expected: tuple[str, ...]  # whole lines of stderr; {po}, {tpo} and {line:po:TEXT} are filled in
    args: tuple[str, ...] = ("site",)
    code: int = 1
    published: bool = True  # Polish still in the (unchanged) site afterwards


GARBLED = "więcej".encode().decode("cp1250")  # what a reader would see: 'wiÄ™cej'
DOUBLE = "Zapytaj swoją poradnię.".encode().decode("cp1252", errors="replace")
NOT_FORMAT = "a '%' that is not a placeholder ('{}'); write '%%' for a percent sign, or %(name)s"
PL_RULE = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
NOT_PUBLISHED = "{po}: warning: sample in 'pl' is not published: safety text not translated or out of date in {po}: "
WITHHELD = NOT_PUBLISHED.replace(": warning: ", ": error: ")  # under --strict it stops the build
STRICT = ("site", "--strict")
HINT = "counts as not translated; if this is deliberate, add a comment '# numbers-differ: <reason>'"
NOTED = both(replace(PO, "więcej niż 150 mg w ciągu jednego dnia", "więcej niż 150 mg w ciągu 1 dnia"),
             replace(PO, 'msgctxt "safety"\nmsgid "Never take',
                     '# numbers-differ: "jednego" written as a digit\nmsgctxt "safety"\nmsgid "Never take'))  # fmt: skip
SIGNED_OFF = ("number_changes:\n  - lang: pl\n    segment: Never take more than 150 mg\n"
              "    approved_by: Dr A. Example, clinical owner, 2026-12-01\n")  # fmt: skip

CASES = [
    # -- charsets -----------------------------------------------------------------------------------
    Case("charset-utf8-declared-cp1250", charset(PO, "cp1250"),
         ("{po}:{line:po:więcej}: the header says charset=cp1250 but the text is UTF-8; it would be shown garbled "
          f"('{GARBLED}'); set charset=UTF-8",)),
    Case("charset-utf8-declared-iso-8859-2", charset(PO, "ISO-8859-2"),
         ("{po}:{line:po:więcej}: the header says charset=ISO-8859-2 but the text is UTF-8; it would be shown "
          f"garbled ('{'więcej'.encode().decode('iso-8859-2')}'); set charset=UTF-8",)),
    Case("charset-unknown", charset(PO, "klingon-8"),
         ("{po}:{line:po:charset=}: Content-Type: unknown charset 'klingon-8'; use charset=UTF-8",)),
    Case("charset-bytes-not-utf8", replace_bytes(PO, "swoją".encode(), b"swoj\xb9"),
         ("{po}:{line:po:Zapytaj}: bytes are not valid utf-8 (byte 0xb9); save the file as UTF-8 with charset=UTF-8",)),
    Case("charset-double-encoded", replace(PO, "Zapytaj swoją poradnię.", DOUBLE),
         ("{po}:{line:po:Zapytaj}: garbled text ('swojÄ…'): UTF-8 that was read as cp1252 and saved again; "
          "restore the file from the translator's original",)),
    # -- the plural rule ----------------------------------------------------------------------------
    Case("plural-modulo-zero", set_header(TPO, "Plural-Forms", "nplurals=3; plural=(n%0);"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: plural=(n%0) divides by zero (n=0)",)),
    Case("plural-unbalanced", set_header(TPO, "Plural-Forms", "nplurals=3; plural=(n==1 ? 0 : (n%10>=2 ? 1 : 2);"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: plural=(n==1 ? 0 : (n%10>=2 ? 1 : 2): unbalanced parentheses",)),
    Case("plural-out-of-range", set_header(TPO, "Plural-Forms", "nplurals=3; plural=n;"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: plural=n gives form 3 for n=3; nplurals=3",)),
    Case("plural-not-cldr", set_header(TPO, "Plural-Forms", "nplurals=2; plural=(n != 1);"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: nplurals=2, but CLDR gives 'pl' 3 plural form(s); "
          f"use: {PL_RULE}",)),
    Case("plural-garbage", set_header(TPO, "Plural-Forms", "nplurals=three; plural=x;"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: expected 'nplurals=N; plural=EXPRESSION;', "
          "got 'nplurals=three; plural=x;'",)),
    Case("plural-unknown-name", set_header(TPO, "Plural-Forms", "nplurals=3; plural=m;"),
         ("{tpo}:{line:tpo:Plural-Forms}: Plural-Forms: plural=m: unexpected 'm'",)),
    # -- syntax and format --------------------------------------------------------------------------
    Case("syntax-unclosed-string", replace(PO, 'msgstr "Zapytaj swoją poradnię."', 'msgstr "Zapytaj swoją poradnię.'),
         ("{po}:{line:po:Zapytaj}: invalid PO file: a string is not closed (end-of-line within string)",)),
    Case("syntax-stray-line", replace(PO, 'msgstr "Zapytaj swoją poradnię."', 'msgstr "Zapytaj swoją poradnię."\nstray'),
         ("{po}:{line:po:stray}: invalid PO file: expected a keyword and a quoted string, got 'stray'",)),
    Case("format-bare-percent", replace(TPO, 'msgstr "[pl] Version %(version)s"', 'msgstr "[pl] Version %(version)s, 100%"'),
         ("{tpo}:{line:tpo:s, 100%}: msgstr: " + NOT_FORMAT.format("(version)s, 100%"),)),
    Case("format-bad-conversion", replace(TPO, 'msgstr "[pl] Version %(version)s"', 'msgstr "[pl] Version %(version), x"'),
         ("{tpo}:{line:tpo:%(version), x}: msgstr: " + NOT_FORMAT.format("[pl] Version %(version), x"),)),
    Case("format-plural-forms-too-many",
         replace(TPO, 'msgstr[2] "[pl] %(count)s tablets"\n', 'msgstr[2] "[pl] %(count)s tablets"\nmsgstr[3] "x"\n'),
         ("{tpo}:{line:tpo:msgstr[3]}: msgstr[3]: this catalog has 3 plural forms, msgstr[0] to msgstr[2]",)),
    # -- numbers and units --------------------------------------------------------------------------
    Case("numbers-unit-changed", replace(PO, "więcej niż 150 mg", "więcej niż 150 g"), args=STRICT,
         expected=("{po}:{line:po:150 g}: error: numbers and units differ from the English (150 mg; translation: "
                   "150 g): " + HINT, WITHHELD + "safety: " + LIMIT_EN)),
    Case("numbers-doses-reordered", replace(PO, "Przyjmij 100 mg, potem 100 mg, a potem 150 mg.",
                                            "Przyjmij 150 mg, potem 100 mg, a potem 100 mg."), args=STRICT,
         expected=("{po}:{line:po:Przyjmij 150}: error: numbers and units differ from the English (100 mg, 100 mg, "
          "150 mg; translation: 150 mg, 100 mg, 100 mg): " + HINT, WITHHELD + "safety: " + DOSES_EN)),
    Case("numbers-dose-dropped", replace(PO, ", a potem 150 mg.", "."), args=STRICT,
         expected=("{po}:{line:po:Przyjmij 100}: error: numbers and units differ from the English (100 mg, 100 mg, "
          "150 mg; translation: 100 mg, 100 mg): " + HINT, WITHHELD + "safety: " + DOSES_EN)),
    Case("numbers-noted-difference-in-safety-refused", NOTED, args=STRICT,
         expected=("{po}:{line:po:ciągu 1 dnia}: error: numbers differ from the English (150 mg; translation: 150 mg, "
                   "1) in a safety section: a translator's note cannot accept that; the clinical owner's sign-off "
                   "goes in leaflet.yaml under number_changes (lang, segment, approved_by)",
                   WITHHELD + "safety: " + LIMIT_EN)),
    Case("numbers-signed-off-difference-warns", both(NOTED, append(META, SIGNED_OFF)), args=STRICT,
         expected=("{po}:{line:po:ciągu 1 dnia}: error: numbers differ from the English (150 mg; translation: 150 mg, "
                   "1); accepted: approved by Dr A. Example, clinical owner, 2026-12-01 (number_changes in "
                   "leaflet.yaml)",)),
    Case("numbers-mixed-digits", replace(PO, "więcej niż 150 mg", "więcej niż 15\u0660 mg"), args=STRICT,
         expected=("{po}:{line:po:15\u0660 mg}: error: the number '15\u0660' mixes digits of two numbering systems; "
                   "write it in one: counts as not translated", WITHHELD + "safety: " + LIMIT_EN)),
    Case("numbers-digits-not-usual", replace(PO, "więcej niż 150 mg", "więcej niż \u0661\u0665\u0660 mg"), args=STRICT,
         expected=("{po}:{line:po:\u0661\u0665\u0660 mg}: error: the number '\u0661\u0665\u0660' is written in digits "
                   "not usual for 'pl'; use the usual digits: counts as not translated",
                   WITHHELD + "safety: " + LIMIT_EN)),
    Case("markup-link-added", replace(PO, "więcej niż 150 mg", "więcej niż 150 mg ([zobacz](https://evil.example/))"),
         args=STRICT,
         expected=("{po}:{line:po:evil.example}: error: its links are not the English ones (adds "
                   "https://evil.example/); keep the English links, no more and no fewer: counts as not translated",
                   WITHHELD + "safety: " + LIMIT_EN)),
    Case("markup-emphasis-unbalanced", replace(PO, "Nigdy nie przyjmuj", "**Nigdy nie przyjmuj"), args=STRICT,
         expected=("{po}:{line:po:**Nigdy}: error: its '**' emphasis markers do not balance (one is never closed); "
                   "close each one: counts as not translated", WITHHELD + "safety: " + LIMIT_EN)),
]  # fmt: skip


def fill(text: str, content: Path) -> str:
    def line(match: re.Match) -> str:
        path = content / (PO if match.group(1) == "po" else TPO)
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        return str(next(n for n, text in enumerate(lines, 1) if match.group(2) in text))

    text = re.sub(r"\{line:(po|tpo):([^}]*)\}", line, text)
    return text.replace("{po}", str(content / PO)).replace("{tpo}", str(content / TPO))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_catalog_is_refused_and_changes_nothing(baseline, tmp_path, case):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(baseline[0], content)
    shutil.copytree(baseline[1], output)
    before = snapshot(output)
    case.edit(content)
    result = run_cli(*case.args, "--content", content, "--output", output)
    lines = result.err.splitlines()
    for expected in case.expected:
        assert fill(expected, content) in lines, result.err
    assert result.code == case.code
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot(output) == before


def test_a_signed_off_number_change_is_published_with_a_warning(baseline, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(baseline[0], content)
    next(case for case in CASES if case.id == "numbers-signed-off-difference-warns").edit(content)
    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0, result.err
    assert "accepted: approved by Dr A. Example" in result.err
    html = (output / "site" / "sample" / "pl" / "index.html").read_text(encoding="utf-8")
    assert "Nigdy nie przyjmuj więcej niż 150\u00a0mg w ciągu 1 dnia." in html  # a no-break space joins 150 and mg


def test_changed_unit_keeps_the_language_out_of_the_site(baseline, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(baseline[0], content)
    replace(PO, "więcej niż 150 mg", "więcej niż 150 g")(content)
    result = run_cli("site", "--content", content, "--output", output)
    assert result.code == 0
    assert not (output / "site" / "sample" / "pl").exists()
    assert (output / "site" / "sample" / "en" / "index.html").exists()


# --- the pieces on their own ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Take 150 mg.", "en", [(150, "mass-milligram")]),
        ("Przyjmij 150 mg.", "pl", [(150, "mass-milligram")]),
        ("Приймайте 150 мг.", "uk", [(150, "mass-milligram")]),
        ("تناول ١٥٠ مغم.", "ar", [(150, "mass-milligram")]),
        ("Take 150 g.", "en", [(150, "mass-gram")]),
        ("Take 5 ml, 2 times", "en", [(5, "volume-milliliter"), (2, "")]),
        ("每天 50 毫克", "zh-Hans", [(50, "mass-milligram")]),
        ("Call 0113 496 0000", "en", [(113, ""), (496, ""), (0, "")]),
    ],
    ids=["en", "pl", "uk-cyrillic-unit", "ar-digits-and-unit", "gram", "ml-and-bare", "zh-hans", "phone"],
)
def test_numbers_are_read_with_their_units_in_order(text, lang, expected):
    assert number_units(text, lang) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nplurals=2; plural=(n%0);", "plural=(n%0) divides by zero (n=0)"),
        ("nplurals=2; plural=(n/(n-1));", "plural=(n/(n-1)) divides by zero (n=1)"),
        ("nplurals=2; plural=((n != 1);", "plural=((n != 1): unbalanced parentheses"),
        ("nplurals=2; plural=(n != 1));", "plural=(n != 1)): unbalanced parentheses"),
        ("nplurals=2; plural=n ? : 1;", "plural=n ? : 1: unexpected ':'"),
        ("nplurals=2; plural=__import__('os');", "plural=__import__('os'): unexpected '__import__'"),
        ("nplurals=9; plural=0;", "nplurals=9: expected a number from 1 to 6"),
    ],
    ids=["modulo-zero", "division-by-zero-at-one", "open", "close", "ternary", "python", "too-many"],
)
def test_unusable_plural_rules_are_refused(value, message):
    with pytest.raises(PluralRuleError) as caught:
        parse_plural_forms(value)
    assert str(caught.value) == message


def test_cldr_plural_rules_parse_and_agree_with_gettext():
    import gettext

    for value in (
        PL_RULE,
        "nplurals=1; plural=0;",
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    ):
        nplurals, rule = parse_plural_forms(value)
        reference = gettext.c2py(value.split("plural=")[1].rstrip(";"))
        assert [rule(n) for n in range(300)] == [reference(n) for n in range(300)]
