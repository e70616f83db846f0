"""Running a parsed line: lists, pipelines, redirections, builtins, then the machine's programs.

One `Runner` serves every place a line runs: the learner's workstation
(`Cluster.run`) and a container's `sh -c` (`kubectl exec POD -- sh -c '...'`).
What differs between them is a `Machine`: its variables, files, aliases and
programs. Pipeline stages run one after the other, each reading the whole
output of the one before (there is no concurrency to simulate); stderr goes
to the terminal as each stage writes it, and the status of a pipeline is its
last stage's (no `pipefail`), as in bash and BusyBox sh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.result import ERR, OUT, CommandResult

from . import builtins, filters
from .errors import FileError
from .expand import ExpansionError, expand, expand_one
from .machine import ExitShell, Machine
from .syntax import Command, Script, ShellSyntaxError, parse, unquoted_literal

#: What `&` meets for anything but the one command that runs as a job here.
BACKGROUND_REFUSED = (
    "background jobs with & are not available in this playground's shell: only "
    "`kubectl port-forward ... &` runs as a job (run other commands one at a time)"
)
MAX_STREAM = 4 * 1024 * 1024  # characters one stage may pass on, or show
_PIPE, _TTY, _NULL = "pipe", "tty", "null"


@dataclass(slots=True)
class _Collected:
    """What a line has produced so far."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    traces: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    session: dict | None = None
    edit: dict | None = None
    size: int = 0

    def show(self, stream: str, text: str) -> None:
        if not text or self.size > MAX_STREAM:
            return
        self.size += len(text)
        if self.size > MAX_STREAM:
            text = text[: len(text) - (self.size - MAX_STREAM)]
            text += f"\n… output cut here: over {MAX_STREAM // (1024 * 1024)} MiB\n"
        if self.shown and self.shown[-1][0] == stream:
            self.shown[-1] = (stream, self.shown[-1][1] + text)
        else:
            self.shown.append((stream, text))


class Runner:
    """Runs lines on one machine, remembering `$?` between the commands of a line."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.status = 0
        self.exited = False  # an `exit` ran: a shell reading a script stops

    def run(self, line: str, stdin: str = "") -> CommandResult:
        """Run one command line; never raises for anything typed."""
        out = _Collected()
        try:
            script = parse(line)
        except ShellSyntaxError as err:
            out.show(ERR, f"{self.machine.shell}: {err}\n")
            return _result(out, 2)
        try:
            self._run_script(script, stdin, out)
        except ExitShell as stop:
            out.show(ERR, stop.message)
            self.status = stop.status
            self.exited = True
        return _result(out, self.status)

    def run_script(self, script: Script, stdin: str, out: _Collected) -> None:
        """Run an already parsed script (for shells reading several lines)."""
        self._run_script(script, stdin, out)

    def _run_script(self, script: Script, stdin: str, out: _Collected) -> None:
        for step in script:
            if (step.joiner == "&&" and self.status != 0) or (
                step.joiner == "||" and self.status == 0
            ):
                continue
            if step.background:
                self.status = self._background(step.pipeline, out)
            else:
                self.status = self._pipeline(step.pipeline, stdin, out)
            stdin = ""  # the terminal's input is read by the first command that reads it

    def _pipeline(self, pipeline: list[Command], stdin: str, out: _Collected) -> int:
        data = stdin
        status = 0
        for k, command in enumerate(pipeline):
            last = k == len(pipeline) - 1
            status, data = self._command(command, data, out, last, alone=len(pipeline) == 1)
        return status

    def _background(self, pipeline: list[Command], out: _Collected) -> int:
        """`COMMAND &`: a job, for the one command that runs as one here."""
        machine = self.machine
        result = None
        if len(pipeline) == 1 and not pipeline[0].redirects:
            try:
                argv, assignments = self._words(pipeline[0])
            except (ExpansionError, ShellSyntaxError) as err:
                out.show(ERR, f"{machine.shell}: {err}\n")
                return 1
            if argv and not assignments:
                result = machine.background(argv)
        if result is None:
            out.show(ERR, f"{machine.shell}: {BACKGROUND_REFUSED}\n")
            return 2
        out.traces.extend(result.traces)
        for stream, text in result.output():
            out.show(stream, text)
        return 0  # a job started: `$?` is 0 whatever the job does later

    # -- one simple command ---------------------------------------------------------

    def _command(
        self, command: Command, stdin: str, out: _Collected, last: bool, alone: bool
    ) -> tuple[int, str]:
        """Run one command; returns its status and what it passes down the pipe."""
        machine = self.machine
        try:
            argv, assignments = self._words(command)
        except (ExpansionError, ShellSyntaxError) as err:
            out.show(ERR, f"{machine.shell}: {err}\n")
            return 1, ""
        table = {1: _PIPE, 2: _TTY}
        try:
            stdin = self._redirect(command, table, stdin)
        except FileError as err:
            out.show(ERR, f"{machine.shell}: {err}\n")
            return 1, ""
        if not argv:
            for name, value in assignments:
                error = machine.assign(name, value, False)
                if error:
                    out.show(ERR, f"{machine.shell}: {error}\n")
                    return 1, ""
            return 0, ""
        result = self._execute(argv, stdin, tty=last and table[1] == _PIPE)
        out.traces.extend(result.traces)
        out.problems.extend(result.problems)
        if alone and table[1] == _PIPE:
            out.session = result.session or out.session
            out.edit = result.edit or out.edit
        piped: list[str] = []
        size = 0
        for stream, text in result.output():
            target = table[1 if stream == OUT else 2]
            if target == _PIPE:
                if last:
                    out.show(OUT, text)
                elif size < MAX_STREAM:
                    piped.append(text[: MAX_STREAM - size])
                    size += len(text)
            elif target == _TTY:
                out.show(ERR, text)
            elif target != _NULL:
                try:
                    machine.write_file(target, text, True)
                except FileError as err:
                    out.show(ERR, f"{machine.shell}: {err}\n")
        return result.exit_code, "".join(piped)

    def _words(self, command: Command) -> tuple[list[str], list[tuple[str, str]]]:
        """The command's fields after alias and parameter expansion, and its leading assignments."""
        words = list(command.words)
        assignments: list[tuple[str, str]] = []
        lookup = self._lookup
        while words:
            head = words[0][0]
            text = head.text if not head.var and not head.quoted else None
            name, eq, _ = (text or "").partition("=")
            if not eq or not _is_name(name):
                break
            first = words.pop(0)
            value_parts = (head.__class__(head.text[len(name) + 1 :], head.quoted), *first[1:])
            assignments.append((name, expand_one(value_parts, lookup)))
        if words and self.machine.aliases:
            words = self._alias(words)
        argv: list[str] = []
        for word in words:
            argv.extend(expand(word, lookup))
        return argv, assignments

    def _alias(self, words: list) -> list:
        """Replace the first word by its alias, again for the new first word (not recursing)."""
        aliases = self.machine.aliases or {}
        seen: set[str] = set()
        while words:
            name = unquoted_literal(words[0])
            if name is None or name in seen or name not in aliases:
                return words
            seen.add(name)
            try:
                replacement = parse(aliases[name])
            except ShellSyntaxError:
                return words
            if len(replacement) != 1 or len(replacement[0].pipeline) != 1:
                return words  # an alias with operators is not expanded here
            words = list(replacement[0].pipeline[0].words) + words[1:]
        return words

    def _lookup(self, name: str) -> str | None:
        if name == "?":
            return str(self.status)
        if name == "~":
            return self.machine.variable("HOME") or "/"
        if name == "$":
            return "1"
        if name in ("#", "0") or name.isdigit():
            return "0" if name == "#" else (self.machine.shell if name == "0" else "")
        return self.machine.variable(name)

    def _redirect(self, command: Command, table: dict[int, str], stdin: str) -> str:
        """Apply the command's redirections to `table`; returns its stdin."""
        machine = self.machine
        for r in command.redirects:
            target = expand_one(r.target, self._lookup)
            if r.op == "<":
                stdin = machine.read_file(target)
            elif r.op == ">&":
                if target not in ("1", "2"):
                    raise FileError(target, "Bad file descriptor")
                table[r.fd] = table[int(target)]
            elif r.fd not in (1, 2):
                raise FileError(str(r.fd), "redirecting this descriptor is not simulated")
            elif target == "/dev/null":
                table[r.fd] = _NULL
            elif target in ("/dev/stdout", "/dev/stderr"):
                table[r.fd] = _PIPE if target == "/dev/stdout" else _TTY
            else:
                if not target:
                    raise FileError("", "ambiguous redirect")
                machine.write_file(target, "", r.op == ">>")
                table[r.fd] = target
        return stdin

    def _execute(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        name = argv[0]
        builtin = builtins.BUILTINS.get(name)
        if builtin is not None:
            return builtin(self, argv, stdin)
        result = self.machine.program(argv, stdin, tty)
        if result is not None:
            return result
        text_filter = filters.FILTERS.get(name)
        if text_filter is not None:
            return text_filter(argv, stdin, self.machine.read_file)
        return CommandResult.error(self.machine.not_found(name), 127)


def _is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and text.replace("_", "a").isalnum()


def _result(out: _Collected, status: int) -> CommandResult:
    stdout = "".join(text for stream, text in out.shown if stream == OUT)
    stderr = "".join(text for stream, text in out.shown if stream == ERR)
    return CommandResult(
        stdout=stdout,
        stderr=stderr,
        exit_code=status,
        traces=out.traces,
        problems=out.problems,
        chunks=out.shown,
        session=out.session,
        edit=out.edit,
    )


def run_line(machine: Machine, line: str, stdin: str = "") -> CommandResult:
    """Run `line` on `machine` (a fresh `$?`)."""
    return Runner(machine).run(line, stdin)
