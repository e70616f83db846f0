"""GNU getopt_long as coreutils and grep use it, with their error wording.

Options may follow operands (`grep ready -i`), short ones stack (`-iv`),
take their value attached or as the next word (`-n3`, `-n 3`), and `--`
ends them; long ones may be abbreviated to any unique prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.result import CommandResult


@dataclass(frozen=True, slots=True)
class Spec:
    """A tool's options: short letters and long names, each to (option name, takes a value)."""

    tool: str
    short: dict[str, tuple[str, bool]]
    long: dict[str, tuple[str, bool]]
    usage: str = ""  # grep prints a usage line before "Try ..."; coreutils do not
    exit_code: int = 1  # what a bad option exits with (grep: 2)


class OptionError(Exception):
    """A refused command line; `result` is what the tool prints."""

    def __init__(self, result: CommandResult) -> None:
        super().__init__(result.stderr)
        self.result = result


def fail(spec: Spec, message: str, *, hint: bool = True) -> OptionError:
    """`TOOL: message`, with the usage and `Try 'TOOL --help'` lines when `hint`."""
    text = f"{spec.tool}: {message}\n"
    if hint:
        text += spec.usage + f"Try '{spec.tool} --help' for more information.\n"
    return OptionError(CommandResult(stderr=text, exit_code=spec.exit_code))


def parse(spec: Spec, args: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """`([(option, value)], operands)`; flags get the value "".

    Raises:
        OptionError: an unknown option, or one missing its value.
    """
    options: list[tuple[str, str]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            key = _long(spec, name, arg)
            option, takes = spec.long[key]
            if takes and not eq:
                if i >= len(args):
                    raise fail(spec, f"option '--{key}' requires an argument")
                value = args[i]
                i += 1
            elif not takes and eq:
                raise fail(spec, f"option '--{key}' doesn't allow an argument")
            options.append((option, value))
        elif arg.startswith("-") and arg != "-":
            j = 1
            while j < len(arg):
                letter = arg[j]
                if letter not in spec.short:
                    raise fail(spec, f"invalid option -- '{letter}'")
                option, takes = spec.short[letter]
                if not takes:
                    options.append((option, ""))
                    j += 1
                    continue
                value = arg[j + 1 :]
                if not value:
                    if i >= len(args):
                        raise fail(spec, f"option requires an argument -- '{letter}'")
                    value = args[i]
                    i += 1
                options.append((option, value))
                break
        else:
            operands.append(arg)
    return options, operands


def _long(spec: Spec, name: str, shown: str) -> str:
    if name in spec.long:
        return name
    matches = [k for k in spec.long if k.startswith(name)]
    if len({spec.long[k] for k in matches}) == 1:
        return matches[0]
    if matches:
        return _ambiguous(spec, shown, matches)
    raise fail(spec, f"unrecognized option '{shown}'")


def _ambiguous(spec: Spec, shown: str, matches: list[str]) -> str:
    listed = " ".join(f"'--{m}'" for m in sorted(matches))
    raise fail(spec, f"option '{shown.partition('=')[0]}' is ambiguous; possibilities: {listed}")


def count(spec: Spec, value: str, what: str) -> int:
    """A non-negative count (`-n 3`, `-A 2`) or GNU's `invalid ... : 'x'` error."""
    text = value.strip()
    if not text.isdigit():
        raise fail(spec, f"invalid {what}: '{value}'", hint=False)
    return int(text)


def lines_of(text: str) -> list[str]:
    """The lines of `text` without their newlines (a last line without one counts)."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def joined(lines: list[str]) -> str:
    """Lines back to text, each newline-terminated."""
    return "".join(line + "\n" for line in lines)
