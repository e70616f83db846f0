"""The simulated clock: one object owns `now` and a heap of scheduled callbacks.

Nothing in the simulator reads the wall clock; the web layer decides how fast
simulated time passes. Ties are broken by priority, then by scheduling order,
so a run is fully deterministic.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: Simulated time 0. Fixed so that timestamps are the same on every run.
EPOCH = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)


_TIMESTAMPS: dict[int, str] = {}


def timestamp(at: float) -> str:
    """Return an RFC 3339 timestamp (as the API server writes them) for simulated time `at`."""
    second = int(at)
    text = _TIMESTAMPS.get(second)
    if text is None:
        if len(_TIMESTAMPS) > 100_000:  # bounded: a long-running process sees many seconds
            _TIMESTAMPS.clear()
        text = (EPOCH + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        _TIMESTAMPS[second] = text
    return text


class Clock:
    """Simulated time with a heap of `(time, priority, seq, callback)` entries."""

    def __init__(self) -> None:
        self.now: float = 0.0
        self._heap: list[tuple[float, int, int, Callable[[], None]]] = []
        self._seq = itertools.count()

    def schedule(self, at: float, callback: Callable[[], None], priority: int = 0) -> None:
        """Run `callback` when the clock reaches `at` (never in the past)."""
        heapq.heappush(self._heap, (max(at, self.now), priority, next(self._seq), callback))

    def advance(self, seconds: float) -> None:
        """Move time forward, running every callback due on the way, in order."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        until = self.now + seconds
        heap = self._heap
        while heap and heap[0][0] <= until:
            at, _, _, callback = heapq.heappop(heap)
            self.now = at
            callback()
        self.now = until

    def next_at(self, skip_priority: int | None = None) -> float | None:
        """When the next callback runs, leaving out those of priority `skip_priority`
        (whose owner predicts them better itself); None when none is scheduled."""
        times = (at for at, priority, _, _ in self._heap if priority != skip_priority)
        return min(times, default=None)

    def pending(self) -> int:
        """How many callbacks are scheduled."""
        return len(self._heap)
