"""The grammar of kubectl's JSONPath templates, as client-go's `util/jsonpath/parser.go` reads it.

`parse(template)` splits a template into literal text and `{...}` actions and
reads each action into nodes the way client-go does, so that a malformed
template fails with client-go's own message (`unclosed action`, `unterminated
array`, `unrecognized character in action: U+0023 '#'`...). Evaluation is
`simulator.kubectl.jsonpath`'s; this module only decides what each action is.
The reading is iterative (client-go recurses once per token), so a long
template cannot exhaust Python's stack.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_COMPARISON = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_MAX_NESTING = 32  # unions and filters parse their parts as templates of their own
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\"}  # fmt: skip


class ParseError(ValueError):
    """The template is not valid; `str()` is client-go's message."""


@dataclass(frozen=True, slots=True)
class Node:
    """One token of an action: `kind` is field, wildcard, array, union, filter, recursive,
    text, int, float, bool or identifier; `value` its text (a field's name, an identifier)."""

    kind: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class Action:
    """A `{...}` action: its nodes and its source text between the braces."""

    nodes: tuple[Node, ...]
    source: str


def parse(template: str, depth: int = 0) -> list[str | Action]:
    """The template as literal text (str) and actions, in order.

    Raises:
        ParseError: with client-go's message for the first problem found.
    """
    if depth > _MAX_NESTING:
        raise ParseError("template nested too deeply")
    items: list[str | Action] = []
    i, n = 0, len(template)
    while i < n:
        start = template.find("{", i)
        if start < 0:
            items.append(template[i:])
            break
        if start > i:
            items.append(template[i:start])
        nodes, end = _action(template, start + 1, depth)
        items.append(Action(tuple(nodes), template[start + 1 : end - 1]))
        i = end
    return items


def _action(s: str, pos: int, depth: int) -> tuple[list[Node], int]:
    """Read the action starting at `pos` (after `{`); returns its nodes and the end (after `}`)."""
    nodes: list[Node] = []
    while True:
        if s.startswith("}", pos):
            return nodes, pos + 1
        if s.startswith("[?(", pos):
            pos = _filter(s, pos + 3, nodes, depth)
            continue
        if s.startswith("..", pos):
            if nodes and nodes[-1].kind == "recursive":
                raise ParseError("invalid multiple recursive descent")
            nodes.append(Node("recursive"))
            pos += 2
            if pos < len(s) and _alphanumeric(s[pos]):
                pos = _field(s, pos, nodes)
            continue
        if pos >= len(s) or s[pos] in "\r\n":
            raise ParseError("unclosed action")
        r = s[pos]
        pos += 1
        if r in " @$":
            continue
        if r == "[":
            pos = _array(s, pos, nodes, depth)
        elif r in "\"'":
            pos = _quote(s, pos - 1, r, nodes)
        elif r == ".":
            pos = _field(s, pos, nodes)
        elif r in "+-" or unicodedata.category(r) == "Nd":
            pos = _number(s, pos - 1, nodes)
        elif _alphanumeric(r):
            pos = _identifier(s, pos - 1, nodes)
        else:
            raise ParseError(f"unrecognized character in action: {_rune(r)}")


def _field(s: str, pos: int, nodes: list[Node]) -> int:
    start = pos
    while pos < len(s):
        if s[pos] == "\\":
            pos += 2
        elif s[pos] in _TERMINATORS:
            break
        else:
            pos += 1
    pos = min(pos, len(s))
    value = s[start:pos]
    nodes.append(Node("wildcard") if value == "*" else Node("field", value.replace("\\", "")))
    return pos


def _identifier(s: str, pos: int, nodes: list[Node]) -> int:
    start = pos
    while pos < len(s) and s[pos] not in _TERMINATORS:
        pos += 1
    value = s[start:pos]
    nodes.append(Node("bool" if value in ("true", "false") else "identifier", value))
    return pos


def _number(s: str, pos: int, nodes: list[Node]) -> int:
    start = pos
    if s[pos] in "+-":
        pos += 1
    while pos < len(s) and (s[pos] == "." or unicodedata.category(s[pos]) == "Nd"):
        pos += 1
    value = s[start:pos]
    if re.fullmatch(r"[+-]?[0-9]+", value):
        nodes.append(Node("int", value))
    elif re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
        nodes.append(Node("float", value))
    else:
        raise ParseError(f"cannot parse number {value}")
    return pos


def _array(s: str, pos: int, nodes: list[Node], depth: int) -> int:
    end = pos
    while True:
        if end >= len(s) or s[end] == "\n":
            raise ParseError("unterminated array")
        if s[end] == "]":
            break
        end += 1
    text = s[pos:end]
    if text == "*":
        text = ":"
    parts = text.split(",")
    if len(parts) > 1:
        for part in parts:
            parse("{[" + part.strip(" ") + "]}", depth + 1)
        nodes.append(Node("union", text))
        return end + 1
    key = _DICT_KEY.match(text)
    if key:
        parse("{." + key.group(1) + "}", depth + 1)
        nodes.append(Node("field", key.group(1)))
        return end + 1
    match = _SLICE.match(text)
    if match is None:
        raise ParseError(f"invalid array index {text}")
    for i, group in enumerate(match.groups()):
        number = (group or "")[1:] if i else group
        if number and not (re.fullmatch(r"-?[0-9]+", number) and abs(int(number)) < 2**63):
            raise ParseError(f"array index {number} is not a number")  # Go's Atoi failed
    nodes.append(Node("array", text))
    return end + 1


def _filter(s: str, pos: int, nodes: list[Node], depth: int) -> int:
    start, begin, end, pair = pos, False, False, ""
    while True:
        if pos >= len(s) or s[pos] == "\n":
            raise ParseError("unterminated filter")
        r = s[pos]
        pos += 1
        if r in "\"'":
            if not begin:
                begin, pair = True, r
            elif s[pos - 2] != "\\" and r == pair:
                end = True
        elif r == ")" and begin == end:
            break
    if not s.startswith("]", pos):
        raise ParseError("unclosed array expect ]")
    text = s[start : pos - 1]
    comparison = _COMPARISON.match(text)
    if comparison is None:
        parse("{" + text + "}", depth + 1)
    else:
        parse("{" + comparison.group(1) + "}", depth + 1)
        parse("{" + comparison.group(3) + "}", depth + 1)
    nodes.append(Node("filter", text))
    return pos + 1


def _quote(s: str, pos: int, quote: str, nodes: list[Node]) -> int:
    start = pos
    pos += 1
    while True:
        if pos >= len(s) or s[pos] == "\n":
            raise ParseError("unterminated quoted string")
        pos += 1
        if s[pos - 1] == quote and s[pos - 2] != "\\":
            break
    literal = s[start:pos]
    try:
        nodes.append(Node("text", unquote(literal)))
    except ValueError:
        raise ParseError(f"unquote string {literal} error invalid syntax") from None
    return pos


def unquote(literal: str) -> str:
    """Go's `strconv.Unquote` for one double- or single-quoted string (client-go's
    `UnquoteExtend`). Raises ValueError ("invalid syntax") as Go does."""
    quote, body = literal[0], literal[1:-1]
    if len(literal) < 2 or literal[-1] != quote:
        raise ValueError("invalid syntax")
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise ValueError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i, char = _escape(body, i + 1, quote)
        out.append(char)
    return "".join(out)


def _escape(body: str, i: int, quote: str) -> tuple[int, str]:
    """One backslash escape of Go's `strconv.UnquoteChar`; `i` is past the backslash."""
    if i >= len(body):
        raise ValueError("invalid syntax")
    c = body[i]
    if c in _ESCAPES:
        return i + 1, _ESCAPES[c]
    if c in "'\"":
        if c != quote:
            raise ValueError("invalid syntax")
        return i + 1, c
    digits = {"x": 2, "u": 4, "U": 8}.get(c)
    if digits:
        hex_text = body[i + 1 : i + 1 + digits]
        if len(hex_text) != digits or not re.fullmatch(r"[0-9a-fA-F]+", hex_text):
            raise ValueError("invalid syntax")
        value = int(hex_text, 16)
        if c != "x" and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
            raise ValueError("invalid syntax")
        return i + 1 + digits, chr(value)
    octal = body[i : i + 3]
    if re.fullmatch(r"[0-7]{3}", octal) and int(octal, 8) <= 255:
        return i + 3, chr(int(octal, 8))
    raise ValueError("invalid syntax")


def _alphanumeric(r: str) -> bool:
    return r == "_" or r.isalpha() or unicodedata.category(r) == "Nd"


def _rune(r: str) -> str:
    """Go's `%#U`: `U+0023 '#'`, without the character when it is not printable."""
    code = f"U+{ord(r):04X}"
    return f"{code} '{r}'" if r.isprintable() else code
