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
* Only errors that kubectl would print are rendered: warnings (kubectl prints those as
  ``Warning: ...`` lines of their own) and Kubeplay's own findings (``message == ""``, the
  explanation in ``hint``) are for editors and the problems list, never for stderr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MENTIONS_LINE = re.compile(r"\bline \d+")

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, or worth a warning.

    Attributes:
        document: 0-based index of the source document (a List's items share their
            document's index).
        field: field path such as ``spec.ports[1].name``; ``""`` for a whole-document
            problem whose ``message`` is the complete kubectl text.
        message: kubectl / API-server wording, e.g. ``Required value`` (for a warning, the
            text after kubectl's ``Warning: ``); ``""`` for a finding of Kubeplay's own
            that kubectl would not print, explained in ``hint``.
        kind: the object's kind when known.
        name: the object's ``metadata.name`` when known.
        line: 1-based line in the input text: where the mistake most likely is (for a YAML
            syntax error, where the structure broke, which may come before the line the
            parser names in ``message``).
        column: 1-based column in the input text.
        severity: ``"error"`` (the input is refused) or ``"warning"`` (accepted, but a
            current cluster would refuse it or it will not do what it seems to).
        hint: one or two plain sentences for a learner, where kubectl's wording is cryptic
            or silent; ``""`` when kubectl's message says it all.
        excerpt: the input lines around the spot with a caret line under it (monospace
            text, numbered lines); ``""`` when not worth showing.
    """

    document: int
    field: str
    message: str
    kind: str = ""
    name: str = ""
    line: int | None = None
    column: int | None = None
    severity: str = ERROR
    hint: str = ""
    excerpt: str = ""

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
            "severity": self.severity,
            "hint": str(self.hint),
            "excerpt": self.excerpt,
            "text": str(self),
        }

    @property
    def is_error(self) -> bool:
        """Whether the input must be refused because of this problem."""
        return self.severity == ERROR

    def location(self) -> str:
        """Return ``document D, line L, column C`` (1-based document), omitting unknowns."""
        parts = [f"document {self.document + 1}"]
        if self.line is not None:
            parts.append(f"line {self.line}")
            if self.column is not None:
                parts.append(f"column {self.column}")
        return ", ".join(parts)

    def kubectl_text(self) -> str:
        """Return this problem alone as kubectl would print it (no location).

        Warnings get kubectl's ``Warning: `` prefix; a finding of Kubeplay's own (no
        ``message``) returns its hint.
        """
        if not self.message:
            return str(self.hint)
        if self.severity == WARNING:
            return f"Warning: {self.message}"
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
        warnings: warning `Problem`s gathered before the input was refused.
        parsed: for a YAML stream refused for its syntax, what could still be decoded from
            the other documents (a `simulator.manifests.ParsedManifests`), so their own
            problems can be reported too; None otherwise.
    """

    def __init__(
        self,
        problems: list[Problem],
        warnings: list[Problem] | None = None,
        parsed: object | None = None,
    ) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or ())
        self.parsed = parsed
        super().__init__(format_problems(self.problems))

    def __str__(self) -> str:
        return format_problems(self.problems)


def _quote(text: str) -> str:
    # Go's %q for the printable strings names are made of.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_problems(problems: list[Problem], *, locations: bool = True) -> str:
    """Render the errors among problems as kubectl prints them, one block per object.

    Args:
        problems: problems in input order.
        locations: append `` (document D, line L, column C)`` to each cause so learners
            find the spot; False gives kubectl's text exactly.

    Returns:
        Multi-line text without a trailing newline ("" for no problems).
    """
    groups: dict[tuple[int, str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity != ERROR or not problem.message:
            continue  # printed elsewhere (warnings) or not kubectl's (Kubeplay's findings)
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


def warning_lines(warnings: list[Problem]) -> list[str]:
    """kubectl's ``Warning: ...`` lines for warnings it would print, each text once.

    kubectl's warning handler deduplicates (two legacy Ingresses print one line); warnings
    of Kubeplay's own (no ``message``) are not printed.
    """
    lines: list[str] = []
    for warning in warnings:
        if warning.severity == WARNING and warning.message:
            line = warning.kubectl_text()
            if line not in lines:
                lines.append(line)
    return lines
