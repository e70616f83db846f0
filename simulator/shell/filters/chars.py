"""Character tools as GNU coreutils 9 prints them: tr, cut, base64."""

from __future__ import annotations

import base64 as b64
import binascii
from collections.abc import Callable

from simulator.result import CommandResult
from simulator.shell.errors import FileError

from .options import OptionError, Spec, fail, joined, lines_of, parse

Reader = Callable[[str], str]

TR = Spec("tr", {"d": ("d", False), "s": ("s", False), "c": ("c", False), "C": ("c", False)},
          {"delete": ("d", False), "squeeze-repeats": ("s", False),
           "complement": ("c", False)})  # fmt: skip
_CLASSES = {
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digit": "0123456789",
    "space": " \t\n\r\f\v",
    "blank": " \t",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
}
_CLASSES["alpha"] = _CLASSES["lower"] + _CLASSES["upper"]
_CLASSES["alnum"] = _CLASSES["alpha"] + _CLASSES["digit"]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "f": "\f", "v": "\v", "a": "\a",
            "b": "\b"}  # fmt: skip


def _set(text: str) -> str:
    """A tr SET: escapes, ranges (`a-z`) and classes (`[:upper:]`) spelled out."""
    chars: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("[:", i):
            end = text.find(":]", i)
            name = text[i + 2 : end] if end > 0 else ""
            if name not in _CLASSES:
                raise fail(TR, f"invalid character class '{name}'", hint=False)
            chars.extend(_CLASSES[name])
            i = end + 2
            continue
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            c = _ESCAPES.get(text[i + 1], text[i + 1])
            i += 2
        else:
            i += 1
        if i + 1 < len(text) and text[i] == "-":
            last = text[i + 1]
            if ord(last) < ord(c):
                raise fail(TR, f"range-endpoints of '{c}-{last}' are in reverse collating "
                           "sequence order", hint=False)  # fmt: skip
            chars.extend(chr(o) for o in range(ord(c), ord(last) + 1))
            i += 2
        else:
            chars.append(c)
    return "".join(chars)


def tr(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`tr [-dsc] SET1 [SET2]` on stdin."""
    try:
        options, sets = parse(TR, argv[1:])
        flags = {name for name, _ in options}
        if not sets:
            raise fail(TR, "missing operand")
        delete, squeeze = "d" in flags, "s" in flags
        needed = 1 if delete and not squeeze else (1 if squeeze and len(sets) == 1 else 2)
        if len(sets) < needed:
            shown = sets[0]
            raise fail(
                TR,
                f"missing operand after '{shown}'\n"
                "Two strings must be given when translating.".replace("\n", "\n"),
            )
        if len(sets) > needed and not (squeeze and len(sets) == 2):
            raise fail(TR, f"extra operand '{sets[needed]}'")
        first = _set(sets[0])
        second = _set(sets[1]) if len(sets) > 1 else ""
    except OptionError as err:
        return err.result
    if "c" in flags:
        keep = set(first)
        members = lambda ch: ch not in keep  # noqa: E731 - one-line predicate
    else:
        keep = set(first)
        members = keep.__contains__
    out: list[str] = []
    if delete:
        text = "".join(ch for ch in stdin if not members(ch))
        squeeze_set = set(second)
    else:
        if second and "c" not in flags:
            padded = second + second[-1] * max(0, len(first) - len(second))
            table = {ord(a): b for a, b in zip(first, padded, strict=False)}
            text = stdin.translate(table)
        elif second:
            text = "".join(second[-1] if members(ch) else ch for ch in stdin)
        else:
            text = stdin
        squeeze_set = set(second) if second else keep
    if squeeze:
        for ch in text:
            if out and out[-1] == ch and ch in squeeze_set:
                continue
            out.append(ch)
        text = "".join(out)
    return CommandResult(stdout=text)


CUT = Spec("cut", {"d": ("d", True), "f": ("f", True), "c": ("c", True), "b": ("c", True),
                   "s": ("s", False)},
           {"delimiter": ("d", True), "fields": ("f", True), "characters": ("c", True),
            "bytes": ("c", True), "only-delimited": ("s", False),
            "output-delimiter": ("o", True)})  # fmt: skip


def _ranges(text: str, what: str) -> list[tuple[int, int]]:
    ranges = []
    for item in text.split(","):
        first, dash, last = item.partition("-")
        if (first and not first.isdigit()) or (last and not last.isdigit()) or item in ("", "-"):
            raise fail(CUT, f"invalid {what} value '{item}'" if item else f"invalid {what} range")
        start = int(first) if first else 1
        end = (int(last) if last else 10**9) if dash else start
        if start == 0 or end == 0:
            raise fail(CUT, f"{what}s are numbered from 1")
        ranges.append((start, end))
    return ranges


def cut(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`cut -f LIST [-d C] [-s]` or `cut -c LIST`, on stdin or files."""
    try:
        options, operands = parse(CUT, argv[1:])
        given = dict(options)
        if "f" in given and "c" in given:
            raise fail(CUT, "only one list may be specified")
        if "f" not in given and "c" not in given:
            raise fail(CUT, "you must specify a list of bytes, characters, or fields")
        delim = given.get("d", "\t")
        if len(delim) != 1:
            raise fail(CUT, "the delimiter must be a single character")
        ranges = _ranges(given["f"], "field") if "f" in given else _ranges(given["c"], "byte/char")
    except OptionError as err:
        return err.result
    out_delim = given.get("o", delim if "f" in given else "")
    chosen = lambda n: any(a <= n <= b for a, b in ranges)  # noqa: E731 - one-line predicate
    out, errors = [], []
    for name in operands or ["-"]:
        try:
            text = stdin if name == "-" else read(name)
        except FileError as err:
            errors.append(f"cut: {name}: {err.reason}\n")
            continue
        for line in lines_of(text):
            if "c" in given:
                out.append(out_delim.join(ch for k, ch in enumerate(line, 1) if chosen(k)))
            elif delim not in line:
                if "s" not in given:
                    out.append(line)
            else:
                fields = line.split(delim)
                out.append(out_delim.join(f for k, f in enumerate(fields, 1) if chosen(k)))
    return CommandResult(stdout=joined(out), stderr="".join(errors), exit_code=1 if errors else 0)


BASE64 = Spec("base64", {"d": ("d", False), "w": ("w", True), "i": ("i", False)},
              {"decode": ("d", False), "wrap": ("w", True),
               "ignore-garbage": ("i", False)})  # fmt: skip


def base64(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`base64 [-d] [-w COLS] [FILE]` (secrets' data is base64)."""
    try:
        options, operands = parse(BASE64, argv[1:])
        given = dict(options)
        wrap_text = given.get("w", "76")
        wrap = int(wrap_text) if wrap_text.isdigit() else None
        if wrap is None:
            raise fail(BASE64, f"invalid wrap size: '{given['w']}'", hint=False)
    except OptionError as err:
        return err.result
    try:
        text = stdin if not operands or operands[0] == "-" else read(operands[0])
    except FileError as err:
        return CommandResult.error(f"base64: {operands[0]}: {err.reason}")
    if "d" in given:
        try:
            data = b64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            return CommandResult.error("base64: invalid input")
        return CommandResult(stdout=data.decode("utf-8", "replace"))
    encoded = b64.b64encode(text.encode()).decode()
    if wrap:
        encoded = "\n".join(encoded[i : i + wrap] for i in range(0, len(encoded), wrap))
    return CommandResult(stdout=encoded + "\n" if encoded else "")
