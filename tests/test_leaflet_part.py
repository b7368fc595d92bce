"""A personal copy is the treatment sheet, then the approved leaflet unchanged, laid out once and cached.

The leaflet part is the very PDF the site publishes for that clinic (same bytes, same SHA-256), `print`
and the batch report name its version and SHA-256, and the cache under OUTPUT/.cache/leaflets is keyed
by everything the leaflet is made from and never holds anything about a patient.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import ALERT_CARD_EN, FIXTURES, REAL_LANGS, ROOT, WEEKLY_REGIMEN, coming_monday, run_cli
from pdf_checker import Expected, assert_accessible_pdf

from leaflets.personal.leaflet_cache import CACHE_FOLDER

START = coming_monday(1)
NAME, REF = "Zebedee Quuxworth", "Q-9876"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """(content, output): the medicine fixtures as a site whose default clinic is 'example', built."""
    root = tmp_path_factory.mktemp("published")
    content = root / "content"
    shutil.copytree(FIXTURES / "medicines", content)
    (content / "site.yaml").write_text("default_clinic: example\n")
    result = run_cli("site", "--content", content, "--output", root / "output")
    assert result.code == 0, result.err
    return content, root / "output"


def print_copy(content: Path, output: Path, out: Path, *args) -> tuple[str, str]:
    result = run_cli("print", "--content", content, "--output", output, "--clinic", "example", "--out", out, *args)
    assert result.code == 0, result.err
    return result.out, result.err


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def element_types(element, depth: int = 0) -> list[str]:
    """The structure types under ``element``, depth first: the shape of a part's tags."""
    found = [f"{depth}:{element.get('/S')}"]
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += element_types(kid, depth + 1)
    return found


def cache_files(output: Path) -> list[Path]:
    folder = output / CACHE_FOLDER
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def test_the_leaflet_part_is_the_published_leaflet_byte_for_byte(published, tmp_path):
    content, output = published
    out = tmp_path / "copy.pdf"
    said, _ = print_copy(content, output, out, "--leaflet", "sublinga", "--regimen", "daily:12", "--name", NAME)
    site_pdf = output / "site" / "sublinga" / "en" / "sublinga-en.pdf"
    sha = hashlib.sha256(site_pdf.read_bytes()).hexdigest()
    assert f"Leaflet: version 1.0, SHA-256 {sha}" in said.splitlines()
    with pikepdf.open(site_pdf) as site, pikepdf.open(out) as copy:
        leaflet_pages = copy.pages[len(copy.pages) - len(site.pages) :]
        assert len(copy.pages) - len(site.pages) == 2  # the treatment sheet: the plan, then the alert cards
        assert [page.obj.Contents.read_bytes() for page in leaflet_pages] == [
            page.obj.Contents.read_bytes() for page in site.pages
        ]
        [sheet_part, leaflet_part] = list(copy.Root.StructTreeRoot.K[0].K)
        [site_document] = list(site.Root.StructTreeRoot.K) if isinstance(site.Root.StructTreeRoot.K, pikepdf.Array) \
            else [site.Root.StructTreeRoot.K]  # fmt: skip
        assert element_types(leaflet_part)[1:] == element_types(site_document)[1:]  # a Part, not a Document
        with copy.open_outline() as outline:
            assert [item.title for item in outline.root] == ["Treatment sheet", "Sublinga tablets"]
        labels = copy.Root.PageLabels.Nums
        assert [int(labels[0]), str(labels[1].P), int(labels[2]), str(labels[3].P)] == [0, "Treatment sheet ", 2, ""]
    assert page_texts(out)[2:] == page_texts(site_pdf)
    assert "Treatment sheet, page 1 of 2" in page_texts(out)[0] and "Page 1 of 2" in page_texts(out)[2]


def test_a_batch_lays_each_leaflet_out_once_and_reports_it(published, tmp_path):
    content, _ = published
    output = tmp_path / "output"
    rows = [f"B{n},sublinga,en,example,daily:12,Pat Row{n}" for n in range(3)]
    rows.append("C1,capsulin,en,example,twice-daily:600,")
    csv_path = tmp_path / "clinic.csv"
    csv_path.write_text("ref,leaflet,lang,clinic,regimen,name\n" + "\n".join(rows) + "\n")
    result = run_cli("--content", content, "--output", output, "batch", csv_path)
    assert result.code == 0, result.err
    assert len(cache_files(output)) == 2  # one sublinga, one capsulin: four copies
    with (output / "print" / "clinic-report.csv").open(encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    shas = {row["ref"]: row["leaflet_sha256"] for row in report}
    assert shas["B0"] == shas["B1"] == shas["B2"] != shas["C1"]
    assert {hashlib.sha256(path.read_bytes()).hexdigest() for path in cache_files(output)} == set(shas.values())


def test_the_cache_never_holds_a_name_a_ref_or_a_regimen(published, tmp_path):
    content, _ = published
    output = tmp_path / "output"
    spec = "daily:8 for 2 days then daily:12"
    print_copy(content, output, tmp_path / "c.pdf", "--leaflet", "sublinga", "--regimen", spec, "--name", NAME,
               "--ref", REF, "--prescriber", "Dr Quuxworth", "--start-date", str(START), "--confirm-unusual-dose")  # fmt: skip
    [cached] = cache_files(output)
    text = " ".join(page_texts(cached))
    for secret in (*NAME.split(), REF, spec, "Dr Quuxworth", "Your treatment", "Alert card", "Printed on"):
        assert secret not in text
    raw = cached.read_bytes()
    assert not any(part.encode() in raw for part in (*NAME.split(), REF, "Quuxworth"))
    assert re.fullmatch(r"[0-9]{60,80}\.pdf", cached.name)  # digits only: no letter of any name can be in it


def test_any_change_to_what_the_leaflet_is_made_from_lays_it_out_again(published, tmp_path, monkeypatch):
    source, _ = published
    content = tmp_path / "content"
    shutil.copytree(source, content)
    output = tmp_path / "output"

    def copy_count() -> int:
        print_copy(content, output, tmp_path / "x.pdf", "--leaflet", "sublinga", "--regimen", "daily:12")
        return len(cache_files(output))

    assert copy_count() == 1
    assert copy_count() == 1  # the same inputs: the cached part
    clinic = content / "clinics" / "example.yaml"
    clinic.write_text(clinic.read_text().replace("0113 496 0000", "0113 496 0001"))
    assert copy_count() == 2  # the clinic's phone is on the leaflet's card
    text = content / "leaflets" / "sublinga" / "en.md"
    text.write_text(text.read_text().replace("Ask your clinic.", "Ask your clinic team."))
    assert copy_count() == 3
    from leaflets.render import input_keys

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "components" / "notice" / "notice.css").write_text("/* changed */\n", encoding="utf-8")
    monkeypatch.setattr(input_keys, "TEMPLATES_DIR", templates)
    assert copy_count() == 4


def test_an_edited_translation_lays_the_translated_leaflet_out_again(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = tmp_path / "output"
    args = ["--leaflet", "naltrexone", "--lang", "pl", "--regimen", "daily:50"]
    print_copy(content, output, tmp_path / "a.pdf", *args)
    catalog = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    text = catalog.read_text(encoding="utf-8")
    heading = 'msgctxt "about"\nmsgid "What naltrexone is"\nmsgstr "Czym jest naltrekson"'
    assert heading in text  # the About heading: not safety text, so the edit keeps the language published
    catalog.write_text(text.replace(heading, heading.replace("Czym jest", "Co to jest")), encoding="utf-8")
    print_copy(content, output, tmp_path / "b.pdf", *args)
    assert len(cache_files(output)) == 2
    assert "Co to jest naltrekson" in " ".join(page_texts(tmp_path / "b.pdf"))


def test_only_treatment_is_the_sheet_alone_and_a_general_leaflet_the_leaflet_alone(published, tmp_path):
    content, output = published
    said, _ = print_copy(content, tmp_path / "o", tmp_path / "s.pdf", "--leaflet", "sublinga", "--regimen",
                         "daily:12", "--only", "treatment")  # fmt: skip
    assert "Leaflet:" not in said and cache_files(tmp_path / "o") == []
    assert all("Treatment sheet, page" in page for page in page_texts(tmp_path / "s.pdf")[:1])
    said, _ = print_copy(content, tmp_path / "o", tmp_path / "g.pdf", "--leaflet", "general-advice")
    site_pdf = output / "site" / "general-advice" / "en" / "general-advice-en.pdf"
    assert (tmp_path / "g.pdf").read_bytes() == site_pdf.read_bytes()
    assert f"SHA-256 {hashlib.sha256(site_pdf.read_bytes()).hexdigest()}" in said


PERSONAL_COPIES = [
    *((lang, "a4") for lang in REAL_LANGS),
    ("en", "a5"),
    ("ar", "a5"),
    ("pl", "letter"),
    ("en", "large-print"),
    ("ar", "large-print"),
]


@pytest.mark.parametrize(("lang", "layout"), PERSONAL_COPIES, ids=lambda value: value)
def test_every_personal_copy_passes_the_checker_and_the_independent_validator(tmp_path, lang, layout):
    """Sheet and leaflet together: the project's PDF checker and page-validation's PDF/UA-1 profile."""
    out = tmp_path / "copy.pdf"
    options = ["--large-print"] if layout == "large-print" else ["--paper", layout]
    result = run_cli(
        "print", "--content", ROOT / "content", "--output", tmp_path / "output", "--leaflet", "naltrexone",
        "--lang", lang, "--clinic", "example", "--regimen", WEEKLY_REGIMEN, "--name", NAME, "--out", out, *options,
    )  # fmt: skip
    assert result.code == 0, result.err
    foreign = {"en": ALERT_CARD_EN} if lang != "en" else {}
    assert_accessible_pdf(out, Expected(lang, 16.0 if layout == "large-print" else 12.0, foreign))
