"""The room engine: a room's cluster and everything computed from it, with no I/O.

A `RoomEngine` holds the simulated cluster, the request streams, the frames'
bookkeeping and what each viewer inspects. Each of its methods does one piece
of the room's work (a tick, a command, a snapshot, an inspector) and returns
plain data: the texts to send, the entries to log. It never awaits, never
touches the database and never reads a setting, so it can run anywhere: in a
worker process of its own (playground/rooms/worker.py), which is how the
server runs every room, so that no room's work can stall another's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.rooms import inspector
from playground.rooms.frames import Frames, result_fields
from playground.rooms.log import apply_op, logged_op, replay
from playground.rooms.ticker import Streams
from simulator import Cluster


@dataclass
class Outcome:
    """What one piece of the room's work asks the live room to log and to send.

    The live room logs `ops` (and the ticks `step`/`counts`) before it sends
    `frame` to every viewer and each `inspectors` pair to its viewer.
    """

    #: The frame's texts (one, or its parts), or None when nothing happened; its `seq`.
    frame: list[str] | None = None
    seq: int = 0
    #: `(viewer, texts)`: inspectors the frame changed.
    inspectors: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Log entries this work adds (a command line).
    ops: list[dict[str, Any]] = field(default_factory=list)
    #: A tick's clock step and each stream's requests, for the log's `ticks` entry.
    step: float = 0.0
    counts: list[int] = field(default_factory=list)
    #: The streams as the log names them, when they changed (`[[url, source], ...]`).
    streams: list[list[str]] | None = None
    #: What the viewer who asked gets back (a command's result fields, a stream...).
    reply: Any = None


@dataclass(frozen=True)
class RoomSpec:
    """What a room engine is built from: the stored room and its log."""

    code: str
    seed: int
    manifests: str
    ops: list[dict[str, Any]]
    playing: bool
    speed: float
    tick_hz: int


class RoomEngine:
    """A room's cluster, streams, frames and inspectors (one room, one engine)."""

    def __init__(self, spec: RoomSpec) -> None:
        self.code = spec.code
        self.cluster = replay(spec.seed, spec.manifests, spec.ops)
        self.tick_hz = spec.tick_hz
        self.playing = spec.playing
        self.speed = spec.speed
        self.streams = Streams()
        self.frames = Frames(self.cluster, spec.code, spec.tick_hz)
        self.watchers = inspector.Watchers()

    def head(self) -> tuple[str, int]:
        """`(epoch, seq)`: this engine's epoch and its last frame."""
        return self.frames.epoch, self.frames.seq

    def clock(self) -> dict[str, Any]:
        return {"playing": self.playing, "speed": self.speed, "time": self.cluster.now}

    # -- the clock and the streams -------------------------------------------------------

    def tick(self) -> Outcome:
        """One tick: move the clock (when it plays) and send each stream's requests."""
        self.frames.begin()
        step = self.speed / self.tick_hz if self.playing else 0.0
        if step:
            self.cluster.advance(step)
        counts, traces, failed = self.streams.send(self.cluster, self.tick_hz)
        self.frames.add_traces(traces)
        outcome = Outcome(step=step, counts=counts)
        if failed:
            outcome.streams = self._streams_changed()
        return self._emit(outcome)

    def start_stream(self, target: str, source: str, rate: float) -> Outcome:
        """A new stream (ValueError, in words for the learner, when over a limit)."""
        self.frames.begin()
        stream = self.streams.start(target, source, rate)
        return self._emit(Outcome(streams=self._streams_changed(), reply=stream.to_dict()))

    def stop_stream(self, stream_id: str | None) -> Outcome:
        self.frames.begin()
        self.streams.stop(stream_id)
        return self._emit(Outcome(streams=self._streams_changed()))

    def set_clock(self, playing: bool | None, speed: float | None) -> Outcome:
        self.frames.begin()
        if playing is not None:
            self.playing = playing
        if speed is not None:
            self.speed = speed
        self.frames.clock_changed = True
        return self._emit(Outcome(reply={"playing": self.playing, "speed": self.speed}))

    def _streams_changed(self) -> list[list[str]]:
        self.frames.streams_changed = True
        return self.streams.specs()

    # -- commands --------------------------------------------------------------------------

    def command(self, line: str, stdin: str, by: str) -> Outcome:
        """Run a command line for viewer `by`: its log entry, its frame, its result."""
        self.frames.begin()
        seq = self.cluster.seq
        result = apply_op(self.cluster, {"op": "run", "line": line, "stdin": stdin})
        op = logged_op(line, stdin, result.exit_code, changed=self.cluster.seq != seq)
        self.frames.add_command(by, line, result)
        return self._emit(Outcome(ops=[op], reply=result_fields(line, result, stdin)))

    # -- viewers ---------------------------------------------------------------------------

    def snapshot(self) -> tuple[int, list[str]]:
        """`(seq, texts)`: the `snapshot` message at the last frame, for a viewer joining."""
        texts = self.frames.snapshot(self.cluster.now, self.clock(), self.streams.to_dicts())
        return self.frames.seq, texts

    def watch(self, viewer: str, target: inspector.Target | None, request_id: Any) -> list[str]:
        """The inspector of `target` for `viewer` now, then after each frame that changes it."""
        self.watchers.watch(viewer, target)
        if target is None:
            return []
        html = self.watchers.render(target, self._inspector_html, time.monotonic())
        return self.watchers.message(viewer, target, html, self.frames.seq, request_id)

    def forget(self, viewer: str) -> None:
        self.watchers.forget(viewer)

    # -- reads (the log does not record them: they change nothing) ------------------------

    def inspect(self, target: inspector.Target) -> dict[str, Any]:
        return inspector.inspect(self.cluster, target)

    def export_yaml(self) -> str:
        return self.cluster.export_yaml()

    def viewers_topology(self) -> dict[str, Any]:
        """The topology as every viewer has it: the last snapshot with each frame's changes."""
        return self.frames.view.topology

    def read(self, fn: Callable[[Cluster], Any]) -> Any:
        """`fn(cluster)`, for reads that change nothing (tests, tools). In a worker
        process `fn` travels pickled: a module-level function."""
        return fn(self.cluster)

    # -- frames ----------------------------------------------------------------------------

    def _emit(self, outcome: Outcome) -> Outcome:
        """The frame with everything since the last one, if any; then the inspectors that
        frame (or an earlier one, held back) changed."""
        frame = self.frames.next_frame(
            self.cluster, self.clock(), self.streams.to_dicts(), self.playing
        )
        if frame is not None:
            outcome.frame, outcome.seq = frame.texts, self.frames.seq
        message = frame and frame.message
        outcome.inspectors = list(
            self.watchers.refresh(message, self.frames.seq, self._inspector_html, time.monotonic())
        )
        return outcome

    def _inspector_html(self, target: inspector.Target) -> str:
        return inspector.render(inspector.inspect(self.cluster, target))
