"""Braille and audio versions of every published leaflet language.

Each version has its own key in the build manifest, made only from what it is
made of (the plain text, the liblouis table or espeak-ng voice, the tools'
versions and this code), so a change to the web page's templates or styles
re-renders no Braille and re-speaks no audio. Audio is spoken in a background
thread while the PDFs render: espeak-ng and ffmpeg run as separate processes.

A language without a Braille table or a voice in ``content/site.yaml``, or
whose table or voice does not work, is left out with a warning naming it.
"""

from __future__ import annotations

import hashlib
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import Problem
from ..i18n.translator import Translator, english
from ..paths import CODE_DIR, write_file
from ..render.audio import AudioUnavailable, audio_chapters, installed_voices, synthesise, tool_versions, voice_problem
from ..render.braille import BrailleUnavailable, brf_problem, leaflet_brf
from ..render.braille_tables import installed_tables
from ..render.spoken_text import ContactDetails, leaflet_plain_text
from ..source.content import SOURCE_LANGUAGE, ContentTree, Leaflet
from ..source.site_config import SiteConfig
from .manifest import BuildManifest
from .output import page_dir

KINDS = {"braille": "Braille", "voices": "audio"}  # site.yaml setting -> the version it makes
CODE = [CODE_DIR / name for name in ("publish/alt_formats.py", "render/spoken_text.py")]


@dataclass(frozen=True)
class FormatFile:
    kind: str  # "braille" or "audio"
    name: str  # file name, beside the PDFs
    size: int  # bytes
    duration: float = 0.0  # seconds, for audio


@cache
def _code_hash(*names: str) -> str:
    paths = CODE + [CODE_DIR / name for name in names]
    return hashlib.sha256(b"".join(path.read_bytes() for path in paths)).hexdigest()


@cache
def _liblouis_version() -> str:
    try:
        return subprocess.run(["lou_translate", "--version"], capture_output=True, text=True, timeout=30).stdout[:200]
    except FileNotFoundError:
        return "lou_translate: missing"


def _key(*parts: str) -> str:
    return hashlib.sha256("\n\0".join(parts).encode()).hexdigest()


@dataclass
class FormatJob:
    """The Braille and audio of one leaflet language: reused, made, or being spoken."""

    key: str = ""
    ready: list[FormatFile] = field(default_factory=list)
    pending: list[tuple[str, str, str, Future]] = field(default_factory=list)  # page id, key, file name, audio
    written: list[Path] = field(default_factory=list)


@dataclass
class AlternativeFormats:
    config: SiteConfig
    manifest: BuildManifest | None
    previous_site: Path | None
    root: Path  # the staging folder
    contact: ContactDetails = ContactDetails()  # what the web page shows in its contact block
    warnings: list[Problem] = field(default_factory=list)
    executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))

    def start(self, leaflet: Leaflet, lang: str, translator: Translator) -> FormatJob:
        """Reuse or make the Braille now; reuse the audio or start speaking it."""
        job = FormatJob()
        text = leaflet_plain_text(leaflet, lang, translator, self.contact)
        table = self._configured("braille", leaflet, lang)
        if table:
            self._braille(job, leaflet, lang, text, table)
        voice = self._configured("voices", leaflet, lang)
        if voice and self._voice_works(voice, leaflet, lang):
            self._audio(job, leaflet, lang, text, voice)
        return job

    def finish(self, job: FormatJob) -> list[FormatFile]:
        """Wait for the audio, write it, and return every file of the job."""
        for page, key, name, future in job.pending:
            try:
                audio = future.result()
            except AudioUnavailable as error:
                self._warn(page.split("#")[0], f"no audio version: {error}")
                continue
            self._write(job, page, key, FormatFile("audio", name, 0), audio.data, audio.duration)
        job.pending.clear()
        return job.ready

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def _configured(self, setting: str, leaflet: Leaflet, lang: str) -> str:
        name = configured_name(self.config, setting, lang)
        if name == "":
            self._warn(f"{leaflet.leaflet_id}/{lang}", not_configured(setting, lang))
        return name or ""

    def _voice_works(self, voice: str, leaflet: Leaflet, lang: str) -> bool:
        problem = voice_problem(voice)
        if problem:
            self._warn(f"{leaflet.leaflet_id}/{lang}", unusable("voices", lang, problem))
        return not problem

    def _braille(self, job: FormatJob, leaflet: Leaflet, lang: str, text, table: str) -> None:
        page = f"{leaflet.leaflet_id}/{lang}#braille"
        key = _key("braille", table, _liblouis_version(), _code_hash("render/braille.py"), repr(text))
        job.key += key
        name = f"{leaflet.leaflet_id}-{lang}.brf"
        if self._reuse(job, page, key, "braille", name):
            return
        try:
            data = leaflet_brf(text, table)
        except BrailleUnavailable as error:
            self._warn(f"{leaflet.leaflet_id}/{lang}", unusable("braille", lang, str(error)))
            return
        self._write(job, page, key, FormatFile("braille", name, 0), data)

    def _audio(self, job: FormatJob, leaflet: Leaflet, lang: str, text, voice: str) -> None:
        page = f"{leaflet.leaflet_id}/{lang}#audio"
        chapters = audio_chapters(text)
        tags = {"title": text.title, "artist": leaflet.meta.publisher, "comment": " ".join(text.intro[1:])}
        key = _key("audio", voice, tool_versions(), _code_hash("render/audio.py"), repr(chapters), repr(tags))
        job.key += key
        name = f"{leaflet.leaflet_id}-{lang}.mp3"
        if not self._reuse(job, page, key, "audio", name):
            job.pending.append((page, key, name, self.executor.submit(synthesise, chapters, voice, tags)))

    def _reuse(self, job: FormatJob, page: str, key: str, kind: str, name: str) -> bool:
        if not (self.manifest and self.previous_site):
            return False
        if not self.manifest.reuse(page, key, self.previous_site, self.root, counted=False):
            return False
        info = self.manifest.current[page].get("info", {})
        job.ready.append(FormatFile(kind, name, int(info.get("size", 0)), float(info.get("duration", 0.0))))
        return True

    def _write(self, job: FormatJob, page: str, key: str, file: FormatFile, data: bytes, duration: float = 0.0):
        leaflet_id, lang = page.split("#")[0].split("/")[:2]
        path = page_dir(self.root, leaflet_id, lang) / file.name
        write_file(path, data)
        made = FormatFile(file.kind, file.name, len(data), round(duration, 2))
        if self.manifest:
            info = {"size": made.size, "duration": made.duration}
            self.manifest.record(page, key, [str(path.relative_to(self.root))], info, counted=False)
        job.ready.append(made)
        job.written.append(path)

    def _warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message, severity="warning"))


def configured_name(config: SiteConfig, setting: str, lang: str) -> str | None:
    """The table or voice ``setting`` in site.yaml gives ``lang``: None when there is to be none, "" when the
    setting forgot the language."""
    names = getattr(config, setting)
    if names is None:
        return None
    name = names.get(lang) or names.get(lang.split("-")[0], "")
    return None if name == "none" else name  # "none": the site chose to have none in this language


def not_configured(setting: str, lang: str) -> str:
    return f"no {KINDS[setting]} version: '{setting}' in site.yaml has no '{lang}'; {what_to_do(setting, lang)}"


def unusable(setting: str, lang: str, problem: str) -> str:
    return f"no {KINDS[setting]} version in '{lang}': {problem}; {what_to_do(setting, lang)}"


def what_to_do(setting: str, lang: str) -> str:
    """Set the language to none, or name another table or voice: those installed for it."""
    if setting == "braille":
        tables = ", ".join(map(str, installed_tables(lang)))
        choices = f"installed for {lang}: {tables}" if tables else f"liblouis has no table for '{lang}'"
        return f"set '{lang}: none' under braille: in site.yaml, or choose another table ({choices})"
    voices = ", ".join(installed_voices(lang))
    choices = f"installed for {lang}: {voices}" if voices else f"espeak-ng has no voice for '{lang}'"
    return f"set '{lang}: none' under voices: in site.yaml, or choose another voice ({choices})"


def format_problems(tree: ContentTree, config: SiteConfig, contact: ContactDetails) -> list[Problem]:
    """The warnings the Braille and audio versions will give, found before anything is rendered with the same
    probes: a language site.yaml forgot, a voice espeak-ng does not have, and a table that cannot make this
    leaflet's BRF (its whole text is translated, so every character it would carry is tried)."""
    problems = []
    for leaflet in tree.leaflets:
        for lang in leaflet.texts:
            for setting in KINDS:
                name = configured_name(config, setting, lang)
                if name is None:
                    continue
                message = not_configured(setting, lang) if name == "" else _probe(setting, name, tree, leaflet, lang,
                                                                                  contact)  # fmt: skip
                if message:
                    problems.append(Problem(f"{leaflet.leaflet_id}/{lang}", message, severity="warning"))
    return problems


def _probe(setting: str, name: str, tree: ContentTree, leaflet: Leaflet, lang: str, contact: ContactDetails) -> str:
    if setting == "voices":
        problem = voice_problem(name)
    else:
        translator = english() if lang == SOURCE_LANGUAGE else tree.translators[lang]
        problem = brf_problem(leaflet_plain_text(leaflet, lang, translator, contact), name)
    return unusable(setting, lang, problem) if problem else ""
