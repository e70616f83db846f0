"""What `LiveRoom` (live.py) and its mixins (controls.py, rewinding.py) share.

`LiveRoom.__init__` sets these attributes and `LiveRoom` defines the methods;
they are declared here so that each mixin says what it uses of the room and the
type checker holds the live room to it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from playground.rooms import inspector
    from playground.rooms.frames import Frames
    from playground.rooms.log import RoomLog
    from playground.rooms.ticker import Streams
    from simulator import Cluster, CommandResult


class Viewer(Protocol):
    """What a live room needs from a connection: an id and a way to send it a text."""

    viewer: str

    async def forward(self, text: str) -> None: ...


class RoomParts:
    """The live room's state and the methods its mixins call (see the module docstring)."""

    code: str
    room_id: int
    seed: int
    manifests: str
    cluster: Cluster
    lock: asyncio.Lock
    tick_hz: int
    playing: bool
    speed: float
    log: RoomLog
    streams: Streams
    frames: Frames
    watchers: inspector.Watchers
    #: The consumers of this process watching the room, by viewer id.
    local: dict[str, Viewer]

    if TYPE_CHECKING:

        def clock(self) -> dict[str, Any]: ...

        def _check_open(self) -> None: ...

        async def _emit(self) -> None: ...

        async def broadcast(self, texts: list[str]) -> None: ...

        async def watch(
            self,
            viewer: Viewer,
            target: inspector.Target | None,
            request_id: Any = None,
            *,
            locked: bool = False,
        ) -> None: ...

        async def _followers_changed(
            self, command: tuple[str, CommandResult] | None, traces: list | None
        ) -> None: ...
