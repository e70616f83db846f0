"""The simulated clock: scheduled items come due in order, as time moves."""

from __future__ import annotations

import pytest

from simulator.clock import Clock


def taken(clock: Clock, seconds: float) -> list[tuple[float, str]]:
    """`(time, item)` for each item as `due` yields it."""
    return [(clock.now, item) for item in clock.due(seconds)]


def test_items_come_due_by_time_then_priority_then_order() -> None:
    clock = Clock()
    clock.schedule(5, "late")
    clock.schedule(2, "second", priority=1)
    clock.schedule(2, "first", priority=0)
    clock.schedule(2, "third", priority=1)
    clock.schedule(11, "beyond")
    assert taken(clock, 10) == [(2, "first"), (2, "second"), (2, "third"), (5, "late")]
    assert clock.now == 10
    assert clock.pending() == 1


def test_an_item_scheduled_while_time_moves_comes_in_the_same_step() -> None:
    clock = Clock()
    clock.schedule(1, "tick")
    seen = []
    for item in clock.due(25):
        seen.append((clock.now, item))
        clock.schedule(clock.now + 10, item)  # every 10 s, as probes are
    assert seen == [(1, "tick"), (11, "tick"), (21, "tick")]
    assert clock.pending() == 1


def test_an_item_in_the_past_comes_due_now() -> None:
    clock = Clock()
    clock.now = 30.0
    clock.schedule(3, "overdue")
    assert taken(clock, 0) == [(30.0, "overdue")]


def test_advance_moves_time_only_past_nothing() -> None:
    clock = Clock()
    clock.advance(4)
    assert clock.now == 4
    clock.schedule(6, "probe")
    with pytest.raises(RuntimeError):
        clock.advance(3)
    assert clock.now == 4, "refused whole"
    with pytest.raises(ValueError, match="backwards"):
        list(clock.due(-1))
