"""The structure checker (tests/pdf_checker.py) finds each layout defect it is meant to find.

Small pages are rendered through the project's own renderer (so the structure fixes run), each
with one defect put back by a style rule; the same page without it passes. The structure-tree
defects are found in an unfixed WeasyPrint PDF (tests/test_pdf_structure.py).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT
from pdf_checker import Expected, check_pdf, check_tree_reachable

from leaflets.paths import STYLES_DIR
from leaflets.render.pdf import PdfRenderer
from leaflets.source.site_config import load_site_config

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Checker</title><style>
@page {{ @bottom-left {{ content: "Version 1 · Next review due: 1 May 2027"; }}
         @bottom-right {{ content: "Page " counter(page) " of " counter(pages); }} }}
{style}
</style></head><body><main><section><h1>Doses</h1>
<p class="narrow">{dose}</p>
<dl class="lf-contact-card__blank"><dt>Urgent or out of hours:</dt><dd></dd></dl>
<p class="small">Small print</p></section></main></body></html>"""
GOOD_DOSE = "Take two tablets (100\u00a0mg) now"
DEFECTS = {
    "footer: page 1's footer is less than 10 mm from the paper edge": (
        "@page { @bottom-right { margin-block-end: 0; } }",
        GOOD_DOSE,
    ),
    "footer: page 1's footer takes 5 lines": ("@page { @bottom-left { inline-size: 30mm; } }", GOOD_DOSE),
    "write-in: a ": (".lf-contact-card__blank { inline-size: 60mm; grid-template-columns: 45mm 15mm; }", GOOD_DOSE),
    "units: ": (".narrow { inline-size: 52mm; }", "Take two tablets (100 mg) now"),
    "size: 9.0 pt text on page 1": (".small { font-size: 9pt; }", GOOD_DOSE),
}


@pytest.fixture(scope="module")
def renderer():
    return PdfRenderer([ROOT / "content", STYLES_DIR], load_site_config(ROOT / "content"))


def render(renderer, tmp_path: Path, name: str, style: str, dose: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    html = PAGE.format(style=".narrow { inline-size: 52mm; } " + style, dose=dose)
    path.write_bytes(renderer.render_pdf(html, tmp_path, name, "en"))
    return path


def test_a_page_without_defects_passes(renderer, tmp_path):
    assert check_pdf(render(renderer, tmp_path, "good", "", GOOD_DOSE), Expected("en")) == []


@pytest.mark.parametrize("problem", DEFECTS, ids=lambda problem: problem.split(":")[0])
def test_each_layout_defect_is_found(renderer, tmp_path, problem):
    style, dose = DEFECTS[problem]
    problems = check_pdf(render(renderer, tmp_path, "defect", style, dose), Expected("en"))
    assert any(problem in line for line in problems), problems
    assert len(problems) == 1, problems


def test_an_element_left_out_of_its_parent_is_found(renderer, tmp_path):
    path = render(renderer, tmp_path, "orphan", "", GOOD_DOSE)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        section = pdf.Root.StructTreeRoot.K[0].K[0].K[0]  # Document > Part > Sect
        section.K = pikepdf.Array(list(section.K)[1:])  # the heading stays, its parent no longer lists it
        pdf.save(path)
        with pikepdf.open(path) as saved:
            problems = check_tree_reachable(saved)
    assert any("outside the tree" in line for line in problems), problems


@pytest.mark.parametrize(("dose", "found"), [("(100 مغم)", 1), ("(100\u00a0مغم)", 0)])
def test_a_number_parted_from_its_arabic_unit_is_found(renderer, tmp_path, dose, found):
    """In logical order: "(100" ends one right-to-left line, "مغم)" starts the next; a no-break space stops it."""
    style = ".narrow { inline-size: 48mm; } body { font-family: 'Noto Naskh Arabic', 'Noto Sans'; }"
    html = PAGE.format(style=style, dose=f"تناول قرصين {dose} الآن مع الماء").replace(
        'lang="en"', 'lang="ar" dir="rtl"'
    )
    path = tmp_path / "arabic.pdf"
    path.write_bytes(renderer.render_pdf(html, tmp_path, "arabic", "ar"))
    problems = [line for line in check_pdf(path, Expected("ar")) if "units:" in line]
    assert len(problems) == found, problems
