"""Marks the simulator's English sentences for the playground's translation catalogue.

`makemessages` collects every string passed to a function named `gettext_noop`; the
playground translates them when it shows them. Here the mark returns the sentence as it
is: the simulator itself never translates.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """`message` itself, marked for the playground's translators."""
    return message
