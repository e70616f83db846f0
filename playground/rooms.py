"""The one composition point between the web and the simulator.

A room is stored as `(seed, manifests, log)` (playground.models). This module
alone builds live `simulator.Cluster`s from stored rooms by replaying their
log, runs what browsers ask for against them, appends every accepted
operation to the log *before* its effects are broadcast, and paces the
simulated clock. Views and consumers ask it; nothing else imports the
simulator.

Threading: a live room belongs to the process's event loop. Every call that
touches its cluster runs on that loop, under the room's lock, so the ticker,
commands and inspector reads never interleave.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import shlex
import socket
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from playground import limits, protocol, topology
from playground.models import Room, RoomEvent
from simulator import Cluster
from simulator import scenarios as _scenarios
from simulator.labels import from_match_labels
from simulator.probes import ProbeCheck, probe_port

log = logging.getLogger(__name__)

APPLY = "kubectl apply -f -"
#: Ticks a second: one frame per tick at most (docs/architecture.md, "Frames").
TICK_HZ = getattr(settings, "KUBEPLAY_TICK_HZ", 16)
#: How often ticks not yet in the log are written to it.
FLUSH_SECONDS = getattr(settings, "KUBEPLAY_FLUSH_SECONDS", 1.0)
#: How long a room with nobody watching stays in memory.
IDLE_SECONDS = getattr(settings, "KUBEPLAY_IDLE_SECONDS", 60.0)
#: While the clock plays and nothing else happens, a frame carries the time this often.
TIME_SYNC_SECONDS = 0.5
#: Frames kept for browsers that resync after a short drop.
FRAME_BUFFER = 256
LEASE_SECONDS = 30.0
#: Process identity for room leases (several daphne processes sharing a database).
OWNER = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def trace_view(trace) -> dict[str, Any]:
    """A Trace as frames carry it: the contract's dict, plus each hop's namespace so the
    diagram can tell same-named objects of two namespaces apart."""
    view = trace.to_dict()
    for hop, shown in zip(trace.hops, view["hops"], strict=True):
        if hop.namespace is not None:
            shown["namespace"] = hop.namespace
    return view


def group_name(code: str) -> str:
    """The channel-layer group of a room (codes are validated slugs)."""
    return f"room-{code}"


# == examples ==========================================================================


def examples() -> list[dict[str, str]]:
    """The built-in scenarios for the examples menu, in the simulator's order."""
    return [{"slug": s.slug, "title": s.title, "summary": s.summary} for s in _scenarios.SCENARIOS]


def example(slug: str | None) -> dict[str, Any] | None:
    """One scenario with its manifest and commands to try, or None when `slug` is unknown."""
    for s in _scenarios.SCENARIOS:
        if s.slug == slug:
            return {
                "slug": s.slug,
                "title": s.title,
                "summary": s.summary,
                "manifest": s.manifest,
                "try_commands": list(s.try_commands),
                "pod_selector": s.pod_selector,
            }
    return None


def default_example() -> dict[str, Any]:
    return example(_scenarios.DEFAULT)


# == validation and creation ============================================================


def manifest_too_large(text: str) -> bool:
    return len(text) > limits.MAX_MANIFEST_BYTES or len(text.encode()) > limits.MAX_MANIFEST_BYTES


def _problems(result) -> list[dict[str, Any]]:
    """A command's manifest problems as plain dicts, errors before warnings; its stderr when
    it failed without any.

    Each dict: `document`, `line`, `column` (1-based or None), `field`, `message`
    (kubectl's wording, "" for a finding of Kubeplay's own), `severity` ("error" or
    "warning"), `hint` (a plain sentence, or ""), `excerpt` (numbered lines with a caret,
    or "").
    """
    problems = [
        {
            "document": getattr(p, "document", None),
            "line": getattr(p, "line", None),
            "column": getattr(p, "column", None),
            "field": getattr(p, "field", "") or "",
            "message": str(getattr(p, "message", p)),
            "severity": getattr(p, "severity", "error"),
            "hint": getattr(p, "hint", ""),
            "excerpt": getattr(p, "excerpt", ""),
        }
        for p in result.problems
    ]
    problems.sort(key=lambda p: p["severity"] != "error")  # stable: errors first
    if not any(p["severity"] == "error" for p in problems) and result.exit_code != 0:
        message = (result.stderr or result.stdout).strip() or "The manifests were refused."
        problems.insert(0, _problem(message))
    return problems


def validate(text: str) -> list[dict[str, Any]]:
    """Every problem and warning in `text` as `kubectl apply -f -` would report it, nothing
    applied (dicts as `_problems` makes them). No error means a fresh cluster accepts the
    manifests; warnings may remain.
    """
    if manifest_too_large(text):
        return [_limit_problem()]
    if not text.strip():
        return [_problem("Paste at least one manifest (a YAML document with apiVersion and kind).")]
    result = Cluster(0).run(APPLY + " --dry-run=server", stdin=text)
    return _problems(result)


def _problem(message: str) -> dict[str, Any]:
    return {
        "document": None,
        "line": None,
        "column": None,
        "field": "",
        "message": message,
        "severity": "error",
        "hint": "",
        "excerpt": "",
    }


def _limit_problem() -> dict[str, Any]:
    return _problem(
        f"The manifests are too large: the limit is {limits.MAX_MANIFEST_BYTES // 1024} KiB."
    )


def create_room(text: str, example_slug: str = "") -> tuple[Room | None, list[dict[str, Any]]]:
    """Store a new room whose cluster starts with `text` applied; or return the problems.

    Synchronous (it runs in a view's thread): it builds its own scratch cluster.
    """
    if manifest_too_large(text):
        return None, [_limit_problem()]
    seed = secrets.randbelow(2**31)
    result = Cluster(seed).run(APPLY, stdin=text)
    if result.exit_code != 0 or not text.strip():
        return None, _problems(result) or [_problem("Paste at least one manifest.")]
    for _ in range(5):
        code = secrets.token_hex(4)
        if not Room.objects.filter(code=code).exists():
            break
    room = Room.objects.create(
        code=code,
        seed=seed,
        manifests=text,
        example=example_slug if example(example_slug) else "",
        playing=getattr(settings, "KUBEPLAY_AUTOPLAY", True),
    )
    return room, []


def latest_manifests(room: Room) -> str:
    """The manifests last applied in the room with `kubectl apply -f -`, for its editor."""
    applied = (
        RoomEvent.objects.filter(room=room, op__op="run", op__has_key="stdin")
        .order_by("-index")
        .values_list("op", flat=True)
    )
    for op in applied[:20]:
        if op["line"].split()[:2] == ["kubectl", "apply"]:
            return op["stdin"]
    return room.manifests


# == replay =============================================================================


def apply_op(cluster: Cluster, op: dict[str, Any]) -> Any:
    """Apply one log entry to `cluster`; the live room and replay both go through here."""
    if op["op"] == "run":
        return cluster.run(op["line"], stdin=op.get("stdin", ""))
    if op["op"] == "ticks":
        streams = op["streams"]
        traces = []
        for step, counts, repeat in op["runs"]:
            for _ in range(repeat):
                if step:
                    cluster.advance(step)
                for (target, source), n in zip(streams, counts, strict=True):
                    traces.extend(_send(cluster, target, source, n))
        return traces
    raise ValueError(f"unknown log entry {op['op']!r}")


def _send(cluster: Cluster, target: str, source: str, n: int) -> list:
    """Send `n` requests as `curl -k` would; stop at the first one that raised."""
    traces = []
    for _ in range(n):
        try:
            traces.append(cluster.request(target, source=source, insecure=True))
        except Exception:  # noqa: BLE001 - replay must fail exactly where the live room did
            log.exception("request %s from %s failed", target, source)
            traces.append(None)
            break
    return traces


def replay(seed: int, manifests: str, ops: list[dict[str, Any]]) -> Cluster:
    """Rebuild a room's cluster from what is stored."""
    cluster = Cluster(seed)
    cluster.run(APPLY, stdin=manifests)
    for op in ops:
        apply_op(cluster, op)
    return cluster


# == live rooms =========================================================================


@dataclass
class Stream:
    """A request generator: `rate` requests a second from `source` to `target`."""

    id: str
    target: str
    source: str
    rate: float
    credit: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.target, "source": self.source, "rate": self.rate}


@dataclass
class PendingTicks:
    """Ticks run but not yet in the log: one `ticks` entry in the making."""

    streams: list[list[str]] = field(default_factory=list)
    runs: list[list[Any]] = field(default_factory=list)

    def add(self, step: float, counts: list[int]) -> None:
        if not step and not any(counts):
            return  # a paused, quiet tick changes nothing
        if self.runs and self.runs[-1][0] == step and self.runs[-1][1] == counts:
            self.runs[-1][2] += 1
        else:
            self.runs.append([step, counts, 1])

    def take(self) -> dict[str, Any] | None:
        if not self.runs:
            return None
        op = {"op": "ticks", "streams": self.streams, "runs": self.runs}
        self.runs = []
        return op


class Viewer(Protocol):
    """What a live room needs from a connection: an id and a way to send it a frame."""

    viewer: str

    async def forward(self, text: str) -> None: ...


class RoomGone(Exception):
    """The room does not exist, or another server process runs it."""


class LiveRoom:
    """A room's running cluster in this process: clock, streams, frames and viewers."""

    def __init__(self, room: Room, cluster: Cluster, log_length: int) -> None:
        self.code = room.code
        self.room_id = room.pk
        self.example = room.example
        self.cluster = cluster
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.epoch = secrets.token_hex(4)
        self.playing = room.playing
        self.speed = room.speed
        self.next_index = log_length
        self.pending = PendingTicks()
        #: Closed `ticks` entries waiting for the next write to the log.
        self._unwritten: list[dict[str, Any]] = []
        self.streams: dict[str, Stream] = {}
        self.stream_ids = 0
        self.seq = 0
        self.recent: deque[tuple[int, list[str]]] = deque(maxlen=FRAME_BUFFER)
        self.event_seq = cluster.seq
        self.probed: dict[str, tuple[dict, Any]] = {}
        self.view = topology.build(self._snapshot())
        self.view_stale = False
        self.next_view_at = 0.0
        self.hits: Counter[str] = Counter()
        #: The consumers of this process watching the room, by viewer id.
        self.local: dict[str, Viewer] = {}
        self.viewers = 0
        self.closed = False
        self.ticker: asyncio.Task | None = None
        self.unloader: asyncio.TimerHandle | None = None
        self.layer = get_channel_layer()
        # What the next frame carries.
        self.traces: list[dict] = []
        self.omitted = 0
        self.hits_delta: Counter[str] = Counter()
        self.commands: list[dict] = []
        self.probe_runs: dict[str, list[int]] = {}
        self.clock_changed = False
        self.streams_changed = False
        self.last_time_sync = 0.0
        #: Wall time the tick or command that the next frame reports began.
        self.made_at: float | None = None

    # -- what a browser sees ---------------------------------------------------------

    def _snapshot(self) -> dict[str, Any]:
        snap = self.cluster.snapshot()
        self.probed = _add_probes(self.cluster, snap)
        return snap

    def _probe_runs(self) -> None:
        """Note the probes that ran this tick (their counters moved) for the next frame."""
        for key, (pod, probe_state) in self.probed.items():
            counts = [probe_state.successes, probe_state.failures]
            if counts != pod["probe"]["counts"]:
                pod["probe"]["counts"] = counts
                if len(self.probe_runs) < limits.MAX_EVENTS_PER_FRAME:
                    self.probe_runs[key] = counts

    def clock(self) -> dict[str, Any]:
        return {"playing": self.playing, "speed": self.speed, "time": self.cluster.now}

    def snapshot_message(self) -> list[str]:
        """The `snapshot` message, as texts to send: all a browser needs to draw the room."""
        return protocol.split(
            protocol.encode(
                {
                    "type": "snapshot",
                    "epoch": self.epoch,
                    "seq": self.seq,
                    "room": self.code,
                    "time": self.cluster.now,
                    "clock": self.clock(),
                    "tickHz": TICK_HZ,
                    "streams": [s.to_dict() for s in self.streams.values()],
                    "hits": dict(self.hits),
                    "topology": self.view.topology,
                    "targets": self.view.targets,
                }
            )
        )

    def catch_up(self, seq: int | None, epoch: str) -> list[str]:
        """Messages that bring a browser that saw frame `seq` of `epoch` up to date."""
        if seq is not None and epoch == self.epoch and seq <= self.seq:
            missed = [texts for s, texts in self.recent if s > seq]
            if len(missed) == self.seq - seq:
                return [text for texts in missed for text in texts]
        return self.snapshot_message()

    # -- viewers and the ticker ------------------------------------------------------

    def join(self, viewer: Viewer) -> None:
        """Start sending this room's frames to `viewer` (a consumer in this process)."""
        self.local[viewer.viewer] = viewer
        self.viewers = len(self.local)
        if self.unloader is not None:
            self.unloader.cancel()
            self.unloader = None
        if self.ticker is None or self.ticker.done():
            self.ticker = self.loop.create_task(self._tick_loop(), name=f"ticker-{self.code}")

    def leave(self, viewer: Viewer) -> None:
        self.local.pop(viewer.viewer, None)
        self.viewers = len(self.local)
        if self.viewers == 0 and not self.closed:
            self.unloader = self.loop.call_later(
                IDLE_SECONDS, lambda: self.loop.create_task(self.unload())
            )

    async def unload(self) -> None:
        """Write what the log lacks, stop the clock and forget the room (the log keeps it)."""
        if self.closed:
            return
        async with self.lock:
            if self.viewers and not self.closed:
                return  # someone came back meanwhile
            self.closed = True
            with contextlib.suppress(Exception):
                await self._persist([])
        await self._stop()
        if _rooms.get(self.code) is self:
            del _rooms[self.code]
        with contextlib.suppress(Exception):
            await _release(self.code)

    async def _stop(self) -> None:
        if self.ticker is not None and self.ticker is not asyncio.current_task():
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.ticker

    async def _tick_loop(self) -> None:
        interval = 1 / TICK_HZ
        next_at = self.loop.time()
        last_flush = last_lease = self.loop.time()
        while not self.closed and self.viewers > 0:
            next_at += interval
            delay = next_at - self.loop.time()
            if delay < -5 * interval:
                next_at = self.loop.time()  # far behind (a long command): skip, do not burst
            await asyncio.sleep(max(0.0, delay))
            try:
                async with self.lock:
                    if self.closed:
                        return
                    self.made_at = time.time()
                    self._tick()
                    await self._emit_frame()
                    now = self.loop.time()
                    if now - last_flush >= FLUSH_SECONDS:
                        last_flush = now
                        await self._persist([])
                if _leases_enabled() and self.loop.time() - last_lease > LEASE_SECONDS / 3:
                    last_lease = self.loop.time()
                    if not await _claim(self.code):
                        raise RoomGone("another server took this room over")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("room %s stopped ticking", self.code)
                await self.break_down()
                return

    def _tick(self) -> None:
        step = self.speed / TICK_HZ if self.playing else 0.0
        if step:
            self.cluster.advance(step)
        counts = []
        stopped = []
        for stream in self.streams.values():
            stream.credit += stream.rate / TICK_HZ
            n = int(stream.credit)
            stream.credit -= n
            traces = _send(self.cluster, stream.target, stream.source, n)
            counts.append(len(traces))
            if traces and traces[-1] is None:
                stopped.append(stream.id)
                traces.pop()
            self._add_traces(traces)
        self.pending.add(step, counts)
        if step and self.probed:
            self._probe_runs()
        for stream_id in stopped:
            self._flush_pending()
            self.streams.pop(stream_id, None)
            self.streams_changed = True
            self.pending.streams = self._stream_specs()

    # -- the log -------------------------------------------------------------------

    def _stream_specs(self) -> list[list[str]]:
        return [[s.target, s.source] for s in self.streams.values()]

    def _flush_pending(self) -> None:
        """Close the pending ticks entry (its stream list is about to change)."""
        op = self.pending.take()
        if op is not None:
            self._unwritten.append(op)

    async def _persist(self, ops: list[dict[str, Any]]) -> None:
        """Append pending ticks and `ops` to the log, in order, in one transaction."""
        self._flush_pending()
        batch = self._unwritten + ops
        if not batch:
            return
        first = self.next_index
        await _append(self.room_id, first, batch)
        self.next_index = first + len(batch)
        self._unwritten.clear()
        self.pending.streams = self._stream_specs()

    async def break_down(self) -> None:
        """The log and the cluster may disagree: drop the room; browsers reconnect and replay."""
        self.closed = True
        if _rooms.get(self.code) is self:
            del _rooms[self.code]
        with contextlib.suppress(Exception):
            await self.layer.group_send(group_name(self.code), {"type": "room.closed"})

    # -- frames --------------------------------------------------------------------

    def _add_traces(self, traces: list) -> None:
        for trace in traces:
            if trace is None:
                continue
            # A hit is a request a pod answered (not ingress-nginx's own redirect or 404).
            last = trace.hops[-1] if trace.hops else None
            if trace.outcome == "ok" and last is not None and last.kind == "pod":
                self.hits_delta[trace.served_by or last.name] += 1
            if len(self.traces) < limits.MAX_TRACES_PER_FRAME:
                self.traces.append(trace_view(trace))
            else:
                self.omitted += 1

    async def _emit_frame(self, force: bool = False) -> None:
        """Broadcast one frame with everything since the last one, if there is anything."""
        events = self.cluster.events_since(self.event_seq)
        if events:
            self.event_seq = events[-1].seq
            self.view_stale = True
        changes = self._changes()
        now = time.time()
        made_at, self.made_at = self.made_at or now, None
        time_due = self.playing and now - self.last_time_sync >= TIME_SYNC_SECONDS
        content = (
            events
            or changes
            or self.traces
            or self.omitted
            or self.commands
            or self.probe_runs
            or self.clock_changed
            or self.streams_changed
        )
        if not (content or force or time_due):
            return
        self.last_time_sync = now
        self.seq += 1
        frame: dict[str, Any] = {
            "type": "frame",
            "epoch": self.epoch,
            "seq": self.seq,
            "time": self.cluster.now,
            "at": round(made_at * 1000, 1),
        }
        if events:
            frame["events"] = [e.to_dict() for e in events[-limits.MAX_EVENTS_PER_FRAME :]]
            frame["eventsOmitted"] = max(0, len(events) - limits.MAX_EVENTS_PER_FRAME)
        if changes:
            frame["changes"] = changes
        if self.traces or self.omitted:
            frame["traces"] = self.traces
            frame["tracesOmitted"] = self.omitted
        if self.hits_delta:
            frame["hits"] = dict(self.hits_delta)
            self.hits.update(self.hits_delta)
        if self.commands:
            frame["commands"] = self.commands
        if self.probe_runs:
            frame["probes"] = self.probe_runs
            self.probe_runs = {}
        if self.clock_changed:
            frame["clock"] = self.clock()
        if self.streams_changed:
            frame["streams"] = [s.to_dict() for s in self.streams.values()]
        self.traces, self.omitted, self.hits_delta, self.commands = [], 0, Counter(), []
        self.clock_changed = self.streams_changed = False
        texts = protocol.split(protocol.encode(frame))
        self.recent.append((self.seq, texts))
        # Encoded once, written straight to each viewer's socket: a room's viewers
        # are all in the process that owns it (docs/architecture.md, "Frames").
        for viewer in list(self.local.values()):
            for text in texts:
                await viewer.forward(text)

    def _changes(self) -> dict[str, Any] | None:
        """What changed in the topology since the last frame, or None.

        Building the snapshot costs about 0.5 ms per 40 pods; a big room whose
        pods change on every tick rebuilds it at most every eight build times,
        so it never takes more than an eighth of the process.
        """
        if not self.view_stale or self.loop.time() < self.next_view_at:
            return None
        started = time.perf_counter()
        new_view = topology.build(self._snapshot())
        cost = time.perf_counter() - started
        self.next_view_at = self.loop.time() + 8 * cost
        self.view_stale = False
        changes = topology.diff(self.view, new_view)
        self.view = new_view
        return changes or None

    # -- what browsers ask for -------------------------------------------------------

    async def run_command(self, line: str, stdin: str = "", by: str = "") -> dict[str, Any]:
        """Run a command line, log it, broadcast its effects; return the `result` fields."""
        async with self.lock:
            self._check_open()
            self.made_at = self.made_at or time.time()
            result = self.cluster.run(line, stdin=stdin)
            op: dict[str, Any] = {"op": "run", "line": line}
            if stdin:
                op["stdin"] = stdin
            await self._logged(op)
            self._add_traces(result.traces)
            self.commands.append(
                {
                    "by": by,
                    "line": line,
                    "exitCode": result.exit_code,
                    "stdout": _clip(result.stdout, limits.MAX_ECHO_CHARS),
                    "stderr": _clip(result.stderr, limits.MAX_ECHO_CHARS),
                    "output": _clip_output(result.output(), limits.MAX_ECHO_CHARS),
                }
            )
            await self._emit_frame()
        reply = {
            "line": line,
            "stdout": _clip(result.stdout, limits.MAX_OUTPUT_CHARS),
            "stderr": _clip(result.stderr, limits.MAX_OUTPUT_CHARS),
            "output": _clip_output(result.output(), limits.MAX_OUTPUT_CHARS),
            "exitCode": result.exit_code,
            "problems": _problems(result) if result.problems else [],
            "traces": len(result.traces),
        }
        if result.session:
            reply["session"] = result.session
        if result.edit:
            reply["edit"] = {
                **result.edit,
                "yaml": _clip(result.edit["yaml"], limits.MAX_MANIFEST_BYTES),
            }
        return reply

    async def _logged(self, op: dict[str, Any]) -> None:
        try:
            await self._persist([op])
        except Exception:
            log.exception("room %s: could not append to the log", self.code)
            await self.break_down()
            raise RoomGone("the server could not save this change; reconnecting") from None

    async def start_stream(self, target: str, source: str, rate: float) -> Stream:
        async with self.lock:
            self._check_open()
            if len(self.streams) >= limits.MAX_STREAMS:
                raise ValueError(
                    f"A room runs at most {limits.MAX_STREAMS} streams; stop one first."
                )
            total = sum(s.rate for s in self.streams.values()) + rate
            if total > limits.MAX_ROOM_RATE:
                raise ValueError(
                    f"All streams of a room together send at most {limits.MAX_ROOM_RATE:g} "
                    "requests a second."
                )
            self._flush_pending()
            self.stream_ids += 1
            stream = Stream(f"s{self.stream_ids}", target, source, rate)
            self.streams[stream.id] = stream
            self.pending.streams = self._stream_specs()
            self.streams_changed = True
            await self._emit_frame()
            return stream

    async def stop_stream(self, stream_id: str | None) -> None:
        async with self.lock:
            self._check_open()
            self._flush_pending()
            if stream_id is None:
                self.streams.clear()
            elif self.streams.pop(stream_id, None) is None:
                raise ValueError(f"There is no stream {stream_id[:20]!r} in this room.")
            self.pending.streams = self._stream_specs()
            self.streams_changed = True
            await self._emit_frame()

    async def set_clock(self, playing: bool | None, speed: float | None) -> None:
        async with self.lock:
            self._check_open()
            if playing is not None:
                self.playing = playing
            if speed is not None:
                self.speed = speed
            self.clock_changed = True
            await Room.objects.filter(pk=self.room_id).aupdate(
                playing=self.playing, speed=self.speed
            )
            await self._emit_frame()

    async def read(self, fn):
        """Run `fn(cluster)` under the room's lock, for reads that the log does not record.

        A read must leave no trace that replay could miss. Some reads draw from
        the cluster's random generator (`kubectl describe service` names its
        EndpointSlices on first use), which would change every name generated
        afterwards; so the generator's state is put back.
        """
        async with self.lock:
            self._check_open()
            rng = getattr(getattr(self.cluster, "state", None), "rng", None)
            saved = rng.getstate() if rng is not None else None
            try:
                return fn(self.cluster)
            finally:
                if saved is not None:
                    rng.setstate(saved)

    def _check_open(self) -> None:
        if self.closed:
            raise RoomGone("this room was reloaded; reconnecting")


def _clip_output(pieces: list[tuple[str, str]], limit: int) -> list[list[str]]:
    """`[[stream, text]]` as a terminal shows them, cut after `limit` characters in all."""
    out, used = [], 0
    for stream, text in pieces:
        if used >= limit:
            break
        out.append([stream, _clip(text, limit - used)])
        used += len(text)
    return out


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… output cut here: {len(text) - limit} more characters.\n"


def _add_probes(cluster: Cluster, snap: dict[str, Any]) -> dict[str, tuple[dict, Any]]:
    """Give each probed pod its readiness probe's timing, so the diagram can show it tick.

    The snapshot only says `hasReadinessProbe`; the timing and the counters come
    from the kubelet's runtime records, read here and nowhere else (a public
    field is requested). Returns `{"ns/name": (pod entry, probe state)}`.
    """
    probed: dict[str, tuple[dict, Any]] = {}
    runtime = getattr(getattr(cluster, "state", None), "runtime", None)
    if not runtime:
        return probed
    for pod in snap["pods"]:
        if not pod.get("hasReadinessProbe"):
            continue
        rt = runtime.get((pod["namespace"], pod["name"]))
        probes = getattr(rt, "probes", None)
        if not probes:
            continue
        state = probes[0]
        probe = state.check.probe
        kind = next((k for k in ("exec", "httpGet", "tcpSocket", "grpc") if k in probe), "")
        pod["probe"] = {
            "kind": kind,
            "periodSeconds": float(probe.get("periodSeconds", 10)),
            "initialDelaySeconds": float(probe.get("initialDelaySeconds", 0)),
            "startedAt": float(getattr(rt, "started_at", 0.0)),
            "counts": [state.successes, state.failures],
        }
        probed[f"{pod['namespace']}/{pod['name']}"] = (pod, state)
    return probed


# == the registry of live rooms =========================================================

_rooms: dict[str, LiveRoom] = {}
_loading: dict[str, asyncio.Future] = {}


async def open_room(code: str) -> LiveRoom:
    """The live room for `code`, replaying its log if this process has not got it yet.

    Raises:
        RoomGone: no such room, or another server process runs it.
    """
    loop = asyncio.get_running_loop()
    live = _rooms.get(code)
    if live is not None and live.loop is loop and not live.closed:
        return live
    pending = _loading.get(code)
    if pending is not None and pending.get_loop() is loop:
        return await asyncio.shield(pending)
    future = loop.create_future()
    _loading[code] = future
    try:
        live = await _load(code)
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # mark retrieved: waiters, if any, re-raise it
        raise
    finally:
        if _loading.get(code) is future:
            del _loading[code]
    _rooms[code] = live
    future.set_result(live)
    return live


async def _load(code: str) -> LiveRoom:
    room = await Room.objects.filter(code=code).afirst()
    if room is None:
        raise RoomGone(f"There is no room {code!r}. Create one from the home page.")
    if _leases_enabled() and not await _claim(code):
        raise RoomGone("This room is running on another server; try again in a few seconds.")
    ops = [op async for op in RoomEvent.objects.filter(room=room).values_list("op", flat=True)]
    try:
        cluster = await sync_to_async(replay, thread_sensitive=False)(
            room.seed, room.manifests, ops
        )
    except Exception as exc:  # a simulator bug: say so rather than drop the socket
        log.exception("room %s could not be replayed", code)
        raise RoomGone(f"This room could not be rebuilt ({type(exc).__name__}).") from exc
    return LiveRoom(room, cluster, len(ops))


def loaded(code: str) -> LiveRoom | None:
    return _rooms.get(code)


async def reset() -> None:
    """Stop and forget every live room of this process (tests; the log keeps them)."""
    current = asyncio.get_running_loop()
    for live in list(_rooms.values()):
        live.closed = True
        if live.loop is current:
            await live._stop()
    forget_all()


def forget_all() -> None:
    """Forget every live room without waiting for its tasks (tests, between event loops)."""
    for live in list(_rooms.values()):
        live.closed = True
        for handle in (live.ticker, live.unloader):
            with contextlib.suppress(Exception):
                if handle is not None and not live.loop.is_closed():
                    handle.cancel()
    _rooms.clear()
    _loading.clear()


async def _append(room_id: int, first: int, ops: list[dict[str, Any]]) -> None:
    @sync_to_async
    def write() -> None:
        with transaction.atomic():
            RoomEvent.objects.bulk_create(
                RoomEvent(room_id=room_id, index=first + i, op=op) for i, op in enumerate(ops)
            )

    await write()


def _leases_enabled() -> bool:
    return getattr(settings, "KUBEPLAY_ROOM_LEASES", bool(os.environ.get("REDIS_URL")))


async def _claim(code: str) -> bool:
    """Take or renew this process's lease on a room; False when another process holds it."""
    now = timezone.now()
    free = Q(owner=OWNER) | Q(owner="") | Q(lease_until__lt=now) | Q(lease_until=None)
    updated = await Room.objects.filter(free, code=code).aupdate(
        owner=OWNER, lease_until=now + timedelta(seconds=LEASE_SECONDS)
    )
    return updated == 1


async def _release(code: str) -> None:
    if _leases_enabled():
        await Room.objects.filter(code=code, owner=OWNER).aupdate(owner="", lease_until=None)


# == reads for the inspector and the export ============================================


async def export_yaml(code: str) -> str:
    live = await open_room(code)
    return await live.read(lambda cluster: cluster.export_yaml())


KIND_RESOURCES = {
    "Pod": "pod",
    "Service": "service",
    "Endpoints": "endpoints",
    "Ingress": "ingress",
    "Node": "node",
    "Deployment": "deployment",
    "ReplicaSet": "replicaset",
    "ReplicationController": "replicationcontroller",
    "DaemonSet": "daemonset",
}


async def inspect(code: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
    """What the inspector shows about one object: YAML, describe, and who selects whom."""
    live = await open_room(code)
    resource = KIND_RESOURCES[kind]
    ns = [] if kind == "Node" else ["-n", namespace]
    quoted = " ".join([resource, name, *ns])

    def read(cluster: Cluster) -> dict[str, Any]:
        got = cluster.run(f"kubectl get {quoted} -o yaml")
        described = cluster.run(f"kubectl describe {quoted}")
        return {
            "yaml": got.stdout or got.stderr,
            "describe": described.stdout or described.stderr,
            "found": got.exit_code == 0,
            "readiness": _readiness_control(cluster, namespace, name) if kind == "Pod" else None,
        }

    info = await live.read(read)
    info.update(
        kind=kind,
        namespace=namespace,
        name=name,
        command_target=quoted,
        selection=_selection(live.view.topology, kind, namespace, name),
    )
    if kind in ("Deployment", "ReplicaSet", "ReplicationController"):
        workload = live.view.get("workloads", f"{kind}/{namespace}/{name}")
        info["replicas"] = workload.get("replicas") if workload else None
    if kind == "Pod":
        pod = live.view.get("pods", f"{namespace}/{name}")
        info["labels"] = sorted((pod or {}).get("labels", {}).items())
        info["ready"] = bool(pod and pod.get("ready"))
        info["workload"] = _workload_of(live.view, namespace, (pod or {}).get("owner"))
    if kind == "Node":
        node = live.view.get("nodes", name)
        info["unschedulable"] = bool(node and node.get("unschedulable"))
    return info


def _workload_of(view: topology.View, namespace: str, owner: dict | None) -> dict | None:
    """The workload a learner scales for a pod: its ReplicaSet's Deployment, or its owner."""
    while owner:
        workload = view.get("workloads", f"{owner['kind']}/{namespace}/{owner['name']}")
        if workload is None:
            return None
        if workload.get("owner") is None:
            if workload["kind"] not in ("Deployment", "ReplicaSet", "ReplicationController"):
                return None
            resource = KIND_RESOURCES[workload["kind"]]
            return {
                "kind": workload["kind"],
                "name": workload["name"],
                "replicas": workload.get("replicas"),
                "command_target": f"{resource} {workload['name']} -n {namespace}",
            }
        owner = workload["owner"]
    return None


def _readiness_control(cluster: Cluster, namespace: str, name: str) -> dict[str, Any]:
    """How the inspector's readiness toggle works for this pod, as command lines.

    An exec probe that tests a file (`ls /var/ready`) is toggled with
    `kubectl exec POD -- touch PATH` / `rm PATH`, exactly as a learner would.
    """
    pod_json = cluster.run(f"kubectl get pod {name} -n {namespace} -o json")
    if pod_json.exit_code != 0:
        return {"mode": "none", "note": "The pod is gone."}
    pod = json.loads(pod_json.stdout)
    for container in pod.get("spec", {}).get("containers") or ():
        probe = container.get("readinessProbe")
        if not probe:
            continue
        if "exec" in probe:
            path = ProbeCheck(container, probe).path
            if path is None:
                return {
                    "mode": "none",
                    "note": "The exec probe runs a command the simulator cannot switch; "
                    "edit the manifest to change it.",
                }
            target = f"{name} -n {namespace} -c {shlex.quote(container['name'])}"
            quoted = shlex.quote(path)
            exists = cluster.run(f"kubectl exec {target} -- ls {quoted}").exit_code == 0
            return {
                "mode": "file",
                "path": path,
                "exists": exists,
                "command": f"kubectl exec {target} -- {'rm' if exists else 'touch'} {quoted}",
                "label": f"rm {path} (probe will fail)"
                if exists
                else f"touch {path} (probe will pass)",
            }
        handler = probe.get("httpGet") or probe.get("tcpSocket")
        port = probe_port(container, (handler or {}).get("port"))
        if port is None:
            return {
                "mode": "none",
                "note": "This probe checks a port the container does not declare.",
            }
        target = f"{name} -n {namespace} -c {shlex.quote(container['name'])}"
        listening = cluster.run(f"kubectl exec {target} -- kubeplay-port status {port}")
        exists = listening.exit_code == 0
        return {
            "mode": "file",
            "path": f"port {port}",
            "exists": exists,
            "command": f"kubectl exec {target} -- kubeplay-port "
            f"{'close' if exists else 'open'} {port}",
            "label": f"close port {port} (probe will fail)"
            if exists
            else f"open port {port} (probe will pass)",
        }
    return {"mode": "none", "note": "No readiness probe: the pod is Ready while it runs."}


def _selection(topo: dict[str, Any], kind: str, namespace: str, name: str) -> list[dict[str, Any]]:
    """Why each pod is or is not selected (Services, Endpoints, workloads, pods).

    Each row: `{pod, service, selected, ready, reasons}`; reasons are short sentences.
    """
    pods = [p for p in topo["pods"] if p["namespace"] == namespace]
    services = [s for s in topo["services"] if s["namespace"] == namespace]
    endpoints = {e["name"]: e for e in topo["endpoints"] if e["namespace"] == namespace}
    if kind in ("Service", "Endpoints"):
        service = next((s for s in services if s["name"] == name), None)
        if service is None:
            return []
        return [_row(service, pod, endpoints.get(service["name"])) for pod in pods]
    if kind == "Pod":
        pod = next((p for p in pods if p["name"] == name), None)
        if pod is None:
            return []
        return [_row(s, pod, endpoints.get(s["name"])) for s in services if s.get("selector")]
    return []


def _row(service: dict, pod: dict, endpoints: dict | None) -> dict[str, Any]:
    selector = service.get("selector") or {}
    labels = pod.get("labels") or {}
    reasons = []
    selected = bool(selector)
    for requirement in from_match_labels(selector):
        value = next(iter(requirement.values))
        if requirement.matches(labels):
            reasons.append(f"has {requirement.key}={value}")
        else:
            selected = False
            have = labels.get(requirement.key)
            reasons.append(
                f"needs {requirement.key}={value}, "
                + (
                    f"has {requirement.key}={have}"
                    if have is not None
                    else f"has no {requirement.key} label"
                )
            )
    if not selector:
        reasons.append("the Service has no selector: its Endpoints are managed by hand")
    listed = None
    for address in (endpoints or {}).get("addresses", []):
        if address.get("pod") == pod["name"]:
            listed = "ready" if address.get("ready") else "not ready"
    if selected:
        if listed == "ready":
            reasons.append("listed as a ready address: it gets traffic")
        elif listed == "not ready":
            reasons.append("listed under notReadyAddresses: it gets no traffic until Ready")
        elif not pod.get("ready"):
            reasons.append("not Ready: it gets no traffic")
    return {
        "pod": pod["name"],
        "service": service["name"],
        "selected": selected,
        "ready": bool(pod.get("ready")),
        "listed": listed,
        "reasons": reasons,
    }
