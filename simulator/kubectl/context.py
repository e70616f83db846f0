"""The state one kubectl invocation works with, and the output it builds up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.result import ERR, OUT, CommandResult

from .args import Args


@dataclass(slots=True)
class Context:
    """One kubectl run: the cluster, parsed arguments, stdin, and the streams written so far.

    Attributes:
        namespace: `-n` or "default".
        explicit_namespace: whether `-n` was given (apply checks documents against it).
    """

    state: Any
    args: Args
    stdin: str = ""
    network: Any = None
    namespace: str = "default"
    explicit_namespace: bool = False
    files: Any = None  # the workstation's files (`read_file`), or None
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    exit_code: int = 0
    traces: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # Output of a program run in a container, in the order written (curl -v), and where
    # `out`/`err` stood after it; None when nothing needed ordering.
    ordered: list | None = None
    marks: tuple[int, int] = (0, 0)
    session: dict | None = None  # an interactive shell for the terminal to open
    edit: dict | None = None  # an object for the editor to open
    argv: tuple[str, ...] = ()  # the words after `kubectl`, as typed
    background: bool = False  # the shell runs this line as a job (`&`)

    @property
    def now(self) -> float:
        """Simulated seconds."""
        return self.state.clock.now

    def print(self, text: str) -> None:
        """Write a line (or block) to stdout; a newline is added when missing."""
        self.out.append(text if text.endswith("\n") else text + "\n")

    def error(self, text: str, exit_code: int = 1) -> None:
        """Write an error line to stderr and remember the failure."""
        self.err.append(text if text.endswith("\n") else text + "\n")
        self.exit_code = exit_code

    def warn(self, text: str) -> None:
        """Write a line to stderr without failing (warnings, notices)."""
        self.err.append(text if text.endswith("\n") else text + "\n")

    def emit(self, result: CommandResult) -> None:
        """Append a program's output, keeping the order of its stdout and stderr."""
        earlier = [(ERR, "".join(self.err)), (OUT, "".join(self.out))]
        self.out.append(result.stdout)
        self.err.append(result.stderr)
        self.ordered = [*earlier, *(self.ordered or ()), *result.output()]
        self.marks = (len(self.out), len(self.err))

    def result(self) -> CommandResult:
        """The result of the run."""
        chunks = None
        if self.ordered is not None:
            out_mark, err_mark = self.marks
            after = [(ERR, "".join(self.err[err_mark:])), (OUT, "".join(self.out[out_mark:]))]
            chunks = [(stream, text) for stream, text in (*self.ordered, *after) if text]
        return CommandResult(
            stdout="".join(self.out),
            stderr="".join(self.err),
            exit_code=self.exit_code,
            traces=self.traces,
            problems=self.problems,
            chunks=chunks,
            session=self.session,
            edit=self.edit,
        )

    def read_file(self, path: str) -> str:
        """A workstation file's text, or kubectl's error when it cannot be read."""
        from simulator.shell.errors import FileError

        from .errors import error

        if self.files is None:
            raise error(f"open {path}: no such file or directory")
        try:
            return self.files.read_file(path)
        except FileError as err:
            reason = err.reason[:1].lower() + err.reason[1:]
            raise error(f"open {path}: {reason}") from None
