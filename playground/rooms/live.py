"""The live room: a room this process runs (owns): its worker, log, clock, and who watches it.

Its engine (the cluster, frames, streams, inspectors: playground/rooms/engine.py)
runs in a worker (playground/rooms/worker.py), so the event loop only waits
for it. Every piece of work runs under the room's lock, as a task of the room's
own: a viewer that disconnects mid-command cancels nothing, so the log and the
cluster never disagree. Viewers reach it through their process's `RoomView`
(playground/rooms/view.py), here or over the bus, and change the room only
through `run_command` (a command line, logged before its frame goes out), the
clock and the streams; `snapshot`, `inspect`, `watch` and `read` change nothing.
Each frame goes to `publish`, which hands it to every process's view.
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
from playground.rooms.engine import Outcome
from playground.rooms.errors import RoomGone
from playground.rooms.inspector import Target
from playground.rooms.leases import Lease
from playground.rooms.log import RoomLog
from playground.rooms.ticker import Ticker
from playground.rooms.worker import Worker, WorkerGone, WorkTooLarge

logger = logging.getLogger(__name__)

#: How often an open room's `Room.touched` is written (the retention policy's clock).
TOUCH_SECONDS = 3600.0
#: A remote view's viewers count this long after it last said so (it says so every second).
PRESENCE_TTL = 3.0

Publish = Callable[["LiveRoom", dict[str, Any]], Awaitable[None]]


async def touch(room_id: int) -> None:
    """Note that the room was used now (rooms untouched for long are purged)."""
    await Room.objects.filter(pk=room_id).aupdate(touched=timezone.now())


def group_name(code: str) -> str:
    """The channel-layer group of a room's consumers (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom:
    """A room running in this process: its worker, log, clock and viewers' presence."""

    def __init__(
        self,
        room: Room,
        worker: Worker,
        log_length: int,
        head: tuple[str, int],
        *,
        lease: Lease,
        drop: Callable[[LiveRoom, bool], Awaitable[None]],
        publish: Publish,
    ) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.worker = worker
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.tick_hz = settings.KUBEPLAY_TICK_HZ
        self.log = RoomLog(room.pk, log_length)
        self.epoch, self.seq = head
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

    # -- who watches -------------------------------------------------------------------

    async def presence(self, view: str, count: int) -> None:
        """`count` viewers watch through `view` ("local", or another process's address)."""
        expires = float("inf") if view == "local" else self.loop.time() + PRESENCE_TTL
        if count:
            self.watching[view] = (count, expires)
        else:
            self.watching.pop(view, None)
        self.last_used = self.loop.time()
        if self.watched() and not self.closed and (self.ticker is None or self.ticker.done()):
            self.ticker = self.loop.create_task(
                Ticker(self.tick_hz).run(self._tick), name=f"ticker-{self.code}"
            )

    def viewers(self, *, remote: bool = False) -> int:
        """How many viewers watch (only those of other processes with `remote`)."""
        now = self.loop.time()
        return sum(
            count
            for view, (count, expires) in self.watching.items()
            if expires > now and (view != "local" or not remote)
        )

    def watched(self) -> bool:
        return self.viewers() > 0

    def idle(self) -> bool:
        """Whether nobody watches the room and nothing is running in it."""
        return not self.watched() and not self.lock.locked()

    # -- requests from views (here, or over the bus: plain arguments) -----------------

    async def snapshot(self) -> tuple[str, int, list[str]]:
        """`(epoch, seq, texts)`: the `snapshot` message at the last frame."""

        async def snapshot() -> tuple[str, int, list[str]]:
            seq, texts = await self._engine("snapshot")
            return self.epoch, seq, texts

        return await self._work(snapshot())

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

    async def watch(self, viewer: str, target: Any, request_id: Any = None) -> list[str]:
        """The inspector of `target` for `viewer` now; then after each frame that changes it
        (in the frames' `inspectors`). None: stop."""
        return await self._work(self._engine("watch", viewer, _target(target), request_id))

    async def forget(self, viewer: str) -> None:
        """`viewer` left: its inspector is no longer refreshed."""
        await self._work(self._engine("forget", viewer))

    async def inspect(self, target: Any) -> dict[str, Any]:
        """What the inspector shows about `target` now (the template's context)."""
        return await self._work(self._engine("inspect", _target(target)))

    async def export_yaml(self) -> str:
        """The room's cluster as YAML that `kubectl apply -f -` accepts."""
        return await self._work(self._engine("export_yaml"))

    async def read(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(cluster)` in the room's worker, for reads the log does not record (they must
        change nothing). With a worker process, `fn` must be a module-level function."""
        return await self._work(self._engine("read", fn))

    async def viewers_topology(self) -> dict[str, Any]:
        """The topology as every viewer has it (kept by frames alone)."""
        return await self._work(self._engine("viewers_topology"))

    # -- the clock ---------------------------------------------------------------------

    async def _tick(self) -> bool:
        """One tick of the ticker; False stops it (nobody watches, or the room closed)."""
        if self.closed or not self.watched():
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
            if self.watched() or self.closed:
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
        with contextlib.suppress(Exception):
            await get_channel_layer().group_send(group_name(self.code), {"type": "room.closed"})

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
            raise RoomGone("this room was reloaded; reconnecting")
        self.last_used = self.loop.time()
        try:
            return await self.worker.call(method, *args)
        except WorkTooLarge as exc:
            logger.warning("room %s: %s; reloading it", self.code, exc)
            await self.break_down()
            raise RoomGone(f"{exc}: the room was reloaded without it.") from None
        except WorkerGone:
            logger.error("room %s: its worker stopped", self.code)
            await self.break_down()
            raise RoomGone("this room's server stopped; reconnecting") from None

    async def _logged(self, ops: list[dict[str, Any]]) -> None:
        try:
            await self.log.write(ops)
        except Exception:
            logger.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone("the server could not save this change; reconnecting") from None

    async def _send(self, outcome: Outcome) -> None:
        """Hand the frame (and the inspectors it changed) to every view of the room."""
        if outcome.frame is None and not outcome.inspectors:
            return
        if outcome.frame is not None:
            self.seq = outcome.seq
        message = {
            "type": "room.frame",
            "code": self.code,
            "epoch": self.epoch,
            "seq": outcome.seq,
            "frame": outcome.frame,
            "inspectors": outcome.inspectors,
        }
        await self._publish(self, message)


def _target(fields: Any) -> Target | None:
    """A Target from its fields as they travel (a list), or as it is."""
    if fields is None or isinstance(fields, Target):
        return fields
    return Target(*fields)


def _log_failure(task: asyncio.Task) -> None:
    """Retrieve a room task's outcome, so one nobody awaits any more fails quietly; a failure
    other than a learner's request the room refused is logged."""
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None and not isinstance(exc, ValueError | RoomGone):
        logger.error("room task failed", exc_info=exc)
