"""What a shell line runs on, and what a builtin sees of the shell running it.

`Machine` is the workstation or a container; `Shell` is the runner as the
builtins (`cd`, `export`, `exit`...) use it. Both live here, below the runner
and the builtins, so neither imports the other's module.
"""

from __future__ import annotations

from typing import Protocol

from simulator.result import CommandResult


class Machine(Protocol):
    """Where a line runs: the workstation, or a container."""

    shell: str  # the shell's name, as it starts its messages (`bash`, `sh`)

    @property
    def aliases(self) -> dict[str, str] | None:
        """The alias table, or None where there are none (read-only: a container has none)."""

    def variable(self, name: str) -> str | None:
        """A variable's value, or None when unset."""

    def assign(self, name: str, value: str, exported: bool) -> str | None:
        """Set a variable; returns an error message, or None."""

    def unset(self, name: str) -> None:
        """Forget a variable."""

    def environment(self) -> list[tuple[str, str]]:
        """Exported variables, as `export` lists them."""

    def program(self, argv: list[str], stdin: str, tty: bool) -> CommandResult | None:
        """Run a program that is not a builtin; None when the machine has none of that name.

        `tty` tells whether its stdout is the terminal (curl's progress meter, ls columns).
        """

    def background(self, argv: list[str]) -> CommandResult | None:
        """Start `argv` as a job (`COMMAND &`); None when it cannot run as one here."""

    def not_found(self, name: str) -> str:
        """The shell's message for a program it cannot find (exit status 127)."""

    def read_file(self, path: str) -> str:
        """A file's text. Raises FileError."""

    def write_file(self, path: str, text: str, append: bool) -> None:
        """Write or append to a file. Raises FileError."""

    def change_directory(self, path: str) -> str | None:
        """`cd PATH`; returns an error message, or None."""

    def working_directory(self) -> str:
        """Where relative paths start."""


class Shell(Protocol):
    """The shell running a builtin (`runner.Runner`): its machine and the last status."""

    machine: Machine
    status: int


class ExitShell(Exception):
    """`exit N`: the rest of the line does not run."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(status)
        self.status = status
        self.message = message
