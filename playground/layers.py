"""The in-memory channel layer, with a broadcast whose cost stays flat per viewer.

Channels' `InMemoryChannelLayer` has two costs that grow with a room: each
`receive` sweeps every channel and group membership for expired entries (a
frame to N viewers makes N receives, so O(N²) per frame), and `group_send`
starts one task per member. With 200 viewers at 10-20 frames a second that
alone filled a process. This layer sweeps at most once a second (messages
still expire after `expiry` seconds, give or take one) and puts a broadcast
straight onto each member's queue. Behaviour is otherwise Channels' own: a
full queue drops the message, as `ChannelFull` does in `group_send`.
"""

from __future__ import annotations

import asyncio
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer

SWEEP_SECONDS = 1.0
_IMMUTABLE = (str, bytes, int, float, bool, type(None))


class RoomChannelLayer(InMemoryChannelLayer):
    """`InMemoryChannelLayer` with a throttled sweep and a task-free `group_send`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._swept = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        # Frames carry one pre-encoded string: a shallow copy is as safe as a deep one.
        flat = all(isinstance(value, _IMMUTABLE) for value in message.values())
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels.setdefault(
                    channel, asyncio.Queue(maxsize=self.get_capacity(channel))
                )
            if queue.full():
                continue  # dropped, as Channels drops a message to a full channel
            queue.put_nowait((expires, dict(message) if flat else deepcopy(message)))
