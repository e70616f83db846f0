"""Line tools as GNU coreutils 9 prints them: head, tail, wc, sort, uniq.

Text is compared by code point (the C.UTF-8 locale of container images and
Debian's default root shell), not by a language's collation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from simulator.result import CommandResult
from simulator.shell.errors import FileError

from .options import OptionError, Spec, fail, joined, lines_of, parse

Reader = Callable[[str], str]
_OBSOLETE = re.compile(r"^-(\d+)$")


def _inputs(tool: str, operands: list[str], stdin: str, read: Reader, cannot: str):
    """`(name, text)` per operand (stdin for none or `-`), and error lines."""
    texts, errors = [], []
    for name in operands or ["-"]:
        if name == "-":
            texts.append(("-", stdin))
            continue
        try:
            texts.append((name, read(name)))
        except FileError as err:
            errors.append(cannot.format(tool=tool, name=name, reason=err.reason))
    return texts, errors


def _number(spec: Spec, value: str, what: str) -> tuple[int, str]:
    """A line/byte count with its sign (`-5`, `+5`, `5`) as head and tail read it."""
    sign = value[:1] if value[:1] in "+-" else ""
    digits = value[len(sign) :]
    if not digits.isdigit():
        raise fail(spec, f"invalid number of {what}: '{value}'", hint=False)
    return int(digits), sign


HEAD = Spec("head", {"n": ("n", True), "c": ("c", True), "q": ("q", False), "v": ("v", False)},
            {"lines": ("n", True), "bytes": ("c", True), "quiet": ("q", False),
             "silent": ("q", False), "verbose": ("v", False)})  # fmt: skip
TAIL = Spec("tail", {"n": ("n", True), "c": ("c", True), "f": ("f", False), "F": ("f", False),
                     "q": ("q", False), "v": ("v", False)},
            {"lines": ("n", True), "bytes": ("c", True), "follow": ("f", False),
             "quiet": ("q", False), "verbose": ("v", False)})  # fmt: skip


def head(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`head [-n N|-N|-n -N] [-c N] [FILE...]`."""
    return _head_tail(HEAD, argv, stdin, read)


def tail(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`tail [-n N|-N|-n +N] [-c N] [FILE...]`; `-f` reads to the end, as on a pipe."""
    return _head_tail(TAIL, argv, stdin, read)


def _head_tail(spec: Spec, argv: list[str], stdin: str, read: Reader) -> CommandResult:
    args = argv[1:]
    if args and _OBSOLETE.match(args[0]):
        args = ["-n", args[0][1:], *args[1:]]
    try:
        options, operands = parse(spec, args)
        count, sign, unit = 10, "", "lines"
        for name, value in options:
            if name in "nc":
                unit = "lines" if name == "n" else "bytes"
                count, sign = _number(spec, value, unit)
    except OptionError as err:
        return err.result
    cannot = "{tool}: cannot open '{name}' for reading: {reason}\n"
    texts, errors = _inputs(spec.tool, operands, stdin, read, cannot)
    verbose = ("v", "") in options or (len(texts) > 1 and ("q", "") not in options)
    out = []
    for k, (name, text) in enumerate(texts):
        if verbose:
            shown = "standard input" if name == "-" else name
            out.append(("\n" if k else "") + f"==> {shown} <==\n")
        pieces = lines_of(text) if unit == "lines" else list(text)
        if spec.tool == "head":
            chosen = pieces[: len(pieces) - count] if sign == "-" else pieces[:count]
        else:
            chosen = (
                pieces[count - 1 if count else 0 :]
                if sign == "+"
                else (pieces[len(pieces) - count :] if count else [])
            )
        if unit == "lines":
            out.append(joined(chosen))
        else:
            out.append("".join(chosen))
    return CommandResult(stdout="".join(out), stderr="".join(errors), exit_code=1 if errors else 0)


WC = Spec("wc", {"l": ("l", False), "w": ("w", False), "c": ("c", False), "m": ("m", False),
                 "L": ("L", False)},
          {"lines": ("l", False), "words": ("w", False), "bytes": ("c", False),
           "chars": ("m", False), "max-line-length": ("L", False)})  # fmt: skip


def wc(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`wc [-lwcmL] [FILE...]`, with GNU's column widths."""
    try:
        options, operands = parse(WC, argv[1:])
    except OptionError as err:
        return err.result
    wanted = [o for o in "lwmcL" if (o, "") in options] or ["l", "w", "c"]
    texts, errors = _inputs("wc", operands, stdin, read, "{tool}: {name}: {reason}\n")
    rows = []
    for name, text in texts:
        lines = text.split("\n")
        values = {
            "l": text.count("\n"),
            "w": len(text.split()),
            "m": len(text),
            "c": len(text.encode()),
            "L": max((len(line) for line in lines), default=0),
        }
        rows.append(([values[w] for w in wanted], "" if name == "-" else name))
    if len(rows) > 1:
        rows.append(([sum(r[0][i] for r in rows) for i in range(len(wanted))], "total"))
    if len(wanted) == 1 and len(texts) == 1:
        width = 1
    elif any(name == "-" for name, _ in texts):
        width = 7
    else:
        width = len(str(sum(len(t.encode()) for _, t in texts)))
    out = []
    for counts, name in rows:
        cells = " ".join(f"{v:>{width}}" for v in counts)
        out.append(f"{cells} {name}\n" if name else f"{cells}\n")
    return CommandResult(stdout="".join(out), stderr="".join(errors), exit_code=1 if errors else 0)


SORT = Spec("sort", {"r": ("r", False), "n": ("n", False), "u": ("u", False), "f": ("f", False),
                     "k": ("k", True), "t": ("t", True), "s": ("s", False), "b": ("b", False)},
            {"reverse": ("r", False), "numeric-sort": ("n", False), "unique": ("u", False),
             "ignore-case": ("f", False), "key": ("k", True), "field-separator": ("t", True),
             "stable": ("s", False), "ignore-leading-blanks": ("b", False)})  # fmt: skip
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d*)?|-?\.\d+)")


def sort(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`sort [-rnufsb] [-t SEP] [-k N[,M]] [FILE...]`."""
    try:
        options, operands = parse(SORT, argv[1:])
        flags = {name for name, value in options if not value}
        sep = next((v for n, v in options if n == "t"), None)
        if sep is not None and len(sep) != 1:
            raise fail(SORT, "multi-character tab '" + sep + "'", hint=False)
        keys = [_key(v) for n, v in options if n == "k"]
    except OptionError as err:
        return err.result
    texts, errors = _inputs(
        "sort", operands, stdin, read, "{tool}: cannot read: {name}: {reason}\n"
    )
    if errors:
        return CommandResult(stderr=errors[0], exit_code=2)
    lines = [line for _, text in texts for line in lines_of(text)]

    def key_text(line: str) -> str:
        if not keys:
            return line
        fields = line.split(sep) if sep is not None else re.findall(r"\s*\S+", line)
        start, end = keys[0]
        chosen = fields[start - 1 : end] if end else fields[start - 1 :]
        return (sep or "").join(chosen)

    def key(line: str):
        text = key_text(line)
        if "b" in flags:
            text = text.lstrip()
        if "n" in flags:
            match = _NUMBER.match(text)
            return (float(match.group(1)) if match else 0.0, line if "s" not in flags else "")
        folded = text.upper() if "f" in flags else text
        return (folded, line if "s" not in flags else "")

    ordered = sorted(lines, key=key, reverse="r" in flags)
    if "u" in flags:
        unique, seen = [], set()
        for line in ordered:
            k = key(line)[0]
            if k not in seen:
                seen.add(k)
                unique.append(line)
        ordered = unique
    return CommandResult(stdout=joined(ordered))


def _key(text: str) -> tuple[int, int]:
    """`-k N[,M]` (character positions and per-key options are not simulated)."""
    first, _, last = text.partition(",")
    first, last = first.rstrip("bdfgnr"), last.rstrip("bdfgnr")
    if not first.isdigit() or int(first) < 1 or (last and not last.isdigit()):
        raise fail(SORT, f"invalid number at field start: invalid count at start of '{text}'",
                   hint=False)  # fmt: skip
    return int(first), int(last) if last else 0


UNIQ = Spec("uniq", {"c": ("c", False), "d": ("d", False), "u": ("u", False), "i": ("i", False)},
            {"count": ("c", False), "repeated": ("d", False), "unique": ("u", False),
             "ignore-case": ("i", False)})  # fmt: skip


def uniq(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`uniq [-cdui] [INPUT]`: adjacent repeated lines folded."""
    try:
        options, operands = parse(UNIQ, argv[1:])
    except OptionError as err:
        return err.result
    flags = {name for name, _ in options}
    texts, errors = _inputs("uniq", operands[:1], stdin, read, "{tool}: {name}: {reason}\n")
    if errors:
        return CommandResult(stderr=errors[0], exit_code=1)
    groups: list[list[str]] = []
    for line in lines_of(texts[0][1]):
        same = groups and (
            groups[-1][0].lower() == line.lower() if "i" in flags else groups[-1][0] == line
        )
        if same:
            groups[-1].append(line)
        else:
            groups.append([line])
    out = []
    for group in groups:
        if ("d" in flags and len(group) < 2) or ("u" in flags and len(group) > 1):
            continue
        out.append(f"{len(group):7d} {group[0]}\n" if "c" in flags else group[0] + "\n")
    return CommandResult(stdout="".join(out))
