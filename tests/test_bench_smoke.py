"""The benchmark script keeps working (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run_prints_every_ratio():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:4] == ["measure", "ratio", "goal", "figures"]
    measures = [line for line in lines[2:] if line.strip()]
    assert len(measures) == 15
    for prefix in (
        "pages per personal copy",
        "pages with --only treatment",
        "batch throughput",
        "batch time per leaflet",
        "pipeline cost",
        "share of a leaflet's time: HTML",
        "share of a leaflet's time: layout",
        "share of a leaflet's time: PDF writing",
        "share of a leaflet's time: structure fixes",
        "ceiling vs CLI with no layout at all",
        "two workers",
        "no-op rebuild",
        "after one changed PO",
        "peak memory",
        "warm single print (whole process)",
    ):
        assert any(line.startswith(prefix) for line in measures), prefix
    changed = next(line for line in measures if line.startswith("after one changed PO"))
    assert changed.split()[-7:-4] == ["1", "1", "(pl)"], changed  # only the Polish pages were re-rendered
