"""A room's log and its replay.

A room is `(seed, manifests, log)`. Each log entry (`RoomEvent.op`) is a
command line (`{"op": "run", ...}`), a run of clock ticks with the requests
each stream sent (`{"op": "ticks", ...}`), the request streams running from
then on (`{"op": "streams", ...}`), a return to an earlier point (`{"op":
"rewind", "to": N}`: the cluster is again as it was after the log's first N
entries), or a note for a follower that changes nothing (`{"op": "lesson",
...}`; docs/architecture.md, "Rooms"). The simulator is deterministic, so
replaying the entries call for call, here and nowhere else, rebuilds the
same cluster in any process; `restore` also rebuilds what a live room keeps
beside it (its streams and hit counters). `RoomLog` is a live room's end of
it: ticks not yet written, and the writes.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction

from playground import limits
from playground.models import Room, RoomEvent
from simulator import Capacity, Cluster

logger = logging.getLogger(__name__)

APPLY = "kubectl apply -f -"
#: What every room's cluster may hold (playground/limits.py), at creation, replay and rewind.
ROOM_CAPACITY = Capacity(
    replicas=limits.ROOM_MAX_REPLICAS,
    pods=limits.ROOM_MAX_PODS,
    objects=limits.ROOM_MAX_OBJECTS,
    nodes=limits.ROOM_MAX_NODES,
)
#: Log entries that do not touch the cluster: notes for followers (a lesson's progress).
NOTES = frozenset({"lesson"})


def logged_op(line: str, stdin: str, exit_code: int, changed: bool) -> dict[str, Any]:
    """A command line's log entry. Manifests the cluster refused whole are logged without
    them (`"refused": true`): they changed nothing, so replay skips them, and a learner's
    rejected 48 KiB paste costs the log a line, not the paste."""
    op: dict[str, Any] = {"op": "run", "line": line}
    if stdin and exit_code != 0 and not changed and line == APPLY:
        op["refused"] = True
    elif stdin:
        op["stdin"] = stdin
    return op


def apply_op(cluster: Cluster, op: dict[str, Any]) -> Any:
    """Apply one log entry to `cluster`; the live room and replay both go through here."""
    if op["op"] == "run":
        if op.get("refused"):
            return None  # manifests the cluster refused whole: they changed nothing
        return cluster.run(op["line"], stdin=op.get("stdin", ""))
    if op["op"] == "streams":
        return []  # which streams run is the live room's, not the cluster's
    if op["op"] == "ticks":
        streams = op["streams"]
        traces = []
        for step, counts, repeat in op["runs"]:
            for _ in range(repeat):
                if step:
                    cluster.advance(step)
                for (target, source), n in zip(streams, counts, strict=True):
                    traces.extend(send_requests(cluster, target, source, n))
        return traces
    raise ValueError(f"unknown log entry {op['op']!r}")


def send_requests(cluster: Cluster, target: str, source: str, n: int) -> list:
    """Send `n` requests as `curl -k` would; stop at the first one that raised (a None)."""
    traces = []
    for _ in range(n):
        try:
            traces.append(cluster.request(target, source=source, insecure=True))
        except Exception:  # noqa: BLE001 - replay must fail exactly where the live room did
            logger.exception("request %s from %s failed", target, source)
            traces.append(None)
            break
    return traces


def new_cluster(seed: int) -> Cluster:
    """A room's cluster, with the room's capacity: every room's is made here (creation,
    validation, replay, rewind). Whatever the capacity lets through, the server's
    ceilings on a room's worker (time, memory) stop a runaway piece of work."""
    return Cluster(seed, capacity=ROOM_CAPACITY)


def effective_ops(ops: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """The entries that make the cluster, `(index, op)` in order: a `rewind` drops every
    entry after the point it returns to, and notes make nothing.

    Raises:
        ValueError: a rewind to a point the log has not reached.
    """
    # Each point of the log keeps the chain of entries that made it (shared tails), so a
    # rewind to any earlier point, even one a later rewind left behind, is exact.
    chain: tuple | None = None
    points: list[tuple | None] = [None]
    for index, op in enumerate(ops):
        if op["op"] == "rewind":
            to = op["to"]
            if not (isinstance(to, int) and 0 <= to <= index):
                raise ValueError(f"entry {index} rewinds to {to!r}, outside the log")
            chain = points[to]
        elif op["op"] not in NOTES:
            chain = ((index, op), chain)
        points.append(chain)
    kept = []
    while chain is not None:
        kept.append(chain[0])
        chain = chain[1]
    kept.reverse()
    return kept


def replay(
    seed: int,
    manifests: str,
    ops: list[dict[str, Any]],
    on_op: Callable[[int, dict[str, Any], Any], None] | None = None,
) -> Cluster:
    """Rebuild a room's cluster from what is stored; `on_op(index, op, result)` hears each
    entry that made it (followers rebuild what they saw)."""
    return restore(seed, manifests, ops, on_op).cluster


@dataclass
class Restored:
    """A room rebuilt from its log: the cluster, and what the live room keeps beside it."""

    cluster: Cluster
    #: The streams running at the end of the log (`streams` entries), and how many were made.
    streams: list[dict[str, Any]] = field(default_factory=list)
    streams_made: int = 0
    #: Requests each pod answered, from the log's commands and streams (as frames count).
    hits: Counter[str] = field(default_factory=Counter)


def restore(
    seed: int,
    manifests: str,
    ops: Sequence[dict[str, Any]],
    on_op: Callable[[int, dict[str, Any], Any], None] | None = None,
) -> Restored:
    """Rebuild a room from what is stored: replay the entries that make it (a rewind drops
    those it went back over), note its streams, count its hits."""
    cluster = new_cluster(seed)
    cluster.run(APPLY, stdin=manifests)
    restored = Restored(cluster)
    for index, op in effective_ops(list(ops)):
        if op["op"] == "streams":
            restored.streams = op["streams"]
            restored.streams_made = op.get("made", len(op["streams"]))
        result = apply_op(cluster, op)
        if result is None:
            continue  # manifests refused whole: they changed nothing and showed nothing
        traces = result.traces if op["op"] == "run" else result
        restored.hits.update(hit for hit in map(hit_of, traces) if hit)
        if on_op is not None:
            on_op(index, op, result)
    return restored


def hit_of(trace) -> str | None:
    """The pod a request counts as a hit for: one a pod answered (not ingress-nginx's own
    redirect or 404); None otherwise."""
    if trace is None or trace.outcome != "ok" or not trace.hops:
        return None
    last = trace.hops[-1]
    return (trace.served_by or last.name) if last.kind == "pod" else None


async def read_ops(room: Room | int) -> list[dict[str, Any]]:
    """Every entry of a room's log (a room or its primary key), in order."""
    entries = RoomEvent.objects.filter(room=room).order_by("index").values_list("op", flat=True)
    return [op async for op in entries]


@dataclass
class PendingTicks:
    """Ticks run but not yet in the log: one `ticks` entry in the making."""

    streams: list[list[str]] = field(default_factory=list)
    runs: list[list[Any]] = field(default_factory=list)
    #: Whether any of the runs sent requests (not only the clock moving).
    requests: bool = False

    def add(self, step: float, counts: list[int]) -> None:
        if not step and not any(counts):
            return  # a paused, quiet tick changes nothing
        self.requests = self.requests or any(counts)
        if self.runs and self.runs[-1][0] == step and self.runs[-1][1] == counts:
            self.runs[-1][2] += 1
        else:
            self.runs.append([step, counts, 1])

    def take(self) -> dict[str, Any] | None:
        if not self.runs:
            return None
        op = {"op": "ticks", "streams": self.streams, "runs": self.runs}
        self.runs, self.requests = [], False
        return op


class RoomLog:
    """A live room's end of its log: ticks run but not yet written, and the writes.

    Ticks are written at most a flush interval after they ran; a command is
    written, with the ticks before it and in one transaction, before its
    effects are sent to anyone.
    """

    def __init__(self, room_id: int, length: int) -> None:
        self.room_id = room_id
        self.next_index = length
        self.pending = PendingTicks()
        #: Closed `ticks` entries waiting for the next write.
        self.unwritten: list[dict[str, Any]] = []

    @property
    def up_to_date(self) -> bool:
        """Whether everything the room ran is in the log."""
        return not self.unwritten and not self.pending.runs

    @property
    def traffic_pending(self) -> bool:
        """Whether ticks not yet written sent requests. Only those are written every flush
        interval: an idle clock's time is written with the next command, stream or clock
        change, or when the room unloads, so an idle room adds no rows to its log. (A crash
        loses that unwritten time, never a command: a command is written together with
        every tick before it.)"""
        return bool(self.unwritten) or self.pending.requests

    def add_ticks(self, step: float, counts: list[int]) -> None:
        """One tick: the clock moved `step` seconds, then each stream sent its count."""
        self.pending.add(step, counts)

    def set_streams(self, streams: list[list[str]]) -> None:
        """The streams changed (`[[url, source], ...]`): later ticks go in a new entry."""
        self._close_ticks()
        self.pending.streams = streams

    def note(self, op: dict[str, Any]) -> None:
        """An entry for the next write, after the ticks run so far (a stream that failed)."""
        self._close_ticks()
        self.unwritten.append(op)

    async def write(self, ops: Sequence[dict[str, Any]] = ()) -> None:
        """Append the ticks not yet written and then `ops`, in order, in one transaction."""
        self._close_ticks()
        batch = [*self.unwritten, *ops]
        if not batch:
            return
        await _append(self.room_id, self.next_index, batch)
        self.next_index += len(batch)
        self.unwritten.clear()

    def _close_ticks(self) -> None:
        op = self.pending.take()
        if op is not None:
            self.unwritten.append(op)


@sync_to_async
def _append(room_id: int, first: int, ops: list[dict[str, Any]]) -> None:
    """Write `ops` at indexes `first...`; idempotent: when those rows already hold exactly
    these entries (a write whose success was not seen), it succeeds without a second copy.

    Raises IntegrityError when other entries hold those indexes (another process wrote
    them: this one must not go on as the room's owner).
    """
    try:
        with transaction.atomic():
            RoomEvent.objects.bulk_create(
                RoomEvent(room_id=room_id, index=first + i, op=op) for i, op in enumerate(ops)
            )
    except IntegrityError:
        stored = list(
            RoomEvent.objects.filter(
                room_id=room_id, index__gte=first, index__lt=first + len(ops)
            ).values_list("op", flat=True)
        )
        if stored != list(ops):
            raise
