"""Benchmark of the simulated shell: what pipes, filters and the line reader cost.

Run: `python -m benchmarks.bench_shell` (add `--quick` for a smaller cluster).
On a cluster of about 10,000 pods, times alternated pairs of command lines
(CPU time of this process, so other work on the machine counts less):

* `kubectl get pods -A` against the same line piped into `grep kubia | wc -l`,
  `awk '{print $1}' | sort | head -3` and `grep -c -E 'Running|Pending'`:
  what the filters add to the command they follow;
* a plain line (words split on blanks, no shell) against the same line with a
  quote in it (parsed by the shell layer): what the line reader costs;
* `kubectl exec POD -- sh -c 'env | grep KUBERNETES'` against
  `kubectl exec POD -- env`: a shell in a container.

Prints medians and the ratio of each pair.
"""

from __future__ import annotations

import argparse
import statistics
import time

from simulator import Cluster

from .workload import manifest


def timed(cluster: Cluster, line: str) -> float:
    start = time.process_time()
    result = cluster.run(line)
    spent = time.process_time() - start
    assert result.exit_code in (0, 1), f"{line}: {result.stderr[:300]}"
    return spent


def pair(cluster: Cluster, label: str, base: str, other: str, rounds: int) -> None:
    """Alternate the two lines `rounds` times; print both medians and their ratio."""
    first, second = [], []
    for k in range(rounds):
        order = (base, other) if k % 2 == 0 else (other, base)
        times = {line: timed(cluster, line) for line in order}
        first.append(times[base])
        second.append(times[other])
    a, b = statistics.median(first), statistics.median(second)
    print(f"{label}: {a * 1000:.2f} ms -> {b * 1000:.2f} ms median, = {b / a:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rounds = 5 if args.quick else 11
    cluster = Cluster(seed=1)
    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    pods = cluster.run("kubectl get pods -A --no-headers | wc -l").stdout.strip()
    print(f"pods: {pods}")
    get = "kubectl get pods -A"
    pair(cluster, "get pods -A | grep kubia | wc -l", get, f"{get} | grep kubia | wc -l", rounds)
    pair(cluster, "get pods -A | awk | sort | head", get,
         f"{get} | awk '{{print $2}}' | sort | head -3", rounds)  # fmt: skip
    pair(cluster, "get pods -A | grep -c -E", get, f"{get} | grep -c -E 'Running|Pending'", rounds)
    pair(cluster, "plain line -> shell-parsed line", "kubectl get svc kubernetes",
         "kubectl get svc 'kubernetes'", rounds * 4)  # fmt: skip
    pod = cluster.run("kubectl get pods -o jsonpath={.items[0].metadata.name}").stdout
    pair(cluster, "exec env -> exec sh -c 'env | grep'", f"kubectl exec {pod} -- env",
         f"kubectl exec {pod} -- sh -c 'env | grep KUBERNETES'", rounds * 4)  # fmt: skip


if __name__ == "__main__":
    main()
