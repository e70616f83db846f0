"""The live room: a room this process owns: its worker, log, clock, class, and who watches.

Its engine (the cluster, frames, streams, inspectors, a lesson's tracker:
playground/rooms/engine.py) runs in a worker (playground/rooms/worker.py), so
the event loop only waits for it. Every piece of work runs under the room's
lock, as a task of the room's own: a viewer that disconnects mid-command
cancels nothing, so the log and the cluster never disagree. Viewers reach it
through their process's `RoomView` (playground/rooms/view.py), here or over
the bus, and change the room only through `run_command` (a command line,
logged before its frame goes out), the clock, the streams and a rewind, each
checked under the lock against the asking participant's role (the class lives
with the room's owner, so every process's viewers meet the same floor). Each
frame goes to `publish`, which hands it to every process's view.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms.class_levers import ClassLevers
from playground.rooms.classroom import Classroom
from playground.rooms.engine import RoomSpec
from playground.rooms.errors import RoomGone
from playground.rooms.leases import Lease
from playground.rooms.lesson_requests import LessonRequests
from playground.rooms.log import RoomLog
from playground.rooms.outcome import Outcome
from playground.rooms.presence import Presence
from playground.rooms.requests import ViewerRequests
from playground.rooms.rewinding import Rewinding
from playground.rooms.worker import Worker, WorkerGone, WorkTooLarge

logger = logging.getLogger(__name__)

#: How often an open room's `Room.touched` is written (the retention policy's clock).
TOUCH_SECONDS = 3600.0

Publish = Callable[["LiveRoom", dict[str, Any]], Awaitable[None]]
#: Makes the worker that runs an engine built from a spec (registry.WORKERS).
MakeWorker = Callable[[RoomSpec], Worker]


async def touch(room_id: int) -> None:
    """Note that the room was used now (rooms untouched for long are purged)."""
    await Room.objects.filter(pk=room_id).aupdate(touched=timezone.now())


def group_name(code: str) -> str:
    """The channel-layer group of a room's consumers (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom(Presence, ViewerRequests, ClassLevers, Rewinding, LessonRequests):
    """A room running in this process: its worker, log, clock, class and viewers' presence.

    Who watches it is `Presence`'s (presence.py), what viewers ask of it
    `ViewerRequests`' (requests.py), its class `ClassLevers`' (class_levers.py), its
    returns to an earlier point `Rewinding`'s (rewinding.py), its answers to a lesson's
    messages `LessonRequests`' (lesson_requests.py).
    """

    def __init__(
        self,
        room: Room,
        spec: RoomSpec,
        *,
        make_worker: MakeWorker,
        lease: Lease,
        drop: Callable[[LiveRoom, bool], Awaitable[None]],
        publish: Publish,
    ) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.classroom = Classroom(room)
        self.spec = dataclasses.replace(spec, floor=self.classroom.floor_message())
        self.worker = make_worker(self.spec)
        self._make_worker = make_worker
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.tick_hz = settings.KUBEPLAY_TICK_HZ
        self.log = RoomLog(room.pk, len(spec.ops))
        self.epoch, self.seq = "", 0
        self.classroom.on_change = self._class_changed
        self._class_news = False
        #: Whether the presenter's view changed since the last tick.
        self._view_due = False
        #: When a viewer was last on its way (opening the room, admitted; it joins soon).
        self._joining_since = float("-inf")
        #: Viewers per view: "local" for this process's, a bus address for another's
        #: (with when that count expires).
        self.watching: dict[str, tuple[int, float]] = {}
        self.closed = False
        self.ticker: asyncio.Task | None = None
        self.unloader: asyncio.TimerHandle | None = None
        self.lease = lease
        self._drop = drop
        self._publish = publish
        self._flushed = self.loop.time()
        #: When a viewer or a read last used the room (the registry unloads it when idle).
        self.last_used = self.loop.time()
        #: When `Room.touched` (the retention policy's clock) was last written.
        self._stored_touch = self.loop.time()

    async def start(self) -> None:
        """Start the room's worker (it replays the log); raises what stopped it."""
        await self.worker.start()
        self.epoch, self.seq, streams = await self.worker.call("head")
        self.log.set_streams(streams)

    async def restart(self, ops: list[dict[str, Any]]) -> None:
        """Run a new engine replaying `ops` (the log, rewound), in place of the old one.
        Under the lock."""
        spec = dataclasses.replace(
            self.spec,
            ops=ops,
            floor=self.classroom.floor_message(),
            view=self.classroom.view,
        )
        worker = self._make_worker(spec)
        try:
            await worker.start()
            epoch, seq, streams = await worker.call("head")
        except WorkTooLarge as exc:
            await worker.close()
            raise RoomGone(str(exc)) from None
        old, self.worker, self.spec = self.worker, worker, spec
        self.epoch, self.seq = epoch, seq
        self.log.set_streams(streams)
        with contextlib.suppress(Exception):
            await old.close()

    # -- the clock ---------------------------------------------------------------------

    async def tick(self) -> None:
        """One tick: the clock and the streams, logged and sent. Under the lock."""
        view, self._view_due = (self.classroom.view if self._view_due else False), False
        outcome = await self._engine("tick", view)
        self.log.add_ticks(outcome.step, outcome.counts)
        if outcome.streams is not None:
            self.log.set_streams(outcome.streams)
        if outcome.ops:  # a stream that failed, a lesson's step done
            await self._logged(outcome.ops)
        await self._send(outcome)
        if self.loop.time() - self._flushed >= settings.KUBEPLAY_FLUSH_SECONDS:
            self._flushed = self.loop.time()
            if self.log.traffic_pending:
                await self.log.write()
            await self._tell_presenters()

    async def _tick(self) -> bool:
        """One tick of the ticker; False stops it (nobody watches, or the room closed)."""
        if self.closed or not self.watched():
            return False
        try:
            async with self.lock:
                if self.closed:
                    return False
                await self.tick()
            if self.loop.time() - self._stored_touch >= TOUCH_SECONDS:
                self._stored_touch = self.loop.time()
                await touch(self.room_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("room %s stopped ticking", self.code)
            await self.break_down()
            return False
        return True

    # -- the room's life ----------------------------------------------------------------

    async def unload(self) -> bool:
        """Write what the log lacks, stop the clock and forget the room (the log keeps it);
        False when someone came back meanwhile."""
        if self.closed:
            return True
        async with self.lock:
            if self.wanted() or self.closed:
                return self.closed
            self.closed = True
            with contextlib.suppress(Exception):
                await self.log.write()
                await touch(self.room_id)
        await self.stop()
        await self._drop(self, True)
        return True

    async def stop(self) -> None:
        """Stop the clock and the worker."""
        self.closed = True
        if self.unloader is not None:
            self.unloader.cancel()
        if self.ticker is not None and self.ticker is not asyncio.current_task():
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.ticker
        await self.worker.close()

    async def break_down(self) -> None:
        """The log and the cluster may disagree: drop the room; browsers reconnect and replay."""
        self.closed = True
        await self._drop(self, False)
        with contextlib.suppress(Exception):
            await self.worker.close()
        layer = get_channel_layer()
        with contextlib.suppress(Exception):
            if layer is not None:
                await layer.group_send(group_name(self.code), {"type": "room.closed"})

    # -- one piece of work at a time, whoever is still waiting for it -----------------

    async def _work(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run `work` under the room's lock as a task of the room's own, so cancelling the
        caller (a viewer leaving) does not stop it halfway."""

        async def locked() -> Any:
            async with self.lock:
                return await work

        task = self.loop.create_task(locked())
        task.add_done_callback(_log_failure)
        return await asyncio.shield(task)

    async def _engine(self, method: str, *args: Any) -> Any:
        """Call the engine (under the room's lock); a dead worker drops the room."""
        if self.closed:
            raise RoomGone(_("this room was reloaded; reconnecting"))
        self.last_used = self.loop.time()
        try:
            return await self.worker.call(method, *args)
        except WorkTooLarge as exc:
            logger.warning("room %s: %s; reloading it", self.code, exc)
            await self.break_down()
            raise RoomGone(_("%(why)s: the room was reloaded without it.") % {"why": exc}) from None
        except WorkerGone:
            logger.error("room %s: its worker stopped", self.code)
            await self.break_down()
            raise RoomGone(_("this room's server stopped; reconnecting")) from None

    async def _logged(self, ops: list[dict[str, Any]] | tuple = ()) -> None:
        try:
            await self.log.write(ops)
        except Exception:
            logger.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone(_("the server could not save this change; reconnecting")) from None

    async def _send(self, outcome: Outcome) -> None:
        """Hand the frame (the inspectors it changed, what followers say) to every view."""
        if outcome.frame is None and not outcome.inspectors and not outcome.broadcast:
            return
        if outcome.frame is not None:
            self.seq = outcome.seq
        message = self._message(outcome.seq, outcome.frame, outcome.inspectors)
        if outcome.broadcast:
            message["broadcast"] = outcome.broadcast
        await self._publish(self, message)

    def _message(
        self,
        seq: int,
        frame: list[str] | None,
        inspectors: list | None = None,
        rebase: list[str] | None = None,
    ) -> dict[str, Any]:
        """A `room.frame` for every view: `frame` (its texts, or None), `inspectors`
        (`[viewer, texts]` pairs), `rebase` (a new engine's snapshot: every viewer starts
        again from it)."""
        message: dict[str, Any] = {
            "type": "room.frame",
            "code": self.code,
            "epoch": self.epoch,
            "seq": seq,
            "frame": frame,
            "inspectors": inspectors or [],
        }
        if rebase is not None:
            message["rebase"] = rebase
        return message


def _log_failure(task: asyncio.Task) -> None:
    """Retrieve a room task's outcome, so one nobody awaits any more fails quietly; a failure
    other than a learner's request the room refused is logged."""
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None and not isinstance(exc, ValueError | RoomGone):
        logger.error("room task failed", exc_info=exc)
