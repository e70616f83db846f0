"""Rewinding a room: its cluster back to how it was at an earlier point of its log.

The log is append-only, so going back is one more entry, `{"op": "rewind",
"to": N}`: from then on the cluster is as it was after the log's first N
entries. Replay (`log.effective_ops`) reads it the same way, so a restart
rebuilds exactly what the viewers saw. The live room replays its effective
log into a fresh cluster, then every viewer gets a snapshot of a new epoch
(their frames of the old cluster no longer apply) and their inspectors again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from playground.rooms.frames import Frames
from playground.rooms.log import read_ops, replay

if TYPE_CHECKING:
    from playground.rooms.live import LiveRoom


async def rewind(live: LiveRoom, to: int) -> None:
    """Rewind `live` to the point after its log's first `to` entries (under its lock).

    Raises:
        ValueError: `to` is beyond the log.
    """
    if not 0 <= to <= live.log.next_index:
        raise ValueError(
            _("This room's log has %(count)s entries, not %(to)s.")
            % {"count": live.log.next_index, "to": to}
        )
    await live.log.write([{"op": "rewind", "to": to}])
    ops = await read_ops(live.room_id)
    cluster = await sync_to_async(replay, thread_sensitive=False)(live.seed, live.manifests, ops)
    live.cluster = cluster
    live.frames = Frames(cluster, live.code, live.tick_hz)
    snapshot = live.frames.snapshot(cluster.now, live.clock(), live.streams.to_dicts())
    await live.broadcast(snapshot)
    for viewer_id, target in list(live.watchers.targets.items()):
        viewer = live.local.get(viewer_id)
        if viewer is not None:
            await live.watch(viewer, target, locked=True)
