"""The POT templates translators work from, with the context they need.

Each leaflet message carries a ``#:`` reference to its line in ``en.md``, a
``#.`` comment naming its section heading and, in a safety section, a
"Safety text" comment. Each template string names what its placeholders
become (``%(count)s: a number of tablets``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from jinja2.ext import babel_extract

from ..paths import PROJECT_ROOT, TEMPLATES_DIR
from ..source.content import Leaflet, split_front_matter
from ..source.countries import FILE_NAME as COUNTRIES_FILE
from ..source.countries import Country
from ..source.markup import Segment, parse_markdown
from .help_lines import HELP_LINE_CONTEXT, help_line_messages
from .translation_checks import PLACEHOLDER_RE

METADATA_CONTEXT = "metadata"
MEDICINE_CONTEXT = "medicine"
ALERT_CARD_CONTEXT = "alert-card"
PERSONAL_CONTEXTS = frozenset({MEDICINE_CONTEXT, ALERT_CARD_CONTEXT})  # safety text: withheld unless current
SHOWN_IN_ENGLISH_CONTEXTS = frozenset({HELP_LINE_CONTEXT})  # templates' messages that fall back to marked English
TRANSLATED_METADATA = ("title", "summary", "feedback_contact")
CODE_WITH_STRINGS = (
    "leaflets/personal/treatment.py",
    "leaflets/personal/dose_wording.py",
    "leaflets/personal/dose_sentences.py",
    "leaflets/personal/plan_words.py",
    "leaflets/personal/course_view.py",
    "leaflets/personal/plan_grid.py",
    "leaflets/personal/tick_chart.py",
    "leaflets/personal/session.py",
    "leaflets/personal/browser_page.py",
    "leaflets/render/html.py",
)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # keeps catalogs free of churn
SAFETY_COMMENT = (
    "Safety text: translate exactly, keeping every number and unit; a qualified medical translator must review it. "
    "Until it is current the language is not published."
)
PLACEHOLDERS = {
    "amount": "a number of tablets in words, e.g. '2 tablets'",
    "count": "a number of tablets",
    "date": "a date, e.g. '1 March 2027'",
    "day": "a day of the week",
    "day_number": "the number of a day of the course, counting the first day as 1",
    "days": "a list of days of the week",
    "end": "the course's last date",
    "first": "the first day (a date or a day number)",
    "home_days": "a list of days of the week",
    "last": "the last day (a date or a day number)",
    "start": "the course's first date",
    "strength": "a strength with its unit, e.g. '8 mg'",
    "dose": "a dose with its unit, e.g. '20 mg'",
    "doses": "a list of days with their doses",
    "how_often": "how often, e.g. 'twice a day'",
    "mg": "a dose in milligrams (a number)",
    "number": "a phone number to call in an emergency, e.g. 999",
    "page": "the number of this page",
    "pages": "the number of pages",
    "size": "a file size, e.g. '245 kB'",
    "units": "an amount in the medicine's own units, e.g. '2 tablets'",
    "version": "the leaflet's version number",
}


def new_catalog(project: str) -> Catalog:
    return Catalog(
        project=project,
        version="1",
        copyright_holder="",
        charset="utf-8",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def segment_lines(body: str, segments: list[Segment], first_line: int) -> list[int]:
    """The line in en.md where each segment starts (searched in order)."""
    lines = body.split("\n")
    found, position = [], 0
    for segment in segments:
        probe = " ".join(segment.text.split()[:4])
        for index in range(position, len(lines)):
            if probe and probe in " ".join(lines[index].split()):
                position = index
                break
        found.append(first_line + position)
    return found


def leaflet_template(leaflet: Leaflet, segments: list[Segment], lines: list[int]) -> Catalog:
    """The POT catalog of one leaflet: metadata texts, then every segment with its context."""
    catalog = new_catalog(f"{leaflet.leaflet_id} leaflet")
    for key in TRANSLATED_METADATA:
        catalog.add(getattr(leaflet.meta, key), context=METADATA_CONTEXT, auto_comments=[f"leaflet.yaml: {key}"])
    for context, text, key in personal_strings(leaflet):
        catalog.add(text, context=context, auto_comments=[f"leaflet.yaml: {key}", SAFETY_COMMENT])
    source = f"{leaflet.source_path.name}"
    headings: dict[str, str] = {}
    safety = set(leaflet.meta.safety_sections)
    for segment, line in zip(segments, lines, strict=True):
        heading = headings.setdefault(segment.section_id, segment.text)
        comments = [] if heading == segment.text else [f"Section: {heading}"]
        if segment.section_id in safety:
            comments.append(SAFETY_COMMENT)
        catalog.add(
            segment.text, context=segment.section_id or None, locations=[(source, line)], auto_comments=comments
        )
    return catalog


def source_template(leaflet: Leaflet) -> Catalog:
    """The POT catalog of a leaflet as its English source stands now."""
    body, _front, first_line = split_front_matter(leaflet.source_markdown, leaflet.source_label)
    segments = parse_markdown(body, leaflet.source_label, first_line=first_line).segments
    return leaflet_template(leaflet, segments, segment_lines(body, segments, first_line))


def personal_strings(leaflet: Leaflet) -> list[tuple[str, str, str]]:
    """The medicine's name and the alert card's words, as (context, English, leaflet.yaml key)."""
    strings = []
    if leaflet.medicine:
        strings.append((MEDICINE_CONTEXT, leaflet.medicine.name, "medicine.name"))
        if leaflet.medicine.how_to_take:
            strings.append((MEDICINE_CONTEXT, leaflet.medicine.how_to_take, "medicine.how_to_take"))
    if leaflet.alert_card:
        strings.append((ALERT_CARD_CONTEXT, leaflet.alert_card.title, "alert_card.title"))
        strings += [
            (ALERT_CARD_CONTEXT, line, f"alert_card.lines[{n}]") for n, line in enumerate(leaflet.alert_card.lines)
        ]
    return strings


def placeholder_comments(message_id) -> list[str]:
    text = message_id if isinstance(message_id, str) else " ".join(message_id)
    names = dict.fromkeys(PLACEHOLDER_RE.findall(text))
    return [f"{name}: {PLACEHOLDERS.get(name[2:-2], 'a value filled in by the build')}" for name in names]


def templates_template(countries: Mapping[str, Country] | None = None) -> Catalog:
    """The POT catalog of the templates' and the code's own strings, then the help-line names of ``countries``
    (content/countries.yaml), each with its context and a comment naming its country and number."""
    catalog = new_catalog("leaflet templates")
    options = {"trim_blocks": "true", "lstrip_blocks": "true"}
    sources = [(path, babel_extract, options) for path in sorted(TEMPLATES_DIR.rglob("*.html"))]
    sources += [(PROJECT_ROOT / name, "python", {}) for name in CODE_WITH_STRINGS]
    for path, method, method_options in sources:
        relative = str(path.relative_to(PROJECT_ROOT))
        with path.open("rb") as handle:
            for _line, message, comments, context in extract(method, handle, KEYWORDS, options=method_options):
                notes = [] if catalog.get(message, context=context) else placeholder_comments(message)
                # The file without the line: templates change often, and line numbers would churn every catalog.
                catalog.add(message, locations=[(relative, None)], auto_comments=[*comments, *notes], context=context)
    for name, comment in help_line_messages(countries or {}):
        catalog.add(name, locations=[(COUNTRIES_FILE, None)], auto_comments=[comment], context=HELP_LINE_CONTEXT)
    return catalog
