"""Shared fixtures for simulator tests: a fresh cluster and a helper to apply YAML."""

from __future__ import annotations

import pytest

from simulator import Cluster


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=0)


def run_ok(cluster: Cluster, line: str, stdin: str = "") -> str:
    """Run a command that must succeed; its standard output."""
    result = cluster.run(line, stdin=stdin)
    assert result.exit_code == 0, f"{line}: {result.stderr}"
    return result.stdout


def apply(cluster: Cluster, text: str) -> None:
    """Apply manifests and fail the test with kubectl's message if that does not work."""
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr


def pods(cluster: Cluster, namespace: str = "default", **labels: str) -> list[dict]:
    """Pods in `namespace` whose labels include `labels`, sorted by name."""
    return [
        p
        for p in cluster.state.store.list("Pod", namespace)
        if all((p["metadata"].get("labels") or {}).get(k) == v for k, v in labels.items())
    ]


def endpoint_ips(cluster: Cluster, name: str, namespace: str = "default") -> tuple[set, set]:
    """(ready `ip:port`, not-ready `ip:port`) of a Service's Endpoints."""
    ep = cluster.state.store.get("Endpoints", namespace, name)
    ready, not_ready = set(), set()
    for subset in (ep or {}).get("subsets") or ():
        for port in subset.get("ports") or [{"port": None}]:
            for a in subset.get("addresses") or ():
                ready.add(f"{a['ip']}:{port['port']}")
            for a in subset.get("notReadyAddresses") or ():
                not_ready.add(f"{a['ip']}:{port['port']}")
    return ready, not_ready
