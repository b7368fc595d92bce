"""Safe YAML reading that remembers line numbers and refuses tricks.

Plain data only: no aliases (no alias bombs), no Python tags, no duplicate
keys, dates kept as text so their validation can name the line. Bounded: at
most MAX_YAML_BYTES and MAX_DEPTH levels of nesting, checked while composing,
before the recursive parts of PyYAML could exhaust the stack. Text with an
invisible character inside a number is refused. Every problem becomes a
:class:`ContentError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ContentError, Problem
from .hidden_characters import hidden_in_number

MAX_FILE_BYTES = 1024 * 1024
MAX_YAML_BYTES = 64 * 1024  # a leaflet.yaml or clinic profile is about 1 KB; PyYAML reads about 100 KB a second
MAX_DEPTH = 20  # our files nest three levels deep


class LineDict(dict):
    """A mapping that also knows the line (1-based) of each key."""

    def __init__(self, *args, lines: dict | None = None, start_line: int = 1):
        super().__init__(*args)
        self.lines = lines or {}
        self.start_line = start_line

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.start_line)


class _TextRefused(yaml.MarkedYAMLError):
    """Well-formed YAML whose text we refuse; reported without 'invalid YAML'."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys, deep nesting or implicit timestamps."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed; write the value out", problem_mark=event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            problem = f"nested more than {MAX_DEPTH} levels deep; check the brackets and indentation"
            raise yaml.MarkedYAMLError(problem=problem, problem_mark=event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_str(self, node):
        text = super().construct_yaml_str(node)
        reason = hidden_in_number(text)
        if reason:
            raise _TextRefused(problem=reason, problem_mark=node.start_mark)
        return text

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        lines: dict = {}
        result = LineDict(start_line=node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.MarkedYAMLError(
                    problem=f"keys must be text, found {key!r}",
                    problem_mark=key_node.start_mark,
                )
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key '{key}' (first on line {lines[key]})",
                    problem_mark=key_node.start_mark,
                )
            lines[key] = key_node.start_mark.line + 1
            result[key] = self.construct_object(value_node, deep=True)
        result.lines = lines
        return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:str", _StrictLoader.construct_yaml_str)
# Dates stay strings so validators can report bad ones with their line.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_bytes(path: Path, label: str, max_bytes: int) -> bytes:
    """A file's bytes, or a ContentError when it is too large or cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ContentError([Problem(label, f"file is {size} bytes; the limit is {max_bytes} bytes")])
        return path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(label, f"cannot read file: {exc.strerror or exc}")]) from None


def read_text(path: Path, label: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (a leading BOM is allowed) or raise ContentError."""
    label = label or str(path)
    data = read_bytes(path, label, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            [Problem(label, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line)]
        ) from None
    if not text.strip():
        raise ContentError([Problem(label, "file is empty")])
    return text


def parse_yaml(text: str, label: str, first_line: int = 1):
    """Parse YAML text; ``first_line`` offsets line numbers (for front matter)."""
    if len(text) > MAX_YAML_BYTES:
        raise ContentError([Problem(label, f"YAML is {len(text)} characters long; the limit is {MAX_YAML_BYTES}")])
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        what = exc.problem or "malformed YAML"
        if "could not determine a constructor" in what:
            what = f"tag {exc.problem.split('tag ')[-1]} is not allowed; use plain values"
        message = what if isinstance(exc, _TextRefused) else f"invalid YAML: {what}"
        raise ContentError([Problem(label, message, line)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(label, f"invalid YAML: {exc}")]) from None
    except RecursionError:  # the message would depend on how deep the caller's stack already was
        raise ContentError(
            [Problem(label, "invalid YAML: nested too deeply; check the brackets and indentation")]
        ) from None
    except ValueError as exc:  # e.g. a number too long to convert
        raise ContentError([Problem(label, f"invalid YAML: {str(exc)[:100]}")]) from None


def load_yaml_file(path: Path, label: str | None = None):
    """Read and parse one YAML file."""
    label = label or str(path)
    return parse_yaml(read_text(path, label, MAX_YAML_BYTES), label)
