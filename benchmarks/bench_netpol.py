"""Benchmark of NetworkPolicy: recomputing the reachability matrix.

Run: `python -m benchmarks.bench_netpol` (add `--quick` for fewer runs).

Builds a cluster of 200 pods (20 Deployments of 10 in four namespaces) under 20
NetworkPolicies of every shape the recipes use (deny all, allow from an app, from a
namespace, both in one element, ipBlock with except, named ports and ranges, egress
with DNS), then times `ClusterPolicies.matrix()` as the room recomputes it after a
change: per workload (the room's view at this size) and per pod (200 x 200 cells, the
worst case). Each run first relabels one pod, so the pod cache misses as it does live.
Prints the median and best CPU time, then the same as the room pays for it:
`Cluster.policy_matrix` (the plain data) and its JSON text, what one recompute costs
before it goes to every viewer of that view. Then times `PolicySet.check` alone, one
connection between two of those pods at a time (what the network pays for a packet
it has not judged before; it keeps the answer while nothing changes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial

from simulator import Cluster
from simulator.netpol import ClusterPolicies, Party

NAMESPACES = ("default", "shop", "payments", "tools")

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}, tier: {tier}}}}}
    spec:
      containers:
      - name: web
        image: luksa/kubia
        ports: [{{name: http, containerPort: 8080}}, {{containerPort: 9090}}]
"""

POLICIES = [
    "{{name: deny-{ns}}}\nspec: {{podSelector: {{}}, policyTypes: [Ingress]}}",
    "{{name: from-frontend-{ns}}}\nspec:\n  podSelector: {{matchLabels: {{tier: backend}}}}\n"
    "  ingress: [{{from: [{{podSelector: {{matchLabels: {{tier: frontend}}}}}}], "
    "ports: [{{port: http}}]}}]",
    "{{name: from-team-{ns}}}\nspec:\n  podSelector: {{matchLabels: {{tier: frontend}}}}\n"
    "  ingress: [{{from: [{{namespaceSelector: {{matchLabels: {{team: shop}}}}, "
    "podSelector: {{matchExpressions: [{{key: tier, operator: In, values: [frontend, edge]}}]}}}}"
    "]}}]",
    "{{name: ranges-{ns}}}\nspec:\n  podSelector: {{matchLabels: {{tier: edge}}}}\n"
    "  ingress: [{{from: [{{ipBlock: {{cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}}}], "
    "ports: [{{port: 9000, endPort: 9100}}]}}]",
    "{{name: egress-{ns}}}\nspec:\n  podSelector: {{matchLabels: {{tier: backend}}}}\n"
    "  policyTypes: [Egress]\n  egress:\n"
    "  - to: [{{namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: kube-system}}}}, "
    "podSelector: {{matchLabels: {{k8s-app: kube-dns}}}}}}]\n"
    "    ports: [{{protocol: UDP, port: 53}}, {{protocol: TCP, port: 53}}]\n"
    "  - to: [{{podSelector: {{}}}}]",
]


def manifest() -> str:
    docs = []
    for ns in NAMESPACES[1:]:
        docs.append(
            f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}, labels: {{team: {ns}}}}}"
        )
    tiers = ("frontend", "backend", "edge", "backend")
    for i in range(20):
        ns = NAMESPACES[i % len(NAMESPACES)]
        docs.append(DEPLOYMENT.format(i=i, ns=ns, replicas=10, tier=tiers[i % len(tiers)]))
    for ns in NAMESPACES:
        for policy in POLICIES:
            docs.append(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: "
                + policy.format(ns=ns).replace("{name:", f"{{namespace: {ns}, name:", 1)
            )
    return "\n---\n".join(docs)


def time_matrix(cluster: Cluster, compute: Callable[[], object], runs: int) -> list[float]:
    """CPU seconds of `compute()` after each of `runs` label changes."""
    pods = cluster.state.store.list("Pod", "shop")
    times = []
    for run in range(runs):
        pod = pods[run % len(pods)]["metadata"]["name"]
        cluster.run(f"kubectl label pod -n shop {pod} run={run} --overwrite")
        start = time.process_time()
        result = compute()
        times.append(time.process_time() - start)
    assert result
    return times


def room_matrix(cluster: Cluster, by_pod: bool) -> str:
    """The matrix as the room sends it: plain data, then one JSON text."""
    return json.dumps(cluster.policy_matrix(by_pod), separators=(",", ":"))


def report(label: str, times: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
        f"best {min(times) * 1000:.1f} ms CPU over {len(times)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 5 if args.quick else 41
    cluster = Cluster(seed=1)
    result = cluster.run("kubectl apply -f -", stdin=manifest())
    assert result.exit_code == 0, result.stderr[:500]
    pods = [p for p in cluster.state.store.list("Pod") if p["metadata"]["namespace"] in NAMESPACES]
    policies = cluster.state.store.count("NetworkPolicy")
    print(f"pods: {len(pods)} (+ system pods), NetworkPolicies: {policies}")
    view = ClusterPolicies(cluster.state.store)
    for by_pod, label in ((False, "per workload"), (True, "per pod")):
        groups = len(view.matrix(by_pod=by_pod).groups)
        size = f"({groups} rows x {groups} columns)"
        report(f"matrix {label} {size}", time_matrix(cluster, partial(view.matrix, by_pod), runs))
        times = time_matrix(cluster, partial(room_matrix, cluster, by_pod), runs)
        report("  as the room sends it (data + JSON)", times)
    checks = time_checks(view, pods, 3 if args.quick else 9)
    print(
        f"one connection check: median {statistics.median(checks) * 1e6:.1f} µs, "
        f"best {min(checks) * 1e6:.1f} µs CPU"
    )


def time_checks(view: ClusterPolicies, pods: list[dict], runs: int) -> list[float]:
    """CPU seconds per connection check, one run of 20,000 checks at a time."""
    infos = [Party(info.ip, info) for info in (view.pod_info(p) for p in pods)]
    pairs = [(infos[i % len(infos)], infos[(i * 7 + 3) % len(infos)]) for i in range(20_000)]
    policies = view.policy_set()
    times = []
    for _ in range(runs):
        start = time.process_time()
        for src, dst in pairs:
            policies.check(src, dst, "TCP", 8080)
        times.append((time.process_time() - start) / len(pairs))
    return times


if __name__ == "__main__":
    main()
