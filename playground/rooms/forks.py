"""Forks and rewinds: a room's log copied into a new room, or cut back, and nothing lost.

A room is `(seed, manifests, log)` and replay is exact, so a fork is a new
room with the same seed and manifests and a copy of the log up to now: it
replays to the same cluster, byte for byte, and goes its own way from there.
A rewind cuts a room's log back to just after one of its commands (or to the
start) and runs the replay of what is left; the entries it cut go first into
a branch, a fork that keeps the whole log, so the presenter can go back.
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
from playground.rooms.log import read_ops, restore

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


def cut_point(ops: list[dict[str, Any]], commands: int) -> int:
    """The length of the log that keeps its first `commands` commands (0: the start)."""
    if commands == 0:
        return 0
    seen = 0
    for index, op in enumerate(ops):
        if op["op"] == "run":
            seen += 1
            if seen == commands:
                return index + 1
    raise ValueError(
        _("This room has run %(count)s commands: choose a point from 0 to %(count)s.")
        % {"count": seen}
    )


async def rewind(live: LiveRoom, commands: int, who: roles.Participant | None) -> Room:
    """Move `live` back to just after its `commands`-th command (0: to the start) and run
    from there; the log as it was goes into a branch first. Returns the branch.

    Everyone gets a snapshot of the rewound room (a new epoch).

    Raises:
        Forbidden: `who` is not the room's presenter.
        ValueError: no such point, or the room is there already.
    """
    async with live.lock:
        live.check(who, "rewind")
        await live.log.write()
        ops = await read_ops(live.room_id)
        cut = cut_point(ops, commands)
        if cut == len(ops):
            raise ValueError(_("The room is at that point already."))
        restored = await sync_to_async(restore, thread_sensitive=False)(
            live.seed, live.manifests, ops[:cut]
        )
        branch = await _set_aside(live.code, len(ops), cut)
        await live.restart_from(restored, cut, who, str(commands))
    return branch


@sync_to_async
def _set_aside(code: str, length: int, cut: int) -> Room:
    """Copy the whole log into a branch (the presenter's key opens it), then cut it back."""
    with transaction.atomic():
        branch, _secret = _copy.func(code, length, REWIND, fresh_key=False)
        RoomEvent.objects.filter(room__code=code, index__gte=cut).delete()
    return branch


# -- what the presenter sees -------------------------------------------------------------


async def timeline(room: Room) -> list[dict[str, Any]]:
    """The room's commands in order, for the rewind slider: `{n, line, who, at}` each."""
    rows = RoomEvent.objects.filter(room=room, op__op="run").order_by("index")
    commands = []
    async for op in rows.values_list("op", flat=True):
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
