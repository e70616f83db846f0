"""Command-line parsing with cobra/pflag's rules and kubectl's error wording.

Flags may come anywhere (`kubectl get -n kube-system pods`, `kubectl -n x get
pods`); `--` ends them. Long flags take `--name=value` or `--name value`,
short ones `-n value`, `-nvalue` or `-n=value`; boolean short flags stack
(`-it`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from .errors import KubectlError

BOOL, STR, INT, MULTI = "bool", "str", "int", "multi"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag a command accepts: long name, optional one-letter shorthand, value type."""

    name: str
    short: str = ""
    type: str = STR


NAMESPACE = Flag("namespace", "n")
GLOBAL_FLAGS = (
    NAMESPACE,
    Flag("help", "h", "bool"),
    Flag("context"),
    Flag("kubeconfig"),
    Flag("v", "v", INT),
    Flag("request-timeout"),
)
OUTPUT = Flag("output", "o")
SELECTOR = Flag("selector", "l")
ALL_NAMESPACES = Flag("all-namespaces", "A", BOOL)
FILENAME = Flag("filename", "f", MULTI)


@dataclass(slots=True)
class Args:
    """A parsed command line.

    Attributes:
        command: the verb as typed (`get`), or "" when none was given.
        positional: arguments that are not flags, in order.
        flags: flag name -> value (bool, str, int, or list[str] for repeatable flags).
        dash: index into `positional` where `--` appeared, or -1.
    """

    command: str = ""
    positional: list[str] = field(default_factory=list)
    flags: dict[str, object] = field(default_factory=dict)
    dash: int = -1

    def get(self, name: str, default: object = None) -> object:
        """A flag's value, or `default` when it was not given."""
        return self.flags.get(name, default)

    def text(self, name: str) -> str | None:
        """A string flag's value, or None when it was not given."""
        return self._typed(name, str)

    def number(self, name: str) -> int | None:
        """An integer flag's value, or None when it was not given."""
        return self._typed(name, int)

    def values(self, name: str) -> list[str]:
        """A repeatable flag's values in the order given (empty when it was not given)."""
        return self._typed(name, list) or []

    def _typed(self, name: str, kind: type[T]) -> T | None:
        value = self.flags.get(name)
        if value is None or isinstance(value, kind):
            return value
        # The flag's declared type decides its value: asking for another is a bug here.
        raise TypeError(f"flag --{name} holds a {type(value).__name__}, not a {kind.__name__}")


def _flag_error(message: str, command: str) -> KubectlError:
    path = f"kubectl {command}".strip()
    return KubectlError(f"error: {message}\nSee '{path} --help' for usage.")


def parse(argv: list[str], commands: dict[str, tuple[Flag, ...]]) -> Args:
    """Split argv (without the word `kubectl`) into command, positionals and typed flags.

    Args:
        argv: the words after `kubectl`.
        commands: each known command's own flags (global flags are always accepted).

    Raises:
        KubectlError: for an unknown flag, a missing or malformed flag value.
    """
    result = Args()
    specs: dict[str, Flag] = {}
    shorts: dict[str, Flag] = {}

    def allow(flags: tuple[Flag, ...]) -> None:
        """Accept `flags` from here on (global ones first, then the command's)."""
        for f in flags:
            specs[f.name] = f
            if f.short:
                shorts[f.short] = f

    allow(GLOBAL_FLAGS)
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            result.dash = len(result.positional)
            result.positional.extend(argv[i:])
            break
        if word.startswith("--") and len(word) > 2:
            name, has_value, value = word[2:].partition("=")
            spec = specs.get(name)
            if spec is None:
                raise _flag_error(f"unknown flag: --{name}", result.command)
            if spec.type == BOOL:
                _set(result, spec, value if has_value else "true", f"--{name}")
                continue
            if not has_value:
                if i >= len(argv):
                    raise _flag_error(f"flag needs an argument: --{name}", result.command)
                value = argv[i]
                i += 1
            _set(result, spec, value, f"--{name}")
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            while letters:
                letter, letters = letters[0], letters[1:]
                spec = shorts.get(letter)
                if spec is None:
                    raise _flag_error(
                        f"unknown shorthand flag: '{letter}' in {word}", result.command
                    )
                if spec.type == BOOL:
                    if letters.startswith("="):
                        _set(result, spec, letters[1:], f"-{letter}")
                        letters = ""
                    else:
                        _set(result, spec, "true", f"-{letter}")
                    continue
                if letters:
                    value = letters[1:] if letters.startswith("=") else letters
                    letters = ""
                elif i < len(argv):
                    value = argv[i]
                    i += 1
                else:
                    raise _flag_error(
                        f"flag needs an argument: '{letter}' in -{letter}", result.command
                    )
                _set(result, spec, value, f"-{letter}")
        elif not result.command:
            result.command = word
            allow(commands.get(word, ()))
        else:
            result.positional.append(word)
    return result


def _set(result: Args, spec: Flag, value: str, shown: str) -> None:
    if spec.type == BOOL:
        if value.lower() not in ("true", "false", "1", "0", "t", "f"):
            raise _flag_error(
                f'invalid argument "{value}" for "{shown}" flag: strconv.ParseBool: parsing '
                f'"{value}": invalid syntax',
                result.command,
            )
        result.flags[spec.name] = value.lower() in ("true", "1", "t")
    elif spec.type == INT:
        try:
            result.flags[spec.name] = int(value)
        except ValueError:
            raise _flag_error(
                f'invalid argument "{value}" for "{shown}" flag: strconv.ParseInt: parsing '
                f'"{value}": invalid syntax',
                result.command,
            ) from None
    elif spec.type == MULTI:
        values = result.flags.setdefault(spec.name, [])
        assert isinstance(values, list)
        values.append(value)
    else:
        result.flags[spec.name] = value
