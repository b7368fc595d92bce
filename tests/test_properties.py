"""Property tests: whatever the input, a loader returns clean data or raises a LeafletError.

The regimen parser and clinic profiles have their own property tests (test_regimen.py,
test_clinic.py), and test_batch.py feeds read_batch_csv arbitrary bytes. Here: the content
loader on a leaflet whose leaflet.yaml and en.md are arbitrary, translations that are
arbitrary text, and well-formed CSV files whose cells are arbitrary.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.errors import LeafletError
from leaflets.i18n.localise import load_content
from leaflets.personal.batch import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, read_batch_csv
from leaflets.source.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, parse_markdown

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID_META = (FIXTURES / "minimal" / "leaflets" / "sample" / "leaflet.yaml").read_text(encoding="utf-8")
VALID_TEXT = (FIXTURES / "minimal" / "leaflets" / "sample" / "en.md").read_text(encoding="utf-8")
TODAY = date(2026, 6, 1)


# --- what clean output looks like ------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_sanitised(html: str, tags: set[str] = ALLOWED_TAGS, attributes: dict = ALLOWED_ATTRIBUTES) -> None:
    """Only allowlisted tags and attributes; links only to https, mailto and tel."""
    for tag, attrs in _Tags(str(html)).found:
        assert tag in tags, f"<{tag}> in {html!r}"
        assert set(attrs) <= attributes.get(tag, set()), f"<{tag} {attrs}> in {html!r}"
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "mailto:", "tel:")), html


def assert_problems_are_readable(error: LeafletError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.message.strip()
        assert str(problem).strip()


# --- the content loader ----------------------------------------------------------------------

YAML_PIECES = [
    *VALID_META.splitlines(keepends=True),
    "title: ", "summary: ", "version: ", "languages: [en, pl]\n", "languages: [../../etc]\n", "- ", "  ", "\n",
    ": ", "[", "]", "{", "}", ",", "'", '"', "#", "&a ", "*a", "!!python/object:os.system ", "!!binary ", "|\n",
    ">\n", "<b>", "2027-02-30", "2099-01-01", "1.0", "true", "null", "~", "---\n", "...\n", "\t", "\ufeff",
    "\u202e", "x" * 500, "9" * 5000,
]  # fmt: skip
MARKDOWN_PIECES = [
    *VALID_TEXT.splitlines(keepends=True),
    "## Heading {#heading}\n", "## Safety {#safety}\n", "## No id\n", "### Sub {#sub}\n", "#### Deep\n", "# Title\n",
    '!!! warning "Care"\n', "!!! danger\n", "!!! do\n", "    - indented item\n", "    text\n", "- item\n", "1. one\n",
    "**bold**", "*italic*", "`code`", "> quote\n", "---\n", "title: x\n", "| a | b |\n", "***\n",
    "<script>alert(1)</script>", "<b onclick=x>", "<!-- note -->", "&lt;", "&#x3c;script&#x3e;", "&amp;",
    "[link](https://example.org)", "[bad](javascript:alert(1))", "[ftp](ftp://x)", "<http://example.org>",
    "![img](file:///etc/passwd)", "[ref][1]\n\n[1]: http://example.org\n", "{: #id }", "{#a}", "{{ 7*7 }}",
    "{% raw %}", "\x02wzxhzdk:0\x03", "\x00", "\u202e", "\r\n", "\t", " ", "\n", "\n\n", "word ", "50 mg",
]  # fmt: skip


def spliced(valid: str, pieces: list[str]) -> st.SearchStrategy[str]:
    """The valid file with a few pieces inserted at random lines: mostly almost-valid input."""
    lines = valid.splitlines(keepends=True)
    insert = st.tuples(st.integers(0, len(lines)), st.sampled_from(pieces) | st.text(max_size=8))

    def apply(insertions):
        result = list(lines)
        for index, piece in sorted(insertions, reverse=True):
            result.insert(index, piece)
        return "".join(result)

    return st.lists(insert, max_size=4).map(apply)


def file_contents(valid: str, pieces: list[str]) -> st.SearchStrategy[bytes]:
    texts = st.one_of(
        st.just(valid),
        spliced(valid, pieces),
        spliced(valid, pieces),
        spliced(valid, pieces),
        st.lists(st.sampled_from(pieces) | st.text(max_size=6), max_size=30).map("".join),
        st.text(max_size=300),
    )
    return st.one_of(texts.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary(max_size=120))


META_FILES = file_contents(VALID_META, YAML_PIECES)
TEXT_FILES = file_contents(VALID_TEXT, MARKDOWN_PIECES)
VALID = (VALID_META.encode(), VALID_TEXT.encode())
FILE_PAIRS = st.one_of(  # mostly one file broken at a time, so the loader often gets far
    TEXT_FILES.map(lambda text: (VALID[0], text)),
    META_FILES.map(lambda meta: (meta, VALID[1])),
    st.tuples(META_FILES, TEXT_FILES),
)


@SETTINGS
@given(files=FILE_PAIRS)
def test_content_loader_gives_clean_leaflets_or_a_leaflet_error(files):
    meta, text = files
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder)
        leaflet = content / "leaflets" / "sample"
        leaflet.mkdir(parents=True)
        (leaflet / "leaflet.yaml").write_bytes(meta)
        (leaflet / "en.md").write_bytes(text)
        try:
            tree = load_content(content, today=TODAY)
        except LeafletError as error:
            assert_problems_are_readable(error)
            return
    for leaflet in tree.leaflets:
        for leaflet_text in leaflet.texts.values():
            for section in leaflet_text.sections:
                assert_sanitised(section.heading, {"strong", "br", "span"}, {"span": {"lang"}})  # lang="en": a fallback
                for block in section.blocks:
                    assert_sanitised(block.html)
                    assert_sanitised(block.title, {"strong", "br", "span"}, {"span": {"lang"}})


@SETTINGS
@given(data=st.data())
def test_any_translation_is_shown_sanitised_or_refused(data):
    """A translator's text, whatever it is, never becomes markup the allowlist does not have."""

    def translate(_section_id: str, _text: str) -> str | None:
        return data.draw(st.none() | st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=40), label="translation")

    parsed = parse_markdown(VALID_TEXT, "pl.po", translate)
    for problem in parsed.problems:
        assert problem.message.strip()
    for section in parsed.sections:  # sanitised even when refused: nh3 is the second line of defence
        assert_sanitised(section.heading, {"strong", "br", "span"}, {"span": {"lang"}})
        for block in section.blocks:
            assert_sanitised(block.html)


# --- the batch CSV reader ----------------------------------------------------------------------

COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CELL_VALUES = ["A1", "a-1", "../x", "sample", "en", "pl", "example", "../../etc/passwd", "daily:50", "daily:500",
               "mon:100,wed:100,fri:150", "yes", "no", "maybe", "2025-03-03", "2025-02-30", "<script>", "=1+1", '"',
               ",", "\n", "\r\n", " ", "", "\ufeff", "\u202e", "\x00"]  # fmt: skip
# Names are built from letters no other cell uses, so finding one in a message means the name leaked.
NAMES = st.text(alphabet="ЖЯЮ", min_size=1, max_size=6).map(lambda tail: f"Жz {tail}")
CELLS = st.sampled_from(CELL_VALUES) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="ЖЯЮ"), max_size=12
)
GOOD_CELLS = {"ref": ["A1", "B2", "c-3", "d_4"], "leaflet": ["sample"], "lang": ["en"], "clinic": ["example"],
              "regimen": ["daily:50"], "start_date": [""], "next_appointment": ["2025-03-31"],
              "confirm_unusual_dose": ["", "yes"], "prescriber": [""], "large_print": ["", "no"],
              "only": ["", "treatment"], "supervised": [""], "tick_chart": ["", "no"]}  # fmt: skip
ROW = st.fixed_dictionaries({column: st.sampled_from(GOOD_CELLS[column]) | CELLS for column in GOOD_CELLS}).flatmap(
    lambda cells: NAMES.map(lambda name: {**cells, "name": name})
)


def write_csv(rows: list[dict], extra_cells: list[int]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row, extra in zip(rows, extra_cells, strict=True):
        cells = [row[column] for column in COLUMNS]
        writer.writerow(cells + ["x"] * extra if extra >= 0 else cells[:extra])
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@SETTINGS
@given(rows=st.lists(ROW, min_size=1, max_size=5), data=st.data())
def test_csv_rows_are_read_or_reported_without_echoing_names(rows, data):
    extra_cells = data.draw(st.lists(st.integers(-2, 2), min_size=len(rows), max_size=len(rows)), label="extra")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.csv"
        path.write_bytes(write_csv(rows, extra_cells))
        try:
            read, problems = read_batch_csv(path)
        except LeafletError as error:
            assert_problems_are_readable(error)
            messages = error.lines()
            read = []
        else:
            messages = [str(problem) for problem in problems]
            assert all(problem.message.strip() for problem in problems)
    for message in messages:
        assert "Ж" not in message, message
    for row in read:
        assert row.request.name.startswith("Жz")
        assert len(row.ref) <= 40
