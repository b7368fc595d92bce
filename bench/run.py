#!/usr/bin/env python3
"""Benchmark: personalised batches and site rebuilds, as ratios measured side by side.

    .venv/bin/python bench/run.py            # full run (several minutes on 2 cores)
    .venv/bin/python bench/run.py --smoke    # tiny sizes, to prove the script still works (CI)

Prints one table of medians over --repeat runs. Every row compares two ways
of doing the same work on the same machine in the same run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402
from weasyprint import HTML  # noqa: E402

from leaflets.personal.batch import run_batch  # noqa: E402
from leaflets.personal.session import PrintRequest, PrintSession  # noqa: E402
from leaflets.pipeline import BuildSettings, build_site  # noqa: E402
from leaflets.render.pdf import BUNDLE_LINK_RE, PDF_OPTIONS, check_nothing_clipped  # noqa: E402
from leaflets.render.pdf_marks import recording_marked_content  # noqa: E402
from leaflets.render.pdf_structure import fix_structure  # noqa: E402
from leaflets.render.stylesheet import bundle_stylesheet  # noqa: E402

CONTENT = ROOT / "content"
LANGS = ("en", "pl", "ar", "ro")
REGIMENS = ("daily:50", "twice-daily:25", "mon:100,wed:100,fri:150")
CLI_FIGURES: dict[str, float] = {}  # the CLI time per leaflet and two-worker scaling, for the breakdown


def write_batch_csv(path: Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "leaflet", "lang", "clinic", "regimen", "start_date"])
        for n in range(count):
            writer.writerow([f"B{n:05d}", "naltrexone", LANGS[n % 4], "example", REGIMENS[n % 3], "2027-01-04"])


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action, repeat: int) -> float:
    return statistics.median(timed(action) for _ in range(repeat))


def sample_htmls(session: PrintSession, lang: str) -> list[str]:
    """The HTML of one personal copy's two documents: the treatment sheet, then the leaflet for the clinic."""
    prepared = session.prepare(PrintRequest("naltrexone", lang, "example", "mon:100,wed:100,fri:150"))
    leaflet = session.leaflet("naltrexone")
    return [session.render_html(prepared), session.published_html(leaflet, lang, "standard", prepared.details.clinic)]


def batch_vs_cli(work: Path, count: int, cli_count: int, repeat: int) -> list[tuple]:
    csv_path = work / "batch.csv"
    write_batch_csv(csv_path, count)
    session = PrintSession(CONTENT, work / "out")

    def batch(workers):
        def run():  # each batch lays its leaflets out afresh: one per language, then a sheet per row
            shutil.rmtree(work / "out" / ".cache", ignore_errors=True)
            run_batch(session, csv_path, workers)

        return run

    one = median_time(batch(1), repeat) / count
    two = median_time(batch(2), repeat) / count
    page = work / "cli" / "page"
    page.mkdir(parents=True)
    (work / "cli" / "assets").mkdir()
    (work / "cli" / "assets" / "leaflet.css").write_text(bundle_stylesheet(session.config.fonts))
    htmls = [html for n in range(cli_count) for html in sample_htmls(session, LANGS[n % 4])]
    for n, html in enumerate(htmls):
        (page / f"{n}.html").write_text(html, encoding="utf-8")

    def cli_loop():  # both documents of each copy, without the cache: what the copy is made of, from scratch
        for n in range(len(htmls)):
            subprocess.run(
                ["weasyprint", "--pdf-variant", "pdf/ua-1", str(page / f"{n}.html"), str(page / f"{n}.pdf")],
                check=True,
                capture_output=True,
            )

    weasyprint_cli = median_time(cli_loop, repeat) / cli_count

    def bare():
        for html in htmls:
            HTML(string=html, base_url=page.as_uri() + "/").write_pdf(**PDF_OPTIONS)

    def pipeline():
        for n in range(cli_count):
            session.render(session.prepare(PrintRequest("naltrexone", LANGS[n % 4], "example", REGIMENS[n % 3])))

    bare_time = median_time(bare, repeat) / cli_count
    pipeline_time = median_time(pipeline, repeat) / cli_count
    CLI_FIGURES.update(cli=weasyprint_cli, scaling=one / two)
    return [
        (
            "batch throughput, 2 workers, vs weasyprint CLI once per leaflet",
            weasyprint_cli / two,
            ">= 15x",
            f"{two:.2f} s vs {weasyprint_cli:.2f} s per leaflet",
        ),
        (
            "batch time per leaflet, 2 workers, vs bare HTML(string).write_pdf()",
            two / bare_time,
            "<= 0.3x",
            f"{two:.3f} s vs {bare_time:.3f} s",
        ),
        (
            "pipeline cost per leaflet vs bare HTML(string).write_pdf()",
            pipeline_time / bare_time,
            "<= 1.10x",
            f"{pipeline_time:.3f} s vs {bare_time:.3f} s",
        ),
        ("two workers vs one (throughput)", one / two, ">= 1.8x", f"{one:.2f} s vs {two:.2f} s per leaflet"),
    ]


def warm_print(work: Path, repeat: int) -> list[tuple]:
    """One `build.py print` as a whole process (imports, fonts, the sheet, the cached leaflet joined), warm:
    the leaflet part already in OUTPUT/.cache, as at a clinic's desk after the first copy of the day."""
    output = work / "out"
    command = [sys.executable, str(ROOT / "build.py"), "print", "--content", str(CONTENT), "--output", str(output),
               "--leaflet", "naltrexone", "--lang", "en", "--clinic", "example", "--regimen", "mon:100,wed:100,fri:150",
               "--out", str(work / "copy.pdf")]  # fmt: skip

    def run():
        subprocess.run(command, check=True, capture_output=True)

    run()  # lays the leaflet out once
    warm = median_time(run, repeat)
    cli = CLI_FIGURES["cli"]
    return [("warm single print (whole process) vs weasyprint CLI per leaflet", cli / warm, ">= 1x",
             f"{warm:.2f} s vs {cli:.2f} s")]  # fmt: skip


PHASES = ("HTML", "layout", "PDF writing", "structure fixes")


def phase_times(session: PrintSession, lang: str, regimen: str) -> dict[str, float]:
    """One personalised leaflet through the pipeline's own steps, each timed: where its time goes."""
    renderer, times = session.renderer, {}
    start = time.perf_counter()
    html = BUNDLE_LINK_RE.sub(
        "", session.render_html(session.prepare(PrintRequest("naltrexone", lang, "example", regimen)))
    )
    times["HTML"] = time.perf_counter() - start
    source = HTML(string=html, base_url=session.page_dir.resolve().as_uri() + "/", url_fetcher=renderer.fetcher)
    start = time.perf_counter()
    document = source.render(font_config=renderer.font_config, stylesheets=[renderer.stylesheet], **PDF_OPTIONS)
    check_nothing_clipped(document, lang)
    times["layout"] = time.perf_counter() - start
    start = time.perf_counter()
    with recording_marked_content(document, source.etree_element) as marks:
        pdf = document.write_pdf(**PDF_OPTIONS)
    times["PDF writing"] = time.perf_counter() - start
    start = time.perf_counter()
    fix_structure(pdf, marks)
    times["structure fixes"] = time.perf_counter() - start
    return times


def where_time_goes(work: Path, count: int, weasyprint_cli: float, scaling: float) -> list[tuple]:
    """Each phase's share of a leaflet's time in one worker, and what that leaves for the CLI goal."""
    session = PrintSession(CONTENT, work)
    try:
        runs = [phase_times(session, LANGS[n % 4], REGIMENS[n % 3]) for n in range(count)]
    finally:
        session.close()
    medians = {phase: statistics.median(run[phase] for run in runs) for phase in PHASES}
    total = sum(medians.values())
    rows = [(f"share of a leaflet's time: {phase}", f"{medians[phase] / total * 100:.0f}%", "-",
             f"{medians[phase]:.3f} s of {total:.3f} s") for phase in PHASES]  # fmt: skip
    unavoidable = medians["PDF writing"] + medians["structure fixes"]  # every patient's PDF is written in full
    ceiling = weasyprint_cli / (unavoidable / scaling)
    rows.append(("ceiling vs CLI with no layout at all (2 workers)", ceiling, ">= 15x",
                 f"writing + fixes alone: {unavoidable:.3f} s per leaflet in one worker"))  # fmt: skip
    return rows


def pages_per_leaflet(work: Path) -> list[tuple]:
    """Paper: pages of a personalised leaflet per language, whole and as the treatment sheet only."""
    session = PrintSession(CONTENT, work)
    try:
        counts = {}
        for only in ("", "treatment"):
            for lang in LANGS:
                request = PrintRequest("naltrexone", lang, "example", "mon:100,wed:100,fri:150", only=only)
                with pikepdf.open(io.BytesIO(session.render(session.prepare(request)))) as pdf:
                    counts[only, lang] = len(pdf.pages)
    finally:
        session.close()
    whole = [counts["", lang] for lang in LANGS]
    figures = ", ".join(f"{lang} {counts['', lang]}" for lang in LANGS)
    treatment = max(counts["treatment", lang] for lang in LANGS)
    return [
        ("pages per personal copy (A4): sheet + leaflet", f"{statistics.mean(whole):.1f}", "-", figures),
        ("pages with --only treatment (most of any language)", str(treatment), "<= 2", "treatment sheet + alert card"),
    ]


def rebuilds(work: Path, repeat: int) -> list[tuple]:
    content = work / "content"
    work.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, content)
    output = work / "site-out"
    settings = BuildSettings(content, output)

    def site():  # a whole build.py process, as a person or CI runs it: imports included
        command = [sys.executable, str(ROOT / "build.py"), "site", "--content", str(content), "--output", str(output)]
        subprocess.run(command, check=True, capture_output=True)

    def cold():
        shutil.rmtree(output, ignore_errors=True)
        site()

    cold_time = median_time(cold, repeat)
    noop_time = median_time(site, repeat)
    po = content / "leaflets" / "naltrexone" / "translations" / "pl.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = build_site(settings)
    return [
        (
            "no-op rebuild of the whole site vs cold build (whole processes)",
            noop_time / cold_time,
            "<= 10%",
            f"{noop_time:.2f} s vs {cold_time:.2f} s",
        ),
        (
            "after one changed PO file: leaflet languages re-rendered",
            report.rendered,
            "1 (pl)",
            f"{report.reused} reused of {len(report.pages)}",
        ),
    ]


def peak_memory(work: Path, counts: tuple[int, int]) -> list[tuple]:
    peaks = []
    for count in counts:
        csv_path = work / f"mem-{count}.csv"
        write_batch_csv(csv_path, count)
        probe = (
            "import resource, subprocess, sys;"
            "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        command = [
            sys.executable,
            str(ROOT / "build.py"),
            "batch",
            str(csv_path),
            "--workers",
            "2",
            "--output",
            str(work / f"mem-out-{count}"),
        ]
        result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
        peaks.append(int(result.stdout.strip()) / 1024)
    small, large = peaks
    return [
        (
            f"peak memory (largest process) at {counts[1]} vs {counts[0]} leaflets",
            large / small,
            "<= 1.15x",
            f"{large:.0f} MiB vs {small:.0f} MiB",
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check the script works")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--batch", type=int, default=40, help="leaflets in the throughput batch")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.batch = 1, 2
    cli_count = 1 if args.smoke else 6
    memory_counts = (2, 3) if args.smoke else (20, 500)
    rows = []
    with tempfile.TemporaryDirectory(prefix="leaflet-bench-") as folder:
        work = Path(folder)
        os.environ.setdefault("PATH", "")
        os.environ["PATH"] = f"{Path(sys.executable).parent}:{os.environ['PATH']}"  # the venv's weasyprint CLI
        rows += batch_vs_cli(work / "batch", args.batch, cli_count, args.repeat)
        rows += where_time_goes(work / "phases", 2 if args.smoke else 12, CLI_FIGURES["cli"], CLI_FIGURES["scaling"])
        rows += warm_print(work / "warm-print", args.repeat)
        rows += pages_per_leaflet(work / "pages")
        rows += rebuilds(work / "rebuild", args.repeat)
        rows += peak_memory(work / "memory", memory_counts)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"medians of {args.repeat} run(s); batch of {args.batch}"
    )
    width = max(len(row[0]) for row in rows)
    print(f"{'measure'.ljust(width)}  {'ratio':>8}  {'goal':>8}  figures")
    for name, ratio, goal, figures in rows:
        shown = f"{ratio:.2f}x" if isinstance(ratio, float) else str(ratio)
        if goal.endswith("%"):
            shown = f"{ratio * 100:.1f}%"
        print(f"{name.ljust(width)}  {shown:>8}  {goal:>8}  {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
