"""What a room's viewers are sent: a `snapshot` when they join, then one `frame` per tick.

One change feed. The topology in frames comes from the simulator's own
change events: `Cluster.snapshot_changes` names the entries that changed
since the last frame, and the room's `View` (the copy every viewer has)
keeps the ones that differ. So a frame costs what changed, not the size of
the cluster (docs/performance.md, "Frames"). Frames are encoded once for
every viewer; the live room keeps the last ones (`fanout.FrameRing`), so a
viewer that dropped briefly gets the ones it missed instead of a snapshot.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from typing import Any, NamedTuple

from playground import limits, protocol, topology
from playground.rooms.log import hit_of
from playground.rooms.results import clip, clip_output
from simulator import Cluster, CommandResult, hint_words

#: While the clock plays and nothing else happens, a frame carries the time this often.
TIME_SYNC_SECONDS = 0.5


class Frame(NamedTuple):
    """A frame as built (`message`) and as sent (`texts`: one, or its parts)."""

    message: dict[str, Any]
    texts: list[str]


def trace_view(trace) -> dict[str, Any]:
    """A Trace as frames carry it: the contract's dict, plus each hop's namespace so the
    diagram can tell same-named objects of two namespaces apart, and `blocked` when a
    NetworkPolicy dropped it (which policies, and the hop where the dot stops), and
    `reasonWords` beside the English `reason`: its sentence's key and values, which the
    browser words in its page's language (reasons.js)."""
    view = trace.to_dict()
    words = hint_words(trace.reason)
    if words is not None:
        view["reasonWords"] = words
    for hop, shown in zip(trace.hops, view["hops"], strict=True):
        if hop.namespace is not None:
            shown["namespace"] = hop.namespace
    if trace.blocked is not None:
        view["blocked"] = trace.blocked.to_dict()
    return view


def guide(cluster: Cluster) -> topology.Guide:
    """The room's first steps, asked from its cluster when a frame's changes may move them."""
    return topology.Guide(
        lambda: cluster.first_steps().to_dict(), lambda: cluster.suggestions().to_dict()
    )


def _next_change(cluster: Cluster) -> dict[str, Any] | None:
    change = cluster.next_change()
    return change.to_dict() if change else None


def _passed(next_change: dict[str, Any] | None, now: float) -> bool:
    return next_change is not None and now >= next_change["at"]


class Frames:
    """A room's frames: what the next one carries, the ones sent, and the viewers' `View`."""

    def __init__(self, cluster: Cluster, room: str, tick_hz: int) -> None:
        self.room = room
        self.tick_hz = tick_hz
        #: Changes when the room is reloaded: browsers of another epoch start afresh.
        self.epoch = secrets.token_hex(4)
        self.seq = 0
        self.view = topology.View(cluster.snapshot(), guide(cluster))
        #: When the cluster next changes by itself (`Cluster.next_change`), as last sent.
        self.next_change = _next_change(cluster)
        self.event_seq = cluster.seq
        self.probe_counts = cluster.probe_counts()
        #: When a probe runs next, and the time of the last look at the counts.
        self.probes_next = cluster.next_probe_at()
        self.probes_seen_at = cluster.now
        self.hits: Counter[str] = Counter()
        #: The class's state as everyone sees it: who may act, and the presenter's view.
        self.floor: dict[str, Any] = {"mode": "presenter"}
        self.presenter_view: dict[str, Any] | None = None
        self.last_time_sync = 0.0
        #: Wall time the tick or command that the next frame reports began.
        self.made_at: float | None = None
        self._snapshot: tuple[int, list[str]] | None = None
        self._clear()

    def _clear(self) -> None:
        self.traces: list[dict] = []
        self.omitted = 0
        self.hits_delta: Counter[str] = Counter()
        self.commands: list[dict] = []
        self.notes: list[dict] = []
        self.probe_runs: dict[str, list[int]] = {}
        self.probes_due = False
        self.clock_changed = False
        self.streams_changed = False
        self.floor_changed = False
        self.view_changed = False

    # -- what the next frame carries ---------------------------------------------------

    def begin(self) -> None:
        """A tick or command starts: the next frame's delay is measured from now."""
        self.made_at = time.time()

    def add_traces(self, traces: list) -> None:
        for trace in traces:
            if trace is None:
                continue
            hit = hit_of(trace)
            if hit:
                self.hits_delta[hit] += 1
            if len(self.traces) < limits.MAX_TRACES_PER_FRAME:
                self.traces.append(trace_view(trace))
            else:
                self.omitted += 1

    def add_command(self, by: str, who: dict[str, Any], line: str, result: CommandResult) -> None:
        """A command connection `by` ran for participant `who` (named, never by id)."""
        self.add_traces(result.traces)
        self.commands.append(
            {
                "by": by,
                "who": who,
                "line": line,
                "exitCode": result.exit_code,
                "stdout": clip(result.stdout, limits.MAX_ECHO_CHARS),
                "stderr": clip(result.stderr, limits.MAX_ECHO_CHARS),
                "output": clip_output(result.output(), limits.MAX_ECHO_CHARS),
            }
        )
        self.probes_due = True  # `kubectl exec -- touch` may run a probe at once

    def note(self, who: dict[str, Any] | None, what: str, detail: str = "") -> None:
        """A change that is not a command (the clock, a stream, a rewind), named with who
        made it (`roles.Participant.who()`, None for the server) for every terminal's echo."""
        self.notes.append({"who": who or {}, "what": what, "detail": detail[:200]})

    def _probes_ran(self, cluster: Cluster) -> bool:
        """Whether a probe may have run since the last look: one was due, and time moved."""
        now = cluster.now
        due = self.probes_next is not None and now >= self.probes_next
        return self.probes_due or (due and now > self.probes_seen_at)

    def note_probes(self, cluster: Cluster) -> None:
        """Note the probes that ran since the last look (their counts moved)."""
        self.probes_seen_at = cluster.now
        counts = cluster.probe_counts()
        before = self.probe_counts
        if counts != before:
            ran = [pod for pod, now in counts.items() if before.get(pod, (0, 0)) != now]
            for namespace, name in ran[: limits.MAX_PROBES_PER_FRAME - len(self.probe_runs)]:
                self.probe_runs[f"{namespace}/{name}"] = list(counts[namespace, name])
            self.probe_counts = counts
        self.probes_due = False

    # -- frames ------------------------------------------------------------------------

    def next_frame(
        self, cluster: Cluster, clock: dict[str, Any], streams: list[dict], playing: bool
    ) -> Frame | None:
        """The frame with everything since the last one; None when there is nothing to say."""
        if self._probes_ran(cluster):
            self.note_probes(cluster)
        # Asked after every change (pods come and go), so a tick knows whether to look.
        self.probes_next = cluster.next_probe_at()
        feed = cluster.snapshot_changes(self.event_seq)
        self.event_seq = feed.seq
        changes = self.view.apply(feed.upsert, feed.remove)
        next_change = self.next_change
        if changes or self.commands or self.probe_runs or _passed(next_change, cluster.now):
            next_change = _next_change(cluster)
        now = time.time()
        made_at, self.made_at = self.made_at or now, None
        time_due = playing and now - self.last_time_sync >= TIME_SYNC_SECONDS
        moved = next_change != self.next_change
        self.next_change = next_change
        content = (
            changes
            or moved
            or self.traces
            or self.omitted
            or self.commands
            or self.notes
            or self.probe_runs
            or self.clock_changed
            or self.streams_changed
            or self.floor_changed
            or self.view_changed
        )
        if not (content or time_due):
            return None
        self.last_time_sync = now
        self.seq += 1
        frame: dict[str, Any] = {
            "type": "frame",
            "epoch": self.epoch,
            "seq": self.seq,
            "time": cluster.now,
            "at": round(made_at * 1000, 1),
        }
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
        if self.notes:
            frame["notes"] = self.notes
        if self.probe_runs:
            frame["probes"] = self.probe_runs
        if moved:
            frame["nextChange"] = next_change
        if self.clock_changed:
            frame["clock"] = clock
        if self.streams_changed:
            frame["streams"] = streams
        if self.floor_changed:
            frame["floor"] = self.floor
        if self.view_changed:
            frame["view"] = self.presenter_view
        self._clear()
        return Frame(frame, protocol.split(protocol.encode(frame)))

    def snapshot(self, time_now: float, clock: dict[str, Any], streams: list[dict]) -> list[str]:
        """The `snapshot` message, as texts to send: all a browser needs to draw the room.

        Encoded once per frame: a classroom joining at once shares one encoding.
        """
        if self._snapshot is not None and self._snapshot[0] == self.seq:
            return self._snapshot[1]
        message = {
            "type": "snapshot",
            "epoch": self.epoch,
            "seq": self.seq,
            "room": self.room,
            "time": time_now,
            "clock": clock,
            "tickHz": self.tick_hz,
            "streams": streams,
            "hits": dict(self.hits),
            "topology": self.view.topology,
            **self.view.first_steps,
            "nextChange": self.next_change,
            "probes": {f"{ns}/{name}": list(c) for (ns, name), c in self.probe_counts.items()},
            "collections": topology.COLLECTIONS,
            "systemNamespaces": topology.SYSTEM_NAMESPACES,
            "floor": self.floor,
            "view": self.presenter_view,
        }
        texts = protocol.split(protocol.encode(message))
        self._snapshot = (self.seq, texts)
        return texts
