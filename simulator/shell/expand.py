"""Word expansion: parameters (`$HOME`, `${KUBIA_SERVICE_PORT}`, `$?`), then field splitting.

As POSIX shells do: an unquoted parameter's value is split on blanks (so
`kubectl create deploy x $out` with `out="--dry-run=client -o yaml"` gets
three more arguments), a quoted one is kept whole, an unset one is empty, and
a word made only of unquoted empty expansions disappears. No pathname
expansion: `*` stays a literal character.
"""

from __future__ import annotations

from collections.abc import Callable

from .syntax import Word

Lookup = Callable[[str], "str | None"]

MAX_EXPANDED = 65536  # characters one word may grow to


class ExpansionError(ValueError):
    """A word that grew too large."""


def expand(word: Word, lookup: Lookup) -> list[str]:
    """The fields `word` expands to (none, one, or several)."""
    fields: list[str] = []
    current: list[str] = []
    have_current = False  # the field exists even if empty (it had a quoted part)
    size = 0
    for part in word:
        if not part.var:
            current.append(part.text)
            have_current = have_current or part.quoted or bool(part.text)
            size += len(part.text)
            continue
        value = lookup(part.text) or ""
        size += len(value)
        if size > MAX_EXPANDED:
            raise ExpansionError(f"a word grew over {MAX_EXPANDED} characters")
        if part.quoted:
            current.append(value)
            have_current = True
            continue
        pieces = value.split()
        if not pieces:
            continue
        if value[0].isspace() and have_current:
            fields.append("".join(current))
            current, have_current = [], False
        for k, piece in enumerate(pieces):
            if k:
                fields.append("".join(current))
                current = []
            current.append(piece)
            have_current = True
        if value[-1].isspace():
            fields.append("".join(current))
            current, have_current = [], False
    if have_current:
        fields.append("".join(current))
    return fields


def expand_one(word: Word, lookup: Lookup) -> str:
    """A word expanded without splitting (redirection targets, assignment values)."""
    return "".join((lookup(p.text) or "") if p.var else p.text for p in word)
