"""The live room: a room this process runs, its viewers here, and what they do.

Its engine (the cluster, frames, streams, inspectors: playground/rooms/engine.py)
runs in a worker (playground/rooms/worker.py), so the event loop only waits
for it. Every piece of work runs under the room's lock, as a task of the room's
own: a viewer that disconnects mid-command cancels nothing, so the log and the
cluster never disagree. Viewers change the room only through `run_command` (a
command line, logged before its frame goes out), the clock and the streams;
`read`, `inspect` and `watch` change nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from playground.models import Room
from playground.rooms import inspector
from playground.rooms.engine import Outcome
from playground.rooms.fanout import FrameRing, LocalViewers, Viewer
from playground.rooms.leases import Lease
from playground.rooms.log import RoomLog
from playground.rooms.ticker import Ticker
from playground.rooms.worker import Worker, WorkerGone

logger = logging.getLogger(__name__)

#: How often an open room's `Room.touched` is written (the retention policy's clock).
TOUCH_SECONDS = 3600.0


async def touch(room_id: int) -> None:
    """Note that the room was used now (rooms untouched for long are purged)."""
    await Room.objects.filter(pk=room_id).aupdate(touched=timezone.now())


class RoomGone(Exception):
    """The room does not exist, or another server process runs it."""


def group_name(code: str) -> str:
    """The channel-layer group of a room (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom:
    """A room running in this process: its worker, log, clock and viewers."""

    def __init__(
        self,
        room: Room,
        worker: Worker,
        log_length: int,
        head: tuple[str, int],
        *,
        lease: Lease,
        drop: Callable[[LiveRoom, bool], Awaitable[None]],
    ) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.worker = worker
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.tick_hz = settings.KUBEPLAY_TICK_HZ
        self.log = RoomLog(room.pk, log_length)
        self.ring = FrameRing(*head)
        self.viewers = LocalViewers(room.code, on_lost=self.leave)
        self.closed = False
        self.ticker: asyncio.Task | None = None
        self.unloader: asyncio.TimerHandle | None = None
        self.lease = lease
        self._drop = drop
        self._flushed = self.loop.time()
        #: When a viewer or a read last used the room (the registry unloads it when idle).
        self.last_used = self.loop.time()
        #: When `Room.touched` (the retention policy's clock) was last written.
        self._stored_touch = self.loop.time()

    @property
    def epoch(self) -> str:
        return self.ring.epoch

    @property
    def local(self) -> dict[str, Viewer]:
        """The viewers connected to this process, by id."""
        return self.viewers.by_id

    # -- viewers -----------------------------------------------------------------------

    async def join(self, viewer: Viewer, seq: int | None = None, epoch: str = "") -> None:
        """Bring `viewer` up to date (the frames it missed after frame `seq` of `epoch`, or a
        snapshot), then send it every frame."""

        async def join() -> None:
            self._check_open()
            self._touch()
            if not await self.viewers.deliver(viewer, await self._catch_up(seq, epoch)):
                return  # it left already
            self.viewers.add(viewer)
            if self.ticker is None or self.ticker.done():
                self.ticker = self.loop.create_task(
                    Ticker(self.tick_hz).run(self._tick), name=f"ticker-{self.code}"
                )

        await self._work(join())

    async def resync(self, viewer: Viewer, seq: int, epoch: str) -> None:
        """Send `viewer` the frames after `seq` of `epoch` if they are kept, else a snapshot."""

        async def resync() -> None:
            self._check_open()
            await self.viewers.deliver(viewer, await self._catch_up(seq, epoch))

        await self._work(resync())

    async def _catch_up(self, seq: int | None, epoch: str) -> list[str]:
        missed = self.ring.missed(seq, epoch)
        if missed is not None:
            return missed
        _, texts = await self.worker.call("snapshot")
        return texts

    def leave(self, viewer: Viewer) -> None:
        if self.viewers.remove(viewer.viewer) is None:
            return
        self._touch()
        if not self.closed:
            task = self.loop.create_task(self._forget(viewer.viewer))
            task.add_done_callback(_log_failure)

    async def _forget(self, viewer_id: str) -> None:
        async with self.lock:
            if not self.closed:
                await self.worker.call("forget", viewer_id)

    def _touch(self) -> None:
        self.last_used = self.loop.time()

    def idle(self) -> bool:
        """Whether nobody watches the room and nothing is running in it."""
        return not self.viewers.by_id and not self.lock.locked()

    async def unload(self) -> bool:
        """Write what the log lacks, stop the clock and forget the room (the log keeps it);
        False when someone came back meanwhile."""
        if self.closed:
            return True
        async with self.lock:
            if self.viewers.by_id or self.closed:
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
        with contextlib.suppress(Exception):
            await get_channel_layer().group_send(group_name(self.code), {"type": "room.closed"})

    # -- the room's work: one piece at a time, whoever is still waiting for it ------------

    async def _work(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run `work` under the room's lock as a task of the room's own, so cancelling the
        caller (a viewer leaving) does not stop it halfway."""

        async def locked() -> Any:
            async with self.lock:
                return await work

        task = self.loop.create_task(locked())
        task.add_done_callback(_log_failure)
        return await asyncio.shield(task)

    async def _tick(self) -> bool:
        """One tick of the ticker; False stops it (nobody watches, or the room closed)."""
        if self.closed or not self.viewers.by_id:
            return False
        try:
            async with self.lock:
                if self.closed:
                    return False
                outcome = await self.worker.call("tick")
                self.log.add_ticks(outcome.step, outcome.counts)
                if outcome.streams is not None:
                    self.log.set_streams(outcome.streams)
                await self._send(outcome)
                flushed = self.loop.time() - self._flushed >= settings.KUBEPLAY_FLUSH_SECONDS
                if flushed and self.log.traffic_pending:
                    self._flushed = self.loop.time()
                    await self.log.write()
            if not await self.lease.keep(self.loop.time()):
                raise RoomGone("another server took this room over")
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

    # -- the clock and the streams -----------------------------------------------------

    async def start_stream(self, target: str, source: str, rate: float) -> dict[str, Any]:
        """Start a request stream; its `{id, url, source, rate}`."""

        async def start() -> dict[str, Any]:
            outcome = await self._engine("start_stream", target, source, rate)
            self.log.set_streams(outcome.streams)
            await self._send(outcome)
            return outcome.reply

        return await self._work(start())

    async def stop_stream(self, stream_id: str | None) -> None:
        async def stop() -> None:
            outcome = await self._engine("stop_stream", stream_id)
            self.log.set_streams(outcome.streams)
            await self._send(outcome)

        await self._work(stop())

    async def set_clock(self, playing: bool | None, speed: float | None) -> None:
        async def set_clock() -> None:
            await self._logged([])  # the time so far, at its old pace
            outcome = await self._engine("set_clock", playing, speed)
            await Room.objects.filter(pk=self.room_id).aupdate(**outcome.reply)
            await self._send(outcome)

        await self._work(set_clock())

    # -- commands: the one way a viewer changes the cluster ----------------------------

    async def run_command(self, line: str, stdin: str = "", by: str = "") -> dict[str, Any]:
        """Run a command line for viewer `by`, log it, then send its frame to everyone.

        Returns the `result` message's fields for the viewer who ran it.
        """

        async def run() -> dict[str, Any]:
            outcome = await self._engine("command", line, stdin, by)
            await self._logged(outcome.ops)
            await self._send(outcome)
            return outcome.reply

        return await self._work(run())

    async def _logged(self, ops: list[dict[str, Any]]) -> None:
        try:
            await self.log.write(ops)
        except Exception:
            logger.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone("the server could not save this change; reconnecting") from None

    # -- reads -------------------------------------------------------------------------

    async def read(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(cluster)` in the room's worker, for reads the log does not record (they must
        change nothing). With a worker process, `fn` must be a module-level function."""
        return await self._work(self._engine("read", fn))

    async def viewers_topology(self) -> dict[str, Any]:
        """The topology as every viewer has it (kept by frames alone)."""
        return await self._work(self._engine("viewers_topology"))

    async def inspect(self, target: inspector.Target) -> dict[str, Any]:
        """What the inspector shows about `target` now (the template's context)."""
        return await self._work(self._engine("inspect", target))

    async def export_yaml(self) -> str:
        """The room's cluster as YAML that `kubectl apply -f -` accepts."""
        return await self._work(self._engine("export_yaml"))

    async def watch(self, viewer: Viewer, target: inspector.Target | None, request_id=None):
        """Show `viewer` the inspector of `target` now, then again after each frame that
        changes it (None: stop)."""

        async def watch() -> None:
            texts = await self._engine("watch", viewer.viewer, target, request_id)
            if texts:
                await self.viewers.deliver(viewer, texts)

        await self._work(watch())

    # -- the worker and the frames -------------------------------------------------------

    async def _engine(self, method: str, *args: Any) -> Any:
        """Call the engine (under the room's lock); a dead worker drops the room."""
        self._check_open()
        self._touch()
        try:
            return await self.worker.call(method, *args)
        except WorkerGone:
            logger.error("room %s: its worker stopped", self.code)
            await self.break_down()
            raise RoomGone("this room's server stopped; reconnecting") from None

    async def _send(self, outcome: Outcome) -> None:
        """Everyone gets the frame; then each viewer the inspector the frame changed."""
        if outcome.frame is not None:
            self.ring.add(outcome.seq, outcome.frame)
            await self.viewers.broadcast(outcome.frame)
        if outcome.inspectors:
            await self.viewers.send_each(outcome.inspectors)

    def _check_open(self) -> None:
        if self.closed:
            raise RoomGone("this room was reloaded; reconnecting")


def _log_failure(task: asyncio.Task) -> None:
    """Retrieve a room task's outcome, so one nobody awaits any more fails quietly; a failure
    other than a learner's request the room refused is logged."""
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None and not isinstance(exc, ValueError | RoomGone):
        logger.error("room task failed", exc_info=exc)
