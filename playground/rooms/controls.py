"""The viewers' controls of a room's time and traffic: the clock and the request streams.

A mixin of `LiveRoom` (playground/rooms/live.py), kept apart so that the live
room's module stays about viewers, commands and frames. Each control takes
the room's lock, changes the room, and sends the frame that says so.
"""

from __future__ import annotations

from playground.models import Room
from playground.rooms.parts import RoomParts
from playground.rooms.ticker import Stream


class ClockAndStreams(RoomParts):
    """The clock (play, pause, speed) and the streams of a `LiveRoom`."""

    def _advance(self) -> list:
        """Move the clock one tick (when it plays) and send each stream's requests."""
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
        self.log.set_streams(self.streams.specs())
        self.frames.streams_changed = True

    async def start_stream(self, target: str, source: str, rate: float) -> Stream:
        async with self.lock:
            self._check_open()
            stream = self.streams.start(target, source, rate)
            self._streams_changed()
            await self._emit()
            return stream

    async def stop_stream(self, stream_id: str | None) -> None:
        async with self.lock:
            self._check_open()
            self.streams.stop(stream_id)
            self._streams_changed()
            await self._emit()

    async def set_clock(self, playing: bool | None, speed: float | None) -> None:
        async with self.lock:
            self._check_open()
            if playing is not None:
                self.playing = playing
            if speed is not None:
                self.speed = speed
            self.frames.clock_changed = True
            await Room.objects.filter(pk=self.room_id).aupdate(
                playing=self.playing, speed=self.speed
            )
            await self._emit()
