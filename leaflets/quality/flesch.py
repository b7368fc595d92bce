"""Words, sentences and the two Flesch formulas, counted as textstat 0.7.13 counts them.

- Words: punctuation is removed (hyphens too, so "side-effect" is one word; an
  apostrophe stays only in a contraction such as "don't"), then the text is split on
  whitespace.
- Sentences: runs of text up to ``.``, ``!`` or ``?``; a run of one or two words (a
  heading such as "Side effects.") is not counted as a sentence, but its words are.
  There is always at least one sentence.
- Syllables: see ``syllables.py``.

Flesch-Kincaid grade = 0.39 x words per sentence + 11.8 x syllables per word - 15.59
(a US school grade; lower is easier). Flesch reading ease = 206.835 - 1.015 x words
per sentence - 84.6 x syllables per word (higher is easier). Both are 0 for text
without words. Scores are not rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .syllables import word_syllables

NON_CONTRACTION_APOSTROPHE_RE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
PUNCTUATION_RE = re.compile(r"[^\w\s']")
SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")
SHORTEST_SENTENCE = 3  # words


def words(text: str) -> list[str]:
    """The words of ``text``, punctuation removed."""
    return PUNCTUATION_RE.sub("", NON_CONTRACTION_APOSTROPHE_RE.sub("", text)).split()


def word_count(text: str) -> int:
    return len(words(text))


def sentence_count(text: str) -> int:
    if not text:
        return 0
    runs = SENTENCE_RE.findall(text)
    return max(1, sum(1 for run in runs if word_count(run) >= SHORTEST_SENTENCE))


@dataclass(frozen=True)
class Counts:
    """The averages both formulas use."""

    words_per_sentence: float
    syllables_per_word: float

    @classmethod
    def of(cls, text: str) -> Counts:
        found = words(text)
        syllables = sum(word_syllables(word.lower()) for word in found)
        sentences = sentence_count(text)
        return cls(len(found) / sentences if sentences else 0.0, syllables / len(found) if found else 0.0)

    @property
    def empty(self) -> bool:
        return self.words_per_sentence == 0 or self.syllables_per_word == 0


def flesch_kincaid_grade(text: str) -> float:
    counts = Counts.of(text)
    if counts.empty:
        return 0.0
    return (0.39 * counts.words_per_sentence) + (11.8 * counts.syllables_per_word) - 15.59


def flesch_reading_ease(text: str) -> float:
    counts = Counts.of(text)
    if counts.empty:
        return 0.0
    return 206.835 - 1.015 * counts.words_per_sentence - 84.6 * counts.syllables_per_word
