"""A few numbered input lines with a caret under one column, for a monospace block.

::

    4 | metadata:
    5 |   name： kubia
      |       ^

Columns count as a monospace font shows them: a full-width character (CJK, ``：``,
U+3000) takes two cells, a combining mark none. Characters that would pass for a space
or for nothing are drawn so a learner sees them (`VISIBLE`): a tab as ``→``, a
non-breaking space as ``·``, a full-width space as ``＿`` (as wide), a zero-width space as
``¦``; the rest are shown as they are.
Long lines are clipped around the caret.
"""

from __future__ import annotations

import unicodedata

_WIDTH = 96  # cells of input shown per line at most
VISIBLE = {"\t": "→", "\u00a0": "·", "\u3000": "＿", "\u200b": "¦", "\ufeff": "¦"}
_SHOWN = {**VISIBLE, "\r": ""}


def cells(char: str) -> int:
    """Monospace cells one character takes."""
    if char in _SHOWN:
        return sum(cells(shown) for shown in _SHOWN[char])
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("F", "W") else 1


def render(lines: list[str], line: int, column: int | None, *, before: int = 2) -> str:
    """Numbered lines ``line - before`` .. ``line`` with a caret under ``column``.

    Args:
        lines: the input split into lines (``text.split("\\n")``).
        line: 1-based line to point at.
        column: 1-based column (in characters) for the caret; None for no caret line.
        before: how many preceding lines to show for context (blank ones are skipped at
            the top).

    Returns:
        The block without a trailing newline; "" when ``line`` is outside the input.
    """
    if not 1 <= line <= len(lines):
        return ""
    first = max(1, line - before)
    while first < line and not lines[first - 1].strip():
        first += 1
    gutter = len(str(line))
    out = []
    for number in range(first, line + 1):
        text = lines[number - 1]
        start = _clip_start(text, column if number == line else None)
        shown = "".join(_SHOWN.get(c, c) for c in text[start:])
        shown = ("…" if start else "") + _clip_end(shown)
        out.append(f"{number:>{gutter}} | {shown}".rstrip())
        if number == line and column is not None:
            offset = sum(cells(c) for c in text[start : column - 1]) + (1 if start else 0)
            out.append(f"{'':>{gutter}} | {' ' * offset}^")
    return "\n".join(out)


def _clip_start(text: str, column: int | None) -> int:
    # Keep the caret within the shown part: start a little before it on long lines.
    if column is None or sum(cells(c) for c in text[: column - 1]) < _WIDTH - 16:
        return 0
    return max(0, column - 1 - (_WIDTH // 2))


def _clip_end(shown: str) -> str:
    total = 0
    for position, char in enumerate(shown):
        total += cells(char)
        if total > _WIDTH:
            return shown[:position] + "…"
    return shown
