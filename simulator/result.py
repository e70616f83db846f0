"""The result of one command line run against the cluster."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class CommandResult:
    """What a terminal would show, plus the requests it made and any manifest problems.

    Attributes:
        stdout: standard output, newline-terminated when not empty.
        stderr: standard error, newline-terminated when not empty.
        exit_code: 0 on success, as the real tool would exit otherwise.
        traces: one `Trace` per request the command made (curl, ping...).
        problems: every manifest `Problem` found (apply/create), for editors to mark lines.
    """

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    traces: list[Any] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)

    @classmethod
    def error(cls, message: str, exit_code: int = 1) -> CommandResult:
        """A failure with `message` on stderr."""
        return cls(
            stderr=message if message.endswith("\n") else message + "\n", exit_code=exit_code
        )

    def extend(self, other: CommandResult) -> CommandResult:
        """Append another result's output (for commands chained in one call)."""
        self.stdout += other.stdout
        self.stderr += other.stderr
        self.exit_code = other.exit_code
        self.traces.extend(other.traces)
        self.problems.extend(other.problems)
        return self
