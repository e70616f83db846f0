"""Lessons as the engine and the pages use them: frozen values built by the loader.

A lesson file (docs/lessons.md) becomes a `Lesson`: its steps, each with prose,
checks, hints and a solution. Every text a learner reads is a `Text` holding
each language the playground speaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The languages every lesson text is written in (Django language codes).
LANGUAGES = ("en", "zh-hans")
#: What each kind of check looks at (docs/lessons.md, "Checks").
CHECK_KINDS = ("object", "command", "request", "ran", "held", "traffic")


@dataclass(frozen=True, slots=True)
class Text:
    """One text in every language of `LANGUAGES`, by language code."""

    by_language: tuple[tuple[str, str], ...]

    def get(self, language: str) -> str:
        """The text in `language` (a Django code such as "zh-hans"), English otherwise."""
        texts = dict(self.by_language)
        return texts.get(language) or texts.get(language.split("-")[0]) or texts["en"]


@dataclass(frozen=True, slots=True)
class Check:
    """One condition a step waits for.

    Attributes:
        id: unique within its step.
        label: what it checks, in words a learner reads beside a tick.
        kind: one of `CHECK_KINDS`.
        spec: the kind's fields as written in the lesson file (validated).
    """

    id: str
    label: Text
    kind: str
    spec: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Command:
    """A solution's command line, with `stdin` for `kubectl apply -f -`; placeholders such
    as `{pod:app=kubia}` are filled in against the room's cluster when it runs."""

    line: str
    stdin: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    title: Text
    body: Text  # HTML rendered from the file's Markdown
    checks: tuple[Check, ...]
    hints: tuple[Text, ...]
    solution: tuple[Command, ...]


@dataclass(frozen=True, slots=True)
class Lesson:
    """A lesson: where it starts (`manifests`, applied when its room is made) and its steps.

    Attributes:
        slug: the file name without `.yaml`.
        order: where it comes in the list of lessons.
        minutes: about how long it takes.
        source: the study notes it follows (file and section).
    """

    slug: str
    order: int
    minutes: int
    title: Text
    goal: Text
    source: str
    manifests: str
    steps: tuple[Step, ...]
