"""Personal output and batch messages: never below a published site, never a name in any message.

The property test feeds random cells into every column (the name too, often typed into another
column) and searches stdout, stderr, the report and every file name for the name, as it is,
escaped, or any word of it; a second property test draws names from the whole of Unicode and looks
for any single character of them, as it is, escaped, as a code point, an entity or percent-encoded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_cli
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leaflets.personal.batch_rows import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from leaflets.personal.session import PrintRequest, PrintSession

PRINT = ["print", "--leaflet", "sample", "--clinic", "example", "--regimen", "daily:50"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("private") / "content"
    shutil.copytree(FIXTURES / "minimal", folder)
    (folder / "clinics").mkdir()
    shutil.copy(ROOT / "content" / "clinics" / "example.yaml", folder / "clinics" / "example.yaml")
    return folder


def batch_csv(folder: Path) -> Path:
    path = folder / "batch.csv"
    path.write_text("ref,leaflet,lang,clinic,regimen\nS-1,sample,en,example,daily:50\n", encoding="utf-8")
    return path


def test_output_folder_named_site_is_refused_for_print_and_batch(content, tmp_path):
    output = tmp_path / "somewhere" / "site"
    for args in (PRINT, ["batch", batch_csv(tmp_path)]):
        result = run_cli("--content", content, "--output", output, *args)
        assert result.code == 2, result.err
        assert result.err == (
            f"--output {output / 'print'}: personalised leaflets are never written into the site folder {output}\n"
        )
    assert not output.exists()


def test_print_folder_that_links_into_the_site_is_refused(content, tmp_path):
    output = tmp_path / "output"
    (output / "site").mkdir(parents=True)
    (output / "print").symlink_to(output / "site")
    for args in (PRINT, ["batch", batch_csv(tmp_path)]):
        result = run_cli("--content", content, "--output", output, *args)
        assert result.code == 2
        assert "personalised leaflets are never written into the site folder" in result.err
    assert list((output / "site").iterdir()) == []


def test_out_into_another_output_folders_built_site_is_refused(content, tmp_path):
    other = tmp_path / "published"  # a built site, whatever its folder is called
    assert run_cli("--content", content, "--output", tmp_path / "other-output", "site").code == 0
    shutil.copytree(tmp_path / "other-output" / "site", other)
    before = sorted(p.relative_to(other) for p in other.rglob("*"))
    result = run_cli("--content", content, "--output", tmp_path / "output", *PRINT, "--out", other / "x" / "a.pdf")
    assert result.code == 2
    assert result.err == (
        f"--out {other / 'x' / 'a.pdf'}: personalised leaflets are never written into the site folder {other}\n"
    )
    assert sorted(p.relative_to(other) for p in other.rglob("*")) == before


def test_large_print_plumbing_for_print_and_the_batch_column(content, tmp_path):
    session = PrintSession(content, tmp_path / "out")
    try:
        for large, expected in ((True, "lf-variant-large-print"), (False, "lf-variant-standard")):
            request = PrintRequest("sample", "en", "example", "daily:50", large_print=large)
            html = session.render_html(session.prepare(request))
            assert f'class="{expected} lf-paper-a4 lf-sheet"' in html  # the treatment sheet's HTML
            assert ("16pt" in html.split("</style>")[0]) == large  # the page's own font size
    finally:
        session.close()
    path = tmp_path / "large.csv"
    path.write_text("ref,leaflet,lang,clinic,regimen,Large Print\nL-1,sample,en,example,daily:50,yes\n")
    from leaflets.personal.batch import read_batch_csv

    [row], problems = read_batch_csv(path)
    assert problems == [] and row.request.large_print


# --- the property: no cell of the name column ever reaches any output -------------------------

WORDS = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="ıİſK"), min_size=4, max_size=12
)
NAMES = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
GOOD = {"ref": "N-1", "leaflet": "sample", "lang": "en", "clinic": "example", "regimen": "daily:50"}
NOISE = st.sampled_from(["", "yes", "no", "2027-01-04", "04/01/2027", "daily:50", "../x", "<b>", '"', ";", "\t"]) | (
    st.text(max_size=15)
)
VOCABULARY = " ".join(
    path.read_text(encoding="utf-8") for path in [*(ROOT / "leaflets").glob("*.py"), ROOT / "build.py"]
).casefold()


def encodings(text: str) -> set[str]:
    """The ways a name could show up: as it is, normalised, escaped, repr'd."""
    forms = {text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)}
    forms |= {text.encode("unicode_escape").decode("ascii"), ascii(text)[1:-1], repr(text)[1:-1]}
    return {form.casefold() for form in forms}


@st.composite
def rows(draw):
    name = draw(NAMES)
    words = name.split()
    assume(all(word.casefold() not in VOCABULARY for word in words))
    row = {}
    for column in COLUMNS:
        choices = [st.just(GOOD.get(column, "")), NOISE, st.just(name), st.just(words[0])]
        row[column] = draw(st.one_of(*choices))
    row["name"] = name
    return row


def write_sheet(folder: Path, data: list[dict], encoding: str, delimiter: str) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for row in data:
        writer.writerow([row[column] for column in COLUMNS])
    path = folder / "patients.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, "replace"))
    return path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(rows(), min_size=1, max_size=3), form=st.sampled_from([("utf-8", ","), ("utf-16", "\t")]))
def test_no_cell_of_the_name_column_reaches_any_output(content, data, form):
    with tempfile.TemporaryDirectory() as folder:
        path = write_sheet(Path(folder), data, *form)
        output = Path(folder) / "output"
        result = run_cli("--content", content, "--output", output, "batch", path)
        seen = [result.out, result.err]
        cached = {hashlib.sha256(file.read_bytes()).hexdigest() for file in output.rglob(".cache/leaflets/*.pdf")}
        for file in output.rglob("*") if output.exists() else []:
            seen.append(str(file.relative_to(folder)))
            if file.suffix == ".csv":
                seen.append(file.read_bytes().decode("utf-8-sig"))
        seen_text = "\n".join(seen).casefold()
        for digest in cached:  # the approved leaflet's SHA-256, made from no patient's data: its hex is no leak
            seen_text = seen_text.replace(digest, "")
        assert "Traceback" not in result.err
        for row in data:
            for word in row["name"].split():
                for form_of_word in encodings(word):
                    assert form_of_word not in seen_text, (word, result.err)
        assert os.path.exists(path)


# --- The whole of Unicode: not one character of a name, in any form ---------------------------------------------

# Characters the tool prints on its own (its code's text, ASCII) cannot show whether a name leaked: left out.
OWN_TEXT = set(VOCABULARY) | {chr(code) for code in range(128)}


def _tells(ch: str) -> bool:
    """A character whose presence in the output could only come from the name."""
    variants = {ch, ch.casefold(), unicodedata.normalize("NFKD", ch), unicodedata.normalize("NFKD", ch.casefold())}
    return not any(set(variant) & OWN_TEXT for variant in variants)


ANY_CHARACTER = st.characters(min_codepoint=0x80, exclude_categories=["Cs"]).filter(_tells)


def character_forms(ch: str) -> set[str]:
    """One character as it is, normalised, escaped, as a code point or an entity, percent-encoded."""
    forms = encodings(ch) | {f"u+{ord(ch):04x}", f"&#{ord(ch)};", f"&#x{ord(ch):x};"}
    forms.add("".join(f"%{byte:02x}" for byte in ch.encode("utf-8")))
    return {form for form in forms if form}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(names=st.lists(st.text(alphabet=ANY_CHARACTER, min_size=1, max_size=8), min_size=2, max_size=2))
def test_no_character_of_any_name_in_any_script_reaches_any_output(content, names):
    """Names over the whole of Unicode (any script, controls, marks, private use, unassigned): printable or refused,
    no character of them is in stdout, stderr, the report or a file name, as it is or in any encoding."""
    with tempfile.TemporaryDirectory() as folder:
        rows = [{**GOOD, "ref": f"N-{n}", "name": name} for n, name in enumerate(names, start=1)]
        path = write_sheet(Path(folder), [{column: row.get(column, "") for column in COLUMNS} for row in rows],
                           "utf-8", ",")  # fmt: skip
        output = Path(folder) / "output"
        result = run_cli("--content", content, "--output", output, "batch", path, "--only", "treatment")
        seen = [result.out, result.err]
        for file in output.rglob("*") if output.exists() else []:
            seen.append(str(file.relative_to(folder)))
            if file.suffix == ".csv":
                seen.append(file.read_bytes().decode("utf-8-sig"))
        seen_text = "\n".join(seen).casefold()
        assert "Traceback" not in result.err
        for ch in set("".join(names)):
            assert not any(form in seen_text for form in character_forms(ch)), (f"U+{ord(ch):04X}", result.err)
