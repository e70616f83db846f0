"""The rooms of this process: those it runs (`LiveRoom`) and those its viewers watch (`RoomView`).

A viewer always reaches a room through its process's view; the view's owner
is the `LiveRoom` here, or the process holding the room's lease (with leases
on: several processes, `REDIS_URL`). A process runs a room when it opens one
nobody runs, by replaying its log in a worker. A live room stays while anyone
watches it anywhere, and for the idle time after its last viewer or read
(an export, an inspector page), whatever loaded it; rooms that no longer fit
the memory budget (`KUBEPLAY_ROOMS_MEMORY_MB`) unload when idle, least
recently used first, and a full server refuses to load another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms import bus as interprocess
from playground.rooms import keeper
from playground.rooms.bus import bus
from playground.rooms.engine import RoomSpec
from playground.rooms.errors import NoSuchRoom, RoomGone
from playground.rooms.leases import Lease
from playground.rooms.live import LiveRoom, touch
from playground.rooms.log import read_ops
from playground.rooms.once import once
from playground.rooms.owners import REQUESTS, LocalOwner, Owner, RemoteOwner
from playground.rooms.roles import FOLLOWER
from playground.rooms.view import RoomView
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
_views: dict[str, RoomView] = {}
_loading: dict[str, asyncio.Future] = {}
_opening: dict[str, asyncio.Future] = {}


def views_group(code: str) -> str:
    """The bus group of the processes that have viewers of a room."""
    return f"views-{code}"


async def open_room(code: str) -> RoomView:
    """This process's view of room `code`, for a viewer about to join (one view however
    many arrive together). Raises RoomGone: no such room (ServerFull: no memory here)."""
    loop = asyncio.get_running_loop()
    found = _views.get(code)
    if found is not None and found.loop is loop and _usable(found.owner):
        view = found
    else:  # viewers arriving together all wait for the first one's
        view = await once(_opening, code, lambda: _open_view(code))
    if isinstance(view.owner, LocalOwner):
        view.owner.live.expect_viewer()
    return view


async def _open_view(code: str) -> RoomView:
    """A new view of room `code`, its owner found: the one every viewer arriving meanwhile
    joins (a view that is not the registry's would never hear the room's frames)."""
    owner = await find_owner(code)
    view = RoomView(
        code,
        owner,
        find_owner=_new_owner,
        lease_holder=_lease_holder,
        on_empty=_forget_view,
        on_joined=_keep_view,
    )
    if owner.remote:
        view.address = await bus().start()
        await bus().join(views_group(code))
    _views[code] = view
    return view


async def find_owner(code: str, silent: Owner | None = None) -> Owner:
    """Who runs room `code`: this process (loading it if nobody runs it), or another one.

    `silent`: an owner that stopped answering; while its lease runs, RoomGone.
    """
    for _attempt in range(3):
        live = _rooms.get(code)
        if live is not None and live.loop is asyncio.get_running_loop() and not live.closed:
            live.last_used = live.loop.time()
            return LocalOwner(live)
        holder = await _lease_holder(code)
        if holder is None:
            try:
                return LocalOwner(await _open_live(code))
            except LeaseTaken:
                continue  # another process claimed it first: ask who
        if silent is not None and silent.address == holder:
            raise RoomGone(_("This room's server stopped answering; taking it over."))
        return RemoteOwner(code, holder)
    raise RoomGone(_("This room is moving between servers; try again in a second."))


class LeaseTaken(RoomGone):
    """Another process claimed the room's lease a moment before this one."""


async def _new_owner(view: RoomView) -> Owner:
    owner = await find_owner(view.code, silent=view.owner)
    if not owner.remote:
        with contextlib.suppress(Exception):
            await bus().leave(views_group(view.code))
    return owner


def _usable(owner: Owner) -> bool:
    return not isinstance(owner, LocalOwner) or not owner.live.closed


def _forget_view(view: RoomView) -> None:
    """A view whose last viewer left is dropped (a new one is made for the next)."""
    if _views.get(view.code) is view:
        del _views[view.code]
        if view.owner.remote:
            task = view.loop.create_task(bus().leave(views_group(view.code)))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def _keep_view(view: RoomView) -> bool:
    """A viewer joined `view`: keep it this process's view of the room even if its last
    viewer left meanwhile; False when a newer view, or a closed room, took its place."""
    if _views.get(view.code) is not view:
        if view.code in _views or not _usable(view.owner):
            return False
        _views[view.code] = view
        if view.owner.remote:
            await bus().join(views_group(view.code))
    return True


async def _lease_holder(code: str) -> str | None:
    """The address of the process whose valid lease runs the room, or None (free, or ours)."""
    return await Lease.holder(code, await bus().start()) if Lease.enabled() else None


async def _open_live(code: str) -> LiveRoom:
    """The live room for `code` in this process, replaying its log if it is not here yet."""

    async def load() -> LiveRoom:
        live = _rooms[code] = await _load(code)
        return live

    return await once(_loading, code, load)


async def _load(code: str) -> LiveRoom:
    room = await Room.objects.filter(code=code).afirst()
    if room is None:
        raise NoSuchRoom(
            _("There is no room %(code)r. Create one from the home page.") % {"code": code}
        )
    await keeper.make_room_in_memory(_rooms.values())
    lease = Lease(code, await bus().start() if Lease.enabled() else "")
    if not await lease.claim():
        raise LeaseTaken(_("This room is moving to another server; try again in a second."))
    async with keeper.renewing(lease):
        return await _replay(room, lease)


async def _replay(room: Room, lease: Lease) -> LiveRoom:
    """The live room of `room`, its log replayed in a new worker (its `lease` taken)."""
    code = room.code
    ops = await read_ops(room)
    spec = RoomSpec(
        code=code,
        seed=room.seed,
        manifests=room.manifests,
        ops=ops,
        playing=room.playing,
        speed=room.speed,
        tick_hz=settings.KUBEPLAY_TICK_HZ,
        lesson=room.lesson,
    )
    make_worker = WORKERS[settings.KUBEPLAY_ROOM_WORKER]
    live = LiveRoom(room, spec, make_worker=make_worker, lease=lease, drop=_drop, publish=_publish)
    try:
        # One replay at a time: a whole class pressing "Try it yourself" at once, or
        # every room after a restart, would otherwise share the machine's cores with
        # the rooms that run, each replay taking as long as all of them.
        async with keeper.replaying():
            await live.start()
    except Exception as exc:  # a simulator bug, or the worker died: say so
        logger.exception("room %s could not be replayed", code)
        await live.worker.close()
        with contextlib.suppress(Exception):
            await lease.release()
        name = "its server stopped" if isinstance(exc, WorkerGone) else type(exc).__name__
        raise RoomGone(_("This room could not be rebuilt (%(error)s).") % {"error": name}) from exc
    await touch(room.pk)
    keeper.unload_when_idle(live)
    keeper.start(_rooms, views_group)
    return live


async def _publish(live: LiveRoom, message: dict[str, Any]) -> None:
    """A room's frame to this process's view of it, and to the other processes' views."""
    view = _views.get(live.code)
    if view is not None and not view.owner.remote:
        await view.receive(message)
    if live.viewers(remote=True):
        await bus().publish(views_group(live.code), message)


async def answer(message: dict[str, Any]) -> Any:
    """A view of another process asks this process's live room (over the bus)."""
    live = _rooms.get(message.get("code", ""))
    if live is None or live.closed:
        raise RoomGone(_("This room moved to another server; reconnecting."))
    method = message.get("method")
    if method not in REQUESTS:
        raise ValueError(f"unknown room request {method!r}")
    return await getattr(live, method)(*message.get("args", ()))


async def receive_frame(message: dict[str, Any]) -> None:
    """A frame another process's room published, for this process's view of it."""
    view = _views.get(message.get("code", ""))
    if view is not None and view.owner.remote:
        if message.get("type") == "room.beat":
            view.beat()
        else:
            await view.receive(message)


interprocess.on("room.request", answer)
interprocess.on("room.frame", receive_frame)
interprocess.on("room.beat", receive_frame)


def memory_in_use() -> int:
    """Bytes held by this process's live rooms (their worker processes)."""
    return keeper.memory_in_use(_rooms.values())


async def _drop(live: LiveRoom, release: bool) -> None:
    """Forget a room that closed (the log keeps it); give its lease back when it unloaded."""
    if _rooms.get(live.code) is live:
        del _rooms[live.code]
    view = _views.get(live.code)
    if view is not None and isinstance(view.owner, LocalOwner) and view.owner.live is live:
        del _views[live.code]
    if release:
        with contextlib.suppress(Exception):
            await live.lease.release()


async def participant(code: str, participant_id: str | None) -> dict[str, Any]:
    """How a room's class knows the browser `participant_id` (`Participant.who()`), for a
    fork it makes; a follower whose number is not known where the room is not running."""
    live = _rooms.get(code)
    known = live.classroom.participants.get(participant_id or "") if live is not None else None
    return known.who() if known is not None else {"role": FOLLOWER}


def loaded(code: str) -> LiveRoom | None:
    """The live room `code` if this process runs it."""
    return _rooms.get(code)


def view(code: str) -> RoomView | None:
    """This process's view of room `code`, if it has viewers here."""
    return _views.get(code)


def running() -> list[LiveRoom]:
    """The live rooms this process runs."""
    return list(_rooms.values())


def clear() -> None:
    """Forget every room and view of this process (teardown.py stops them first)."""
    _rooms.clear()
    _views.clear()
    _loading.clear()
    _opening.clear()
