"""The live room: a room's running cluster in this process, its viewers and what they do.

Threading: a live room belongs to the process's event loop. Every call that
touches its cluster runs on that loop, under the room's lock, so the ticker,
commands and reads never interleave. Viewers change the room only through
`run_command` (a command line, logged before its frame goes out), the clock
and the streams, and only when their role lets them (checked under the lock,
roles.py); `read`, `watch` and `watch_matrix` change nothing. The class (participants, the
floor, the presenter's view) is `classroom`; forks and rewinds are forks.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms import inspector
from playground.rooms.classroom import ClassLevers, Classroom
from playground.rooms.controls import ClockAndStreams
from playground.rooms.followers import Followed, Follower
from playground.rooms.frames import Frames
from playground.rooms.inspector import Inspecting
from playground.rooms.leases import Lease
from playground.rooms.log import Restored, RoomLog
from playground.rooms.matrix import MatrixViews, MatrixWatchers
from playground.rooms.parts import Viewer
from playground.rooms.results import result_fields
from playground.rooms.rewinding import Rewinding
from playground.rooms.roles import Participant, check
from playground.rooms.ticker import Streams, Ticker
from simulator import Cluster

logger = logging.getLogger(__name__)


class RoomGone(Exception):
    """The room does not exist, or another server process runs it."""


def group_name(code: str) -> str:
    """The channel-layer group of a room (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom(ClockAndStreams, Rewinding, ClassLevers, Inspecting, Followed, MatrixViews):
    """A room's running cluster in this process: clock, streams, frames and viewers.

    Its parts: clock and streams (`ClockAndStreams`, controls.py), rewinds (`Rewinding`),
    the class's levers (`ClassLevers`, classroom.py: the floor's news, the presenter's
    view), inspectors (`Inspecting`), followers' hooks (`Followed`), the matrix (`MatrixViews`).
    """

    def __init__(
        self,
        room: Room,
        restored: Restored,
        log_length: int,
        *,
        lease: Lease,
        drop: Callable[[LiveRoom, bool], Awaitable[None]],
        followers: Iterable[Follower] = (),
    ) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.seed, self.manifests = room.seed, room.manifests
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.tick_hz = settings.KUBEPLAY_TICK_HZ
        self.playing = room.playing
        self.speed = room.speed
        self.watchers = inspector.Watchers()
        self.matrix_watchers = MatrixWatchers()
        self.classroom = Classroom(room)
        self.classroom.on_change = self._class_changed
        self.replace(restored, log_length)
        #: The consumers of this process watching the room, by viewer id.
        self.local: dict[str, Viewer] = {}
        self.closed = False
        self.ticker: asyncio.Task | None = None
        self.unloader: asyncio.TimerHandle | None = None
        self.lease = lease
        self._drop = drop
        self._flushed = self.loop.time()
        self._class_news = False
        #: What watches this room's changes (a lesson), by the message type each answers.
        self.followers: dict[str, Follower] = {f.message_type: f for f in followers}
        self.idle()  # loaded for a page or a fork that nobody opens: leave memory in a while

    def replace(self, restored: Restored, log_length: int) -> None:
        """Run `restored` from now on (the room was loaded, or rewound to a point of its log):
        its cluster, streams and hit counters, frames of a new epoch; the class stays."""
        self.cluster = restored.cluster
        self.streams = Streams(restored.streams, restored.streams_made)
        self.log = RoomLog(self.room_id, log_length)
        self.log.set_streams(self.streams.specs())
        self.frames = Frames(self.cluster, self.code, self.tick_hz)
        self.frames.hits = restored.hits
        self.frames.floor = self.classroom.floor_message()
        self.frames.presenter_view = self.classroom.view
        self.watchers.forget_renders()  # a new epoch's frames count from 0 again

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
        texts = self.frames.snapshot(self.cluster.now, self.clock(), self.streams.to_dicts())
        return texts + [text for f in self.followers.values() for text in f.greeting()]

    # -- viewers -----------------------------------------------------------------------

    def admit(self, participant_id: str | None, presenter: bool) -> Participant:
        """Who a new connection is (`participant_id`: its browser's, or None)."""
        return self.classroom.admit(participant_id, presenter)

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
        if self.local.pop(viewer.viewer, None) is not None:
            participant = getattr(viewer, "participant", None)
            if participant is not None:
                self.classroom.depart(participant)
        self.watchers.forget(viewer.viewer)
        self.matrix_watchers.watch(viewer.viewer, None)
        self.idle()

    def idle(self) -> None:
        """With nobody watching, unload the room after `KUBEPLAY_IDLE_SECONDS`."""
        if not self.local and not self.closed and self.unloader is None:
            self.unloader = self.loop.call_later(
                settings.KUBEPLAY_IDLE_SECONDS, lambda: self.loop.create_task(self.unload())
            )

    async def unload(self) -> None:
        """Write what the log lacks, stop the clock and forget the room (the log keeps it)."""
        if self.closed:
            return
        async with self.lock:
            self.unloader = None
            if self.local or self.closed:
                return  # someone came back meanwhile
            self.closed = True
            with contextlib.suppress(Exception):
                await self.log.write()
        await self.stop()
        await self._drop(self, True)

    async def save(self) -> None:
        """Write what the log lacks now (the server is stopping)."""
        async with self.lock:
            if not self.closed:
                await self.log.write()

    async def stop(self) -> None:
        if self.ticker is not None and self.ticker is not asyncio.current_task():
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.ticker

    async def break_down(self) -> None:
        """The log and the cluster may disagree: drop the room; browsers reconnect and replay."""
        self.closed = True
        await self._drop(self, False)
        layer = get_channel_layer()
        if layer is not None:
            with contextlib.suppress(Exception):
                await layer.group_send(group_name(self.code), {"type": "room.closed"})

    # -- the clock ---------------------------------------------------------------------

    async def _tick(self) -> bool:
        """One tick of the ticker; False stops it (nobody watches, or the room closed)."""
        if self.closed or not self.local:
            return False
        try:
            async with self.lock:
                if self.closed:
                    return False
                self.frames.begin()
                traces = self._advance()
                await self._emit()
                await self._followers_changed(None, traces)
                if self.loop.time() - self._flushed >= settings.KUBEPLAY_FLUSH_SECONDS:
                    self._flushed = self.loop.time()
                    await self.log.write()
                    await self._tell_presenters()
            if not await self.lease.keep(self.loop.time()):
                raise RoomGone(_("another server took this room over"))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("room %s stopped ticking", self.code)
            await self.break_down()
            return False
        return True

    # -- commands: the one way a viewer changes the cluster ----------------------------

    async def run_command(
        self, line: str, stdin: str = "", by: str = "", who: Participant | None = None
    ) -> dict[str, Any]:
        """Run a command line for connection `by` (participant `who`; None: the server
        itself), log it, then send its frame to everyone. Returns the `result` message's
        fields for the viewer who ran it. Raises Forbidden: `who` may not change the room."""
        async with self.lock:
            # A follower of the room (a lesson's solution) runs commands for a connection.
            who = who or getattr(self.local.get(by), "participant", None)
            self.check(who, "command")
            self.frames.begin()
            named, at = (who.who() if who is not None else {}), self.cluster.now
            result = self.cluster.run(line, stdin=stdin)
            op = {"op": "run", "line": line, **({"stdin": stdin} if stdin else {})}
            await self._logged([{**op, "by": named, "at": at}])
            self.frames.add_command(by, named, line, result)
            await self._emit()
            await self._followers_changed((line, result), result.traces)
        return result_fields(line, result, stdin)

    async def broadcast(self, texts: list[str]) -> None:
        """Send texts to every viewer of the room in this process."""
        for viewer in list(self.local.values()):
            await self._deliver(viewer, texts)

    async def _logged(self, ops: Sequence[dict[str, Any]] = ()) -> None:
        try:
            await self.log.write(ops)
        except Exception:
            logger.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone(_("the server could not save this change; reconnecting")) from None

    # -- reads -------------------------------------------------------------------------

    async def read(self, fn: Callable[[Cluster], Any]) -> Any:
        """Run `fn(cluster)` under the room's lock, for reads that the log does not record
        (they must change nothing: the facade's reads do not)."""
        async with self.lock:
            self.check()
            return fn(self.cluster)

    # -- frames ------------------------------------------------------------------------

    async def _emit(self) -> None:
        """Send everyone the frame with everything since the last one, if there is any;
        then the inspectors that frame (or an earlier one, held back) changed."""
        frame = self.frames.next_frame(
            self.cluster, self.clock(), self.streams.to_dicts(), self.playing
        )
        # Encoded once, written straight to each viewer's socket: a room's viewers are
        # all in the process that owns it (docs/architecture.md, "Frames").
        if frame is not None:
            for viewer in list(self.local.values()):
                await self._deliver(viewer, frame.texts)
        message, seq, now = frame and frame.message, self.frames.seq, self.loop.time()
        await self.refresh_matrix(message, seq, now)
        for viewer_id, texts in self.watchers.refresh(message, seq, self._inspector_html, now):
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

    def check(self, who: Participant | None = None, action: str = "") -> None:
        """Raise RoomGone if the room closed, Forbidden if `who` may not do `action`."""
        if self.closed:
            raise RoomGone(_("this room was reloaded; reconnecting"))
        if who is not None and action:
            check(action, who, self.classroom.floor)
