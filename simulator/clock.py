"""The simulated clock: one object owns `now` and a heap of scheduled items.

Nothing in the simulator reads the wall clock; the web layer decides how fast
simulated time passes. Scheduled items are data (what is due), not callbacks:
whoever moves the clock takes each item as its time comes and acts on it, so
nothing on the heap points back at the cluster. Ties are broken by priority,
then by scheduling order, so a run is fully deterministic.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

#: Simulated time 0. Fixed so that timestamps are the same on every run.
EPOCH = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)


_TIMESTAMPS: dict[int, str] = {}
_SECONDS: dict[str, float] = {}  # seconds_at's answers


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


def seconds_at(text: str) -> float:
    """The simulated time of an RFC 3339 timestamp `timestamp` wrote (0 for anything else).

    Read back from `timestamp`'s own cache first: a status recounted on every controller
    sync reads the same few timestamps again, and `strptime` is slow.
    """
    seconds = _SECONDS.get(text)
    if seconds is None:
        try:
            moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except (TypeError, ValueError):
            return 0.0
        if len(_SECONDS) > 100_000:
            _SECONDS.clear()
        seconds = _SECONDS[text] = (moment - EPOCH).total_seconds()
    return seconds


Item = TypeVar("Item")


class Clock(Generic[Item]):
    """Simulated time with a heap of `(time, priority, seq, item)` entries."""

    def __init__(self) -> None:
        self.now: float = 0.0
        self._heap: list[tuple[float, int, int, Item]] = []
        self._seq = itertools.count()

    def schedule(self, at: float, item: Item, priority: int = 0) -> None:
        """Make `item` due when the clock reaches `at` (never in the past)."""
        heapq.heappush(self._heap, (max(at, self.now), priority, next(self._seq), item))

    def due(self, seconds: float) -> Iterator[Item]:
        """Move time forward by `seconds`, yielding each item as it falls due, in order.

        While the caller handles an item, `now` is that item's time, so what it does
        is stamped then; items it schedules within the step come due in the same
        loop. Time ends at `now + seconds` once the iteration is exhausted.
        """
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        until = self.now + seconds
        heap = self._heap
        while heap and heap[0][0] <= until:
            at, _, _, item = heapq.heappop(heap)
            self.now = at
            yield item
        self.now = until

    def advance(self, seconds: float) -> None:
        """Move time forward when nothing is scheduled on the way (a fake cluster's clock).

        Raises:
            RuntimeError: an item would fall due; take it with `due` instead.
        """
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        if self._heap and self._heap[0][0] <= self.now + seconds:
            raise RuntimeError("scheduled items fall due: move the clock with due()")
        self.now += seconds

    def next_at(self, skip_priority: int | None = None) -> float | None:
        """When the next item falls due, leaving out those of priority `skip_priority`
        (whose owner predicts them better itself); None when none is scheduled."""
        if skip_priority is None:
            return self._heap[0][0] if self._heap else None  # the heap's top, at once
        times = (at for at, priority, _, _ in self._heap if priority != skip_priority)
        return min(times, default=None)

    def next_item(self, skip_priority: int | None = None,
                  skip_types: tuple[type, ...] = ()) -> tuple[float, object] | None:  # fmt: skip
        """The next item to fall due and its time, leaving out those of priority
        `skip_priority` and those of `skip_types`; None when none is scheduled."""
        entries = (
            entry
            for entry in self._heap
            if entry[1] != skip_priority and not isinstance(entry[3], skip_types)
        )
        first = min(entries, default=None)
        return (first[0], first[3]) if first is not None else None

    def upcoming(self) -> list[object]:
        """The scheduled items, in the order they fall due (a read, for tests and tools)."""
        return [entry[3] for entry in sorted(self._heap)]

    def pending(self) -> int:
        """How many items are scheduled."""
        return len(self._heap)
