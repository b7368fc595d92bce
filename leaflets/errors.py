"""The project's error classes and its logging policy.

Logging policy: the ``leaflets`` logger reports progress at INFO and content
problems that do not stop a build at WARNING. Errors a user can fix are never
logged with a traceback: they travel as :class:`LeafletError` and the command
line prints each :class:`Problem` on its own line. Personal details (a
patient's name) are never logged; refer to a CSV row or ref instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

LOG = logging.getLogger("leaflets")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"  # "error", "warning", "note"; "strict": a warning that --strict makes an error

    def __str__(self) -> str:
        path = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in self.path)
        where = path if self.line is None else f"{path}:{self.line}"  # a newline in a file name stays on one line
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = {"warning": "warning: ", "strict": "error: "}.get(self.severity, "")
        return f"{where}: {prefix}{what}" if where else f"{prefix}{what}"


class LeafletError(Exception):
    """Base class: a problem the user can fix. Exit code 1, no traceback."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(path="", message=problems)]
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class ContentError(LeafletError):
    """Content, clinic profiles, CSV rows or other input files are wrong."""


class UsageError(LeafletError):
    """The command line was used wrongly. Exit code 2."""

    exit_code = 2


class BuildError(LeafletError):
    """Rendering failed for a reason the user can act on."""


class Stopped(BaseException):
    """SIGTERM (or SIGINT) asked the build to stop; like KeyboardInterrupt, not an error of the input."""

    def __init__(self, signal_name: str = "SIGTERM", exit_code: int = 143):
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.exit_code = exit_code
