"""Characters that look like YAML punctuation but are not: the exact character and where.

Text copied from Chinese blogs, word processors and web pages brings look-alikes that
YAML does not read as structure: a full-width colon ``：`` or space ``　``, a
non-breaking space, a tab in the indentation, a zero-width space, a dash or curly quote
from a word processor. libyaml then reports something unrelated (``did not find expected
key``, ``could not find expected ':'``), or nothing at all and the key silently becomes
part of a string. `find_characters` names each one: its code point, line and column.

Only places where the character changes the structure are reported: the indentation, the
separator after a key, the dash of a list item, the quote opening a value. Comments, block
scalar text (``|``, ``>``) and values elsewhere may hold any character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.hints import Hint, hint
from simulator.review.excerpt import VISIBLE
from simulator.review.lines import structural_lines

# Characters that may sit in indentation (besides ASCII spaces) and what they are.
# (Their names are sentences of hints.py, under these keys.)
_SPACES = {
    "\t": "char-tab",
    "\u3000": "char-full-width-space",
    "\u00a0": "char-nbsp",
    "\u200b": "char-zero-width-space",
    "\ufeff": "char-bom",
    "\u2002": "char-en-space",
    "\u2003": "char-em-space",
}
_DASHES = {"\uff0d": "char-full-width-hyphen", "\u2013": "char-en-dash", "\u2014": "char-em-dash"}
_QUOTES = {
    "\u201c": "char-curly-double",
    "\u2018": "char-curly-single",
    "\uff02": "char-full-width-double",
    "\uff07": "char-full-width-single",
}
_SUSPECTS = "".join([*_SPACES, *_DASHES, *_QUOTES, "\uff1a"])
# key (plain, up to the first colon of either width), then the separator that broke.
_KEY = re.compile(r"([^\s:：#'\"\-][^:：#]*?)(：|:(?=[\u3000\u00a0\u2002\u2003]))")


@dataclass(frozen=True, slots=True)
class Finding:
    """One look-alike character: 1-based ``line`` and ``column``, and a plain ``hint``."""

    line: int
    column: int
    char: str
    hint: Hint


def find_characters(text: str) -> list[Finding]:
    """Every look-alike character in a structural place, in input order (one per line)."""
    if not any(char in text for char in _SUSPECTS):
        return []
    lines = text.split("\n")
    found = []
    for number, (line, structural) in enumerate(
        zip(lines, structural_lines(lines), strict=True), start=1
    ):
        if structural and any(char in line for char in _SUSPECTS):
            finding = _check_line(number, line)
            if finding is not None:
                found.append(finding)
    return found


def _check_line(number: int, line: str) -> Finding | None:
    position = 0
    while position < len(line) and (line[position] == " " or line[position] in _SPACES):
        char = line[position]
        if char != " ":
            return _finding(number, position, char, _space_hint(char, indentation=True))
        position += 1
    # List dashes: "- ", or a look-alike dash; then keys and values.
    while position < len(line):
        char = line[position]
        if char in _DASHES and line[position + 1 : position + 2] in (" ", ""):
            return _finding(number, position, char, _dash_hint(char))
        if char == "-" and line[position + 1 : position + 2] in _SPACES:
            after = line[position + 1]
            return _finding(number, position + 1, after, _space_hint(after, after_dash=True))
        if char == "-" and line[position + 1 : position + 2] == " ":
            position += 2
            while position < len(line) and line[position] == " ":
                position += 1
            continue
        break
    rest = line[position:]
    match = _KEY.match(rest)
    if match is not None:
        separator = match.end(1)
        if match.group(2) == "：":
            return _finding(number, position + separator, "：", _colon_hint(match.group(1)))
        value_at = position + separator + 1
        return _finding(
            number, value_at, line[value_at], _space_hint(line[value_at], after_colon=True)
        )
    value = _value_start(rest)
    if value is not None and value < len(rest) and rest[value] in _QUOTES:
        return _finding(number, position + value, rest[value], _quote_hint(rest[value]))
    return None


def _value_start(rest: str) -> int | None:
    # Where the value after "key: " starts, or the item itself after a dash.
    colon = rest.find(": ")
    if colon < 0:
        return 0 if rest else None
    position = colon + 2
    while position < len(rest) and rest[position] == " ":
        position += 1
    return position


def _finding(number: int, index: int, char: str, said: Hint) -> Finding:
    return Finding(number, index + 1, char, said)


def _what(char: str, name: str) -> Hint:
    # "a tab (U+0009, shown as “→” below)", "a full-width space “　” (U+3000)".
    code = f"U+{ord(char):04X}"
    if char in VISIBLE:
        return hint("char-shown", name=hint(name), code=code, shown=VISIBLE[char])
    return hint("char-itself", name=hint(name), char=char, code=code)


def _space_hint(
    char: str, *, indentation: bool = False, after_dash: bool = False, after_colon: bool = False
) -> Hint:
    what = _what(char, _SPACES[char])
    if indentation:
        if char == "\u3000":
            return hint("full-width-space-in-indentation", what=what)
        return hint("space-in-indentation", what=what)
    return hint("space-after-dash" if after_dash else "space-after-colon", what=what)


def _dash_hint(char: str) -> Hint:
    return hint("look-alike-dash", what=_what(char, _DASHES[char]))


def _colon_hint(key: str) -> Hint:
    return hint("full-width-colon", key=key.strip())


def _quote_hint(char: str) -> Hint:
    return hint("look-alike-quote", what=_what(char, _QUOTES[char]))
