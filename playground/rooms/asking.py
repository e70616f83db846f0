"""What a room's viewers ask of its owner, passed on as they are (`RoomView`'s requests).

The owner (a `LiveRoom` here, or another process over the bus) checks each against
the participant's rights; the view only carries the participant's id.
"""

from __future__ import annotations

from typing import Any

from playground.rooms.fanout import LocalViewers, Viewer
from playground.rooms.owners import Owner


class OwnerRequests:
    """The requests a view passes to the room's owner for its viewers."""

    owner: Owner
    viewers: LocalViewers

    # -- what the viewers ask of the room -----------------------------------------------

    async def run_command(
        self, line: str, stdin: str = "", by: str = "", who_id: str | None = None
    ) -> dict[str, Any]:
        return await self.owner.call("run_command", line, stdin, by, who_id)

    async def start_stream(
        self, target: str, source: str, rate: float, who_id: str | None = None
    ) -> dict[str, Any]:
        return await self.owner.call("start_stream", target, source, rate, who_id)

    async def stop_stream(self, stream_id: str | None, who_id: str | None = None) -> None:
        await self.owner.call("stop_stream", stream_id, who_id)

    async def set_clock(
        self, playing: bool | None, speed: float | None, who_id: str | None = None
    ) -> None:
        await self.owner.call("set_clock", playing, speed, who_id)

    async def watch(self, viewer: Viewer, target, request_id: Any = None) -> None:
        fields = None if target is None else [target.kind, target.namespace, target.name]
        language = getattr(viewer, "language", "")
        texts = await self.owner.call("watch", viewer.viewer, fields, request_id, language)
        if texts:
            await self.viewers.deliver(viewer, texts)

    async def watch_matrix(self, viewer: Viewer, view: str | None, request_id: Any = None) -> None:
        texts = await self.owner.call("watch_matrix", viewer.viewer, view, request_id)
        if texts:
            await self.viewers.deliver(viewer, texts)

    async def lesson(self, viewer: Viewer, who_id: str | None, message: dict) -> dict[str, Any]:
        return await self.owner.call("lesson", viewer.viewer, who_id, message)

    # -- the class ----------------------------------------------------------------------

    async def set_view(self, view: dict[str, Any] | None, who_id: str) -> None:
        await self.owner.call("set_view", view, who_id)

    async def set_floor(self, mode: str, number: int | None, who_id: str) -> None:
        await self.owner.call("set_floor", mode, number, who_id)

    async def raise_hand(self, who_id: str, raised: bool) -> None:
        await self.owner.call("raise_hand", who_id, raised)

    async def rename(self, who_id: str, name: str) -> None:
        await self.owner.call("rename", who_id, name)

    async def rewind_to_command(self, commands: int, who_id: str) -> str:
        """Back to just after the room's `commands`-th command; the branch set aside's code."""
        return await self.owner.call("rewind_to_command", commands, who_id)
