"""Values written as Go's fmt writes them: `%q` for strings, `%#v` for decoded JSON.

kubectl quotes names and templates in its messages with `%q`, and its
JSONPath printer shows the object it was given with `%#v` when a template
fails; these functions write both byte for byte.
"""

from __future__ import annotations

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v", "\\": "\\\\", '"': '\\"'}  # fmt: skip


def quote(text: str) -> str:
    """Go's `strconv.Quote`: printable characters as they are, the others escaped."""
    out = ['"']
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c.isprintable():
            out.append(c)
        elif ord(c) < 0x80:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


def go_value(value: object) -> str:
    """Go's `%#v` of a value decoded from JSON into `interface{}` (maps sorted by key)."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: object, out: list[str]) -> None:
    # An explicit stack, not recursion: a deeply nested object cannot exhaust Python's.
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            out.append("map[string]interface {}{")
            pending: list[object] = []
            for i, key in enumerate(sorted(item)):
                pending += [_Raw((", " if i else "") + quote(str(key)) + ":"), item[key]]
            stack += [_Raw("}"), *reversed(pending)]
        elif isinstance(item, list | tuple):
            out.append("[]interface {}{")
            pending = []
            for i, element in enumerate(item):
                pending += [_Raw(", ")] if i else []
                pending.append(element)
            stack += [_Raw("}"), *reversed(pending)]
        else:
            out.append(_scalar(item))


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _scalar(value: object) -> str:
    if value is None:
        return "interface {}(nil)"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    return str(value)
