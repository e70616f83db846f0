"""Who watches a live room, from every process, and whether it is wanted at all.

A mixin of `LiveRoom` (live.py). Each process's view tells the room's owner
how many viewers it has (`presence`; another process's count lapses unless
renewed); the room ticks while anyone watches, and may unload once nobody
watches or is on the way (a viewer that opened it a moment ago).
"""

from __future__ import annotations

import asyncio

from playground.rooms.parts import RoomParts
from playground.rooms.ticker import Ticker

#: A remote view's viewers count this long after it last said so (it says so every second).
PRESENCE_TTL = 3.0
#: A viewer on its way this long ago is still joining: the room does not unload.
JOIN_SECONDS = 2.0


class Presence(RoomParts):
    """Who watches a `LiveRoom` (whose attributes these methods use)."""

    #: Viewers per view: "local" for this process's, a bus address for another's (with
    #: when that count expires).
    watching: dict[str, tuple[int, float]]
    ticker: asyncio.Task | None
    tick_hz: int
    last_used: float
    _joining_since: float

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
