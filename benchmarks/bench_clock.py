"""Benchmark of the simulated clock: readiness probes on every pod.

Run: `python -m benchmarks.bench_clock` (add `--quick` for a smaller cluster).
Advances the clock 10 s at a time over 10,000 pods that each have an exec
readiness probe (period 10 s), so every step runs every probe once. Half the
pods have their ready file, so both outcomes (and the readiness flips they
cause in Endpoints) are part of the measurement. Then the same with an
httpGet probe on every pod.
"""

from __future__ import annotations

import argparse
import statistics
import time

from simulator import Cluster

from .workload import manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    cluster = Cluster(seed=1)
    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    state = cluster.state
    pods = state.store.list("Pod", "default")
    for pod in pods[::2]:
        state.touch("default", pod["metadata"]["name"], None, "/var/ready")
    print(f"pods with a readiness probe: {len(pods)}")

    cluster.advance(10)  # first round: half the pods turn ready
    ready = sum(1 for p in pods if state.pod_ready("default", p["metadata"]["name"]))
    print(f"ready after the first probe round: {ready}")
    times = []
    for _ in range(15):
        start = time.perf_counter()
        cluster.advance(10)
        times.append(time.perf_counter() - start)
    print(
        f"advance 10 s (one probe per pod): median {statistics.median(times) * 1000:.1f} ms, "
        f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {len(times)} steps"
    )

    # Flip every ready pod back: failureThreshold (3) rounds of failures.
    for pod in pods[::2]:
        state.remove_file("default", pod["metadata"]["name"], None, "/var/ready")
    flips = []
    for _ in range(3):
        start = time.perf_counter()
        cluster.advance(10)
        flips.append(time.perf_counter() - start)
    ready = sum(1 for p in pods if state.pod_ready("default", p["metadata"]["name"]))
    print(
        f"advance 10 s while {len(pods) // 2} pods fail: "
        f"{', '.join(f'{t * 1000:.1f}' for t in flips)} ms; ready afterwards: {ready}"
    )
    http_probes(text)


def http_probes(text: str) -> None:
    """The same cluster with an httpGet readiness probe on each pod (every one passes)."""
    exec_probe = 'exec:\n            command: ["ls", "/var/ready"]'
    assert exec_probe in text
    text = text.replace(exec_probe, "httpGet:\n            path: /\n            port: 8080")
    cluster = Cluster(seed=1)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    cluster.advance(10)
    times = []
    for _ in range(15):
        start = time.process_time()
        cluster.advance(10)
        times.append(time.process_time() - start)
    print(
        f"advance 10 s (one httpGet probe per pod, CPU): median "
        f"{statistics.median(times) * 1000:.1f} ms, min {min(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms over {len(times)} steps"
    )


if __name__ == "__main__":
    main()
