"""Spoken leaflets: espeak-ng speaks each chapter, ffmpeg joins and encodes them.

One MP3 file per leaflet language (the format every phone, computer and
DAISY/MP3 player plays), 22.05 kHz mono at 32 kbit/s, with an ID3 chapter
(CHAP) per section after a short introduction naming the leaflet, its version
and its review date. Doses are spoken as words in the leaflet's language
("one hundred milligrams"): num2words gives the number, Babel's CLDR data the
unit and its plural. Left to itself, espeak-ng reads "100 mg" as "100 em gee".
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.units import format_unit
from num2words import CONVERTER_CLASSES, num2words

from ..errors import BuildError
from ..i18n.numbers_in_text import UNITS, NumberInText, numbers_in
from ..source.languages import format_locale
from .spoken_text import LeafletPlainText

SPEECH_RATE = 160  # words a minute; espeak-ng's default (175) is fast for health information
SAMPLE_RATE = 22050
BITRATE = "32k"
NOT_IN_NUMBER = r"(?<!\d)(?<!\d[.,])", r"(?!\d|[.,]\d)"  # a full stop may end a sentence after a number
THREE_DIGITS_RE = re.compile(NOT_IN_NUMBER[0] + r"(\d{3})" + NOT_IN_NUMBER[1])  # 999, 111: said digit by digit
LEADING_ZERO_RE = re.compile(NOT_IN_NUMBER[0] + r"(0\d[\d ]{4,}\d)" + NOT_IN_NUMBER[1])  # phones: 0161 496 0000
CODE_RE = re.compile(r"(?<=[^\W\d_])(?=\d)")  # a code such as TA115: the letters, then the number
NUMBER_RE = re.compile(NOT_IN_NUMBER[0] + r"(\d+(?:[.,]\d+)?)" + NOT_IN_NUMBER[1])


class AudioUnavailable(BuildError):
    """espeak-ng or ffmpeg is missing, or the language has no voice."""


@dataclass(frozen=True)
class Chapter:
    title: str
    text: str  # as spoken: numbers already words


@dataclass(frozen=True)
class AudioFile:
    data: bytes
    duration: float  # seconds
    chapters: tuple[tuple[str, float, float], ...]  # title, start, end in seconds


def number_words(value: str, lang: str) -> str:
    """'100' -> 'one hundred'; '2.5' -> 'two point five', when num2words has a word for the point."""
    lang = lang.split("-")[0]
    if lang not in CONVERTER_CLASSES:
        return value  # num2words cannot say it: espeak-ng reads the number its own way
    whole, _sep, fraction = value.replace(",", ".").replace("\u066b", ".").partition(".")
    if not fraction:
        return num2words(int(whole), lang=lang)
    point = getattr(CONVERTER_CLASSES.get(lang), "pointword", "")
    if not point.replace(" ", "").isalpha():
        return value  # num2words has no word for it (Arabic): espeak-ng reads the digits
    digits = " ".join(num2words(int(digit), lang=lang) for digit in fraction)
    return f"{num2words(int(whole), lang=lang)} {point} {digits}"


def dose_words(number: NumberInText, lang: str) -> str:
    """'100 mg', '100 мг', '١٠٠ مغم' -> the number in words with the unit's CLDR plural: 'one hundred
    milligrams', 'сто міліграмів'."""
    unit = format_unit(number.value, number.unit, length="long", locale=format_locale(lang))
    words = number_words(number.written, lang)
    return re.sub(r"[\d٠-٩.,\u066b\u066c\u00a0]+", words + " ", unit, count=1).strip()


def doses_in_words(text: str, lang: str) -> str:
    """Every number followed by a unit of mass or volume (as the translation check reads them) in words."""
    for number in reversed(numbers_in(text, lang)):
        if number.unit in UNITS:
            text = text[: number.start] + dose_words(number, lang) + text[number.end :]
    return text


def digit_by_digit(match: re.Match, lang: str) -> str:
    return " ".join(number_words(digit, lang) for digit in match.group(1) if digit.isdigit())


def spoken(text: str, lang: str, phones: tuple[str, ...] = ()) -> str:
    """Text as it should be spoken: doses in words, phone and emergency numbers digit by digit (``phones``: the
    numbers the text is known to give, however written, e.g. 1-800-662-4357), other numbers as words too
    (espeak-ng's own reading of digits is not repeatable in every language)."""
    for phone in sorted(phones, key=len, reverse=True):
        said = " ".join(number_words(digit, lang) for digit in phone if digit.isdigit())
        text = text.replace(phone, said) if said else text
    text = doses_in_words(CODE_RE.sub(" ", text), lang)
    text = LEADING_ZERO_RE.sub(lambda m: digit_by_digit(m, lang), text)
    text = THREE_DIGITS_RE.sub(lambda m: digit_by_digit(m, lang), text)
    text = NUMBER_RE.sub(lambda m: number_words(m.group(1), lang), text)
    return " ".join(text.split())


def sentence(text: str) -> str:
    """End a list item or heading with a full stop, so the voice pauses after it."""
    return text if text[-1:] in ".!?:;。؟" else text + "."


def audio_chapters(text: LeafletPlainText) -> list[Chapter]:
    """The introduction, then one chapter per section, each starting with its heading."""
    # One block a line: espeak-ng says "dot" for a full stop before a lower-case word on the same line.
    chapters = [Chapter(text.title, "\n".join(sentence(spoken(line, text.lang)) for line in text.intro))]
    for section in text.sections:
        lines = [sentence(spoken(section.heading, text.lang))]
        lines += [sentence(spoken(f"{b.marker} {b.text}".strip(), text.lang, b.phones)) for b in section.blocks]
        chapters.append(Chapter(section.heading, "\n".join(lines)))
    return chapters


@cache
def voice_problem(voice: str) -> str:
    """Why ``voice`` cannot speak, or '' when it can."""
    try:
        result = subprocess.run(["espeak-ng", "-v", voice, "-q", "test"], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return "espeak-ng is not installed (Debian package espeak-ng)"
    return f"espeak-ng has no voice '{voice}'" if result.returncode else ""


@cache
def installed_voices(lang: str, most: int = 8) -> tuple[str, ...]:
    """The espeak-ng voices for ``lang`` (``espeak-ng --voices=LANG``), without MBROLA ones (another package) or
    variants."""
    try:
        listing = subprocess.run(["espeak-ng", f"--voices={lang.split('-')[0]}"], capture_output=True, text=True,
                                 timeout=30).stdout  # fmt: skip
    except FileNotFoundError:
        return ()
    rows = [row.split() for row in listing.splitlines()[1:]]
    voices = [row[1] for row in rows if len(row) > 4 and row[4].split("/")[0] not in ("mb", "!v")]  # no variants
    return tuple(dict.fromkeys(voices))[:most]


def speak(chapter: Chapter, voice: str, path: Path) -> float:
    """One chapter to a WAV file; returns its length in seconds."""
    text_file = path.with_suffix(".txt")
    text_file.write_text(chapter.text, encoding="utf-8")
    command = ["espeak-ng", "-v", voice, "-s", str(SPEECH_RATE), "-b", "1", "-w", str(path), "-f", str(text_file)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise AudioUnavailable(f"espeak-ng failed for voice '{voice}': {result.stderr.strip()[:200]}")
    with wave.open(str(path)) as sound:
        return sound.getnframes() / sound.getframerate()


def ffmetadata(tags: dict[str, str], chapters: list[tuple[str, float, float]]) -> str:
    """ffmpeg's metadata file: global tags, then one [CHAPTER] each (times in ms)."""

    def escape(value: str) -> str:
        return re.sub(r"([=;#\\\n])", r"\\\1", value)

    lines = [";FFMETADATA1", *(f"{key}={escape(value)}" for key, value in tags.items())]
    for title, start, end in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}", f"END={round(end * 1000)}"]
        lines.append(f"title={escape(title)}")
    return "\n".join(lines) + "\n"


def encode_mp3(wavs: list[Path], metadata: str, workdir: Path) -> bytes:
    listing = workdir / "list.txt"
    listing.write_text("".join(f"file '{path.name}'\n" for path in wavs), encoding="utf-8")
    (workdir / "meta.txt").write_text(metadata, encoding="utf-8")
    output = workdir / "out.mp3"
    command = [
        "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
        "-i", str(workdir / "meta.txt"), "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "libmp3lame", "-b:a", BITRATE, "-compression_level", "7",
        "-id3v2_version", "3", "-fflags", "+bitexact", str(output),
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise AudioUnavailable("ffmpeg is not installed (Debian package ffmpeg)") from None
    if result.returncode:
        raise AudioUnavailable(f"ffmpeg could not encode the audio: {result.stderr.strip()[:200]}")
    return output.read_bytes()


def synthesise(chapters: list[Chapter], voice: str, tags: dict[str, str]) -> AudioFile:
    """Speak every chapter, then join them into one MP3 with a chapter mark at each start."""
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        workdir = Path(folder)
        marks, start, wavs = [], 0.0, []
        for number, chapter in enumerate(chapters, start=1):
            wav = workdir / f"chapter-{number:03d}.wav"
            length = speak(chapter, voice, wav)
            marks.append((chapter.title, start, start + length))
            start += length
            wavs.append(wav)
        data = encode_mp3(wavs, ffmetadata(tags, marks), workdir)
    return AudioFile(data, start, tuple(marks))


@cache
def tool_versions() -> str:
    """espeak-ng's and ffmpeg's versions: part of the audio's cache key."""
    versions = []
    for command in (["espeak-ng", "--version"], ["ffmpeg", "-version"]):
        try:
            versions.append(subprocess.run(command, capture_output=True, text=True, timeout=30).stdout[:200])
        except FileNotFoundError:
            versions.append(f"{command[0]}: missing")
    return "\n".join(versions)
