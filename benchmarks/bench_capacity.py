"""What a room's capacity check costs on bench_core's apply (1,000 Services, 200
Deployments, 100 nodes): the same apply with and without a `Capacity`, alternated.

Run: `python -m benchmarks.bench_capacity` (`--quick`: a tenth of the size, fewer runs).
Prints CPU-time medians and the median of each pair's ratio (docs/performance.md).
"""

from __future__ import annotations

import argparse
import statistics

from simulator import Capacity, Cluster

from .bench_core import cpu_time
from .workload import manifest

ROOM = Capacity(replicas=10_000, pods=20_000, objects=5_000, nodes=200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size, fewer runs")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    repeat = 3 if args.quick else 11

    def apply(capacity: Capacity | None):
        def run() -> Cluster:
            cluster = Cluster(seed=1, capacity=capacity)
            result = cluster.run("kubectl apply -f -", stdin=text)
            assert result.exit_code == 0, result.stderr[:300]
            return cluster

        return run

    apply(None)()  # imports
    pairs = []
    for i in range(repeat):
        order = (None, ROOM) if i % 2 == 0 else (ROOM, None)
        times = {id(c): cpu_time(apply(c)) for c in order}
        pairs.append((times[id(None)], times[id(ROOM)]))
    plain = statistics.median(p for p, _ in pairs)
    limited = statistics.median(c for _, c in pairs)
    ratio = statistics.median(c / p for p, c in pairs)
    spread = statistics.quantiles([p for p, _ in pairs], n=4)
    print(f"apply without a capacity: {plain * 1000:8.1f} ms (quartiles "
          f"{spread[0] * 1000:.1f}-{spread[2] * 1000:.1f} ms)")  # fmt: skip
    print(f"apply with a room's:      {limited * 1000:8.1f} ms  = {ratio:.3f}x")


if __name__ == "__main__":
    main()
