"""A batch split across machines: the part from --shard, a Kubernetes Indexed Job or a SLURM job array."""

from __future__ import annotations

import csv

import pytest

from leaflets.errors import UsageError
from leaflets.personal.shard import Shard, shard_from_environment


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, Shard(1, 1)),
        ({"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETION_COUNT": "3"}, Shard(1, 3)),
        ({"JOB_COMPLETION_INDEX": "2", "JOB_COMPLETION_COUNT": "3"}, Shard(3, 3)),
        ({"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard(1, 4)),
        ({"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard(4, 4)),
        ({"SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard(2, 4)),
    ],
)
def test_the_part_comes_from_the_job_runner(environ, expected):
    assert shard_from_environment(environ) == expected


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETION_COUNT": "3"}, "JOB_COMPLETION_INDEX: expected 0 to 2"),
        ({"JOB_COMPLETION_INDEX": "-1", "JOB_COMPLETION_COUNT": "3"}, "expected a whole number, got '-1'"),
        ({"JOB_COMPLETION_INDEX": "1"}, "JOB_COMPLETION_COUNT is not set"),
        ({"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETION_COUNT": "0"}, "the job has 0 task(s)"),
        ({"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "2"}, "got 'x'"),
        ({"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, "expected 1 to 4"),
        ({"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, "SLURM_ARRAY_TASK_MIN is not set"),
    ],
)
def test_a_malformed_task_index_is_one_clear_usage_error(environ, message):
    with pytest.raises(UsageError) as raised:
        shard_from_environment(environ)
    assert message in str(raised.value.problems[0])


def write_rows(path, count):
    rows = [f"S{n},naltrexone,en,example,daily:50" for n in range(1, count + 1)]
    path.write_text("ref,leaflet,lang,clinic,regimen\n" + "\n".join(rows) + "\n")


def read_report(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_indexed_job_parts_write_reports_that_concatenate(cli, tmp_path, monkeypatch):
    write_rows(tmp_path / "clinic.csv", 3)
    output = tmp_path / "out"
    for index in ("0", "1"):
        monkeypatch.setenv("JOB_COMPLETION_INDEX", index)
        monkeypatch.setenv("JOB_COMPLETION_COUNT", "2")
        assert cli("batch", tmp_path / "clinic.csv", "--output", output).code == 0
    parts = [read_report(output / "print" / f"clinic-report-{k}of2.csv") for k in (1, 2)]
    assert parts[0][0] == parts[1][0] == ["ref", "status", "file", "problem", "leaflet_version", "leaflet_sha256"]
    assert sorted(row[0] for part in parts for row in part[1:]) == ["S1", "S2", "S3"]
    assert [row[0] for row in parts[0][1:]] == ["S1", "S3"]


def test_shard_option_wins_over_the_environment(cli, tmp_path, monkeypatch):
    write_rows(tmp_path / "clinic.csv", 2)
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "99")  # malformed, but --shard is given
    result = cli("batch", tmp_path / "clinic.csv", "--shard", "2/2", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    assert [row[0] for row in read_report(tmp_path / "out" / "print" / "clinic-report-2of2.csv")[1:]] == ["S2"]


def test_a_bad_task_index_stops_the_batch_before_any_pdf(cli, tmp_path, monkeypatch):
    write_rows(tmp_path / "clinic.csv", 2)
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "7")
    monkeypatch.setenv("SLURM_ARRAY_TASK_MIN", "0")
    monkeypatch.setenv("SLURM_ARRAY_TASK_COUNT", "2")
    result = cli("batch", tmp_path / "clinic.csv", "--output", tmp_path / "out")
    assert (result.code, result.err.strip()) == (
        2,
        "SLURM_ARRAY_TASK_ID: expected 0 to 1 (a contiguous array of 2 task(s), step 1), got 7",
    )
    assert not (tmp_path / "out" / "print").exists()
