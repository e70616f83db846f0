"""Reading an input line by line: documents, indentation, comments and block scalars.

The explanations look at the text as a learner sees it, not at libyaml's tokens, so they
work on input that does not parse. These helpers are deliberately simple and only ever
used to word a hint or pick a line, never to decide what the cluster accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.manifests import DOCUMENT_LINE

# A value that opens a block scalar: "key: |", "- >-", "key: |2 # comment".
_BLOCK_SCALAR = re.compile(r"(?:^|[:\-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class Span:
    """The lines of one ``---`` separated document: ``first``..``last`` (1-based)."""

    index: int
    first: int
    last: int


def documents(text: str) -> list[Span]:
    """Cut the input at its ``---`` lines, numbering documents as `simulator.manifests` does.

    Content before the first ``---`` is document 0 only when it is more than comments and
    blank lines.
    """
    lines = text.split("\n")
    cuts = [text.count("\n", 0, m.start()) + 1 for m in DOCUMENT_LINE.finditer(text)]
    if not cuts or cuts[0] != 1:
        head = lines[: (cuts[0] - 1) if cuts else len(lines)]
        if any(is_content(line) for line in head) or not cuts:
            cuts.insert(0, 1)
    spans = []
    for index, first in enumerate(cuts):
        last = cuts[index + 1] - 1 if index + 1 < len(cuts) else len(lines)
        spans.append(Span(index, first, last))
    return spans


def document_at(spans: list[Span], line: int) -> int:
    """The index of the document holding ``line`` (0 when before any)."""
    found = 0
    for span in spans:
        if span.first <= line:
            found = span.index
    return found


def indent(line: str) -> int:
    """Leading ASCII spaces."""
    return len(line) - len(line.lstrip(" "))


def is_content(line: str) -> bool:
    """Whether a line holds more than blanks or a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def structural_lines(lines: list[str]) -> list[bool]:
    """For each line: True when it is YAML structure (not a comment, blank or block text).

    Lines inside a block scalar (``|`` or ``>``) are the value's text, where tabs and any
    character are allowed; they are the lines indented deeper than the line that opened it.
    """
    flags = []
    opener: int | None = None  # indentation of the line that opened a block scalar
    for line in lines:
        if opener is not None:
            if not line.strip() or indent(line) > opener:
                flags.append(False)
                continue
            opener = None
        flags.append(is_content(line))
        if is_content(line) and _BLOCK_SCALAR.search(_without_quotes(line)):
            opener = indent(line)
    return flags


def _without_quotes(line: str) -> str:
    # A quoted value ending in "|" is not a block scalar.
    return re.sub(r"\"[^\"]*\"|'[^']*'", "''", line)
