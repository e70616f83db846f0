"""What `LiveRoom` (live.py) and its mixins (rewinding.py, lesson_requests.py) share.

`LiveRoom.__init__` sets these attributes and `LiveRoom` defines the methods;
they are declared here so that each mixin says what it uses of the room and the
type checker holds the live room to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.rooms.classroom import Classroom
    from playground.rooms.engine import RoomSpec
    from playground.rooms.log import RoomLog
    from playground.rooms.outcome import Outcome
    from playground.rooms.roles import Participant


class RoomParts:
    """The live room's state and the methods its mixins call (see the module docstring)."""

    code: str
    room_id: int
    epoch: str
    seq: int
    closed: bool
    lock: asyncio.Lock
    loop: asyncio.AbstractEventLoop
    log: RoomLog
    spec: RoomSpec
    classroom: Classroom
    _class_news: bool
    _view_due: bool
    _publish: Callable[[Any, dict[str, Any]], Awaitable[None]]

    if TYPE_CHECKING:

        def participant(self, participant_id: str | None) -> Participant | None: ...

        def check(self, who: Participant | None = None, action: str = "") -> None: ...

        def expect_viewer(self) -> None: ...

        def watched(self) -> bool: ...

        async def _tick(self) -> bool: ...

        def _class_changed(self) -> None: ...

        async def _push_class(self) -> None: ...

        async def _work(self, work: Coroutine[Any, Any, Any]) -> Any: ...

        async def _engine(self, method: str, *args: Any) -> Any: ...

        async def _logged(self, ops: list[dict[str, Any]] | tuple = ()) -> None: ...

        async def _send(self, outcome: Outcome) -> None: ...

        def _message(
            self,
            seq: int,
            frame: list[str] | None,
            inspectors: list | None = None,
            rebase: list[str] | None = None,
        ) -> dict[str, Any]: ...

        async def restart(self, ops: list[dict[str, Any]]) -> None: ...

        async def written(self) -> int: ...

        async def rewind(self, to: int, who_id: str | None = None) -> None: ...

        async def run_command(
            self, line: str, stdin: str = "", by: str = "", who_id: str | None = None
        ) -> dict[str, Any]: ...
