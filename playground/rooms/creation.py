"""Manifests in, a room out: validation as the home page types, and room creation."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from playground import limits
from playground.models import Room
from playground.rooms.catalog import example
from playground.rooms.log import APPLY, ROOM_CAPACITY
from simulator import Cluster, CommandResult


def validate(text: str) -> list[dict[str, Any]]:
    """Every problem and warning in `text` as `kubectl apply -f -` would report it, nothing
    applied (dicts as `problems_of` makes them). No error means a fresh cluster accepts the
    manifests; warnings may remain.
    """
    if _too_large(text):
        return [_limit_problem()]
    if not text.strip():
        return [
            _problem(_("Paste at least one manifest (a YAML document with apiVersion and kind)."))
        ]
    cluster = Cluster(0, capacity=ROOM_CAPACITY)
    return problems_of(cluster.run(APPLY + " --dry-run=server", stdin=text))


def create_room(
    text: str, example_slug: str = "", lesson: str = "", presenter_key: str = ""
) -> tuple[Room | None, list[dict[str, Any]]]:
    """Store a new room whose cluster starts with `text` applied; or return the problems.
    `lesson` names the lesson the room runs (a slug the caller checked); `presenter_key` is
    the digest of its presenter's secret (roles.new_secret): without one the room is open,
    everyone with the link may change it.

    Synchronous (it runs in a view's thread): it builds its own scratch cluster.
    """
    if _too_large(text):
        return None, [_limit_problem()]
    seed = secrets.randbelow(2**31)
    result = Cluster(seed, capacity=ROOM_CAPACITY).run(APPLY, stdin=text)
    if result.exit_code != 0 or not text.strip():
        return None, problems_of(result) or [_problem(_("Paste at least one manifest."))]
    room = Room.objects.create(
        code=new_code(),
        seed=seed,
        manifests=text,
        example=example_slug if _is_example(text, example_slug) else "",
        lesson=lesson,
        playing=settings.KUBEPLAY_AUTOPLAY,
        presenter_key=presenter_key,
    )
    return room, []


def new_code() -> str:
    """A room code no room has yet (forks take theirs here too)."""
    for _attempt in range(5):
        code = secrets.token_hex(4)
        if not Room.objects.filter(code=code).exists():
            break
    return code


def _is_example(text: str, slug: str) -> bool:
    """Whether `text` is the example's manifest as it comes (then the room keeps the
    example's title and commands; edited or pasted manifests get their own)."""
    chosen = example(slug)
    return chosen is not None and chosen["manifest"].strip() == text.strip()


def problems_of(result: CommandResult) -> list[dict[str, Any]]:
    """A command's manifest problems as plain dicts, errors before warnings; its stderr when
    it failed without any.

    Each dict: `document`, `line`, `column` (1-based or None), `field`, `message`
    (kubectl's wording, "" for a finding of Kubeplay's own), `severity` ("error" or
    "warning"), `hint` (a plain sentence, or ""), `excerpt` (numbered lines with a caret,
    or "").
    """
    problems = [
        {
            "document": getattr(p, "document", None),
            "line": getattr(p, "line", None),
            "column": getattr(p, "column", None),
            "field": getattr(p, "field", "") or "",
            "message": str(getattr(p, "message", p)),
            "severity": getattr(p, "severity", "error"),
            "hint": getattr(p, "hint", ""),
            "excerpt": getattr(p, "excerpt", ""),
        }
        for p in result.problems
    ]
    problems.sort(key=lambda p: p["severity"] != "error")  # stable: errors first
    if not any(p["severity"] == "error" for p in problems) and result.exit_code != 0:
        message = (result.stderr or result.stdout).strip() or _("The manifests were refused.")
        problems.insert(0, _problem(message))
    return problems


def _too_large(text: str) -> bool:
    return len(text) > limits.MAX_MANIFEST_BYTES or len(text.encode()) > limits.MAX_MANIFEST_BYTES


def _problem(message: str) -> dict[str, Any]:
    return {
        "document": None,
        "line": None,
        "column": None,
        "field": "",
        "message": message,
        "severity": "error",
        "hint": "",
        "excerpt": "",
    }


def _limit_problem() -> dict[str, Any]:
    return _problem(
        _("The manifests are too large: the limit is %(kib)s KiB.")
        % {"kib": limits.MAX_MANIFEST_BYTES // 1024}
    )
