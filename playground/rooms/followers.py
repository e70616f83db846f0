"""Followers: capabilities that watch a room's changes without being part of it.

A lesson is one: it is told about every command and tick, judges its checks,
and speaks to the room's viewers with messages of its own type. The rooms
package does not know what a follower is for; followers register a factory
here (at start-up, in `PlaygroundConfig.ready`), and each room being loaded
asks every factory whether it wants a follower for that room.

A follower is called under the room's lock, so it sees the cluster at one
moment, between commands and ticks. It may only read the cluster; it changes
the room through the room's own methods (`run_command`, `rewind`, `mark`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from playground.rooms.parts import RoomParts

if TYPE_CHECKING:
    from playground.models import Room
    from simulator import CommandResult

#: A `playground.rooms.live.LiveRoom` (not imported: the live room imports this module).
LiveRoom = Any


class Follower(Protocol):
    """What a live room asks of a follower."""

    #: The type of the client messages it answers (and of the messages it sends).
    message_type: str

    def replayed(self, index: int, op: dict[str, Any], result: Any) -> None:
        """One entry of the log (raw `index`) as the room's loading replays it, with what
        it returned (a CommandResult for `run`, the traces for `ticks`)."""

    async def changed(
        self, room: LiveRoom, command: tuple[str, CommandResult] | None, traces: list | None
    ) -> None:
        """After a command (`(line, result)`), a tick (`traces` sent) or a rewind (neither),
        under the room's lock."""

    def greeting(self) -> list[str]:
        """Messages (encoded) for a viewer who joins."""

    async def handle(
        self, room: LiveRoom, viewer: Any, message: dict[str, Any], request_id: Any
    ) -> dict[str, Any]:
        """Answer a client message of `message_type` (not under the lock); ValueError with
        words a learner can act on when it cannot be done."""


FollowerFactory = Callable[["Room", list[dict[str, Any]]], "Follower | None"]
_factories: list[FollowerFactory] = []


def register(factory: FollowerFactory) -> None:
    """Ask `factory(room, log_entries)` for a follower whenever a room is loaded."""
    if factory not in _factories:
        _factories.append(factory)


def followers_for(room: Room, ops: list[dict[str, Any]]) -> list[Follower]:
    """The followers of a room being loaded (from its stored row and log)."""
    return [follower for factory in _factories if (follower := factory(room, ops)) is not None]


class Followed(RoomParts):
    """A `LiveRoom`'s side of its followers."""

    async def mark(self, op: dict[str, Any]) -> int:
        """Append a note for followers (a `lesson` entry, which changes nothing) after the
        ticks not yet written; returns its index in the log. Call under the lock."""
        await self._logged([op])
        return self.log.next_index - 1

    async def _followers_changed(
        self, command: tuple[str, CommandResult] | None, traces: list | None
    ) -> None:
        for follower in self.followers.values():
            await follower.changed(self, command, traces)
