"""Pacing and request streams: wall-clock time for a room's simulated clock and traffic.

The simulator never reads the wall clock (its time is passed in); pacing
lives here, as SimPy's `RealtimeEnvironment` keeps it apart from its
`Environment`. A `Ticker` calls a room's tick a fixed number of times a
second of wall time; `Streams` are the room's request generators, each
sending its rate's share of requests per tick.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from playground import limits
from playground.rooms.log import send_requests
from simulator import Cluster

#: A ticker this far behind (a long command) skips ahead rather than bursting.
MAX_LAG_TICKS = 5


class Ticker:
    """Runs `tick` every `1 / hz` seconds of wall time until it returns False."""

    def __init__(self, hz: float) -> None:
        self.interval = 1 / hz

    async def run(self, tick: Callable[[], Awaitable[bool]]) -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            next_at += self.interval
            delay = next_at - loop.time()
            if delay < -MAX_LAG_TICKS * self.interval:
                next_at = loop.time()
            await asyncio.sleep(max(0.0, delay))
            if not await tick():
                return


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


class Streams:
    """A room's request streams, within the room's limits (playground.limits)."""

    def __init__(self, running: Sequence[dict[str, Any]] = (), made: int = 0) -> None:
        """Streams as a `streams` log entry left them (`to_dicts()`), or none."""
        self.by_id: dict[str, Stream] = {}
        for spec in running:
            stream = Stream(spec["id"], spec["url"], spec["source"], float(spec["rate"]))
            self.by_id[stream.id] = stream
        self._made = max(made, len(self.by_id))

    def start(self, target: str, source: str, rate: float) -> Stream:
        """A new stream; ValueError (a message for the learner) when over a limit."""
        if len(self.by_id) >= limits.MAX_STREAMS:
            raise ValueError(
                _("A room runs at most %(count)s streams; stop one first.")
                % {"count": limits.MAX_STREAMS}
            )
        if sum(s.rate for s in self.by_id.values()) + rate > limits.MAX_ROOM_RATE:
            raise ValueError(
                _("All streams of a room together send at most %(rate)s requests a second.")
                % {"rate": f"{limits.MAX_ROOM_RATE:g}"}
            )
        self._made += 1
        stream = Stream(f"s{self._made}", target, source, rate)
        self.by_id[stream.id] = stream
        return stream

    def stop(self, stream_id: str | None) -> None:
        """Stop one stream, or all of them (`None`)."""
        if stream_id is None:
            self.by_id.clear()
        elif self.by_id.pop(stream_id, None) is None:
            raise ValueError(_("There is no stream %(id)r in this room.") % {"id": stream_id[:20]})

    def send(self, cluster: Cluster, tick_hz: float) -> tuple[list[int], list, list[str]]:
        """Send each stream's requests for one tick (fractions carry over to the next).

        Returns the requests each stream sent (as the log records them), their
        traces, and the streams that failed and were stopped.
        """
        counts, traces, failed = [], [], []
        for stream in list(self.by_id.values()):
            stream.credit += stream.rate / tick_hz
            n = int(stream.credit)
            stream.credit -= n
            sent = send_requests(cluster, stream.target, stream.source, n)
            counts.append(len(sent))
            if sent and sent[-1] is None:  # a request raised: the stream stops there
                sent.pop()
                failed.append(stream.id)
            traces.extend(sent)
        for stream_id in failed:
            self.stop(stream_id)
        return counts, traces, failed

    def log_entry(self) -> dict[str, Any]:
        """The `streams` log entry that restores these streams (log.restore)."""
        return {"op": "streams", "streams": self.to_dicts(), "made": self._made}

    def specs(self) -> list[list[str]]:
        """`[[url, source], ...]`, as the log's `ticks` entries name the streams."""
        return [[s.target, s.source] for s in self.by_id.values()]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.by_id.values()]
