"""The viewers' controls of a room's time and traffic: the clock and the request streams.

A mixin of `LiveRoom` (playground/rooms/live.py), kept apart so that the live
room's module stays about viewers, commands and frames. The ticker calls
`_advance` under the room's lock every tick; viewers start and stop streams
and play, pause or speed up the clock, each change checked against their role
and announced in the next frame with who made it. Streams are room state: each
change is a `streams` entry of the log, so a room that comes back (a restart,
a rewind) runs the same streams with the same hit counters (log.restore).
"""

from __future__ import annotations

from playground.models import Room
from playground.rooms.parts import RoomParts
from playground.rooms.roles import Participant
from playground.rooms.ticker import Stream


class ClockAndStreams(RoomParts):
    """The clock (play, pause, speed) and the streams of a `LiveRoom`."""

    def _advance(self) -> list:
        """Move the clock one tick (when it plays) and send each stream's requests; returns
        their traces (for the room's followers)."""
        step = self.speed / self.tick_hz if self.playing else 0.0
        if step:
            self.cluster.advance(step)
        counts, traces, failed = self.streams.send(self.cluster, self.tick_hz)
        self.frames.add_traces(traces)
        self.log.add_ticks(step, counts)
        if failed:
            self._streams_changed()
        return traces

    def _streams_changed(self) -> None:
        """The streams changed: later ticks name the new ones, and the log says which run."""
        self.log.set_streams(self.streams.specs())
        self.log.note(self.streams.log_entry())
        self.frames.streams_changed = True

    async def start_stream(
        self, target: str, source: str, rate: float, who: Participant | None = None
    ) -> Stream:
        async with self.lock:
            self.check(who, "traffic")
            stream = self.streams.start(target, source, rate)
            self._streams_changed()
            await self._logged()
            self.frames.note(who, "start", target)
            await self._emit()
            return stream

    async def stop_stream(self, stream_id: str | None, who: Participant | None = None) -> None:
        async with self.lock:
            self.check(who, "traffic")
            self.streams.stop(stream_id)
            self._streams_changed()
            await self._logged()
            self.frames.note(who, "stop", "")
            await self._emit()

    async def set_clock(
        self, playing: bool | None, speed: float | None, who: Participant | None = None
    ) -> None:
        async with self.lock:
            self.check(who, "clock")
            if playing is not None:
                self.playing = playing
            if speed is not None:
                self.speed = speed
            self.frames.clock_changed = True
            await Room.objects.filter(pk=self.room_id).aupdate(
                playing=self.playing, speed=self.speed
            )
            what = "speed" if playing is None else "play" if playing else "pause"
            self.frames.note(who, what, f"{self.speed:g}" if what == "speed" else "")
            await self._emit()
