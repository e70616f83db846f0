"""The shell's own commands: echo, export, unset, alias, unalias, cd, pwd, exit, true, false.

Messages are bash's (`bash: alias: x: not found`), with the running shell's
name in front; variables and aliases live in the `Machine` (the workstation
keeps them between lines, so `alias k=kubectl` and `export out=...` last).
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.result import CommandResult

from .machine import ExitShell, Shell

MAX_ALIASES = 64
MAX_ALIAS_TEXT = 1024
_BAD_ALIAS_CHARS = set("/$`=\"' \t|&;<>()")


def _ok(text: str = "") -> CommandResult:
    return CommandResult(stdout=text)


def _fail(shell: str, message: str, code: int = 1) -> CommandResult:
    return CommandResult.error(f"{shell}: {message}", code)


def echo(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`echo [-neE] ARGS...`: bash's builtin (options only before the first argument)."""
    args = argv[1:]
    newline, escapes = True, False
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        flags = args.pop(0)[1:]
        newline = newline and "n" not in flags
        for letter in flags:
            if letter in "eE":
                escapes = letter == "e"
    text = " ".join(args)
    if escapes:
        text, stop = _escapes(text)
        if stop:
            return _ok(text)
    return _ok(text + ("\n" if newline else ""))


def _escapes(text: str) -> tuple[str, bool]:
    """`echo -e`'s backslash escapes; the flag tells whether `\\c` stopped the output."""
    table = {"n": "\n", "t": "\t", "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b",
             "f": "\f", "v": "\v", "0": "\0"}  # fmt: skip
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            letter = text[i + 1]
            if letter == "c":
                return "".join(out), True
            if letter in table:
                out.append(table[letter])
                i += 2
                continue
        out.append(text[i])
        i += 1
    return "".join(out), False


def export(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`export [NAME[=VALUE]]...`; without names, the exported variables as bash lists them."""
    machine = runner.machine
    names = [a for a in argv[1:] if a != "-p"]
    if not names:
        return _ok("".join(f'declare -x {k}="{_dq(v)}"\n' for k, v in machine.environment()))
    errors = []
    for item in names:
        name, eq, value = item.partition("=")
        if not _is_name(name):
            errors.append(f"{machine.shell}: export: `{item}': not a valid identifier")
            continue
        if not eq:
            value = machine.variable(name) or ""
        error = machine.assign(name, value, True)
        if error:
            errors.append(f"{machine.shell}: {error}")
    return CommandResult(stderr="".join(e + "\n" for e in errors), exit_code=1 if errors else 0)


def unset(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`unset NAME...`."""
    for name in argv[1:]:
        if not name.startswith("-"):
            runner.machine.unset(name)
    return _ok()


def alias(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`alias [NAME[=VALUE]...]`: define aliases or print them as `alias k='kubectl'`."""
    machine = runner.machine
    table = machine.aliases
    if table is None:
        table = {}
    args = [a for a in argv[1:] if a != "-p"]
    if not args:
        return _ok("".join(f"alias {k}={_sq(v)}\n" for k, v in sorted(table.items())))
    out, errors = [], []
    for item in args:
        name, eq, value = item.partition("=")
        if not eq:
            if name in table:
                out.append(f"alias {name}={_sq(table[name])}\n")
            else:
                errors.append(f"{machine.shell}: alias: {name}: not found")
            continue
        if not name or set(name) & _BAD_ALIAS_CHARS:
            errors.append(f"{machine.shell}: alias: `{name}': invalid alias name")
        elif name not in table and len(table) >= MAX_ALIASES:
            errors.append(f"{machine.shell}: alias: {name}: at most {MAX_ALIASES} aliases here")
        elif len(value) > MAX_ALIAS_TEXT:
            errors.append(
                f"{machine.shell}: alias: {name}: longer than {MAX_ALIAS_TEXT} characters"
            )
        else:
            table[name] = value
    return CommandResult(
        stdout="".join(out), stderr="".join(e + "\n" for e in errors), exit_code=1 if errors else 0
    )


def unalias(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`unalias [-a] NAME...`."""
    machine = runner.machine
    table = machine.aliases if machine.aliases is not None else {}
    args = argv[1:]
    if not args:
        return _fail(machine.shell, "unalias: usage: unalias [-a] name [name ...]", 2)
    if "-a" in args:
        table.clear()
        return _ok()
    errors = []
    for name in args:
        if table.pop(name, None) is None:
            errors.append(f"{machine.shell}: unalias: {name}: not found\n")
    return CommandResult(stderr="".join(errors), exit_code=1 if errors else 0)


def exit_(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`exit [N]`: the rest of the line does not run."""
    if len(argv) > 1:
        if not argv[1].lstrip("-").isdigit():
            message = f"{runner.machine.shell}: exit: {argv[1]}: numeric argument required\n"
            raise ExitShell(2, message)
        raise ExitShell(int(argv[1]) % 256)
    raise ExitShell(runner.status)


def cd(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`cd [DIR]`."""
    machine = runner.machine
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    if len(args) > 1:
        return _fail(machine.shell, "cd: too many arguments")
    target = args[0] if args else (machine.variable("HOME") or "/")
    error = machine.change_directory(target)
    if not error:
        return _ok()
    prefix = getattr(machine, "error_prefix", machine.shell)  # dash says `sh: 1:`
    return CommandResult.error(f"{prefix}: cd: {error}")


def pwd(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
    """`pwd`."""
    return _ok(runner.machine.working_directory() + "\n")


def _constant(code: int) -> Callable[[Shell, list[str], str], CommandResult]:
    def run(runner: Shell, argv: list[str], stdin: str) -> CommandResult:
        return CommandResult(exit_code=code)

    return run


def _is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and text.replace("_", "a").isalnum()


def _sq(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _dq(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")


BUILTINS: dict[str, Callable[[Shell, list[str], str], CommandResult]] = {
    "echo": echo,
    "export": export,
    "unset": unset,
    "alias": alias,
    "unalias": unalias,
    "exit": exit_,
    "cd": cd,
    "pwd": pwd,
    "true": _constant(0),
    ":": _constant(0),
    "false": _constant(1),
}
