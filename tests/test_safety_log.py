"""The hazard log (docs/safety.md) is complete and every test it names exists.

Each hazard names the tests that check its mitigation as pytest node ids, e.g.
``tests/test_print.py::test_refused_regimen_writes_no_file`` or, for one case of a
parametrized test, ``...::test_name[case-id]``. They are checked against what
``pytest --collect-only`` finds, so a renamed or deleted test fails here.

At the end, two checks of a mitigation that no other test file covers: the draft notice
on a leaflet a clinician has not approved.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date

import pytest
from conftest import FIXTURES, ROOT

from leaflets.i18n.localise import load_content
from leaflets.i18n.translator import english
from leaflets.paths import TEMPLATES_DIR
from leaflets.render.html import PageOptions, make_environment, render_leaflet_page

LOG = ROOT / "docs" / "safety.md"
COLUMNS = ["ID", "Hazard", "Cause", "Effect", "Severity", "Likelihood", "Risk", "Mitigation", "Tests"]
NODE_RE = re.compile(r"`(tests/test_\w+\.py::[^`]+)`")
RATINGS = [(range(1, 5), "Low"), (range(5, 10), "Medium"), (range(10, 17), "High"), (range(17, 26), "Very high")]
SEVERITIES = {1: "Minor", 2: "Significant", 3: "Considerable", 4: "Major", 5: "Catastrophic"}
DRAFT = "Draft: this leaflet still needs review by a clinician."


@dataclass(frozen=True)
class Hazard:
    cells: dict[str, str]

    @property
    def id(self) -> str:
        return self.cells["ID"]

    @property
    def tests(self) -> list[str]:
        return NODE_RE.findall(self.cells["Tests"])


def hazard_table(text: str) -> list[Hazard]:
    """The rows of the table whose header is COLUMNS."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if split_row(line) == COLUMNS)
    rows = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        cells = split_row(line)
        assert len(cells) == len(COLUMNS), f"wrong number of cells: {line[:80]}"
        rows.append(Hazard(dict(zip(COLUMNS, cells, strict=True))))
    return rows


def split_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@pytest.fixture(scope="module")
def hazards() -> list[Hazard]:
    return hazard_table(LOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def collected(hazards) -> set[str]:
    """Node ids of the tests in every file the log names, with and without parameter ids."""
    files = sorted({node.split("::")[0] for hazard in hazards for node in hazard.tests})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    nodes = {line.strip() for line in result.stdout.splitlines() if "::" in line}
    return nodes | {node.split("[")[0] for node in nodes}


def test_the_log_lists_at_least_ten_hazards_with_unique_ids(hazards):
    ids = [hazard.id for hazard in hazards]
    assert len(ids) >= 10
    assert all(re.fullmatch(r"H\d{2}", hazard_id) for hazard_id in ids), ids
    assert len(set(ids)) == len(ids)


def test_every_hazard_is_filled_in_and_names_a_test(hazards):
    for hazard in hazards:
        assert all(hazard.cells.values()), f"{hazard.id} has an empty cell"
        assert hazard.tests, f"{hazard.id} names no test"


def test_every_test_named_in_the_log_exists(hazards, collected):
    missing = [f"{hazard.id}: {node}" for hazard in hazards for node in hazard.tests if node not in collected]
    assert missing == []


def rating(score: int) -> str:
    return next(name for scores, name in RATINGS if score in scores)


def test_every_risk_is_severity_times_likelihood(hazards):
    for hazard in hazards:
        severity = re.fullmatch(r"([1-5]) (\w+)", hazard.cells["Severity"])
        likelihood = re.fullmatch(r"([1-5]) → ([1-5])", hazard.cells["Likelihood"])
        risk = re.fullmatch(r"(\d+) ([\w ]+) → (\d+) ([\w ]+)", hazard.cells["Risk"])
        assert severity and likelihood and risk, f"{hazard.id}: write e.g. '4 Major', '3 → 1', '12 High → 4 Low'"
        s = int(severity[1])
        assert severity[2] == SEVERITIES[s], hazard.id
        before, after = int(likelihood[1]) * s, int(likelihood[2]) * s
        assert (int(risk[1]), risk[2], int(risk[3]), risk[4]) == (before, rating(before), after, rating(after)), (
            hazard.id
        )
        assert after <= before, f"{hazard.id}: the mitigations make the risk worse"
        assert rating(after) in ("Low", "Medium"), f"{hazard.id}: residual risk {rating(after)} is not acceptable"


# --- H14: a leaflet a clinician has not approved says so ------------------------------------------


def test_unapproved_leaflet_says_so_on_the_page_and_in_the_pdf(built_site):
    """The real naltrexone leaflet is sample content with needs_clinical_review: true."""
    page = built_site / "naltrexone" / "en"
    assert DRAFT in (page / "index.html").read_text(encoding="utf-8")
    for pdf in ("naltrexone-en.pdf", "naltrexone-en-large-print.pdf"):
        text = subprocess.run(["pdftotext", str(page / pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert DRAFT in " ".join(text.split())


def test_approved_leaflet_has_no_draft_notice():
    """The minimal fixture has needs_clinical_review: false."""
    tree = load_content(FIXTURES / "minimal", today=date(2026, 6, 1))
    [leaflet] = tree.leaflets
    html = render_leaflet_page(make_environment(TEMPLATES_DIR), leaflet, "en", PageOptions(), english())
    assert "lf-review-footer" in html
    assert "Draft:" not in html
