"""Benchmark of rollouts and termination: every Deployment rolls to a new image at once.

Run: `python -m benchmarks.bench_rollout` (add `--quick` for 1,000 pods instead of 10,000).
The workload's Deployments (50 replicas each) roll by `--strategy`:

* `surge` (the default): maxSurge and maxUnavailable 25% (the defaults), an
  httpGet readiness probe (period 1 s) and a 5-second preStop hook;
* `no-probe`: the default strategy, pods ready as they run, no hook;
* `one-by-one`: maxSurge 0 and maxUnavailable 1, the httpGet probe.

One `kubectl apply` changes every template's image. The clock then moves 1 s at a
time until every Deployment reports its new ReplicaSet complete; each step is
timed (CPU time of this process, so other processes on the machine do not
count). Then `kubectl delete pod --wait=false` on pods with a preStop hook
(Terminating, replaced at once) is timed.
"""

from __future__ import annotations

import argparse
import statistics
import time

from simulator import Cluster

from .workload import manifest

PROBE = """        readinessProbe:
          httpGet:
            path: /
            port: 8080
          periodSeconds: 1
"""
EXEC_PROBE = """        readinessProbe:
          exec:
            command: ["ls", "/var/ready"]
          periodSeconds: 10
"""
PRESTOP = """        lifecycle:
          preStop:
            sleep:
              seconds: 5
"""


ONE_BY_ONE = "spec:\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}\n  replicas"

STRATEGIES = {
    "surge": lambda text: text.replace(EXEC_PROBE, PROBE + PRESTOP),
    "no-probe": lambda text: text.replace(EXEC_PROBE, ""),
    "one-by-one": lambda text: text.replace(EXEC_PROBE, PROBE).replace(
        "spec:\n  replicas", ONE_BY_ONE
    ),
}


def rolled(cluster: Cluster) -> int:
    """How many Deployments report their rollout complete."""
    done = 0
    for d in cluster.state.store.list("Deployment", "default"):
        status = d.get("status") or {}
        replicas = d["spec"].get("replicas", 1)
        done += (
            status.get("updatedReplicas") == replicas
            and status.get("availableReplicas") == replicas
            and status.get("replicas") == replicas
        )
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--strategy", choices=sorted(STRATEGIES), default="surge")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    deployments = 200 // scale
    text = manifest(services=1000 // scale, deployments=deployments, nodes=100 // scale)
    text = STRATEGIES[args.strategy](text)
    cluster = Cluster(seed=1)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    cluster.advance(5)
    pods = cluster.state.store.count("Pod")
    print(f"pods: {pods}, Deployments: {deployments}, rolled: {rolled(cluster)}")
    assert rolled(cluster) == deployments, "the Deployments are not all available before"

    changed = text.replace("image: luksa/kubia\n", "image: luksa/kubia:v2\n")
    start = time.process_time()
    result = cluster.run("kubectl apply -f -", stdin=changed)
    applied = time.process_time() - start
    assert result.exit_code == 0, result.stderr[:500]
    print(f"kubectl apply of the new images (first step of every rollout): {applied * 1000:.0f} ms")

    steps: list[float] = []
    began = cluster.state.now
    while rolled(cluster) < deployments:
        start = time.process_time()
        cluster.advance(1)
        steps.append(time.process_time() - start)
        assert len(steps) < 900, "the rollout did not finish in 15 simulated minutes"
    took = cluster.state.now - began
    print(
        f"rollout complete after {took:.0f} simulated s ({len(steps)} steps of 1 s); "
        f"advance step CPU median {statistics.median(steps) * 1000:.1f} ms, "
        f"p90 {sorted(steps)[int(len(steps) * 0.9)] * 1000:.1f} ms, "
        f"max {max(steps) * 1000:.1f} ms, all steps {sum(steps) * 1000:.0f} ms"
    )
    cluster.advance(10)  # the last old pods' preStop hooks end
    print(f"pods after the rollout: {cluster.state.store.count('Pod')}")
    if args.strategy != "surge":
        return

    names = [p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default")]
    victims = names[:: max(1, len(names) // 200)][:200]
    times = []
    for name in victims:
        start = time.process_time()
        result = cluster.run(f"kubectl delete pod {name} --wait=false")
        times.append(time.process_time() - start)
        assert result.exit_code == 0, result.stderr
    print(
        f"kubectl delete pod --wait=false (Terminating, replaced): "
        f"{statistics.median(times) * 1000:.3f} ms median, "
        f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.3f} ms over {len(times)}"
    )


if __name__ == "__main__":
    main()
