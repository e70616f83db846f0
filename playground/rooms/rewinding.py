"""Rewinding a room: its cluster back to how it was at an earlier point of its log.

The log is append-only, so going back is one more entry, `{"op": "rewind",
"to": N}`: from then on the cluster is as it was after the log's first N
entries. Replay (`log.effective_ops`) reads it the same way, so a restart
rebuilds exactly what the viewers saw. The live room replays its effective
log into a fresh cluster, then every viewer gets a snapshot of a new epoch
(their frames of the old cluster no longer apply) and their inspectors again.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from playground.rooms.frames import Frames
from playground.rooms.log import read_ops, replay
from playground.rooms.parts import RoomParts


class Rewinding(RoomParts):
    """`rewind`, a mixin of `LiveRoom` (playground/rooms/live.py)."""

    async def rewind(self, to: int) -> None:
        """Return the cluster to how it was after the log's first `to` entries, for everyone.

        Raises:
            ValueError: `to` is beyond the log.
        """
        async with self.lock:
            self._check_open()
            if not 0 <= to <= self.log.next_index:
                raise ValueError(
                    _("This room's log has %(count)s entries, not %(to)s.")
                    % {"count": self.log.next_index, "to": to}
                )
            await self.log.write([{"op": "rewind", "to": to}])
            ops = await read_ops(self.room_id)
            cluster = await sync_to_async(replay, thread_sensitive=False)(
                self.seed, self.manifests, ops
            )
            self.cluster = cluster
            self.frames = Frames(cluster, self.code, self.tick_hz)
            await self.broadcast(
                self.frames.snapshot(cluster.now, self.clock(), self.streams.to_dicts())
            )
            for viewer_id, target in list(self.watchers.targets.items()):
                viewer = self.local.get(viewer_id)
                if viewer is not None:
                    await self.watch(viewer, target, locked=True)
            await self._followers_changed(None, None)  # neither a command nor a tick
