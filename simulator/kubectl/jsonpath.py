"""kubectl's JSONPath templates: `{.items[*].metadata.name}`, `{range ...}{end}`, `{"\\n"}`.

client-go's template language wraps JSONPath expressions in `{...}` actions
between literal text. The template is read as client-go reads it
(`jsonpath_parser`: the same grammar, the same parse errors); this module
runs the template layer (text, quoted literals, `range`/`end`) and leaves
each expression to `jsonpath_ng.ext`. As kubectl does by default
(`--allow-missing-template-keys=true`), a path that finds nothing prints
nothing. Several results of one action are joined by a space; maps and lists
print as compact JSON. As client-go does, a `range` left open runs to the
end of the template, and what only fails when run (`{end}` outside a range,
an unknown word such as `{metadata.name}`) is an `ExecutionError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext import parse as _parse_path

from .jsonpath_parser import ParseError, parse

_PLAIN_NAME = re.compile(r"[A-Za-z_@][A-Za-z0-9_@-]*")
# A path with nothing to quote: plain names, indexes, wildcards (filters are left alone).
_PLAIN_PATH = re.compile(r"[$@]?(\.\.?([A-Za-z_@][A-Za-z0-9_@-]*|\*)|\[[^\]]*\])*")


class TemplateError(ValueError):
    """The template cannot be parsed; `str()` is the reason kubectl gives."""


class ExecutionError(ValueError):
    """The template parsed but fails when run; `str()` is client-go's reason."""


@dataclass(frozen=True, slots=True)
class _Text:
    text: str


@dataclass(frozen=True, slots=True)
class _Expr:
    path: str


@dataclass(frozen=True, slots=True)
class _Fail:
    reason: str


@dataclass(frozen=True, slots=True)
class _Range:
    path: str
    body: tuple


def render(template: str, data: object) -> str:
    """Execute a kubectl JSONPath template against `data` (an object or a `List`).

    Raises:
        TemplateError: for a malformed template (unclosed action, bad expression...).
        ExecutionError: for a template that fails when run (nothing is printed then).
    """
    nodes = _compile(template)
    out: list[str] = []
    _execute(nodes, data, out)
    return "".join(out)


def evaluate(path: str, data: object) -> list:
    """Every value one JSONPath expression (`.status.podIP`, `{.x}`) finds in `data`."""
    path = path.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    return [m.value for m in _expression(path.strip()).find(data)]


def format_values(values: list) -> str:
    """Values as one action prints them: space-separated, JSON for maps and lists."""
    return " ".join(_text(v) for v in values)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return str(value)


def _execute(nodes: tuple, data: object, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Expr):
            out.append(format_values([m.value for m in _expression(node.path).find(data)]))
        elif isinstance(node, _Fail):
            raise ExecutionError(node.reason)
        else:
            for item in (m.value for m in _expression(node.path).find(data)):
                _execute(node.body, item, out)


@lru_cache(maxsize=256)
def _compile(template: str) -> tuple:
    try:
        items = parse(template)
    except ParseError as err:
        raise TemplateError(str(err)) from None
    stack: list[list] = [[]]
    ranges: list[str] = []
    for item in items:
        if isinstance(item, str):
            stack[-1].append(_Text(item))
            continue
        nodes = item.nodes
        first = nodes[0] if nodes else None
        if first is None:
            continue
        if first.kind == "identifier" and first.value == "range":
            path = item.source[item.source.index("range") + len("range") :].strip()
            _expression(path)  # fail early on a bad expression
            ranges.append(path)
            stack.append([])
        elif first.kind == "identifier" and first.value == "end":
            if ranges:
                body = tuple(stack.pop())
                stack[-1].append(_Range(ranges.pop(), body))
            else:
                stack[-1].append(_Fail("not in range, nothing to end"))
        elif any(n.kind == "identifier" for n in nodes):
            name = next(n.value for n in nodes if n.kind == "identifier")
            stack[-1].append(_Fail(f"unrecognized identifier {name}"))
        elif nodes[-1].kind == "bool":
            stack[-1].append(_Fail(f"unexpected Node Bool: {nodes[-1].value}"))
        elif all(n.kind == "text" for n in nodes):
            stack[-1].append(_Text(nodes[-1].value))  # each literal replaces the one before
        else:
            _expression(item.source)
            stack[-1].append(_Expr(item.source))
    while ranges:  # client-go runs a range left open to the end of the template
        body = tuple(stack.pop())
        stack[-1].append(_Range(ranges.pop(), body))
    return tuple(stack[0])


@lru_cache(maxsize=512)
def _expression(path: str):
    """Compile a kubectl JSONPath expression with jsonpath-ng (cached: parsing is slow)."""
    text = path.strip()
    if text.startswith("@"):
        text = "$" + text[1:]
    elif text.startswith(".") or text.startswith("["):
        text = "$" + text
    elif not text.startswith("$"):
        text = "$." + text
    if text == "$.":
        text = "$"
    text = _quote_fields(text)
    try:
        return _parse_path(text)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001
        raise TemplateError(f"invalid expression {path!r}: {exc}") from None


def _quote_fields(text: str) -> str:
    """Quote the field names jsonpath-ng's lexer cannot take but client-go reads as names:
    `.labels.app\\.kubernetes\\.io/name` (escaped dots), `.annotations.example.com/x`'s
    `com/x`, names starting with a digit."""
    if _PLAIN_PATH.fullmatch(text):
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "." and i + 1 < len(text) and text[i + 1] not in ".[":
            j = i + 1
            field = []
            while j < len(text) and text[j] not in ".[":
                if text[j] == "\\" and j + 1 < len(text) and text[j + 1] == ".":
                    field.append(".")
                    j += 2
                    continue
                field.append(text[j])
                j += 1
            name = "".join(field)
            plain = name == "*" or _PLAIN_NAME.fullmatch(name)
            out.append(f".{name}" if plain or "'" in name else f".'{name}'")
            i = j
        elif text[i] == "[":  # an index, union or filter: copied as written
            j = _bracket_end(text, i)
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _bracket_end(text: str, start: int) -> int:
    """Where the bracket opened at `start` closes (after it), quotes and nesting respected."""
    depth, quote, i = 0, "", start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)
