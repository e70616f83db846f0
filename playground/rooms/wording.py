"""The simulator's sentences in the active language: it says each under a key with its
values (simulator/hints.py), and the playground words them with its catalogue."""

from __future__ import annotations

from django.utils.translation import gettext

from simulator import REASON_SENTENCES, hint_words, word_hint


def word(words: dict | None, english: str) -> str:
    """A sentence's `{key, values}` in the active language; `english` without any."""
    return word_hint(words, gettext) if words else english


def worded(text: str) -> str:
    """A sentence the simulator said, in the active language (its English when it gave
    the sentence no key)."""
    return word(hint_words(text), text)


def reason_sentences() -> dict[str, str]:
    """Every sentence a trace's reason is made of, by key, in the active language: the
    room page holds them for its browser to word `reasonWords` (reasons.js)."""
    return {key: gettext(sentence) for key, sentence in REASON_SENTENCES.items()}
