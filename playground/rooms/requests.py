"""What viewers ask of a live room: commands, the clock, the streams, and reads.

A mixin of `LiveRoom` (live.py). Its arguments are plain, for they may come over
the bus from another process's view. Each request runs under the room's lock
as a task of the room's own (`_work`); a change is checked against the asking
participant's role (`check`), run in the engine, logged, and only then its
frame published. `snapshot`, `watch`, `inspect`, `export_yaml` and `read`
change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from playground.models import Room
from playground.rooms.inspector import Target
from playground.rooms.parts import RoomParts
from playground.rooms.roles import Participant


class ViewerRequests(RoomParts):
    """The requests a `LiveRoom` answers (whose attributes these methods use)."""

    async def snapshot(self) -> tuple[str, int, list[str]]:
        """`(epoch, seq, texts)`: the `snapshot` message at the last frame."""

        async def snapshot() -> tuple[str, int, list[str]]:
            seq, texts = await self._engine("snapshot")
            return self.epoch, seq, texts

        return await self._work(snapshot())

    async def run_command(
        self, line: str, stdin: str = "", by: str = "", who_id: str | None = None
    ) -> dict[str, Any]:
        """Run a command line for connection `by` (participant `who_id`; None: the server
        itself), log it, then send its frame to everyone. Returns the `result` message's
        fields for the viewer who ran it. Raises Forbidden: `who_id` may not change the room.
        """

        async def run() -> dict[str, Any]:
            who = self.participant(who_id)
            self.check(who, "command")
            outcome = await self._engine("command", line, stdin, by, _named(who))
            await self._logged(outcome.ops)
            await self._send(outcome)
            return outcome.reply

        return await self._work(run())

    async def start_stream(
        self, target: str, source: str, rate: float, who_id: str | None = None
    ) -> dict[str, Any]:
        """Start a request stream; its `{id, url, source, rate}`."""

        async def start() -> dict[str, Any]:
            who = self.participant(who_id)
            self.check(who, "traffic")
            outcome = await self._engine("start_stream", target, source, rate, _named(who))
            self.log.set_streams(outcome.streams)
            await self._logged(outcome.ops)
            await self._send(outcome)
            return outcome.reply

        return await self._work(start())

    async def stop_stream(self, stream_id: str | None, who_id: str | None = None) -> None:
        async def stop() -> None:
            who = self.participant(who_id)
            self.check(who, "traffic")
            outcome = await self._engine("stop_stream", stream_id, _named(who))
            self.log.set_streams(outcome.streams)
            await self._logged(outcome.ops)
            await self._send(outcome)

        await self._work(stop())

    async def set_clock(
        self, playing: bool | None, speed: float | None, who_id: str | None = None
    ) -> None:
        async def set_clock() -> None:
            who = self.participant(who_id)
            self.check(who, "clock")
            await self._logged([])  # the time so far, at its old pace
            outcome = await self._engine("set_clock", playing, speed, _named(who))
            await Room.objects.filter(pk=self.room_id).aupdate(**outcome.reply)
            await self._send(outcome)

        await self._work(set_clock())

    async def written(self) -> int:
        """Write what the log lacks now; the log's length (a fork copies that much)."""

        async def write() -> int:
            await self._logged()
            return self.log.next_index

        return await self._work(write())

    async def save(self) -> None:
        """Write what the log lacks now (the server is stopping)."""
        if not self.closed:
            await self.written()

    async def watch(
        self, viewer: str, target: Any, request_id: Any = None, language: str = ""
    ) -> list[str]:
        """The inspector of `target` for `viewer` (in its `language`) now; then after each
        frame that changes it (in the frames' `inspectors`). None: stop."""
        language = language or settings.LANGUAGE_CODE
        work = self._engine("watch", viewer, _target(target), request_id, language)
        return await self._work(work)

    async def forget(self, viewer: str) -> None:
        """`viewer` left: its inspector is no longer refreshed."""
        await self._work(self._engine("forget", viewer))

    async def watch_matrix(
        self, viewer: str, view: str | None, request_id: Any = None
    ) -> list[str]:
        """The reachability matrix for `viewer` now; then after each frame that may change it
        (in the frames' `inspectors`). None: stop."""
        return await self._work(self._engine("watch_matrix", viewer, view, request_id))

    async def inspect(self, target: Any) -> dict[str, Any]:
        """What the inspector shows about `target` now (the template's context)."""
        return await self._work(self._engine("inspect", _target(target)))

    async def export_yaml(self) -> str:
        """The room's cluster as YAML that `kubectl apply -f -` accepts."""
        return await self._work(self._engine("export_yaml"))

    async def conversions(self) -> list[dict[str, Any]]:
        """Per IngressClass, its Ingresses beside the Gateway API objects that replace them."""
        return await self._work(self._engine("conversions"))

    async def read(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(cluster)` in the room's worker, for reads the log does not record (they must
        change nothing). With a worker process, `fn` must be a module-level function."""
        return await self._work(self._engine("read", fn))

    async def viewers_topology(self) -> dict[str, Any]:
        """The topology as every viewer has it (kept by frames alone)."""
        return await self._work(self._engine("viewers_topology"))


def _named(who: Participant | None) -> dict[str, Any]:
    """How frames and the log name who made a change (never by id); {} for the server."""
    return who.who() if who is not None else {}


def _target(fields: Any) -> Target | None:
    """A Target from its fields as they travel (a list), or as it is."""
    if fields is None or isinstance(fields, Target):
        return fields
    return Target(*fields)
