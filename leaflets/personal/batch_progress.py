"""Progress of a batch, counting every row (failed rows too).

On a terminal, a tqdm bar. Elsewhere (a log file, a scheduler), one line per tenth of the rows,
or at least one a minute: ``batch: 30% (30 of 100 rows)``.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

LINE_EVERY_SECONDS = 60


class Progress:
    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.bar = tqdm(total=total, unit="row", file=self.stream) if self.stream.isatty() else None
        self.last_tenth = 0
        self.last_time = time.monotonic()

    def advance(self, rows: int = 1) -> None:
        if rows <= 0:
            return
        self.done = min(self.total, self.done + rows)
        if self.bar is not None:
            self.bar.update(rows)
            return
        tenth = self.done * 10 // max(self.total, 1)
        now = time.monotonic()
        if tenth > self.last_tenth or now - self.last_time >= LINE_EVERY_SECONDS:
            self.last_tenth, self.last_time = tenth, now
            percent = self.done * 100 // max(self.total, 1)
            print(f"batch: {percent}% ({self.done} of {self.total} rows)", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
