"""Every content error message, as the user sees it, with its exit code."""

from __future__ import annotations

import pytest

LEAFLET = "leaflets/sample/leaflet.yaml"
TEXT = "leaflets/sample/en.md"


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


META_CASES = [
    ("title: Sample leaflet\n", "", ":1: title: required field is missing"),
    ("title: Sample leaflet", "title: 42", ":1: title: expected text, got a number 42"),
    ("title: Sample leaflet", "title: ''", ":1: title: expected text, got an empty value"),
    ("title: Sample leaflet", "title: <b>Sample</b>", ":1: title: must be plain text; remove '<' and '>'"),
    ('version: "1.0"', "version: 1.0", ':5: version: expected a version in quotes such as "1.2", got a number 1.0'),
    (
        "next_review: 2099-01-01",
        "next_review: 2027/13/01",
        ":7: next_review: expected a date (YYYY-MM-DD), got '2027/13/01'",
    ),
    (
        "next_review: 2099-01-01",
        "next_review: 2027-02-30",
        ":7: next_review: expected a date (YYYY-MM-DD), got '2027-02-30'",
    ),
    ("next_review: 2099-01-01", "next_review: 2025-06-01", ":7: next_review: must be after last_reviewed"),
    (
        "needs_clinical_review: false",
        "needs_clinical_review: maybe",
        ":12: needs_clinical_review: expected true or false, got 'maybe'",
    ),
    (
        "url: https://example.org/source",
        "url: http://example.org/source",
        ":10: sources: source 1: expected a web address starting with https://, got 'http://example.org/source'",
    ),
    (
        "safety_sections: [safety]",
        "safety_sections: safety",
        ":13: safety_sections: expected a list of section ids such as [safety], got 'safety'",
    ),
    (
        "safety_sections: [safety]",
        "safety_sections: [missing]",
        ": safety_sections: 'missing' is not a section id in the English text",
    ),
    (
        "safety_sections: [safety]",
        "safety_sections: [safety]\nlanguages: [EN]",
        ":14: languages: expected a BCP 47 language tag such as 'en' or 'pt-BR', got 'EN'",
    ),
    (
        "safety_sections: [safety]",
        "safety_sections: [safety]\nlanguages: [xx]",
        ":14: languages: 'xx' is not a language CLDR knows",
    ),
    (
        "title: Sample leaflet",
        "title: Sample leaflet\ntitle: Again",
        ":2: invalid YAML: duplicate key 'title' (first on line 1)",
    ),
    ("title: Sample leaflet", "title: [unclosed", ":2: invalid YAML: expected ',' or ']', but got ':'"),
    (
        "title: Sample leaflet",
        "title: !!python/object:os.system x",
        ":1: invalid YAML: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; use plain values",
    ),
    (
        "title: Sample leaflet",
        "title: &a x\nsummary2: *a",
        ":2: invalid YAML: aliases (*name) are not allowed; write the value out",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), META_CASES)
def test_metadata_error_is_reported_with_file_line_and_field(cli, minimal_content, old, new, expected):
    replace_in(minimal_content / LEAFLET, old, new)
    result = cli("check", "--content", minimal_content)
    assert result.code == 1
    assert f"{minimal_content / LEAFLET}{expected}" in result.err.splitlines()
    assert "Traceback" not in result.err


TEXT_CASES = [
    (
        "## About {#about}",
        "## About",
        ":1: section heading needs a stable id such as '## Side effects {#side-effects}' (lowercase letters, digits, hyphens); found none",
    ),
    (
        "## About {#about}",
        "## About {#About_Us}",
        ":1: section heading needs a stable id such as '## Side effects {#side-effects}' (lowercase letters, digits, hyphens); found 'About_Us'",
    ),
    ("## Contact {#contact}", "## Contact {#about}", ":10: section id 'about' is used twice (also line 1)"),
    (
        "## About {#about}",
        "Intro text.\n\n## About {#about}",
        ":1: text before the first '## ' heading; start each section with a heading",
    ),
    ("This is a sample leaflet.", "This is *very* important.", ":3: use **bold** for emphasis, not italics"),
    (
        "This is a sample leaflet.",
        "<script>alert(1)</script>",
        ":3: raw HTML is not allowed ('<script>alert(1)</script>'); write plain Markdown",
    ),
    (
        "This is a sample leaflet.",
        'Click <span onclick="x()">here</span>.',
        ":3: raw HTML is not allowed ('<span onclick=\"x()\">'); write plain Markdown",
    ),
    ("This is a sample leaflet.", "![map](file:///etc/passwd)", ":3: images are not supported in leaflet text"),
    (
        "This is a sample leaflet.",
        "See [this](http://example.org).",
        ":3: link 'http://example.org' must start with https://, mailto: or tel:",
    ),
    (
        '!!! warning "Take care"',
        '!!! danger "Take care"',
        ":7: unknown callout type 'danger'; use one of warning, important, information, do, dont",
    ),
    (
        "## About {#about}",
        "---\ntitle: [x\n---\n## About {#about}",
        ":3: invalid YAML: expected ',' or ']', but got '<stream end>'",
    ),
    (
        "## About {#about}",
        "---\ntitle: x\n## About {#about}",
        ":1: front matter starts with '---' but has no closing '---' line",
    ),
    ("## About {#about}", "---\ntitle: 5\n---\n## About {#about}", ":2: title: expected text, got a number 5"),
]


@pytest.mark.parametrize(("old", "new", "expected"), TEXT_CASES)
def test_text_error_is_reported_with_file_and_line(cli, minimal_content, old, new, expected):
    replace_in(minimal_content / TEXT, old, new)
    result = cli("check", "--content", minimal_content)
    assert result.code == 1
    assert f"{minimal_content / TEXT}{expected}" in result.err.splitlines()


def test_all_errors_in_the_tree_are_reported_together(cli, minimal_content):
    replace_in(minimal_content / LEAFLET, "title: Sample leaflet", "title: 42")
    replace_in(minimal_content / TEXT, "This is a sample leaflet.", "<iframe src=x></iframe>")
    result = cli("check", "--content", minimal_content)
    assert result.code == 1
    assert "title: expected text" in result.err
    assert "raw HTML is not allowed" in result.err


def test_unknown_key_is_a_warning_and_an_error_under_strict(cli, minimal_content):
    replace_in(minimal_content / LEAFLET, "title: Sample leaflet", "title: Sample leaflet\ncolour: blue")
    expected = f"{minimal_content / LEAFLET}:2: warning: colour: unknown field; known fields: "
    relaxed = cli("check", "--content", minimal_content)
    assert relaxed.code == 0
    assert expected in relaxed.err
    strict = cli("check", "--strict", "--content", minimal_content)
    assert strict.code == 1
    assert expected.replace(": warning: ", ": error: ") in strict.err


def test_past_review_date_warns_and_fails_under_strict(cli, minimal_content):
    replace_in(minimal_content / LEAFLET, "last_reviewed: 2026-01-01", "last_reviewed: 2020-01-01")
    replace_in(minimal_content / LEAFLET, "next_review: 2099-01-01", "next_review: 2021-01-01")
    message = "next_review: the review was due on 2021-01-01; review the leaflet and update next_review"
    assert message in cli("check", "--content", minimal_content).err
    result = cli("--strict", "check", "--content", minimal_content)
    assert result.code == 1
    assert message in result.err


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda c: (c / LEAFLET).write_bytes(b""), f"{LEAFLET}: file is empty"),
        (
            lambda c: (c / TEXT).write_bytes(b"## A {#a}\n\ncaf\xe9\n"),
            f"{TEXT}:3: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        (lambda c: (c / TEXT).unlink(), f"{TEXT}: cannot read file: No such file or directory"),
        (
            lambda c: (c / LEAFLET).write_text("- a list\n"),
            f"{LEAFLET}:1: expected a mapping of field: value, got a list",
        ),
        (
            lambda c: (c / "leaflets" / "Bad_Name").mkdir(),
            "leaflets/Bad_Name: leaflet folder names use lowercase letters, digits and hyphens",
        ),
        (
            lambda c: (c / TEXT).write_text("x" * 1_100_000),
            f"{TEXT}: file is 1100000 bytes; the limit is 131072 bytes",
        ),
    ],
)
def test_file_level_errors(cli, minimal_content, setup, expected):
    setup(minimal_content)
    result = cli("check", "--content", minimal_content)
    assert result.code == 1
    assert any(line.endswith(expected) for line in result.err.splitlines()), result.err


def test_missing_content_folder(cli, tmp_path):
    result = cli("check", "--content", tmp_path / "nowhere")
    assert result.code == 1
    assert result.err.strip() == f"{tmp_path / 'nowhere'}: no 'leaflets' folder here; is --content right?"


def test_clean_content_checks_ok(cli, minimal_content):
    result = cli("check", "--content", minimal_content)
    assert result.code == 0, result.err
    assert "Content is valid: 1 leaflet(s)" in result.out
