"""Service traffic policies of CONTRACT.md section 10, driven through `Cluster.run`:
`internalTrafficPolicy: Local`, `trafficDistribution` with EndpointSlice hints
and node zones, and the serving-terminating fallback under each."""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 4
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers: [{name: kubia, image: luksa/kubia, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
SPEC
"""


def client_on(cluster: Cluster, node: str) -> str:
    apply(
        cluster,
        f"""
apiVersion: v1
kind: Pod
metadata: {{name: client-{node}}}
spec:
  nodeName: {node}
  containers: [{{name: c, image: curlimages/curl}}]
""",
    )
    return f"pod/client-{node}"


def node_of(cluster: Cluster, pod: str) -> str:
    return cluster.state.store.get("Pod", "default", pod)["spec"]["nodeName"]


def served_nodes(cluster: Cluster, source: str, n: int = 30) -> set[str]:
    out = set()
    for _ in range(n):
        trace = cluster.request("http://kubia/", source=source)
        assert trace.outcome == "ok", trace.reason
        out.add(node_of(cluster, trace.served_by))
    return out


def zone_nodes(cluster: Cluster) -> None:
    run_ok(cluster, "kubectl label node worker-1 topology.kubernetes.io/zone=zone-a")
    run_ok(cluster, "kubectl label node worker-2 topology.kubernetes.io/zone=zone-b")


def test_without_a_policy_traffic_spreads_over_both_nodes(cluster) -> None:
    apply(cluster, APP.replace("SPEC", ""))
    assert served_nodes(cluster, client_on(cluster, "worker-1")) == {"worker-1", "worker-2"}


def test_prefer_same_node_keeps_traffic_on_the_clients_node_with_hints(cluster) -> None:
    zone_nodes(cluster)
    apply(cluster, APP.replace("SPEC", "  trafficDistribution: PreferSameNode"))
    source = client_on(cluster, "worker-1")
    assert served_nodes(cluster, source) == {"worker-1"}
    trace = cluster.request("http://kubia/", source=source)
    assert "trafficDistribution PreferSameNode kept it on worker-1" in trace.reason
    (eps,) = [
        s
        for s in cluster.state.store.list("EndpointSlice", "default")
        if s["metadata"]["name"].startswith("kubia-")
    ]
    for endpoint in eps["endpoints"]:
        assert endpoint["hints"] == {
            "forZones": [{"name": endpoint["zone"]}],
            "forNodes": [{"name": endpoint["nodeName"]}],
        }
        assert (
            endpoint["zone"] == {"worker-1": "zone-a", "worker-2": "zone-b"}[endpoint["nodeName"]]
        )


def test_prefer_same_zone_keeps_traffic_in_the_clients_zone(cluster) -> None:
    zone_nodes(cluster)
    apply(cluster, APP.replace("SPEC", "  trafficDistribution: PreferSameZone"))
    assert served_nodes(cluster, client_on(cluster, "worker-2")) == {"worker-2"}
    trace = cluster.request("http://kubia/", source="pod/client-worker-2")
    assert "trafficDistribution PreferSameZone kept it in zone zone-b" in trace.reason


def test_without_zones_prefer_same_zone_falls_back_to_every_endpoint(cluster) -> None:
    apply(cluster, APP.replace("SPEC", "  trafficDistribution: PreferSameZone"))
    assert served_nodes(cluster, client_on(cluster, "worker-1")) == {"worker-1", "worker-2"}


def test_a_hinted_node_without_ready_endpoints_falls_back_to_all(cluster) -> None:
    zone_nodes(cluster)
    apply(cluster, APP.replace("SPEC", "  trafficDistribution: PreferSameNode"))
    # The control plane runs none of kubia's pods: no hint names it.
    run_ok(cluster, "kubectl taint node control-plane node-role.kubernetes.io/control-plane-")
    source = client_on(cluster, "control-plane")
    assert served_nodes(cluster, source) == {"worker-1", "worker-2"}


@pytest.mark.parametrize(("node", "outcome"), [("worker-1", "ok"), ("control-plane", "timeout")])
def test_internal_traffic_policy_local(cluster, node: str, outcome: str) -> None:
    apply(cluster, APP.replace("SPEC", "  internalTrafficPolicy: Local"))
    run_ok(cluster, "kubectl taint node control-plane node-role.kubernetes.io/control-plane-")
    source = client_on(cluster, node)
    trace = cluster.request("http://kubia/", source=source)
    assert trace.outcome == outcome
    if outcome == "ok":
        assert served_nodes(cluster, source) == {node}
    else:
        assert "internalTrafficPolicy Local: node control-plane has no ready pod" in trace.reason


def test_local_policy_falls_back_to_the_nodes_terminating_pods(cluster) -> None:
    app = APP.replace("SPEC", "  internalTrafficPolicy: Local").replace(
        "ports: [{containerPort: 8080}]}]",
        "ports: [{containerPort: 8080}], lifecycle: {preStop: {sleep: {seconds: 20}}}}]",
    )
    apply(cluster, app)
    source = client_on(cluster, "worker-1")
    local = [
        p["metadata"]["name"]
        for p in cluster.state.store.list("Pod", "default")
        if p["metadata"]["name"].startswith("kubia")
        and node_of(cluster, p["metadata"]["name"]) == "worker-1"
    ]
    run_ok(cluster, "kubectl scale deploy kubia --replicas=0")
    trace = cluster.request("http://kubia/", source=source)
    assert trace.outcome == "ok"
    assert trace.served_by in local
    assert "terminating" in trace.reason
    cluster.advance(20)
    assert cluster.request("http://kubia/", source=source).outcome == "refused"


def test_session_affinity_timeout_runs_on_the_simulated_clock(cluster) -> None:
    affinity = (
        "  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 30}}"
    )
    apply(cluster, APP.replace("SPEC", affinity))
    source = client_on(cluster, "worker-1")
    first = cluster.request("http://kubia/", source=source)
    for _ in range(3):
        cluster.advance(25)  # each request within the timeout keeps (and refreshes) it
        again = cluster.request("http://kubia/", source=source)
        assert again.served_by == first.served_by
        assert again.reason.endswith("kept by sessionAffinity ClientIP")
    cluster.advance(31)  # idle longer than timeoutSeconds: a fresh random choice
    later = cluster.request("http://kubia/", source=source)
    assert not later.reason.endswith("kept by sessionAffinity ClientIP")
