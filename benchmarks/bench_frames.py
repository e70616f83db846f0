"""Benchmark of building a frame at 5,000 pods: the change feed against a snapshot diff.

Run: `python -m benchmarks.bench_frames` (`--quick`: 500 pods, fewer runs).
The room is bench_web's 5,000-pod room (one Deployment behind a Service and
an Ingress, on 46 nodes), each pod with an exec readiness probe. For each
kind of change a room sees, it times the CPU spent working out what the next
frame's topology carries, two ways, alternately on the same change:

- snapshot diff, as frames were built before: `Cluster.snapshot()`, keyed,
  compared entry by entry with the last one;
- change feed, as they are built now: `Cluster.snapshot_changes(seq)`,
  applied to the viewers' `View` (playground/topology.py).

Both must find the same changes (checked on every run). It also times what
a playing tick spends noticing which probes ran, and one inspector's read. Figures are medians of
process CPU time; ratios are medians of the paired ratios. They go to
docs/performance.md ("Frames").
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from playground import topology
from simulator import Cluster

from .bench_web import manifest

PROBE = """        ports:
        - containerPort: 8080
        readinessProbe:
          exec:
            command: ["ls", "/var/ready"]
          periodSeconds: 10
"""


def probed_manifest(pods: int) -> str:
    text = manifest(pods)
    return text.replace("        ports:\n        - containerPort: 8080\n", PROBE, 1)


def cpu(fn):
    """`(result, CPU seconds)` of `fn()`, the collector paused while timing."""
    gc.disable()
    start = time.process_time()
    result = fn()
    elapsed = time.process_time() - start
    gc.enable()
    return result, elapsed


class SnapshotDiff:
    """How frames were built before: a whole snapshot, keyed and compared with the last."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.index = self.keyed()

    def keyed(self) -> dict:
        snap = self.cluster.snapshot()
        return {c: {topology.key(c, o): o for o in snap[c]} for c in topology.COLLECTIONS}

    def changes(self) -> dict:
        new = self.keyed()
        changes = {}
        for c in topology.COLLECTIONS:
            before, after = self.index[c], new[c]
            upsert = [o for k, o in after.items() if before.get(k) != o]
            remove = [k for k in before if k not in after]
            if upsert or remove:
                changes[c] = {"upsert": upsert, "remove": remove}
        self.index = new
        return changes


class ChangeFeed:
    """How frames are built now: the simulator's changed entries, applied to the View."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.view = topology.View(
            cluster.snapshot(),
            topology.Guide(
                lambda: cluster.first_steps().to_dict(), lambda: cluster.suggestions().to_dict()
            ),
        )
        self.seq = cluster.seq

    def changes(self) -> dict:
        feed = self.cluster.snapshot_changes(self.seq)
        self.seq = feed.seq
        changes = self.view.apply(feed.upsert, feed.remove)
        for extra in ("targets", "requests", "suggestions"):
            changes.pop(extra, None)  # the diff above leaves first steps out too
        return changes


def shape(changes: dict) -> dict:
    return {
        c: (sorted(topology.key(c, o) for o in ch["upsert"]), sorted(ch["remove"]))
        for c, ch in changes.items()
    }


def compare(name: str, cluster: Cluster, change, runs: int) -> None:
    """Make the change `runs` times; after each, time both ways of finding it."""
    diff, feed = SnapshotDiff(cluster), ChangeFeed(cluster)
    before, after, ratios = [], [], []
    for i in range(runs):
        change(i)
        if i % 2:
            new, new_t = cpu(feed.changes)
            old, old_t = cpu(diff.changes)
        else:
            old, old_t = cpu(diff.changes)
            new, new_t = cpu(feed.changes)
        assert shape(old) == shape(new), (name, shape(old), shape(new))
        before.append(old_t)
        after.append(new_t)
        ratios.append(old_t / max(new_t, 1e-7))
    print(
        f"{name:<38} diff {statistics.median(before) * 1e3:7.2f} ms   "
        f"feed {statistics.median(after) * 1e3:7.3f} ms   "
        f"= {statistics.median(ratios):7.0f}x faster"
    )


def probe_ticks(cluster: Cluster, runs: int) -> None:
    """What a playing tick spends noticing which probes ran, before and now.

    Before, every tick compared each probed pod's kept counters. Now a tick asks
    when the next probe runs, and reads the counts only when one was due.
    """
    state = cluster.state
    probed = {k: ([rt.probes[0].successes, rt.probes[0].failures], rt.probes[0])
              for k, rt in state.runtime.items() if rt.probes}  # fmt: skip

    def by_records() -> int:  # before, on every tick: a loop over kept runtime records
        ran = 0
        for counts, probe in probed.values():
            now = [probe.successes, probe.failures]
            if now != counts:
                counts[:] = now
                ran += 1
        return ran

    last = cluster.probe_counts()

    def by_counts() -> int:  # now, on a tick when a probe was due: the facade's counts
        nonlocal last
        counts = cluster.probe_counts()
        ran = sum(1 for k, c in counts.items() if last.get(k) != c) if counts != last else 0
        last = counts
        return ran

    old = statistics.median(cpu(by_records)[1] for _ in range(runs))
    quiet = statistics.median(cpu(cluster.next_probe_at)[1] for _ in range(runs))
    due = statistics.median(cpu(by_counts)[1] for _ in range(runs))
    ticks = 10 * 16  # one probe period of 10 s at 16 ticks a second
    print(
        f"{'probe runs noticed, per playing tick':<38} before {old * 1e3:6.3f} ms   "
        f"now {(quiet * (ticks - 1) + due) / ticks * 1e3:6.3f} ms on average "
        f"({quiet * 1e3:.4f} ms, and {due * 1e3:.2f} ms once a period; "
        f"{len(probed)} probed pods)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 pods, fewer runs")
    args = parser.parse_args()
    pods, runs = (500, 5) if args.quick else (5000, 21)
    cluster = Cluster(seed=1)
    result = cluster.run("kubectl apply -f -", stdin=probed_manifest(pods))
    assert result.exit_code == 0, result.stderr[:500]
    names = [p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default")]
    print(f"pods: {len(names)} ({cluster.state.store.count('Node')} nodes), {runs} runs each")

    compare("nothing changed (a quiet tick)", cluster, lambda i: None, runs)
    compare(
        "one pod labelled",
        cluster,
        lambda i: cluster.run(f"kubectl label pod {names[i]} run=r{i} --overwrite"),
        runs,
    )
    compare(
        "one pod turns ready (its probe passes)",
        cluster,
        lambda i: (
            cluster.run(f"kubectl exec {names[-1 - i]} -- touch /var/ready"),
            cluster.advance(10),
        ),
        runs,
    )
    compare(
        "one pod deleted and replaced",
        cluster,
        lambda i: cluster.run(f"kubectl delete pod {names[i]}"),
        runs,
    )
    compare(
        "scaled up or down by 10 pods",
        cluster,
        lambda i: cluster.run(
            f"kubectl scale deployment web --replicas={pods + 10 * ((i + 1) % 2)}"
        ),
        runs,
    )
    probe_ticks(cluster, runs)
    for kind, name in (("Service", "web"), ("Pod", names[-1])):
        inspected = statistics.median(
            cpu(lambda kind=kind, name=name: cluster.inspect(kind, "default", name))[1]
            for _ in range(max(3, runs // 4))
        )
        print(f"{'Cluster.inspect, one ' + kind:<38} {inspected * 1e3:7.2f} ms")


if __name__ == "__main__":
    main()
