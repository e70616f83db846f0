"""Followers: capabilities that watch a room's changes without being part of it.

A lesson is one: it is told about every command and tick, judges its checks,
and speaks to the room's viewers with messages of its own type. The rooms
package does not know what a follower is for; followers register a factory
here (at start-up, in `PlaygroundConfig.ready`), and each room being loaded
asks every factory whether it wants a follower for that room.

A follower runs in the room's engine (engine.py, in the room's worker), told
about each command and tick as the engine does it, so it sees the cluster at
one moment, between commands and ticks. It may only read the cluster; what it
notes (`mark`) goes in the log with the command or tick, and what it says
(`broadcast`) goes to every viewer with the frame. Its client messages are
answered by the room's owner (lesson_requests.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from playground.models import Room
    from simulator import Cluster, CommandResult


class FollowedRoom(Protocol):
    """The room as a follower sees it, in the room's engine (following._FollowedHere)."""

    cluster: Cluster

    async def mark(self, op: dict[str, Any]) -> int:
        """Note `op` in the log with the work's entries (its index is the log's to give)."""

    async def broadcast(self, texts: list[str]) -> None:
        """Say `texts` to every viewer, with the work's frame."""


class Follower(Protocol):
    """What a live room asks of a follower."""

    #: The type of the client messages it answers (and of the messages it sends).
    message_type: str

    def replayed(self, index: int, op: dict[str, Any], result: Any) -> None:
        """One entry of the log (raw `index`) as the room's loading replays it, with what
        it returned (a CommandResult for `run`, the traces for `ticks`)."""

    async def changed(
        self, room: FollowedRoom, command: tuple[str, CommandResult] | None, traces: list | None
    ) -> None:
        """After a command (`(line, result)`), a tick (`traces` sent) or a rewind (neither),
        in the room's engine. It must never wait: `room` answers at once."""

    def greeting(self) -> list[str]:
        """Messages (encoded) for a viewer who joins."""


FollowerFactory = Callable[["Room", list[dict[str, Any]]], "Follower | None"]
_factories: list[FollowerFactory] = []


def register(factory: FollowerFactory) -> None:
    """Ask `factory(room, log_entries)` for a follower whenever a room is loaded."""
    if factory not in _factories:
        _factories.append(factory)


def followers_for(room: Room, ops: list[dict[str, Any]]) -> list[Follower]:
    """The followers of a room being loaded (from its stored row and log)."""
    return [follower for factory in _factories if (follower := factory(room, ops)) is not None]
