"""The result of one command line run against the cluster."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUT, ERR = "out", "err"


@dataclass(slots=True)
class CommandResult:
    """What a terminal would show, plus the requests it made and any manifest problems.

    Attributes:
        stdout: standard output, newline-terminated when not empty.
        stderr: standard error, newline-terminated when not empty.
        exit_code: 0 on success, as the real tool would exit otherwise.
        traces: one `Trace` per request the command made (curl, ping...).
        problems: every manifest `Problem` found (apply/create), for editors to mark lines.
        chunks: stdout and stderr as a terminal shows them, `(OUT|ERR, text)` in the
            order written, when that order is known (curl -v writes its `*` lines
            before the body); None means stdout, then stderr.
        session: an interactive shell a terminal should open (`kubectl exec -it POD
            -- sh`), as `ShellSession.to_dict()`; None otherwise.
        edit: an object to open in an editor (`kubectl edit`): `{"ref", "yaml"}`.
    """

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    traces: list[Any] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    chunks: list[tuple[str, str]] | None = None
    session: dict[str, Any] | None = None
    edit: dict[str, Any] | None = None

    @classmethod
    def error(cls, message: str, exit_code: int = 1) -> CommandResult:
        """A failure with `message` on stderr."""
        return cls(
            stderr=message if message.endswith("\n") else message + "\n", exit_code=exit_code
        )

    def output(self) -> list[tuple[str, str]]:
        """`(OUT|ERR, text)` pieces in the order a terminal shows them.

        Empty pieces are left out and neighbours from the same stream joined.
        """
        if self.chunks is None:
            pieces = [(OUT, self.stdout), (ERR, self.stderr)]
            return [(stream, text) for stream, text in pieces if text]
        merged: list[tuple[str, str]] = []
        for stream, text in self.chunks:
            if not text:
                continue
            if merged and merged[-1][0] == stream:
                merged[-1] = (stream, merged[-1][1] + text)
            else:
                merged.append((stream, text))
        return merged

    def extend(self, other: CommandResult) -> CommandResult:
        """Append another result's output (for commands chained in one call)."""
        pieces = self.output() + other.output()
        self.stdout += other.stdout
        self.stderr += other.stderr
        self.chunks = pieces
        self.exit_code = other.exit_code
        self.traces.extend(other.traces)
        self.problems.extend(other.problems)
        self.session = other.session or self.session
        self.edit = other.edit or self.edit
        return self
