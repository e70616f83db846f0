"""The live room: a room's running cluster in this process, its viewers and what they do.

Threading: a live room belongs to the process's event loop. Every call that
touches its cluster runs on that loop, under the room's lock, so the ticker,
commands and reads never interleave. Viewers change the room only through
`run_command` (a command line, logged before its frame goes out), the clock
and the streams; `read`, `watch` and `watch_matrix` change nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from channels.layers import get_channel_layer
from django.conf import settings

from playground.models import Room
from playground.rooms import inspector
from playground.rooms.frames import Frames, result_fields
from playground.rooms.leases import Lease
from playground.rooms.log import RoomLog
from playground.rooms.matrix import MatrixWatchers
from playground.rooms.ticker import Stream, Streams, Ticker
from simulator import Cluster

logger = logging.getLogger(__name__)


class Viewer(Protocol):
    """What a live room needs from a connection: an id and a way to send it a text."""

    viewer: str

    async def forward(self, text: str) -> None: ...


class RoomGone(Exception):
    """The room does not exist, or another server process runs it."""


def group_name(code: str) -> str:
    """The channel-layer group of a room (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom:
    """A room's running cluster in this process: clock, streams, frames and viewers."""

    def __init__(
        self,
        room: Room,
        cluster: Cluster,
        log_length: int,
        *,
        lease: Lease,
        drop: Callable[[LiveRoom, bool], Awaitable[None]],
    ) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.cluster = cluster
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.tick_hz = settings.KUBEPLAY_TICK_HZ
        self.playing = room.playing
        self.speed = room.speed
        self.log = RoomLog(room.pk, log_length)
        self.streams = Streams()
        self.frames = Frames(cluster, room.code, self.tick_hz)
        self.watchers = inspector.Watchers()
        self.matrix_watchers = MatrixWatchers()
        #: The consumers of this process watching the room, by viewer id.
        self.local: dict[str, Viewer] = {}
        self.closed = False
        self.ticker: asyncio.Task | None = None
        self.unloader: asyncio.TimerHandle | None = None
        self.lease = lease
        self._drop = drop
        self._flushed = self.loop.time()

    @property
    def epoch(self) -> str:
        return self.frames.epoch

    def clock(self) -> dict[str, Any]:
        return {"playing": self.playing, "speed": self.speed, "time": self.cluster.now}

    def catch_up(self, seq: int | None, epoch: str) -> list[str]:
        """Messages that bring a browser that saw frame `seq` of `epoch` up to date."""
        missed = self.frames.missed(seq, epoch)
        if missed is not None:
            return missed
        return self.frames.snapshot(self.cluster.now, self.clock(), self.streams.to_dicts())

    # -- viewers -----------------------------------------------------------------------

    def join(self, viewer: Viewer) -> None:
        """Start sending this room's frames to `viewer` (a consumer in this process)."""
        self.local[viewer.viewer] = viewer
        if self.unloader is not None:
            self.unloader.cancel()
            self.unloader = None
        if self.ticker is None or self.ticker.done():
            self.ticker = self.loop.create_task(
                Ticker(self.tick_hz).run(self._tick), name=f"ticker-{self.code}"
            )

    def leave(self, viewer: Viewer) -> None:
        self.local.pop(viewer.viewer, None)
        self.watchers.forget(viewer.viewer)
        self.matrix_watchers.watch(viewer.viewer, None)
        if not self.local and not self.closed:
            self.unloader = self.loop.call_later(
                settings.KUBEPLAY_IDLE_SECONDS, lambda: self.loop.create_task(self.unload())
            )

    async def unload(self) -> None:
        """Write what the log lacks, stop the clock and forget the room (the log keeps it)."""
        if self.closed:
            return
        async with self.lock:
            if self.local or self.closed:
                return  # someone came back meanwhile
            self.closed = True
            with contextlib.suppress(Exception):
                await self.log.write()
        await self.stop()
        await self._drop(self, True)

    async def stop(self) -> None:
        if self.ticker is not None and self.ticker is not asyncio.current_task():
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.ticker

    async def break_down(self) -> None:
        """The log and the cluster may disagree: drop the room; browsers reconnect and replay."""
        self.closed = True
        await self._drop(self, False)
        with contextlib.suppress(Exception):
            await get_channel_layer().group_send(group_name(self.code), {"type": "room.closed"})

    # -- the clock and the streams -----------------------------------------------------

    async def _tick(self) -> bool:
        """One tick of the ticker; False stops it (nobody watches, or the room closed)."""
        if self.closed or not self.local:
            return False
        try:
            async with self.lock:
                if self.closed:
                    return False
                self.frames.begin()
                self._advance()
                await self._emit()
                if self.loop.time() - self._flushed >= settings.KUBEPLAY_FLUSH_SECONDS:
                    self._flushed = self.loop.time()
                    await self.log.write()
            if not await self.lease.keep(self.loop.time()):
                raise RoomGone("another server took this room over")
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("room %s stopped ticking", self.code)
            await self.break_down()
            return False
        return True

    def _advance(self) -> None:
        """Move the clock one tick (when it plays) and send each stream's requests."""
        step = self.speed / self.tick_hz if self.playing else 0.0
        if step:
            self.cluster.advance(step)
        counts, traces, failed = self.streams.send(self.cluster, self.tick_hz)
        self.frames.add_traces(traces)
        self.log.add_ticks(step, counts)
        if failed:
            self._streams_changed()

    def _streams_changed(self) -> None:
        self.log.set_streams(self.streams.specs())
        self.frames.streams_changed = True

    async def start_stream(self, target: str, source: str, rate: float) -> Stream:
        async with self.lock:
            self._check_open()
            stream = self.streams.start(target, source, rate)
            self._streams_changed()
            await self._emit()
            return stream

    async def stop_stream(self, stream_id: str | None) -> None:
        async with self.lock:
            self._check_open()
            self.streams.stop(stream_id)
            self._streams_changed()
            await self._emit()

    async def set_clock(self, playing: bool | None, speed: float | None) -> None:
        async with self.lock:
            self._check_open()
            if playing is not None:
                self.playing = playing
            if speed is not None:
                self.speed = speed
            self.frames.clock_changed = True
            await Room.objects.filter(pk=self.room_id).aupdate(
                playing=self.playing, speed=self.speed
            )
            await self._emit()

    # -- commands: the one way a viewer changes the cluster ----------------------------

    async def run_command(self, line: str, stdin: str = "", by: str = "") -> dict[str, Any]:
        """Run a command line for viewer `by`, log it, then send its frame to everyone.

        Returns the `result` message's fields for the viewer who ran it.
        """
        async with self.lock:
            self._check_open()
            self.frames.begin()
            result = self.cluster.run(line, stdin=stdin)
            op: dict[str, Any] = {"op": "run", "line": line}
            if stdin:
                op["stdin"] = stdin
            await self._logged(op)
            self.frames.add_command(by, line, result)
            await self._emit()
        return result_fields(line, result, stdin)

    async def _logged(self, op: dict[str, Any]) -> None:
        try:
            await self.log.write([op])
        except Exception:
            logger.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone("the server could not save this change; reconnecting") from None

    # -- reads -------------------------------------------------------------------------

    async def read(self, fn: Callable[[Cluster], Any]) -> Any:
        """Run `fn(cluster)` under the room's lock, for reads that the log does not record
        (they must change nothing: the facade's reads do not)."""
        async with self.lock:
            self._check_open()
            return fn(self.cluster)

    async def inspect(self, target: inspector.Target) -> dict[str, Any]:
        """What the inspector shows about `target` now (the template's context)."""
        return await self.read(lambda cluster: inspector.inspect(cluster, target))

    async def watch(self, viewer: Viewer, target: inspector.Target | None, request_id=None):
        """Show `viewer` the inspector of `target` now, then again after each frame that
        changes it (None: stop)."""
        async with self.lock:
            self._check_open()
            self.watchers.watch(viewer.viewer, target)
            if target is not None:
                html = self.watchers.render(target, self._inspector_html, self.loop.time())
                seq = self.frames.seq
                texts = self.watchers.message(viewer.viewer, target, html, seq, request_id)
                await self._deliver(viewer, texts)

    async def watch_matrix(self, viewer: Viewer, view: str | None, request_id=None) -> None:
        """Send `viewer` the reachability matrix now, then again after each frame that may
        change it (None: stop)."""
        async with self.lock:
            self._check_open()
            self.matrix_watchers.watch(viewer.viewer, view)
            if view is not None:
                data = self.matrix_watchers.compute(self.cluster, view, self.loop.time())
                seq = self.frames.seq
                texts = self.matrix_watchers.message(viewer.viewer, view, data, seq, request_id)
                await self._deliver(viewer, texts)

    def _inspector_html(self, target: inspector.Target) -> str:
        return inspector.render(inspector.inspect(self.cluster, target))

    # -- frames ------------------------------------------------------------------------

    async def _emit(self) -> None:
        """Send everyone the frame with everything since the last one, if there is any;
        then the inspectors that frame (or an earlier one, held back) changed."""
        frame = self.frames.next_frame(
            self.cluster, self.clock(), self.streams.to_dicts(), self.playing
        )
        # Encoded once, written straight to each viewer's socket: a room's viewers are
        # all in the process that owns it (docs/architecture.md, "Frames").
        for viewer in list(self.local.values()) if frame is not None else ():
            await self._deliver(viewer, frame.texts)
        message, seq, now = frame and frame.message, self.frames.seq, self.loop.time()
        for viewer_id, texts in self.watchers.refresh(message, seq, self._inspector_html, now):
            if viewer_id in self.local:
                await self._deliver(self.local[viewer_id], texts)
        for viewer_id, texts in self.matrix_watchers.refresh(message, seq, self.cluster, now):
            if viewer_id in self.local:
                await self._deliver(self.local[viewer_id], texts)

    async def _deliver(self, viewer: Viewer, texts: list[str]) -> None:
        """Send texts to one viewer. A socket that closed since (its disconnect is on the
        way) loses the viewer, never the room for everyone else."""
        try:
            for text in texts:
                await viewer.forward(text)
        except Exception:  # noqa: BLE001 - whatever one connection raises
            logger.info("room %s: viewer %s is gone", self.code, viewer.viewer, exc_info=True)
            self.leave(viewer)

    def _check_open(self) -> None:
        if self.closed:
            raise RoomGone("this room was reloaded; reconnecting")
