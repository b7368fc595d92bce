"""Translated leaflets: PO catalogs applied to the English source, and the
rules that decide whether a language may be published.

The rules (also in README.md):

1. A language is withheld (left out of the site, refused by ``print``) when
   any segment of a safety section (``safety_sections``) is untranslated or
   fuzzy, when its template catalog is incomplete (it carries the dose
   calendar and the alert card), or when a catalog is missing or broken.
2. Any other untranslated or fuzzy segment, and any help-line name not yet
   translated (templates' catalog, context "help line"), is shown in current
   English, marked ``lang="en"``, and the page says that some parts are in English.
   The build warns; under ``--strict`` that is an error too.
3. Until ``translation_reviews`` in leaflet.yaml names a qualified medical
   translator for the language, the footer marks it as a draft translation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..errors import ContentError, Problem
from ..source.content import (
    SOURCE_LANGUAGE,
    AlertCardContent,
    ContentTree,
    Leaflet,
    LeafletText,
    keep_warnings,
    load_text,
    read_content,
)
from ..source.countries import Country, load_countries
from ..source.languages import language
from ..source.markup import Section, isolate_ltr_runs, parse_markdown
from ..source.metadata import check_text
from ..source.translation_state import LanguageState
from .catalog_templates import (
    ALERT_CARD_CONTEXT,
    MEDICINE_CONTEXT,
    METADATA_CONTEXT,
    PERSONAL_CONTEXTS,
    source_template,
    templates_template,
)
from .help_lines import HELP_LINE_CONTEXT
from .translation_checks import fidelity
from .translations import (
    catalog_status,
    leaflet_catalog_dir,
    message_line,
    read_catalog,
    templates_catalog_dir,
    translations_for,
)
from .translator import Translator


def load_content(
    content_dir: Path, *, today: date | None = None, strict: bool = False, translations: bool = True
) -> ContentTree:
    """Every leaflet under ``content_dir/leaflets``, in English and (unless told not to) every translation.

    Raises on any error, and under strict on any warning.
    """
    tree, problems = read_content(content_dir, today=today, strict=strict)
    if translations and not any(p.severity == "error" for p in problems):
        problems.extend(add_languages(tree))
    return keep_warnings(tree, problems, strict)


def load_template_translator(
    content_dir: Path, lang: str, template
) -> tuple[Translator | None, list[str], list[Problem]]:
    """The template-string translator for a language, or the reasons it is unusable (they withhold the
    language); and the warnings: help-line names not yet translated, shown in English.

    A catalog that is there but broken (garbled, bad syntax or plural rule) is a ContentError.
    """
    path = templates_catalog_dir(content_dir) / f"{lang}.po"
    if not path.exists():
        return None, [f"{path} is missing; run 'build.py translations update' and translate it"], []
    catalog = read_catalog(path, lang)
    status = catalog_status(catalog, None, template, lang)
    if status.safety_not_current:
        gaps = status.safety_not_current
        reason = f"{path}: {len(gaps)} template string(s) not translated or fuzzy, e.g. '{gaps[0]}'"
        return None, [reason], []
    _keep_current_help_lines(catalog, lang, str(path))
    warnings = []
    if status.gaps:  # only help-line names are left
        message = f"{len(status.gaps)} help-line name(s) not translated or fuzzy are shown in English"
        warnings.append(Problem(str(path), f"{message}, e.g. '{status.gaps[0]}'", severity="warning"))
    return Translator(lang, translations_for(catalog)), [], warnings


def _keep_current_help_lines(catalog, lang: str, label: str) -> None:
    """Drop the help-line names a page may not show (fuzzy, or a number changed): they stay English.
    A translated name is plain text, as in countries.yaml; anything else is refused with its line."""
    problems = []
    for message in list(catalog):
        if message.context != HELP_LINE_CONTEXT or not message.id or not message.string:
            continue
        if message.fuzzy or not fidelity(message, lang).faithful:
            catalog.delete(message.id, context=message.context)
            continue
        try:
            check_text(message.string)
        except ValueError as exc:
            problems.append(Problem(label, f"help line '{message.id}': {exc}", message_line(catalog, message)))
    if problems:
        raise ContentError(problems)


def add_translation(leaflet: Leaflet, lang: str, template_reasons: list[str], source=None) -> LanguageState:
    """Load one translation into ``leaflet.texts`` if the rules allow it (``source``: its current POT)."""
    state = LanguageState(lang, reviewed_by=leaflet.meta.translation_reviews.get(lang, ""))
    path = leaflet_catalog_dir(leaflet.folder) / f"{lang}.po"
    state.withheld_because.extend(template_reasons)
    if not path.exists():
        state.withheld_because.append(f"{path} is missing; run 'build.py translations update'")
        return state
    catalog = read_catalog(path, lang)
    check_translated_text(catalog, str(path))
    safety = set(leaflet.meta.safety_sections) | PERSONAL_CONTEXTS  # the medicine's name and alert card too
    approvals = leaflet.meta.number_approvals(lang)
    state.status = catalog_status(catalog, safety, source or source_template(leaflet), lang, approvals)
    if state.status.safety_not_current:
        listed = "; ".join(state.status.safety_not_current[:5])
        state.withheld_because.append(f"safety text not translated or out of date in {path}: {listed}")
    if state.withheld_because:
        return state
    state.english_fallback = not state.status.complete
    translate = _translate_from(catalog, lang, frozenset(safety), approvals)
    text, _ = load_text(leaflet.source_path, lang, translate, label=str(path))
    leaflet.texts[lang] = _translated_meta(text, catalog, leaflet, str(path), frozenset(safety), approvals)
    return state


def check_translated_text(catalog, label: str) -> None:
    """Each translated segment, on its own, is leaflet Markdown that would be accepted; problems name its line."""
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.string, str) or not message.string.strip():
            continue
        line = message_line(catalog, message)
        if message.context == METADATA_CONTEXT:
            try:
                check_text(message.string)
            except ValueError as exc:
                problems.append(Problem(label, f"translation of '{message.id[:40]}': {exc}", line))
            continue
        parsed = parse_markdown(f"## Check {{#check}}\n\n{message.string}\n", label)
        problems += [Problem(label, problem.message, line) for problem in parsed.problems]
    if problems:
        raise ContentError(problems)


def _translate_from(catalog, lang: str, safety: frozenset, approvals: tuple):
    def translate(section_id: str, text: str) -> str | None:
        message = catalog.get(text, context=section_id or None)
        faithful = message is not None and fidelity(message, lang, safety, approvals).faithful
        if not faithful or message.fuzzy or not message.string:
            return None
        return message.string

    return translate


def _translated_meta(
    text: LeafletText, catalog, leaflet: Leaflet, label: str, safety: frozenset, approvals: tuple
) -> LeafletText:
    def meta(key: str) -> str:
        english = getattr(leaflet.meta, key)
        message = catalog.get(english, context=METADATA_CONTEXT)
        if not (message and message.string and not message.fuzzy):
            return english
        try:
            return check_text(message.string)  # the same rules as leaflet.yaml itself
        except ValueError as exc:
            raise ContentError([Problem(label, f"translation of {key}: {exc}")]) from None

    def personal(context: str, english: str) -> str:
        message = catalog.get(english, context=context)
        current = (
            message
            and message.string
            and not message.fuzzy
            and fidelity(message, text.lang, safety, approvals).faithful
        )
        return message.string if current else english

    sections = text.sections
    if language(text.lang).direction == "rtl":
        sections = tuple(_isolated(section) for section in sections)
    card = leaflet.alert_card
    if card:
        card = AlertCardContent(
            personal(ALERT_CARD_CONTEXT, card.title), tuple(personal(ALERT_CARD_CONTEXT, line) for line in card.lines)
        )
    medicine_texts = (leaflet.medicine.name, leaflet.medicine.how_to_take) if leaflet.medicine else ("", "")
    name, how = (personal(MEDICINE_CONTEXT, english) if english else "" for english in medicine_texts)
    return LeafletText(text.lang, meta("title"), meta("summary"), sections, meta("feedback_contact"), name, card, how)


def _isolated(section: Section) -> Section:
    blocks = tuple(
        replace(block, html=isolate_ltr_runs(block.html), title=isolate_ltr_runs(block.title))
        for block in section.blocks
    )
    return replace(section, heading=isolate_ltr_runs(section.heading), blocks=blocks)


def language_problems(leaflet: Leaflet, state: LanguageState) -> list[Problem]:
    """Warnings for a withheld or partly English translation; a note for a draft."""
    label = str(leaflet_catalog_dir(leaflet.folder) / f"{state.lang}.po")
    problems = [
        Problem(label, f"{leaflet.leaflet_id} in '{state.lang}' is not published: {reason}", severity="warning")
        for reason in state.withheld_because
    ]
    if state.status:
        problems.extend(state.status.problems)
    if state.english_fallback and state.status:
        gaps = state.status.gaps
        problems.append(
            Problem(
                label,
                f"{len(gaps)} segment(s) not translated or fuzzy are shown in English, e.g. '{gaps[0]}'",
                severity="warning",
            )
        )
    if not state.reviewed_by and state.lang != SOURCE_LANGUAGE:
        problems.append(
            Problem(label, "sample translation, not yet reviewed by a qualified medical translator", severity="note")
        )
    return problems


def _countries(content_dir: Path) -> dict[str, Country]:
    """The help lines to translate; a broken countries.yaml is reported where the site reads it."""
    try:
        return load_countries(content_dir)
    except ContentError:
        return {}


def add_languages(tree: ContentTree) -> list[Problem]:
    """Load every configured translation of every leaflet; return warnings and notes."""
    problems: list[Problem] = []
    template_reasons: dict[str, list[str]] = {}
    templates = templates_template(_countries(tree.content_dir))
    for leaflet in tree.leaflets:
        source = source_template(leaflet)
        for lang in leaflet.meta.languages:
            if lang == SOURCE_LANGUAGE:
                continue
            try:
                if lang not in template_reasons:
                    translator, template_reasons[lang], warnings = load_template_translator(
                        tree.content_dir, lang, templates
                    )
                    tree.translators.update({lang: translator} if translator else {})
                    problems.extend(warnings)
                state = add_translation(leaflet, lang, template_reasons[lang], source)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            leaflet.languages[lang] = state
            problems.extend(language_problems(leaflet, state))
    return problems
