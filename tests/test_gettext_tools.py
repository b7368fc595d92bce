"""Every catalog we ship or write is one that GNU gettext, translate-toolkit and Poedit accept.

The real tools run on the real files: ``msgfmt -c`` (syntax, headers, format strings),
``msgcat`` (which rewrites a file in gettext's own layout: ours must come back unchanged),
``msgmerge`` (which must agree with our update on what is translated and fuzzy) and
translate-toolkit's ``pofilter`` (placeholders, numbers, escapes, markup). They run on the shipped
catalogs and again after a scripted English edit and ``translations update``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

CONTENT = ROOT / "content"
POFILTER = Path(sys.executable).parent / "pofilter"
POFILTER_CHECKS = ("printf", "variables", "numbers", "escapes", "newlines", "tabs", "nplurals", "xmltags", "urls")
LONG_SENTENCE = "Some people have been given naltrexone while sedated."
EDITED_SENTENCE = "Some people have been given naltrexone while they were sedated."


def catalogs(content: Path) -> list[Path]:
    return sorted([*content.rglob("*.po"), *content.rglob("*.pot")])


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120, **kwargs)


def check_with_gettext_tools(path: Path, tmp_path: Path) -> None:
    """msgfmt -c accepts it, msgcat leaves it as it is, pofilter finds nothing."""
    checked = run("msgfmt", "-c", "-o", "/dev/null", path)
    assert checked.returncode == 0, checked.stderr
    assert "fatal" not in checked.stderr
    assert run("msgcat", path).stdout == path.read_text(encoding="utf-8"), f"msgcat would rewrite {path}"
    if path.suffix == ".po":
        flagged = tmp_path / f"pofilter-{path.parent.name}-{path.name}"
        checks = [arg for check in POFILTER_CHECKS for arg in ("-t", check)]
        result = run(POFILTER, "--progress=none", *checks, path, flagged)
        assert result.returncode == 0, result.stderr
        assert not flagged.exists() or "(pofilter)" not in flagged.read_text(), flagged.read_text()


def statistics(path: Path) -> str:
    """msgfmt's count of translated, fuzzy and untranslated messages."""
    return run("msgfmt", "--statistics", "-o", "/dev/null", path).stderr.strip()


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.mark.parametrize("path", catalogs(CONTENT), ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_shipped_catalog_passes_the_gettext_tools(path, tmp_path):
    check_with_gettext_tools(path, tmp_path)


def test_catalogs_after_an_english_edit_and_update_pass_the_gettext_tools(content, tmp_path):
    text = content / "leaflets" / "naltrexone" / "en.md"
    assert LONG_SENTENCE in text.read_text()
    text.write_text(text.read_text().replace(LONG_SENTENCE, EDITED_SENTENCE))
    result = run_cli("translations", "update", "--content", content)
    assert result.code == 0, result.err
    for path in catalogs(content):
        check_with_gettext_tools(path, tmp_path)
    polish = (content / "leaflets" / "naltrexone" / "translations" / "pl.po").read_text()
    entry = polish[polish.index("#, fuzzy") :].split("\n\n")[0]
    assert entry.startswith("#, fuzzy\n#| msgctxt") or "\n#| msgid" in entry
    assert "while they were sedated" in entry and "#| " in entry
    assert (
        f"updated {content / 'leaflets/naltrexone/translations/pl.po'} (0 new, 1 fuzzy, 0 obsolete)"
        in result.out.splitlines()
    )
    edited = {path: path.read_bytes() for path in catalogs(content)}
    again = run_cli("translations", "update", "--content", content)  # the fuzzy entry and its #| survive
    assert {path: path.read_bytes() for path in catalogs(content)} == edited
    assert all(line.startswith("unchanged ") for line in again.out.splitlines())


def test_msgmerge_agrees_with_our_update(content, tmp_path):
    text = content / "leaflets" / "naltrexone" / "en.md"
    text.write_text(text.read_text().replace(LONG_SENTENCE, EDITED_SENTENCE))
    folder = content / "leaflets" / "naltrexone" / "translations"
    originals = {lang: (folder / f"{lang}.po").read_bytes() for lang in ("pl", "ar", "ro")}
    assert run_cli("translations", "update", "--content", content).code == 0
    for lang, original in originals.items():
        before = tmp_path / f"{lang}-before.po"
        before.write_bytes(original)
        merged = tmp_path / f"{lang}-msgmerge.po"
        result = run("msgmerge", "--previous", "-q", "-o", merged, before, folder / "naltrexone.pot")
        assert result.returncode == 0, result.stderr
        assert statistics(merged) == statistics(folder / f"{lang}.po")
        assert re.search(r"1 fuzzy translation", statistics(merged))


def test_update_with_nothing_changed_is_byte_identical(content):
    before = {path: path.read_bytes() for path in catalogs(content)}
    result = run_cli("translations", "update", "--content", content)
    assert result.code == 0, result.err
    assert {path: path.read_bytes() for path in catalogs(content)} == before
    assert sorted(result.out.splitlines()) == sorted(f"unchanged {path}" for path in before)


POEDIT_HEADER = [
    "Project-Id-Version: naltrexone leaflet VERSION",
    "Report-Msgid-Bugs-To: EMAIL@ADDRESS",
    "POT-Creation-Date: 2026-01-01 00:00+0000",
    "PO-Revision-Date: 2026-03-02 10:15+0100",
    "Last-Translator: Anna Tłumacz <anna@example.org>",
    "Language-Team: Polish",
    "Language: pl",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
    "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "X-Generator: Poedit 3.4.2",
    "X-Poedit-SourceCharset: UTF-8",
]


def poedit_style(path: Path) -> None:
    """Rewrite a catalog as Poedit saves it: its header order and X-* fields, wrapped at 79 columns."""
    text = path.read_text(encoding="utf-8")
    start = text.index('msgid ""')
    end = text.index("\n\n", start)
    header = 'msgid ""\nmsgstr ""\n' + "".join(f'"{field}\\n"\n' for field in POEDIT_HEADER)
    path.write_text(text[:start] + header.rstrip("\n") + text[end:], encoding="utf-8")
    wrapped = run("msgcat", "--width=79", path)
    assert wrapped.returncode == 0, wrapped.stderr
    path.write_text(wrapped.stdout, encoding="utf-8")


def test_a_poedit_style_catalog_survives_update_with_no_diff(content):
    path = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    poedit_style(path)
    before = path.read_bytes()
    assert b"X-Generator: Poedit 3.4.2" in before
    result = run_cli("translations", "update", "--content", content)
    assert result.code == 0, result.err
    assert path.read_bytes() == before
    assert f"unchanged {path}" in result.out.splitlines()


def test_a_poedit_style_catalog_keeps_its_header_and_wrapping_when_an_entry_changes(content):
    path = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    poedit_style(path)
    before = path.read_text(encoding="utf-8")
    text = content / "leaflets" / "naltrexone" / "en.md"
    text.write_text(text.read_text().replace(LONG_SENTENCE, EDITED_SENTENCE))
    assert run_cli("translations", "update", "--content", content).code == 0
    after = path.read_text(encoding="utf-8")
    diff = run("diff", "-u", "--label", "a", "--label", "b", "-", path, input=before).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert all("X-" not in line for line in changed)
    assert len(changed) <= 20, diff  # only the edited entry: fuzzy flag, previous msgid, new msgid
    assert after.split("\n\n")[0].count('"X-') == 2  # both X- fields still in the header
    assert run("msgcat", "--width=79", path).stdout == after


WRAPPINGS = ["--no-wrap", "--width=60", "--width=100"]  # as other PO tools save a catalog


@pytest.mark.parametrize("wrapping", WRAPPINGS)
def test_a_catalog_another_tool_rewrapped_is_left_alone_by_update(content, wrapping):
    path = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    rewrapped = run("msgcat", wrapping, path)
    assert rewrapped.returncode == 0 and rewrapped.stdout != path.read_text(encoding="utf-8")
    path.write_text(rewrapped.stdout, encoding="utf-8")
    result = run_cli("translations", "update", "--content", content)
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == rewrapped.stdout
    assert f"unchanged {path}" in result.out.splitlines()


@pytest.mark.parametrize("wrapping", WRAPPINGS)
def test_a_rewrapped_catalog_keeps_its_wrapping_when_an_entry_changes(content, wrapping):
    path = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    path.write_text(run("msgcat", wrapping, path).stdout, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    text = content / "leaflets" / "naltrexone" / "en.md"
    text.write_text(text.read_text().replace(LONG_SENTENCE, EDITED_SENTENCE))
    result = run_cli("translations", "update", "--content", content)
    assert f"updated {path} (0 new, 1 fuzzy, 0 obsolete)" in result.out.splitlines()
    diff = run("diff", "-u", "--label", "a", "--label", "b", "-", path, input=before).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) <= 20, diff  # only the edited entry
    assert run("msgcat", wrapping, path).stdout == path.read_text(encoding="utf-8")


def test_templates_give_translators_context():
    """References to en.md lines, the section heading, safety notes and what each placeholder becomes."""
    from babel.messages.pofile import read_po

    leaflet = CONTENT / "leaflets" / "naltrexone"
    with (leaflet / "translations" / "naltrexone.pot").open("rb") as handle:
        pot = [message for message in read_po(handle) if message.id]
    english = (leaflet / "en.md").read_text(encoding="utf-8").split("\n")
    import yaml

    safety = set(yaml.safe_load((leaflet / "leaflet.yaml").read_text())["safety_sections"])
    segments = [m for m in pot if m.context not in ("metadata", "medicine", "alert-card")]  # from leaflet.yaml
    assert segments and all(len(m.locations) == 1 and m.locations[0][0] == "en.md" for m in segments)
    for message in segments:
        line = english[message.locations[0][1] - 1]
        assert " ".join(message.id.split()[:3]) in " ".join(line.split()), (message.id, line)
    comments = {m.id: m.auto_comments for m in segments}
    assert any(c.startswith("Section: ") for cs in comments.values() for c in cs)
    safety_messages = [m for m in segments if m.context in safety]
    assert {m.context for m in safety_messages} == safety
    assert not any(c.startswith("Safety text:") for m in segments if m.context not in safety for c in m.auto_comments)
    assert safety_messages and all(any(c.startswith("Safety text:") for c in m.auto_comments) for m in safety_messages)
    with (CONTENT / "translations" / "templates.pot").open("rb") as handle:
        templates = {m.id: m for m in read_po(handle) if m.id}
    assert "%(count)s: a number of tablets" in templates[("%(count)s tablet", "%(count)s tablets")].auto_comments
    assert "%(page)s: the number of this page" in templates["Page %(page)s of %(pages)s"].auto_comments
    assert "of" not in templates and "Page" not in templates


def test_short_template_strings_have_a_context():
    from babel.messages.pofile import read_po

    with (CONTENT / "translations" / "templates.pot").open("rb") as handle:
        messages = [m for m in read_po(handle) if isinstance(m.id, str) and m.id and "%(" not in m.id]
    short = [m for m in messages if len(m.id.split()) <= 2]  # placeholders give a string its own context
    mine = ("contact_card", "review_footer", "templates/leaflet.html", "render_html")
    checked = [m for m in short if any(part in path for path, _ in m.locations for part in mine)]
    assert len(checked) >= 10
    assert [m.id for m in checked if not m.context] == []


def test_a_sentence_removed_then_restored_gets_its_translation_back(content, tmp_path):
    """msgmerge revives an obsolete entry whose English comes back; a catalog never holds it twice."""
    text = content / "leaflets" / "naltrexone" / "en.md"
    original = text.read_text()
    polish = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    before = polish.read_text(encoding="utf-8")
    callout = re.search(r'!!! warning "Sedated detox is not safe"\n {4}.*\n\n', original)
    assert callout and LONG_SENTENCE in callout.group(0)
    text.write_text(original.replace(callout.group(0), ""))  # the whole callout: its title and its text
    assert run_cli("translations", "update", "--content", content).code == 0
    assert "#~ msgid" in polish.read_text(encoding="utf-8")
    text.write_text(original)
    assert run_cli("translations", "update", "--content", content).code == 0
    check_with_gettext_tools(polish, tmp_path)  # msgfmt: no "duplicate message definition"
    assert statistics(polish) == statistics_of(before, tmp_path)


def statistics_of(po_text: str, tmp_path: Path) -> str:
    path = tmp_path / "before.po"
    path.write_text(po_text, encoding="utf-8")
    return statistics(path)
