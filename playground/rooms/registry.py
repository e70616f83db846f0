"""The live rooms of this process: loaded on first use by replaying their log in a worker.

A room stays loaded while anyone watches it, and for the idle time after the
last viewer left or the last read (an export, an inspector page), whatever
loaded it. Before it loads a room, the process takes the room's lease
(playground/rooms/leases.py) and makes sure the rooms it holds fit in their
memory budget (`KUBEPLAY_ROOMS_MEMORY_MB`): idle rooms unload first, least
recently used first; a busy server refuses to load another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from django.conf import settings

from playground.models import Room
from playground.rooms.engine import RoomSpec
from playground.rooms.leases import Lease
from playground.rooms.live import LiveRoom, RoomGone, touch
from playground.rooms.log import read_ops
from playground.rooms.worker import ThreadWorker, Worker, WorkerGone
from playground.rooms.worker_process import ProcessWorker

logger = logging.getLogger(__name__)

#: Where rooms' engines run, by `KUBEPLAY_ROOM_WORKER` (playground/rooms/worker.py).
WORKERS: dict[str, type[Worker]] = {
    "process": ProcessWorker,
    "thread": ThreadWorker,
    "inline": Worker,
}

_rooms: dict[str, LiveRoom] = {}
_loading: dict[str, asyncio.Future] = {}


class ServerFull(RoomGone):
    """The rooms loaded here use all the memory they may; this one cannot load now."""


async def open_room(code: str) -> LiveRoom:
    """The live room for `code`, replaying its log if this process has not got it yet.

    Raises:
        RoomGone: no such room, or another server process runs it (ServerFull: no memory
            left for another room).
    """
    loop = asyncio.get_running_loop()
    live = _rooms.get(code)
    if live is not None and live.loop is loop and not live.closed:
        live.last_used = loop.time()
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
        raise RoomGone(f"There is no room {code!r}. Create one from the home page.")
    await _make_room_in_memory()
    lease = Lease(code)
    if not await lease.claim():
        raise RoomGone("This room is running on another server; try again in a few seconds.")
    ops = await read_ops(room)
    spec = RoomSpec(
        code=code,
        seed=room.seed,
        manifests=room.manifests,
        ops=ops,
        playing=room.playing,
        speed=room.speed,
        tick_hz=settings.KUBEPLAY_TICK_HZ,
    )
    worker = WORKERS[settings.KUBEPLAY_ROOM_WORKER](spec)
    try:
        await worker.start()
        head = await worker.call("head")
    except Exception as exc:  # a simulator bug, or the worker died: say so
        logger.exception("room %s could not be replayed", code)
        await worker.close()
        with contextlib.suppress(Exception):
            await lease.release()
        name = "its server stopped" if isinstance(exc, WorkerGone) else type(exc).__name__
        raise RoomGone(f"This room could not be rebuilt ({name}).") from exc
    live = LiveRoom(room, worker, len(ops), head, lease=lease, drop=_drop)
    await touch(room.pk)
    _unload_when_idle(live)
    return live


def _unload_when_idle(live: LiveRoom) -> None:
    """Unload `live` once nobody has watched or read it for the idle time, whatever loaded
    it (a viewer, an export, an inspector page)."""
    if live.closed:
        return
    idle, now = settings.KUBEPLAY_IDLE_SECONDS, live.loop.time()
    due = live.last_used + idle - now
    if not live.idle() or due > 0:
        live.unloader = live.loop.call_at(now + max(due, idle / 4, 0.01), _unload_when_idle, live)
        return
    live.unloader = None

    def unloaded(task: asyncio.Task) -> None:
        if task.cancelled() or task.exception() is not None or not task.result():
            _unload_when_idle(live)  # someone came back meanwhile; or try again later

    live.loop.create_task(live.unload()).add_done_callback(unloaded)


def memory_in_use() -> int:
    """Bytes held by this process's live rooms (their worker processes)."""
    return sum(live.worker.memory() for live in _rooms.values())


async def _make_room_in_memory() -> None:
    """Unload idle rooms, least recently used first, until the live rooms fit their memory
    budget; ServerFull when they still do not."""
    budget = settings.KUBEPLAY_ROOMS_MEMORY_MB * 2**20
    used = memory_in_use()
    if used < budget:
        return
    idle = sorted((r for r in _rooms.values() if r.idle()), key=lambda r: r.last_used)
    for live in idle:
        used -= live.worker.memory()
        await live.unload()
        if used < budget:
            return
    raise ServerFull(
        "The server is running as many rooms as its memory holds; try again in a minute."
    )


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
        live.worker.abandon()
    _rooms.clear()
    _loading.clear()
