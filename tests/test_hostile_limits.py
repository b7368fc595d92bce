"""Hostile input, round two: limits, links out of the tree, hidden characters, costly numbers, dates, names.

The cases use the previous output and the checks of ``test_hostile_input.py``: the line a user
sees, exit 1, no traceback, the output folder byte for byte as it was. Files outside the content
folder that a case links to must be unchanged too. Then what must still work (Persian names,
CRLF files, links inside the content folder, Markdown at the limits, quickly) and the real cause
of operating-system errors (a full disk, a file in the way) instead of "check the path".
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from test_hostile_input import (  # the same previous output and helpers
    CLINIC,
    LEAFLET,
    PO,
    PRINT,
    TEXT,
    Case,
    baseline,  # noqa: F401 - a fixture
    fill,
    make_folder,
    replace,
    run_case,
    snapshot,
    write,
)

import build
from leaflets.i18n.localise import load_content
from leaflets.personal.session import check_name
from leaflets.source import markdown_limits as limits
from leaflets.source.clinic import load_clinic
from leaflets.source.markup import parse_markdown

TODAY = date.today()
WITHIN_A_YEAR = (
    f"expected a date within a year of today ({TODAY - timedelta(days=366)} to {TODAY + timedelta(days=366)})"
)
PARAGRAPH = "This is a sample leaflet."
OUTSIDE = "../outside"  # beside the content folder, outside it
NESTED_YAML = "nested more than 20 levels deep; check the brackets and indentation"
NESTED_MD = "lists, quotes or callouts nested more than 6 deep; check the indentation"
RAW_HTML_TAGS = "HTML tags ('<' and a letter); raw HTML is not allowed; write plain Markdown"
STACKED = "name: more than 3 accents or marks on one letter would be drawn over the card's text"
NOT_PLAIN = "name: must be plain text without '<', '>', control or formatting characters"
ZWSP = "invisible character U+200B (ZERO WIDTH SPACE) inside a number; remove it"
OTHER_NUMBER = "give a geographic, mobile or freephone number, e.g. 0113 496 0000"
BATCH_HEADER = "ref,leaflet,lang,clinic,regimen,start_date,next_appointment,name"


def text(new: str):
    """The sample paragraph (line 3 of the English text) replaced by ``new``."""
    return replace(TEXT, PARAGRAPH, new)


def link(relative: str, target: str, copy_from: str | None = None):
    """Replace ``relative`` with a symbolic link to ``target``; ``copy_from`` first copies content there."""

    def edit(content: Path) -> None:
        path = content / relative
        if copy_from is not None:
            source, destination = content / copy_from, (path.parent / target).resolve()
            destination.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if source.is_dir() else shutil.copy)(source, destination)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(target)

    return edit


def fifo(relative: str):
    def edit(content: Path) -> None:
        (content / relative).unlink()
        os.mkfifo(content / relative)

    return edit


def batch(*rows: str):
    return write("../batch.csv", "\n".join([BATCH_HEADER, *rows]) + "\n")


def after(days: int) -> str:
    return str(TODAY + timedelta(days=days))


CASES = [
    # -- YAML: nesting and size, checked before PyYAML's recursive parts run --------------------------
    Case("yaml-list-nested-600", write(LEAFLET, "title: " + "[" * 600 + "]" * 600 + "\n"), ("site",),
         "{content}/" + LEAFLET + ":1: invalid YAML: " + NESTED_YAML),
    Case("yaml-block-list-nested-600-in-clinic",
         replace(CLINIC, "address:\n", "address:\n  " + "- " * 600 + "x\n"), (*PRINT, "--regimen", "daily:50"),
         "{content}/" + CLINIC + ":7: invalid YAML: " + NESTED_YAML),
    Case("yaml-front-matter-nested", replace(TEXT, "## About", "---\ntitle: " + "[" * 600 + "]" * 600 + "\n---\n## About"),
         ("site",), "{content}/" + TEXT + ":2: invalid YAML: " + NESTED_YAML),
    Case("yaml-file-too-large", write(LEAFLET, "# " + "x" * 70_000 + "\ntitle: x\n"), ("site",),
         "{content}/" + LEAFLET + ": file is 70012 bytes; the limit is 65536 bytes"),
    Case("yaml-front-matter-too-large", replace(TEXT, "## About", "---\n# " + "x" * 70_000 + "\n---\n## About"),
         ("site",), "{content}/" + TEXT + ": YAML is 70004 characters long; the limit is 65536"),
    # -- Markdown: nesting, line, paragraph and file limits, checked before Python-Markdown runs -------
    Case("md-list-nested-600-on-one-line", text("- " * 600 + "x"), ("site",), "{content}/" + TEXT + ":3: " + NESTED_MD),
    Case("md-list-indented-100-deep", text("".join("    " * i + "- item\n" for i in range(100))), ("site",),
         "{content}/" + TEXT + ":9: " + NESTED_MD),
    Case("md-quote-nested-600", text("> " * 600 + "x"), ("site",), "{content}/" + TEXT + ":3: " + NESTED_MD),
    Case("md-callouts-nested", text("".join("    " * i + '!!! warning "Careful"\n' for i in range(10))), ("site",),
         "{content}/" + TEXT + ":10: " + NESTED_MD),
    Case("md-20kb-line-of-brackets", text("[" * 20_000), ("site",),
         "{content}/" + TEXT + ":3: line is 20000 characters long; the limit is 2000; break it up"),
    Case("md-long-paragraph", text("\n".join(["word " * 300] * 5)), ("site",),
         "{content}/" + TEXT + ":3: paragraph is 7504 characters long; the limit is 6000; split it"),
    Case("md-brackets-in-one-paragraph", text("[a] " * 40), ("site",),
         "{content}/" + TEXT + ":3: 40 '[' characters in one paragraph; the limit is 30"),
    Case("md-brackets-in-one-file", text("\n\n".join(["[a] " * 30] * 35)), ("site",),
         "{content}/" + TEXT + ": 1050 '[' characters in one file; the limit is 1000"),
    Case("md-tag-that-never-ends", text("Take less than <a whole tablet."), ("site",),
         "{content}/" + TEXT + ":3: '<a' starts an HTML tag that never ends; raw HTML is not allowed; write plain Markdown"),
    Case("md-many-tags", text("<b>x</b> " * 30), ("site",), "{content}/" + TEXT + ": 60 " + RAW_HTML_TAGS),
    Case("md-too-many-paragraphs", text("x\n\n" * 2100), ("site",),
         "{content}/" + TEXT + ":4001: more than 2000 paragraphs, lists and callouts in one file"),
    Case("po-translation-with-many-brackets",
         replace(PO, f'msgstr "[pl] {PARAGRAPH}"', f'msgstr "[pl] {PARAGRAPH}' + " [a]" * 40 + '"'), ("site",),
         "{content}/" + PO + ":71: 41 '[' characters in one paragraph; the limit is 30"),
    # -- links and special files: nothing outside the content folder is read or written ---------------
    Case("link-text-to-etc-passwd", link(TEXT, "/etc/passwd"), ("site",),
         "{content}/" + TEXT + ": symbolic link to a file outside the content folder {content}; copy the file in instead"),
    Case("link-leaflet-folder-outside", link("leaflets/evil", "../../outside/evil", copy_from="leaflets/sample"),
         ("site",), "{content}/leaflets/evil: symbolic link to a folder outside the content folder {content}; "
         "copy the folder in instead"),
    Case("link-leaflets-folder-outside", link("leaflets", "../outside/leaflets", copy_from="leaflets"), ("site",),
         "{content}/leaflets: symbolic link to a folder outside the content folder {content}; copy the folder in instead"),
    Case("link-clinic-outside", link(CLINIC, "../../outside/example.yaml", copy_from=CLINIC),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ": symbolic link to a file outside the content "
         "folder {content}; copy the file in instead"),
    Case("link-catalog-outside-is-not-updated", link(PO, "../../../../outside/pl.po", copy_from=PO),
         ("translations", "update"), "{content}/" + PO + ": symbolic link to a file outside the content folder "
         "{content}; copy the file in instead"),
    Case("link-broken", link(TEXT, "missing.md"), ("site",),
         "{content}/" + TEXT + ": symbolic link to nothing (its target is missing or a loop); replace it with the file itself"),
    Case("folder-name-with-a-newline", make_folder("leaflets/evil\nfake: message"), ("site",),  # stays one line
         "{content}/leaflets/evil\\nfake: message: leaflet folder names use lowercase letters, digits and hyphens"),
    Case("link-loop", link(TEXT, "en.md"), ("site",),
         "{content}/" + TEXT + ": symbolic link to nothing (its target is missing or a loop); replace it with the file itself"),
    Case("fifo-as-text", fifo(TEXT), ("site",),  # reading it would wait for ever: a fresh process, with a timeout
         "{content}/" + TEXT + ": not a file or folder (a pipe, socket or device); remove it", fresh_process=True),
    # -- invisible characters inside numbers ------------------------------------------------------------
    Case("md-zero-width-space-in-number", text("Take 1\u200b50 mg."), ("site",), "{content}/" + TEXT + ":3: " + ZWSP),
    Case("md-soft-hyphen-in-number", text("Take 1\u00ad50 mg."), ("site",),
         "{content}/" + TEXT + ":3: invisible character U+00AD (SOFT HYPHEN) inside a number; remove it"),
    Case("md-word-joiner-in-phone-number", text("Call 0113\u2060496 0000."), ("site",),
         "{content}/" + TEXT + ":3: invisible character U+2060 (WORD JOINER) inside a number; remove it"),
    Case("md-combining-mark-in-number", text("Take 1\u036350 mg."), ("site",),
         "{content}/" + TEXT + ":3: invisible character U+0363 (COMBINING LATIN SMALL LETTER A) inside a number; "
         "remove it"),
    Case("yaml-zero-width-space-in-title", replace(LEAFLET, "title: Sample leaflet", 'title: "Take 1\\u200b50 mg"'),
         ("site",), "{content}/" + LEAFLET + ":1: " + ZWSP),
    Case("po-zero-width-space-in-title", replace(PO, 'msgstr "[pl] Sample leaflet"', 'msgstr "[pl] Sample 1\u200b50"'),
         ("site",), "{content}/" + PO + ":26: translation of 'Sample leaflet': " + ZWSP),
    Case("clinic-zero-width-space-in-phone", replace(CLINIC, "phone: 0113 496 0000", 'phone: "0113\\u200b496 0000"'),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":10: " + ZWSP),
    Case("clinic-zero-width-space-in-opening-hours", replace(CLINIC, "9am to 5pm", "9\u200b.30am to 5pm"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":19: " + ZWSP),
    # -- clinic phone numbers a patient must not be sent to ----------------------------------------------
    Case("clinic-premium-rate-09", replace(CLINIC, "phone: 0113 496 0000", "phone: 0909 879 0000"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":10: phone: '0909 879 0000' is a premium-rate "
         f"number (calls cost much more than a normal call); {OTHER_NUMBER}"),
    Case("clinic-premium-rate-0871-urgent", replace(CLINIC, "urgent_phone: 0113 496 0999", "urgent_phone: 0871 123 4567"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":11: urgent_phone: '0871 123 4567' is a "
         f"premium-rate number (calls cost much more than a normal call); {OTHER_NUMBER}"),
    Case("clinic-personal-number-070",
         replace(CLINIC, "key_worker_phone: 020 7946 0123", "key_worker_phone: 070 1234 5678"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":12: key_worker_phone: '070 1234 5678' is a "
         f"personal number (it forwards calls, often at a high rate); {OTHER_NUMBER}"),
    Case("clinic-premium-rate-us-900", replace(CLINIC, "phone: 0113 496 0000", "phone: +1 900 555 0100"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":10: phone: '+1 900 555 0100' is a premium-rate "
         f"number (calls cost much more than a normal call); {OTHER_NUMBER}"),
    Case("clinic-shared-cost-france", replace(CLINIC, "urgent_phone: 0113 496 0999", "urgent_phone: +33 810 12 34 56"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":11: urgent_phone: '+33 810 12 34 56' is a "
         f"shared-cost number (callers pay part of the cost, often more than a normal call); {OTHER_NUMBER}"),
    Case("clinic-pager", replace(CLINIC, "key_worker_phone: 020 7946 0123", "key_worker_phone: +61 16 312 34"),
         (*PRINT, "--regimen", "daily:50"), "{content}/" + CLINIC + ":12: key_worker_phone: '+61 16 312 34' is a "
         f"pager number (nobody can answer a call to it); {OTHER_NUMBER}"),
    # -- dates: a plausible start and appointment ----------------------------------------------------------
    Case("print-start-year-1", None, (*PRINT, "--regimen", "daily:50", "--start-date", "0001-01-01"),
         f"start date: {WITHIN_A_YEAR}, got '0001-01-01'"),
    Case("print-start-year-9999", None, (*PRINT, "--regimen", "daily:50", "--start-date", "9999-12-31"),
         f"start date: {WITHIN_A_YEAR}, got '9999-12-31'"),
    Case("print-start-two-years-ago", None, (*PRINT, "--regimen", "daily:50", "--start-date", after(-730)),
         f"start date: {WITHIN_A_YEAR}, got '{after(-730)}'"),
    Case("print-appointment-year-9999", None, (*PRINT, "--regimen", "daily:50", "--next-appointment", "9999-01-01"),
         f"next appointment: {WITHIN_A_YEAR}, got '9999-01-01'"),
    Case("print-appointment-before-start", None,
         (*PRINT, "--regimen", "daily:50", "--start-date", after(7), "--next-appointment", after(6)),
         f"next appointment: expected a date after the start date {after(7)}, got '{after(6)}'"),
    Case("print-appointment-on-start-day", None,
         (*PRINT, "--regimen", "daily:50", "--start-date", after(0), "--next-appointment", after(0)),
         f"next appointment: expected a date after the start date {after(0)}, got '{after(0)}'"),
    Case("print-iso-week-date", None, (*PRINT, "--regimen", "daily:50", "--start-date", "2026-W49-1"),
         "start date: expected a date (YYYY-MM-DD), got '2026-W49-1'"),
    Case("csv-start-year-9999", batch("A1,sample,en,example,daily:50,9999-01-01,,Zed Quill"), ("batch", "{csv}"),
         f"{{csv}}:2: row 1, ref A1: start date: {WITHIN_A_YEAR}, got '9999-01-01'"),
    Case("csv-appointment-before-start", batch(f"A1,sample,en,example,daily:50,{after(1)},{after(0)},Zed Quill"),
         ("batch", "{csv}"),
         f"{{csv}}:2: row 1, ref A1: next appointment: expected a date after the start date {after(1)}, got '{after(0)}'"),
    # -- names: marks stacked over the card's other lines; joiners only inside a word ---------------------
    Case("print-name-stacked-accents", None, (*PRINT, "--regimen", "daily:50", "--name", "Zed" + "\u0301" * 20), STACKED),
    Case("print-name-stacked-enclosing-marks", None, (*PRINT, "--regimen", "daily:50", "--name", "Zed" + "\u20dd" * 4),
         STACKED),
    Case("csv-name-stacked-accents", batch("A1,sample,en,example,daily:50,,,Ze" + "\u0308" * 9 + "d Quill"),
         ("batch", "{csv}"), "{csv}:2: row 1, ref A1: " + STACKED),
    Case("print-name-joiner-at-the-start", None, (*PRINT, "--regimen", "daily:50", "--name", "\u200cZed Quill"),
         NOT_PLAIN),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_is_refused_and_changes_nothing(baseline, tmp_path, cli, monkeypatch, case):  # noqa: F811
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(baseline[0], content)
    shutil.copytree(baseline[1], output)
    before = snapshot(output)
    if case.edit:
        case.edit(content)
    outside = snapshot(tmp_path / "outside") if (tmp_path / "outside").exists() else {}
    monkeypatch.chdir("/")
    code, out, err = run_case(case, content, output, cli)
    assert fill(case.expected, content) in err.splitlines(), err
    assert code == 1
    assert "Traceback" not in err
    assert "Zed" not in err and "Quill" not in err  # no name, nor a part of one
    if case.args[0] == "batch":
        report = output / "print" / "batch-report.csv"
        assert out == f"Batch: 0 of 1 row(s) written to {output / 'print'}; 1 failed\nReport: {report}\n"
        assert report.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1] == "failed"
        assert "Zed" not in report.read_text(encoding="utf-8-sig")  # the record of the run holds no name
        report.unlink()  # the batch's record of the run; nothing else may change
    else:
        assert out == ""
    assert snapshot(output) == before
    assert (snapshot(tmp_path / "outside") if outside else {}) == outside


def test_20_kb_line_of_brackets_is_refused_quickly(baseline, tmp_path):  # noqa: F811
    """The 20 KB line of '[' once took 71 s to check; now the limits refuse it before Python-Markdown runs."""
    content = tmp_path / "content"
    shutil.copytree(baseline[0], content)
    text("[" * 20_000)(content)
    started = time.process_time()
    result = run_cli("check", "--content", content)
    assert result.code == 1
    assert time.process_time() - started < 3


# --- Markdown within the limits parses quickly ------------------------------------------------------


def blocks(block: str, count: int = limits.MAX_BLOCKS - 1) -> str:
    """``count`` copies of ``block`` under one heading, as much as fits in the file size limit."""
    count = min(count, (limits.MAX_MARKDOWN_BYTES - 100) // (len(block) + 2))
    return "## About {#about}\n\n" + (block + "\n\n") * count


def brackets_then_text(brackets: str) -> str:
    """As many bracket-heavy paragraphs as the file limit allows, then plain ones."""
    heavy = limits.MAX_BRACKETS // limits.MAX_BRACKETS_PER_BLOCK
    return blocks(brackets, heavy) + ("word " * 12 + "\n\n") * (limits.MAX_BLOCKS - heavy - 2)


PER_BLOCK = limits.MAX_BRACKETS_PER_BLOCK
AT_THE_LIMITS = {
    "unclosed-links": brackets_then_text("[a][" * (PER_BLOCK // 2)),
    "nested-image-brackets": brackets_then_text("![[" * (PER_BLOCK // 2)),
    "tags-scanning-to-their-end": blocks("<a " * 49 + ">", 1) + blocks("word " * 12, limits.MAX_BLOCKS - 4),
    "backslash-escapes": blocks("\\" * 120),
    "code-spans": blocks("`a " * 40),
    "entities": blocks("&" * 120),
    "emphasis": blocks("*a " * 40),
    "lists-6-deep": blocks("\n".join("    " * i + "- item" for i in range(limits.MAX_DEPTH))),
    "quotes-6-deep": blocks("\n".join("> " * i + "x" for i in range(1, limits.MAX_DEPTH + 1))),
    "callouts": blocks('!!! warning "Careful"\n    x'),
    "headings": "".join(f"## Heading {n} {{#h{n}}}\n\nx\n\n" for n in range(limits.MAX_BLOCKS // 2 - 1)),
}


@pytest.mark.parametrize("source", AT_THE_LIMITS.values(), ids=AT_THE_LIMITS.keys())
def test_markdown_at_the_limits_is_parsed_within_seconds(source):
    assert limits.check_markdown_limits(source, "x") == []
    assert len(source.encode()) <= limits.MAX_MARKDOWN_BYTES
    started = time.process_time()
    parse_markdown(source, "x")
    assert time.process_time() - started < 5  # about 1 s on a busy machine; the 20 KB line of '[' took 71 s


# --- what must still work -------------------------------------------------------------------------


PERSIAN = "علی\u200cرضا محمدی"  # Alireza Mohammadi: a zero-width non-joiner keeps ی from joining ر


def test_persian_name_with_zero_width_non_joiner_is_printed(baseline, tmp_path):  # noqa: F811
    pdf = tmp_path / "card.pdf"
    result = run_cli(*PRINT, "--regimen", "daily:50", "--name", PERSIAN, "--content", baseline[0],
                     "--output", tmp_path / "output", "--out", pdf)  # fmt: skip
    assert result.code == 0, result.err
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "علیرضا محمدی" in unicodedata.normalize("NFKC", words).replace("\u200c", "")


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("Nguye\u0302\u0303n Tra\u0302\u0300n", "Nguyễn Trần"),  # Vietnamese, decomposed: two marks a letter
        ("שָׁלוֹם", unicodedata.normalize("NFC", "שָׁלוֹם")),  # Hebrew with points: up to three marks a letter
        (PERSIAN, PERSIAN),
        ("कृष्ण", "कृष्ण"),  # Devanagari: vowel signs and virama between letters
    ],
    ids=["vietnamese", "hebrew", "persian", "devanagari"],
)
def test_names_with_a_few_marks_or_joiners_are_accepted(name, printed):
    assert check_name(name) == printed


def test_crlf_line_ends_and_front_matter_are_read(minimal_content):
    text_path = minimal_content / "leaflets" / "sample" / "en.md"
    source = "---\ntitle: Sample from front matter\n---\n" + text_path.read_text()
    text_path.write_bytes(source.replace("\n", "\r\n").encode())
    meta = minimal_content / "leaflets" / "sample" / "leaflet.yaml"
    meta.write_bytes(meta.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli("check", "--content", minimal_content)
    assert result.code == 0, result.err
    leaflet = load_content(minimal_content).leaflets[0]
    assert leaflet.texts["en"].title == "Sample from front matter"
    assert [section.section_id for section in leaflet.texts["en"].sections] == ["about", "safety", "contact"]


def test_links_inside_the_content_folder_are_followed(minimal_content):
    shared = minimal_content / "shared"
    shared.mkdir()
    text_path = minimal_content / "leaflets" / "sample" / "en.md"
    text_path.rename(shared / "sample-en.md")
    text_path.symlink_to("../../shared/sample-en.md")
    result = run_cli("check", "--content", minimal_content)
    assert result.code == 0, result.err


def test_editor_lock_links_are_ignored(minimal_content):
    (minimal_content / "leaflets" / "sample" / ".#en.md").symlink_to("someone@host.1234")  # Emacs writes these
    assert run_cli("check", "--content", minimal_content).code == 0


def test_ordinary_numbers_pass_the_hidden_character_check(minimal_content):
    text_path = minimal_content / "leaflets" / "sample" / "en.md"
    arabic = "\u200f١٥٠ ملغ"  # a right-to-left mark before the number, not inside it
    spaced = "1\u202f500 mg, 9:00\u2013\u200917:00, 0113\u00a0496\u00a00000"
    text_path.write_text(text_path.read_text().replace(PARAGRAPH, f"{arabic}. {spaced}."))
    result = run_cli("check", "--content", minimal_content)
    assert result.code == 0, result.err


@pytest.mark.parametrize("number", ["0300 123 4567", "0800 123 4567", "07911 123456", "056 1234 5678"])
def test_non_geographic_freephone_mobile_and_internet_numbers_are_accepted(tmp_path, number):
    profile = tmp_path / "clinic.yaml"
    source = (ROOT / "content" / CLINIC).read_text()
    profile.write_text(source.replace("urgent_phone: 0113 496 0999", f"urgent_phone: {number}"))
    clinic, _ = load_clinic(str(profile), tmp_path)
    assert clinic.urgent_phone.e164 == "+44" + number.replace(" ", "")[1:]


# --- operating-system errors: the real cause, not "check the path" ---------------------------------------


@pytest.fixture
def full_disk(tmp_path):
    """A 3 MB file system (tmpfs, so root only) to fill up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def fill_up(folder: Path) -> None:
    """Write until the file system has no byte left."""
    with (folder / "filler").open("wb", buffering=0) as handle:
        for chunk in (b"\0" * 65536, b"\0" * 4096, b"\0"):
            try:
                while True:
                    handle.write(chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC


def test_full_disk_is_named_and_the_previous_output_kept(baseline, full_disk):  # noqa: F811
    output = full_disk / "output"
    shutil.copytree(baseline[1], output)
    # An unchanged site writes nothing (it repeats its stamped report), so it could not fill the disk:
    # without the stamp the build runs and must write its staging folder.
    manifest = output / ".site-manifest.json"
    manifest.write_text(json.dumps({"pages": json.loads(manifest.read_text())["pages"]}), encoding="utf-8")
    before = snapshot(output)
    fill_up(full_disk)
    for args in (("site",), (*PRINT, "--regimen", "daily:50")):
        result = run_cli(*args, "--content", baseline[0], "--output", output)
        assert result.code == 1
        assert "Traceback" not in result.err
        assert result.err.splitlines()[-1] == f"{output}: the disk is full; free some space and run the command again"
        assert "check the path" not in result.err
        assert snapshot(output) == before


def raised(action) -> OSError:
    try:
        action()
    except OSError as error:
        return error
    raise AssertionError("no OSError")


class Args:
    command, output = "print", Path("output")


@pytest.mark.parametrize(
    ("make_error", "expected"),
    [
        (
            lambda tmp: raised(lambda: Path("/dev/full").write_bytes(b"x")),
            "output: the disk is full; free some space and run the command again",
        ),
        (
            lambda tmp: raised(lambda: (tmp / "missing" / "x.pdf").read_bytes()),
            "{tmp}/missing/x.pdf: no such file or folder; check the path",
        ),
        (
            lambda tmp: raised(lambda: os.replace(tmp / "file", tmp / "folder")),
            "{tmp}/folder: is a folder, not a file; check the path",
        ),
        (
            lambda tmp: raised(lambda: (tmp / "file" / "x.pdf").write_bytes(b"x")),
            "{tmp}/file/x.pdf: part of the path is a file, not a folder; check the path",
        ),
        (
            lambda tmp: raised(lambda: (tmp / ("x" * 300)).write_bytes(b"x")),
            "{tmp}/" + "x" * 300 + ": the name is too long; check the path",
        ),
        (
            lambda tmp: raised(lambda: (tmp / "file").mkdir(parents=True, exist_ok=True)),
            "{tmp}/file: a file is in the way of a folder; check the path",
        ),
    ],
    ids=["disk-full", "missing", "folder-not-file", "file-not-folder", "name-too-long", "file-in-the-way"],
)
def test_os_errors_are_described_by_their_cause(tmp_path, make_error, expected):
    (tmp_path / "file").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    assert build.os_error_line(make_error(tmp_path), Args()) == expected.replace("{tmp}", str(tmp_path))


def test_file_names_that_are_not_utf8_are_printed_escaped(baseline, tmp_path):  # noqa: F811
    """With a strict stdout (PYTHONIOENCODING=utf-8, or a UTF-8 locale) printing such a name was a traceback."""
    out = tmp_path / os.fsdecode(b"leaflet-\xfe.pdf")  # the byte 0xfe: not UTF-8
    args = [*PRINT, "--regimen", "daily:50", "--content", baseline[0], "--output", tmp_path / "output", "--out", out]
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],  # str arguments are passed on as their bytes
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Wrote {tmp_path}/leaflet-\\udcfe.pdf".encode()
    assert out.read_bytes().startswith(b"%PDF-")
