"""`build.py print`: the dose calendar, refusals, private output, links, pictograms, alert card.

PDFs are read as a person or a tool would: `pdftotext` for words, pdfplumber and
a rendered image for the alert card's size and cut line.
"""

from __future__ import annotations

import re
import stat
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, CliResult, coming_monday, long_date, run_cli
from pdf_tables import plan_table

from leaflets.i18n.translator import english
from leaflets.personal.session import PrintRequest, PrintSession
from leaflets.render.html import PageOptions, render_leaflet_page
from leaflets.source.regimen import EXAMPLES

MM = 72 / 25.4  # PDF points per millimetre
NAME = "Alex Example"
CLINIC_NAME = "Example Recovery Clinic (fictional)"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
REST = ["Rest day: no tablet"]
UNUSUAL_NOTE = "Your prescriber set this schedule for you."
WEEKLY = "mon:100,wed:100,fri:150"
START, APPOINTMENT = coming_monday(1), coming_monday(5)  # print refuses dates more than a year from today

# The plan's table as the PDF's tags give it, row by row: the time slots as column headers, then one row
# "Every day" for a regimen the same every day, or a compact row a weekday.
STANDARD_PLANS = {
    "daily:50": [["Day", "Morning"], ["Every day", "1 tablet (50 mg)"]],
    "twice-daily:25": [["Day", "Morning", "Evening"], ["Every day", "Half a tablet (25 mg)", "Half a tablet (25 mg)"]],
    WEEKLY: [["Day", "Morning"], ["Monday", "2 tablets (100 mg)"], ["Tuesday", *REST], ["Wednesday", "2 tablets (100 mg)"],
             ["Thursday", *REST], ["Friday", "3 tablets (150 mg)"], ["Saturday", *REST], ["Sunday", *REST]],
}  # fmt: skip
STANDARD_SENTENCES = {
    "daily:50": "Take 1 tablet (50 mg) once a day, every day.",
    "twice-daily:25": "Take half a tablet (25 mg) twice a day, every day.",
    WEEKLY: "Take 2 tablets (100 mg) on Monday, 2 tablets (100 mg) on Wednesday and 3 tablets (150 mg) on Friday. "
    "Take no tablets on the other days.",
}


def print_args(output: Path, regimen: str, *extra) -> list:
    return ["print", "--output", output, "--leaflet", "naltrexone", "--lang", "en", "--clinic", "example",
            "--regimen", regimen, *extra]  # fmt: skip


def pdftotext(pdf: Path, *options) -> str:
    return subprocess.run(
        ["pdftotext", *map(str, options), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def files_under(folder: Path) -> list[Path]:
    """Files written under ``folder``, but for the cache of approved leaflets (tests/test_leaflet_part.py)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    return [p for p in found if ".cache" not in p.relative_to(folder).parts]


@pytest.fixture(scope="module")
def weekly(tmp_path_factory) -> tuple[Path, Path, CliResult]:
    """(output folder, PDF, CLI result): the weekly regimen to the default place, with a name and both dates."""
    output = tmp_path_factory.mktemp("weekly") / "output"
    extra = ["--name", NAME, "--start-date", str(START), "--next-appointment", str(APPOINTMENT)]
    result = run_cli(*print_args(output, WEEKLY, *extra))
    assert result.code == 0, result.err
    [pdf] = files_under(output)
    return output, pdf, result


@pytest.fixture(scope="module")
def printed(tmp_path_factory, weekly) -> dict[str, Path]:
    """One PDF per standard regimen; the daily ones go to --out and have no name or dates."""
    folder = tmp_path_factory.mktemp("printed")
    pdfs = {WEEKLY: weekly[1]}
    for index, regimen in enumerate(["daily:50", "twice-daily:25"]):
        out = folder / f"leaflet-{index}.pdf"
        result = run_cli(*print_args(folder / "output", regimen, "--out", out))
        assert result.code == 0, result.err
        pdfs[regimen] = out
    return pdfs


# --- "Your treatment" ------------------------------------------------------------


@pytest.mark.parametrize("regimen", STANDARD_PLANS)
def test_plan_shows_the_time_slots_and_each_dose(printed, regimen):
    assert plan_table(printed[regimen]) == STANDARD_PLANS[regimen]


def test_a_regimen_the_same_every_day_has_no_weekday_rows(printed):
    for regimen in ("daily:50", "twice-daily:25"):
        plan = " ".join(cell for row in plan_table(printed[regimen]) for cell in row)
        assert [day for day in DAY_NAMES if day in plan] == []


@pytest.mark.parametrize("regimen", STANDARD_SENTENCES)
def test_regimen_in_one_plain_sentence(printed, regimen):
    page_one = flat(pdftotext(printed[regimen], "-f", 1, "-l", 1))
    assert f"Your treatment {STANDARD_SENTENCES[regimen]} Day" in page_one
    assert UNUSUAL_NOTE not in page_one


def test_start_date_and_next_appointment(weekly):
    lines = [line.strip() for line in pdftotext(weekly[1], "-layout", "-f", 1, "-l", 1).splitlines()]
    dates = [
        re.split(r" {2,}| (?=Monday)", line, maxsplit=1)
        for line in lines
        if line.startswith(("Start date", "Next appointment"))
    ]
    assert dates == [["Start date", long_date(START)], ["Next appointment", long_date(APPOINTMENT)]]


def test_dates_are_left_out_when_not_given(printed):
    page_one = flat(pdftotext(printed["daily:50"], "-f", 1, "-l", 1))
    assert "Start date" not in page_one
    assert "Next appointment" not in page_one


# --- refusals ----------------------------------------------------------------------

STANDARD_ONLY = (
    "this is not one of the standard schedules for naltrexone (daily:50; twice-daily:25; mon:100,wed:100,fri:150); "
    "check the prescription and add --confirm-unusual-dose if it is right"
)
REFUSED = [
    (
        "daily:30",
        "30 mg: naltrexone comes as 50 mg scored tablets that can be halved; each dose must be a whole number of half tablets (25, 50, 75, ... mg)",
    ),
    ("mon:100,wed:100,fri:200", "200 mg on Friday is more than 150 mg in one day"),
    ("twice-daily:100", "200 mg a day (twice 100 mg) is more than 150 mg in one day"),
    ("mon:100,wen:100,fri:150", "unknown day 'wen'; use mon, tue, wed, thu, fri, sat or sun"),
    ("mon:100,mon:100,fri:150", "Monday is listed twice; give each day once"),
    (
        " ",
        f"no schedule given; write e.g. {EXAMPLES}",
    ),
    ("daily:150", "1050 mg a week is more than the 350 mg a week that naltrexone allows"),
    ("mon100", "'mon100' has no ':'; write each entry as day:mg, e.g. 'mon:100' or 'daily:50'"),
    (
        "mon:100,,fri:150",
        "empty entry (a stray comma?); separate day:mg pairs with single commas, e.g. 'mon:100,wed:100,fri:150'",
    ),
    ("daily:25", STANDARD_ONLY),
]


@pytest.mark.parametrize("destination", ["default", "--out"])
@pytest.mark.parametrize(("regimen", "message"), REFUSED, ids=[regimen.strip() or "blank" for regimen, _ in REFUSED])
def test_refused_regimen_writes_no_file(tmp_path, regimen, message, destination):
    output = tmp_path / "output"
    out = ["--out", tmp_path / "mine.pdf"] if destination == "--out" else []
    result = run_cli(*print_args(output, regimen, "--name", NAME, *out))
    assert result.code == 1
    assert result.err == f"regimen '{regimen}': {message}\n"
    assert result.out == ""
    assert files_under(tmp_path) == []


def test_confirmed_unusual_dose_is_printed_with_a_note(tmp_path):
    out = tmp_path / "unusual.pdf"
    result = run_cli(*print_args(tmp_path / "output", "daily:25", "--confirm-unusual-dose", "--out", out))
    assert result.code == 0, result.err
    assert UNUSUAL_NOTE in flat(pdftotext(out, "-f", 1, "-l", 1))
    assert plan_table(out) == [["Day", "Morning"], ["Every day", "Half a tablet (25 mg)"]]


# --- where the PDF goes --------------------------------------------------------------


def test_default_output_is_private_and_never_named_after_the_person(weekly):
    output, pdf, result = weekly
    assert pdf.parent == output / "print"
    assert re.fullmatch(r"naltrexone-en-[0-9a-f]{8}\.pdf", pdf.name)
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    for part in NAME.split():
        assert part.lower() not in pdf.name.lower()
    assert re.fullmatch(rf"Wrote {re.escape(str(pdf))}\nLeaflet: version 0\.1, SHA-256 [0-9a-f]{{64}}\n", result.out)
    assert result.err == ""


@pytest.mark.parametrize("inside", ["site/leaflet.pdf", "site/naltrexone/en/x.pdf", "print/../site/x.pdf"])
def test_out_inside_the_site_folder_is_refused(tmp_path, inside):
    output = tmp_path / "output"
    result = run_cli(*print_args(output, "daily:50", "--out", output / inside))
    assert result.code == 2
    site = (output / "site").resolve()
    assert (
        result.err == f"--out {output / inside}: personalised leaflets are never written into the site folder {site}\n"
    )
    assert files_under(tmp_path) == []


# --- HTML: tel: links and pictograms ----------------------------------------------------


class PageParts(HTMLParser):
    """Links (href, text) and inline SVGs (attributes, title, shapes) of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.svgs: list[dict] = []
        self._link: list | None = None
        self._svg: dict | None = None
        self._in_title = False
        self._words: dict | None = None  # the pictogram whose words (the text beside it) are being read
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._link = [attrs.get("href", ""), ""]
        elif tag == "svg":
            self._svg = {"attrs": attrs, "title": "", "title_id": None, "shapes": [], "words": ""}
        elif self._svg is not None and tag == "title":
            self._in_title, self._svg["title_id"] = True, attrs.get("id")
        elif self._svg is not None and tag in ("circle", "path"):
            self._svg["shapes"].append(tag)

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            self.links.append((self._link[0], flat(self._link[1])))
            self._link = None
        elif tag == "svg" and self._svg is not None:
            self.svgs.append(self._svg)
            self._svg, self._words = None, self._svg
        elif tag == "span" and self._words is not None:
            self._words = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data
        if self._in_title and self._svg is not None:
            self._svg["title"] += data
        if self._words is not None:
            self._words["words"] += data


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> PrintSession:
    return PrintSession(ROOT / "content", tmp_path_factory.mktemp("session"))


def personalised_html(session: PrintSession, regimen: str) -> str:
    """The exact HTML that PrintSession.render hands to the PDF renderer."""
    return session.render_html(session.prepare(PrintRequest("naltrexone", "en", "example", regimen, name=NAME)))


def test_personalised_html_links_the_clinics_numbers_and_the_site_page_has_none(session):
    personal = PageParts(personalised_html(session, WEEKLY))
    tel_links = [link for link in personal.links if link[0].startswith("tel:")]
    assert tel_links == [
        ("tel:+441134960999", "0113 496 0999"),  # urgent line first
        ("tel:+441134960000", "0113 496 0000"),
        ("tel:+442079460123", "020 7946 0123"),
    ]
    leaflet = next(item for item in session.tree.leaflets if item.leaflet_id == "naltrexone")
    generic = render_leaflet_page(session.env, leaflet, "en", PageOptions(), english())
    assert not [href for href, _ in PageParts(generic).links if href.startswith("tel:")]
    assert CLINIC_NAME not in generic
    assert "Your treatment" not in generic


def test_urgent_line_is_the_prominent_first_line_of_the_contact_card(session):
    html = personalised_html(session, WEEKLY)
    card = html[html.index('class="lf-contact-card') :]
    urgent = re.search(r'<p class="lf-contact-card__urgent">(.*?)</p>', card, re.S)
    assert urgent and card.index("lf-contact-card__urgent") < card.index("lf-contact-card__details")
    assert flat(re.sub(r"<[^>]+>", " ", urgent.group(1))) == "Urgent or out of hours: 0113 496 0999"
    assert 'href="tel:+441134960999"' in urgent.group(1)


WHOLE, HALF = ["circle"], ["path"]  # how the pictogram draws a whole and a half tablet


@pytest.mark.parametrize(
    ("regimen", "words", "tablets"),
    [
        ("daily:50", ["1 tablet (50 mg)"], [WHOLE]),
        ("twice-daily:25", ["half a tablet (25 mg)"] * 2, [HALF] * 2),
        (WEEKLY, ["2 tablets (100 mg)", "2 tablets (100 mg)", "3 tablets (150 mg)"], [WHOLE * 2, WHOLE * 2, WHOLE * 3]),
    ],
)
def test_pictograms_are_drawn_beside_the_words_and_never_read_twice(session, regimen, words, tablets):
    svgs = PageParts(personalised_html(session, regimen)).svgs
    assert [flat(svg["words"]).lower() for svg in svgs] == [text.lower() for text in words]
    assert [svg["shapes"] for svg in svgs] == tablets
    for svg in svgs:  # decorative: the words beside it say the same, so it has no name and is hidden
        assert svg["attrs"]["aria-hidden"] == "true" and "role" not in svg["attrs"] and svg["title_id"] is None


# --- the alert card -----------------------------------------------------------------------


def card_faces(page) -> list[tuple[float, float, float, float]]:
    """(x0, top, width, height) in points of each card face: the outer edge of its border."""
    near_card = [r for r in page.rects if abs(r["width"] - 85.6 * MM) < 3 * MM and abs(r["height"] - 54 * MM) < 3 * MM]
    faces: list[tuple[float, float, float, float]] = []
    for rect in sorted(near_card, key=lambda r: (r["x0"], -r["width"])):
        if not faces or rect["x0"] - faces[-1][0] > 5:  # the first (widest) rect at each place is the outer edge
            faces.append((rect["x0"], rect["top"], rect["width"], rect["height"]))
    return faces


def dark_runs(pixels: list[int]) -> int:
    """How many separate dark stretches a line of grey pixels has: 1 for a solid line, many for a dashed one."""
    dark = [value < 160 for value in pixels]
    return sum(1 for i, is_dark in enumerate(dark) if is_dark and (i == 0 or not dark[i - 1]))


def test_alert_card_faces_are_bank_card_size_with_a_dashed_cut_line(weekly):
    with pdfplumber.open(weekly[1]) as pdf:
        page = pdf.pages[CARD_PAGE]
        faces = card_faces(page)
        assert len(faces) == 2, faces
        for _x0, _top, width, height in faces:
            assert abs(width - 85.6 * MM) < 1 * MM
            assert abs(height - 54 * MM) < 1 * MM
        (front_x, front_top, front_w, _), (back_x, back_top, back_w, _) = faces
        assert abs(back_top - front_top) < 0.5
        assert abs(back_x - (front_x + front_w)) < 0.5 * MM  # side by side, sharing the fold
        assert back_x + back_w <= page.width
        scale = 4  # 288 dpi: the 1 pt border is 4 pixels wide
        image = page.to_image(resolution=72 * scale).original.convert("L")

    def row(y, x0, x1):
        return [image.getpixel((x, int(y * scale))) for x in range(int(x0 * scale) + 2, int(x1 * scale) - 2)]

    def column(x, top, bottom):
        return [image.getpixel((int(x * scale), y)) for y in range(int(top * scale) + 2, int(bottom * scale) - 2)]

    for x0, top, width, height in faces:
        for y in (top + 0.5, top + height - 0.5):  # top and bottom edges
            assert dark_runs(row(y, x0, x0 + width)) >= 20
    height = faces[0][3]
    assert dark_runs(column(front_x + 0.5, front_top, front_top + height)) >= 10  # outer edges
    assert dark_runs(column(back_x + back_w - 0.5, back_top, back_top + height)) >= 10
    assert dark_runs(column(back_x - 0.5, front_top, front_top + height)) >= 10  # the fold line is broken too


CARD_PAGE = 1  # the alert cards are on the back of the treatment sheet's first page


def alert_card_text(pdf_path: Path) -> tuple[str, str]:
    """The words on the front and the back of the alert card, read from inside each face's edge."""
    with pdfplumber.open(pdf_path) as pdf:
        faces = card_faces(pdf.pages[CARD_PAGE])
    assert len(faces) == 2, faces
    crops = [["-x", int(x0), "-y", int(top), "-W", int(w) + 1, "-H", int(h) + 1] for x0, top, w, h in faces]
    page = CARD_PAGE + 1
    front, back = (flat(pdftotext(pdf_path, "-f", page, "-l", page, *crop)) for crop in crops)
    return front, back


def test_alert_card_wording_on_the_back_of_the_treatment_sheet(weekly):
    front, back = alert_card_text(weekly[1])
    assert front == (
        "I take naltrexone, an opioid blocker. Opioid painkillers may not work for me. "
        "Risk of overdose if I use opioids after stopping naltrexone, or to try to overcome the block."
    )
    assert back == f"Name: {NAME} Clinic: {CLINIC_NAME} Clinic phone: 0113 496 0999"
    back_of_sheet = flat(pdftotext(weekly[1]).split("\f")[CARD_PAGE])
    assert "Alert card ✂ Cut out along the dashed line, fold in half and keep the card with you." in back_of_sheet


def test_alert_card_without_a_name_leaves_the_name_line_to_fill_in(printed):
    _front, back = alert_card_text(printed["daily:50"])
    assert back == f"Name: Clinic: {CLINIC_NAME} Clinic phone: 0113 496 0999"


@pytest.mark.parametrize("target", ["/dev/null", "symlink"])
def test_out_that_is_not_a_regular_file_is_refused_and_left_alone(tmp_path, target):
    if target == "symlink":
        (tmp_path / "real.pdf").write_bytes(b"kept")
        target = tmp_path / "link.pdf"
        target.symlink_to(tmp_path / "real.pdf")
    result = run_cli(*print_args(tmp_path / "output", "daily:50", "--out", target))
    assert (result.code, result.err) == (
        2,
        f"--out {target}: not a regular file; give the path of a new or existing PDF file\n",
    )
    assert Path("/dev/null").is_char_device()
    assert not (tmp_path / "real.pdf").exists() or (tmp_path / "real.pdf").read_bytes() == b"kept"
