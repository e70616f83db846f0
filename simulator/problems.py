"""Problems found in learner input, and the one error family that carries them.

A `Problem` is one finding: which document, which field, what kubectl would say, and
where it sits in the text. `format_problems` renders a list as kubectl would print it,
grouped per object, with the location added so a learner can find the line.

Text format (``format_problems(problems)``):

* Field problems of one object share a block in kubectl's wording. One cause::

      The Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 80: ... (document 1,
      line 9, column 7)

  Several causes: a head line (kubectl leaves a space after its colon), one ``*`` line each::

      The Service "x" is invalid:
      * spec.ports[0].name: Required value (document 1, line 8, column 5)
      * spec.ports[1].name: Required value (document 1, line 11, column 5)

* Whole-document problems (``field == ""``: parse errors, unknown kinds, refused input,
  decoding errors) carry their complete kubectl text in ``message`` and print verbatim;
  the location is appended to their first line unless the text already names a line.
* The location suffix is `` (document D, line L, column C)``; D is 1-based, parts that are
  unknown are left out. ``format_problems(problems, locations=False)`` prints pure kubectl
  text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MENTIONS_LINE = re.compile(r"\bline \d+")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input.

    Attributes:
        document: 0-based index of the source document (a List's items share their
            document's index).
        field: field path such as ``spec.ports[1].name``; ``""`` for a whole-document
            problem whose ``message`` is the complete kubectl text.
        message: kubectl / API-server wording, e.g. ``Required value``.
        kind: the object's kind when known.
        name: the object's ``metadata.name`` when known.
        line: 1-based line in the input text.
        column: 1-based column in the input text.
    """

    document: int
    field: str
    message: str
    kind: str = ""
    name: str = ""
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict:
        """Return a JSON-ready dict with every attribute plus ``text`` (`str(self)`)."""
        return {
            "document": self.document,
            "field": self.field,
            "message": self.message,
            "kind": self.kind,
            "name": self.name,
            "line": self.line,
            "column": self.column,
            "text": str(self),
        }

    def location(self) -> str:
        """Return ``document D, line L, column C`` (1-based document), omitting unknowns."""
        parts = [f"document {self.document + 1}"]
        if self.line is not None:
            parts.append(f"line {self.line}")
            if self.column is not None:
                parts.append(f"column {self.column}")
        return ", ".join(parts)

    def kubectl_text(self) -> str:
        """Return this problem alone as kubectl would print it (no location)."""
        if not self.field:
            return self.message
        return f"The {self.kind or 'object'} {_quote(self.name)} is invalid: {self.cause()}"

    def cause(self) -> str:
        """Return ``field: message`` (or the message alone for a whole-document problem)."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def __str__(self) -> str:
        return f"{self.location()}: {self.kubectl_text()}"


class ManifestError(Exception):
    """Bad input: every problem found, with its location.

    Attributes:
        problems: the problems, in input order.
        warnings: kubectl ``Warning: ...`` lines gathered before the input was refused.
    """

    def __init__(self, problems: list[Problem], warnings: list[str] | None = None) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or ())
        super().__init__(format_problems(self.problems))

    def __str__(self) -> str:
        return format_problems(self.problems)


def _quote(text: str) -> str:
    # Go's %q for the printable strings names are made of.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_problems(problems: list[Problem], *, locations: bool = True) -> str:
    """Render problems as kubectl prints them, one block per object.

    Args:
        problems: problems in input order.
        locations: append `` (document D, line L, column C)`` to each cause so learners
            find the spot; False gives kubectl's text exactly.

    Returns:
        Multi-line text without a trailing newline ("" for no problems).
    """
    groups: dict[tuple[int, str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.document, problem.kind, problem.name), []).append(problem)
    lines: list[str] = []
    for (_, kind, name), group in groups.items():
        causes = []
        for problem in group:
            if problem.field:
                causes.append(problem)
                continue
            text = problem.message
            # API errors ("Error from server (AlreadyExists): ...") are kubectl's exact lines;
            # their location stays in the Problem for editors to mark.
            if locations and not _MENTIONS_LINE.search(text) and not text.startswith("Error from"):
                first, sep, rest = text.partition("\n")
                text = f"{first} ({problem.location()}){sep}{rest}"
            lines.append(text)
        if not causes:
            continue
        head = f"The {kind or 'object'} {_quote(name)} is invalid: "
        rendered = [f"{p.cause()} ({p.location()})" if locations else p.cause() for p in causes]
        if len(rendered) == 1:
            lines.append(head + rendered[0])
        else:
            lines.append(head)
            lines.extend(f"* {cause}" for cause in rendered)
    return "\n".join(lines)
