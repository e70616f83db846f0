"""Rewinding a room: its cluster back to how it was at an earlier point of its log.

The log is append-only, so going back is one more entry, `{"op": "rewind",
"to": N}`: from then on the cluster is as it was after the log's first N
entries. Replay (`log.effective_ops`) reads it the same way, so a restart
rebuilds exactly what the viewers saw. The live room replays its effective
log into a fresh cluster (with the streams that ran at that point and the hits
counted until then), then every viewer gets a snapshot of a new epoch (their
frames of the old cluster no longer apply), a frame naming who did it, and
their inspectors again.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from playground.rooms.log import read_ops, restore
from playground.rooms.parts import RoomParts
from playground.rooms.roles import Participant


class Rewinding(RoomParts):
    """`rewind`, a mixin of `LiveRoom` (playground/rooms/live.py)."""

    async def rewind(
        self, to: int, who: Participant | None = None, *, locked: bool = False, note: str = ""
    ) -> None:
        """Return the cluster to how it was after the log's first `to` entries, for everyone.
        `who`: the participant asking (None: the server, a lesson); `note`: the command
        it went back to, as the frame names it; `locked`: the caller holds the lock.

        Raises:
            Forbidden: `who` may not rewind the room.
            ValueError: `to` is beyond the log.
        """
        if not locked:
            async with self.lock:
                return await self.rewind(to, who, locked=True, note=note)
        self.check(who, "rewind")
        if not 0 <= to <= self.log.next_index:
            raise ValueError(
                _("This room's log has %(count)s entries, not %(to)s.")
                % {"count": self.log.next_index, "to": to}
            )
        await self.log.write([{"op": "rewind", "to": to}])
        ops = await read_ops(self.room_id)
        restored = await sync_to_async(restore, thread_sensitive=False)(
            self.seed, self.manifests, ops
        )
        self.replace(restored, len(ops))
        self.frames.note(who, "rewind", note)
        await self.broadcast(self.catch_up(None, ""))
        await self._emit()
        for viewer_id, target in list(self.watchers.targets.items()):
            viewer = self.local.get(viewer_id)
            if viewer is not None:
                await self.watch(viewer, target, locked=True)
        self._class_changed()
        await self._followers_changed(None, None)  # neither a command nor a tick
