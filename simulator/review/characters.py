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

from simulator.review.excerpt import VISIBLE
from simulator.review.lines import structural_lines

# Characters that may sit in indentation (besides ASCII spaces) and what they are.
_SPACES = {
    "\t": "a tab",
    "\u3000": "a full-width space",
    "\u00a0": "a non-breaking space",
    "\u200b": "a zero-width space",
    "\ufeff": "a zero-width no-break space",
    "\u2002": "an en space",
    "\u2003": "an em space",
}
_DASHES = {"\uff0d": "a full-width hyphen", "\u2013": "an en dash", "\u2014": "an em dash"}
_QUOTES = {
    "\u201c": "a curly double quote",
    "\u2018": "a curly single quote",
    "\uff02": "a full-width double quote",
    "\uff07": "a full-width single quote",
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
    hint: str


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


def _finding(number: int, index: int, char: str, hint: str) -> Finding:
    return Finding(number, index + 1, char, hint)


def _what(char: str, name: str) -> str:
    # "a tab (U+0009, shown as “→” below)", "a full-width space “　” (U+3000)".
    code = f"U+{ord(char):04X}"
    if char in VISIBLE:
        return f"{name} ({code}, shown as “{VISIBLE[char]}” below)"
    return f"{name} “{char}” ({code})"


def _space_hint(
    char: str, *, indentation: bool = False, after_dash: bool = False, after_colon: bool = False
) -> str:
    what = _what(char, _SPACES[char])
    if indentation:
        how = "as many as the lines around it use"
        if char == "\u3000":
            how = "two for a full-width space"
        return (
            f"{what[0].upper()}{what[1:]} in the indentation. YAML indents with ordinary "
            f"spaces only: replace it with spaces ({how})."
        )
    place = "after the dash of a list item" if after_dash else "after the colon of a key"
    return (
        f"{what[0].upper()}{what[1:]} {place}. YAML needs an ordinary space there, so it "
        "reads the whole line as one string: retype it as a space."
    )


def _dash_hint(char: str) -> str:
    what = _what(char, _DASHES[char])
    return (
        f"{what[0].upper()}{what[1:]}. YAML starts a list item with the ASCII hyphen “-” "
        "followed by a space: retype it."
    )


def _colon_hint(key: str) -> str:
    return (
        "A full-width colon “：” (U+FF1A), common in text copied from Chinese pages. YAML "
        "only reads the ASCII colon “:” followed by a space as the end of a key: write "
        f"“{key.strip()}: ”."
    )


def _quote_hint(char: str) -> str:
    what = _what(char, _QUOTES[char])
    return (
        f"{what[0].upper()}{what[1:]}. YAML only quotes with straight quotes \" or ', so "
        "these quotes become part of the value: retype them."
    )
