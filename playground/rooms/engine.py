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
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import translation

from playground.models import Room
from playground.rooms import inspector
from playground.rooms.followers import Follower, followers_for
from playground.rooms.following import EngineFollowers
from playground.rooms.frames import Frames
from playground.rooms.log import apply_op, logged_op, restore
from playground.rooms.matrix import MatrixWatchers
from playground.rooms.outcome import Outcome
from playground.rooms.results import result_fields
from playground.rooms.ticker import Streams
from simulator import Cluster


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
    #: The lesson the room runs (its slug), or "".
    lesson: str = ""
    #: The class's state as frames carry it: the floor, and the presenter's view.
    floor: dict[str, Any] = field(default_factory=lambda: {"mode": "presenter"})
    view: dict[str, Any] | None = None


class RoomEngine(EngineFollowers):
    """A room's cluster, streams, frames and inspectors (one room, one engine); its
    followers (a lesson) are `EngineFollowers`' (following.py)."""

    def __init__(self, spec: RoomSpec) -> None:
        self.code = spec.code
        # Followers (a lesson) rebuild what they saw from the replayed log.
        stored = Room(code=spec.code, seed=spec.seed, manifests=spec.manifests, lesson=spec.lesson)
        self.followers: dict[str, Follower] = {
            f.message_type: f for f in followers_for(stored, spec.ops)
        }
        restored = restore(spec.seed, spec.manifests, spec.ops, self._replayed)
        self.cluster = restored.cluster
        self.tick_hz = spec.tick_hz
        self.playing = spec.playing
        self.speed = spec.speed
        self.streams = Streams(restored.streams, restored.streams_made)
        self.frames = Frames(self.cluster, spec.code, spec.tick_hz)
        self.frames.hits = restored.hits
        self.frames.floor = spec.floor
        self.frames.presenter_view = spec.view
        self.watchers = inspector.Watchers()
        self.matrix_watchers = MatrixWatchers()

    def _replayed(self, index: int, op: dict[str, Any], result: Any) -> None:
        for follower in self.followers.values():
            follower.replayed(index, op, result)

    def head(self) -> tuple[str, int, list[list[str]]]:
        """`(epoch, seq, streams)`: this engine's epoch, its last frame, and its streams as
        the log's `ticks` entries name them."""
        return self.frames.epoch, self.frames.seq, self.streams.specs()

    def clock(self) -> dict[str, Any]:
        return {"playing": self.playing, "speed": self.speed, "time": self.cluster.now}

    # -- the clock and the streams -------------------------------------------------------

    def tick(self, view: Any = False) -> Outcome:
        """One tick: move the clock (when it plays) and send each stream's requests; and the
        presenter's `view` when it changed since the last (False: it did not)."""
        self.frames.begin()
        if view is not False:
            self.set_class(None, view)
        step = self.speed / self.tick_hz if self.playing else 0.0
        if step:
            self.cluster.advance(step)
        counts, traces, failed = self.streams.send(self.cluster, self.tick_hz)
        self.frames.add_traces(traces)
        outcome = Outcome(step=step, counts=counts)
        if failed:
            outcome.streams = self._streams_changed()
            outcome.ops.append(self.streams.log_entry())
        return self._followed(self._emit(outcome), None, traces)

    def start_stream(self, target: str, source: str, rate: float, who: dict[str, Any]) -> Outcome:
        """A new stream, started by `who` (ValueError, in words for the learner, when over a
        limit)."""
        self.frames.begin()
        stream = self.streams.start(target, source, rate)
        self.frames.note(who, "start", target)
        outcome = Outcome(streams=self._streams_changed(), reply=stream.to_dict())
        outcome.ops.append(self.streams.log_entry())
        return self._emit(outcome)

    def stop_stream(self, stream_id: str | None, who: dict[str, Any]) -> Outcome:
        self.frames.begin()
        self.streams.stop(stream_id)
        self.frames.note(who, "stop", "")
        outcome = Outcome(streams=self._streams_changed())
        outcome.ops.append(self.streams.log_entry())
        return self._emit(outcome)

    def set_clock(self, playing: bool | None, speed: float | None, who: dict[str, Any]) -> Outcome:
        self.frames.begin()
        if playing is not None:
            self.playing = playing
        if speed is not None:
            self.speed = speed
        self.frames.clock_changed = True
        what = "speed" if playing is None else "play" if playing else "pause"
        self.frames.note(who, what, f"{self.speed:g}" if what == "speed" else "")
        return self._emit(Outcome(reply={"playing": self.playing, "speed": self.speed}))

    def set_class(self, floor: dict[str, Any] | None, view: Any = False) -> Outcome:
        """The class changed: the floor (None: as it was), the presenter's view (False: as
        it was); the next frame carries what changed, to everyone."""
        if floor is not None and floor != self.frames.floor:
            self.frames.floor = floor
            self.frames.floor_changed = True
        if view is not False:
            self.frames.presenter_view = view
            self.frames.view_changed = True
        return Outcome()

    def note(self, who: dict[str, Any], what: str, detail: str = "") -> Outcome:
        """A change made outside the engine (a rewind), named in the next frame."""
        self.frames.begin()
        self.frames.note(who, what, detail)
        outcome = self._emit(Outcome())
        if what == "rewind":  # the step a lesson was on starts over
            self._followed(outcome, None, None)
        return outcome

    def _streams_changed(self) -> list[list[str]]:
        self.frames.streams_changed = True
        return self.streams.specs()

    # -- commands --------------------------------------------------------------------------

    def command(self, line: str, stdin: str, by: str, who: dict[str, Any]) -> Outcome:
        """Run a command line for connection `by` (participant `who`, as frames name them):
        its log entry, its frame, its result."""
        self.frames.begin()
        seq, at = self.cluster.seq, self.cluster.now
        result = apply_op(self.cluster, {"op": "run", "line": line, "stdin": stdin})
        op = logged_op(line, stdin, result.exit_code, changed=self.cluster.seq != seq)
        self.frames.add_command(by, who, line, result)
        outcome = Outcome(ops=[{**op, "by": who, "at": at}])
        outcome.reply = result_fields(line, result, stdin)
        return self._followed(self._emit(outcome), (line, result), result.traces)

    # -- viewers ---------------------------------------------------------------------------

    def snapshot(self) -> tuple[int, list[str]]:
        """`(seq, texts)`: the `snapshot` message at the last frame (and what followers say
        to a viewer joining)."""
        texts = self.frames.snapshot(self.cluster.now, self.clock(), self.streams.to_dicts())
        return self.frames.seq, [*texts, *self.follower_greetings()]

    def watch(
        self, viewer: str, target: inspector.Target | None, request_id: Any, language: str
    ) -> list[str]:
        """The inspector of `target` for `viewer` (in its `language`) now, then after each
        frame that changes it."""
        self.watchers.watch(viewer, target, language)
        if target is None:
            return []
        seq = self.frames.seq
        html = self.watchers.render(target, language, self._inspector_html, time.monotonic(), seq)
        return self.watchers.message(viewer, target, html, seq, request_id)

    def watching(self) -> list[tuple[str, list[str], str]]:
        """`(viewer, target fields, language)` for each viewer's inspector (a rewind's new
        engine shows them again)."""
        return [
            (viewer, [t.kind, t.namespace, t.name], self.watchers.languages.get(viewer, "en"))
            for viewer, t in self.watchers.targets.items()
        ]

    def forget(self, viewer: str) -> None:
        self.watchers.forget(viewer)
        self.matrix_watchers.watch(viewer, None)

    def watch_matrix(self, viewer: str, view: str | None, request_id: Any) -> list[str]:
        """The reachability matrix in `view` for `viewer` now, then after each frame that may
        change it (None: stop)."""
        self.matrix_watchers.watch(viewer, view)
        if view is None:
            return []
        data = self.matrix_watchers.compute(self.cluster, view, time.monotonic())
        return self.matrix_watchers.message(viewer, view, data, self.frames.seq, request_id)

    # -- reads (the log does not record them: they change nothing) ------------------------

    def inspect(self, target: inspector.Target) -> dict[str, Any]:
        return inspector.inspect(self.cluster, target)

    def export_yaml(self) -> str:
        return self.cluster.export_yaml()

    def conversions(self) -> list[dict[str, Any]]:
        """ "Convert to Gateway API" as plain data, which crosses to another process."""
        return [asdict(conversion) for conversion in self.cluster.convert_ingresses()]

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
        seq, now = self.frames.seq, time.monotonic()
        outcome.inspectors = [
            *self.watchers.refresh(message, seq, self._inspector_html, now),
            *self.matrix_watchers.refresh(message, seq, self.cluster, now),
        ]
        return outcome

    def _inspector_html(self, target: inspector.Target, language: str) -> str:
        with translation.override(language):
            return inspector.render(inspector.inspect(self.cluster, target))
