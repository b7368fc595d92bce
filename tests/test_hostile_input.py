"""Hostile and broken input: refused with a message, exit 1, no traceback, and nothing written.

Every case starts from the same previous output (a built site in English and Polish, and one
personalised PDF), runs one hostile ``site``, ``print`` or ``batch`` and then checks that the
output folder is byte for byte what it was, with no new files. Most cases run the command line
in-process; a few run ``build.py`` in a fresh interpreter, as a user would.

Also here: the rendering sandbox (WeasyPrint fetches nothing outside the project) and content
that looks like template syntax or HTML, which must come out as the text it is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, fill_catalog, run_build_py, run_cli

from leaflets.errors import BuildError
from leaflets.render.pdf import PdfRenderer
from leaflets.source.regimen import EXAMPLES
from leaflets.source.site_config import SiteConfig

LEAFLET = "leaflets/sample/leaflet.yaml"
TEXT = "leaflets/sample/en.md"
PO = "leaflets/sample/translations/pl.po"
CLINIC = "clinics/example.yaml"
CSV_HEADER = "ref,leaflet,lang,clinic,regimen,name"
TEMPLATE_SYNTAX = "Template text {{ 7*7 }}, {% raw %} and {# note #} stays as written."
SUMMARY = 'A small leaflet for tests & "checks".'
PRINT = ("print", "--leaflet", "sample", "--lang", "en", "--clinic", "example")


# --- the previous output ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Path]:
    """(content, output): the minimal leaflet in English and Polish, a clinic, a built site and one print."""
    folder = tmp_path_factory.mktemp("baseline")
    content, output = folder / "content", folder / "output"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "clinics").mkdir()
    shutil.copy(ROOT / "content" / CLINIC, content / CLINIC)
    meta = content / LEAFLET
    meta.write_text(
        meta.read_text().replace("A small valid leaflet for tests.", SUMMARY) + "languages: [en, pl]\n",
    )
    text = content / TEXT
    text.write_text(
        text.read_text().replace("This is a sample leaflet.\n", f"This is a sample leaflet.\n\n{TEMPLATE_SYNTAX}\n")
    )
    assert run_cli("translations", "update", "--content", content)[0] == 0
    fill_catalog(content / PO)
    fill_catalog(content / "translations" / "pl.po")
    code, _out, err = run_cli("site", "--content", content, "--output", output)
    assert code == 0, err
    code, _out, err = run_cli(*PRINT, "--regimen", "daily:50", "--content", content, "--output", output)
    assert code == 0, err
    assert len(list((output / "print").iterdir())) == 1
    return content, output


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file and folder under ``folder``: its mode and, for files, its bytes."""
    return {
        str(path.relative_to(folder)): (path.stat().st_mode, path.read_bytes() if path.is_file() else None)
        for path in sorted(folder.rglob("*"))
    }


# --- the cases ------------------------------------------------------------------------------------


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} does not contain {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        (content / relative).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return edit


def csv_rows(*rows: str) -> Callable[[Path], None]:
    """A batch CSV beside the content folder (outside the output), every row of it bad."""
    return write("../batch.csv", "\n".join([CSV_HEADER, *rows]) + "\n")


def replace_bytes(relative: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / relative
        data = path.read_bytes()
        assert old in data, f"{relative} does not contain {old!r}"
        path.write_bytes(data.replace(old, new, 1))

    return edit


def make_folder(relative: str) -> Callable[[Path], None]:
    return lambda content: (content / relative).mkdir()


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], None] | None
    args: tuple[str, ...]
    expected: str  # one whole line of stderr; {content} and {csv} are filled in
    fresh_process: bool = False
    varies_after: str = ""  # the line is expected + text that depends on the machine


BILLION_LAUGHS = 'lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{n}: &{chr(97 + n)} [{', '.join([f'*{chr(96 + n)}'] * 9)}]\n" for n in range(1, 9)
)
BAD_REGIMEN_SPECS = [
    ("daily:30", "30 mg: naltrexone comes as 50 mg scored tablets that can be halved; each dose must be a whole number of half tablets (25, 50, 75, ... mg)"),
    ("daily:200", "200 mg a day is more than 150 mg in one day"),
    ("twice-daily:100", "200 mg a day (twice 100 mg) is more than 150 mg in one day"),
    ("mon:100,wed:100,fri:200", "200 mg on Friday is more than 150 mg in one day"),
    ("daily:-50", "-50 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
    ("daily:0", "0 mg is not a dose; each dose must be more than 0 mg, e.g. 50"),
    ("daily:50,mon:50", "'daily' cannot be combined with other kinds of entry; write 'daily:<mg>' alone, or only times of day, or only day:mg pairs"),
    ("mon:100,mon:100,fri:150", "Monday is listed twice; give each day once"),
    ("mon:100,wen:100,fri:150", "unknown day 'wen'; use mon, tue, wed, thu, fri, sat or sun"),
    ("daily:1e2", "expected a number of mg, got '1e2'"),
    ("mon100", "'mon100' has no ':'; write each entry as day:mg, e.g. 'mon:100' or 'daily:50'"),
    ("  ", f"no schedule given; write e.g. {EXAMPLES}"),
    ("daily:150", "1050 mg a week is more than the 350 mg a week that naltrexone allows"),
]  # fmt: skip
STANDARD_ONLY = (
    "this is not one of the standard schedules for naltrexone (daily:50; twice-daily:25; mon:100,wed:100,fri:150); "
    "check the prescription and add --confirm-unusual-dose if it is right"
)
RAW_HTML = "raw HTML is not allowed ('{}'); write plain Markdown"
NOT_A_LINK = "link '{}' must start with https://, mailto: or tel:"

CASES = [
    # -- YAML: malformed, wrong types, tricks -------------------------------------------------------
    Case("yaml-malformed", replace(LEAFLET, "title: Sample leaflet", "title: [unclosed"), ("site",),
         "{content}/" + LEAFLET + ":2: invalid YAML: expected ',' or ']', but got ':'"),
    Case("yaml-number-for-text", replace(LEAFLET, "title: Sample leaflet", "title: 42"), ("site",),
         "{content}/" + LEAFLET + ":1: title: expected text, got a number 42"),
    Case("yaml-text-for-list", replace(LEAFLET, "safety_sections: [safety]", "safety_sections: safety"), ("site",),
         "{content}/" + LEAFLET + ":13: safety_sections: expected a list of section ids such as [safety], got 'safety'"),
    Case("yaml-duplicate-key", replace(LEAFLET, "title: Sample leaflet", "title: Sample leaflet\ntitle: Again"),
         ("site",), "{content}/" + LEAFLET + ":2: invalid YAML: duplicate key 'title' (first on line 1)"),
    Case("yaml-billion-laughs", write(LEAFLET, BILLION_LAUGHS), ("site",),
         "{content}/" + LEAFLET + ":2: invalid YAML: aliases (*name) are not allowed; write the value out",
         fresh_process=True),
    Case("yaml-python-tag",
         replace(LEAFLET, "title: Sample leaflet", "title: !!python/object/apply:os.system ['touch {content}/../output/pwned']"),
         ("site",), "{content}/" + LEAFLET + ":1: invalid YAML: tag 'tag:yaml.org,2002:python/object/apply:os.system' "
         "is not allowed; use plain values", fresh_process=True),
    Case("yaml-deep-nesting", write(LEAFLET, "title: " + "[" * 400 + "]" * 400 + "\n"), ("site",),
         "{content}/" + LEAFLET + ":1: invalid YAML: nested more than 20 levels deep; check the brackets and indentation"),
    Case("yaml-impossible-date", replace(LEAFLET, "next_review: 2099-01-01", "next_review: 2027-02-30"), ("site",),
         "{content}/" + LEAFLET + ":7: next_review: expected a date (YYYY-MM-DD), got '2027-02-30'"),
    Case("yaml-bidi-override-in-title", replace(LEAFLET, "title: Sample leaflet", 'title: "Take \\u202e051\\u202c mg"'),
         ("site",), "{content}/" + LEAFLET + ":1: title: text contains control characters; remove them"),
    Case("yaml-markup-in-summary", replace(LEAFLET, SUMMARY, "<script>alert(1)</script>"), ("site",),
         "{content}/" + LEAFLET + ":2: summary: must be plain text; remove '<' and '>'"),
    Case("yaml-http-source", replace(LEAFLET, "url: https://example.org/source", "url: http://example.org/source"),
         ("site",), "{content}/" + LEAFLET + ":10: sources: source 1: expected a web address starting with "
         "https://, got 'http://example.org/source'"),
    Case("yaml-language-path", replace(LEAFLET, "languages: [en, pl]", "languages: [en, ../../etc]"), ("site",),
         "{content}/" + LEAFLET + ":25: languages: expected a BCP 47 language tag such as 'en' or 'pt-BR', "
         "got '../../etc'"),
    Case("site-yaml-javascript-url", write("site.yaml", "base_url: javascript:alert(1)\n"), ("site",),
         "{content}/site.yaml:1: base_url: expected a web address starting with https://, got 'javascript:alert(1)'"),
    Case("base-url-http", None, ("site", "--base-url", "http://example.org/"),
         "--base-url: expected a web address starting with https://, got 'http://example.org/'"),
    # -- files: encodings, empty, too big, odd folder names ----------------------------------------
    Case("file-not-utf8", replace_bytes(TEXT, b"This is a sample leaflet.", b"Caf\xe9."), ("site",),
         "{content}/" + TEXT + ":3: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    Case("file-utf16", write(LEAFLET, "title: Sample leaflet\n".encode("utf-16")), ("site",),
         "{content}/" + LEAFLET + ":1: not UTF-8 text (byte 0xff); save the file as UTF-8"),
    Case("file-empty-yaml", write(LEAFLET, b""), ("site",), "{content}/" + LEAFLET + ": file is empty"),
    Case("file-blank-markdown", write(TEXT, " \n\n\t\n"), ("site",), "{content}/" + TEXT + ": file is empty"),
    Case("file-too-large", write(TEXT, "## About {#about}\n\n" + "word " * 220_000), ("site",),
         "{content}/" + TEXT + ": file is 1100019 bytes; the limit is 131072 bytes"),
    Case("folder-dot-dot", make_folder("leaflets/..evil"), ("site",),
         "{content}/leaflets/..evil: leaflet folder names use lowercase letters, digits and hyphens"),
    # -- Markdown: raw HTML, scripts, images, links, invisible characters ---------------------------
    Case("md-script", replace(TEXT, "This is a sample leaflet.", "<script>alert(1)</script>"), ("site",),
         "{content}/" + TEXT + ":3: " + RAW_HTML.format("<script>alert(1)</script>")),
    Case("md-iframe", replace(TEXT, "This is a sample leaflet.", '<iframe src="https://example.org"></iframe>'),
         ("site",), "{content}/" + TEXT + ":3: " + RAW_HTML.format('<iframe src="https://example.org"></ifra')),
    Case("md-event-handler", replace(TEXT, "This is a sample leaflet.", 'Click <span onclick="x()">here</span>.'),
         ("site",), "{content}/" + TEXT + ":3: " + RAW_HTML.format('<span onclick="x()">')),
    Case("md-img-file-url", replace(TEXT, "This is a sample leaflet.", '<img src="file:///etc/passwd">'), ("site",),
         "{content}/" + TEXT + ":3: " + RAW_HTML.format('<img src="file:///etc/passwd">')),
    Case("md-image-file-url", replace(TEXT, "This is a sample leaflet.", "![map](file:///etc/passwd)"), ("site",),
         "{content}/" + TEXT + ":3: images are not supported in leaflet text"),
    Case("md-http-link", replace(TEXT, "This is a sample leaflet.", "See [this](http://example.org)."), ("site",),
         "{content}/" + TEXT + ":3: " + NOT_A_LINK.format("http://example.org")),
    Case("md-javascript-link", replace(TEXT, "This is a sample leaflet.", "[Click](javascript:alert(1))"), ("site",),
         "{content}/" + TEXT + ":3: " + NOT_A_LINK.format("javascript:alert(1)")),
    Case("md-bidi-override", replace(TEXT, "This is a sample leaflet.", "Take \u202e051\u202c mg."), ("site",),
         "{content}/" + TEXT + ":3: bidirectional override U+202E (RIGHT-TO-LEFT OVERRIDE) can make the text "
         "display differently from what it says; remove it"),
    Case("md-control-character", replace(TEXT, "This is a sample leaflet.", "Stop\x1b[8m hidden"), ("site",),
         "{content}/" + TEXT + ":3: control character U+001B is not allowed; remove it"),
    Case("md-text-underlined-as-heading",  # once an IndexError with a traceback
         replace(TEXT, "This is a sample leaflet.", "This is a sample leaflet.\n---"), ("site",),
         "{content}/" + TEXT + ":3: section heading needs a stable id such as '## Side effects {#side-effects}' "
         "(lowercase letters, digits, hyphens); found none"),
    # -- PO translations -----------------------------------------------------------------------------
    Case("po-script", replace(PO, 'msgstr "[pl] This is a sample leaflet."', 'msgstr "<script>alert()</script>"'),
         ("site",), "{content}/" + PO + ":{po-line:<script>}: " + RAW_HTML.format("<script>alert()</script>")),
    Case("po-event-handler",
         replace(PO, 'msgstr "[pl] This is a sample leaflet."', 'msgstr "<img src=x onerror=alert()>"'),
         ("site",), "{content}/" + PO + ":{po-line:<img src}: " + RAW_HTML.format("<img src=x onerror=alert()>")),
    Case("po-javascript-link",
         replace(PO, 'msgstr "[pl] This is a sample leaflet."', 'msgstr "[Kliknij](javascript:alert())"'),
         ("site",), "{content}/" + PO + ":{po-line:[Kliknij]}: " + NOT_A_LINK.format("javascript:alert()")),
    Case("po-bidi-override", replace(PO, 'msgstr "[pl] Ask your clinic."', 'msgstr "[pl] \u202eAsk\u202c"'),
         ("site",), "{content}/" + PO + ":{po-line:\u202eAsk}: bidirectional override U+202E "
         "(RIGHT-TO-LEFT OVERRIDE) can make the text display differently from what it says; remove it"),
    Case("po-broken", write(PO, 'msgid "x"\nmsgstr "y"\nthis is not PO\n'), ("site",),
         "{content}/" + PO + ":3: invalid PO file: expected a keyword and a quoted string, got 'this is not PO'"),
    Case("po-glyph-missing-fails-midway",  # a language no font can show is withheld; under --strict, an error
         replace(PO, 'msgstr "[pl] This is a sample leaflet."', 'msgstr "[pl] \ue000"'), ("site", "--strict"),
         "sample (pl): error: sample in 'pl' is not published: character '\ue000' (U+E000 unnamed) in language "
         "'pl' is in none of the fonts tried: Noto Sans, DejaVu Sans; add a font that has it in content/site.yaml"),
    # -- print: paths, clinic fields, names, dates, doses ---------------------------------------------
    Case("print-clinic-path-traversal", None, (*PRINT[:-1], "../../../etc/passwd", "--regimen", "daily:50"),
         "../../../etc/passwd: a clinic profile is a .yaml file; give its path or a clinic id",
         fresh_process=True),
    Case("print-lang-path-traversal", None,
         ("print", "--leaflet", "sample", "--lang", "../../etc", "--clinic", "example", "--regimen", "daily:50"),
         "language '../../etc': no sample leaflet in it; choose one of: en, pl"),
    Case("print-leaflet-path-traversal", None,
         ("print", "--leaflet", "../../etc", "--clinic", "example", "--regimen", "daily:50"),
         "leaflet '../../etc': no such leaflet; choose one of: sample"),
    Case("clinic-script", replace(CLINIC, "name: Example Recovery Clinic (fictional)", "name: <script>alert(1)</script>"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":5: name: must be plain text; remove '<' and '>'"),
    Case("clinic-bad-phone", replace(CLINIC, "phone: 0113 496 0000", "phone: '12345'"), (*PRINT, "--regimen", "daily:50"),
         "{content}/" + CLINIC + ":10: phone: '12345' is not a valid phone number for GB; write it as the clinic "
         "gives it, e.g. 0113 496 0000"),
    Case("clinic-bad-email", replace(CLINIC, "email: clinic@example.org", "email: clinic@@example"),
         (*PRINT, "--regimen", "daily:50"),
         "{content}/" + CLINIC + ":13: email: expected an email address like clinic@example.org, got 'clinic@@example'"),
    Case("clinic-javascript-website", replace(CLINIC, "website: https://example.org/clinic", "website: javascript:alert(1)"),
         (*PRINT, "--regimen", "daily:50"),
         "{content}/" + CLINIC + ":14: website: expected an https:// address, got 'javascript:alert(1)'"),
    Case("print-name-script", None, (*PRINT, "--regimen", "daily:50", "--name", "<script>alert(1)</script>"),
         "name: must be plain text without '<', '>', control or formatting characters"),
    Case("print-impossible-date", None, (*PRINT, "--regimen", "daily:50", "--start-date", "2025-02-30"),
         "start date: February 2025 has 28 days; got '2025-02-30'"),
    Case("print-unusual-dose-unconfirmed", None, (*PRINT, "--regimen", "daily:25"), f"regimen 'daily:25': {STANDARD_ONLY}"),
    *(
        Case(f"regimen-{spec.strip() or 'blank'}", None, (*PRINT, "--regimen", spec, "--confirm-unusual-dose"),
             f"regimen '{spec}': {message}")
        for spec, message in BAD_REGIMEN_SPECS
    ),
    Case("regimen-missing", None, PRINT,
         "regimen: required for the sample leaflet (naltrexone); give the prescribed regimen, e.g. 'daily:50' or 'twice-daily:25'"),
    # -- batch CSV: paths and markup in cells, broken files --------------------------------------------
    Case("csv-clinic-path-traversal", csv_rows("A1,sample,en,../../../etc/passwd,daily:50,Zed Quill"),
         ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: clinic: use a clinic id such as 'example' (lowercase letters, digits, '-')"),
    Case("csv-ref-path-traversal", csv_rows("../x,sample,en,example,daily:50,Zed Quill"), ("batch", "{csv}"),
         "{csv}:2: row 1: ref: use 1-40 letters, digits, '-' or '_', with a digit (a reference, never a name)"),
    Case("csv-lang-path-traversal", csv_rows("A1,sample,../../etc,example,daily:50,Zed Quill"), ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: lang: expected a language tag such as en or pl; this cell is not one (its value is not shown)"),
    Case("csv-leaflet-path-traversal", csv_rows("A1,../../etc,en,example,daily:50,Zed Quill"), ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: leaflet: expected a leaflet id (a folder under content/leaflets); this cell is not one (its value is not shown)"),
    Case("csv-script-in-name", csv_rows("A1,sample,en,example,daily:50,<script>alert(1)</script>"),
         ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: name: must be plain text without '<', '>', control or formatting characters"),
    Case("csv-script-in-lang", csv_rows("A1,sample,<script>,example,daily:50,Zed Quill"), ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: lang: expected a language tag such as en or pl; this cell is not one (its value is not shown)"),
    Case("csv-unsafe-dose", csv_rows("A1,sample,en,example,daily:200,Zed Quill"), ("batch", "{csv}"),
         "{csv}:2: row 1, ref A1: regimen 'daily:200': 200 mg a day is more than 150 mg in one day"),
    Case("csv-old-xls-workbook", write("../batch.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
         ("batch", "{csv}"), "{csv}: an old Excel .xls workbook; save it as .xlsx or CSV"),
    Case("csv-empty", write("../batch.csv", b""), ("batch", "{csv}"), "{csv}: file is empty"),
    Case("csv-too-large", write("../batch.csv", CSV_HEADER + "\n" + "x" * (16 * 1024 * 1024)), ("batch", "{csv}"),
         "{csv}: file is 16777253 bytes; the limit is 16777216 bytes"),
]  # fmt: skip


def fill(text: str, content: Path) -> str:
    """{content}, {csv} and {po-line:TEXT} (the line of the Polish catalog where TEXT first appears) filled in."""

    def po_line(match: re.Match) -> str:
        lines = (content / PO).read_text(encoding="utf-8").split("\n")
        return str(next(number for number, line in enumerate(lines, 1) if match.group(1) in line))

    text = re.sub(r"\{po-line:([^}]*)\}", po_line, text)
    return text.replace("{content}", str(content)).replace("{csv}", str(content.parent / "batch.csv"))


def run_case(case: Case, content: Path, output: Path, cli) -> tuple[int, str, str]:
    args = [fill(arg, content) for arg in case.args]
    args += ["--content", str(content), "--output", str(output)]
    if case.fresh_process:
        result = run_build_py(*args, cwd=Path("/"))
        return result.returncode, result.stdout, result.stderr
    result = cli(*args)
    return result.code, result.out, result.err


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_is_refused_and_changes_nothing(baseline, tmp_path, cli, monkeypatch, case):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(baseline[0], content)
    shutil.copytree(baseline[1], output)
    before = snapshot(output)
    if case.edit:
        case.edit(content)
    monkeypatch.chdir("/")  # relative paths in the input resolve from the root: ../../../etc/passwd is /etc/passwd
    code, out, err = run_case(case, content, output, cli)
    expected = fill(case.expected, content)
    lines = err.splitlines()
    assert expected in lines or (case.varies_after and any(line.startswith(expected) for line in lines)), err
    assert code == 1
    assert "Traceback" not in err
    if case.args[0] == "batch" and "row 1" in expected:
        report = output / "print" / "batch-report.csv"
        assert out == f"Batch: 0 of 1 row(s) written to {output / 'print'}; 1 failed\nReport: {report}\n"
        assert report.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1] == "failed"
        report.unlink()  # the batch's record of the run; nothing else may change
    else:
        assert out == ""
    assert snapshot(output) == before


def test_enough_hostile_cases():
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


# --- content is data: template syntax and HTML characters come out as text --------------------------


def test_template_syntax_in_content_and_translations_is_shown_literally(baseline):
    site = baseline[1] / "site" / "sample"
    english = (site / "en" / "index.html").read_text(encoding="utf-8")
    polish = (site / "pl" / "index.html").read_text(encoding="utf-8")
    assert f"<p>{TEMPLATE_SYNTAX}</p>" in english
    assert f"<p>[pl] {TEMPLATE_SYNTAX}</p>" in polish
    pdf = subprocess.run(
        ["pdftotext", str(site / "en" / "sample-en.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TEMPLATE_SYNTAX in " ".join(pdf.split())


def test_metadata_is_escaped_by_the_templates(baseline):
    html = (baseline[1] / "site" / "sample" / "en" / "index.html").read_text(encoding="utf-8")
    escaped = "A small leaflet for tests &amp; &#34;checks&#34;."
    assert f'<meta name="description" content="{escaped}">' in html
    assert f'<p class="lf-header__lede">{escaped}</p>' in html
    assert SUMMARY not in html


# --- the rendering sandbox -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> tuple[PdfRenderer, Path]:
    """A renderer allowed to read one folder, which holds an image and a link to /etc/passwd."""
    allowed = tmp_path_factory.mktemp("allowed")
    (allowed / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    (allowed / "passwd").symlink_to("/etc/passwd")
    return PdfRenderer([allowed], SiteConfig()), allowed


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>Test</title></head><body><p>Text</p>{body}</body></html>'


OUTSIDE = "it is outside the content, styles and build folders"
NOT_A_FILE = "only files inside the project may be used"
SANDBOX_CASES = [
    ('<img src="file:///etc/passwd" alt="">', f"refused to fetch '/etc/passwd': {OUTSIDE}"),
    ('<img src="http://example.org/x.png" alt="">', f"refused to fetch 'http://example.org/x.png': {NOT_A_FILE}"),
    ('<link rel="stylesheet" href="https://example.org/x.css">',
     f"refused to fetch 'https://example.org/x.css': {NOT_A_FILE}"),
    ('<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="">',
     f"refused to fetch 'data:image/svg+xml;base64,PHN2Zy8+': {NOT_A_FILE}"),
    ('<p style="background: url(../../../../../../../../etc/passwd)">x</p>', f"refused to fetch '/etc/passwd': {OUTSIDE}"),
    ('<img src="passwd" alt="">', f"refused to fetch '/etc/passwd': {OUTSIDE}"),  # a symlink inside, pointing out
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"), SANDBOX_CASES, ids=["file", "http", "https", "data", "relative", "symlink"]
)
def test_renderer_fetches_nothing_outside_the_sandbox(sandbox, body, message):
    renderer, allowed = sandbox
    with pytest.raises(BuildError) as caught:
        renderer.render_pdf(page(body), allowed, "hostile (en, standard)", "en")
    assert caught.value.lines() == [f"hostile (en, standard): PDF not written: {message}"]


def test_renderer_reads_files_inside_the_sandbox(sandbox):
    renderer, allowed = sandbox
    pdf = renderer.render_pdf(page('<img src="dot.svg" alt="A black square">'), allowed, "inside (en, standard)", "en")
    assert pdf.startswith(b"%PDF-")
