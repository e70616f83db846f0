"""Benchmark of the simulator's state half (issue: manifests, cluster state, kubectl).

Run: `python -m benchmarks.bench_core` (add `--quick` for a smaller cluster,
`--collector` for what the cyclic garbage collector adds around a bulk apply,
with and without `gc.freeze()`). Prints medians of CPU time and ratios; the
figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

import yaml

from simulator import Cluster

from .workload import manifest


def cpu_time(fn, collect: bool = True) -> float:
    """CPU seconds of one `fn()` (GC paused while timing; collected first unless told not).

    CPU time of this process, not wall time: the figure is the work done, unaffected by
    other processes sharing the machine.
    """
    if collect:
        gc.collect()
    gc.disable()
    start = time.process_time()
    result = fn()
    elapsed = time.process_time() - start
    del result  # freed after the clock stops: tearing the result down is not the work timed
    gc.enable()
    return elapsed


def median_time(fn, repeat: int) -> float:
    """Median CPU seconds of `fn()` over `repeat` runs."""
    return statistics.median(cpu_time(fn) for _ in range(repeat))


def timed_pair(parse, apply, parse_first: bool) -> tuple[float, float]:
    """CPU seconds of (`parse()`, `apply()`), run in the order asked."""
    if parse_first:
        parsed = cpu_time(parse)
        return parsed, cpu_time(apply)
    applied = cpu_time(apply)
    return cpu_time(parse), applied


def collector_pass(apply, freeze: bool) -> tuple[float, float, float]:
    """CPU seconds, with the collector on as a server runs it, of: an apply (which pauses
    the collector inside); the collector's first passes over what it made (once through
    each generation, as the automatic collections that follow would); one full collection
    while the cluster lives. `freeze`: `gc.freeze()` right after the apply."""
    gc.collect()
    gc.enable()
    start = time.process_time()
    cluster = apply()
    applied = time.process_time() - start
    if freeze:
        gc.freeze()
    start = time.process_time()
    for generation in (0, 1, 2):
        gc.collect(generation)
    promoted = time.process_time() - start
    start = time.process_time()
    gc.collect()
    full = time.process_time() - start
    gc.unfreeze()
    del cluster
    return applied, promoted, full


def collector_figures(apply, repeat: int) -> None:
    """`collector_pass` without and with the freeze, alternated; medians."""
    runs: dict[bool, list[tuple[float, float, float]]] = {False: [], True: []}
    for i in range(repeat):
        for freeze in (i % 2 == 0, i % 2 != 0):
            runs[freeze].append(collector_pass(apply, freeze))
    for freeze, label in ((False, "without gc.freeze()"), (True, "with gc.freeze()   ")):
        applied, promoted, full = (statistics.median(r[i] for r in runs[freeze]) for i in range(3))
        print(
            f"collector on, {label}: apply {applied * 1000:7.1f} ms, first passes over its "
            f"objects {promoted * 1000:6.1f} ms, each full collection {full * 1000:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size, fewer runs")
    parser.add_argument("--collector", action="store_true", help="the collector's figures only")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    repeat = 3 if args.quick else 11
    print(f"manifest: {len(text) / 1024:.0f} KiB, {text.count('---') + 1} documents")

    def parse() -> list:
        return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    def apply() -> Cluster:
        cluster = Cluster(seed=1)
        result = cluster.run("kubectl apply -f -", stdin=text)
        assert result.exit_code == 0, result.stderr[:500]
        return cluster

    apply()  # the first run also imports kubectl's modules
    if args.collector:
        collector_figures(apply, repeat)
        return
    # Parse and apply alternate, so a machine that speeds up or slows down during the
    # run moves both; the ratio is the median of each pair's ratio. Every other pair
    # times apply first, so neither always runs on the heap the other just left.
    pairs = [timed_pair(parse, apply, parse_first=i % 2 == 0) for i in range(repeat)]
    parsed = statistics.median(p for p, _ in pairs)
    applied = statistics.median(a for _, a in pairs)
    ratio = statistics.median(a / p for p, a in pairs)
    print(f"PyYAML CSafeLoader parse only:     {parsed * 1000:8.1f} ms")
    print(f"kubectl apply (parse..endpoints):  {applied * 1000:8.1f} ms  = {ratio:.2f}x parse")

    cluster = apply()
    pods = cluster.state.store.count("Pod")
    print(f"pods: {pods}")

    get_all = median_time(lambda: cluster.run("kubectl get pods -A"), repeat * 2)
    print(f"kubectl get pods -A:               {get_all * 1000:8.1f} ms")

    names = [p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default")]
    victims = names[:: max(1, len(names) // 200)][:200]

    def delete(name: str) -> None:
        result = cluster.run(f"kubectl delete pod {name}")
        assert result.exit_code == 0, result.stderr

    times = [cpu_time(lambda name=name: delete(name), collect=False) for name in victims]
    print(f"kubectl delete pod (+Endpoints):   {statistics.median(times) * 1e3:8.3f} ms median, "
          f"p90 {sorted(times)[int(len(times) * 0.9)] * 1e3:.3f} ms over {len(times)}")  # fmt: skip

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = apply()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    count = kept.state.store.count("Pod")
    print(f"memory: {(after - before) / 2**20:.1f} MiB for the whole cluster, "
          f"{(after - before) / count * 10000 / 2**20:.1f} MiB per 10,000 pods")  # fmt: skip


if __name__ == "__main__":
    main()
