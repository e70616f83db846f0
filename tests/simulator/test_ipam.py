"""Pod address allocation: host-local's order, whatever was given back."""

from __future__ import annotations

import random

from simulator.ipam import PodIPAllocator, node_pod_cidr


def _host_local(used: set[int], last: int) -> int | None:
    # The plugin's rule, written plainly: the first free address after the last one
    # given, wrapping round .2-.254 (.0, .1 and .255 are never given).
    for step in range(1, 254):
        offset = (last - 2 + step) % 253 + 2
        if offset not in used:
            return offset
    return None


def test_addresses_follow_the_last_one_given_and_wrap_round() -> None:
    rng = random.Random(3)
    allocator = PodIPAllocator(node_pod_cidr(7))
    used: set[int] = set()
    last = 1
    for _ in range(3000):
        if used and rng.random() < 0.45:
            gone = rng.choice(sorted(used))
            used.discard(gone)
            allocator.release(f"10.244.7.{gone}")
            continue
        expected = _host_local(used, last)
        got = allocator.allocate()
        if expected is None:
            assert got is None
            continue
        assert got == f"10.244.7.{expected}"
        used.add(expected)
        last = expected


def test_a_full_node_gives_no_address() -> None:
    allocator = PodIPAllocator(node_pod_cidr(1))
    given = [allocator.allocate() for _ in range(253)]
    assert given[0] == "10.244.1.2"
    assert given[-1] == "10.244.1.254"
    assert allocator.allocate() is None
    allocator.release("10.244.1.100")
    assert allocator.allocate() == "10.244.1.100"
