"""Keeping this process's live rooms: their leases renewed, their heartbeats sent, and each
unloaded once idle.

Apart from the rooms' locks on purpose: a room busy with a large apply for
seconds still renews its lease and tells other processes' views it is alive,
so nobody takes over a room that is merely working.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from playground import limits
from playground.rooms.bus import bus
from playground.rooms.errors import ServerFull
from playground.rooms.leases import Lease
from playground.rooms.live import LiveRoom
from playground.rooms.worker import WorkTooLarge
from playground.rooms.worker_process import ProcessWorker

logger = logging.getLogger(__name__)

#: How often leases are renewed and heartbeats sent (seconds).
BEAT_SECONDS = 1.0

_keepers: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}


def start(rooms: dict[str, LiveRoom], group: Callable[[str], str]) -> None:
    """Every second: check the memory of `rooms` (this process's live rooms), and with
    leases on, renew their leases and send a heartbeat to the views of those that other
    processes watch; idempotent."""
    loop = asyncio.get_running_loop()
    task = _keepers.get(loop)
    if task is None or task.done():
        _keepers[loop] = loop.create_task(_keep(rooms, group), name="room-keeper")


def stop() -> None:
    for loop, task in list(_keepers.items()):
        if not loop.is_closed():
            task.cancel()
    _keepers.clear()


async def _keep(rooms: dict[str, LiveRoom], group: Callable[[str], str]) -> None:
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(BEAT_SECONDS)
        for live in [live for live in rooms.values() if live.loop is loop and not live.closed]:
            check_memory(live)
            if not Lease.enabled():
                continue
            try:
                # The beat first: a renewal waiting for a busy database must not make the
                # other processes' views think this one died.
                if live.viewers(remote=True):
                    beat = {"type": "room.beat", "code": live.code, "epoch": live.epoch}
                    await bus().publish(group(live.code), beat)
                if not await live.lease.keep(loop.time()):
                    logger.warning("room %s: another server took it over", live.code)
                    await live.break_down()
            except Exception:
                logger.exception("room %s: lease or heartbeat failed", live.code)


@contextlib.asynccontextmanager
async def renewing(lease: Lease) -> AsyncIterator[None]:
    """Keep `lease` while the room it claims loads (the keeper renews it once the room is
    live): a replay longer than the lease must not let another process take the room."""
    if not Lease.enabled():
        yield
        return

    async def renew() -> None:
        while True:
            await asyncio.sleep(BEAT_SECONDS)
            try:
                await lease.keep(asyncio.get_running_loop().time())
            except Exception:  # a busy database: try again at the next beat
                logger.warning("room %s: lease not renewed while loading", lease.code)

    task = asyncio.get_running_loop().create_task(renew(), name=f"lease-{lease.code}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def check_memory(live: LiveRoom) -> None:
    """Stop a room's worker that holds more memory than a room may (its command fails)."""
    ceiling = limits.MAX_ROOM_MEMORY_MB * 2**20
    if isinstance(live.worker, ProcessWorker) and live.worker.memory() > ceiling:
        logger.warning(
            "room %s: its worker holds over %d MiB", live.code, limits.MAX_ROOM_MEMORY_MB
        )
        live.worker.stop(
            WorkTooLarge(
                f"That needed more memory than a room may hold ({limits.MAX_ROOM_MEMORY_MB} MiB)"
            )
        )


def unload_when_idle(live: LiveRoom) -> None:
    """Unload `live` once nobody has watched or read it for the idle time, whatever loaded
    it (a viewer, an export, an inspector page)."""
    if live.closed:
        return
    idle, now = settings.KUBEPLAY_IDLE_SECONDS, live.loop.time()
    due = live.last_used + idle - now
    if not live.idle() or due > 0:
        live.unloader = live.loop.call_at(now + max(due, idle / 4, 0.01), unload_when_idle, live)
        return
    live.unloader = None

    def unloaded(task: asyncio.Task) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            if task.exception() is not None or not task.result():
                unload_when_idle(live)  # someone came back meanwhile; or try again later

    live.loop.create_task(live.unload()).add_done_callback(unloaded)


def memory_in_use(rooms: Iterable[LiveRoom]) -> int:
    """Bytes held by `rooms` (their worker processes)."""
    return sum(live.worker.memory() for live in rooms)


async def make_room_in_memory(rooms: Iterable[LiveRoom]) -> None:
    """Unload idle rooms of `rooms` (this process's), least recently used first, until they
    fit their memory budget (`KUBEPLAY_ROOMS_MEMORY_MB`); ServerFull when they still do not."""
    rooms = list(rooms)
    budget = settings.KUBEPLAY_ROOMS_MEMORY_MB * 2**20
    used = memory_in_use(rooms)
    if used < budget:
        return
    for live in sorted((r for r in rooms if r.idle()), key=lambda r: r.last_used):
        used -= live.worker.memory()
        await live.unload()
        if used < budget:
            return
    raise ServerFull(
        _("The server is running as many rooms as its memory holds; try again in a minute.")
    )


_replay_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def replaying() -> asyncio.Semaphore:
    """One replay at a time per process (`async with replaying():`)."""
    loop = asyncio.get_running_loop()
    if loop not in _replay_slots:
        _replay_slots.clear()  # an event loop of an earlier test
        _replay_slots[loop] = asyncio.Semaphore(1)
    return _replay_slots[loop]
