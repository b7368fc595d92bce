"""Readability of the English text: Flesch-Kincaid grade and Flesch reading ease, whole and per section."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from leaflets.i18n.localise import load_content
from leaflets.quality.readability import MAX_GRADE, MIN_EASE, as_sentence, assess_leaflet, plain_blocks
from leaflets.quality.syllables import word_syllables

TEXT = "leaflets/sample/en.md"
SECTION_IDS = [
    "about",
    "before-you-start",
    "how-to-take",
    "side-effects",
    "benefits-and-drawbacks",
    "safety",
    "staying-away",
    "contact",
]
HARD_SECTION = """## About {#about}

Notwithstanding the considerable heterogeneity of pharmacological interventions documented in \
contemporary literature, individuals contemplating naltrexone-assisted maintenance should comprehensively \
evaluate contraindications, concomitant medications and physiological circumstances with appropriately \
qualified healthcare professionals before commencing administration.

Pharmacokinetic considerations, particularly hepatic metabolism and the consequent interindividual \
variability in plasma concentrations, necessitate individualised therapeutic monitoring.
"""


@pytest.fixture(scope="module")
def naltrexone_report():
    tree = load_content(ROOT / "content", translations=False)
    return assess_leaflet(next(leaflet for leaflet in tree.leaflets if leaflet.leaflet_id == "naltrexone"))


def test_real_leaflet_meets_the_targets(naltrexone_report):
    scores = (naltrexone_report.whole, *naltrexone_report.sections)
    missed = {
        score.label: (score.grade, score.ease) for score in scores if score.grade > MAX_GRADE or score.ease < MIN_EASE
    }
    assert missed == {}
    assert naltrexone_report.problems == []


def test_report_covers_every_section_in_order(naltrexone_report):
    labels = [score.label for score in naltrexone_report.sections]
    assert labels == SECTION_IDS
    assert naltrexone_report.whole.longest[0].startswith("It may suit you if you do not want a treatment")


def test_check_prints_a_row_per_section_with_its_longest_sentence(cli):
    result = cli("check", "--content", ROOT / "content")
    assert result.code == 0, result.err
    [report] = [part for part in result.out.split("Readability of ")[1:] if "/naltrexone/" in part.splitlines()[0]]
    rows = {line.split()[0]: line for line in report.splitlines() if re.match(r"^  [a-z-]+ +\d+\.\d +\d+\.\d ", line)}
    assert list(rows) == SECTION_IDS
    assert all(re.search(r"  \(\d+ words\) \w", row) for row in rows.values()), rows
    assert "    (21 words) It may suit you if you do not want a treatment" in result.out  # the longest, in full
    assert re.search(r"^  whole leaflet +\d+\.\d +\d+\.\d ", result.out, re.MULTILINE)
    assert "Readability of " in result.out and "(targets: grade <= 7, ease >= 60)" in result.out
    assert "misses a target" not in result.out
    assert "warning: " not in result.err


def test_hard_text_is_a_warning_and_fails_under_strict(cli, minimal_content):
    text = minimal_content / TEXT
    text.write_text(text.read_text().replace("## About {#about}\n\nThis is a sample leaflet.\n", HARD_SECTION))
    warning = re.compile(
        re.escape(f"{text}:1: warning: about: reading grade ")
        + r"\d+\.\d \(target at most 7\), reading ease -?\d+\.\d \(target at least 60\); "
        + re.escape("use shorter sentences and shorter words. Longest sentence (32 words): 'Notwithstanding the ")
        + r".* before commencing administration\.'"
    )
    relaxed = cli("check", "--content", minimal_content)
    assert relaxed.code == 0, relaxed.err
    assert any(warning.fullmatch(line) for line in relaxed.err.splitlines()), relaxed.err
    assert re.search(r"^  about +\d+\.\d +-?\d+\.\d .*<- misses a target$", relaxed.out, re.MULTILINE)
    assert "Content is valid" in relaxed.out
    strict = cli("check", "--strict", "--content", minimal_content)
    assert strict.code == 1
    refusal = re.compile(warning.pattern.replace("warning:", "error:", 1))  # a line that stops the check says so
    assert any(refusal.fullmatch(line) for line in strict.err.splitlines()), strict.err
    assert "Content is valid" not in strict.out


def test_easy_sections_of_a_hard_leaflet_are_not_flagged(minimal_content):
    text = minimal_content / TEXT
    text.write_text(text.read_text().replace("## About {#about}\n\nThis is a sample leaflet.\n", HARD_SECTION))
    report = assess_leaflet(load_content(minimal_content, translations=False).leaflets[0])
    assert [problem.field for problem in report.problems] == ["whole leaflet", "about"]


def test_each_paragraph_list_item_and_heading_is_its_own_sentence():
    html = "<h3>Side <strong>effects</strong></h3>\n<p>The more common ones are:</p>\n<ul>\n<li>headache</li>\n<li>feeling sick.</li>\n</ul>"
    assert plain_blocks(html) == ["Side effects", "The more common ones are:", "headache", "feeling sick."]
    assert [as_sentence(block) for block in plain_blocks(html)] == [
        "Side effects.",
        "The more common ones are:.",
        "headache.",
        "feeling sick.",
    ]


def test_nested_list_items_are_separate_sentences():
    assert plain_blocks("<ul><li>one<ul><li>two</li></ul></li><li>three</li></ul>") == ["one", "two", "three"]


@pytest.mark.parametrize(("word", "syllables"), [("heroin", 3), ("every", 3), ("opioid", 3), ("counselling", 3)])
def test_syllables_come_from_the_packaged_cmu_dictionary(word, syllables):
    # Pyphen alone, textstat's fallback, counts one syllable for each of these words.
    assert word_syllables(word) == syllables
