"""A room as this process's viewers see it, whichever process runs it.

A `RoomView` holds the room's viewers connected here and the last frames
(for resync), fans each frame out to them, and passes what they ask to the
room's owner: the `LiveRoom` of this process (`LocalOwner`), or the process
that runs it, over the bus (`RemoteOwner`, playground/rooms/bus.py). So any
process serves any room's viewers, and a command from a viewer on another
process is acknowledged after the owner logged it, as a local one is.

Each viewer is a participant of the room's class (roles.py), admitted by the
owner, which checks their rights on every request (asking.py passes them on).

When the owner falls silent (no frame and no heartbeat for `OWNER_SILENCE`
seconds), the view asks the registry for the room's owner again: once the
dead owner's lease has run out, a process takes the room over by replaying
its log, the view admits its viewers to the new owner's class, and sends
them a snapshot of the new epoch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from django.utils.translation import gettext as _

from playground import protocol
from playground.rooms.asking import OwnerRequests
from playground.rooms.bus import RequestFailed, bus
from playground.rooms.errors import RoomGone
from playground.rooms.fanout import FrameRing, LocalViewers, Viewer
from playground.rooms.owners import Owner, RemoteOwner
from playground.rooms.roles import PRESENTER, Participant

logger = logging.getLogger(__name__)

#: An owner this long silent (no frame, no heartbeat) is taken for dead (seconds).
OWNER_SILENCE = 2.0
#: How long a joining viewer waits for a silent owner's room to be taken over (seconds):
#: the owner's silence, its lease, and the replay.
TAKEOVER_WAIT = 8.0
#: How often a view reminds a remote owner of its viewers (they expire after three).
PRESENCE_SECONDS = 1.0
#: What a presenter's class view is nudged with when the class changed.
CLASS_NEWS = protocol.encode({"type": "class"})


class RoomView(OwnerRequests):
    """This process's viewers of one room, the frames they were sent, and the way to its owner."""

    def __init__(
        self,
        code: str,
        owner: Owner,
        *,
        find_owner: Callable[[RoomView], Awaitable[Owner]],
        lease_holder: Callable[[str], Awaitable[str | None]],
        on_empty: Callable[[RoomView], None],
        on_joined: Callable[[RoomView], Awaitable[bool]],
    ) -> None:
        self.code = code
        self.loop = asyncio.get_running_loop()
        self._take(owner)
        self.viewers = LocalViewers(code, on_lost=self.leave)
        self.ring = FrameRing()
        #: The seq of the snapshot each viewer joined with: older frames are not for it.
        self._from: dict[str, int] = {}
        #: How each viewer was admitted: `(participant id, presenter, number)`.
        self._admitted: dict[str, tuple[str, bool, int]] = {}
        self.heard = self.loop.time()
        self._find_owner = find_owner
        self._lease_holder = lease_holder
        self._on_empty = on_empty
        self._on_joined = on_joined
        self._watchdog: asyncio.Task | None = None
        #: One search for a new owner at a time, however many requests failed together.
        self._replacing = asyncio.Lock()
        self._replacer: asyncio.Task | None = None
        self._snapshotting: asyncio.Future | None = None
        self._gave_up_at = 0.0
        #: This process's bus address (for a remote owner's presence list).
        self.address = ""

    @property
    def key(self) -> str:
        """How this view names itself to the owner: "local", or this process's address."""
        return self.address if self.owner.remote else "local"

    # -- viewers -----------------------------------------------------------------------

    async def join(self, viewer: Viewer, seq: int | None = None, epoch: str = "") -> None:
        """Bring `viewer` up to date (the frames it missed after frame `seq` of `epoch`, or a
        snapshot), then send it every frame."""
        if not await self._bring_up_to_date(viewer, seq, epoch):
            return  # it left already
        self.viewers.add(viewer)
        if not await self._on_joined(self):
            # This view's last viewer left while this one arrived, the view was dropped,
            # and a newer one serves the room: frames go there, so reconnect to it.
            self.viewers.remove(viewer.viewer)
            self._from.pop(viewer.viewer, None)
            raise RoomGone(_("This room's view moved; reconnecting."))
        if len(self.viewers) == 1:
            await self._tell_presence()
            if self.owner.remote and (self._watchdog is None or self._watchdog.done()):
                self._watchdog = self.loop.create_task(self._watch_owner())

    async def resync(self, viewer: Viewer, seq: int, epoch: str) -> None:
        await self._bring_up_to_date(viewer, seq, epoch)

    async def _bring_up_to_date(self, viewer: Viewer, seq: int | None, epoch: str) -> bool:
        missed = self.ring.missed(seq, epoch)
        if missed is None:
            epoch, seq, missed = await self._snapshot()
            if epoch != self.ring.epoch or seq > self.ring.seq:
                self.ring.restart(epoch, seq)  # the frames this view had are older
            self._from[viewer.viewer] = seq
            missed = [*missed, *(self.ring.missed(seq, epoch) or [])]
        return await self.viewers.deliver(viewer, missed)

    async def _snapshot(self) -> tuple[str, int, list[str]]:
        """The room's snapshot: one request for every viewer that joins meanwhile (a class
        arriving at once), since each also gets the frames that follow it from the ring."""
        if self._snapshotting is None or self._snapshotting.done():
            self._snapshotting = asyncio.ensure_future(self._ask("snapshot"))
        return await asyncio.shield(self._snapshotting)

    async def admit(
        self, viewer: Viewer, participant_id: str | None, presenter: bool, number: int = 0
    ) -> Participant:
        """Admit `viewer` to the class (`number`: the room's previous owner's): who it is."""
        participant = Participant(*await self._ask("admit", participant_id, presenter, number))
        self._admitted[viewer.viewer] = (participant.id, presenter, participant.number)
        return participant

    async def _ask(self, method: str, *args: Any) -> Any:
        """Ask the owner (one that is slow but alive is waited for: `RemoteOwner.alive`); a
        dead one: wait for the room's next owner, once, and ask it."""
        asked = self.owner
        try:
            return await asked.call(method, *args)
        except RequestFailed:
            if self.owner is asked and not await self._replace_owner(wait=TAKEOVER_WAIT):
                raise
            return await self.owner.call(method, *args)

    async def _owner_alive(self) -> bool:
        """Whether the remote owner still runs the room: it spoke lately, or it keeps
        renewing its lease (a busy owner renews it apart from its rooms' work)."""
        if self.loop.time() - self._last_word() <= OWNER_SILENCE:
            return True
        try:
            return await self._lease_holder(self.code) == self.owner.address
        except Exception:  # noqa: BLE001 - the database is busy or gone: not proof of life
            return False

    def _take(self, owner: Owner) -> None:
        """Ask `owner` from now on (a remote one is waited for while it is alive)."""
        self.owner = owner
        if isinstance(owner, RemoteOwner):
            owner.alive = self._owner_alive

    def _last_word(self) -> float:
        """When the owner last spoke to this process (a frame, a beat, an answer)."""
        return max(self.heard, bus().last_answer(self.owner.address))

    def leave(self, viewer: Viewer) -> None:
        admitted = self._admitted.pop(viewer.viewer, None)
        if admitted is not None:
            self._spawn(self.owner.call("depart", admitted[0]))
        if self.viewers.remove(viewer.viewer) is None:
            return
        self._from.pop(viewer.viewer, None)
        self._spawn(self.owner.call("forget", viewer.viewer))
        if not len(self.viewers):
            self._spawn(self._tell_presence())
            self._on_empty(self)

    async def save(self) -> None:
        """Write what the room's log lacks (this server is stopping)."""
        if not self.owner.remote:
            await self.owner.call("save")

    # -- from the owner -----------------------------------------------------------------

    async def receive(self, message: dict[str, Any]) -> None:
        """A `room.frame` from the room's owner: `epoch`, `seq`, `frame` (its texts, or None),
        `inspectors` (`[viewer, texts]` pairs the frame changed); and maybe `rebase` (a new
        engine's snapshot, for everyone), `broadcast` (texts for everyone), `presenters`
        (the class changed: presenters' class views are nudged)."""
        epoch, seq, frame = message["epoch"], message["seq"], message["frame"]
        inspectors = message["inspectors"]
        self.heard = self.loop.time()
        if "rebase" in message:
            self.ring.restart(epoch, seq)
            for viewer in list(self.viewers.by_id.values()):
                self._from[viewer.viewer] = seq
                await self.viewers.deliver(viewer, message["rebase"])
        if frame is not None:
            if epoch != self.ring.epoch:
                self.ring.restart(epoch, seq - 1)
            self.ring.add(seq, frame)
            for viewer in list(self.viewers.by_id.values()):
                if self._from.get(viewer.viewer, -1) < seq:
                    await self.viewers.deliver(viewer, frame)
        if inspectors:
            await self.viewers.send_each(inspectors)
        if message.get("broadcast"):
            await self.viewers.broadcast(message["broadcast"])
        if message.get("presenters"):
            for viewer in list(self.viewers.by_id.values()):
                if getattr(getattr(viewer, "participant", None), "role", "") == PRESENTER:
                    await self.viewers.deliver(viewer, [CLASS_NEWS])

    def beat(self) -> None:
        """The owner is alive (it sends this every second while it has remote viewers)."""
        self.heard = self.loop.time()

    async def _tell_presence(self) -> None:
        try:
            await self.owner.call("presence", self.key, len(self.viewers))
        except Exception:  # noqa: BLE001 - the owner moved or died: the watchdog finds out
            logger.info("room %s: could not tell the owner about viewers", self.code, exc_info=True)

    async def _watch_owner(self) -> None:
        """While this view has viewers: remind the remote owner of them, and find a new owner
        when it falls silent (then every viewer gets the new owner's snapshot)."""
        reminded = self.loop.time()
        while len(self.viewers) and self.owner.remote:
            await asyncio.sleep(0.25)
            now = self.loop.time()
            # Reminded even while the owner seems silent: an owner that was only slow (a
            # class arriving at once) forgets viewers it is not reminded of, and then
            # neither publishes nor beats for them again.
            if now - reminded >= PRESENCE_SECONDS:
                reminded = now
                self._spawn(self._tell_presence())
            if now - self._last_word() > OWNER_SILENCE:
                await self._replace_owner()

    async def _replace_owner(self, wait: float = 0.0) -> bool:
        """Find the room's owner after this one fell silent, trying for `wait` seconds
        (while the silent owner's lease runs, nobody may take over: it may only be slow)."""
        silent, asked = self.owner, self.loop.time()
        if self._replacer is asyncio.current_task():
            return False  # the new owner failed while its viewers were being moved to it
        async with self._replacing:
            if self.owner is not silent:
                return True  # found meanwhile, for another request that failed
            if self._gave_up_at > asked:
                return False  # a search that began after this one's request found nobody
            self._replacer = asyncio.current_task()
            try:
                found = await self._replace(silent, wait)
            finally:
                self._replacer = None
            if not found:
                self._gave_up_at = self.loop.time()
            return found

    async def _replace(self, silent: Owner, wait: float) -> bool:
        deadline = self.loop.time() + wait
        while True:
            try:
                owner = await self._find_owner(self)
                break
            except RoomGone:  # not free yet (the old lease runs), or the room is gone
                if self.loop.time() >= deadline:
                    return False
                await asyncio.sleep(0.25)
        if silent.remote and owner.address != silent.address:
            bus().give_up(silent.address)  # its answers will not come: say so now
        await self._follow(owner)
        return True

    async def _follow(self, owner: Owner) -> None:
        """Viewers here follow the room's new `owner`: admitted to its class, resynced."""
        self._take(owner)
        self.heard = self.loop.time()
        where = owner.address or "this process"
        logger.info("room %s: viewers here now follow %s", self.code, where)
        await self._tell_presence()
        for viewer in list(self.viewers.by_id.values()):
            admitted = self._admitted.get(viewer.viewer)
            if admitted is not None:  # the new owner's class knows nobody yet
                participant = await self.admit(viewer, *admitted)
                if hasattr(viewer, "participant"):
                    viewer.participant = participant
            await self._bring_up_to_date(viewer, None, "")

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        task.add_done_callback(_quiet)


def _quiet(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.info("room view: a request failed", exc_info=task.exception())
