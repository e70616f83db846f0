"""Manifests in, a room out: validation as the home page types, and room creation."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from playground import limits
from playground.models import Room, RoomEvent
from playground.rooms.catalog import example
from playground.rooms.log import APPLY, new_cluster
from playground.rooms.wording import word
from simulator import CommandResult, hint_words


def validate(text: str) -> list[dict[str, Any]]:
    """Every problem and warning in `text` as `kubectl apply -f -` would report it, nothing
    applied (dicts as `problems_of` makes them). No error means a fresh cluster accepts the
    manifests; warnings may remain.
    """
    if _too_large(text):
        return [_limit_problem()]
    if not text.strip():
        return [
            plain_problem(
                _("Paste at least one manifest (a YAML document with apiVersion and kind).")
            )
        ]
    return problems_of(new_cluster(0).run(APPLY + " --dry-run=server", stdin=text))


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
    result = new_cluster(seed).run(APPLY, stdin=text)
    if result.exit_code != 0 or not text.strip():
        return None, problems_of(result) or [plain_problem(_("Paste at least one manifest."))]
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
    """A room's code (forks take theirs here too): 120 random bits as 24 lowercase base32
    characters.

    Whoever has the link may watch the room (and change it, in a room made before roles),
    so the code must not be guessable: at 120 bits, finding any one of a million rooms at
    a million guesses a second takes longer than the universe has existed. (Rooms made
    before had eight hex digits; their links keep working.)
    """
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


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
            "hint": str(getattr(p, "hint", "")),
            # Its sentence and values, for the page to word it in its language (hints.py).
            "hint_words": hint_words(getattr(p, "hint", "")),
            "excerpt": getattr(p, "excerpt", ""),
        }
        for p in result.problems
    ]
    problems.sort(key=lambda p: p["severity"] != "error")  # stable: errors first
    if not any(p["severity"] == "error" for p in problems) and result.exit_code != 0:
        message = (result.stderr or result.stdout).strip() or _("The manifests were refused.")
        problems.insert(0, plain_problem(message))
    return problems


def _too_large(text: str) -> bool:
    return len(text) > limits.MAX_MANIFEST_BYTES or len(text.encode()) > limits.MAX_MANIFEST_BYTES


def plain_problem(message: str) -> dict[str, Any]:
    """One problem with no place in the input (a limit, an empty input), as `problems_of`
    makes them."""
    return {
        "document": None,
        "line": None,
        "column": None,
        "field": "",
        "message": message,
        "severity": "error",
        "hint": "",
        "hint_words": None,
        "excerpt": "",
    }


def hint_text(problem: dict[str, Any]) -> str:
    """A problem's hint in the active language; its English when the simulator gave it
    no sentence key."""
    return word(problem.get("hint_words"), problem.get("hint", ""))


def _limit_problem() -> dict[str, Any]:
    return plain_problem(
        _("The manifests are too large: the limit is %(kib)s KiB.")
        % {"kib": limits.MAX_MANIFEST_BYTES // 1024}
    )


def latest_manifests(room: Room) -> str:
    """The manifests last applied in the room with `kubectl apply -f -`, for its editor."""
    applied = (
        RoomEvent.objects.filter(room=room, op__op="run", op__has_key="stdin")
        .order_by("-index")
        .values_list("op", flat=True)
    )
    for op in applied[:20]:
        if op["line"].split()[:2] == ["kubectl", "apply"]:
            return op["stdin"]
    return room.manifests


async def presenter_key(code: str) -> str:
    """The digest of room `code`'s presenter secret ("" for an open room, or none)."""
    key = await Room.objects.filter(code=code).values_list("presenter_key", flat=True).afirst()
    return key or ""
