"""Part K of N of a batch, from ``--shard K/N`` or a job runner's array index.

Job runners number their tasks; we map them to K (1-based) as follows:

- Kubernetes Indexed Job: ``JOB_COMPLETION_INDEX`` is 0 to N-1 and ``JOB_COMPLETION_COUNT`` is N
  (``spec.completions``), so K = index + 1.
- SLURM job array: ``SLURM_ARRAY_TASK_ID`` runs from ``SLURM_ARRAY_TASK_MIN`` (often 0 or 1, any
  number with ``--array=5-8``) and ``SLURM_ARRAY_TASK_COUNT`` is N, so K = id - min + 1. We assume
  a contiguous range with step 1 (``--array=0-3`` or ``1-4``, not ``1,5,9`` or ``0-9:2``): then
  every id is in min..min+N-1, and any other id is refused rather than guessed.

``--shard`` wins over the environment; with neither, the whole batch is one part.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import UsageError

MAX_SHARDS = 10_000


@dataclass(frozen=True)
class Shard:
    """Part K of N of a batch: row n belongs to part ((n - 1) mod N) + 1."""

    index: int = 1
    count: int = 1

    def owns(self, row_number: int) -> bool:
        return (row_number - 1) % self.count == self.index - 1

    def suffix(self) -> str:
        """What a part's own files add to their names, such as '-2of4'; nothing for a whole batch."""
        return "" if self.count == 1 else f"-{self.index}of{self.count}"


WHOLE_BATCH = Shard()


def parse_shard(text: str) -> Shard | None:
    """``K/N`` with 1 <= K <= N, or None."""
    parts = text.split("/")
    if len(parts) == 2 and all(part.isascii() and part.isdigit() for part in parts):
        index, count = int(parts[0]), int(parts[1])
        if 1 <= index <= count <= MAX_SHARDS:
            return Shard(index, count)
    return None


def shard_from_environment(environ: Mapping[str, str] | None = None) -> Shard:
    """The part a Kubernetes Indexed Job or a SLURM job array task builds; the whole batch outside both."""
    environ = os.environ if environ is None else environ
    if "JOB_COMPLETION_INDEX" in environ:
        index = _whole_number(environ, "JOB_COMPLETION_INDEX")
        count = _whole_number(environ, "JOB_COMPLETION_COUNT", "set spec.completions in the Indexed Job")
        return _checked(index + 1, count, f"JOB_COMPLETION_INDEX: expected 0 to {count - 1}", index)
    if "SLURM_ARRAY_TASK_ID" in environ:
        task = _whole_number(environ, "SLURM_ARRAY_TASK_ID")
        count = _whole_number(environ, "SLURM_ARRAY_TASK_COUNT", "submit with sbatch --array")
        first = _whole_number(environ, "SLURM_ARRAY_TASK_MIN", "submit with sbatch --array")
        expected = f"SLURM_ARRAY_TASK_ID: expected {first} to {first + count - 1}"
        return _checked(task - first + 1, count, expected, task)
    return WHOLE_BATCH


def _whole_number(environ: Mapping[str, str], name: str, advice: str = "") -> int:
    text = environ.get(name)
    if text is None:
        raise UsageError(f"{name} is not set, but the batch looks sharded; {advice}")
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise UsageError(f"{name}: expected a whole number, got '{text[:20]}'")
    return int(text)


def _checked(index: int, count: int, expected: str, found: int) -> Shard:
    if not 1 <= count <= MAX_SHARDS:
        raise UsageError(f"{expected.split(':')[0]}: the job has {count} task(s); expected 1 to {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise UsageError(f"{expected} (a contiguous array of {count} task(s), step 1), got {found}")
    return Shard(index, count)
