"""Where a room view's requests go: the room's owner, in this process or another.

`LocalOwner` calls the `LiveRoom` this process runs; `RemoteOwner` asks the
process that holds the room's lease, over the bus (bus.py), where the
registry answers with its live room (`registry.answer`, only the methods in
`REQUESTS`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from playground.rooms.bus import bus

if TYPE_CHECKING:
    from playground.rooms.live import LiveRoom

#: How long a view waits for a remote owner's answer to what is quick to answer (seconds);
#: commands, which may be large, wait for `bus.REQUEST_SECONDS`.
QUICK_SECONDS = 4.0
QUICK = frozenset(
    {"snapshot", "presence", "forget", "watch", "watch_matrix", "admit", "depart", "set_view"}
)
#: Requests a view may pass to a room's owner (`LiveRoom` methods of those names).
REQUESTS = frozenset(
    {"run_command", "start_stream", "stop_stream", "set_clock", "watch", "forget", "snapshot"}
    | {"inspect", "export_yaml", "conversions", "presence", "save"}
    | {"admit", "depart", "set_view", "set_floor", "raise_hand", "rename", "class_summary"}
    | {"rewind_to_command", "lesson", "watch_matrix"}
)


class Owner(Protocol):
    """Where a view's requests go: `call(method, *args)` runs `LiveRoom.method(*args)`."""

    remote: bool
    #: The owning process's bus address ("" for this process).
    address: str

    async def call(self, method: str, *args: Any) -> Any: ...


class LocalOwner:
    remote = False
    address = ""

    def __init__(self, live: LiveRoom) -> None:
        self.live = live

    async def call(self, method: str, *args: Any) -> Any:
        return await getattr(self.live, method)(*args)


class RemoteOwner:
    remote = True

    def __init__(self, code: str, address: str) -> None:
        self.code, self.address = code, address
        #: Whether that process still runs the room (set by the view that asks it): a quick
        #: request it is slow to answer is then waited for longer, not failed.
        self.alive: Callable[[], Awaitable[bool]] | None = None

    async def call(self, method: str, *args: Any) -> Any:
        message = {"type": "room.request", "code": self.code, "method": method, "args": args}
        if method in QUICK:
            return await bus().request(
                self.address, message, timeout=QUICK_SECONDS, alive=self.alive
            )
        return await bus().request(self.address, message)
