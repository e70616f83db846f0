"""kubectl's JSONPath templates: `{.items[*].metadata.name}`, `{range ...}{end}`, `{"\\n"}`.

client-go's template language wraps JSONPath expressions in `{...}` actions
between literal text. This module parses that template layer (text, quoted
literals, `range`/`end`) and leaves each expression to `jsonpath_ng.ext`.
As kubectl does by default (`--allow-missing-template-keys=true`), a path
that finds nothing prints nothing. Several results of one action are joined
by a space; maps and lists print as compact JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext import parse as _parse_path


class TemplateError(ValueError):
    """The template cannot be parsed; `str()` is the reason kubectl gives."""


@dataclass(frozen=True, slots=True)
class _Text:
    text: str


@dataclass(frozen=True, slots=True)
class _Expr:
    path: str


@dataclass(frozen=True, slots=True)
class _Range:
    path: str
    body: tuple


def render(template: str, data: object) -> str:
    """Execute a kubectl JSONPath template against `data` (an object or a `List`).

    Raises:
        TemplateError: for a malformed template (unclosed action, bad expression...).
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
        else:
            for item in (m.value for m in _expression(node.path).find(data)):
                _execute(node.body, item, out)


@lru_cache(maxsize=256)
def _compile(template: str) -> tuple:
    stack: list[list] = [[]]
    ranges: list[str] = []
    for kind, value in _tokens(template):
        if kind == "text":
            stack[-1].append(_Text(value))
        elif kind == "range":
            _expression(value)  # fail early on a bad expression
            ranges.append(value)
            stack.append([])
        elif kind == "end":
            if not ranges:
                raise TemplateError("not in range, nothing to end")
            body = tuple(stack.pop())
            stack[-1].append(_Range(ranges.pop(), body))
        else:
            _expression(value)
            stack[-1].append(_Expr(value))
    if ranges:
        raise TemplateError("unclosed range")  # client-go silently ignores; kubectl prints nothing
    return tuple(stack[0])


def _tokens(template: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(template)
    while i < n:
        start = template.find("{", i)
        if start < 0:
            tokens.append(("text", template[i:]))
            break
        if start > i:
            tokens.append(("text", template[i:start]))
        j = start + 1
        quote = ""
        while j < n:
            c = template[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "}":
                break
            j += 1
        if j >= n:
            raise TemplateError("unclosed action")
        tokens.extend(_action(template[start + 1 : j].strip()))
        i = j + 1
    return tokens


def _action(inner: str) -> list[tuple[str, str]]:
    if inner == "end":
        return [("end", "")]
    if inner.startswith("range ") or inner.startswith("range\t"):
        return [("range", inner[6:].strip())]
    if inner[:1] in ("'", '"'):
        return [("text", _unquote(inner))]
    if not inner:
        return []
    return [("expr", inner)]


def _unquote(literal: str) -> str:
    quote = literal[0]
    if len(literal) < 2 or literal[-1] != quote:
        raise TemplateError("unterminated quoted string")
    body = literal[1:-1]
    if quote == "'":
        body = body.replace('\\"', '"').replace('"', '\\"')
    try:
        return json.loads(f'"{body}"')
    except json.JSONDecodeError as exc:
        raise TemplateError(f"unquote string {literal} error {exc.msg}") from None


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
    text = _quote_escaped_dots(text)
    try:
        return _parse_path(text)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001
        raise TemplateError(f"invalid expression {path!r}: {exc}") from None


def _quote_escaped_dots(text: str) -> str:
    """kubectl writes `.labels.app\\.kubernetes\\.io/name`; jsonpath-ng wants a quoted field."""
    if "\\." not in text:
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
            out.append(f".'{name}'" if "." in name else f".{name}")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
