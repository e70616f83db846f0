"""The class view: what a presenter sees of the class (followers, hands, forks, progress).

Forks are rooms whose `parent` is this room: who made each, when, and how far
it went on its own (commands run since the fork). A lesson engine adds a
column of its own with `add_progress`: a function from a room to a short
summary of the lesson's progress in it (or None), shown beside each fork.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db.models import Count, F, Q

from playground.models import Room
from playground.rooms import registry, roles
from playground.rooms.bus import RequestFailed
from playground.rooms.errors import RoomGone

#: How many forks the class view lists (the newest).
MAX_FORKS = 200

#: A room -> its progress in words ("3 of 5 steps"), or None when it has none.
Progress = Callable[[Room], str | None]
_progress: list[Progress] = []


def add_progress(provider: Progress) -> None:
    """Show `provider(room)` beside each fork in the class view (lessons, for example)."""
    if provider not in _progress:
        _progress.append(provider)


def progress_of(room: Room) -> list[str]:
    return [text for text in (provider(room) for provider in _progress) if text]


async def class_view(room: Room) -> dict[str, Any]:
    """The class view's context: the live class (from whichever process runs the room),
    and the room's forks, newest first."""
    try:
        owner = await registry.find_owner(room.code)
        summary = await owner.call("class_summary")
    except (RoomGone, RequestFailed):  # moving between servers: the next refresh has it
        summary = None
    forks = await sync_to_async(_forks)(room)
    return {
        "room": room,
        "class": summary,
        "forks": forks,
        "progress_enabled": any(fork["progress"] for fork in forks),
    }


def _forks(room: Room) -> list[dict[str, Any]]:
    runs = Q(log__op__op="run")
    forks = (
        Room.objects.filter(parent=room)
        .annotate(
            at=Count("log", filter=runs & Q(log__index__lt=F("fork_point"))),
            ahead=Count("log", filter=runs & Q(log__index__gte=F("fork_point"))),
        )
        .order_by("-created")
    )
    return [
        {
            "code": fork.code,
            "who": roles.label(fork.forked_by),
            "rewind": fork.forked_by == {"role": "rewind"},
            "created": fork.created,
            "ahead": fork.ahead,
            "at": fork.at,
            "progress": progress_of(fork),
        }
        for fork in forks[:MAX_FORKS]
    ]
