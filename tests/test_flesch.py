"""Words, sentences, syllables and the two Flesch formulas, as the readability check counts them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from leaflets.quality.flesch import flesch_kincaid_grade, flesch_reading_ease, sentence_count, words
from leaflets.quality.syllables import word_syllables


def test_punctuation_goes_but_a_contraction_keeps_its_apostrophe():
    assert words("Don't stop: it's 'quoted', side-effects (50mg)!") == [
        "Don't",
        "stop",
        "it's",
        "quoted",
        "sideeffects",
        "50mg",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("", 0),
        ("Side effects.", 1),  # always at least one
        ("Side effects. Take one tablet a day.", 1),  # a run of two words is not a sentence
        ("Take one tablet. Then wait an hour! Is that all?", 3),
    ],
)
def test_sentences_of_fewer_than_three_words_are_not_counted(text, sentences):
    assert sentence_count(text) == sentences


def test_the_published_formulas():
    # 6 words of one syllable each in one sentence.
    text = "The cat sat on the mat."
    assert flesch_kincaid_grade(text) == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)
    assert flesch_reading_ease(text) == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    # 8 words, 12 syllables (tablet, morning, medicine 3, every 3), 2 sentences.
    text = "Take a tablet every morning. Keep the medicine."
    assert [word_syllables(word.lower()) for word in words(text)] == [1, 1, 2, 3, 2, 1, 1, 3]
    assert flesch_kincaid_grade(text) == pytest.approx(0.39 * 4 + 11.8 * 14 / 8 - 15.59)
    assert flesch_reading_ease(text) == pytest.approx(206.835 - 1.015 * 4 - 84.6 * 14 / 8)


def test_text_without_words_scores_zero():
    assert flesch_kincaid_grade("...") == 0.0
    assert flesch_reading_ease("") == 0.0


def test_words_the_dictionary_lacks_count_hyphenation_points():
    assert word_syllables("naltrexone") == 3  # Pyphen: nal-trex-one


def test_scoring_imports_neither_textstat_nor_nltk():
    code = (
        "import sys; from leaflets.quality.readability import score_text;"
        "score_text('x', ['Take one tablet a day with water.']);"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('textstat', 'nltk')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
