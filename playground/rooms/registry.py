"""The live rooms of this process: loaded on first use by replaying their log.

A room stays in memory while anyone watches it, and a minute more. Before it
loads a room, the process takes the room's lease (playground/rooms/leases.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms.followers import followers_for
from playground.rooms.leases import Lease
from playground.rooms.live import LiveRoom, RoomGone
from playground.rooms.log import read_ops, restore

logger = logging.getLogger(__name__)

_rooms: dict[str, LiveRoom] = {}
_loading: dict[str, asyncio.Future] = {}


async def open_room(code: str) -> LiveRoom:
    """The live room for `code`, replaying its log if this process has not got it yet.

    Raises:
        RoomGone: no such room, or another server process runs it.
    """
    loop = asyncio.get_running_loop()
    live = _rooms.get(code)
    if live is not None and live.loop is loop and not live.closed:
        return live
    pending = _loading.get(code)
    if pending is not None and pending.get_loop() is loop:
        return await asyncio.shield(pending)
    future = loop.create_future()
    _loading[code] = future
    try:
        live = await _load(code)
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # mark retrieved: waiters, if any, re-raise it
        raise
    finally:
        if _loading.get(code) is future:
            del _loading[code]
    _rooms[code] = live
    future.set_result(live)
    return live


async def _load(code: str) -> LiveRoom:
    room = await Room.objects.filter(code=code).afirst()
    if room is None:
        raise RoomGone(
            _("There is no room %(code)r. Create one from the home page.") % {"code": code}
        )
    lease = Lease(code)
    if not await lease.claim():
        raise RoomGone(_("This room is running on another server; try again in a few seconds."))
    ops = await read_ops(room)
    followers = followers_for(room, ops)

    def replayed(index: int, op: dict, result) -> None:
        for follower in followers:
            follower.replayed(index, op, result)

    try:
        # One replay at a time: they are Python, so threads side by side take no less time
        # in all, and each one more takes the GIL from the rooms that run (a whole class
        # pressing "Try it yourself" at once; every room after a restart).
        async with _replaying():
            restored = await sync_to_async(restore, thread_sensitive=False)(
                room.seed, room.manifests, ops, replayed
            )
    except Exception as exc:  # a simulator bug: say so rather than drop the socket
        logger.exception("room %s could not be replayed", code)
        raise RoomGone(
            _("This room could not be rebuilt (%(error)s).") % {"error": type(exc).__name__}
        ) from exc
    return LiveRoom(room, restored, len(ops), lease=lease, drop=_drop, followers=followers)


_replay_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def _replaying() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _replay_slots:
        _replay_slots.clear()  # an event loop of an earlier test
        _replay_slots[loop] = asyncio.Semaphore(1)
    return _replay_slots[loop]


async def _drop(live: LiveRoom, release: bool) -> None:
    """Forget a room that closed (the log keeps it); give its lease back when it unloaded."""
    if _rooms.get(live.code) is live:
        del _rooms[live.code]
    if release:
        with contextlib.suppress(Exception):
            await live.lease.release()


def loaded(code: str) -> LiveRoom | None:
    return _rooms.get(code)


async def reset() -> None:
    """Stop and forget every live room of this process (tests; the log keeps them)."""
    current = asyncio.get_running_loop()
    for live in list(_rooms.values()):
        live.closed = True
        if live.loop is current:
            await live.stop()
    forget_all()


def forget_all() -> None:
    """Forget every live room without waiting for its tasks (tests, between event loops)."""
    for live in list(_rooms.values()):
        live.closed = True
        for handle in (live.ticker, live.unloader):
            with contextlib.suppress(Exception):
                if handle is not None and not live.loop.is_closed():
                    handle.cancel()
    _rooms.clear()
    _loading.clear()
