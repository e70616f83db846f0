"""Forks and rewinds: a room's log copied into a new room, or cut back, and nothing lost.

A room is `(seed, manifests, log)` and replay is exact, so a fork is a new
room with the same seed and manifests and a copy of the log up to now: it
replays to the same cluster, byte for byte, and goes its own way from there
(a lesson the room runs goes on in it too). The presenter's rewind takes the
room back to just after one of its commands (or to the start) with a
`rewind` entry (rewinding.py); first the log as it was is copied into a
branch, a fork the presenter's key opens, so the road not taken stays a room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils.translation import gettext as _

from playground import limits
from playground.models import Room, RoomEvent
from playground.rooms import registry, roles
from playground.rooms.creation import new_code
from playground.rooms.live import LiveRoom, RoomGone
from playground.rooms.log import effective_ops, read_ops

logger = logging.getLogger(__name__)

#: Where a branch set aside by a rewind says it came from.
REWIND = {"role": "rewind"}


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
        async with live.lock:
            # What the room ran and has not written yet is part of the point forked.
            await live.log.write()
            length = live.log.next_index
    room, secret = await _copy(code, length, who, fresh_key=True)
    task = asyncio.create_task(_prepare(room.code), name=f"prepare-{room.code}")
    _preparing.add(task)
    task.add_done_callback(_preparing.discard)
    return room, secret


_preparing: set[asyncio.Task] = set()


async def _prepare(code: str) -> None:
    with contextlib.suppress(RoomGone):
        await registry.open_room(code)


@sync_to_async
def _copy(
    code: str, length: int | None, who: dict[str, Any], *, fresh_key: bool
) -> tuple[Room, str]:
    """Copy room `code` with the first `length` entries of its log (all: None)."""
    with transaction.atomic():
        source = Room.objects.filter(code=code).first()
        if source is None:
            raise RoomGone(_("There is no room %(code)s.") % {"code": code})
        entries = RoomEvent.objects.filter(room=source)
        if length is not None:
            entries = entries.filter(index__lt=length)
        ops = list(entries.order_by("index").values_list("op", flat=True))
        if length is not None and len(ops) != length:
            raise ValueError(_("The room was rewound just now: try again."))
        secret, key = roles.new_secret() if fresh_key else ("", source.presenter_key)
        room = Room.objects.create(
            code=new_code(),
            seed=source.seed,
            manifests=source.manifests,
            example=source.example,
            lesson=source.lesson,
            playing=source.playing,
            speed=source.speed,
            presenter_key=key,
            parent=source,
            fork_point=len(ops),
            forked_by=who,
        )
        RoomEvent.objects.bulk_create(
            (RoomEvent(room=room, index=i, op=op) for i, op in enumerate(ops)), batch_size=500
        )
    return room, secret


# -- rewind -------------------------------------------------------------------------------


def rewind_point(ops: list[dict[str, Any]], commands: int) -> int:
    """The `rewind` entry's `to` that keeps the room's first `commands` commands (as the
    room has them now: a command an earlier rewind went back over is not one), 0 for the
    start.

    Raises:
        ValueError: the room has fewer commands, or is at that point already.
    """
    made = effective_ops(ops)
    runs = [index for index, op in made if op["op"] == "run"]
    if not 0 <= commands <= len(runs):
        raise ValueError(
            _("This room has run %(count)s commands: choose a point from 0 to %(count)s.")
            % {"count": len(runs)}
        )
    to = runs[commands - 1] + 1 if commands else 0
    if all(index < to for index, _op in made):
        raise ValueError(_("The room is at that point already."))
    return to


async def rewind(live: LiveRoom, commands: int, who: roles.Participant | None) -> Room:
    """Move `live` back to just after its `commands`-th command (0: to the start) and run
    from there, for everyone; the log as it was goes into a branch first. Returns the
    branch.

    Raises:
        Forbidden: `who` is not the room's presenter.
        ValueError: no such point, or the room is there already.
    """
    async with live.lock:
        live.check(who, "rewind")
        await live.log.write()
        ops = await read_ops(live.room_id)
        to = rewind_point(ops, commands)
        branch, _secret = await _copy(live.code, len(ops), REWIND, fresh_key=False)
        await live.rewind(to, who, locked=True, note=str(commands))
    return branch


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
