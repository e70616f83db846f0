"""Forks: a room's log copied into a new room; and the timeline a presenter rewinds on.

A room is `(seed, manifests, log)` and replay is exact, so a fork is a new
room with the same seed and manifests and a copy of the log up to now: it
replays to the same cluster, byte for byte, and goes its own way from there
(a lesson the room runs goes on in it too). The presenter's rewind takes the
room back to just after one of its commands (or to the start) with a
`rewind` entry, after copying the log as it was into a branch
(rewinding.py), so the road not taken stays a room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from django.utils.translation import gettext as _

from playground import limits
from playground.models import Room
from playground.rooms import registry, roles
from playground.rooms.errors import RoomGone
from playground.rooms.log import effective_ops, read_ops
from playground.rooms.rewinding import copy_room

logger = logging.getLogger(__name__)


async def fork(code: str, who: dict[str, Any]) -> tuple[Room, str]:
    """A private copy of room `code` at its current point, made by `who`
    (`Participant.who()`). Returns the new room and its presenter's secret.

    The copy starts replaying in this process at once, so that the browser it
    is made for finds it ready.

    Raises:
        RoomGone: no such room.
        ValueError: the room was rewound while it was copied (try again).
    """
    live = registry.loaded(code)
    length = None
    if live is not None and not live.closed and live.loop is asyncio.get_running_loop():
        # What the room ran and has not written yet is part of the point forked. (A room
        # another process runs is copied as its log has it, at most a second behind.)
        length = await live.written()
    room, secret = await copy_room(code, length, who, fresh_key=True)
    task = asyncio.create_task(_prepare(room.code), name=f"prepare-{room.code}")
    _preparing.add(task)
    task.add_done_callback(_preparing.discard)
    return room, secret


_preparing: set[asyncio.Task] = set()


async def _prepare(code: str) -> None:
    with contextlib.suppress(RoomGone):
        await registry.open_room(code)


# -- what the presenter sees -------------------------------------------------------------


async def timeline(room: Room) -> list[dict[str, Any]]:
    """The room's commands in order, as it has them now (not those a rewind went back
    over), for the rewind slider: `{n, line, who, at}` each."""
    commands: list[dict[str, Any]] = []
    for _index, op in effective_ops(await read_ops(room)):
        if op["op"] != "run":
            continue
        line = op["line"]
        if len(line) > limits.MAX_TIMELINE_LINE:
            line = line[: limits.MAX_TIMELINE_LINE] + "…"
        if op.get("stdin"):
            line += _("  (with %(count)s lines of input)") % {"count": op["stdin"].count("\n")}
        commands.append(
            {
                "n": len(commands) + 1,
                "line": line,
                "who": roles.label(op["by"]) if op.get("by") else "",
                "at": op.get("at"),
            }
        )
    return commands
