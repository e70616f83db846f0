"""What `LiveRoom` (live.py) and its mixins share (controls.py, rewinding.py,
classroom.py's `ClassLevers`, inspector.py's `Inspecting`, followers.py's `Followed`).

`LiveRoom.__init__` sets these attributes and `LiveRoom` defines the methods;
they are declared here so that each mixin says what it uses of the room and the
type checker holds the live room to it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from playground.rooms import inspector
    from playground.rooms.classroom import Classroom
    from playground.rooms.followers import Follower
    from playground.rooms.frames import Frames
    from playground.rooms.log import Restored, RoomLog
    from playground.rooms.matrix import MatrixWatchers
    from playground.rooms.roles import Participant
    from playground.rooms.ticker import Streams
    from simulator import Cluster, CommandResult


class Viewer(Protocol):
    """What a live room needs from a connection: an id and a way to send it a text (and,
    from a consumer, the participant it is: `participant`, see `LiveRoom.admit`)."""

    viewer: str

    async def forward(self, text: str) -> None: ...


class RoomParts:
    """The live room's state and the methods its mixins call (see the module docstring)."""

    code: str
    room_id: int
    seed: int
    manifests: str
    cluster: Cluster
    loop: asyncio.AbstractEventLoop
    lock: asyncio.Lock
    tick_hz: int
    playing: bool
    speed: float
    log: RoomLog
    streams: Streams
    frames: Frames
    watchers: inspector.Watchers
    #: The viewers with the reachability matrix open (matrix.py).
    matrix_watchers: MatrixWatchers
    #: The class: participants, the floor, hands, the presenter's view.
    classroom: Classroom
    #: What watches the room's changes (a lesson), by the message type each answers.
    followers: dict[str, Follower]
    #: The consumers of this process watching the room, by viewer id.
    local: dict[str, Viewer]

    if TYPE_CHECKING:

        def clock(self) -> dict[str, Any]: ...

        def check(self, who: Participant | None = None, action: str = "") -> None: ...

        def replace(self, restored: Restored, log_length: int) -> None: ...

        def catch_up(self, seq: int | None, epoch: str) -> list[str]: ...

        def _class_changed(self) -> None: ...

        async def _logged(self, ops: Sequence[dict[str, Any]] = ()) -> None: ...

        async def _deliver(self, viewer: Viewer, texts: list[str]) -> None: ...

        async def read(self, fn: Callable[[Cluster], Any]) -> Any: ...

        async def _deliver(self, viewer: Viewer, texts: list[str]) -> None: ...

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
