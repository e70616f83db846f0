"""The live room: a room this process runs (owns): its worker, log, clock, class, and who
watches it.

Its engine (the cluster, frames, streams, inspectors, a lesson's tracker:
playground/rooms/engine.py) runs in a worker (playground/rooms/worker.py), so
the event loop only waits for it. Every piece of work runs under the room's
lock, as a task of the room's own: a viewer that disconnects mid-command
cancels nothing, so the log and the cluster never disagree. Viewers reach it
through their process's `RoomView` (playground/rooms/view.py), here or over
the bus, and change the room only through `run_command` (a command line,
logged before its frame goes out), the clock, the streams and a rewind, each
checked here, under the lock, against the role of the participant asking
(roles.py: the class, `classroom`, lives with the room's owner, so every
process's viewers meet the same floor); `snapshot`, `inspect`, `watch` and
`read` change nothing. Each frame goes to `publish`, which hands it to every
process's view.
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
from playground.rooms.classroom import Classroom
from playground.rooms.engine import Outcome, RoomSpec
from playground.rooms.errors import RoomGone
from playground.rooms.inspector import Target
from playground.rooms.leases import Lease
from playground.rooms.lesson_requests import LessonRequests
from playground.rooms.log import RoomLog
from playground.rooms.rewinding import Rewinding
from playground.rooms.roles import Participant, check
from playground.rooms.ticker import Ticker
from playground.rooms.worker import Worker, WorkerGone, WorkTooLarge

logger = logging.getLogger(__name__)

#: How often an open room's `Room.touched` is written (the retention policy's clock).
TOUCH_SECONDS = 3600.0
#: A remote view's viewers count this long after it last said so (it says so every second).
PRESENCE_TTL = 3.0
#: A viewer on its way this long ago is still joining: the room does not unload.
JOIN_SECONDS = 2.0

Publish = Callable[["LiveRoom", dict[str, Any]], Awaitable[None]]
#: Makes the worker that runs an engine built from a spec (registry.WORKERS).
MakeWorker = Callable[[RoomSpec], Worker]


async def touch(room_id: int) -> None:
    """Note that the room was used now (rooms untouched for long are purged)."""
    await Room.objects.filter(pk=room_id).aupdate(touched=timezone.now())


def group_name(code: str) -> str:
    """The channel-layer group of a room's consumers (codes are validated slugs)."""
    return f"room-{code}"


class LiveRoom(Rewinding, LessonRequests):
    """A room running in this process: its worker, log, clock, class and viewers' presence.

    Its returns to an earlier point are `Rewinding`'s (rewinding.py), its answers to a
    lesson's messages `LessonRequests`' (lessons.py).
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

    def expect_viewer(self) -> None:
        """A viewer is on its way (it opened the room): do not unload meanwhile."""
        self._joining_since = self.loop.time()

    def wanted(self) -> bool:
        """Whether someone watches the room or is on the way to (opened it a moment ago)."""
        return self.watched() or self.loop.time() - self._joining_since < JOIN_SECONDS

    def idle(self) -> bool:
        """Whether nobody wants the room and nothing is running in it."""
        return not self.wanted() and not self.lock.locked()

    # -- requests from views (here, or over the bus: plain arguments) -----------------

    async def snapshot(self) -> tuple[str, int, list[str]]:
        """`(epoch, seq, texts)`: the `snapshot` message at the last frame."""

        async def snapshot() -> tuple[str, int, list[str]]:
            seq, texts = await self._engine("snapshot")
            return self.epoch, seq, texts

        return await self._work(snapshot())

    async def run_command(
        self, line: str, stdin: str = "", by: str = "", who_id: str | None = None
    ) -> dict[str, Any]:
        """Run a command line for connection `by` (participant `who_id`; None: the server
        itself), log it, then send its frame to everyone. Returns the `result` message's
        fields for the viewer who ran it. Raises Forbidden: `who_id` may not change the room.
        """

        async def run() -> dict[str, Any]:
            who = self.participant(who_id)
            self.check(who, "command")
            outcome = await self._engine("command", line, stdin, by, _named(who))
            await self._logged(outcome.ops)
            await self._send(outcome)
            return outcome.reply

        return await self._work(run())

    async def start_stream(
        self, target: str, source: str, rate: float, who_id: str | None = None
    ) -> dict[str, Any]:
        """Start a request stream; its `{id, url, source, rate}`."""

        async def start() -> dict[str, Any]:
            who = self.participant(who_id)
            self.check(who, "traffic")
            outcome = await self._engine("start_stream", target, source, rate, _named(who))
            self.log.set_streams(outcome.streams)
            await self._logged(outcome.ops)
            await self._send(outcome)
            return outcome.reply

        return await self._work(start())

    async def stop_stream(self, stream_id: str | None, who_id: str | None = None) -> None:
        async def stop() -> None:
            who = self.participant(who_id)
            self.check(who, "traffic")
            outcome = await self._engine("stop_stream", stream_id, _named(who))
            self.log.set_streams(outcome.streams)
            await self._logged(outcome.ops)
            await self._send(outcome)

        await self._work(stop())

    async def set_clock(
        self, playing: bool | None, speed: float | None, who_id: str | None = None
    ) -> None:
        async def set_clock() -> None:
            who = self.participant(who_id)
            self.check(who, "clock")
            await self._logged([])  # the time so far, at its old pace
            outcome = await self._engine("set_clock", playing, speed, _named(who))
            await Room.objects.filter(pk=self.room_id).aupdate(**outcome.reply)
            await self._send(outcome)

        await self._work(set_clock())

    async def written(self) -> int:
        """Write what the log lacks now; the log's length (a fork copies that much)."""

        async def write() -> int:
            await self._logged()
            return self.log.next_index

        return await self._work(write())

    async def save(self) -> None:
        """Write what the log lacks now (the server is stopping)."""
        if not self.closed:
            await self.written()

    # -- the class: who is in it, the floor, the presenter's view --------------------------

    async def admit(self, participant_id: str | None, presenter: bool) -> list[Any]:
        """Who a new connection is (`participant_id`: its browser's, or None): the
        participant's `[id, role, number, name]`."""
        participant = self.classroom.admit(participant_id, presenter)
        self.expect_viewer()
        await self._push_class()
        return [participant.id, participant.role, participant.number, participant.name]

    async def depart(self, participant_id: str) -> None:
        participant = self.classroom.participants.get(participant_id)
        if participant is not None:
            self.classroom.depart(participant)
            await self._push_class()

    def participant(self, participant_id: str | None) -> Participant | None:
        """The participant of that id (None: the server itself, which may do anything).

        Raises:
            RoomGone: the id is not one this room admitted (its owner changed since).
        """
        if participant_id is None:
            return None
        participant = self.classroom.participants.get(participant_id)
        if participant is None:
            raise RoomGone(_("This room moved to another server; reconnecting."))
        return participant

    def check(self, who: Participant | None = None, action: str = "") -> None:
        """Raise RoomGone if the room closed, Forbidden if `who` may not do `action`."""
        if self.closed:
            raise RoomGone(_("this room was reloaded; reconnecting"))
        if who is not None and action:
            check(action, who, self.classroom.floor)

    async def set_floor(self, mode: str, number: int | None, who_id: str) -> None:
        self.check(self.participant(who_id), "floor")
        await self.classroom.set_floor(mode, number)
        await self._push_class()

    async def set_view(self, view: dict[str, Any] | None, who_id: str) -> None:
        """The presenter's view, for followers: it goes out with the next frame (one per
        tick at most, whatever the rate it arrives at), never into the log."""
        self.check(self.participant(who_id), "view")
        self.classroom.view = view
        self._view_due = True  # for the next tick: a pointer moves many times a tick

    async def raise_hand(self, who_id: str, raised: bool) -> None:
        who = self.participant(who_id)
        if who is not None:
            self.classroom.raise_hand(who, raised)

    async def rename(self, who_id: str, name: str) -> None:
        who = self.participant(who_id)
        if who is not None:
            self.classroom.rename(who, name)

    async def class_summary(self) -> dict[str, Any]:
        """The class as the presenter's class view shows it."""
        return self.classroom.summary()

    def _class_changed(self) -> None:
        """Something the class view shows changed: presenters hear of it."""
        self._class_news = True

    async def _push_class(self) -> None:
        """The floor as frames carry it, to the engine, when it changed (admitting the
        follower who holds it gives it its number)."""
        floor = self.classroom.floor_message()
        if floor != self.spec.floor and not self.closed:
            self.spec = dataclasses.replace(self.spec, floor=floor)
            with contextlib.suppress(RoomGone):
                await self._work(self._engine("set_class", floor))

    async def _tell_presenters(self) -> None:
        """Nudge presenters' class views (at most once a flush interval)."""
        if self._class_news:
            self._class_news = False
            await self._publish(self, {**self._message(self.seq, None), "presenters": True})

    async def watch(
        self, viewer: str, target: Any, request_id: Any = None, language: str = ""
    ) -> list[str]:
        """The inspector of `target` for `viewer` (in its `language`) now; then after each
        frame that changes it (in the frames' `inspectors`). None: stop."""
        language = language or settings.LANGUAGE_CODE
        work = self._engine("watch", viewer, _target(target), request_id, language)
        return await self._work(work)

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


def _named(who: Participant | None) -> dict[str, Any]:
    """How frames and the log name who made a change (never by id); {} for the server."""
    return who.who() if who is not None else {}


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
